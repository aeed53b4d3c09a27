"""Schema evolution: an archive made by the schema before issue #4's migrations opens
with ``open_archive``, gains the new tables and columns, and loses nothing."""

from __future__ import annotations

import json
from pathlib import Path

from sqlite_utils import Database

from archive.db import open_archive
from archive.export import iter_export
from archive.migrations import migrations
from archive.writer import ArchiveWriter
from archive.writer_rows import article_row, comment_row
from scraper.items import Article, content_hash

FIRST_NEW_MIGRATION = "m101_raw_captures"


def _old_archive(path: Path, articles: list[Article]) -> None:
    """The archive as the previous schema's writer left it: plain inserts."""
    db = Database(path)
    db.enable_wal()
    migrations.apply(db, stop_before=FIRST_NEW_MIGRATION)
    assert "captures" not in db.table_names()
    article_columns = set(db["articles"].columns_dict)
    with db.atomic():
        db["crawls"].insert(
            {"id": 1, "started_at": "2024-05-03T08:00:00+00:00", "status": "finished"}
        )
        for article in articles:
            row = {k: v for k, v in article_row(article).items() if k in article_columns}
            db["articles"].insert(
                {**row, "first_seen_at": "2024-05-03T08:00:00+00:00",
                 "content_hash": content_hash(article), "crawl_id": 1}
            )  # fmt: skip
            for position, comment in enumerate(article.comments):
                db["comments"].insert(
                    {"article_url": article.canonical_url, "comment_id": comment.comment_id,
                     **comment_row(comment), "position": position,
                     "first_seen_at": "2024-05-03T08:00:00+00:00"}
                )  # fmt: skip
    db.close()


def _dump(path: Path) -> dict[str, list[dict[str, object]]]:
    db = Database(path)
    try:
        return {
            table: [dict(r) for r in db.query(f"select * from {table} order by rowid")]
            for table in ("articles", "comments", "links", "crawls")
        }
    finally:
        db.close()


def test_upgrade_keeps_everything_and_adds_the_new_schema(
    tmp_path: Path, sample_articles: list[Article]
) -> None:
    path = tmp_path / "old.db"
    _old_archive(path, sample_articles)
    before = _dump(path)
    db = open_archive(path)
    assert not migrations.pending(db)
    assert {"captures", "capture_bodies", "article_versions"} <= set(db.table_names())
    assert {"removed_at"} <= set(db["articles"].columns_dict)
    assert {"last_seen_at", "removed_at"} <= set(db["comments"].columns_dict)
    exported = list(iter_export(db))
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    # Full-text search still finds the old rows.
    fts = "select count(*) from articles_fts where articles_fts match 'budget'"
    assert db.execute(fts).fetchone()[0] == 2
    db.close()
    after = _dump(path)
    for table, rows in before.items():
        assert len(after[table]) == len(rows)
        for old, new in zip(rows, after[table], strict=True):
            assert {k: new[k] for k in old} == old, table
    # Old comments count as last seen when first seen.
    assert all(c["last_seen_at"] == c["first_seen_at"] for c in after["comments"])
    by_url = {a["canonical_url"]: a for a in exported}
    for article in sample_articles:
        assert by_url[article.canonical_url]["headline"] == article.headline
        assert len(by_url[article.canonical_url]["comments"]) == len(article.comments)


def test_upgraded_archive_takes_new_writes(tmp_path: Path, sample_articles: list[Article]) -> None:
    path = tmp_path / "old.db"
    _old_archive(path, sample_articles)
    budget = sample_articles[0]
    budget.headline = "Council approves revised budget"
    with ArchiveWriter(path) as writer:
        writer.write_article(budget)
    db = Database(path)
    (snapshot,) = db.execute("select snapshot from article_versions").fetchone()
    assert json.loads(snapshot)["headline"] == "Council approves budget for the Zürich tram"
    db.close()


