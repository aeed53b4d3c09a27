from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlite_utils import Database

from archive.db import ArchiveNotFound, open_readonly
from archive.export import PRESENCE_KEYS, iter_export
from archive.queries import (
    ArticleNotFound,
    QueryError,
    ReadOnlyViolation,
    get_article,
    run_readonly_query,
    stats,
    thread_tree,
)
from archive.search import search_articles, search_comments
from scraper.items import Article, Comment, article_from_dict, article_to_dict

BASE = "https://news.example.org/2024/05"


@pytest.fixture
def db(filled_archive: Path) -> Iterator[Database]:
    database = open_readonly(filled_archive)
    yield database
    database.close()


def test_query_returns_columns_and_rows(filled_archive):
    columns, rows = run_readonly_query(
        filled_archive,
        "SELECT headline, section FROM articles WHERE section = :s ORDER BY published_at",
        {"s": "Politik"},
    )
    assert columns == ["headline", "section"]
    assert rows == [
        ("Spring storm warning — 暴风雨", "Politik"),
        ("Council approves budget for the Zürich tram", "Politik"),
    ]


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("INSERT INTO crawls (started_at, status) VALUES ('x', 'running')", "INSERT"),
        ("UPDATE articles SET headline = 'x'", "UPDATE"),
        ("DELETE FROM comments", "DELETE"),
        ("DROP TABLE links", "DROP TABLE"),
        ("CREATE TABLE t (x)", "CREATE TABLE"),
        ("CREATE TEMP TABLE t (x)", "CREATE TEMP TABLE"),
        ("ATTACH DATABASE ':memory:' AS other", "ATTACH"),
        (
            "VACUUM INTO '/tmp/newsarchive-copy.db'",
            "VACUUM INTO (it writes a copy of the database to a file)",
        ),
        ("PRAGMA user_version = 7", "PRAGMA user_version = 7"),
        ("PRAGMA journal_mode = delete", "PRAGMA journal_mode = delete"),
        ("BEGIN", "BEGIN"),
        ("ANALYZE", "ANALYZE"),
    ],
)
def test_query_refuses_writes(filled_archive, sql, refused):
    with pytest.raises(ReadOnlyViolation) as info:
        run_readonly_query(filled_archive, sql, None)
    assert str(info.value) == f"query is read-only: {refused} is not allowed"
    assert run_readonly_query(filled_archive, "SELECT count(*) FROM articles")[1] == [(3,)]
    assert run_readonly_query(filled_archive, "PRAGMA user_version")[1] == [(0,)]


@pytest.mark.parametrize(
    "sql",
    [
        "PRAGMA table_info(articles)",
        "SELECT name FROM pragma_table_info('comments')",
        "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'budget'",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3) "
        "SELECT i FROM n",
        "SELECT json_extract(authors, '$[0]') FROM articles",
    ],
)
def test_query_allows_reading(filled_archive, sql):
    columns, rows = run_readonly_query(filled_archive, sql)
    assert columns
    assert rows


def test_query_errors_are_one_line(filled_archive, tmp_path):
    with pytest.raises(QueryError, match=r"^query failed: no such table: nope$"):
        run_readonly_query(filled_archive, "SELECT * FROM nope")
    with pytest.raises(QueryError, match="one statement"):
        run_readonly_query(filled_archive, "SELECT 1; SELECT 2")
    with pytest.raises(ArchiveNotFound):
        run_readonly_query(tmp_path / "missing.db", "SELECT 1")


def test_search_articles_ranks_best_match_first(db):
    hits = search_articles(db, "budget", limit=10)
    assert [h["canonical_url"] for h in hits] == [
        f"{BASE}/council-budget/",
        f"{BASE}/river-festival/",
    ]
    assert "[budget]" in hits[0]["snippet"]
    assert hits[0]["rank"] < hits[1]["rank"]
    assert len(search_articles(db, "budget", limit=1)) == 1


def test_search_matches_non_ascii(db):
    assert [h["headline"] for h in search_articles(db, "zürich")] == [
        "Council approves budget for the Zürich tram"
    ]


@pytest.mark.parametrize(
    "terms", ['"budget', 'budget"tram', "AND OR NOT", "NEAR(", "bud*", "-", "col:tram", '""', " "]
)
def test_search_survives_fts_syntax(db, terms):
    assert isinstance(search_articles(db, terms), list)
    assert isinstance(search_comments(db, terms), list)


