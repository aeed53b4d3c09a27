"""The previous (older) and next (newer) article an article page links to.

Three mechanisms, in order, the first that finds a neighbour wins:

1. ``rel=prev/next`` on ``<a>`` links in the article's region; ``<link rel>`` in the head
   only when it does not point to another page of the same article or listing;
2. navigation markup of common CMSs and themes (WordPress classic and block themes,
   tagDiv, JNews, Soledad, Drupal, Blogger, ...) and generic prev/next classes;
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
from urllib.parse import parse_qsl, urlsplit

from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

from .pageindex import PageIndex, page_index, xml_tokens
from .urls import absolute_url, canonicalize_url, host_of

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


def _first_h1(ix: PageIndex) -> HtmlElement | None:
    """``(//h1[not(ancestor::a)])[1]``."""
    for h1 in ix.tagged("h1"):
        if next(h1.iterancestors("a"), None) is None:
            return h1
    return None


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
                # letter no label starts with, the element is passed over
                word = _NOT_PUNCT.search(own)
                if word is not None and not _LABEL_FIRST.match(word.group()):
                    continue
            if el.tag == "a":
                first = own if own is not None else _first_text(el)
                if first and 0 < len(" ".join(first.split())) < 60:
                    yield el, _text(el)
            elif own:
                # without text of its own an element has nothing a label could match
                text = " ".join(own.split())
                if 0 < len(text) < 60:
                    yield el, text


# Regions whose links are never an article's neighbours (matched on id and class).
_EXCLUDED_REGION = re.compile(
    r"sidebar|widget|related|popular|trending|recommend|most-?read|mostviewed|menu|"
    r"breadcrumb|comment|share|sharing|social|colophon|site-footer|page-footer|"
    r"global-footer|newsletter|masthead|site-header|navbar|you-may|more-stories|"
    r"more-from|jp-relatedposts|yarpp|outbrain|taboola|page-numbers|tag-?cloud|"
    r"categories|archive|author-bio|subscribe|promo|advert",
    re.I,
)
_EXCLUDED_TAGS = frozenset({"aside", "head", "script", "style", "noscript", "template", "form"})
_ARTICLE_FOOTER = re.compile(r"entry|post|article|single", re.I)
_LISTING_PATH = re.compile(r"/page/\d+/?$|/(?:category|tag|author|tags|topics?|search)/", re.I)
_LISTING_PARAMS = frozenset({"page", "paged", "pg", "start", "offset", "s"})
_COMMENT_URL = re.compile(r"/comment-page-\d+|[?&]cpage=\d+|replytocom=|#comments?\b", re.I)
# class tokens of sliders, galleries and "read next"-style recommendations
_SKIP_TOKEN = re.compile(
    r"slick|swiper|owl|carousel|slide|gallery|lightbox|flex-|glide|splide|page-numbers|"
    r"read-?next|up-?next|whats-?next|read-?more"
)

_PREV_NOUN = (
    r"previous\s+(?:article|post|story|entry|news|item|reading|blog\s+post)|"
    r"prev\.?\s+(?:article|post|story|entry)|older\s+(?:post|entry|article|story)s?|"
    r"предыдущ(?:ая|ий|ее)\s+(?:статья|запись|пост|новость|материал|публикация)|"
    r"vor(?:her)?ige[rs]?\s+(?:artikel|beitrag|eintrag|post|meldung|nachricht)|"
    r"ältere[rs]?\s+(?:artikel|beitrag|eintrag|post)|"
    r"(?:article|billet|post)\s+précédent|"
    r"(?:artículo|entrada|noticia|publicación)\s+anterior|이전\s?(?:글|기사|포스트|게시물)"
)
_NEXT_NOUN = (
    r"next\s+(?:article|post|story|entry|news|item|reading|blog\s+post)|"
    r"newer\s+(?:post|entry|article|story)s?|"
    r"следующ(?:ая|ий|ее)\s+(?:статья|запись|пост|новость|материал|публикация)|"
    r"n(?:ä|ae)chste[rs]?\s+(?:artikel|beitrag|eintrag|post|meldung|nachricht)|"
    r"neuere[rs]?\s+(?:artikel|beitrag|eintrag|post)|"
    r"(?:article|billet|post)\s+suivant|"
    r"(?:artículo|entrada|noticia|publicación)\s+siguiente|다음\s?(?:글|기사|포스트|게시물)"
)
_LEFT = "«‹←<"
_RIGHT = "»›→>"
_PUNCT = rf"[\s{_LEFT}{_RIGHT}:|·.\-–—()\[\]]*"
# The first character after _PUNCT of any _PREV_LABEL or _NEXT_LABEL match: "previous",
# "prev", "older", "post", "publicación", "предыдущ", "vorige", "ältere", "article",
# "billet", "artículo", "entrada", "noticia", "이전", "next", "newer", "nächste", "neuere",
# "следующ", "다음" (case-insensitive, as the labels are).
_LABEL_FIRST = re.compile(r"[poпväabenс이다]", re.I)
_NOT_PUNCT = re.compile(rf"[^\s{_LEFT}{_RIGHT}:|·.\-–—()\[\]]")
_PREV_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_PREV_NOUN}|(?<=[{_LEFT}])\s*(?:previous|prev|older))(?!\w){_PUNCT}", re.I
)
_NEXT_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_NEXT_NOUN}|(?:next|newer)(?=\s*[{_RIGHT}]))(?!\w){_PUNCT}", re.I
)
_ANY_LABEL = re.compile(
    rf"^{_PUNCT}(?:{_PREV_NOUN}|{_NEXT_NOUN}|(?:previous|prev|next|older|newer)"
    rf"(?=\s*[:|{_LEFT}{_RIGHT}]|\s*$))(?!\w){_PUNCT}|[\s{_LEFT}{_RIGHT}:|·\-–—]+$",
    re.I,
)
_WORD_PREV = re.compile(r"(?:^|[-_])(?:prev|previous|older)(?:$|[-_])")
_WORD_NEXT = re.compile(r"(?:^|[-_])(?:next|newer)(?:$|[-_])")