RAW = "http://127.0.0.1:8000/2024/05/zürich-stimmt-ab/"
ENCODED = "http://127.0.0.1:8000/2024/05/z%c3%bcrich-stimmt-ab/"
KEY = "http://127.0.0.1:8000/2024/05/z%C3%BCrich-stimmt-ab/"
NEIGHBOUR = "http://127.0.0.1:8000/2024/05/bern-baut/"


def test_url_keys_migrate_to_one_form_and_duplicates_merge(tmp_path: Path) -> None:
    """An archive keyed by the hand-written form holds one article twice (raw and
    percent-encoded): after the upgrade it is one row under w3lib's key, the older state
    an earlier version, every comment, link and frontier entry under the same key."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m401_w3lib_url_keys")
    seen = "2024-05-03T08:00:00+00:00"
    with db.atomic():
        db["crawls"].insert({"id": 1, "started_at": seen, "status": "finished"})
        for url, fetched, headline in (
            (RAW, "2024-05-03T08:00:00", "Old"),
            (ENCODED, "2024-05-04T08:00:00", "New"),
        ):
            db["articles"].insert(
                {
                    "canonical_url": url,
                    "url": url,
                    "headline": headline,
                    "fetched_at": fetched,
                    "first_seen_at": seen,
                    "content_hash": headline,
                    "crawl_id": 1,
                    "prev_url": NEIGHBOUR if url == ENCODED else None,
                }
            )
        db["articles"].insert(
            {
                "canonical_url": NEIGHBOUR,
                "url": NEIGHBOUR,
                "next_url": RAW,
                "first_seen_at": seen,
                "content_hash": "n",
                "crawl_id": 1,
            }
        )
        db["comments"].insert_all(
            [
                {"article_url": RAW, "comment_id": "1", "text": "first", "first_seen_at": seen},
                {"article_url": ENCODED, "comment_id": "1", "text": "first", "first_seen_at": seen},
                {"article_url": RAW, "comment_id": "2", "text": "only raw", "first_seen_at": seen},
            ]
        )
        db["links"].insert_all(
            [
                {"from_url": NEIGHBOUR, "rel": "next", "to_url": RAW, "first_seen_at": seen},
                {"from_url": RAW, "rel": "prev", "to_url": NEIGHBOUR, "first_seen_at": seen},
            ]
        )
        db["frontier"].insert(
            {
                "key": RAW,
                "url": RAW,
                "kind": "article",
                "meta": "{}",
                "state": "done",
                "added_at": seen,
            }
        )
        db["fetch_state"].insert({"url": ENCODED, "status": 200, "checked_at": seen})
    db.close()  # fmt: skip

    db = open_archive(path)
    assert not migrations.pending(db)
    articles = {r["canonical_url"]: r for r in db.query("select * from articles")}
    assert set(articles) == {KEY, NEIGHBOUR}
    assert articles[KEY]["headline"] == "New"  # the one fetched last
    assert articles[NEIGHBOUR]["next_url"] == RAW  # as the page gave it; links join
    (version,) = db.query("select * from article_versions")
    assert version["canonical_url"] == KEY
    assert json.loads(version["snapshot"])["headline"] == "Old"
    comments = db.query("select article_url, comment_id from comments order by comment_id")
    assert [(r["article_url"], r["comment_id"]) for r in comments] == [(KEY, "1"), (KEY, "2")]
    links = {(r["from_url"], r["rel"], r["to_url"]) for r in db.query("select * from links")}
    assert links == {(NEIGHBOUR, "next", KEY), (KEY, "prev", NEIGHBOUR)}
    assert [r["key"] for r in db.query("select key from frontier")] == [KEY]
    assert [r["url"] for r in db.query("select url from fetch_state")] == [KEY]
    assert db.execute("pragma foreign_key_check").fetchall() == []
    assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    found = db.execute(
        "select canonical_url from articles_fts join articles on articles.rowid = "
        "articles_fts.rowid where articles_fts match 'New'"
    ).fetchall()
    assert found == [(KEY,)]
    db.close()
