"""The crawl frontier, persisted in the archive (table ``frontier``).

Scrapy's own ``JOBDIR`` only survives a clean stop; a crawl killed with SIGKILL loses its
in-memory queue. So every request the spider means to make is first written here (and
committed), then *leased* when handed to Scrapy, and only *settled* (``done`` or
``failed``) in the same transaction that commits its results (``ArchiveWriter``, from a
:class:`~archive.writer.FetchNote`). A page's follow-up requests are written before its own
entry is settled.

When a run starts and the frontier still holds unsettled entries, the previous run did not
finish (killed, crashed, stopped): this run resumes it, re-requesting exactly the unsettled
entries and treating the settled ones as already seen. Otherwise the frontier is cleared and
the run starts afresh. Only one run at a time touches an archive (:mod:`archive.lock`).

This module holds every statement that writes the table: the writer settles entries with
:func:`settle_keys` inside its own transactions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from archive.db import open_archive, write_lock
from scraper.planstore import ENTRY_KINDS, Entry, Resumed


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def settle_keys(
    conn: sqlite3.Connection,
    keys: tuple[str, ...],
    state: str,
    reason: str | None,
    at: str,
    crawl_id: int | None,
) -> None:
    """Mark ``keys`` settled (``done`` or ``failed``), or record them as seen (a redirect's
    target) so that a resumed run skips them. Runs in the caller's transaction."""
    for key in keys:
        conn.execute(
            "INSERT INTO frontier (key, url, kind, meta, state, reason, added_at, "
            "settled_at, crawl_id) VALUES (?, ?, 'article', '{}', ?, ?, ?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET state = excluded.state, "
            "reason = excluded.reason, settled_at = excluded.settled_at",
            [key, key, state, reason, at, at, crawl_id],
        )


class Frontier:
    """The ``frontier`` table of the archive at ``db_path``, on its own connection."""

    def __init__(self, db_path: str | Path) -> None:
        db = open_archive(db_path)  # applies pending migrations
        self.conn: sqlite3.Connection = db.conn
        self.conn.isolation_level = None  # autocommit; batch() opens explicit transactions
        # Shared with the archive's writer thread: see archive.db.write_lock.
        self._lock = write_lock(db_path)
        self._depth = 0

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Group many :meth:`add` calls into one transaction."""
        with self._lock:
            if self._depth == 0:
                self.conn.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if self._depth == 0:
                    self.conn.execute("ROLLBACK")
                raise
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("COMMIT")

    def begin(self) -> Resumed | None:
        """Resume an unfinished run (its leases are void: that process is gone), or clear
        the frontier of a finished one and return ``None``."""
        with self.batch():
            unsettled = self.conn.execute(
                "SELECT count(*) FROM frontier WHERE state IN ('pending', 'leased')"
            ).fetchone()[0]
            if not unsettled:
                self.conn.execute("DELETE FROM frontier")
                return None
            self.conn.execute(
                "UPDATE frontier SET state = 'pending', leased_at = NULL WHERE state = 'leased'"
            )
            rows = self.conn.execute(
                "SELECT key, url, kind, meta, priority, state, reason, crawl_id FROM frontier "
                "ORDER BY rowid"
            ).fetchall()
        pending = [
            Entry(key, url, kind, json.loads(meta), priority)
            for key, url, kind, meta, priority, state, _, _ in rows
            if state == "pending"
        ]
        failed = [
            {"url": url, "reason": reason or "failed"}
            for _, url, _, _, _, state, reason, _ in rows
            if state == "failed"
        ]
        crawl_ids = [row[7] for row in rows if row[7] is not None]
        return Resumed(
            pending=pending,
            seen={row[0] for row in rows},
            failed=failed,
            crawl_id=min(crawl_ids) if crawl_ids else None,
        )

    def add(self, entry: Entry, crawl_id: int | None = None) -> bool:
        """Persist ``entry`` as pending and leased (it is about to be handed to Scrapy);
        ``False`` if its key is already in the frontier."""
        if entry.kind not in ENTRY_KINDS:
            raise ValueError(
                f"frontier kind must be one of {', '.join(ENTRY_KINDS)}: {entry.kind!r}"
            )
        now = _now()
        with self._lock:
            cursor = self.conn.execute(
                "INSERT OR IGNORE INTO frontier "
                "(key, url, kind, meta, priority, state, added_at, leased_at, crawl_id) "
                "VALUES (?, ?, ?, ?, ?, 'leased', ?, ?, ?)",
                [
                    entry.key,
                    entry.url,
                    entry.kind,
                    json.dumps(entry.meta, sort_keys=True),
                    entry.priority,
                    now,
                    now,
                    crawl_id,
                ],
            )
        return cursor.rowcount == 1

    def lease(self, key: str) -> None:
        with self._lock:
            self.conn.execute(
                "UPDATE frontier SET state = 'leased', leased_at = ? WHERE key = ?", [_now(), key]
            )

    def settle_leftovers(self, reason: str) -> list[str]:
        """Mark every entry still pending or leased as failed with ``reason``; their URLs."""
        with self.batch():
            urls = [
                row[0]
                for row in self.conn.execute(
                    "SELECT url FROM frontier WHERE state IN ('pending', 'leased')"
                )
            ]
            self.conn.execute(
                "UPDATE frontier SET state = 'failed', reason = ?, settled_at = ? "
                "WHERE state IN ('pending', 'leased')",
                [reason, _now()],
            )
        return urls

    def counts(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT state, count(*) FROM frontier GROUP BY state"))

    def close(self) -> None:
        self.conn.close()
