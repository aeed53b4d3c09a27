"""What kind of page this is: an ``article``, a ``listing`` or ``other``.

A pure function of the parsed page, its address and the response's hints. Only articles
are archived; listings (home, section, tag, author, date archive, search, paginated lists)
drive discovery; other pages (about, contact, legal, product, documentation, forum,
errors) are counted and dropped.

The evidence is general, in this order: the response (an error status, a body that is
not HTML), the types the page declares for itself (JSON-LD, microdata, ``og:type``),
the address (the site root, ``/page/2/``, ``/tag/…``, a date archive without a slug, a
search), and the page's shape: the repeated teaser pattern of a list (many headings,
each linking to its own address on the site) against the prose of one article (a long,
dense run of paragraphs with few links). No class name or id of any site or theme.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from lxml import etree
from lxml.html import HtmlElement

from .pageindex import PageIndex, page_index
from .urls import strip_comment_page

__all__ = ["PageHints", "PageKind", "classify_page"]

Kind = Literal["article", "listing", "other"]


@dataclass(frozen=True)
class PageHints:
    """What the response says about the page: its status, its content type, and whether
    it is the crawl's start URL (a start URL at the site root is a home page)."""

    status: int = 200
    content_type: str | None = None
    is_start: bool = False


@dataclass(frozen=True)
class PageKind:
    """The page's kind and a short human reason ("json-ld NewsArticle", "site root")."""

    kind: Kind
    reason: str


# ------------------------------------------------------------------ structured types

_ARTICLE_TYPES = {
    "article",
    "newsarticle",
    "blogposting",
    "report",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "backgroundnewsarticle",
    "askpublicnewsarticle",
    "satiricalarticle",
    "liveblogposting",
    "scholarlyarticle",
}
_LISTING_TYPES = {"collectionpage", "searchresultspage", "itemlist"}
_OTHER_TYPES = {
    "product",
    "productgroup",
    "faqpage",
    "discussionforumposting",
    "qapage",
    "techarticle",
    "apireference",
    "softwareapplication",
    "softwaresourcecode",
    "contactpage",
    "aboutpage",
    "profilepage",
    "jobposting",
    "event",
    "recipe",
    "course",
}
# Blocks an article page often carries beside its article type.
_WEAK_OTHER = {"faqpage", "product", "productgroup", "event", "recipe", "course"}
# Types that only describe the site or a part of a page, never the page's main thing.
_PAGE_TYPES = {"webpage", "website"}


def _type_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.lower().rsplit("/", 1)[-1].rsplit("#", 1)[-1]]
    if isinstance(value, list):
        return [n for v in value for n in _type_names(v)]
    return []


