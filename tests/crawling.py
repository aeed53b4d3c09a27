"""Run the real ``scrapy crawl articles`` command in a subprocess, as a user would."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

from archive.demo import LOCAL_SETTINGS
from archive.demo import run_crawl as _run_crawl


def run_crawl(
    start_url: str,
    db: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl articles -a start_url=… -a ARG…`` with local-server settings."""
    spider_args = dict(arg.split("=", 1) for arg in args)
    return _run_crawl(
        start_url,
        db,
        spider_args,
        {**LOCAL_SETTINGS, "LOG_LEVEL": "INFO", **(settings or {})},
        timeout=timeout,
    )


def db_rows(db: Path, sql: str) -> list[sqlite3.Row]:
    """The rows of a query on the archive at ``db`` (by name or position)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# Columns that record when we looked, not what the page said.
_BOOKKEEPING = {"fetched_at", "crawl_id", "last_seen_at", "checked_at"}


def archive_content(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """What the archive says about the site (articles, comments, links), without the
    columns that only record when a crawl looked: two equal snapshots mean a crawl
    changed nothing."""
    conn = sqlite3.connect(db)
    try:
        out: dict[str, list[tuple[object, ...]]] = {}
        for table, order in (
            ("articles", "canonical_url"),
            ("comments", "article_url, comment_id"),
            ("links", "from_url, rel"),
        ):
            columns = [
                row[1]
                for row in conn.execute(f"pragma table_info({table})")
                if row[1] not in _BOOKKEEPING
            ]
            out[table] = conn.execute(
                f"select {', '.join(columns)} from {table} order by {order}"
            ).fetchall()
        return out
    finally:
        conn.close()
