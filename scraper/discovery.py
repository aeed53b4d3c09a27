"""Finding article URLs beside the previous/next chain: sitemaps, feeds, listing pages.

Pure functions of (body or tree, URL), like extraction: no network, clock or database.
XML from the network is hostile until proven otherwise: a document with a DTD (the only
way to declare entities, hence entity bombs) is refused outright, entities are never
resolved, nothing is loaded over the network, and bodies above a size limit are refused
before parsing (gzip sitemaps are inflated with a limit too).
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

from .extract.urls import canonicalize_url, host_of

__all__ = [
    "MAX_XML_BYTES",
    "FeedEntry",
    "HostileDocument",
    "Listing",
    "SitemapDoc",
    "SitemapEntry",
    "feed_links",
    "is_listing",
    "is_listing_url",
    "is_pagination",
    "listing_links",
    "parse_feed",
    "parse_sitemap",
    "robots_sitemaps",
    "skip_sitemap",
]

# The sitemap protocol caps a sitemap at 50 MB uncompressed; news sitemaps are far smaller.
MAX_XML_BYTES = 50 * 1024 * 1024
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_LISTING_PATH = re.compile(
    r"^/(?:$|page/\d+/?$|(?:category|tag|author|topics?|section|search|feed|comments|"
    r"wp-admin|wp-content|wp-json|wp-includes|wp-login\.php)(?:/|$))"
)
_PAGE_PATH = re.compile(r"/page/\d+/?$")
_PAGE_QUERY = re.compile(r"(?:^|&)(?:page|paged|pg)=\d+(?:&|$)", re.IGNORECASE)
_NUMBERED = re.compile(r"[-_]?\d+(?=(?:\.[a-z]{2,5})?$)", re.IGNORECASE)
_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")
_LISTING_CLASSES = frozenset(
    {"home", "blog", "archive", "category", "tag", "author", "date", "search", "paged"}
)
_ARTICLE_CLASSES = frozenset({"single", "single-post", "post-template-default", "page-template"})
# Child sitemaps of a sitemap index that list no articles (WordPress core and Yoast names).
_SKIP_SITEMAP = re.compile(
    r"(taxonom|users?[-_]|author|category|post_tag|[-_]tag[-_]|wp-sitemap-posts-page|page-sitemap)",
    re.IGNORECASE,
)


_FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/feed+json"})


class HostileDocument(ValueError):
    """A sitemap or feed refused before parsing: too big, compressed too far, or with a
    DTD (entity declarations). ``str()`` is the reason recorded in the crawl's row."""


# -- sitemaps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str | None = None  # as written (W3C datetime)
    news_date: str | None = None  # news:publication_date


@dataclass(frozen=True)
class SitemapDoc:
    kind: str  # "urlset" or "sitemapindex"
    entries: tuple[SitemapEntry, ...]


def _safe_xml(body: bytes, max_bytes: int) -> bytes:
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=max_bytes)
        except ValueError as exc:  # scrapy raises _DecompressionMaxSizeExceeded(ValueError)
            raise HostileDocument(f"gzip body inflates past {max_bytes} bytes") from exc
        except OSError as exc:
            raise HostileDocument(f"bad gzip body: {exc}") from exc
    if len(body) > max_bytes:
        raise HostileDocument(f"XML body of {len(body)} bytes exceeds {max_bytes}")
    if _DTD.search(body[:65536]) or _DTD.search(body):
        raise HostileDocument("XML with a DTD or entity declarations refused")
    return body


# How every sitemap and feed is read: no entities, network, DTDs or huge trees; broken
# documents read as far as they go.
_XML_OPTIONS: dict[str, bool] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "recover": True,
    "remove_comments": True,
    "remove_pis": True,
}


def _parser() -> etree.XMLParser:
    return etree.XMLParser(**_XML_OPTIONS)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _child_text(el: etree._Element, name: str) -> str | None:
    for child in el.iter():
        if _local(child.tag) == name and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, max_bytes: int = MAX_XML_BYTES) -> SitemapDoc:
    """A sitemap (``urlset``, news sitemaps included) or sitemap index, gzip or not.
    Raises :class:`HostileDocument` for what must not be parsed.

    Read as a stream, each entry dropped once read: a 44 MB sitemap of 300,000 URLs took
    251 MB over the process's size as one tree and 37 MB so (measured with ru_maxrss)."""
    body = _safe_xml(body, max_bytes)
    if not body.strip():
        return SitemapDoc("urlset", ())
    kind: str | None = None
    item = "url"
    entries = []
    depth = 0
    events = etree.iterparse(io.BytesIO(body), events=("start", "end"), **_XML_OPTIONS)
    try:
        for event, el in events:
            if event == "start":
                depth += 1
                if kind is None:
                    kind = _local(el.tag)
                    item = "sitemap" if kind == "sitemapindex" else "url"
                continue
            depth -= 1
            if depth != 1:
                continue
            if _local(el.tag) == item:
                loc = _child_text(el, "loc")
                if loc:
                    entries.append(
                        SitemapEntry(
                            loc, _child_text(el, "lastmod"), _child_text(el, "publication_date")
                        )
                    )
            el.clear()
            parent = el.getparent()
            if parent is not None:  # what is read is let go
                while el.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError:
        pass  # what was read before the document broke off stands (as recover does)
    return SitemapDoc("sitemapindex" if kind == "sitemapindex" else "urlset", tuple(entries))


