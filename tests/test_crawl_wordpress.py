"""Whole crawls of the real WordPress captures served on 127.0.0.1.

A crawl starts from one article in the middle of the site, walks the previous/next chain
both ways and must archive every post once, with every comment across comment pages.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from scraper.extract.urls import canonicalize_url
from tests.capture_server import CaptureSite, serve_capture
from tests.crawling import archive_content, db_rows, run_crawl

TRUTH = json.loads((Path(__file__).parent / "fixtures/wordpress/truth.json").read_text("utf-8"))
POSTS = TRUTH["posts"]
MIDDLE = POSTS[len(POSTS) // 2]
SNAPSHOTS: list[dict] = []
ROBOTS = "User-agent: *\nDisallow: /wp-admin/\nDisallow: /author/\nDisallow: /tag/\n"


@pytest.fixture(scope="module")
def tt1_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CaptureSite, Path, str, str]:
    db = tmp_path_factory.mktemp("tt1") / "archive.db"
    with serve_capture("twentytwentyone", robots=ROBOTS) as site:
        first = run_crawl(site.url(MIDDLE["url"]), db, settings={"LOG_LEVEL": "DEBUG"})
        requests_first = list(site.requests)
        SNAPSHOTS.append(archive_content(db))
        second = run_crawl(site.url(MIDDLE["url"]), db, "full=1")
        SNAPSHOTS.append(archive_content(db))
        site.requests[:] = requests_first
        yield site, db, first.stderr, second.stderr


def test_every_post_archived_once(tt1_crawl: tuple[CaptureSite, Path, str, str]) -> None:
    site, db, _, _ = tt1_crawl
    urls = [r["canonical_url"] for r in db_rows(db, "select canonical_url from articles")]
    assert sorted(urls) == sorted(canonicalize_url(site.url(p["url"])) for p in POSTS)


def test_fields_match_truth(tt1_crawl: tuple[CaptureSite, Path, str, str]) -> None:
    site, db, _, _ = tt1_crawl
    rows = {r["canonical_url"]: r for r in db_rows(db, "select * from articles")}
    for post in POSTS:
        row = rows[canonicalize_url(site.url(post["url"]))]
        assert row["headline"] == post["title"], post["url"]
        assert json.loads(row["authors"]) == [post["author"]], post["url"]
        assert row["published_at"] == post["date_published"], post["url"]
        assert json.loads(row["categories"]) == [c["name"] for c in post["categories"]]
        assert json.loads(row["tags"]) == [t["name"] for t in post["tags"]], post["url"]
        blocks = [b["text"] for b in post["blocks"] if b["type"] != "figcaption"]
        assert row["body_text"].split("\n\n") == blocks, post["url"]
        prev = post["previous"]["url"] if post["previous"] else None
        nxt = post["next"]["url"] if post["next"] else None
        assert row["prev_url"] == (site.url(prev) if prev else None), post["url"]
        assert row["next_url"] == (site.url(nxt) if nxt else None), post["url"]


def test_every_comment_across_pages(tt1_crawl: tuple[CaptureSite, Path, str, str]) -> None:
    site, db, _, _ = tt1_crawl
    rows = db_rows(db, "select * from comments order by article_url, position")
    assert len(rows) == TRUTH["site"]["comment_count"] == 434
    by_article: dict[str, list[sqlite3.Row]] = {}
    for row in rows:
        by_article.setdefault(row["article_url"], []).append(row)
    for post in POSTS:
        got = by_article.get(canonicalize_url(site.url(post["url"])), [])
        # The truth lists comments oldest first; the archive keeps thread (document)
        # order, where every reply follows its parent.
        by_id = {r["comment_id"]: r for r in got}
        assert sorted(by_id) == sorted(str(c["id"]) for c in post["comments"]), post["url"]
        for c in post["comments"]:
            r = by_id[str(c["id"])]
            parent = str(c["parent_id"]) if c["parent_id"] else None
            assert (r["parent_id"], r["author"], r["published_at"], r["text"], r["depth"]) == (
                parent,
                c["author"],
                c["date"],
                c["text"],
                c["depth"],
            ), (post["url"], c["id"])
            if parent:
                assert by_id[parent]["position"] < r["position"], (post["url"], c["id"])


def test_chain_edges(tt1_crawl: tuple[CaptureSite, Path, str, str]) -> None:
    site, db, _, _ = tt1_crawl
    edges = {(r["from_url"], r["rel"], r["to_url"]) for r in db_rows(db, "select * from links")}

    def key(url: str) -> str:
        return canonicalize_url(site.url(url))

    want = set()
    for post in POSTS:
        if post["previous"]:
            want.add((key(post["url"]), "prev", key(post["previous"]["url"])))
        if post["next"]:
            want.add((key(post["url"]), "next", key(post["next"]["url"])))
    assert edges == want


def test_second_crawl_changes_nothing(tt1_crawl: tuple[CaptureSite, Path, str, str]) -> None:
    _, db, _, _ = tt1_crawl
    crawls = db_rows(db, "select * from crawls order by id")
    assert [c["status"] for c in crawls] == ["finished", "finished"]
    assert (crawls[0]["articles_new"], crawls[0]["articles_updated"]) == (60, 0)
    assert (crawls[1]["articles_new"], crawls[1]["articles_updated"]) == (0, 0)
    assert crawls[1]["articles_unchanged"] == 60  # full=1: every post fetched again
    assert len(db_rows(db, "select * from comments")) == 434
    assert SNAPSHOTS[0] == SNAPSHOTS[1]


def test_only_posts_and_comment_pages_requested(
    tt1_crawl: tuple[CaptureSite, Path, str, str],
) -> None:
    site, _, first_log, _ = tt1_crawl
    # requested as written or in the key form (escapes upper-cased)
    allowed = {urlsplit(site.url(p["url"])).path for p in POSTS}
    for post in POSTS:
        allowed.update(urlsplit(site.url(u)).path for u in post["comment_page_urls"])
    allowed |= {urlsplit(canonicalize_url(site.url(p))).path for p in allowed}
    paths = [urlsplit(p).path for p in site.requests if p != "/robots.txt"]
    assert paths and set(paths) <= {p.lower() for p in allowed} | allowed
    assert not [p for p in paths if re.match(r"/(wp-admin|author|tag)/", p)]
    # Off-site links (gravatar, example.org) are never fetched.
    crawled = re.findall(r"Crawled \(\d+\) <GET (\S+)>", first_log)
    assert crawled and all(urlsplit(u).hostname == "127.0.0.1" for u in crawled)
