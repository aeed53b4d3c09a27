"""The rendering fallback (``-s ARCHIVE_RENDER``, scraper/render.py): a thread only a script
builds is read from the page rendered in headless Chromium (Debian's, through
scrapy-playwright), and only when asked.

CI installs chromium (.ci/run); there a missing browser fails the crawl tests. Elsewhere
they are skipped when the browser is not installed.
"""

from __future__ import annotations

import os
from pathlib import Path

import lxml.html
import pytest
import scrapy
from scrapy.http import HtmlResponse
from twisted.python.failure import Failure

from archive.demo import CrawlFailed
from scraper.extract import extract_comments
from scraper.items import Article, Comment
from scraper.render import RenderSettingError, render_mode, should_render
from scraper.spiders.articles import ArticlesSpider
from scraper.spiders.threads import outputs
from tests.crawling import db_rows, run_crawl
from tests.render_site import THREAD, pages, serve_render_site

CHROMIUM = "/usr/bin/chromium"


def _browser_or_fail() -> None:
    if not Path(CHROMIUM).exists():
        message = f"headless browser not installed ({CHROMIUM}): apt-get install chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _html_thread(path: str) -> tuple[str | None, int]:
    thread = extract_comments(lxml.html.fromstring(pages()[path][1]), f"http://x.test{path}")
    return thread.comments_source, len(thread.comments)


def _article(source: str | None, comments: int = 0) -> Article:
    return Article(
        url="http://x.test/a/",
        canonical_url="http://x.test/a/",
        comments=[Comment(str(i), None, "A", None, "text") for i in range(comments)],
        comments_source=source,
    )


# -- detection and decision (pure) --------------------------------------------------------


def test_an_empty_comment_container_a_script_fills_is_detected() -> None:
    assert _html_thread("/news/scripted/") == ("script", 0)


def test_an_article_without_a_thread_is_not_taken_for_a_widget() -> None:
    assert _html_thread("/news/plain/") == ("none", 0)


def test_an_empty_container_with_no_sign_of_comments_is_not_a_widget() -> None:
    html = (
        "<html><body><article><h1>T</h1><p>Body text.</p></article>"
        '<div id="comments"></div><script src="/app.js"></script></body></html>'
    )
    thread = extract_comments(lxml.html.fromstring(html), "http://x.test/a/")
    assert thread.comments_source == "none"


def test_auto_renders_a_named_or_scripted_widget_with_no_comments() -> None:
    assert should_render("auto", _article("script")) == "script"
    assert should_render("auto", _article("facebook")) == "facebook"  # no adapter reads it
    assert should_render("auto", _article("disqus")) is None  # the Disqus adapter does


def test_auto_leaves_pages_without_a_widget_or_with_comments() -> None:
    for source in ("none", "html", "jsonld", "heuristic", "partial", None):
        assert should_render("auto", _article(source)) is None
    assert should_render("auto", _article("html", comments=2)) is None
    assert should_render("auto", _article("rendered:script")) is None


def test_auto_leaves_widgets_an_adapter_reads() -> None:
    assert should_render("auto", _article("disqus"), adapted=frozenset({"disqus"})) is None


def test_off_never_renders_and_always_renders_every_empty_thread() -> None:
    assert should_render("off", _article("script")) is None
    assert should_render("always", _article("none")) == "page"
    assert should_render("always", _article("facebook")) == "facebook"
    assert should_render("always", _article("html", comments=1)) is None
    assert should_render("always", _article("partial")) is None


def test_render_mode_is_checked() -> None:
    assert render_mode(None) == "off"
    assert render_mode(" Auto ") == "auto"
    with pytest.raises(RenderSettingError, match="ARCHIVE_RENDER"):
        render_mode("sometimes")


# -- crawls against the local site --------------------------------------------------------


def _comments(db: Path, path: str) -> list[tuple[str, str | None, str, str, str]]:
    rows = db_rows(
        db,
        "select c.comment_id, c.parent_id, c.author, c.published_at, c.text from comments c "
        f"where c.article_url like '%{path}' order by c.position",
    )
    return [tuple(row) for row in rows]  # type: ignore[misc]


def _sources(db: Path) -> dict[str, str]:
    rows = db_rows(db, "select canonical_url, comments_source from articles")
    return {row[0].split("/", 3)[3]: row[1] for row in rows}


def test_auto_mode_archives_the_rendered_thread_exactly(tmp_path: Path) -> None:
    _browser_or_fail()
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        result = run_crawl(f"{site.origin}/news/scripted/", db, settings={"ARCHIVE_RENDER": "auto"})
        assert _comments(db, "/news/scripted/") == [
            (cid, parent, author, created, text) for cid, parent, author, created, text in THREAD
        ]
        assert _sources(db) == {"news/scripted/": "rendered:script", "news/plain/": "none"}
        # the widget's page twice (plain, then in the browser), its neighbour once
        assert site.fetched("/news/scripted/") == 2
        assert site.fetched("/news/plain/") == 1
        assert site.fetched("/api/thread") == 1
        assert site.fetched("/robots.txt") == 1
    assert "'newsarchive/rendered': 1" in result.stderr
    # the capture of the plain fetch is the page's record; the rendered DOM is not kept
    captures = db_rows(db, "select url from captures where url like '%/news/scripted/'")
    assert len(captures) == 1


