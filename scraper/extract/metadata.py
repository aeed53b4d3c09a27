"""Article metadata, one small function per field.

Each returns ``(value, source)``; ``source`` is ``None`` when nothing was found. Order per
field: structured data (JSON-LD, microdata, OpenGraph/meta) and CMS markup first, then
heuristics. Values are never invented: a field the page does not state stays empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .dates import date_start, parse_date
from .dom import element_text, inline_text
from .pageindex import PageIndex, page_index, xml_tokens
from .structured import (
    Structured,
    jsonld_names,
    jsonld_text,
    microdata_prop,
    microdata_value,
    resolve_ref,
)
from .urls import absolute_url

Found = tuple[Any, str | None]

# --- headline ---------------------------------------------------------------------------

# An h1 whose class or itemprop marks it as the post's title (the XPath
# ``//h1[contains(concat(' ',normalize-space(@class),' '),' entry-title ') or
# contains(@class,'post-title') or … or @itemprop='headline']``, over the page index).
_CMS_H1_CLASSES = (
    "wp-block-post-title",
    "post-title",
    "article-title",
    "article__title",
    "tdb-title-text",
    "jeg_post_title",
    "headline",
)


def _cms_h1(h: HtmlElement) -> bool:
    cls = h.get("class") or ""
    return (
        "entry-title" in xml_tokens(cls)
        or any(c in cls for c in _CMS_H1_CLASSES)
        or h.get("itemprop") == "headline"
    )


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»:]|::)\s+")


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def headline(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    """The article's own h1; structured data when no h1 agrees; the <title> as a last resort."""
    ix = page_index(tree, index)
    h1_elements = ix.tagged("h1")
    cms = [t for t in (element_text(h, keep_br=False) for h in h1_elements if _cms_h1(h)) if t]
    if cms:
        return cms[0], "cms"
    # Documentation generators end headings with a permalink mark ("Title¶").
    h1s = [t for t in (element_text(h, keep_br=False).rstrip("¶ ") for h in h1_elements) if t]
    declared: list[tuple[str, str]] = []
    if st.article is not None:
        value = jsonld_text(st.article.get("headline") or st.article.get("name"))
        if value:
            declared.append((value, "jsonld"))
    for el in microdata_prop(st, "headline"):
        value = microdata_value(el)
        if value:
            declared.append((value, "microdata"))
    # Dublin Core first, as Readability does: a page that states it means it
    dc = st.meta_first("dc:title", "dc.title", "dcterms:title", "dcterms.title", "dcterm:title")
    if dc:
        declared.append((dc, "meta"))
    og = st.meta_first("og:title", "twitter:title")
    if og:
        declared.append((og, "opengraph"))
    other = st.meta_first("parsely-title", "sailthru.title")
    if other:
        declared.append((other, "meta"))
    # An h1 that the declared headline matches (or starts) is the article's own heading.
    for h in h1s:
        nh = _norm(h)
        for value, _source in declared:
            nv = _norm(value)
            if nh and nv and (nh == nv or nv.startswith(nh) or nh.startswith(nv)):
                return h, "heuristic"
    # The <title>'s headline part ("Headline – Site name") naming an h1 picks that h1 over
    # a declared value that matches none (Wikipedia's JSON-LD "headline" is a summary).
    title = _title_headline(ix)
    if title:
        nt = _norm(title)
        for h in h1s:
            nh = _norm(h)
            if len(nh) >= 3 and nh == nt:
                return h, "heuristic"
    if declared:
        return declared[0]
    if len(h1s) == 1:
        return h1s[0], "heuristic"
    if title:
        return title, "heuristic"
    return None, None


def _title_headline(ix: PageIndex) -> str | None:
    """The longest part of the page's <title> split at its separators."""
    titles = ix.tagged("title")
    if not titles:
        return None
    title = inline_text(titles[0].text_content())
    if not title:
        return None
    return max(_TITLE_SEPARATORS.split(title), key=len)


# --- description, language, canonical ---------------------------------------------------


def description(tree: HtmlElement, st: Structured) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("description"))
        if value:
            return value, "jsonld"
    value = st.meta_first("og:description")
    if value:
        return value, "opengraph"
    value = st.meta_first("description", "twitter:description")
    if value:
        return value, "meta"
    return None, None


_HTML_LANG = etree.XPath(
    "/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}
)


def language(tree: HtmlElement, st: Structured) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("inLanguage"))
        if value:
            return value, "jsonld"
    langs = _HTML_LANG(tree)
    if langs and langs[0].strip():
        return langs[0].strip(), "meta"
    value = st.meta_first("content-language", "language", "dc.language")
    if value:
        return value.split(",")[0].strip(), "meta"
    value = st.meta_first("og:locale")
    if value:
        return value.replace("_", "-"), "opengraph"
    return None, None


