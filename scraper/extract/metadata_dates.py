"""The article's publication and modification dates (``published``, ``modified``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from urllib.parse import urlsplit

from lxml.html import HtmlElement

from .dates import parse_date
from .dom import element_text, inline_text
from .hints import strings
from .metadata import headline, norm_text
from .pageindex import PageIndex, page_index
from .structured import Structured, microdata_prop, microdata_value

Strings = Callable[[PageIndex], list[str]]


def _datetimes(times: list[HtmlElement]) -> list[str]:
    """``…/@datetime`` of ``times``."""
    return [v for v in (t.get("datetime") for t in times) if v is not None]


def _times_under(part: str, also: str | None = None) -> Strings:
    """``//*[contains(@class,part) (and contains(@class,also))]//time/@datetime``."""

    def query(ix: PageIndex) -> list[str]:
        tops = ix.containing("class", part)
        if also is not None:
            tops = [el for el in tops if also in (el.get("class") or "")]
        return _datetimes(ix.under(tops, "time"))

    return query


def _time_classes(part: str, also: str | None = None, unless: str | None = None) -> Strings:
    """``//time[contains(@class,part) (and contains(@class,also))
    (and not(contains(@class,unless)))]/@datetime``."""

    def query(ix: PageIndex) -> list[str]:
        found = []
        for t in ix.containing("class", part):
            cls = t.get("class") or ""
            if t.tag != "time" or (also and also not in cls) or (unless and unless in cls):
                continue
            found.append(t)
        return _datetimes(found)

    return query


_CMS_PUBLISHED: list[Strings] = [
    _times_under("wp-block-post-date"),
    _time_classes("entry-date", "published"),
    _times_under("posted-on"),
    _time_classes("entry-date"),
    # … then the page's theme profile's ``generic.published_at``
    lambda ix: strings(ix.hints.published_at, ix.root, "datetime"),
]
_CMS_MODIFIED: list[Strings] = [
    _time_classes("updated", unless="published"),
    _times_under("wp-block-post-date", "modified"),
]


def _generic_time(ix: PageIndex) -> list[str]:
    """``//article//time[@datetime][not(ancestor::*[contains(@class,'comment')])]/@datetime
    | //main//time[…]/@datetime``."""
    found = []
    for t in ix.tagged("time"):
        value = t.get("datetime")
        if value is None:
            continue
        ancestors = list(t.iterancestors())
        if not any(a.tag in ("article", "main") for a in ancestors):
            continue
        if any("comment" in (a.get("class") or "") for a in ancestors):
            continue
        found.append(value)
    return found


def _date_from(raws: list[str]) -> tuple[str, str] | None:
    for raw in raws:
        value = parse_date(raw)
        if value:
            return value, inline_text(raw)
    return None


def published(
    tree: HtmlElement, st: Structured, index: PageIndex | None = None
) -> tuple[str | None, str | None, str | None]:
    """(ISO date, raw string, source).

    What the page declares first (JSON-LD, microdata, meta, CMS and article ``<time>``
    markup); then, in order, a ``datePublished`` of any other JSON-LD node (a Recipe, an
    Event), the day the URL's path states (``/2024/03/12/``), the date printed nearest
    the page's heading, and the modification date the page declares."""
    ix = page_index(tree, index)
    found = _date(
        ix,
        st,
        "datePublished",
        (
            "article:published_time",
            "og:published_time",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "parsely-pub-date",
            "sailthru.date",
        ),
        _CMS_PUBLISHED,
        generic=True,
    )
    if found[0]:
        # a permalink's day more than a day away from the declared date: the declared
        # one is of something else (a re-publication, a site-wide stamp)
        in_url = _url_date(st.url)
        if in_url and _days_apart(in_url[0], found[0]) > 1:
            return in_url
        return found
    fallback = (
        _other_jsonld_date(st) or _url_date(st.url) or _text_date(ix, headline(tree, st, ix)[0])
    )
    if fallback:
        return fallback
    return modified(tree, st, ix)


def modified(
    tree: HtmlElement, st: Structured, index: PageIndex | None = None
) -> tuple[str | None, str | None, str | None]:
    return _date(
        page_index(tree, index),
        st,
        "dateModified",
        ("article:modified_time", "og:updated_time", "last-modified", "dc.date.modified"),
        _CMS_MODIFIED,
        generic=False,
    )


