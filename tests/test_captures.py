"""Raw captures: every fetched response kept (URL, status, headers, fetch time, body),
bodies zstd-compressed and stored once per digest."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from archive.captures import (
    Capture,
    CaptureError,
    body_digest,
    capture_stats,
    compress,
    decompress,
    latest_capture,
)
from archive.db import open_readonly
from archive.writer import ArchiveWriter
from scraper.demosite.server import DemoServer
from tests.crawling import run_crawl
from tests.demo_archive import crawl, small_site

PAGE = b"<html><body>" + b"<p>The council approved the budget.</p>" * 200 + b"</body></html>"


def _capture(body: bytes = PAGE, url: str = "http://example.org/a/", **kw: object) -> Capture:
    return Capture(
        url=url,
        status=200,
        headers=[("Content-Type", "text/html; charset=utf-8"), ("Set-Cookie", "a=1"),
                 ("Set-Cookie", "b=2")],
        body=body,
        fetched_at="2024-05-03T08:00:00.123456+00:00",
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


def test_compress_round_trips_and_keeps_tiny_bodies_as_they_are() -> None:
    codec, stored = compress(PAGE)
    assert codec == "zstd" and len(stored) * 10 < len(PAGE)
    assert decompress(codec, stored) == PAGE
    assert compress(b"x") == ("identity", b"x")
    with pytest.raises(CaptureError, match="unknown body codec"):
        decompress("brotli", b"")


def test_digest_names_its_algorithm() -> None:
    assert body_digest(b"") == (
        "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    )


def test_same_body_is_stored_once(archive_path: Path) -> None:
    with ArchiveWriter(archive_path) as writer:
        writer.write_capture(_capture())
        writer.write_capture(_capture(url="http://example.org/a/?again"))
        writer.write_capture(_capture(body=PAGE + b"<!-- changed -->"))
    db = open_readonly(archive_path)
    stats = capture_stats(db)
    assert (stats["captures"], stats["bodies"]) == (3, 2)
    assert stats["compression_ratio"] > 10
    got = latest_capture(db, "http://example.org/a/")
    assert got is not None and got.body == PAGE + b"<!-- changed -->"
    # Headers keep their order and repeats.
    assert got.headers[1:] == [("Set-Cookie", "a=1"), ("Set-Cookie", "b=2")]
    db.close()


def test_captures_are_written_with_the_batch_not_before(archive_path: Path) -> None:
    writer = ArchiveWriter(archive_path)
    writer.write_capture(_capture())
    conn = sqlite3.connect(archive_path)
    assert conn.execute("select count(*) from captures").fetchone() == (0,)
    writer.close()
    assert conn.execute("select count(*) from captures").fetchone() == (1,)
    conn.close()


@pytest.fixture(scope="module")
def crawled_twice(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoServer]:
    db = tmp_path_factory.mktemp("captures") / "archive.db"
    with DemoServer(small_site()) as server:
        crawl(server, db)
        crawl(server, db, "full=1")  # every page fetched again, unchanged
    return db, server


def test_crawl_keeps_every_response(crawled_twice: tuple[Path, DemoServer]) -> None:
    db, server = crawled_twice
    conn = sqlite3.connect(db)
    kinds = dict(
        conn.execute("select kind, count(*) from captures where crawl_id = 1 group by kind")
    )
    paginated = server.site.articles[server.site.specials.paginated_comments]
    assert kinds["article"] == len(server.site.articles)
    assert kinds["comment_page"] == paginated.comment_pages - 1
    assert kinds["other"] == 1  # robots.txt
    status, headers, fetched_at = conn.execute(
        "select status, headers, fetched_at from captures where url = ?",
        [server.url + paginated.path],
    ).fetchone()
    assert status == 200 and "text/html" in headers and fetched_at.startswith("20")
    conn.close()


def test_unchanged_recrawl_stores_no_new_body(crawled_twice: tuple[Path, DemoServer]) -> None:
    db, _ = crawled_twice
    conn = sqlite3.connect(db)
    first, second = conn.execute(
        "select count(*) from captures group by crawl_id order by crawl_id"
    ).fetchall()
    assert first == second
    bodies = conn.execute("select count(*) from capture_bodies").fetchone()[0]
    assert bodies == first[0]
    conn.close()
    db_ro = open_readonly(db)
    stats = capture_stats(db_ro)
    db_ro.close()
    assert stats["overall_ratio"] > 2 * stats["compression_ratio"] * 0.99
    assert stats["compression_ratio"] > 3


def test_captures_can_be_turned_off(tmp_path: Path) -> None:
    db = tmp_path / "off.db"
    with DemoServer(small_site()) as server:
        run_crawl(server.url + server.site.articles[0].path, db, "max_articles=2",
                  settings={"ARCHIVE_CAPTURES": "False"})  # fmt: skip
    conn = sqlite3.connect(db)
    assert conn.execute("select count(*) from captures").fetchone() == (0,)
    assert conn.execute("select count(*) from articles").fetchone() == (2,)
    conn.close()
