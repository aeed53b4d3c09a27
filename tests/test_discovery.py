"""Discovery beside the chain: sitemaps, feeds and listing pages, and a whole crawl of the
WordPress block theme (no previous/next links at all) from its home page."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from scraper import discovery
from scraper.demosite import DemoServer, build_site
from scraper.demosite.pages import render_feed, render_sitemap
from scraper.demosite.routes import resolve
from scraper.extract.dom import parse_html
from scraper.extract.urls import canonicalize_url
from tests.capture_server import WORDPRESS, serve_capture
from tests.crawling import db_rows, run_crawl

TRUTH = json.loads((WORDPRESS / "truth.json").read_text("utf-8"))
POSTS = TRUTH["posts"]
SITE = build_site(36)
BASE = "http://demo.test"
TT2 = WORDPRESS / "twentytwentytwo" / "site"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&lol3;</loc></url></urlset>
"""


# -- sitemaps ---------------------------------------------------------------------------


def test_sitemap_urls_and_lastmod() -> None:
    doc = discovery.parse_sitemap(render_sitemap(SITE, BASE).encode())
    assert doc.kind == "urlset"
    newest = SITE.articles[-1]
    entry = next(e for e in doc.entries if e.loc == BASE + newest.path)
    assert entry.lastmod == (newest.modified_at or newest.published_at)
    assert len(doc.entries) == len(SITE.articles) + 1  # and the home page


def test_sitemap_index_and_what_it_skips() -> None:
    doc = discovery.parse_sitemap((TT2 / "wp-sitemap.xml").read_bytes())
    assert doc.kind == "sitemapindex"
    kept = [e.loc for e in doc.entries if not discovery.skip_sitemap(e.loc)]
    assert [u.rsplit("/", 1)[1] for u in kept] == ["wp-sitemap-posts-post-1.xml"]


def test_news_sitemap_publication_date_and_gzip() -> None:
    body = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://n.example/a/</loc><news:news><news:publication>
<news:name>N</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-05-01T10:00:00+02:00</news:publication_date>
<news:title>A</news:title></news:news></url></urlset>"""
    doc = discovery.parse_sitemap(gzip.compress(body))
    assert doc.entries == (
        discovery.SitemapEntry("https://n.example/a/", None, "2024-05-01T10:00:00+02:00"),
    )


def test_entity_bomb_is_refused_before_parsing() -> None:
    with pytest.raises(discovery.HostileDocument, match="DTD"):
        discovery.parse_sitemap(BILLION_LAUGHS)


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<" + b" " * (8 * 1024 * 1024))
    with pytest.raises(discovery.HostileDocument, match="inflates past"):
        discovery.parse_sitemap(bomb, max_bytes=1024 * 1024)


def test_oversized_xml_is_refused() -> None:
    with pytest.raises(discovery.HostileDocument, match="exceeds"):
        discovery.parse_sitemap(b"<urlset>" + b" " * 2048 + b"</urlset>", max_bytes=1024)


def test_robots_sitemap_lines() -> None:
    robots = "User-agent: *\nDisallow: /private/\n\nSitemap: http://demo.test/sitemap.xml\n"
    assert discovery.robots_sitemaps(robots) == ["http://demo.test/sitemap.xml"]


# -- feeds ------------------------------------------------------------------------------


def test_rss_feed_entries_with_comment_counts() -> None:
    entries = discovery.parse_feed(render_feed(SITE, BASE).encode(), BASE + "/feed/")
    newest = SITE.articles[-1]
    assert entries[0] == discovery.FeedEntry(
        BASE + newest.path, entries[0].updated, newest.comment_count
    )
    assert len(entries) == 20


def test_atom_feed_entries() -> None:
    body = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
<entry><title>A</title><link rel="alternate" href="/2024/a/"/><updated>2024-05-01T00:00:00Z</updated></entry>
<entry><title>B</title><link href="https://n.example/2024/b/"/></entry></feed>"""
    entries = discovery.parse_feed(body, "https://n.example/feed.atom")
    assert [e.url for e in entries] == ["https://n.example/2024/a/", "https://n.example/2024/b/"]
    assert entries[0].updated == "2024-05-01T00:00:00Z"


def test_wordpress_feed_links_leave_out_the_comments_feed() -> None:
    tree = parse_html((TT2 / "index.html").read_bytes())
    assert discovery.feed_links(tree, "http://127.0.0.1:8081/") == ["http://127.0.0.1:8081/feed/"]