def _css(selector: str) -> CSSSelector:
    return CSSSelector(selector, translator="html")


@dataclass(frozen=True)
class _Rule:
    """A theme's neighbour links: an element with one of ``prev``/``next`` as a class (or
    id) token, inside an ancestor with one of ``within`` (if given); the link is that
    element or the first link in it; ``title`` selects the title inside the link."""

    prev: frozenset[str]
    next: frozenset[str]
    within: frozenset[str] | None
    title: str | None


def _rule(prev: str, nxt: str, within: str | None, title: str | None) -> _Rule:
    return _Rule(
        frozenset(prev.split()),
        frozenset(nxt.split()),
        frozenset(within.split()) if within else None,
        title,
    )


_CMS_RULES: list[_Rule] = [
    # WordPress classic themes: nav.post-navigation .nav-previous a
    _rule(
        "nav-previous",
        "nav-next",
        "post-navigation navigation nav-links",
        ".post-title, .nav-title, .title",
    ),
    # WordPress block themes
    _rule(
        "post-navigation-link-previous",
        "post-navigation-link-next",
        None,
        ".post-navigation-link__title",
    ),
    # tagDiv (Newspaper)
    _rule("td-post-prev-post", "td-post-next-post", None, None),
    # JNews, Soledad, Ghost and friends
    _rule(
        "prev-post penci-post-nav-prev post-nav-prev previous-post",
        "next-post penci-post-nav-next post-nav-next",
        None,
        "h3, h4, h5, .post-title, .prev-title, .next-title, .post-nav-title, .title",
    ),
    _rule("prev previous", "next", "post-nav post-navigation node-navigation", ".title, h3, h4"),
    # Drupal book pages
    _rule("page-previous", "page-next", None, None),
    # Blogger: older is previous
    _rule("blog-pager-older-link", "blog-pager-newer-link", None, None),
]


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


# ---------------------------------------------------------------------------- context


