"""From a request path to a response: the demo site's URL scheme, with no HTTP in it.

=============================================  ==========================================
``/``, ``/page/N/``                            home: newest 10 articles a page
``/YYYY/MM/DD/slug/``                          article (comment page 1, the oldest)
``/YYYY/MM/DD/slug/comment-page-N/``           comment page N (canonical: the article)
``/YYYY/MM/DD/slug``                           301 to the slash form
``/?p=ID``                                     301 to the article (WordPress shortlink)
``/category/S/``, ``/tag/T/``, ``/author/A/``  listings (``…/page/N/`` too)
``/robots.txt``, ``/sitemap.xml``, ``/feed/``  robots, all articles with lastmod, RSS 2.0
``/comments/feed/``                            the newest comments, site-wide (RSS 2.0)
``/private/secret-draft/``                     disallowed by robots.txt, served if asked
``/about/``, ``/contact/``, ``/privacy-policy/``  static pages
``/wp-content/…``                              images (PNG), theme CSS and JS
=============================================  ==========================================

Any other query string (``?utm_source=…``, ``?replytocom=…``) serves the page as it is.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from scraper.demosite.content import DemoArticle, Site, slugify
from scraper.demosite.pages import (
    STATIC_PAGES,
    render_comments_feed,
    render_feed,
    render_listing,
    render_not_found,
    render_private,
    render_robots,
    render_simple,
    render_sitemap,
)
from scraper.demosite.render import render_article

HTML = "text/html; charset=UTF-8"

_ARTICLE = re.compile(r"^(/\d{4}/\d{2}/\d{2}/[a-z0-9-]+/)(?:comment-page-(\d+)/)?$")
_LISTING = re.compile(r"^/(category|tag|author)/([a-z0-9-]+)/(?:page/(\d+)/)?$")
_HOME = re.compile(r"^/(?:page/(\d+)/)?$")


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes
    last_modified: int | None = None  # UTC epoch seconds
    location: str | None = None
    links: tuple[str, ...] = ()  # values of HTTP Link headers


def _png(rgb: tuple[int, int, int]) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixel = zlib.compress(b"\x00" + bytes(rgb))
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixel) + chunk(b"IEND", b"")


PNG = _png((77, 178, 236))
CSS = b".td-header-wrap{background:#fff}.td-post-content{font-size:15px;line-height:26px}\n"
JS = b"/* tagDiv theme bundle (demo) */\nwindow.tdSmartSidebar={init:function(){}};\n"
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _html(body: str, status: int = 200, last_modified: int | None = None) -> Response:
    return Response(status, HTML, body.encode("utf-8"), last_modified)


def not_found(site: Site, base: str) -> Response:
    return _html(render_not_found(site, base), 404)


def redirect(location: str, status: int = 301) -> Response:
    return Response(status, HTML, b"", location=location)


def article_for(site: Site, path: str, query: str = "") -> DemoArticle | None:
    """The article a path (or a ``/?p=ID`` shortlink) shows, if any."""
    if path == "/" and query:
        ids = parse_qs(query).get("p", [])
        return site.by_post_id(int(ids[0])) if ids and ids[0].isdigit() else None
    m = _ARTICLE.match(path if path.endswith("/") else path + "/")
    return site.by_path(m.group(1)) if m else None


def resolve(site: Site, base: str, target: str) -> Response:
    """The response to ``GET target`` (path plus query) on the site served at ``base``."""
    parts = urlsplit(target)
    path, query = parts.path or "/", parts.query
    newest = site.articles[-1].last_modified_ts

    if path == "/" and "p" in parse_qs(query):
        a = article_for(site, path, query)
        return redirect(base + a.path) if a else not_found(site, base)
    if m := _ARTICLE.match(path):
        a = site.by_path(m.group(1))
        page_no = int(m.group(2) or 1)
        if a is None and m.group(1) in site.gone:  # deleted from the site
            return _html(render_not_found(site, base), 410)
        if a is None or page_no < 1 or page_no > a.comment_pages:
            return not_found(site, base)
        if a.path in site.gone:
            return _html(render_not_found(site, base), 410)
        last = max([a.last_modified_ts, a.page_modified_ts or 0, *(s.ts for s in a.comment_stubs)])
        body = render_article(site, a, base, page_no).encode("utf-8")
        return Response(200, HTML, body, last, links=(f"<{base}/?p={a.post_id}>; rel=shortlink",))
    if _ARTICLE.match(path + "/") and site.by_path(path + "/"):
        return redirect(base + path + "/" + (f"?{query}" if query else ""))
    if m := _HOME.match(path):
        listing = render_listing(
            site,
            base,
            articles=list(reversed(site.articles)),
            prefix="/",
            page_no=int(m.group(1) or 1),
            title=site.name,
            body_class="home blog",
        )
        return _html(listing, last_modified=newest) if listing else not_found(site, base)
    if m := _LISTING.match(path):
        return _listing(site, base, m.group(1), m.group(2), int(m.group(3) or 1))
    if path == "/robots.txt":
        return Response(200, "text/plain; charset=utf-8", render_robots(base).encode())
    if path == "/sitemap.xml":
        body = render_sitemap(site, base).encode("utf-8")
        return Response(200, "application/xml; charset=UTF-8", body, newest)
    if path in ("/comments/feed/", "/comments/feed"):
        body = render_comments_feed(site, base).encode("utf-8")
        return Response(200, "application/rss+xml; charset=UTF-8", body)
    if path in ("/feed/", "/feed"):
        body = render_feed(site, base).encode("utf-8")
        return Response(200, "application/rss+xml; charset=UTF-8", body, newest)
    if path == "/private/secret-draft/":
        return _html(render_private(site, base))
    if path in STATIC_PAGES:
        title, body = STATIC_PAGES[path]
        return _html(render_simple(site, base, path, title, body))
    if path.startswith("/wp-content/"):
        return _asset(site, base, path)
    return not_found(site, base)


def _listing(site: Site, base: str, kind: str, slug: str, page_no: int) -> Response:
    if kind == "category":
        section = next((s for s in site.sections if s.slug == slug), None)
        articles = site.in_section(slug) if section else []
        title = f"{section.name} Archives" if section else ""
    elif kind == "tag":
        articles = site.with_tag(slug)
        title = f"{_tag_name(articles, slug)} Archives"
    else:
        author = next((x for x in site.authors if x.slug == slug), None)
        articles = site.by_author(slug) if author else []
        title = f"{author.name}, Author at" if author else ""
    if not articles:
        return not_found(site, base)
    listing = render_listing(
        site,
        base,
        articles=articles,
        prefix=f"/{kind}/{slug}/",
        page_no=page_no,
        title=title,
        body_class=f"archive {kind} {kind}-{slug}",
    )
    if listing is None:
        return not_found(site, base)
    return _html(listing, last_modified=articles[0].last_modified_ts)


def _tag_name(articles: list[DemoArticle], slug: str) -> str:
    return next(t for t in articles[0].tags if slugify(t) == slug)


def _asset(site: Site, base: str, path: str) -> Response:
    if path.endswith(".png"):
        return Response(200, "image/png", PNG)
    if path.endswith(".css"):
        return Response(200, "text/css; charset=UTF-8", CSS)
    if path.endswith(".js"):
        return Response(200, "application/javascript; charset=UTF-8", JS)
    return not_found(site, base)
