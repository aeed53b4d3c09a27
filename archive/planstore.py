"""The archive as the crawl plan sees it: :class:`ArchiveStore`, the
:class:`scraper.planstore.PlanStore` that ``ARCHIVE_STORE`` names by default.

It holds the run's lock (:mod:`archive.lock`), the persisted frontier
(:mod:`archive.frontier`) and the lookups the plan's decisions need (what is archived, its
validators, its stored prev/next links). The frontier's writes and the writer's share the
archive's write lock; these lookups only read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from archive.chain import chain_report
from archive.db import ArchiveError
from archive.frontier import Frontier
from archive.lock import ArchiveLock
from scraper.extract.urls import host_of
from scraper.planstore import Absence, Entry, KnownRow, Resumed, StoreError


class ArchiveStore:
    """One crawl run's hold on the archive at ``db_path``."""

    def __init__(self, db_path: str | Path, lock: ArchiveLock, frontier: Frontier) -> None:
        self.db_path = Path(db_path)
        self.lock = lock
        self.frontier = frontier
        self.conn = frontier.conn

    @classmethod
    def open(cls, db_path: str | Path) -> ArchiveStore:
        try:
            lock = ArchiveLock(db_path).acquire()  # ArchiveLocked is a StoreBusy
        except OSError as exc:  # a folder that cannot be created or written
            raise StoreError(f"ARCHIVE_DB: cannot lock {db_path}: {exc}") from exc
        try:
            frontier = Frontier(db_path)  # applies pending migrations
        except (ArchiveError, sqlite3.Error, OSError) as exc:
            lock.release()  # not an archive (a text file, another program's SQLite), unreadable
            raise StoreError(f"ARCHIVE_DB: {exc}") from exc
        except BaseException:
            lock.release()
            raise
        return cls(db_path, lock, frontier)

    def close(self) -> None:
        try:
            self.frontier.close()
        finally:
            self.lock.release()

    # -- what the archive knows -----------------------------------------------------------

    def known(self, key: str) -> KnownRow | None:
        row = self.conn.execute(
            "SELECT a.canonical_url, a.published_at, a.modified_at, a.fetched_at, "
            "a.content_hash, a.comment_count, f.etag, f.last_modified, f.checked_at "
            "FROM articles a LEFT JOIN fetch_state f ON f.url = a.canonical_url "
            "WHERE a.canonical_url = ?",
            [key],
        ).fetchone()
        return None if row is None else KnownRow(*row)

    def stored_link(self, key: str, rel: str) -> str | None:
        row = self.conn.execute(
            "SELECT to_url FROM links WHERE from_url = ? AND rel = ?", [key, rel]
        ).fetchone()
        return row[0] if row else None

    def article_urls(self) -> Iterator[str]:
        rows = self.conn.execute("SELECT canonical_url FROM articles ORDER BY published_at DESC")
        return (url for (url,) in rows.fetchall())

    def absent_articles(self, host: str, listed: Collection[str]) -> Absence:
        rows = self.conn.execute(
            "SELECT canonical_url FROM articles WHERE removed_at IS NULL ORDER BY published_at"
        ).fetchall()
        mine = [url for (url,) in rows if host_of(url) == host]
        return Absence(archived=len(mine), absent=[url for url in mine if url not in listed])

    def neighbours(self, key: str) -> list[str]:
        rows = self.conn.execute(
            "SELECT to_url FROM links WHERE from_url = ? AND rel IN ('prev', 'next') "
            "UNION SELECT from_url FROM links WHERE to_url = ? AND rel IN ('prev', 'next')",
            [key, key],
        ).fetchall()
        return sorted({url for (url,) in rows if url != key})

    def chain_report(self) -> dict[str, Any]:
        return chain_report(self.conn)

    # -- the frontier ---------------------------------------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        with _refused(), self.frontier.batch():
            yield

    def begin(self) -> Resumed | None:
        with _refused():
            return self.frontier.begin()

    def add(self, entry: Entry) -> bool:
        with _refused():
            return self.frontier.add(entry)

    def lease(self, key: str) -> None:
        with _refused():
            self.frontier.lease(key)

    def settle_leftovers(self, reason: str) -> list[str]:
        with _refused():
            return self.frontier.settle_leftovers(reason)


@contextmanager
def _refused() -> Iterator[None]:
    """SQLite's and the file system's refusals as the plan's :class:`StoreError`."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        raise StoreError(f"the archive refused a frontier write: {exc}") from exc