def test_search_comments(db):
    hits = search_comments(db, "river")
    assert [(h["article_url"], h["comment_id"]) for h in hits] == [
        (f"{BASE}/river-festival/", "201")
    ]
    assert hits[0]["headline"] == "Riverside festival draws crowds"
    assert "[river]" in hits[0]["snippet"]


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/council-budget/",
        f"{BASE}/council-budget/?utm_source=newsletter",
        f"{BASE}/council-budget/?utm_campaign=x&fbclid=abc#comments",
        "HTTPS://NEWS.example.org:443/2024/05/council-budget/",
    ],
)
def test_get_article_accepts_any_form_of_the_url(db, sample_articles, url):
    assert get_article(db, url) == sample_articles[0]


def test_get_article_unknown_url(db):
    with pytest.raises(
        ArticleNotFound, match=re.escape("no archived article with URL https://x.example/")
    ):
        get_article(db, "https://x.example/")


def test_get_article_keeps_comments_missing_from_a_recrawl(filled_archive, sample_articles):
    from archive.writer import ArchiveWriter

    article = sample_articles[0]
    with ArchiveWriter(filled_archive) as writer:
        writer.write_article(dataclasses.replace(article, comments=article.comments[:1]))
    database = open_readonly(filled_archive)
    stored = get_article(database, article.canonical_url)
    database.close()
    assert [c.comment_id for c in stored.comments] == ["101", "102", "103", "104"]


def test_thread_tree_nests_replies_under_parents():
    comments = [
        Comment("1", None, "a", None, "top"),
        Comment("4", None, "d", None, "second top"),
        Comment("2", "1", "b", None, "reply"),
        Comment("3", "2", "c", None, "reply to reply"),
        Comment("5", "gone", "e", None, "orphan"),
        Comment("6", "1", "f", None, "second reply"),
    ]
    assert [(depth, c.comment_id) for depth, c in thread_tree(comments)] == [
        (1, "1"), (2, "2"), (3, "3"), (2, "6"), (1, "4"), (1, "5"),
    ]  # fmt: skip


def test_thread_tree_survives_a_parent_cycle():
    comments = [Comment("1", "2", None, None, "a"), Comment("2", "1", None, None, "b")]
    assert sorted(c.comment_id for _, c in thread_tree(comments)) == ["1", "2"]


def test_stats(db):
    summary = stats(db)
    assert (summary["articles"], summary["comments"], summary["links"], summary["crawls"]) == (
        3,
        5,
        4,
        1,
    )
    assert summary["first_published_at"] == "2024-05-01T07:30:00+02:00"
    assert summary["last_published_at"] == "2024-05-03T18:00:00+02:00"
    assert summary["top_authors"] == [("Ana Ruiz", 2), ("Zoë Müller", 2)]
    assert summary["top_sections"] == [("Politik", 2), ("Kultur", 1)]
    crawl = summary["last_crawl"]
    assert crawl["status"] == "finished"
    assert crawl["articles_new"] == 3
    assert crawl["skipped"] == {"no body": 1}


def test_stats_of_an_empty_archive(archive_path):
    from archive.db import open_archive

    open_archive(archive_path).close()
    database = open_readonly(archive_path)
    summary = stats(database)
    database.close()
    assert summary["articles"] == 0
    assert summary["last_crawl"] is None
    assert summary["top_authors"] == []


def test_export_is_article_to_dict_in_publication_order(db, sample_articles):
    exported = list(iter_export(db))
    by_date = sorted(sample_articles, key=lambda a: a.published_at or "")
    assert [_without_presence(d) for d in exported] == [article_to_dict(a) for a in by_date]
    for record in exported:  # the presence keys, on the article and on each comment
        assert list(record)[-3:] == list(PRESENCE_KEYS)
        assert record["first_seen_at"] and record["removed_at"] is None
        assert record["last_seen_at"] == record["fetched_at"]
        for comment in record["comments"]:
            assert list(comment)[-3:] == list(PRESENCE_KEYS)
            assert comment["first_seen_at"] and comment["removed_at"] is None
    assert [article_from_dict(d) for d in exported] == by_date
    assert isinstance(article_from_dict(exported[1]), Article)


def _without_presence(record: dict) -> dict:
    """An export record without the keys it adds to the Article fields."""
    article = {k: v for k, v in record.items() if k not in PRESENCE_KEYS}
    article["comments"] = [
        {k: v for k, v in c.items() if k not in PRESENCE_KEYS} for c in record["comments"]
    ]
    return article


def test_get_article_by_its_fetched_url(archive_path):
    from archive.writer import ArchiveWriter

    article = Article(url="https://news.example.org/?p=42", canonical_url=f"{BASE}/pretty/")
    with ArchiveWriter(archive_path) as writer:
        writer.write_article(article)
    database = open_readonly(archive_path)
    assert get_article(database, "https://news.example.org/?p=42&utm_source=x") == article
    database.close()
