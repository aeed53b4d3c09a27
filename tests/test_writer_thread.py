"""The archive's write path on a thread of its own (archive/writer_thread.py), and the
lock it shares with the frontier on the crawl's thread."""

from __future__ import annotations

import dataclasses
import gc
import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from archive.db import ArchiveError, write_lock
from archive.frontier import Frontier
from archive.writer import ArchiveWriter
from archive.writer_thread import WriterThread
from scraper.extensions import GcFreeze
from scraper.items import Article, FetchNote
from scraper.planstore import Entry


def _rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_writes_land_in_order_and_calls_wait_for_them(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    writer = WriterThread(archive_path, batch_size=2)
    crawl = writer.start_crawl("articles", {"direction": "both"}, ["http://x.test/"])
    for article in sample_articles:
        writer.write_article(article, crawl)
    # Settles after the articles: the note's frontier key is written by the same batch.
    writer.note_fetch(
        FetchNote(url=sample_articles[0].canonical_url, frontier_keys=("k",), status=200)
    )
    writer.flush()
    assert len(_rows(archive_path, "SELECT 1 FROM articles")) == len(sample_articles)
    assert _rows(archive_path, "SELECT state FROM frontier WHERE key = 'k'") == [("done",)]
    writer.finish_crawl(crawl, "finished", {"pages_fetched": 3})
    writer.close()
    writer.close()  # twice is fine
    assert _rows(archive_path, "SELECT status FROM crawls") == [("finished",)]
    with pytest.raises(ArchiveError, match="closed"):
        writer.write_article(sample_articles[0], crawl)


def test_same_archive_as_the_inline_writer(tmp_path: Path, sample_articles: list[Article]) -> None:
    contents = []
    for kind in (ArchiveWriter, WriterThread):
        path = tmp_path / f"{kind.__name__}.db"
        writer = kind(path, batch_size=2)
        crawl = writer.start_crawl("articles", {}, [])
        for article in sample_articles:
            writer.write_article(article, crawl)
        writer.close()
        contents.append(
            _rows(path, "SELECT canonical_url, headline, body_text, content_hash FROM articles")
            + _rows(path, "SELECT article_url, comment_id, parent_id, text FROM comments")
            + _rows(path, "SELECT from_url, rel, to_url FROM links")
            + _rows(path, "SELECT canonical_url, count(*) FROM article_versions GROUP BY 1")
        )
    assert contents[0] == contents[1]
    assert len(contents[0]) > len(sample_articles)


def test_a_failed_write_is_raised_by_the_next_call(
    archive_path: Path, sample_articles: list[Article], caplog: pytest.LogCaptureFixture
) -> None:
    writer = WriterThread(archive_path, batch_size=1)
    crawl = writer.start_crawl("articles", {}, [])
    writer.write_article(sample_articles[1], crawl)
    broken = dataclasses.replace(sample_articles[0], canonical_url=None)  # NOT NULL
    writer.write_article(broken, crawl)  # type: ignore[arg-type]  # fails on the thread
    writer.write_article(sample_articles[2], crawl)  # a later write is not blamed
    with pytest.raises(ArchiveError, match=r"an earlier archive write failed.*NOT NULL"):
        writer.flush()
    assert "archive write failed (write_article)" in caplog.text
    writer.finish_crawl(crawl, "finished", {})  # reported once: nothing pending now
    writer.close()
    assert sorted(_rows(archive_path, "SELECT canonical_url FROM articles")) == sorted(
        [(sample_articles[1].canonical_url,), (sample_articles[2].canonical_url,)]
    )


def test_an_archive_that_cannot_open_fails_at_once(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="directory"):
        WriterThread(tmp_path)


def test_frontier_and_writer_thread_write_at_once(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    """As in a crawl: the frontier writes on this thread while the writer thread commits
    articles, each on its own connection. Neither meets 'database is locked', and
    nothing is lost."""
    writer = WriterThread(archive_path, batch_size=1)
    crawl = writer.start_crawl("articles", {}, [])
    frontier = Frontier(archive_path)
    for i in range(200):
        article = sample_articles[i % len(sample_articles)]
        url = f"http://x.test/a{i}"
        writer.write_article(dataclasses.replace(article, url=url, canonical_url=url), crawl)
        assert frontier.add(Entry(f"k{i}", url, "article", {}, 0))
        with frontier.batch():
            frontier.add(Entry(f"b{i}", url + "?b", "article", {}, 0))
    writer.close()
    frontier.close()
    assert _rows(archive_path, "SELECT count(*) FROM frontier") == [(400,)]
    assert _rows(archive_path, "SELECT count(*) FROM articles") == [(200,)]


def test_write_lock_is_one_per_archive(tmp_path: Path) -> None:
    a = write_lock(tmp_path / "a.db")
    assert write_lock(tmp_path / "x" / ".." / "a.db") is a
    assert write_lock(tmp_path / "b.db") is not a


def test_gc_freeze_at_engine_start() -> None:
    signals = SignalManager()
    crawler = SimpleNamespace(signals=signals, settings=Settings({}))
    extension = GcFreeze.from_crawler(crawler)  # kept, as Scrapy keeps its extensions
    try:
        signals.send_catch_log(scrapy.signals.engine_started)
        assert gc.get_freeze_count() > 0
        assert extension is not None
    finally:
        gc.unfreeze()
    off = SimpleNamespace(signals=signals, settings=Settings({"ARCHIVE_GC_FREEZE": False}))
    with pytest.raises(NotConfigured):
        GcFreeze.from_crawler(off)