def _walk_types(data: Any, out: list[str], depth: int = 0) -> None:
    """The ``@type`` of each top-level node, of ``@graph`` members and of ``mainEntity``
    (the page's own things; nested values such as an article's publisher are not)."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            _walk_types(item, out, depth + 1)
    elif isinstance(data, dict):
        out.extend(_type_names(data.get("@type")))
        if data.get("datePublished"):
            out.append("@dated")
        graph = data.get("@graph")
        if graph is not None:
            _walk_types(graph, out, depth + 1)
        for key in ("mainEntity", "mainEntityOfPage"):
            main = data.get(key)
            if isinstance(main, dict) and main.get("@type"):
                _walk_types(main, out, depth + 1)


def _declared_types(ix: PageIndex) -> tuple[list[str], list[str]]:
    """The JSON-LD types and the microdata item types (top-level items) of the page."""
    jsonld: list[str] = []
    for script in ix.tagged("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        text = (script.text or "").strip()
        if not text:
            continue
        try:
            data = json.loads(text, strict=False)
        except ValueError:
            continue
        _walk_types(data, jsonld)
    micro: list[str] = []
    for el in ix.having("itemtype"):
        if el.get("itemprop") is not None:  # a property of another item
            continue
        micro.extend(t for t in _type_names(el.get("itemtype", "").split()) if t != "itemlist")
    return jsonld, micro


_DISPLAY = {
    "newsarticle": "NewsArticle",
    "blogposting": "BlogPosting",
    "collectionpage": "CollectionPage",
    "searchresultspage": "SearchResultsPage",
    "itemlist": "ItemList",
    "faqpage": "FAQPage",
    "qapage": "QAPage",
    "discussionforumposting": "DiscussionForumPosting",
    "techarticle": "TechArticle",
    "apireference": "APIReference",
    "liveblogposting": "LiveBlogPosting",
    "reportagenewsarticle": "ReportageNewsArticle",
}


def _show(name: str) -> str:
    return _DISPLAY.get(name, name[:1].upper() + name[1:])


# ------------------------------------------------------------------ addresses

_PAGED = re.compile(r"/page/\d+/?$|/p/\d+/?$|/pages?-?\d+/?$", re.I)
_ARCHIVE_PART = re.compile(
    r"/(?:tags?|category|categories|topics?|section|sections|author|authors|archives?|"
    r"label|labels|series|search)(?:/[^/]+)?/?(?:page/\d+/?)?$",
    re.I,
)
_DATE_ARCHIVE = re.compile(r"^(?:/[a-z]{2})?/(?:19|20)\d\d(?:/\d{1,2}){0,2}/?$", re.I)
_PAGE_PARAMS = ("page", "paged", "pg", "p_page", "start", "offset")
_SEARCH_PARAMS = ("s", "q", "query", "search")
_LEGAL = re.compile(
    r"/(?:about|about-us|contact|contact-us|impressum|imprint|privacy|privacy-policy|terms|"
    r"terms-of-service|terms-of-use|legal|cookies?|cookie-policy|disclaimer|advertise|"
    r"careers|jobs|faq|help|subscribe|login|signin|sign-in|register|signup|account)"
    r"(?:\.[a-z]+)?/?$",
    re.I,
)
# A dated address with a slug after the date: /2024/05/some-story/, /2024/05/17/story.html
_DATED_SLUG = re.compile(r"/(?:19|20)\d\d/\d{1,2}/(?:\d{1,2}/)?[^/]*[^/\d][^/]*/?$")
# Forum threads and documentation by the address shapes forum and documentation software
# use: /threads/…, viewtopic.php, showthread.php, /t/slug/123; docs.host, /docs/, /latest/.
_FORUM = re.compile(
    r"/(?:threads?|topics?/\d+|t/[^/]+/\d+)(?:/|$)|/(?:viewtopic|showthread|viewthread)\.php$",
    re.I,
)
_FORUM_HOST = re.compile(r"^(?:forums?|bbs|community|discuss|discourse)\.", re.I)
_DOCS = re.compile(
    r"/(?:docs?|documentation|manual|reference|api|userguide|usersguide|wiki|stable|latest)/", re.I
)
_DOCS_HOST = re.compile(r"^(?:docs?|developer|developers|wiki|learn)\.", re.I)
_ROOTS = {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/home/"}


def _url_kind(url: str) -> tuple[Kind, str] | None:
    parts = urlsplit(url)
    path = parts.path
    query = parse_qs(parts.query)
    if any(k in query for k in _SEARCH_PARAMS) or re.search(r"/search/?$", path, re.I):
        return "listing", "search address"
    if _PAGED.search(path) or any(
        k in query and query[k][0].isdigit() and query[k][0] != "1" for k in _PAGE_PARAMS
    ):
        return "listing", "paginated address"
    if _ARCHIVE_PART.search(path):
        return "listing", "archive address"
    if _DATE_ARCHIVE.match(path):
        return "listing", "date archive address"
    if _LEGAL.search(path):
        return "other", "legal/about address"
    return None


def _is_root(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path.lower() in _ROOTS and not parts.query


# ------------------------------------------------------------------ page shape

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SKIP = {"script", "style", "noscript", "template", "svg", "form", "select", "button"}
_BOILER = {"nav", "header", "footer", "aside"}


@dataclass
class _Shape:
    h1: int = 0
    teasers: int = 0  # headings that link to distinct addresses on the site
    prose: int = 0  # characters of the biggest block of paragraphs outside links
    prose_links: float = 0.0  # link share of that block's text
    paragraphs: int = 0  # long paragraphs in that block
    text: int = -1  # characters of the body's text outside links and boilerplate regions
    link_text: int = 0  # characters of the body's link text (both measured on demand)

    def measure(self, ix: PageIndex) -> _Shape:
        if self.text < 0:
            body = ix.tagged("body")
            self.text, self.link_text = _text_mass(body[0]) if body else (0, 0)
        return self


_MUTE = _SKIP | _BOILER


def _text_mass(body: HtmlElement) -> tuple[int, int]:
    """Characters of text outside links and of link text, in ``body`` outside scripts,
    forms and the page's nav/header/footer/aside regions (whitespace runs count once)."""
    text = links = 0
    muted = linked = 0
    for event, el in etree.iterwalk(body, events=("start", "end")):
        tag = el.tag
        if not isinstance(tag, str):
            if event == "end" and el.tail and not muted:
                n = len(el.tail.split())
                text, links = (text, links + n) if linked else (text + n, links)
            continue
        if event == "start":
            if tag in _MUTE:
                muted += 1
            elif tag == "a":
                linked += 1
            if el.text and not muted:
                n = len(" ".join(el.text.split()))
                if linked:
                    links += n
                else:
                    text += n
        else:
            if tag in _MUTE:
                muted -= 1
            elif tag == "a":
                linked -= 1
            if el.tail and not muted:
                n = len(" ".join(el.tail.split()))
                if linked:
                    links += n
                else:
                    text += n
    return text, links


