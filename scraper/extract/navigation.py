"""The previous (older) and next (newer) article an article page links to.

Three mechanisms, in order, the first that finds a neighbour wins:

1. ``rel=prev/next`` on ``<a>`` links in the article's region; ``<link rel>`` in the head
   only when it does not point to another page of the same article or listing;
2. links the page marks as neighbours: a class or id token of the link or its holder
   that is a direction word (``nav-previous``, ``post-next``, ``older-link``, ...), or an
   ``aria-label`` that is a navigation label (recorded as source ``"cms"``);
3. label text ("Previous article", "Следующая статья", "이전 글", "← Previous", ...) in the
   main content, with the link in, around or next to the label.

Links in sidebars, footers, widgets, menus, related/popular lists and comment sections are
never taken, nor links to other hosts, to the page itself, to comment pages or to listing
pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from lxml import etree
from lxml.html import HtmlElement

from .navigation_labels import (
    LABEL_PREFIXES,
    LABEL_START,
    NEXT_LABEL,
    NOT_PUNCT,
    PREV_LABEL,
    strip_label,
)
from .navigation_page import Page
from .navigation_titles import LABEL_TITLE, link_text, title_for
from .pageindex import PageIndex, page_index, xml_tokens

__all__ = ["Neighbours", "find_neighbours"]


@dataclass
class Neighbours:
    prev_url: str | None = None  # the older article
    prev_title: str | None = None
    next_url: str | None = None  # the newer article
    next_title: str | None = None
    source: str | None = None  # "rel" | "cms" | "label"


_Link = tuple[str, str | None]

# ---------------------------------------------------------------------------- patterns


def _rel_links(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@href][contains(concat(' ', normalize-space(@rel), ' '), ' prev ') or … ' previous '
    or … ' next ']``."""
    found = [
        a
        for rel, els in ix.values("rel").items()
        if not {"prev", "previous", "next"}.isdisjoint(xml_tokens(rel))
        for a in els
        if a.tag == "a" and a.get("href") is not None
    ]
    return ix.in_order(found)


def _head_links(ix: PageIndex) -> list[HtmlElement]:
    """``//link[@href][@rel='prev' or @rel='previous' or @rel='next']``."""
    return [
        el
        for el in ix.tagged("link")
        if el.get("href") is not None and el.get("rel") in ("prev", "previous", "next")
    ]


_LABEL_TAGS = ("a", "span", "strong", "b", "em", "i", "p", "div", "li", "h2", "h3", "h4", "h5",
               "h6", "label", "small", "dt", "td")  # fmt: skip
_BODY = etree.XPath("/html/body | /body")


def _first_text(el: HtmlElement) -> str | None:
    """XPath's ``text()`` as a string: the element's first text node."""
    if el.text is not None:
        return el.text
    for child in el:
        if child.tail is not None:
            return child.tail
    return None


def _label_candidates(tree: HtmlElement) -> Iterator[tuple[HtmlElement, str]]:
    """Elements in the body whose own first text is short: where a "Previous article"
    label can be (one Python pass; the equivalent XPath is three times slower), each with
    the text a label is read from (a link's whole text, another element's own text)."""
    for body in _BODY(tree):
        for el in body.iter(*_LABEL_TAGS):
            if el is body:
                continue
            own = el.text
            if own:
                # a label is read from text that starts with the element's own (a link's
                # whole text, another element's own text): when that already shows a
                # word no label starts with, the element is passed over
                word = NOT_PUNCT.search(own)
                if word is not None and (
                    own[word.start() : word.start() + 2].lower() not in LABEL_PREFIXES
                    or not LABEL_START.match(own)
                ):
                    continue
            if el.tag == "a":
                first = own if own is not None else _first_text(el)
                if first and 0 < len(" ".join(first.split())) < 60:
                    yield el, link_text(el)
            elif own:
                # without text of its own an element has nothing a label could match
                text = " ".join(own.split())
                if 0 < len(text) < 60:
                    yield el, text


# class tokens of sliders, galleries and "read next"-style recommendations
_SKIP_TOKEN = re.compile(
    r"carousel|slide|slick|swiper|gallery|lightbox|pagination|"
    r"read-?next|up-?next|whats-?next|read-?more"
)

_WORD_PREV = re.compile(r"(?:^|[-_])(?:prev|previous|older)(?:$|[-_])")
_WORD_NEXT = re.compile(r"(?:^|[-_])(?:next|newer)(?:$|[-_])")


def _marked(ix: PageIndex) -> list[HtmlElement]:
    """``(//@class | //@id)[contains(., 'prev') or contains(., 'next') or contains(., 'older')
    or contains(., 'newer')]/..``."""
    found = [
        el
        for name in ("class", "id")
        for value, els in ix.values(name).items()
        if "prev" in value or "next" in value or "older" in value or "newer" in value
        for el in els
    ]
    return ix.in_order(found)


# ---------------------------------------------------------------------------- strategies