class _Page:
    """What the strategies share about one page: its URL and which regions are out."""

    def __init__(self, tree: HtmlElement, url: str, index: PageIndex) -> None:
        self.tree = tree
        self.index = index
        self.url = url
        self.host = _bare_host(url)
        self.here = canonicalize_url(url)
        parts = urlsplit(self.here)
        self.path = parts.path
        self.stem = _article_stem(parts.path)
        h1 = _first_h1(index)
        self.main_chain: set[HtmlElement] = (
            set(h1.iterancestors()) | {h1} if h1 is not None else set()
        )
        self.memo: dict[HtmlElement, bool] = {}

    def excluded(self, el: HtmlElement, *, strict: bool = True) -> bool:
        """Whether ``el`` sits in a region whose links are not neighbours. The walk stops
        at the first ancestor holding the page's heading: layout wrappers are not regions."""
        seen: list[HtmlElement] = []
        result = False
        node: HtmlElement | None = el
        while node is not None:
            if node in self.main_chain or node.tag in ("body", "html"):
                break
            if node in self.memo:
                result = self.memo[node]
                break
            seen.append(node)
            if self._region_out(node, strict):
                result = True
                break
            node = node.getparent()
        for n in seen:
            self.memo[n] = result if strict else self.memo.get(n, False)
        return result

    def _region_out(self, node: HtmlElement, strict: bool) -> bool:
        tag = node.tag
        if tag in _EXCLUDED_TAGS:
            return True
        marks = f"{node.get('id') or ''} {node.get('class') or ''}"
        if (
            tag == "footer"
            and not _ARTICLE_FOOTER.search(marks)
            and not any(a.tag in ("article", "main") for a in node.iterancestors())
        ):
            return True
        if tag == "nav":
            label = (node.get("aria-label") or "") + " " + (node.get("role") or "")
            if re.search(r"menu|primary|breadcrumb|site", label, re.I):
                return True
        return bool(marks.strip()) and bool(_EXCLUDED_REGION.search(marks)) and strict

    def accept(self, href: str | None) -> str | None:
        """The absolute URL when ``href`` can be a neighbouring article, else ``None``."""
        if not href or href.strip().startswith("#"):
            return None
        link = absolute_url(self.url, href)
        if link is None or _bare_host(link) != self.host:
            return None
        if _COMMENT_URL.search(link):
            return None
        canon = canonicalize_url(link)
        if canon == self.here:
            return None
        parts = urlsplit(canon)
        if parts.path in ("", "/") or _LISTING_PATH.search(parts.path):
            return None
        if any(k.lower() in _LISTING_PARAMS for k, _ in parse_qsl(parts.query)):
            if parts.path == self.path:
                return None
            if any(k.lower() in ("page", "paged") for k, _ in parse_qsl(parts.query)):
                return None
        if _article_stem(parts.path) == self.stem:
            return None  # another page of this same article (/slug/2/)
        return link.split("#", 1)[0]


def _bare_host(url: str) -> str:
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def _article_stem(path: str) -> str:
    return re.sub(r"/\d{1,3}/?$", "", path.rstrip("/")) or "/"


# ---------------------------------------------------------------------------- text


def _text(el: HtmlElement) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag in ("script", "style", "svg", "noscript"):
            continue
        if node is not el and node.tag in ("img",):
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def _strip_label(text: str) -> str:
    previous = None
    while text and text != previous:
        previous = text
        text = _ANY_LABEL.sub("", text, count=1).strip()
    return text.strip(f" {_LEFT}{_RIGHT}:|·-–—")


def _title_of(a: HtmlElement, title_css: str | None = None) -> str | None:
    if title_css:
        for sel in _title_selectors(title_css):
            found = sel(a)
            if not found:
                parent = a.getparent()
                found = sel(parent) if parent is not None else []
            for el in found:
                text = _strip_label(_text(el))
                if text:
                    return text
    for el in a.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = _strip_label(_text(el))
        if text:
            return text
    # the link's text without its label and screen-reader prefix
    parts: list[str] = [a.text or ""]

    def collect(node: HtmlElement) -> None:
        for child in node:
            if (
                isinstance(child.tag, str)
                and child.tag not in ("script", "style", "svg", "img")
                and not _is_label(child)
            ):
                parts.append(child.text or "")
                collect(child)
            parts.append(child.tail or "")

    collect(a)
    text = _strip_label(" ".join(" ".join(parts).split()))
    if text:
        return text
    title = _strip_label(" ".join((a.get("title") or "").split()))
    return title or None


# a label shown where a title would be: "Previous Auto News", "Read Next", "Older"
_LABEL_TITLE = re.compile(
    r"^(?:(?:previous|prev|next|older|newer)(?:\s+\w+)?\s+"
    r"(?:news|post|posts|article|story|entry|item|page|reading)|previous|prev|next|older|newer|"
    r"read next|up next)$",
    re.I,
)


def _title_for(a: HtmlElement, title_css: str | None) -> str | None:
    """The link's title; when the link shows only a label, the title of another link to
    the same address close by (a card's heading link)."""
    title = _title_of(a, title_css)
    if title and not _LABEL_TITLE.match(title):
        return title
    href = a.get("href")
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in ("body", "main", "article"):
            break
        for other in node.iter("a"):
            if other is not a and other.get("href") == href:
                found = _title_of(other)
                if found and not _LABEL_TITLE.match(found):
                    return found
        node = node.getparent()
    return None


def _is_label(node: HtmlElement) -> bool:
    classes = (node.get("class") or "").lower()
    if any(c in classes for c in ("meta-nav", "screen-reader-text", "caption", "nav-label")):
        return True
    text = " ".join((node.text_content() or "").split())
    return bool(text) and len(text) < 40 and _strip_label(text) == ""


