"""The thread's other pages (comment-page-N, ``cpage=``): the links to them, their order,
and this page's number in the thread."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from ..pageindex import PageIndex
from ..urls import absolute_url, canonicalize_url
from .items import FRAGMENT_ID, Item
from .text import class_tokens, inline_text


def _page_hrefs(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@href][contains(@href, 'comment-page-') or contains(@href, 'cpage=')
    or contains(@href, '#comments')]``."""
    found = [
        el
        for href, els in ix.values("href").items()
        if "comment-page-" in href or "cpage=" in href or "#comments" in href
        for el in els
        if el.tag == "a"
    ]
    return ix.in_order(found)


_PAGINATION_CLASS = re.compile(r"comments?-(?:pagination|navigation|nav)\b|comments_pagination")


_PAGE_IN_URL = re.compile(r"/comment-page-(\d+)(?=/|$|#|\?)|[?&]cpage=(\d+)")


_OLDER = re.compile(
    r"older|previous|earlier|prev|«|‹|←|ältere|anciens|anteriores|antiguos|предыдущ|"
    r"старые|이전",
    re.I,
)
_NEWER = re.compile(
    r"newer|next|later|»|›|→|neuere|récents|recientes|siguientes|следующ|новые|다음", re.I
)


def _thread_base(url: str) -> str:
    """The URL of a thread's article: comment-page and ``cpage`` parts and fragment gone."""
    parts = urlsplit(url)
    path = re.sub(r"/comment-page-\d+/?$", "/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "cpage"]
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return canonicalize_url(base).rstrip("/")


def _page_of(url: str) -> int | None:
    m = _PAGE_IN_URL.search(url)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


@dataclass
class _PageLink:
    url: str
    number: int | None
    direction: int  # -1 older, +1 newer, 0 unknown


def _page_anchors(ix: PageIndex, commentish: list[HtmlElement]) -> list[HtmlElement]:
    anchors = _page_hrefs(ix)
    seen = set(anchors)
    for el in commentish:
        if _PAGINATION_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            for a in el.iter("a"):
                if a.get("href") and a not in seen:
                    seen.add(a)
                    anchors.append(a)
    return anchors


def page_links(
    ix: PageIndex, url: str, commentish: list[HtmlElement]
) -> tuple[list[_PageLink], int | None]:
    """Links to other pages of this thread, and a page number the pagination marks current."""
    base = _thread_base(url)
    here = canonicalize_url(_strip_fragment(url))
    links: list[_PageLink] = []
    current: int | None = None
    for a in _page_anchors(ix, commentish):
        href = absolute_url(url, a.get("href"))
        if href is None or "replytocom" in href:
            continue
        if FRAGMENT_ID.search(href):
            continue  # a comment's permalink, not a page link
        target = _strip_fragment(href)
        if _thread_base(target) != base:
            continue
        if current is None:
            parent = a.getparent()
            for sib in parent if parent is not None else ():
                if not isinstance(sib.tag, str) or sib.tag == "a":
                    continue
                if sib.get("aria-current") == "page" or "current" in class_tokens(sib):
                    digits = re.sub(r"\D", "", inline_text(sib))
                    if digits:
                        current = int(digits)
                        break
        if canonicalize_url(target) == here:
            continue
        label = " ".join(
            [
                inline_text(a),
                a.get("rel") or "",
                a.get("class") or "",
                " ".join(
                    (e.get("class") or "") for e in a.iterancestors() if e.tag in ("div", "li")
                )[:200],
            ]
        )
        direction = 0
        text = inline_text(a)
        if not text.replace("Page", "").strip().isdigit():
            older = _OLDER.search(label)
            newer = _NEWER.search(label)
            if older and not newer:
                direction = -1
            elif newer and not older:
                direction = 1
        links.append(_PageLink(target, _page_of(target), direction))
    return links, current


def page_number(
    url: str, links: list[_PageLink], current: int | None, permalink_pages: list[int]
) -> int | None:
    number = _page_of(url)
    if number is not None:
        return number
    if current is not None:
        return current
    if permalink_pages:
        return Counter(permalink_pages).most_common(1)[0][0]
    for link in links:
        if link.number is not None and link.direction == -1:
            return link.number + 1
        if link.number is not None and link.direction == 1:
            return max(link.number - 1, 1)
    if not links:
        return 1
    return None


def permalink_pages(tree_items: list[Item], ids: set[str]) -> list[int]:
    pages: list[int] = []
    for item in tree_items:
        for el in item.own:
            if el.tag != "a":
                continue
            href = el.get("href") or ""
            fm = FRAGMENT_ID.search(href)
            if fm and fm.group(1) in ids:
                number = _page_of(href)
                if number is not None:
                    pages.append(number)
                break
    return pages