def _date(
    ix: PageIndex,
    st: Structured,
    prop: str,
    meta_keys: tuple[str, ...],
    cms: list[Strings],
    *,
    generic: bool,
) -> tuple[str | None, str | None, str | None]:
    if st.article is not None:
        raw = st.article.get(prop)
        found = _date_from(
            [raw] if isinstance(raw, str) else [r for r in raw or [] if isinstance(r, str)]
        )
        if found:
            return found[0], found[1], "jsonld"
    micro = [microdata_value(el) or "" for el in microdata_prop(st, prop)]
    found = _date_from(micro)
    if found:
        return found[0], found[1], "microdata"
    for key in meta_keys:
        found = _date_from(st.meta_all(key))
        if found:
            return found[0], found[1], "opengraph" if ":" in key else "meta"
    for query in cms:
        found = _date_from(query(ix))
        if found:
            return found[0], found[1], "cms"
    if generic:
        found = _date_from(_generic_time(ix)[:3])
        if found:
            return found[0], found[1], "heuristic"
    return None, None, None


def _days_apart(a: str, b: str) -> int:
    return abs((date.fromisoformat(a[:10]) - date.fromisoformat(b[:10])).days)


def _other_jsonld_date(st: Structured) -> tuple[str, str, str] | None:
    for node in st.jsonld_nodes:
        if node is st.article:
            continue
        raw = node.get("datePublished")
        if isinstance(raw, str):
            found = _date_from([raw])
            if found:
                return found[0], found[1], "jsonld"
    return None


# /2024/03/12/, /2024-03-12-slug, /20240312/ in the path (not the query)
_URL_DATE = re.compile(
    r"/((?:19|20)\d\d)(?:/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$|[-_.])"
    r"|-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(?=/|$|[-_.])"
    r"|(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=/|$))"
)


def _url_date(url: str) -> tuple[str, str, str] | None:
    if not url:
        return None
    path = urlsplit(url).path
    for m in _URL_DATE.finditer(path):
        y, mo, d = m.group(1), *(g for g in m.groups()[1:] if g)
        value = parse_date(f"{y}-{int(mo):02d}-{int(d):02d}")
        if value:
            return value, m.group(0), "heuristic"
    return None


_NO_TEXT_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "aside", "select",
                           "option", "button", "svg", "iframe"})  # fmt: skip
YEARISH = re.compile(r"(?:19|20)\d\d")


def _anchor_h1(ix: PageIndex, title: str | None) -> HtmlElement | None:
    """The ``<h1>`` holding the headline (else the first one): where a byline date sits."""
    h1s = ix.tagged("h1")
    if title:
        nt = norm_text(title)
        for h in h1s:
            nh = norm_text(element_text(h, keep_br=False))
            if nh and (nh == nt or nh in nt or nt in nh):
                return h
    return h1s[0] if h1s else None


def _text_date(ix: PageIndex, title: str | None) -> tuple[str, str, str] | None:
    """The date printed nearest the page's heading (counted in elements; one after it wins
    a tie), outside scripts, navigation and asides; a ``<time>``'s own ``datetime`` where it
    has one. Without a heading, the first date."""
    bodies = ix.tagged("body")
    if not bodies:
        return None
    anchor = _anchor_h1(ix, title)
    out: set[HtmlElement] = set()
    before: tuple[int, str, str] | None = None
    anchor_at: int | None = None
    for i, el in enumerate(bodies[0].iter()):
        parent = el.getparent()
        tag = el.tag
        if (parent is not None and parent in out) or tag in _NO_TEXT_TAGS:
            out.add(el)
        if el is anchor:
            anchor_at = i
        texts: list[str] = []
        if el not in out and isinstance(tag, str):
            stated = el.get("datetime") if tag == "time" else None
            if stated is not None and parse_date(stated):
                texts.append(stated)
                out.add(el)  # its printed text ("2 days ago") is not read
            elif el.text:
                texts.append(el.text)
        if el.tail and (parent is None or parent not in out):
            texts.append(el.tail)
        for text in texts:
            if len(text) > 120 or not YEARISH.search(text):
                continue
            value = parse_date(text)
            if not value:
                continue
            if anchor is None:
                return value, inline_text(text), "heuristic"
            if anchor_at is None:
                before = (i, value, inline_text(text))
                continue
            if before is not None and anchor_at - before[0] < i - anchor_at:
                return before[1], before[2], "heuristic"
            return value, inline_text(text), "heuristic"
    return (before[1], before[2], "heuristic") if before else None