def test_json_feed_entries() -> None:
    body = json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "N",
            "items": [
                {"id": "1", "url": "/2024/a/", "date_published": "2024-05-01T00:00:00Z"},
                {"id": "2", "url": "https://n.example/2024/b/", "date_modified": "2024-05-02"},
                {"id": "3", "content_text": "no url"},
                "not an item",
            ],
        }
    ).encode()
    entries = discovery.parse_feed(body, "https://n.example/feed.json")
    assert entries == [
        discovery.FeedEntry("https://n.example/2024/a/", "2024-05-01T00:00:00Z"),
        discovery.FeedEntry("https://n.example/2024/b/", "2024-05-02"),
    ]
    with pytest.raises(discovery.HostileDocument, match="exceeds"):
        discovery.parse_feed(b"{" + b" " * 2048 + b"}", "https://n.example/", max_bytes=1024)
    with pytest.raises(discovery.HostileDocument, match="not a JSON feed"):
        discovery.parse_feed(b"{broken", "https://n.example/")


def test_feed_links_rss_atom_and_json_feed_but_no_api_alternates() -> None:
    tree = parse_html(
        b"<html><head>"
        b'<link rel="alternate" type="application/atom+xml" href="/feeds/all.atom.xml">'
        b'<link rel="alternate" type="application/feed+json" href="/feed.json">'
        b'<link rel="alternate" type="application/json" href="/wp-json/wp/v2/posts/7">'
        b'<link rel="alternate" type="application/json" href="/feed/json">'
        b'<link rel="alternate" hreflang="de" href="/de/">'
        b"</head><body></body></html>"
    )
    assert discovery.feed_links(tree, "https://n.example/x/") == [
        "https://n.example/feeds/all.atom.xml",
        "https://n.example/feed.json",
        "https://n.example/feed/json",
    ]


@pytest.mark.parametrize(
    ("here", "href", "expected"),
    [
        ("https://n.example/", "https://n.example/page/2/", True),
        ("https://n.example/", "https://n.example/index2.html", True),
        ("https://n.example/index2.html", "https://n.example/index3.html", True),
        ("https://n.example/category/news.html", "https://n.example/category/news2.html", True),
        ("https://n.example/news/", "https://n.example/news/?page=3", True),
        ("https://n.example/", "https://n.example/?paged=2", True),
        ("https://n.example/", "https://n.example/?p=2", False),  # WordPress's article id
        ("https://n.example/", "https://n.example/story-40-flood.html", False),
        ("https://n.example/", "https://n.example/2024/05/01/a-story/", False),
        ("https://n.example/news/", "https://n.example/sport/page/2/", True),
        ("https://n.example/category/news.html", "https://n.example/category/sport2.html", False),
        ("https://n.example/", "https://other.example/index2.html", False),
    ],
)
def test_pagination_links(here: str, href: str, expected: bool) -> None:
    assert discovery.is_pagination(here, href) is expected


def test_numbered_listing_pages_are_pagination() -> None:
    tree = parse_html(
        b"<html><body><h2><a href='/story-1.html'>One</a></h2><h2><a href='/story-2.html'>"
        b"Two</a></h2><ul><li><a href='/index2.html'>2</a></li><li><a href='/index3.html'>3"
        b"</a></li></ul></body></html>"
    )
    links = discovery.listing_links(tree, "https://n.example/")
    assert links.articles == ["https://n.example/story-1.html", "https://n.example/story-2.html"]
    assert links.pages == ["https://n.example/index2.html", "https://n.example/index3.html"]
    assert links.next_page == "https://n.example/index2.html"


# -- listing pages ----------------------------------------------------------------------


def test_demo_home_is_a_listing_with_pagination() -> None:
    home = resolve(SITE, BASE, "/")
    tree = parse_html(home.body)
    assert discovery.is_listing(tree, BASE + "/")
    links = discovery.listing_links(tree, BASE + "/")
    newest_ten = [BASE + a.path for a in reversed(SITE.articles[-10:])]
    assert [u for u in links.articles if u in newest_ten] == newest_ten
    assert BASE + "/page/2/" in links.pages


def test_articles_are_not_listings() -> None:
    page = resolve(SITE, BASE, SITE.articles[5].path)
    assert not discovery.is_listing(parse_html(page.body), BASE + SITE.articles[5].path)
    post = TT2 / POSTS[3]["url"].split("8081/", 1)[1] / "index.html"
    assert not discovery.is_listing(parse_html(post.read_bytes()), POSTS[3]["url"])


def test_block_theme_home_lists_posts_and_pages() -> None:
    tree = parse_html((TT2 / "index.html").read_bytes())
    links = discovery.listing_links(tree, "http://127.0.0.1:8081/")
    assert discovery.is_listing(tree, "http://127.0.0.1:8081/")
    assert set(links.articles) <= {p["url"] for p in POSTS}
    assert len(links.articles) == 10
    assert "http://127.0.0.1:8081/page/2/" in links.pages


# -- whole crawls -----------------------------------------------------------------------


