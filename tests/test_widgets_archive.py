"""What the archive takes for removed after a widget thread: only a thread an adapter
read whole, never one that is partial or one the page only names."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from archive.writer import ArchiveWriter
from scraper.items import Article


def _write(db: Path, article: Article) -> None:
    with ArchiveWriter(db) as writer:
        writer.start_crawl("articles", {}, [])
        writer.write_article(article)


def _removed(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("select comment_id from comments where removed_at is not null")
        return sorted(r[0] for r in rows)
    finally:
        conn.close()


def _isso(article: Article, **changes: object) -> Article:
    sources = {**article.sources, "comments": "isso"}
    return dataclasses.replace(article, comments_source="isso", sources=sources, **changes)


def test_a_whole_widget_thread_marks_the_missing_comments_removed(
    archive_path: Path, sample_articles: list[Article]
) -> None:
    budget = _isso(sample_articles[0])
    _write(archive_path, budget)
    _write(archive_path, dataclasses.replace(budget, comments=budget.comments[:3]))
    assert _removed(archive_path) == ["104"]


@pytest.mark.parametrize(
    "later",
    [
        {"comments_source": "partial"},  # an API page failed
        {"comments_source": "isso", "sources": {}},  # the page names Isso; nothing was read
    ],
)
def test_a_widget_thread_not_read_whole_removes_nothing(
    archive_path: Path, sample_articles: list[Article], later: dict[str, object]
) -> None:
    budget = _isso(sample_articles[0])
    _write(archive_path, budget)
    _write(archive_path, dataclasses.replace(budget, comments=budget.comments[:1], **later))
    assert _removed(archive_path) == []