def robots_sitemaps(robots_text: str | bytes) -> list[str]:
    """The ``Sitemap:`` URLs of a robots.txt (Scrapy's own reader)."""
    if isinstance(robots_text, str):
        robots_text = robots_text.encode("utf-8")
    return list(sitemap_urls_from_robots(robots_text))


def skip_sitemap(url: str) -> bool:
    """A child sitemap that lists taxonomies, authors or static pages, not articles."""
    return bool(_SKIP_SITEMAP.search(urlsplit(url).path + "?" + urlsplit(url).query))


# -- feeds ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedEntry:
    url: str
    updated: str | None = None
    comments: int | None = None  # slash:comments / thr:total, when the feed says
    comment: bool = False  # an entry of a comments feed: ``url`` is the commented article


def _parse_json_feed(body: bytes, base_url: str, max_bytes: int) -> list[FeedEntry]:
    """Entries of a JSON Feed (version 1 or 1.1): ``items[].url`` (else ``external_url``
    is not the article and is left out), ``date_modified`` else ``date_published``."""
    if len(body) > max_bytes:
        raise HostileDocument(f"JSON body of {len(body)} bytes exceeds {max_bytes}")
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HostileDocument(f"not a JSON feed: {exc}") from exc
    items = doc.get("items") if isinstance(doc, dict) else None
    out: list[FeedEntry] = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        link = item.get("url")
        if not isinstance(link, str) or not link.strip():
            continue
        updated = item.get("date_modified") or item.get("date_published")
        out.append(
            FeedEntry(
                urljoin(base_url, link.strip()), updated if isinstance(updated, str) else None
            )
        )
    return out


def parse_feed(body: bytes, base_url: str, max_bytes: int = MAX_XML_BYTES) -> list[FeedEntry]:
    """Entries of an RSS 2.0, Atom or JSON Feed, newest first as the feed lists them."""
    if body.lstrip()[:1] in (b"{", b"["):
        return _parse_json_feed(body.lstrip(), base_url, max_bytes)
    body = _safe_xml(body, max_bytes)
    root = etree.fromstring(body, _parser()) if body.strip() else None
    if root is None:
        return []
    out: list[FeedEntry] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "item":
            link = _child_text(el, "link")
            updated = _child_text(el, "pubdate") or _child_text(el, "updated")
        elif name == "entry":
            link = next(
                (
                    a.get("href")
                    for a in el
                    if _local(a.tag) == "link" and a.get("rel", "alternate") == "alternate"
                ),
                None,
            )
            updated = _child_text(el, "updated") or _child_text(el, "published")
        else:
            continue
        if not link:
            continue
        # slash:comments (RSS; <comments> is the comments page URL) or thr:total (Atom).
        count = next(
            (
                c.text.strip()
                for c in el
                if _local(c.tag) in ("comments", "total") and (c.text or "").strip().isdigit()
            ),
            None,
        )
        url = urljoin(base_url, link.strip())
        is_comment = "#comment-" in url
        if is_comment:  # .../comment-page-2/#comment-123 → the article
            url = _COMMENT_PAGE.sub("/", url.split("#", 1)[0])
        out.append(
            FeedEntry(url, updated, int(count) if count and count.isdigit() else None, is_comment)
        )
    return out


def feed_links(tree: HtmlElement, url: str, *, comments: bool = False) -> list[str]:
    """The page's article feeds (``<link rel=alternate>`` RSS, Atom, JSON Feed), or with
    ``comments=True`` its comment feeds (WordPress's ``/comments/feed/``)."""
    out = []
    for link in tree.xpath(
        "//link[contains(concat(' ', normalize-space(@rel), ' '), ' alternate ')][@href]"
    ):
        kind = (link.get("type") or "").lower().split(";", 1)[0].strip()
        href = urljoin(url, link.get("href"))
        # application/json alternates are usually an API's view of the page (WordPress's
        # /wp-json/); only one whose address says feed is taken as a JSON Feed.
        json_feed = kind == "application/json" and "feed" in urlsplit(href).path.lower()
        if not json_feed and kind not in _FEED_TYPES:
            continue
        title = (link.get("title") or "").lower()
        if ("comment" in title or "/comments/" in href) == comments:
            out.append(href)
    return out


