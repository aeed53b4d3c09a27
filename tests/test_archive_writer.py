from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive.db import ArchiveError, ArchiveNotFound, NotAnArchive, open_archive, open_readonly
from archive.migrations import migrations
from archive.search import search_articles, search_comments
from archive.writer import ArchiveWriter
from scraper.items import Article, Comment, FetchNote, content_hash


def fetch(path: Path, sql: str) -> list[tuple]:
    db = Database(path)
    rows = db.execute(sql).fetchall()
    db.close()
    return rows


def get_row(path: Path, table: str, pk: object) -> dict:
    db = Database(path)
    row = db[table].get(pk)
    db.close()
    return row


def table_counts(path: Path) -> dict[str, int]:
    db = Database(path)
    counts = {t: db[t].count for t in ("articles", "comments", "links", "crawls")}
    db.close()
    return counts


def snapshot(path: Path) -> dict[str, list[dict]]:
    db = Database(path)
    tables = ("articles", "comments", "links")
    rows = {t: list(db.query(f"SELECT * FROM {t} ORDER BY rowid")) for t in tables}
    db.close()
    return rows


def write(path: Path, *articles: Article, batch_size: int = 50) -> dict[str, int]:
    with ArchiveWriter(path, batch_size=batch_size) as writer:
        for article in articles:
            writer.write_article(article)
    return writer.counts


def test_open_archive_applies_schema_wal_and_foreign_keys(archive_path):
    db = open_archive(archive_path)
    assert {"articles", "comments", "links", "crawls", "articles_fts", "comments_fts"} <= set(
        db.table_names()
    )
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db["articles"].pks == ["canonical_url"]
    assert db["comments"].pks == ["article_url", "comment_id"]
    assert db["links"].pks == ["from_url", "rel"]
    db.close()


def test_open_archive_twice_applies_migrations_once(archive_path):
    open_archive(archive_path).close()
    db = open_archive(archive_path)
    # Once each: as many rows as registered steps (the schema grows by appended steps).
    names = [row["name"] for row in db["_sqlite_migrations"].rows]
    assert names == [m.name for m in migrations._migrations]
    assert names[:2] == ["m001_initial_schema", "m002_full_text_search"]
    db.close()


def test_open_archive_refuses_a_foreign_database(tmp_path):
    other = tmp_path / "other.db"
    foreign = Database(other)
    foreign["things"].insert({"id": 1})
    foreign.close()
    with pytest.raises(NotAnArchive):
        open_archive(other)
    assert fetch(other, "SELECT name FROM sqlite_master") == [("things",)]


def test_open_readonly_errors(tmp_path):
    with pytest.raises(ArchiveNotFound, match="archive not found"):
        open_readonly(tmp_path / "missing.db")
    (tmp_path / "junk.db").write_text("not sqlite")
    with pytest.raises(NotAnArchive):
        open_readonly(tmp_path / "junk.db")


def test_first_write_counts_new_and_stores_everything(archive_path, sample_articles):
    counts = write(archive_path, *sample_articles)
    assert counts == {"new": 3, "updated": 0, "unchanged": 0, "comments_written": 5}
    assert table_counts(archive_path) == {"articles": 3, "comments": 5, "links": 4, "crawls": 0}
    row = get_row(archive_path, "articles", sample_articles[0].canonical_url)
    assert json.loads(row["authors"]) == ["Zoë Müller", "Ana Ruiz"]
    assert json.loads(row["images"]) == [
        {"url": sample_articles[0].images[0].url, "caption": "Die neue Tram — Foto"}
    ]
    assert row["content_hash"] == content_hash(sample_articles[0])
    assert row["first_seen_at"]


def test_comment_positions_follow_thread_order(archive_path, sample_articles):
    write(archive_path, sample_articles[0])
    rows = fetch(
        archive_path,
        "SELECT comment_id, parent_id, depth, position FROM comments ORDER BY position",
    )
    assert rows == [
        ("101", None, 1, 0),
        ("102", "101", 2, 1),
        ("103", "102", 3, 2),
        ("104", None, 1, 3),
    ]


