"""Revisions: earlier article states in article_versions with a diff summary; comments
with first/last seen and removed_at; articles answering 404/410 get removed_at; nothing
archived is deleted; ``newsarchive history``."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.cli import cli
from archive.revisions import diff_rows, text_delta
from archive.writer import ArchiveWriter
from scraper.demosite.server import DemoServer
from scraper.items import Article
from tests.demo_archive import crawl, edit_article, small_site


def _rows(db: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params or []).fetchall()
    finally:
        conn.close()


def _write(db: Path, *articles: Article) -> None:
    with ArchiveWriter(db) as writer:
        writer.start_crawl("articles", {}, [])
        for article in articles:
            writer.write_article(article)


def test_text_delta_counts_characters_of_changed_words() -> None:
    assert text_delta("the council met", "the city council met") == (5, 0)
    assert text_delta("the council met today", "the council met") == (6, 0)[::-1]
    assert text_delta(None, "abc") == (3, 0)
    assert text_delta("same", "same") == (0, 0)


def test_diff_rows_names_changed_fields_only() -> None:
    old = {"headline": "A", "body_text": "one two", "next_url": None, "fetched_at": "x"}
    new = {"headline": "B", "body_text": "one two", "next_url": "http://n/", "fetched_at": "y"}
    summary = diff_rows(old, new)
    assert summary.changed_fields == ("headline",)
    assert (summary.chars_added, summary.chars_removed) == (1, 1)


def test_edit_keeps_the_previous_state(archive_path: Path, sample_articles: list[Article]) -> None:
    budget = sample_articles[0]
    _write(archive_path, budget)
    edited = dataclasses.replace(
        budget,
        headline="Council approves revised budget for the Zürich tram",
        body_text=budget.body_text + "\n\nUpdate: the vote was 31 to 12.",
        fetched_at="2024-05-04T08:00:00+00:00",
    )
    _write(archive_path, edited)
    (snapshot, fetched, changed, added, removed, url), = _rows(
        archive_path,
        "select snapshot, fetched_at, changed_fields, chars_added, chars_removed, canonical_url "
        "from article_versions",
    )  # fmt: skip
    assert url == budget.canonical_url
    assert json.loads(snapshot)["headline"] == budget.headline
    assert json.loads(snapshot)["body_text"] == budget.body_text
    assert fetched == budget.fetched_at
    assert json.loads(changed) == ["headline", "body_text"]
    assert added == len("revised ") + len("\n\nUpdate: the vote was 31 to 12.") and removed == 0
    assert _rows(archive_path, "select headline from articles where canonical_url = ?", [url]) == [
        (edited.headline,)
    ]


def test_new_comments_or_links_make_no_version(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    storm = sample_articles[2]
    _write(archive_path, storm)
    _write(archive_path, dataclasses.replace(storm, prev_url=storm.url + "older/"))
    assert _rows(archive_path, "select count(*) from article_versions") == [(0,)]


def test_comment_presence_is_tracked_and_nothing_is_deleted(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    budget = sample_articles[0]
    _write(archive_path, budget)
    first = dict(_rows(archive_path, "select comment_id, last_seen_at from comments"))
    # 104 disappears from the page; 102 and 103 are seen again.
    _write(archive_path, dataclasses.replace(budget, comments=budget.comments[:3]))
    rows = {r[0]: r[1:] for r in _rows(
        archive_path, "select comment_id, first_seen_at, last_seen_at, removed_at from comments"
    )}  # fmt: skip
    assert len(rows) == 4
    assert rows["104"][2] is not None and rows["101"][2] is None
    assert rows["101"][1] >= first["101"] and rows["104"][1] == first["104"]
    # It comes back: no longer removed.
    _write(archive_path, budget)
    assert _rows(archive_path, "select removed_at from comments where comment_id = '104'") == [
        (None,)
    ]


def test_comments_kept_when_the_thread_was_not_read(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    budget = sample_articles[0]
    _write(archive_path, budget)
    _write(archive_path, dataclasses.replace(budget, comments=[], comments_source="disqus"))
    assert _rows(archive_path, "select count(*) from comments where removed_at is null") == [(4,)]


def test_mark_removed_and_back(archive_path: Path, sample_articles: list[Article]) -> None:
    storm = sample_articles[2]
    _write(archive_path, storm)
    with ArchiveWriter(archive_path) as writer:
        writer.mark_removed(storm.url, "2024-06-01T00:00:00+00:00")
        writer.mark_removed("https://news.example.org/never-archived/")
    assert _rows(archive_path, "select removed_at from articles") == [
        ("2024-06-01T00:00:00+00:00",)
    ]
    _write(archive_path, storm)
    assert _rows(archive_path, "select removed_at from articles") == [(None,)]


# -- a re-crawl of a changed site -----------------------------------------------------------


@pytest.fixture(scope="module")
def recrawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoServer, dict]:
    db = tmp_path_factory.mktemp("revisions") / "archive.db"
    site = small_site()
    edited_i, thinned_i, gone_i = 3, 7, 9
    with DemoServer(site) as server:
        crawl(server, db)
        before = {
            "edited": site.articles[edited_i],
            "thinned": site.articles[thinned_i],
            "gone": site.articles[gone_i],
        }
        edit_article(
            server, edited_i, headline="A corrected headline", seed=site.articles[edited_i].seed + 1
        )
        edit_article(server, thinned_i, comment_stubs=site.articles[thinned_i].comment_stubs[:-1])
        server.faults[site.articles[gone_i].path] = "404"
        crawl(server, db, "full=1")  # every article re-fetched, not only those due
    return db, server, before


def test_recrawl_records_edits_removals_and_keeps_everything(
    recrawled: tuple[Path, DemoServer, dict],
) -> None:
    db, server, before = recrawled
    edited_url = server.url + before["edited"].path
    (changed, added, removed), = _rows(
        db, "select changed_fields, chars_added, chars_removed from article_versions"
    )  # fmt: skip
    assert {"headline", "body_text"} <= set(json.loads(changed)) and added > 0 and removed > 0
    assert _rows(db, "select headline from articles where canonical_url = ?", [edited_url]) == [
        ("A corrected headline",)
    ]
    gone_url = server.url + before["gone"].path
    assert _rows(db, "select removed_at is not null from articles where canonical_url = ?",
                 [gone_url]) == [(1,)]  # fmt: skip
    assert _rows(db, "select count(*) from articles") == [(len(server.site.articles),)]
    thinned_url = server.url + before["thinned"].path
    removed_ids = _rows(
        db, "select comment_id from comments where article_url = ? and removed_at is not null",
        [thinned_url],
    )  # fmt: skip
    assert removed_ids == [(str(before["thinned"].comment_stubs[-1].id),)]
    # The removed article's comments are kept and not marked removed: its page is gone.
    assert _rows(db, "select count(*), count(removed_at) from comments where article_url = ?",
                 [gone_url]) == [(before["gone"].comment_count, 0)]  # fmt: skip


def test_history_shows_versions_with_a_diff(recrawled: tuple[Path, DemoServer, dict]) -> None:
    db, server, before = recrawled
    result = CliRunner().invoke(
        cli, ["history", server.url + before["edited"].path, "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("A corrected headline\n")
    assert "Version 1 (fetched" in out and "Version 2 (fetched" in out and "current)" in out
    assert f"-{before['edited'].headline}" in out and "+A corrected headline" in out
    assert "body_text:" in out


def test_history_of_an_unknown_url(recrawled: tuple[Path, DemoServer, dict]) -> None:
    db, _, _ = recrawled
    result = CliRunner().invoke(cli, ["history", "http://nowhere.example/", "--db", str(db)])
    assert result.exit_code == 1
    assert result.output == "Error: no archived article with URL http://nowhere.example/\n"


def test_comments_kept_when_a_page_of_the_thread_failed(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    budget = sample_articles[0]
    _write(archive_path, budget)
    # The spider read the first page of the thread but not the rest: "partial".
    _write(
        archive_path,
        dataclasses.replace(budget, comments=budget.comments[:1], comments_source="partial"),
    )
    assert _rows(archive_path, "select count(*) from comments where removed_at is null") == [(4,)]


def test_history_json(recrawled: tuple[Path, DemoServer, dict]) -> None:
    db, server, before = recrawled
    url = server.url + before["edited"].path
    result = CliRunner().invoke(cli, ["history", "--json", url, "--db", str(db)])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["canonical_url"] == url and record["headline"] == "A corrected headline"
    first, current = record["versions"]
    assert first["number"] == 1 and not first["current"] and first["replaced_at"]
    assert first["headline"] == before["edited"].headline
    assert first["changed_fields"] == [] and first["diff"] == []
    assert current["current"] and current["replaced_at"] is None and current["number"] == 2
    assert {"headline", "body_text"} <= set(current["changed_fields"])
    assert current["chars_added"] > 0 and current["chars_removed"] > 0
    assert f"  -{before['edited'].headline}" in current["diff"]
    assert set(first) == set(current) == {
        "number", "fetched_at", "replaced_at", "current", "headline", "changed_fields",
        "chars_added", "chars_removed", "diff",
    }  # fmt: skip