def _shape(ix: PageIndex, url: str) -> _Shape:
    shape = _Shape()
    host = urlsplit(url).netloc.lower()
    boiler: set[HtmlElement] = set()
    for tag in _BOILER:
        for el in ix.tagged(tag):
            # a header or footer of an <article> (a teaser's, a post's) is content
            if tag in ("header", "footer") and next(el.iterancestors("article"), None) is not None:
                continue
            boiler.add(el)

    def in_boiler(el: HtmlElement) -> bool:
        return any(a in boiler for a in el.iterancestors())

    targets: set[str] = set()
    for tag in _HEADINGS:
        for h in ix.tagged(tag):
            if tag == "h1":
                shape.h1 += 1
            links = h.findall(".//a[@href]")
            if not links:
                parent = h.getparent()
                if parent is not None and parent.tag == "a" and parent.get("href"):
                    links = [parent]
            if not links or in_boiler(h):
                continue
            href = links[0].get("href", "").split("#", 1)[0]
            if not href:
                continue
            try:
                target = urlsplit(href)
            except ValueError:  # a malformed address ("http://[oops")
                continue
            if target.netloc and target.netloc.lower() != host:
                continue
            targets.add(target.path + ("?" + target.query if target.query else ""))
    shape.teasers = len(targets)

    # The prose: paragraphs grouped by parent; the parent with the most paragraph text.
    mass: dict[HtmlElement, list[int]] = {}
    for p in ix.tagged("p"):
        parent = p.getparent()
        if parent is None:
            continue
        text = " ".join(p.text_content().split())
        n = len(text)
        if n < 20:
            continue
        link = sum(len(" ".join(a.text_content().split())) for a in p.iter("a"))
        m = mass.get(parent)
        if m is None:
            mass[parent] = [n, link, 1 if n >= 80 else 0]
        else:
            m[0] += n
            m[1] += link
            m[2] += 1 if n >= 80 else 0
    if mass:
        parent, (n, link, long_p) = max(mass.items(), key=lambda kv: kv[1][0] - kv[1][1])
        shape.prose = n - link
        shape.prose_links = link / n if n else 0.0
        shape.paragraphs = long_p
    return shape


# ------------------------------------------------------------------ the classifier