def test_links_are_canonical_edges(archive_path, sample_articles):
    write(archive_path, sample_articles[0])
    rows = fetch(archive_path, "SELECT rel, to_url, title FROM links ORDER BY rel")
    base = "https://news.example.org/2024/05"
    assert rows == [
        ("next", f"{base}/river-festival/", "Riverside festival draws crowds"),
        ("prev", f"{base}/storm-warning/", "Spring storm warning"),
    ]


def test_second_write_changes_nothing_but_fetched_at(archive_path, sample_articles):
    write(archive_path, *sample_articles)
    before = snapshot(archive_path)
    again = [
        dataclasses.replace(a, fetched_at="2024-06-01T00:00:00+00:00") for a in sample_articles
    ]
    counts = write(archive_path, *again)
    assert counts == {"new": 0, "updated": 0, "unchanged": 3, "comments_written": 0}
    after = snapshot(archive_path)
    assert {r["fetched_at"] for r in after["articles"]} == {"2024-06-01T00:00:00+00:00"}
    for row in before["articles"] + after["articles"]:
        del row["fetched_at"]
    # The comments were seen again by the second write (the same second, or a later one).
    for old, new in zip(before["comments"], after["comments"], strict=True):
        assert new.pop("last_seen_at") >= old.pop("last_seen_at")
    assert after == before


def test_changed_article_is_updated_keeping_first_seen(archive_path, sample_articles):
    write(archive_path, sample_articles[1])
    first_seen = get_row(archive_path, "articles", sample_articles[1].canonical_url)[
        "first_seen_at"
    ]
    changed = dataclasses.replace(sample_articles[1], headline="Festival draws record crowds")
    assert write(archive_path, changed)["updated"] == 1
    row = get_row(archive_path, "articles", changed.canonical_url)
    assert row["headline"] == "Festival draws record crowds"
    assert row["first_seen_at"] == first_seen
    assert row["content_hash"] == content_hash(changed)


def test_comment_change_alone_makes_an_update(archive_path, sample_articles):
    write(archive_path, sample_articles[1])
    changed = dataclasses.replace(
        sample_articles[1],
        comments=[dataclasses.replace(sample_articles[1].comments[0], text="Edited")],
    )
    assert write(archive_path, changed) == {
        "new": 0, "updated": 1, "unchanged": 0, "comments_written": 1,
    }  # fmt: skip


def test_fts_follows_updates(archive_path, sample_articles):
    write(archive_path, sample_articles[2])
    changed = dataclasses.replace(sample_articles[2], body_text="Hailstones hit the harbour.")
    write(archive_path, changed)
    db = open_readonly(archive_path)
    assert [r["canonical_url"] for r in search_articles(db, "hailstones")] == [
        changed.canonical_url
    ]
    assert search_articles(db, "forecasters") == []
    assert len(search_articles(db, "暴风雨")) == 1  # headline unchanged, still indexed once
    db.close()


def test_comments_are_upserted_never_deleted(archive_path, sample_articles):
    article = sample_articles[0]
    write(archive_path, article)
    recrawl = dataclasses.replace(
        article,
        comments=[
            dataclasses.replace(article.comments[0], text="Great news, edited."),
            article.comments[1],
            Comment("105", "101", "Eve", None, "New reply", depth=2),
        ],
    )
    counts = write(archive_path, recrawl)
    assert counts["updated"] == 1
    assert counts["comments_written"] == 2  # 101 edited, 105 new; 102 as it was
    rows = fetch(
        archive_path, "SELECT comment_id, text, position FROM comments ORDER BY comment_id"
    )
    assert [r[0] for r in rows] == ["101", "102", "103", "104", "105"]  # 103, 104 kept
    assert rows[0][1] == "Great news, edited."
    assert rows[4][1:] == ("New reply", 2)
    db = open_readonly(archive_path)
    assert [r["comment_id"] for r in search_comments(db, "edited")] == ["101"]
    assert search_comments(db, "great news for the city") == []
    db.close()