def test_block_theme_from_its_home_page_archives_every_post(tmp_path: Path) -> None:
    """twentytwentytwo prints no previous/next links: listings, sitemap and feed find all."""
    db = tmp_path / "archive.db"
    with serve_capture("twentytwentytwo") as site:
        run_crawl(site.origin + "/", db)
        requested = list(site.requests)
        want = sorted(canonicalize_url(site.url(p["url"])) for p in POSTS)
    got = sorted(r["canonical_url"] for r in db_rows(db, "select canonical_url from articles"))
    assert got == want
    comments = db_rows(db, "select count(*) n from comments")[0]["n"]
    assert comments == sum(len(p["comments"]) for p in POSTS)
    (crawl,) = db_rows(db, "select * from crawls")
    assert crawl["status"] == "finished" and crawl["articles_new"] == 60
    discovered = json.loads(crawl["discovered"])
    assert discovered["listing"] > 0 and discovered["sitemap"] > 0
    chain = json.loads(crawl["chain"])
    assert (chain["articles"], chain["linked"], chain["unlinked"]) == (60, 0, 60)
    # Every post page once; the sitemap index's taxonomy and user sitemaps never.
    posts = [p for p in requested if p.count("/") >= 4 and "/page/" not in p]
    assert len(posts) == len(set(posts))
    assert not [p for p in requested if "taxonomies" in p or "users" in p]
    assert "/wp-sitemap-posts-post-1.xml" in requested and "/feed/" in requested


def test_demo_from_its_home_page_with_chain_and_discovery(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE) as server:
        # incremental=0: follow every listing page, even those that show only articles
        # this run already has from the sitemap.
        run_crawl(server.url + "/", db, "incremental=0")
        paths = server.requested_paths()
    got = {r["canonical_url"] for r in db_rows(db, "select canonical_url from articles")}
    assert got == {server.url + a.path for a in SITE.articles}
    assert "/sitemap.xml" in paths and "/feed/" in paths and "/page/4/" in paths
    article_paths = [p for p in paths if p in {a.path for a in SITE.articles}]
    assert len(article_paths) == len(set(article_paths)) == len(SITE.articles)
    (crawl,) = db_rows(db, "select chain from crawls")
    chain = json.loads(crawl["chain"])
    assert (chain["segments"], chain["breaks_total"], chain["cycles"]) == (1, 0, [])


def test_explicit_discover_sources_from_an_article(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE) as server:
        run_crawl(server.url + SITE.articles[-1].path, db, "discover=sitemap", "direction=older")
        paths = server.requested_paths()
    assert "/sitemap.xml" in paths and "/feed/" not in paths
    assert not [p for p in paths if p.startswith("/page/")]
    assert len(db_rows(db, "select 1 from articles")) == len(SITE.articles)


def test_bad_discover_argument_is_one_line(tmp_path: Path) -> None:
    from archive.demo import CrawlFailed

    with pytest.raises(CrawlFailed, match="discover must be"):
        run_crawl("http://127.0.0.1:9/", tmp_path / "a.db", "discover=rss")


# -- routing decisions ------------------------------------------------------------------


def test_page_route_trusts_the_verdict_except_for_a_start_url_at_the_site_root() -> None:
    from scraper.crawlplan import page_route

    assert page_route("article", "https://n.example/a/") == "article"
    assert page_route("listing", "https://n.example/tag/x/") == "listing"
    assert page_route("other", "https://n.example/about/") == "other"
    assert page_route("nonsense", "https://n.example/x/") == "other"
    # A bare home page (a plain list of links) is still the home page when it is the start.
    assert page_route("other", "https://n.example/", is_start=True) == "listing"
    assert page_route("article", "https://n.example", is_start=True) == "listing"
    assert page_route("other", "https://n.example/", is_start=False) == "other"
    # Reached as an article's previous or next link: an article, unless a listing.
    assert page_route("other", "https://n.example/brief/", via_chain=True) == "article"
    assert page_route("listing", "https://n.example/page/2/", via_chain=True) == "listing"
    assert page_route("other", "https://n.example/b/", is_start=True, has_neighbours=True) == (
        "article"
    )
    assert page_route("other", "https://n.example/b/", has_neighbours=True) == "other"
    # Another page of a listing (its pagination) stays a listing, teaser prose or not.
    assert page_route("article", "https://n.example/index2.html", via_pagination=True) == (
        "listing"
    )


def test_discovery_starts_from_listings_non_article_starts_and_chainless_articles() -> None:
    from scraper.crawlplan import SHORT_CHAIN, short_chain, starts_discovery

    def starts(route: str, is_start: bool, auto: bool = True, neighbours: bool = True) -> bool:
        return starts_discovery(route, is_start=is_start, auto=auto, has_neighbours=neighbours)

    assert starts("listing", False) and starts("listing", True)
    assert starts("other", True) and not starts("other", False)
    assert not starts("article", True) and starts("article", True, neighbours=False)
    assert not starts("article", False, neighbours=False)
    assert not starts("listing", True, auto=False)  # explicit sources decide instead
    assert short_chain(SHORT_CHAIN - 1, room=True) and not short_chain(SHORT_CHAIN, room=True)
    assert not short_chain(1, room=False)  # max_articles reached
