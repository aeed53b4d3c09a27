"""The Isso adapter: found on pages, read against a real Isso server (``pip install isso``)
on 127.0.0.1, and a whole ``scrapy crawl`` archiving every Isso thread exactly."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner
from lxml.html import fromstring
from scrapy import Request

from archive.cli import cli
from archive.reparse import reparse
from scraper.extract import extract_article
from scraper.extract.widgets import (
    WidgetFormatError,
    WidgetRef,
    detect_widget,
    html_text,
    merge_widget_pages,
)
from scraper.extract.widgets import isso as adapter
from scraper.extract.widgets.base import timestamp_iso
from scraper.middlewares import widget_api_request
from tests.crawling import archive_content, db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.isso_site import (
    IssoServer,
    Thread,
    article_script,
    delete_some,
    isso_rows,
    isso_server,
    seed_threads,
    write_site,
)

PAGE = "https://news.example.org/2026/03/budget/"


def _page(script: str, section: str = '<section id="isso-thread"></section>') -> str:
    return f"<html><body><article><h1>T</h1><p>x</p></article>{section}{script}</body></html>"


# -- detect (pure) ----------------------------------------------------------------------


def test_detect_reads_data_isso_and_the_page_path() -> None:
    html = _page(article_script("https://comments.example.net/isso/", "data-isso"))
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread) == (
        "isso",
        "https://comments.example.net/isso/",
        "/2026/03/budget/",
    )
    assert ref.option("max-comments-top") == "4"
    assert ref.option("reveal-on-click") == "3"


def test_detect_takes_the_api_from_the_script_address_without_data_isso() -> None:
    html = _page('<script src="/isso/js/embed.min.js"></script>')
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None and ref.api_base == "https://news.example.org/isso/"


def test_detect_relative_and_protocol_relative_endpoints() -> None:
    rel = detect_widget(fromstring(_page('<script data-isso="/c/" src="/c/js/embed.js">')), PAGE)
    proto = _page('<script data-isso="//c.example.net" src="//c.example.net/js/embed.min.js">')
    assert rel is not None and rel.api_base == "https://news.example.org/c/"
    found = detect_widget(fromstring(proto), PAGE)
    assert found is not None and found.api_base == "https://c.example.net/"


def test_detect_thread_named_by_data_isso_id() -> None:
    section = '<section id="isso-thread" data-isso-id="post-42"></section>'
    html = _page('<script data-isso="/isso/" src="/isso/js/embed.min.js"></script>', section)
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None and ref.thread == "post-42"


def test_no_thread_element_or_no_embed_is_no_widget() -> None:
    script = '<script data-isso="/isso/" src="/isso/js/embed.min.js"></script>'
    assert detect_widget(fromstring(_page(script, section="")), PAGE) is None
    assert detect_widget(fromstring(_page('<script src="/app.js"></script>')), PAGE) is None


def test_first_request_asks_what_the_embed_asks() -> None:
    ref = WidgetRef(
        "isso",
        "https://c.example.net/",
        "/a b/",
        PAGE,
        (("max-comments-nested", "2"), ("max-comments-top", "4"), ("reveal-on-click", "3")),
    )
    assert adapter.first_request(ref) == (
        "https://c.example.net/?uri=%2Fa+b%2F&sort=oldest&limit=4&nested_limit=2"
    )
    unlimited = WidgetRef("isso", "https://c.example.net/", "/a/", PAGE)
    assert adapter.first_request(unlimited) == (
        "https://c.example.net/?uri=%2Fa%2F&sort=oldest&nested_limit=5"
    )


def test_parse_refuses_what_isso_does_not_answer() -> None:
    ref = WidgetRef("isso", "https://c.example.net/", "/a/", PAGE)
    with pytest.raises(WidgetFormatError):
        adapter.parse(b"<html>502 Bad Gateway</html>", ref, adapter.first_request(ref))
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"replies": 3}', ref, adapter.first_request(ref))


def test_html_text_reads_like_html_threads() -> None:
    assert html_text("<p>One <em>two</em></p>\n<p>a &lt; b<br>c</p>") == "One two\n\na < b\nc"
    assert timestamp_iso(1796302415.82) == "2026-12-03T12:53:35+00:00"


def test_widget_host_is_let_through_for_its_api_and_robots_only() -> None:
    hosts = {"c.example.net:8080"}
    api = Request("http://c.example.net:8080/?uri=/a/", meta={"widget": object()})
    robots = Request("http://c.example.net:8080/robots.txt", meta={"dont_obey_robotstxt": True})
    assert widget_api_request(api, hosts)
    assert widget_api_request(robots, hosts)
    assert not widget_api_request(Request("http://c.example.net:8080/admin/"), hosts)
    other_port = Request("http://c.example.net:9090/?uri=/a/", meta={"widget": object()})
    assert not widget_api_request(other_port, hosts)


# -- against a real Isso server ---------------------------------------------------------


class IssoSite(NamedTuple):
    site: str  # the pages' origin
    server: IssoServer
    threads: list[Thread]
    urls: list[str]  # the articles, oldest first


# top-level comments per thread: none, fewer than a page, several pages (limit 4, then 3)
TOPS = [0, 3, 11, 6, 9]


@pytest.fixture(scope="module")
def isso_site(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[IssoSite]:
    tmp = tmp_path_factory.mktemp("isso")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        Thread(
            path=f"/news/part-{i + 1}/",
            uri=f"thread-{i + 1}" if i == 3 else f"/news/part-{i + 1}/",
            by_id=i == 3,
        )
        for i in range(len(TOPS))
    ]
    with isso_server(tmp, site) as server:
        seed_threads(server, threads, TOPS)
        delete_some(server, threads[2])
        root = tmp / "site"
        urls = write_site(root, site, server.base, threads)
        with serve(root, site_port):
            yield IssoSite(site, server, threads, urls)


def _expected(server: IssoServer, thread: Thread) -> list[tuple[object, ...]]:
    """The thread as Isso stores it: (id, parent, author, website, date, text) in
    reading order (top level by time, each followed by its replies by time)."""
    rows = isso_rows(server.db, thread.uri)
    tops = [r for r in rows if r["parent"] is None]
    out = []
    for top in sorted(tops, key=lambda r: r["created"]):
        for r in [
            top,
            *sorted((r for r in rows if r["parent"] == top["id"]), key=lambda r: r["created"]),
        ]:
            out.append(
                (
                    str(r["id"]),
                    None if r["parent"] is None else str(r["parent"]),
                    r["author"],
                    r["website"],
                    timestamp_iso(r["created"]),
                    thread.texts[int(r["id"])],
                    1 if r["parent"] is None else 2,
                )
            )
    return out


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return answer.read()


def test_adapter_reads_every_page_of_a_real_isso_thread(isso_site: IssoSite) -> None:
    server, threads, urls = isso_site.server, isso_site.threads, isso_site.urls
    thread = threads[2]  # 11 top-level comments: first page of 4, then pages of 3
    page = _get(urls[2]).decode("utf-8")
    ref = detect_widget(fromstring(page), urls[2])
    assert ref is not None and ref.api_base == server.base and ref.thread == thread.uri
    queue, pages, asked = [adapter.first_request(ref)], [], []
    while queue:
        url = queue.pop(0)
        asked.append(url)
        pages.append(adapter.parse(_get(url), ref, url))
        queue.extend(pages[-1].next_requests)
    comments = merge_widget_pages(pages)
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in comments
    ]
    assert got == _expected(server, thread)
    assert pages[0].stated_count == len(thread.ids) == len(comments)
    top_pages = [u for u in asked if "parent=" not in u]
    assert len(top_pages) == 1 + 3  # 4, then 3 + 3 + 1
    deleted = [c for c in comments if c.text == ""]
    assert len(deleted) == 1 and deleted[0].author is None and deleted[0].parent_id is None
    assert any("parent=" in u and "offset=2" in u for u in asked)  # replies past the first 2


def test_crawl_archives_every_isso_thread_exactly(isso_site: IssoSite, tmp_path: Path) -> None:
    server, threads, urls = isso_site.server, isso_site.threads, isso_site.urls
    db = tmp_path / "archive.db"
    result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: r
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(urls)
    for url, thread in zip(urls, threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(server, thread), url
        assert articles[url]["comments_source"] == "isso", url
        assert articles[url]["comment_count"] == len(thread.ids), url
    assert sum(len(t.ids) for t in threads) == len(db_rows(db, "select * from comments"))
    api_pages = db_rows(
        db, f"select kind from captures where url like '{server.base}%' and url like '%uri=%'"
    )
    assert api_pages and {r["kind"] for r in api_pages} == {"comment_page"}
    # newsarchive show prints the widget thread as it prints HTML threads: replies indented
    shown = CliRunner().invoke(cli, ["show", "--db", str(db), urls[2]])
    assert shown.exit_code == 0, shown.output
    thread = threads[2]
    first_reply = next(r for r in isso_rows(server.db, thread.uri) if r["parent"] is not None)
    reply_text = thread.texts[int(first_reply["id"])].split("\n")[0]
    assert any(line.startswith(" ") and reply_text in line for line in shown.output.splitlines()), (
        shown.output[-2000:]
    )
    # Re-extracted from the stored pages alone (the API's answers included): the same
    before = archive_content(db)
    report = reparse(db)
    assert report.articles == len(urls) and report.changed == 0, report
    assert archive_content(db)["comments"] == before["comments"]


def test_a_failed_api_leaves_the_thread_partial_and_nothing_removed(
    isso_site: IssoSite, tmp_path: Path
) -> None:
    server, threads, urls = isso_site.server, isso_site.threads, isso_site.urls
    db = tmp_path / "archive.db"
    assert run_crawl(urls[1], db, "max_articles=1").returncode == 0
    before = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(before) == len(threads[1].ids)
    # the same article (its canonical URL) again, its widget's API now down
    broken = f"http://127.0.0.1:{free_port()}/"  # nothing listens there
    page = _get(urls[1]).decode("utf-8").replace(server.base, broken)
    bad = tmp_path / "site"
    (bad / "news" / "part-2").mkdir(parents=True)
    (bad / "news" / "part-2" / "index.html").write_text(page, "utf-8")
    with serve(bad, free_port()) as other:
        moved = f"{other.base}/news/part-2/"
        result = run_crawl(moved, db, "max_articles=1")
    assert result.returncode == 0, result.stderr[-3000:]
    row = db_rows(db, f"select comments_source from articles where canonical_url = '{urls[1]}'")
    assert row and row[0]["comments_source"] == "partial"
    after = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(after) == len(before)


def test_widget_host_off_the_crawl_is_read_under_its_robots_txt(
    isso_site: IssoSite, tmp_path: Path
) -> None:
    """The API on another host (``localhost``, still 127.0.0.1) is read; a host whose
    robots.txt forbids it is asked for robots.txt only, and its thread is partial."""
    server, threads = isso_site.server, isso_site.threads
    ruled = tmp_path / "ruled"
    ruled.mkdir()
    (ruled / "robots.txt").write_text("User-agent: *\nDisallow: /\n", "utf-8")
    site_root = tmp_path / "site"
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    other = threads[1:3]
    with serve(ruled, free_port()) as forbidden:
        elsewhere = server.base.replace("127.0.0.1", "localhost")
        urls = write_site(site_root, site, elsewhere, other)
        second = site_root / other[1].path.strip("/") / "index.html"
        forbidden_api = forbidden.base.replace("127.0.0.1", "localhost") + "/"
        second.write_text(second.read_text("utf-8").replace(elsewhere, forbidden_api), "utf-8")
        with serve(site_root, port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    rows = {
        r["canonical_url"]: r["comments_source"]
        for r in db_rows(db, "select canonical_url, comments_source from articles")
    }
    assert rows == {urls[0]: "isso", urls[1]: "partial"}
    stored = db_rows(db, f"select comment_id from comments where article_url = '{urls[0]}'")
    assert len(stored) == len(other[0].ids)
    assert [path for path, _ in forbidden.served] == ["/robots.txt"]


def test_html_extraction_names_isso_before_the_api_is_read() -> None:
    html = _page('<script data-isso="/isso/" src="/isso/js/embed.min.js"></script>')
    article = extract_article(html, PAGE)
    assert article.comments == [] and article.comments_source == "isso"