# -- listing pages ----------------------------------------------------------------------


@dataclass
class Listing:
    articles: list[str] = field(default_factory=list)  # in page order, newest first usually
    pages: list[str] = field(default_factory=list)  # other pages of this listing
    next_page: str | None = None  # the page after this one (rel=next, else page N+1)


def is_listing_url(url: str) -> bool:
    """Home, pagination, section/tag/author archives, feeds: never an article."""
    return bool(_LISTING_PATH.match(urlsplit(url).path or "/"))


def _page_shape(path: str) -> str:
    """A listing page's path without its page number: ``/index2.html``, ``/index.html``
    and ``/`` are one listing, as are ``/category/news3.html`` and ``/category/news.html``."""
    if path.endswith("/"):
        path += "index.html"
    head, _, last = path.rpartition("/")
    return head + "/" + _NUMBERED.sub("", last)


def is_pagination(here: str, href: str, rel: list[str] | tuple[str, ...] = ()) -> bool:
    """``href`` is another page of the listing at ``here``: ``rel=next``/``prev``, a
    ``/page/N/`` path, a ``?page=N`` query (also ``paged``, ``pg``; not ``p``, WordPress's article id), or the same
    path with a page number on its last segment (``index2.html``, ``news-3.html``)."""
    if "next" in rel or "prev" in rel:
        return True
    parts, base = urlsplit(href), urlsplit(here)
    if parts.netloc != base.netloc:
        return False
    if _PAGE_PATH.search(parts.path) or _PAGE_QUERY.search(parts.query):
        return True
    if parts.path == base.path:
        return False
    numbered = bool(_NUMBERED.search(parts.path.rsplit("/", 1)[-1]))
    return numbered and _page_shape(parts.path) == _page_shape(base.path or "/")


def _body_classes(tree: HtmlElement) -> set[str]:
    body = tree.find(".//body") if tree.tag != "body" else tree
    return set((body.get("class") or "").split()) if body is not None else set()


def listing_links(tree: HtmlElement, url: str) -> Listing:
    """Article links (headline links of the teasers) and pagination links of a listing."""
    host = host_of(url)
    here = canonicalize_url(url)
    listing = Listing()
    seen: set[str] = {here}
    for a in tree.xpath(
        "//*[self::h1 or self::h2 or self::h3 or self::h4]//a[@href]"
        " | //article//a[@rel='bookmark'][@href]"
    ):
        href = urljoin(url, a.get("href")).split("#", 1)[0]
        if not href.startswith(("http://", "https://")) or host_of(href) != host:
            continue
        key = canonicalize_url(href)
        if key in seen or is_listing_url(href):
            continue
        seen.add(key)
        listing.articles.append(href)
    for a in tree.xpath("//a[@href] | //link[@rel='next'][@href]"):
        href = urljoin(url, a.get("href")).split("#", 1)[0]
        if host_of(href) != host:
            continue
        rel = (a.get("rel") or "").lower().split()
        if is_pagination(url, href, rel):
            key = canonicalize_url(href)
            if key not in seen:
                seen.add(key)
                listing.pages.append(href)
            if "next" in rel and listing.next_page is None:
                listing.next_page = href
    if listing.next_page is None:
        here_no = _page_number(url)
        later = [(n, u) for u in listing.pages if (n := _page_number(u)) > here_no]
        listing.next_page = min(later)[1] if later else None
    return listing


def _page_number(url: str) -> int:
    parts = urlsplit(url)
    m = (
        re.search(r"/page/(\d+)/?$", parts.path)
        or re.search(r"(?:^|&)(?:page|paged|pg)=(\d+)", parts.query, re.IGNORECASE)
        or _NUMBERED.search(parts.path.rsplit("/", 1)[-1])
    )
    return int(m.group(0).lstrip("-_") if m.lastindex is None else m.group(1)) if m else 1


def is_listing(tree: HtmlElement, url: str) -> bool:
    """A home, section or archive page rather than an article: listing body classes (or a
    listing URL) and several teaser headlines, and no single-article body class."""
    classes = _body_classes(tree)
    if classes & _ARTICLE_CLASSES:
        return False
    if not (classes & _LISTING_CLASSES or is_listing_url(url)):
        return False
    return len(listing_links(tree, url).articles) >= 3