def test_without_render_the_thread_is_named_and_no_browser_starts(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        result = run_crawl(f"{site.origin}/news/scripted/", db)
        assert _comments(db, "/news/scripted/") == []
        assert _sources(db) == {"news/scripted/": "script", "news/plain/": "none"}
        assert site.fetched("/news/scripted/") == 1
        assert site.fetched("/static/thread.js") == 0
        assert site.fetched("/api/thread") == 0
    assert "playwright" not in result.stderr.lower()


def test_auto_mode_never_renders_a_page_without_a_widget(tmp_path: Path) -> None:
    _browser_or_fail()
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        result = run_crawl(
            f"{site.origin}/news/plain/",
            db,
            "direction=older",
            settings={"ARCHIVE_RENDER": "auto"},
        )
        assert _sources(db) == {"news/plain/": "none"}
        assert site.fetched("/news/plain/") == 1
    assert "newsarchive/rendered" not in result.stderr
    assert "playwright/browser_count" not in result.stderr


def test_an_unknown_render_mode_stops_the_crawl_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(CrawlFailed, match="cannot start the crawl: ARCHIVE_RENDER must be one of"):
        run_crawl("http://127.0.0.1:9/", tmp_path / "a.db", settings={"ARCHIVE_RENDER": "bogus"})


# -- the spider's route, from saved pages (no network, no browser) ------------------------

RENDERED_PAGE = Path(__file__).parent / "fixtures" / "render" / "scripted-rendered.html"
URL = "http://news.test/news/scripted/"


def _spider_for(mode: str) -> ArticlesSpider:
    spider = ArticlesSpider(start_url=URL)
    spider.rendering.mode = mode
    return spider


def _first_look(spider: ArticlesSpider) -> list[object]:
    body = pages()["/news/scripted/"][1].encode()
    request = scrapy.Request(URL, meta={"walk": "none"})
    return list(outputs(spider.parse_page(HtmlResponse(URL, body=body, request=request))))


def test_auto_mode_asks_for_the_page_in_the_browser_before_handing_the_article_over() -> None:
    [request] = _first_look(_spider_for("auto"))
    assert isinstance(request, scrapy.Request)
    assert request.url == URL
    assert request.meta["playwright"] is True
    assert request.dont_filter


def test_off_mode_hands_the_article_over_as_its_html_gave_it() -> None:
    [article] = _first_look(_spider_for("off"))
    assert isinstance(article, Article)
    assert (article.comments, article.comments_source) == ([], "script")


def test_the_rendered_page_s_thread_is_merged_into_the_article() -> None:
    spider = _spider_for("auto")
    [request] = _first_look(spider)
    rendered = HtmlResponse(URL, body=RENDERED_PAGE.read_bytes(), request=request)
    [article] = list(spider.parse_rendered_page(rendered))
    assert isinstance(article, Article)
    assert article.comments_source == "rendered:script"
    assert article.comment_count == 5
    assert article.sources["comments"] == article.sources["comment_count"] == "rendered:script"
    assert [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text) for c in article.comments
    ] == list(THREAD)
    assert [c.depth for c in article.comments] == [1, 2, 3, 1, 2]


def test_a_failed_rendering_keeps_the_article_as_its_html_gave_it() -> None:
    spider = _spider_for("auto")
    [request] = _first_look(spider)
    failure = Failure(TimeoutError("waiting for the thread"))
    failure.request = request  # type: ignore[attr-defined]
    [article] = list(spider.on_render_error(failure))
    assert isinstance(article, Article)
    assert (article.comments, article.comments_source) == ([], "script")
    assert spider.skipped["rendering failed"] == 1


def test_a_thread_in_a_frame_the_widget_adds_is_read_from_the_frame(tmp_path: Path) -> None:
    _browser_or_fail()
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        run_crawl(f"{site.origin}/news/framed/", db, settings={"ARCHIVE_RENDER": "auto"})
        assert site.fetched("/embed/thread.html") == 1
    assert _sources(db) == {"news/framed/": "rendered:script"}
    assert [row[:3] + row[4:] for row in _comments(db, "/news/framed/")] == [
        (cid, parent, author, text) for cid, parent, author, _, text in THREAD
    ]


def test_a_widget_that_waits_to_be_seen_is_scrolled_into_view(tmp_path: Path) -> None:
    _browser_or_fail()
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        run_crawl(f"{site.origin}/news/lazy/", db, settings={"ARCHIVE_RENDER": "auto"})
        assert site.fetched("/api/thread") == 1
    assert _sources(db) == {"news/lazy/": "rendered:script"}
    assert [row[0] for row in _comments(db, "/news/lazy/")] == [c[0] for c in THREAD]


def test_widgets_read_by_an_adapter_are_never_rendered() -> None:
    for name in ("isso", "remark42", "waline", "commento"):
        assert should_render("auto", _article(name)) is None
        assert should_render("always", _article(name)) is None


def test_a_crawl_without_rendering_leaves_a_rendered_thread_in_place(tmp_path: Path) -> None:
    _browser_or_fail()
    db = tmp_path / "archive.db"
    with serve_render_site() as site:
        start = f"{site.origin}/news/scripted/"
        run_crawl(start, db, settings={"ARCHIVE_RENDER": "auto"})
        run_crawl(start, db, "full=1")
        assert site.fetched("/news/scripted/") == 3  # plain, rendered, plain again
    assert _sources(db)["news/scripted/"] == "script"  # what the page's HTML says now
    rows = db_rows(
        db,
        "select comment_id, removed_at from comments where article_url like '%/scripted/' "
        "order by position",
    )
    assert [(row[0], row[1]) for row in rows] == [(c[0], None) for c in THREAD]
