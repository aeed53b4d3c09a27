"""``newsarchive export``: the seen and removed columns of articles and comments travel
with them (a deletion never exports as live), and the export still reads back with
``article_from_dict``."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from click.testing import CliRunner
from sqlite_utils import Database

from archive.cli import cli
from archive.export import PRESENCE_KEYS
from archive.migrations import migrations
from archive.writer import ArchiveWriter
from archive.writer_rows import article_row, comment_row
from scraper.items import Article, FetchNote, article_from_dict, content_hash

BASE = "https://news.example.org/2024/05"
FIRST = "2024-05-03T08:00:00+00:00"
CHECKED = "2024-05-09T06:00:00+00:00"


def _export(db_path: Path) -> dict[str, dict[str, object]]:
    result = CliRunner().invoke(cli, ["export", "--db", str(db_path)])
    assert result.exit_code == 0, result.output
    return {r["canonical_url"]: r for r in map(json.loads, result.output.splitlines())}


def _stamp(db_path: Path, first_seen: str) -> None:
    """Fix the clock-set columns so the test can name them."""
    db = Database(db_path)
    with db.atomic():
        db.execute("UPDATE articles SET first_seen_at = ?", [first_seen])
        db.execute("UPDATE comments SET first_seen_at = ?, last_seen_at = ?", [first_seen] * 2)
    db.close()


def test_export_carries_first_seen_last_seen_and_removed(archive_path, sample_articles):
    budget, festival, storm = sample_articles
    with ArchiveWriter(archive_path) as writer:
        for article in sample_articles:
            writer.write_article(article)
            writer.note_fetch(FetchNote(url=article.canonical_url, checked_at=FIRST))
    _stamp(archive_path, FIRST)
    with ArchiveWriter(archive_path) as writer:
        # Storm answers 410; festival answers 304; budget lost comment 104 from its page.
        writer.mark_removed(storm.canonical_url, "2024-05-09T06:01:00+00:00")
        writer.note_fetch(FetchNote(url=storm.canonical_url, status=410, checked_at=CHECKED))
        writer.note_fetch(
            FetchNote(url=festival.canonical_url, not_modified=True, checked_at=CHECKED)
        )
        writer.write_article(
            dataclasses.replace(
                budget, comments=budget.comments[:3], fetched_at="2024-05-09T06:02:00+00:00"
            )
        )
    exported = _export(archive_path)

    gone = exported[storm.canonical_url]
    assert [gone[k] for k in PRESENCE_KEYS] == [
        FIRST,
        storm.fetched_at,
        "2024-05-09T06:01:00+00:00",
    ]
    # A 304 is a sighting: the page was online, unchanged, when checked.
    assert [exported[festival.canonical_url][k] for k in PRESENCE_KEYS] == [FIRST, CHECKED, None]
    live = exported[budget.canonical_url]
    assert live["first_seen_at"] == FIRST
    assert live["last_seen_at"] == "2024-05-09T06:02:00+00:00"
    assert live["removed_at"] is None
    comments = {c["comment_id"]: c for c in live["comments"]}
    assert list(comments) == ["101", "102", "103", "104"]  # a removed comment is exported
    for comment_id in ("101", "102", "103"):
        assert comments[comment_id]["first_seen_at"] == FIRST
        assert comments[comment_id]["removed_at"] is None
        assert comments[comment_id]["last_seen_at"] > FIRST
    assert comments["104"]["last_seen_at"] == FIRST
    assert comments["104"]["removed_at"] == comments["101"]["last_seen_at"]


def test_export_with_presence_keys_reads_back(filled_archive, sample_articles):
    exported = _export(filled_archive)
    for article in sample_articles:
        record = exported[article.canonical_url]
        assert set(PRESENCE_KEYS) <= set(record)
        assert all(set(PRESENCE_KEYS) <= set(c) for c in record["comments"])
        assert article_from_dict(record) == article


def test_export_of_an_archive_from_before_removals(tmp_path, sample_articles):
    """An archive made before ``removed_at`` and ``fetch_state`` existed, read without
    upgrading it, exports ``None`` where it has no column."""
    path = tmp_path / "old.db"
    db = Database(path)
    migrations.apply(db, stop_before="m101_raw_captures")
    article: Article = sample_articles[0]
    db["articles"].insert(
        {**{k: v for k, v in article_row(article).items() if k in db["articles"].columns_dict},
         "first_seen_at": FIRST, "content_hash": content_hash(article)}
    )  # fmt: skip
    for position, comment in enumerate(article.comments):
        db["comments"].insert(
            {"article_url": article.canonical_url, "comment_id": comment.comment_id,
             **comment_row(comment), "position": position, "first_seen_at": FIRST}
        )  # fmt: skip
    db.close()
    record = _export(path)[article.canonical_url]
    assert [record[k] for k in PRESENCE_KEYS] == [FIRST, article.fetched_at, None]
    assert [[c[k] for k in PRESENCE_KEYS] for c in record["comments"]] == [[FIRST, None, None]] * 4
    assert article_from_dict(record) == article


def test_warc_to_standard_output(filled_archive):
    from io import BytesIO

    from warcio.archiveiterator import ArchiveIterator

    result = CliRunner().invoke(cli, ["export", "--format", "warc", "--db", str(filled_archive)])
    assert result.exit_code == 0, result.output
    records = [r.rec_type for r in ArchiveIterator(BytesIO(result.stdout_bytes))]
    assert records == ["warcinfo"]
    assert result.stderr == "Wrote 1 warcinfo records to standard output.\n"


def test_show_says_what_has_gone(archive_path, sample_articles):
    budget = sample_articles[0]
    with ArchiveWriter(archive_path) as writer:
        writer.write_article(budget)
    with ArchiveWriter(archive_path) as writer:
        writer.write_article(dataclasses.replace(budget, comments=budget.comments[:3]))
    with ArchiveWriter(archive_path) as writer:
        writer.mark_removed(budget.canonical_url, "2024-05-09T06:01:00+00:00")
    db = Database(archive_path)
    (removed_comment,) = db.execute(
        "SELECT removed_at FROM comments WHERE comment_id = '104'"
    ).fetchone()
    db.close()
    result = CliRunner().invoke(cli, ["show", budget.canonical_url, "--db", str(archive_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[1] == "Removed:   2024-05-09T06:01:00+00:00 (its URL answered 404 or 410)"
    assert f"Dmitri — 2024-05-02T11:00:00+02:00 [removed {removed_comment}]" in lines
    assert "Ana — 2024-05-02T10:00:00+02:00" in lines  # still on the page: no mark