def test_batches_flush_automatically_and_on_close(archive_path, sample_articles):
    writer = ArchiveWriter(archive_path, batch_size=2)
    for article in sample_articles:
        writer.write_article(article)
    assert table_counts(archive_path)["articles"] == 2
    writer.close()
    assert table_counts(archive_path)["articles"] == 3


def test_an_article_the_archive_refuses_does_not_take_its_batch_with_it(
    archive_path, sample_articles
):
    """The batch's transaction fails; each part is tried again alone: the good article is
    written and settled, the refused one is dropped (its frontier entry left unsettled,
    so a later run fetches it again) and the error names it."""
    writer = ArchiveWriter(archive_path)
    good, bad = sample_articles[0], sample_articles[1]
    writer.write_article(good)
    writer.write_article(bad, crawl_id=999)  # no such crawl: foreign key fails
    writer.note_fetch(FetchNote(url=good.canonical_url, frontier_keys=("good",)))
    writer.note_fetch(FetchNote(url=bad.canonical_url, frontier_keys=("bad",)))
    with pytest.raises(ArchiveError, match="1 writes dropped") as raised:
        writer.flush()
    assert bad.canonical_url in str(raised.value)
    assert isinstance(raised.value.__cause__, sqlite3.IntegrityError)
    assert fetch(archive_path, "SELECT canonical_url FROM articles") == [(good.canonical_url,)]
    assert fetch(archive_path, "SELECT key FROM frontier") == [("good",)]
    assert writer.counts["new"] == 1
    writer.flush()  # nothing left over to fail again
    writer.close()


def test_crawl_row_records_counts_skips_and_errors(archive_path, sample_articles):
    with ArchiveWriter(archive_path) as writer:
        crawl_id = writer.start_crawl("articles", {"direction": "older"}, ["https://a.example/"])
        running = get_row(archive_path, "crawls", crawl_id)
        assert running["status"] == "running"
        assert running["finished_at"] is None
        for article in [*sample_articles, sample_articles[0]]:
            writer.write_article(article)
        writer.finish_crawl(
            crawl_id,
            "finished",
            {
                "pages_fetched": 7,
                "requests_failed": 1,
                "skipped": {"not an article": 2, "off-site": 1},
                "errors": [{"url": "https://a.example/x", "reason": "HTTP 500"}],
            },
        )
    row = get_row(archive_path, "crawls", crawl_id)
    assert row["status"] == "finished"
    assert row["finished_at"] >= row["started_at"]
    assert json.loads(row["args"]) == {"direction": "older"}
    assert json.loads(row["start_urls"]) == ["https://a.example/"]
    assert (row["articles_new"], row["articles_updated"], row["articles_unchanged"]) == (3, 0, 1)
    assert row["comments_written"] == 5
    assert (row["pages_fetched"], row["requests_failed"], row["items_skipped"]) == (7, 1, 3)
    assert json.loads(row["skipped"]) == {"not an article": 2, "off-site": 1}
    assert json.loads(row["errors"]) == [{"url": "https://a.example/x", "reason": "HTTP 500"}]
    assert fetch(archive_path, "SELECT DISTINCT crawl_id FROM articles") == [(crawl_id,)]


def test_finish_crawl_rejects_unknown_status(archive_path):
    with ArchiveWriter(archive_path) as writer:
        crawl_id = writer.start_crawl("articles", {}, [])
        with pytest.raises(ValueError, match="status"):
            writer.finish_crawl(crawl_id, "done", {})


def test_content_hash_ignores_fetched_at_only(sample_articles):
    article = sample_articles[0]
    assert content_hash(article) == content_hash(dataclasses.replace(article, fetched_at="x"))
    assert content_hash(article) != content_hash(dataclasses.replace(article, tags=["tram"]))