def canonical(tree: HtmlElement, st: Structured, url: str, index: PageIndex | None = None) -> Found:
    # //link[@href and contains(concat(' ',normalize-space(@rel),' '),' canonical ')]/@href
    for link in page_index(tree, index).tagged("link"):
        href = link.get("href")
        if href is None or "canonical" not in xml_tokens(link.get("rel")):
            continue
        value = absolute_url(url, href)
        if value:
            return value, "meta"
    value = st.meta_first("og:url")
    if value:
        value = absolute_url(url, value)
        if value:
            return value, "opengraph"
    return None, None


# --- authors -----------------------------------------------------------------------------

Query = Callable[[PageIndex], list[HtmlElement]]


def _inside(el: HtmlElement, tag: str) -> bool:
    return next(el.iterancestors(tag), None) is not None


def _class_under(outer: str, inner: str) -> Query:
    """``//*[contains(@class,outer)]//*[contains(@class,inner)]``."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        tops = set(ix.containing("class", outer))
        if not tops:
            return []
        return [
            el
            for el in ix.containing("class", inner)
            if any(anc in tops for anc in el.iterancestors())
        ]

    return query


def _links_under(part: str, tag: str | None = None) -> Query:
    """``//*[contains(@class,part)]//a`` (``//tag[…]//a`` with a ``tag``)."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        tops = ix.containing("class", part)
        if tag is not None:
            tops = [el for el in tops if el.tag == tag]
        return ix.under(tops, "a")

    return query


