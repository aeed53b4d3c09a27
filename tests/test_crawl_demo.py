"""Whole crawls of the built-in demo news site on 127.0.0.1: the real ``scrapy crawl``."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from scraper.demosite import DemoServer, build_site, site_truth
from tests.crawling import archive_content, run_crawl

SITE = build_site(36)
MIDDLE = SITE.articles[len(SITE.articles) // 2]
ARTICLE_COLUMNS = (
    "headline", "description", "authors", "published_at", "modified_at", "section",
    "categories", "tags", "language", "body_text", "images", "prev_url", "prev_title",
    "next_url", "next_title", "comment_count",
)  # fmt: skip
JSON_COLUMNS = {"authors", "categories", "tags", "images"}
SNAPSHOTS: list[dict] = []
SECOND_RUN_PATHS: list[str] = []


def _rows(db: Path, sql: str, *params: Any) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def demo_crawl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict, Path, list[str]]]:
    db = tmp_path_factory.mktemp("demo") / "archive.db"
    with DemoServer(SITE) as server:
        run_crawl(server.url + MIDDLE.path, db)
        paths = server.requested_paths()
        snapshots = [archive_content(db)]
        server.clear_requests()
        run_crawl(server.url + MIDDLE.path, db)  # a scheduled run: incremental by default
        snapshots.append(archive_content(db))
        SECOND_RUN_PATHS[:] = server.requested_paths()
        run_crawl(server.url + MIDDLE.path, db, "full=1")  # re-visits everything
        snapshots.append(archive_content(db))
        SNAPSHOTS[:] = snapshots
        yield site_truth(SITE, server.url), db, paths


def test_every_article_once_with_its_fields(demo_crawl: tuple[dict, Path, list[str]]) -> None:
    truth, db, _ = demo_crawl
    rows = {r["canonical_url"]: r for r in _rows(db, "select * from articles")}
    assert sorted(rows) == sorted(a["canonical_url"] for a in truth["articles"])
    for want in truth["articles"]:
        row = rows[want["canonical_url"]]
        for column in ARTICLE_COLUMNS:
            got = json.loads(row[column]) if column in JSON_COLUMNS else row[column]
            assert got == want[column], (want["url"], column)


def test_comment_threads_complete(demo_crawl: tuple[dict, Path, list[str]]) -> None:
    truth, db, _ = demo_crawl
    for want in truth["articles"]:
        rows = _rows(
            db,
            "select comment_id, parent_id, author, published_at, text, depth from comments"
            " where article_url = ? order by position",
            want["canonical_url"],
        )
        expected = [
            (c["comment_id"], c["parent_id"], c["author"], c["published_at"], c["text"], c["depth"])
            for c in want["comments"]
        ]
        assert [tuple(r) for r in rows] == expected, want["url"]
    paginated = truth["special"]["paginated_comments"]
    assert len(_rows(db, "select 1 from comments where article_url = ?", paginated)) > 20


def test_chain_edges(demo_crawl: tuple[dict, Path, list[str]]) -> None:
    truth, db, _ = demo_crawl
    edges = {(r["from_url"], r["rel"], r["to_url"]) for r in _rows(db, "select * from links")}
    want = {(a["url"], "prev", a["prev_url"]) for a in truth["articles"] if a["prev_url"]}
    want |= {(a["url"], "next", a["next_url"]) for a in truth["articles"] if a["next_url"]}
    assert edges == want


def test_polite_and_on_site(demo_crawl: tuple[dict, Path, list[str]]) -> None:
    truth, _, paths = demo_crawl
    assert paths[0] == "/robots.txt"
    assert not [p for p in paths if p.startswith("/private/")]
    article_paths = {urlsplit(a["url"]).path for a in truth["articles"]}
    pages = {urlsplit(p["url"]).path for a in truth["articles"] for p in a["comment_pages"]}
    assert set(paths) - {"/robots.txt"} <= article_paths | pages
    # Each article page is fetched once.
    assert sorted(p for p in paths if p in article_paths) == sorted(article_paths)


def test_second_crawls_change_nothing(demo_crawl: tuple[dict, Path, list[str]]) -> None:
    _, db, _ = demo_crawl
    first, second, full = _rows(db, "select * from crawls order by id")
    assert [c["status"] for c in (first, second, full)] == ["finished"] * 3
    assert (first["articles_new"], first["articles_updated"]) == (36, 0)
    # The incremental run checks the start and the chain's newest end, no more.
    assert (second["articles_new"], second["articles_updated"]) == (0, 0)
    assert second["articles_not_modified"] == 2
    assert sorted(SECOND_RUN_PATHS) == sorted(["/robots.txt", MIDDLE.path, SITE.articles[-1].path])
    # full=1 fetches every page again and finds every article as it was.
    assert (full["articles_new"], full["articles_updated"], full["articles_unchanged"]) == (
        0,
        0,
        36,
    )
    assert SNAPSHOTS[0] == SNAPSHOTS[1] == SNAPSHOTS[2]
    assert json.loads(second["errors"]) == [] and json.loads(full["errors"]) == []


def test_direction_and_max_articles(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE) as server:
        run_crawl(server.url + MIDDLE.path, db, "direction=older", "max_articles=5")
        older = [a.path for a in SITE.articles[MIDDLE.index - 4 : MIDDLE.index + 1]]
        urls = sorted(r["canonical_url"] for r in _rows(db, "select canonical_url from articles"))
        assert urls == sorted(server.url + p for p in older)


def test_robots_disallowed_article_is_never_requested(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    blocked = SITE.articles[MIDDLE.index - 3]
    with DemoServer(SITE, disallow=[blocked.path]) as server:
        run_crawl(server.url + MIDDLE.path, db, "direction=older")
        assert blocked.path not in server.requested_paths()
        got = {r["canonical_url"] for r in _rows(db, "select canonical_url from articles")}
    assert got == {server.url + a.path for a in SITE.articles[MIDDLE.index - 2 : MIDDLE.index + 1]}
    (crawl,) = _rows(db, "select * from crawls")
    assert [e["url"] for e in json.loads(crawl["errors"])] == [server.url + blocked.path]


def test_a_short_chain_from_an_article_goes_on_with_discovery(tmp_path: Path) -> None:
    """Both neighbours two hops away are disallowed: the chain ends after three articles,
    and discovery (sitemap, feed, the home page's listing) finds the rest."""
    db = tmp_path / "archive.db"
    blocked = {SITE.articles[MIDDLE.index - 2].path, SITE.articles[MIDDLE.index + 2].path}
    with DemoServer(SITE, disallow=sorted(blocked)) as server:
        run_crawl(server.url + MIDDLE.path, db)
        paths = server.requested_paths()
        got = {r["canonical_url"] for r in _rows(db, "select canonical_url from articles")}
        want = {server.url + a.path for a in SITE.articles if a.path not in blocked}
    assert got == want
    assert not blocked & set(paths) and "/sitemap.xml" in paths
    (crawl,) = _rows(db, "select discovered from crawls")
    discovered = json.loads(crawl["discovered"])
    assert discovered["chain"] >= 2 and discovered["sitemap"] > 0


def test_faults_are_survived_and_recorded(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    gone = SITE.articles[MIDDLE.index + 3]
    flaky = SITE.articles[MIDDLE.index - 1]
    pdf = SITE.articles[MIDDLE.index + 2]
    latin = SITE.articles[MIDDLE.index + 1]
    faults = {
        gone.path: "404",
        flaky.path: "503-once",
        pdf.path: "non-html",
        latin.path: "bad-charset",
    }
    with DemoServer(SITE, faults=faults) as server:
        run_crawl(server.url + MIDDLE.path, db, "max_articles=6", "direction=both")
    got = {r["canonical_url"]: r for r in _rows(db, "select * from articles")}
    # The 503 was retried; the wrongly declared charset still gives the right text.
    assert server.url + flaky.path in got
    truth = {a["url"]: a for a in site_truth(SITE, server.url)["articles"]}
    assert got[server.url + latin.path]["body_text"] == truth[server.url + latin.path]["body_text"]
    authors = _rows(
        db,
        "select author from comments where article_url = ? order by position",
        server.url + latin.path,
    )
    assert [r["author"] for r in authors] == [
        c["author"] for c in truth[server.url + latin.path]["comments"]
    ]
    assert any(not r["author"].isascii() for r in authors)
    assert server.url + pdf.path not in got
    (crawl,) = _rows(db, "select * from crawls")
    assert json.loads(crawl["skipped"]) == {"not html": 1}
    assert crawl["status"] == "finished"


def test_redirects_and_tracking_variants_give_one_article(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE) as server:
        starts = [
            f"{server.url}/?p={MIDDLE.post_id}",  # 301 to the article
            f"{server.url}{MIDDLE.path}?utm_source=newsletter&utm_medium=email",
            f"{server.url}{MIDDLE.path}",
        ]
        run_crawl(",".join(starts), db, "max_articles=1")
        paths = server.requested_paths()
    rows = _rows(db, "select canonical_url from articles")
    assert [r["canonical_url"] for r in rows] == [server.url + MIDDLE.path]
    assert f"/?p={MIDDLE.post_id}" in paths
    assert not [p for p in paths if "utm_" in p]
