"""Applying a site profile to one parsed page: pure functions of (profile, tree, url).

:func:`profile_fields` reads every field the profile names and returns only those it
found, so the caller fills the rest generically; :func:`profile_thread` reads the comment
thread; :func:`profile_neighbours` the previous/next links. Nothing here raises on a page:
a selector that matches nothing leaves its field to generic extraction.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import lxml.html
from lxml.html import HtmlElement

from ..items import Comment, Image
from .body_blocks import text_blocks
from .comments import CommentThread
from .dates import parse_date
from .dom import element_text, inline_text, keep_attributes
from .navigation import Neighbours
from .profiles import CommentRules, Profile, Rule
from .urls import absolute_url, canonicalize_url

__all__ = ["ProfileBody", "profile_fields", "profile_neighbours", "profile_thread"]

SOURCE = "profile"

_INT = re.compile(r"\d[\d,.\s]*")
_PAGE_IN_URL = re.compile(r"/comment-page-(\d+)(?=/|$|#|\?)|[?&]cpage=(\d+)")
_KEEP_ATTRS = frozenset({"href", "src", "alt", "title", "datetime", "cite", "colspan", "rowspan"})
_NO_ID = object()


@dataclass
class ProfileBody:
    text: str
    html: str
    images: list[Image] = field(default_factory=list)


# ---------------------------------------------------------------------------- reading


def _matches(
    rule: Rule, scope: HtmlElement, keep: Callable[[Any], bool] | None = None
) -> list[Any]:
    found = rule.selector.select(scope) if rule.selector is not None else [scope]
    return [m for m in found if keep is None or keep(m)]


def _raw(match: Any, rule: Rule) -> list[str]:
    """Candidate strings of one match: the named attribute, else what the field's kind
    reads (a link's href, a meta's content, a time's datetime, the visible text)."""
    if isinstance(match, str):
        return [str(match)]
    if not isinstance(match, HtmlElement):
        return []
    if rule.attr:
        value = match.get(rule.attr)
        return [value] if value is not None else []
    if rule.kind in ("url", "urls"):
        for attr in ("href", "src", "content"):
            if match.get(attr):
                return [match.get(attr) or ""]
        return []
    if match.tag == "meta":
        return [match.get("content") or ""]
    if rule.kind == "date":
        return [v for v in (match.get("datetime"), match.get("content"), element_text(match)) if v]
    return [element_text(match)]


def _cut(value: str, rule: Rule) -> str:
    if rule.regex is not None:
        m = rule.regex.search(value)
        if m is None:
            return ""
        value = (m.group(1) if m.re.groups else m.group(0)) or ""
    return inline_text(value)


def _strings(
    rule: Rule, scope: HtmlElement, keep: Callable[[Any], bool] | None = None
) -> list[str]:
    out: list[str] = []
    for match in _matches(rule, scope, keep):
        for raw in _raw(match, rule):
            value = _cut(raw, rule)
            if not value:
                continue
            parts = rule.split.split(value) if rule.split is not None else [value]
            out.extend(p.strip() for p in parts if p.strip())
            break
    return out


def _first(rule: Rule, scope: HtmlElement, keep: Callable[[Any], bool] | None = None) -> str | None:
    for match in _matches(rule, scope, keep):
        for raw in _raw(match, rule):
            value = _cut(raw, rule)
            if value:
                return value
    return None


def read_date(raw: str, fmt: str | None, tz: str | None) -> str | None:
    """ISO 8601 for a date as the site prints it: by ``fmt`` (strptime) when given, else
    by :func:`parse_date`; ``tz`` applies when the page states no offset."""
    if fmt:
        try:
            parsed = datetime.strptime(raw.strip(), fmt)
        except ValueError:
            parsed = None
        if parsed is not None:
            if parsed.tzinfo is not None:
                return parsed.isoformat()
            if not any(code in fmt for code in ("%H", "%I", "%M", "%X", "%c", "%T", "%R")):
                return parsed.date().isoformat()
            return parse_date(parsed.isoformat(), default_tz=tz)
    return parse_date(raw, default_tz=tz)


def _date(
    rule: Rule, profile: Profile, scope: HtmlElement, keep: Callable[[Any], bool] | None = None
) -> tuple[str, str] | None:
    fmt = rule.date_format or profile.date_format
    tz = rule.timezone or profile.timezone
    for match in _matches(rule, scope, keep):
        for raw in _raw(match, rule):
            value = _cut(raw, rule)
            parsed = read_date(value, fmt, tz) if value else None
            if parsed:
                return parsed, value
    return None


def _count(rule: Rule, scope: HtmlElement) -> int | None:
    for value in _strings(rule, scope):
        m = _INT.search(value)
        if m:
            digits = re.sub(r"\D", "", m.group(0))
            if digits:
                return int(digits)
    return None


def _url(rule: Rule, scope: HtmlElement, url: str) -> str | None:
    value = _first(rule, scope)
    return absolute_url(url, value) if value else None


def _image(img: HtmlElement, url: str) -> Image | None:
    src = img.get("data-src") or img.get("data-lazy-src") or img.get("src")
    if not src:
        srcset = img.get("srcset") or img.get("data-srcset") or ""
        src = srcset.split(",")[0].split()[0] if srcset.strip() else None
    absolute = absolute_url(url, src)
    if not absolute:
        return None
    caption = None
    for anc in img.iterancestors():
        if anc.tag == "figure" or "wp-caption" in (anc.get("class") or ""):
            caps = anc.xpath(".//figcaption | .//*[contains(@class,'wp-caption-text')]")
            if caps:
                caption = inline_text(caps[0].text_content()) or None
            break
    return Image(url=absolute, caption=caption)


def _images(elements: Iterable[Any], url: str) -> list[Image]:
    images: list[Image] = []
    seen: set[str] = set()
    for el in elements:
        if not isinstance(el, HtmlElement):
            continue
        for img in [el] if el.tag == "img" else el.iter("img"):
            image = _image(img, url)
            if image is not None and image.url not in seen:
                seen.add(image.url)
                images.append(image)
    return images


def _pruned(
    el: HtmlElement, rule: Rule, drop: Callable[[HtmlElement], bool] | None = None
) -> HtmlElement:
    """A copy of ``el`` without the rule's ``exclude`` matches (and what ``drop`` names)."""
    # Elements, not their id()s: lxml keeps one proxy per node only while it is referenced.
    marked = {x for s in rule.exclude for x in s.select(el) if isinstance(x, HtmlElement)}
    if drop is not None:
        marked |= {x for x in el.iterdescendants() if drop(x)}
    root = copy.deepcopy(el)
    if marked:
        for orig, dup in zip(list(el.iter()), list(root.iter()), strict=True):
            if orig in marked and dup is not root and dup.getparent() is not None:
                dup.drop_tree()
    root.tail = None
    return root


def _clean_html(root: HtmlElement) -> str:
    keep_attributes(root, _KEEP_ATTRS)
    html = lxml.html.tostring(root, encoding="unicode")
    return re.sub(r"\n\s*\n+", "\n", html).strip()


def _body(rule: Rule, tree: HtmlElement, url: str) -> ProfileBody | None:
    for match in _matches(rule, tree):
        if not isinstance(match, HtmlElement):
            continue
        root = _pruned(match, rule)
        blocks = text_blocks(root)
        if blocks:
            images = _images([root], url)
            return ProfileBody(text="\n\n".join(blocks), html=_clean_html(root), images=images)
    return None


# ---------------------------------------------------------------------------- fields


def profile_fields(profile: Profile, tree: HtmlElement, url: str) -> dict[str, Any]:
    """The Article fields the profile names and finds on this page.

    Keys are Article field names; dates come with their ``*_raw`` key, ``body_text`` as a
    :class:`ProfileBody` (text, cleaned HTML and images of the profile's container).
    """
    found: dict[str, Any] = {}
    for name, rule in profile.fields.items():
        kind = rule.kind
        if kind == "text":
            value: Any = _first(rule, tree)
        elif kind == "list":
            value = list(dict.fromkeys(_strings(rule, tree))) or None
        elif kind == "date":
            dated = _date(rule, profile, tree)
            if dated is not None:
                found[name], found[f"{name}_raw"] = dated
            continue
        elif kind == "url":
            value = _url(rule, tree, url)
        elif kind == "body":
            value = _body(rule, tree, url)
        elif kind == "images":
            value = _images(_matches(rule, tree), url) or None
        elif kind == "count":
            value = _count(rule, tree)
        else:  # pragma: no cover - the loader admits no other kinds
            continue
        if value is not None:
            found[name] = value
    return found


def profile_neighbours(
    profile: Profile, tree: HtmlElement, url: str, generic: Neighbours
) -> tuple[Neighbours, frozenset[str]]:
    """The generic neighbours with each link the profile finds put in its place, and
    which sides (``"prev"``, ``"next"``) the profile found."""
    result = replace(generic)
    sides: set[str] = set()
    for side in ("prev", "next"):
        rule = profile.fields.get(f"{side}_url")
        if rule is None:
            continue
        link = next((m for m in _matches(rule, tree) if _raw(m, rule)), None)
        if link is None:
            continue
        href = absolute_url(url, _cut(_raw(link, rule)[0], rule))
        if not href:
            continue
        title_rule = profile.fields.get(f"{side}_title")
        title = _first(title_rule, tree) if title_rule is not None else None
        if title is None and title_rule is None and isinstance(link, HtmlElement):
            title = inline_text(element_text(link)) or None
        setattr(result, f"{side}_url", href)
        setattr(result, f"{side}_title", title)
        sides.add(side)
    if sides:
        result.source = SOURCE
    return result, frozenset(sides)


# ---------------------------------------------------------------------------- comments


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _page_of(url: str) -> int | None:
    m = _PAGE_IN_URL.search(url)
    return int(m.group(1) or m.group(2)) if m else None


def profile_thread(
    profile: Profile, tree: HtmlElement, url: str, generic: CommentThread
) -> CommentThread:
    """This page's comments by the profile's ``[comments]`` rules.

    The generic thread is returned unchanged when the profile has no comment rules or its
    container (or, without a container, any item) is not on the page; otherwise the
    comments are the profile's (``source == "profile"``), and the count and comment page
    links come from the profile where it names them, from the generic thread otherwise.
    """
    rules = profile.comments
    if rules is None:
        return generic
    if rules.container is not None:
        scopes = [m for m in _matches(rules.container, tree) if isinstance(m, HtmlElement)]
        if not scopes:
            return generic
    else:
        scopes = [tree]
    items: list[HtmlElement] = []
    seen: set[HtmlElement] = set()
    for scope in scopes:
        for m in _matches(rules.item, scope):
            if isinstance(m, HtmlElement) and m not in seen:
                seen.add(m)
                items.append(m)
    if not items and rules.container is None:
        return generic
    comments = _comments(profile, rules, items, url)
    count = generic.comment_count
    if rules.count is not None:
        stated = next((c for s in scopes if (c := _count(rules.count, s)) is not None), None)
        if stated is not None:
            count = stated
    if count is None and not comments:
        count = 0
    page_urls = list(generic.page_urls)
    if rules.pages is not None:
        here = canonicalize_url(_strip_fragment(url))
        page_urls = []
        for scope in scopes:
            for value in _strings(rules.pages, scope):
                href = absolute_url(url, value)
                if href is None:
                    continue
                href = _strip_fragment(href)
                key = canonicalize_url(href)
                if key != here and key not in {canonicalize_url(u) for u in page_urls}:
                    page_urls.append(href)
    number = generic.page_number or _page_of(url) or (1 if comments and not page_urls else None)
    return CommentThread(
        comments=comments,
        comment_count=count,
        page_urls=page_urls,
        page_number=number,
        source=SOURCE,
        comments_source="html",
    )


def _comments(
    profile: Profile, rules: CommentRules, items: list[HtmlElement], url: str
) -> list[Comment]:
    item_set = set(items)

    def owner(el: Any) -> HtmlElement | None:
        node = el.getparent() if isinstance(el, str) else el
        while node is not None:
            if node in item_set:
                return node
            node = node.getparent()
        return None

    def parent_item(item: HtmlElement) -> HtmlElement | None:
        for anc in item.iterancestors():
            if anc in item_set:
                return anc
        return None

    ids: dict[HtmlElement, str] = {}
    depth_of: dict[str, int] = {}
    out: list[Comment] = []
    for item in items:

        def mine(m: Any, item: HtmlElement = item) -> bool:
            return owner(m) is item

        author = _first(rules.author, item, mine) if rules.author is not None else None
        author_url = None
        if rules.author_url is not None:
            value = _first(rules.author_url, item, mine)
            author_url = absolute_url(url, value) if value else None
        published_at = published_raw = None
        if rules.date is not None:
            dated = _date(rules.date, profile, item, mine)
            if dated is not None:
                published_at, published_raw = dated
        text = ""
        if rules.text is not None:
            for match in _matches(rules.text, item, mine):
                if isinstance(match, HtmlElement):
                    root = _pruned(match, rules.text, lambda x: x in item_set)
                    text = "\n\n".join(text_blocks(root))
                else:
                    text = inline_text(str(match))
                if text:
                    break
        if not text and author is None:
            continue
        cid = _first(rules.id, item, mine) if rules.id is not None else item.get("id")
        if not cid:
            key = f"{author}\x00{published_raw}\x00{text}".encode()
            cid = "h" + hashlib.sha1(key).hexdigest()[:12]
        ids[item] = cid
        parent_id: str | None = None
        if rules.parent == "nested":
            anc = parent_item(item)
            while anc is not None and anc not in ids:
                anc = parent_item(anc)
            parent_id = ids.get(anc) if anc is not None else None
        elif isinstance(rules.parent, Rule):
            value = _first(rules.parent, item, mine)
            parent_id = value if value and value.strip("0") else None
        depth = depth_of.get(parent_id, 0) + 1 if parent_id is not None else 1
        depth_of[cid] = depth
        out.append(
            Comment(
                comment_id=cid,
                parent_id=parent_id,
                author=author,
                published_at=published_at,
                text=text,
                depth=depth,
                published_at_raw=published_raw,
                author_url=author_url,
            )
        )
    return out