def _by_rel(page: Page) -> tuple[_Link | None, _Link | None]:
    prev: _Link | None = None
    nxt: _Link | None = None
    for a in _rel_links(page.index):
        rels = (a.get("rel") or "").lower().split()
        is_prev = "prev" in rels or "previous" in rels
        if (is_prev and prev) or (not is_prev and nxt):
            continue
        if page.excluded(a):
            continue
        link = page.accept(a.get("href"))
        if link is None:
            continue
        found = (link, title_for(a))
        if is_prev:
            prev = found
        else:
            nxt = found
    if prev or nxt:
        return prev, nxt
    for el in _head_links(page.index):
        is_prev = (el.get("rel") or "").lower() in ("prev", "previous")
        link = page.accept(el.get("href"))
        if link is None:
            continue
        title = strip_label(" ".join((el.get("title") or "").split())) or None
        if title and LABEL_TITLE.match(title):
            title = None
        if is_prev and prev is None:
            prev = (link, title)
        elif not is_prev and nxt is None:
            nxt = (link, title)
    return prev, nxt


def _tokens(el: HtmlElement) -> list[str]:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()


def _by_cms(page: Page) -> tuple[_Link | None, _Link | None]:
    tokens = {el: set(_tokens(el)) for el in _marked(page.index)}
    # prev/next/older/newer class or id tokens on the link or an element holding it
    prev: _Link | None = None
    nxt: _Link | None = None
    for el, toks in tokens.items():
        if any(_SKIP_TOKEN.search(t) for t in toks):
            continue
        is_prev = any(_WORD_PREV.search(t) for t in toks)
        is_next = any(_WORD_NEXT.search(t) for t in toks)
        if is_prev == is_next or (is_prev and prev) or (is_next and nxt):
            continue
        links = _links_of(el) if el.tag == "a" else _only_link(el)
        links = [a for a in links if not any(_SKIP_TOKEN.search(t) for t in _tokens(a))]
        found = _first(page, links, strict=True)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
    if prev and nxt:
        return prev, nxt
    # a link (or its holder) named for screen readers: aria-label="Previous post: ..."
    for value, els in page.index.values("aria-label").items():
        label = " ".join(value.split())
        is_prev = bool(PREV_LABEL.match(label))
        is_next = not is_prev and bool(NEXT_LABEL.match(label))
        if not (is_prev or is_next) or (is_prev and prev) or (is_next and nxt):
            continue
        found = _first(page, [a for el in els for a in _links_of(el)], strict=True)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
    return prev, nxt


def _only_link(el: HtmlElement) -> list[HtmlElement]:
    """The link a marked holder is for: it holds links to one address only, and little
    text besides (a page root or a section marked "next" by a framework is no holder)."""
    links = [a for a in el.iter("a") if a.get("href")]
    if not links or len({a.get("href") for a in links}) > 1:
        return []
    if len(" ".join(el.text_content().split())) > _HOLDER_TEXT:
        return []
    return links[:1]


_HOLDER_TEXT = 300


def _links_of(el: HtmlElement) -> list[HtmlElement]:
    if el.tag == "a":
        return [el]
    return [a for a in el.iter("a") if a.get("href")][:1]


def _first(page: Page, links: list[HtmlElement], *, strict: bool = False) -> _Link | None:
    for a in links:
        if page.excluded(a, strict=strict):
            continue
        link = page.accept(a.get("href"))
        if link:
            return link, title_for(a)
    return None


def _by_label(page: Page) -> tuple[_Link | None, _Link | None]:
    prev: _Link | None = None
    nxt: _Link | None = None
    for el, text in _label_candidates(page.tree):
        is_prev = bool(PREV_LABEL.match(text))
        is_next = not is_prev and bool(NEXT_LABEL.match(text))
        if not (is_prev or is_next) or (is_prev and prev) or (is_next and nxt):
            continue
        found = _link_near(page, el)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
        if prev and nxt:
            break
    return prev, nxt


def _link_near(page: Page, label: HtmlElement) -> _Link | None:
    """The link a label belongs to: the link holding it, one inside it, or the next one."""
    candidates: list[HtmlElement] = []
    node: HtmlElement | None = label
    for _ in range(4):
        if node is None:
            break
        if node.tag == "a":
            candidates.append(node)
            break
        node = node.getparent()
    if not candidates:
        candidates.extend(a for a in label.iter("a") if a.get("href"))
    if not candidates:
        for holder in (label, label.getparent()):
            if holder is None:
                continue
            for sib in list(holder.itersiblings())[:3]:
                if not isinstance(sib.tag, str):
                    continue
                if sib.tag == "a":
                    candidates.append(sib)
                else:
                    candidates.extend(sib.iter("a"))
                if candidates:
                    break
            if candidates:
                break
    for a in candidates[:1]:
        if page.excluded(a):
            return None
        link = page.accept(a.get("href"))
        if link:
            return link, title_for(a)
    return None


_STRATEGIES: list[tuple[str, Callable[[Page], tuple[_Link | None, _Link | None]]]] = [
    ("rel", _by_rel),
    ("cms", _by_cms),
    ("label", _by_label),
]


def find_neighbours(tree: HtmlElement, url: str, index: PageIndex | None = None) -> Neighbours:
    """The older (``prev``) and newer (``next``) article this page links to, if any."""
    page = Page(tree, url, page_index(tree, index))
    for source, strategy in _STRATEGIES:
        prev, nxt = strategy(page)
        if prev and nxt and prev[0] == nxt[0] and not (prev[1] or nxt[1]):
            # one address both ways behind bare arrows: a slider's or a toggle's
            # buttons, no chain (a titled link both ways is a real, if cyclic, chain)
            continue
        if prev or nxt:
            return Neighbours(
                prev_url=prev[0] if prev else None,
                prev_title=prev[1] if prev else None,
                next_url=nxt[0] if nxt else None,
                next_title=nxt[1] if nxt else None,
                source=source,
            )
    return Neighbours()
