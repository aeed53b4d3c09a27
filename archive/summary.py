"""The one line that sums up a crawl run (or several): what it archived, into which
archive. ``scrapy crawl`` logs it at the end of every run; ``newsarchive crawl`` prints
it per site and for the whole run."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# What a summary counts, in order: crawls columns and their names.
SUMMARY_COLUMNS = (
    ("articles_new", "new"),
    ("articles_updated", "updated"),
    ("articles_unchanged", "unchanged"),
    ("articles_not_modified", "not modified"),
    ("articles_gone", "gone"),
    ("requests_failed", "failed"),
)


def summary_line(counts: Mapping[str, Any], db_path: str | os.PathLike[str]) -> str:
    """``36 new, 0 updated, 0 unchanged, 0 not modified, 0 gone, 0 failed into news.db``
    from a ``crawls`` row (or totals keyed like one)."""
    parts = [f"{int(counts.get(column) or 0):,} {name}" for column, name in SUMMARY_COLUMNS]
    return f"{', '.join(parts)} into {os.fspath(db_path)}"


def _read(db_path: str | os.PathLike[str], sql: str, params: list[Any]) -> sqlite3.Row | None:
    """One row of the archive's ``crawls``, read-only; None when the archive, the table or
    the row is not there (a crawl that never started)."""
    if not Path(db_path).exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{os.fspath(db_path)}?mode=ro", uri=True)
        try:
            conn.row_factory = sqlite3.Row
            row: sqlite3.Row | None = conn.execute(sql, params).fetchone()
            return row
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def crawl_row(db_path: str | os.PathLike[str], crawl_id: int) -> dict[str, Any] | None:
    """The ``crawls`` row of run ``crawl_id``."""
    row = _read(db_path, "select * from crawls where id = ?", [crawl_id])
    return dict(row) if row is not None else None


def first_crawl_after(db_path: str | os.PathLike[str], before: int) -> dict[str, Any] | None:
    """The ``crawls`` row of the first run after run ``before`` (0: the first run)."""
    row = _read(db_path, "select * from crawls where id > ? order by id limit 1", [before])
    return dict(row) if row is not None else None


def last_crawl_id(db_path: str | os.PathLike[str]) -> int:
    """The newest run's id (0 for an archive with none, or no archive yet)."""
    row = _read(db_path, "select max(id) from crawls", [])
    return int(row[0] or 0) if row is not None else 0
