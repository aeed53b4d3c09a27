"""What the crawl plan asks of the archive, as plain values and one protocol.

The plan (:mod:`scraper.crawlplan`) decides what to fetch; the archive holds what is known
(articles, their prev/next links, validators) and the persisted frontier. ``scraper`` never
imports ``archive``: the store is named by the ``ARCHIVE_STORE`` setting (by default
``archive.planstore.ArchiveStore``) and loaded by Scrapy's ``load_object``, as Scrapy loads
pipelines and extensions. Tests of the plan's decisions can hand it any object with these
methods.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .exitcodes import EXIT_LOCKED

# What a frontier entry is for.
ENTRY_KINDS = ("article", "listing", "sitemap", "feed")


class StoreBusy(RuntimeError):
    """Another process is crawling into the same archive; ``str()`` is one line."""


class StoreError(RuntimeError):
    """The store refused a write (a full disk, a read-only file); ``str()`` is one line.
    The plan ends the run with it: what is not persisted cannot be resumed."""


@dataclass(frozen=True)
class Entry:
    """A request the crawl means to make, as the frontier keeps it."""

    key: str
    url: str
    kind: str
    meta: dict[str, Any]
    priority: int = 0


@dataclass
class Resumed:
    """What an unfinished earlier run left: entries to request again, keys already seen,
    failures already recorded, and the crawl it belonged to."""

    pending: list[Entry]
    seen: set[str]
    failed: list[dict[str, str]] = field(default_factory=list)
    crawl_id: int | None = None


@dataclass(frozen=True)
class KnownRow:
    """An archived article as stored: its dates and validators as the archive wrote them
    (ISO 8601 text; ``checked_at`` is when a crawl last looked)."""

    url: str
    published_at: str | None
    modified_at: str | None
    fetched_at: str | None
    content_hash: str
    comment_count: int | None
    etag: str | None
    last_modified: str | None
    checked_at: str | None


@dataclass(frozen=True)
class Absence:
    """A host's archived articles (not marked removed) against a set of listed keys: how
    many there are, and which of them the set lacks (oldest published first)."""

    archived: int
    absent: list[str]


class PlanStore(Protocol):
    """The archive as the crawl plan sees it (one run's view, on the crawl's thread).
    Frontier writes that fail raise :class:`StoreError`."""

    @classmethod
    def open(cls, db_path: str | Path) -> PlanStore:
        """Lock the archive for this run (raise :class:`StoreBusy` if another run holds
        it), apply pending migrations, open the frontier."""
        ...

    def close(self) -> None: ...

    # what the archive knows
    def known(self, key: str) -> KnownRow | None: ...
    def stored_link(self, key: str, rel: str) -> str | None: ...
    def article_urls(self) -> Iterator[str]:
        """Every archived article's key, newest published first."""
        ...

    def absent_articles(self, host: str, listed: Collection[str]) -> Absence:
        """The archived articles of ``host`` (not marked removed) not in ``listed``."""
        ...

    def neighbours(self, key: str) -> list[str]:
        """The archived articles ``key`` links to as previous/next, and those that link to
        it so."""
        ...

    def chain_report(self) -> dict[str, Any]: ...

    # the frontier
    def batch(self) -> AbstractContextManager[None]: ...
    def begin(self) -> Resumed | None: ...
    def add(self, entry: Entry) -> bool: ...
    def lease(self, key: str) -> None: ...
    def settle_leftovers(self, reason: str) -> list[str]: ...


__all__ = [
    "ENTRY_KINDS",
    "EXIT_LOCKED",
    "Absence",
    "Entry",
    "KnownRow",
    "PlanStore",
    "Resumed",
    "StoreBusy",
    "StoreError",
]