_TITLE_SELECTORS: dict[str, list[CSSSelector]] = {}


def _title_selectors(css: str) -> list[CSSSelector]:
    if css not in _TITLE_SELECTORS:
        _TITLE_SELECTORS[css] = [_css(s.strip()) for s in css.split(",")]
    return _TITLE_SELECTORS[css]


# ---------------------------------------------------------------------------- strategies


def _by_rel(page: _Page) -> tuple[_Link | None, _Link | None]:
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
        found = (link, _title_for(a, ".post-title, .nav-title, .post-navigation-link__title"))
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
        title = _strip_label(" ".join((el.get("title") or "").split())) or None
        if title and _LABEL_TITLE.match(title):
            title = None
        if is_prev and prev is None:
            prev = (link, title)
        elif not is_prev and nxt is None:
            nxt = (link, title)
    return prev, nxt


def _tokens(el: HtmlElement) -> list[str]:
    return f"{el.get('class') or ''} {el.get('id') or ''}".lower().split()


def _by_cms(page: _Page) -> tuple[_Link | None, _Link | None]:
    marked = _marked(page.index)
    if not marked:
        return None, None
    tokens = {el: set(_tokens(el)) for el in marked}
    for rule in _CMS_RULES:
        prev: _Link | None = None
        nxt: _Link | None = None
        for el, toks in tokens.items():
            is_prev = not toks.isdisjoint(rule.prev)
            is_next = not toks.isdisjoint(rule.next)
            if is_prev == is_next or (is_prev and prev) or (is_next and nxt):
                continue
            if rule.within is not None and not _within(el, rule.within):
                continue
            found = _first(page, _links_of(el), rule.title)
            if is_prev:
                prev = found
            else:
                nxt = found
        if prev or nxt:
            return prev, nxt
    # generic prev/next/older/newer class tokens on the link or its parent
    prev = nxt = None
    for el, toks in tokens.items():
        if any(_SKIP_TOKEN.search(t) for t in toks):
            continue
        is_prev = any(_WORD_PREV.search(t) for t in toks)
        is_next = any(_WORD_NEXT.search(t) for t in toks)
        if is_prev == is_next or (is_prev and prev) or (is_next and nxt):
            continue
        links = [el] if el.tag == "a" else [a for a in el if a.tag == "a"]
        links = [a for a in links if not any(_SKIP_TOKEN.search(t) for t in _tokens(a))]
        found = _first(page, links, None, strict=True)
        if found is None:
            continue
        if is_prev:
            prev = found
        else:
            nxt = found
    return prev, nxt


def _within(el: HtmlElement, marks: frozenset[str]) -> bool:
    for depth, anc in enumerate(el.iterancestors()):
        if depth > 5:
            break
        if not marks.isdisjoint(_tokens(anc)):
            return True
    return False


def _links_of(el: HtmlElement) -> list[HtmlElement]:
    if el.tag == "a":
        return [el]
    return [a for a in el.iter("a") if a.get("href")][:1]


def _first(
    page: _Page, links: list[HtmlElement], title_css: str | None, *, strict: bool = False
) -> _Link | None:
    for a in links:
        if page.excluded(a, strict=strict):
            continue
        link = page.accept(a.get("href"))
        if link:
            return link, _title_for(a, title_css)
    return None


def _by_label(page: _Page) -> tuple[_Link | None, _Link | None]:
    prev: _Link | None = None
    nxt: _Link | None = None
    for el, text in _label_candidates(page.tree):
        is_prev = bool(_PREV_LABEL.match(text))
        is_next = not is_prev and bool(_NEXT_LABEL.match(text))
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


def _link_near(page: _Page, label: HtmlElement) -> _Link | None:
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
            return link, _title_for(a, None)
    return None


_STRATEGIES: list[tuple[str, Callable[[_Page], tuple[_Link | None, _Link | None]]]] = [
    ("rel", _by_rel),
    ("cms", _by_cms),
    ("label", _by_label),
]


def find_neighbours(tree: HtmlElement, url: str, index: PageIndex | None = None) -> Neighbours:
    """The older (``prev``) and newer (``next``) article this page links to, if any."""
    page = _Page(tree, url, page_index(tree, index))
    for source, strategy in _STRATEGIES:
        prev, nxt = strategy(page)
        if prev or nxt:
            return Neighbours(
                prev_url=prev[0] if prev else None,
                prev_title=prev[1] if prev else None,
                next_url=nxt[0] if nxt else None,
                next_title=nxt[1] if nxt else None,
                source=source,
            )
    return Neighbours()