def _rel_author_links(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@rel='author']``."""
    return [a for a in ix.equal("rel", "author") if a.tag == "a"]


_CMS_AUTHORS: list[Query] = [
    # the byline's link to the author's page (not "View all of X's posts"):
    # //*[token byline]//a[contains(@rel,'author') or contains(@class,'url')]
    lambda ix: [
        a
        for a in ix.under(ix.with_token("class", "byline"), "a")
        if "author" in (a.get("rel") or "") or "url" in (a.get("class") or "")
    ],
    # //article//a[@rel='author']
    lambda ix: [a for a in _rel_author_links(ix) if _inside(a, "article")],
]

# a class token that marks an author's name in any theme (author, author-name,
# entry__author, byline, autor, authorbox: the word anywhere in it), and the ones that mark
# something about an author instead (a biography, an avatar, a "more by" list)
_AUTHOR_MARK = re.compile(r"author|byline|autor|auteur|verfasser")
_NOT_AUTHOR_MARK = re.compile(
    r"bio|about|avatar|image|img|photo|pic|desc|social|follow|more|list|comment|"
    r"label|info|link|job|role|position|bild|date|time"
)
# regions whose author names are not the page's author
_NOT_AUTHOR_REGION = re.compile(r"comment|related|sidebar|widget|teaser|recommend", re.I)
_NOT_AUTHOR_TAGS = frozenset({"aside", "nav", "footer", "script", "style", "noscript"})


def _marked_authors(ix: PageIndex) -> list[HtmlElement]:
    """Short elements a class token marks as the author's name, in document order, outside
    comments, asides and lists of other articles: what a theme prints as its byline."""
    out: list[HtmlElement] = []
    candidates = set()
    for part in ("author", "byline", "autor", "auteur", "verfasser"):
        candidates.update(ix.containing("class", part))
    for el in ix.in_order(candidates):
        tokens = (el.get("class") or "").lower().split()
        if not any(_AUTHOR_MARK.search(t) and not _NOT_AUTHOR_MARK.search(t) for t in tokens):
            continue
        text = element_text(el, keep_br=False)
        if not text or len(text) > 100:
            continue
        if any(
            anc.tag in _NOT_AUTHOR_TAGS
            or _NOT_AUTHOR_REGION.search(f"{anc.get('class') or ''} {anc.get('id') or ''}")
            for anc in el.iterancestors()
        ):
            continue
        out.append(el)
    return out


_GENERIC_AUTHORS: list[Query] = [
    # //*[contains(@class,'byline')]//a[contains(@href,'author') or contains(@href,'/people/')]
    lambda ix: [
        a
        for a in ix.under(ix.containing("class", "byline"), "a")
        if "author" in (a.get("href") or "") or "/people/" in (a.get("href") or "")
    ],
    _marked_authors,
    _rel_author_links,
    lambda ix: ix.containing("class", "byline"),
]
# "By", "Text by", "von", "Autor:", ... before the names, in the languages we read
_BY = re.compile(
    r"^\s*(?:(?:(?:written|posted|published|text|words|story|reporting|article)\s+)?by"
    r"|(?:(?:geschrieben|erstellt|verfasst)\s+)?von|par|por|di|door|av|af|przez|napisał[a]?"
    r"|автор[:\s]|yazan"
    r"|(?:author|autor(?:in)?|auteur|autore|text|texte|tekst|yazar|автор|kirjoittaja|szerző)"
    r"\s*[:：])\s*:?\s+"
    r"|^\s*(?:geschrieben|erstellt|verfasst)\s+von(?=\w)",
    re.I,
)
_SPLIT_AUTHORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b)\s*")
_NOT_A_NAME = re.compile(r"view all|posts by|more from|follow|^\d|https?://|@", re.I)


_WEEKDAY_END = re.compile(
    r"[\s,|•·—–-]*(?<!\w)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|on|am|le|el|il|op|den)?[\s,|•·—–-]*$",
    re.I,
)


def split_authors(text: str) -> list[str]:
    """ "By A and B" → ["A", "B"]; a string that does not look like names → []."""
    text = inline_text(text)
    text = _BY.sub("", text)
    start = date_start(text) if _YEARISH.search(text) else None
    if start is not None:  # "A and B Monday, November 18, 2019" → "A and B"
        text = _WEEKDAY_END.sub("", text[:start])
    text = re.split(r"\s+(?:[|•·-]|—|–)\s+", text)[0]  # "By A | March 3" → "By A"
    names = []
    for part in _SPLIT_AUTHORS.split(text):
        part = part.strip(" .:")
        if part and len(part) <= 80 and not _NOT_A_NAME.search(part) and part not in names:
            names.append(part)
    return names


def _clean_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = _BY.sub("", name).strip()
        if name and not _NOT_A_NAME.search(name) and name not in out:
            out.append(name)
    return out


def _names_from(elements: list[HtmlElement]) -> list[str]:
    names: list[str] = []
    for el in elements:
        for name in split_authors(element_text(el, keep_br=False)):
            if name not in names:
                names.append(name)
    return names


def _organisations(st: Structured, value: Any) -> set[str]:
    """Names in a JSON-LD author value that are organisations, not people."""
    out: set[str] = set()
    for item in value if isinstance(value, list) else [value]:
        item = resolve_ref(st, item)
        if isinstance(item, dict) and "organization" in str(item.get("@type") or "").lower():
            out.update(jsonld_names(st, item))
    return out


def _site_names(st: Structured) -> set[str]:
    names = {n for n in (st.meta_first("og:site_name"), st.meta_first("application-name")) if n}
    if st.article is not None:
        names.update(jsonld_names(st, st.article.get("publisher")))
    return {_norm(n) for n in names}


def authors(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    """The article's authors: structured data first, then CMS markup, ``<meta>``, bylines.

    An author the structured data names that is only the publishing organisation (an
    ``Organization``, or the site's own name) gives way to a person the page names."""
    fallback: Found = ([], None)
    if st.article is not None and st.article.get("author"):
        value = st.article.get("author")
        names = _clean_names(jsonld_names(st, value))
        if names:
            orgs = _organisations(st, value) | {n for n in names if _norm(n) in _site_names(st)}
            if all(n in orgs for n in names):
                fallback = (names, "jsonld")
            else:
                return names, "jsonld"
    micro = microdata_prop(st, "author")
    if micro:
        names = []
        for el in micro:
            for name in split_authors(microdata_value(el) or ""):
                if name not in names:
                    names.append(name)
        if names:
            return names, "microdata"
    ix = page_index(tree, index)
    for query in _CMS_AUTHORS:
        names = _names_from(query(ix))
        if names:
            return names, "cms"
    meta = st.meta_first(
        "dc:creator",
        "dc.creator",
        "author",
        "article:author",
        "parsely-author",
        "sailthru.author",
    )
    if meta and not meta.startswith("http"):
        names = split_authors(meta)
        if names and (not fallback[0] or _norm(" ".join(names)) not in _site_names(st)):
            return names, "meta"
    if not fallback[0]:
        found = _other_jsonld_authors(st) or _itemprop_authors(ix)
        if found:
            return found
    for query in _GENERIC_AUTHORS:
        # the first match only: later ones are other articles' bylines or comments
        names = _names_from(query(ix)[:1])
        if names:
            return names, "heuristic"
    return fallback


def _other_jsonld_authors(st: Structured) -> Found | None:
    """The author of the first other JSON-LD node that names one (a forum posting, a
    question, a recipe) when no article node does."""
    if st.article is not None and st.article.get("author"):
        return None
    for node in st.jsonld_nodes:
        if node is st.article or not node.get("author"):
            continue
        names = _clean_names(jsonld_names(st, node.get("author")))
        if names:
            return names, "jsonld"
    return None


def _itemprop_authors(ix: PageIndex) -> Found | None:
    """The first ``itemprop=author`` of the page (a forum thread's opening post) when no
    article item holds one."""
    for el in ix.in_order(ix.equal("itemprop", "author")):
        names = split_authors(microdata_value(el) or "")
        if names:
            return names, "microdata"
    return None


# --- dates -------------------------------------------------------------------------------

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


_JEG_DATE = etree.XPath("//*[contains(@class,'jeg_meta_date')]//a/text()")


def _jeg_date(ix: PageIndex) -> list[str]:
    # text nodes: the XPath itself, on the few pages that have the markup
    return [str(x) for x in _JEG_DATE(ix.root)] if ix.containing("class", "jeg_meta_date") else []


_CMS_PUBLISHED: list[Strings] = [
    _times_under("wp-block-post-date"),
    _time_classes("entry-date", "published"),
    _times_under("posted-on"),
    _time_classes("entry-date"),
    _times_under("td-post-date"),
    _jeg_date,
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
_YEARISH = re.compile(r"(?:19|20)\d\d")


def _anchor_h1(ix: PageIndex, title: str | None) -> HtmlElement | None:
    """The ``<h1>`` holding the headline (else the first one): where a byline date sits."""
    h1s = ix.tagged("h1")
    if title:
        nt = _norm(title)
        for h in h1s:
            nh = _norm(element_text(h, keep_br=False))
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
            if len(text) > 120 or not _YEARISH.search(text):
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


# --- section, categories, tags ------------------------------------------------------------


def _article_rel_links(ix: PageIndex, part: str) -> list[HtmlElement]:
    """``//article//a[contains(@rel,part)]``."""
    return [a for a in ix.containing("rel", part) if a.tag == "a" and _inside(a, "article")]


def _rel_category(ix: PageIndex) -> list[HtmlElement]:
    """``//article//a[contains(@rel,'category')][token category in @rel]``."""
    return [a for a in _article_rel_links(ix, "category") if "category" in xml_tokens(a.get("rel"))]


def _rel_tag(ix: PageIndex) -> list[HtmlElement]:
    """``//article//a[contains(@rel,'tag')][token tag in @rel and not token category
    and not(ancestor::*[contains(@class,'taxonomy-category')])]``."""
    found = []
    for a in _article_rel_links(ix, "tag"):
        rels = xml_tokens(a.get("rel"))
        if "tag" not in rels or "category" in rels:
            continue
        if any("taxonomy-category" in (anc.get("class") or "") for anc in a.iterancestors()):
            continue
        found.append(a)
    return found


_CMS_CATEGORIES: list[Query] = [
    _links_under("taxonomy-category"),
    _links_under("cat-links"),
    _rel_category,
    _links_under("td-category", "ul"),
    _links_under("jeg_meta_category"),
]
_CMS_TAGS: list[Query] = [
    _links_under("taxonomy-post_tag"),
    _links_under("tags-links"),
    _links_under("td-tags", "ul"),
    _links_under("jeg_post_tags"),
    _rel_tag,
]


def _texts(elements: list[HtmlElement]) -> list[str]:
    out: list[str] = []
    for el in elements:
        text = element_text(el, keep_br=False)
        if text and text not in out and len(text) <= 100:
            out.append(text)
    return out


def categories(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    ix = page_index(tree, index)
    for query in _CMS_CATEGORIES:
        values = _texts(query(ix))
        if values:
            return values, "cms"
    return [], None


def section(tree: HtmlElement, st: Structured, cats: list[str]) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("articleSection"))
        if value:
            return value, "jsonld"
    value = st.meta_first("article:section")
    if value:
        return value, "opengraph"
    if cats:
        return cats[0], "cms"
    return None, None


def tags(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    ix = page_index(tree, index)
    for query in _CMS_TAGS:
        values = _texts(query(ix))
        if values:
            return values, "cms"
    values = st.meta_all("article:tag")
    if values:
        return values, "opengraph"
    if st.article is not None:
        kw = st.article.get("keywords")
        if isinstance(kw, str):
            values = [k.strip() for k in kw.split(",") if k.strip()]
        elif isinstance(kw, list):
            values = [inline_text(k) for k in kw if isinstance(k, str) and k.strip()]
        else:
            values = []
        if values:
            return values, "jsonld"
    value = st.meta_first("news_keywords", "keywords")
    if value:
        return [k.strip() for k in value.split(",") if k.strip()], "meta"
    return [], None


def lead_image(st: Structured, url: str) -> str | None:
    """The image the page declares for itself (og:image, JSON-LD image)."""
    value = st.meta_first("og:image", "og:image:url", "twitter:image")
    if not value and st.article is not None:
        img = st.article.get("image")
        if isinstance(img, list):
            img = img[0] if img else None
        if isinstance(img, dict):
            img = img.get("url") or img.get("contentUrl")
        value = img if isinstance(img, str) else None
    return absolute_url(url, value) if value else None