def _og_type(ix: PageIndex) -> str | None:
    for meta in ix.tagged("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key == "og:type":
            return (meta.get("content") or "").strip().lower() or None
    return None


def is_product_page(ix: PageIndex) -> bool:
    """The page presents a product (schema.org ``Product`` in its JSON-LD or as a top-level
    microdata item, or ``og:type`` product): its reviews are readers' posts about it."""
    og = _og_type(ix) or ""
    if og == "product" or og.startswith("product."):
        return True
    jsonld, micro = _declared_types(ix)
    return "product" in jsonld or "product" in micro


_DATE_META = {
    "article:published_time",
    "og:article:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "datepublished",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "sailthru.date",
    "parsely-pub-date",
}


def _dated(ix: PageIndex, url: str) -> bool:
    """Whether the page states a publication date (meta, microdata, <time>, address)."""
    for meta in ix.tagged("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        if key in _DATE_META and meta.get("content"):
            return True
    if ix.equal("itemprop", "datePublished") or ix.tagged("time"):
        return True
    return bool(_DATED_SLUG.search(urlsplit(url).path))


def _links_outweigh(shape: _Shape, ix: PageIndex) -> bool:
    """Outside the page's nav/header/footer/aside, more link text than other text."""
    shape.measure(ix)
    return shape.link_text > max(shape.text, 200)


def classify_page(
    tree: HtmlElement,
    url: str,
    hints: PageHints | None = None,
    index: PageIndex | None = None,
) -> PageKind:
    """The page's kind, with the reason. Never raises on odd markup."""
    hints = hints or PageHints()
    if hints.status >= 400:
        return PageKind("other", f"http status {hints.status}")
    ctype = (hints.content_type or "").split(";", 1)[0].strip().lower()
    if ctype and ctype not in ("text/html", "application/xhtml+xml"):
        return PageKind("other", f"content type {ctype}")
    ix = page_index(tree, index)
    root = _is_root(url)
    if root and hints.is_start:
        return PageKind("listing", "site root (start)")

    jsonld, micro = _declared_types(ix)
    declared = jsonld + micro
    arts = [t for t in declared if t in _ARTICLE_TYPES]
    lists = [t for t in declared if t in _LISTING_TYPES]
    others = [t for t in declared if t in _OTHER_TYPES]
    strong = [t for t in others if t not in _WEAK_OTHER]
    src = "json-ld" if jsonld else "microdata"
    shape = _shape(ix, url)
    dense = shape.prose >= 1200 and shape.prose_links < 0.3 and shape.paragraphs >= 3
    parts = urlsplit(url)
    host, path = parts.netloc.rsplit("@", 1)[-1].lower(), parts.path

    if strong and not arts:
        return PageKind("other", f"{src} {_show(strong[0])}")
    url_kind = _url_kind(url)
    if root:
        return PageKind("listing", "site root")
    if url_kind is not None and url_kind[0] == "listing":
        return PageKind(*url_kind)
    # Forum and documentation software's address shapes outweigh the article type such
    # sites often put on every page (a thread or a manual chapter is no news article).
    dated_slug = bool(_DATED_SLUG.search(urlsplit(strip_comment_page(url)).path))
    if not dated_slug and (_FORUM.search(path) or _FORUM_HOST.match(host)):
        return PageKind("other", "forum address")
    if not dated_slug and (_DOCS.search(path) or _DOCS_HOST.match(host)):
        return PageKind("other", "documentation address")
    if lists and not arts and not dense:
        return PageKind("listing", f"{src} {_show(lists[0])}")
    if arts:
        # An article type beside an FAQ, product or list block is still the article;
        # beside a forum thread or a docs type it is the page's frame.
        if strong:
            return PageKind("other", f"{src} {_show(strong[0])}")
        return PageKind("article", f"{src} {_show(arts[0])}")
    if others and not dense:  # FAQ or product blocks alone
        return PageKind("other", f"{src} {_show(others[0])}")
    if url_kind is not None:
        return PageKind(*url_kind)
    dated = "@dated" in jsonld or _dated(ix, url)
    buttons = len(ix.tagged("button"))
    if buttons >= 20 and not dated:
        if _links_outweigh(shape, ix):
            return PageKind("listing", "links outweigh text")
        return PageKind("other", f"controls without a date ({buttons} buttons)")
    og = _og_type(ix)
    if og == "article":
        if shape.teasers >= 6 and not dense and shape.measure(ix).link_text > 2 * shape.text:
            return PageKind("listing", f"repeated teasers ({shape.teasers})")
        return PageKind("article", "og:type article")
    if shape.teasers >= 6 and not dense:
        return PageKind("listing", f"repeated teasers ({shape.teasers})")
    if og == "website" and shape.paragraphs < 5:
        if shape.teasers >= 4:
            return PageKind("listing", f"repeated teasers ({shape.teasers})")
        if _links_outweigh(shape, ix):
            return PageKind("listing", "links outweigh text")
        return PageKind("other", f"og:type website, {shape.paragraphs} paragraphs")
    if dense:
        return PageKind("article", f"prose body ({shape.prose} chars)")
    if shape.teasers >= 4:
        return PageKind("listing", f"repeated teasers ({shape.teasers})")
    if shape.prose >= 600 and shape.prose_links < 0.3:
        return PageKind("article", f"prose body ({shape.prose} chars)")
    if dated_slug:
        return PageKind("article", "dated address with a slug")
    if shape.measure(ix).text >= 500 and shape.link_text < shape.text:
        return PageKind("article", f"text mass ({shape.text} chars)")
    if _links_outweigh(shape, ix):
        return PageKind("listing", "links outweigh text")
    return PageKind("other", f"little prose ({shape.prose} chars)")
