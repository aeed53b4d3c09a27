"""The one write path into the archive: :class:`ArchiveWriter`.

Articles are buffered and written with their comments and prev/next links in one
transaction per batch. Nothing already archived is deleted: a comment or link missing from
a re-crawl stays. An article whose content is unchanged only gets its ``fetched_at``
updated.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from archive.captures import Capture, CaptureStore
from archive.db import ArchiveError, open_archive, write_lock
from archive.writer_rows import RowWriter, utc_now
from scraper.extract.urls import canonicalize_url
from scraper.items import Article, FetchNote

COUNT_KEYS = ("new", "updated", "unchanged", "comments_written")
CRAWL_STATUSES = ("running", "finished", "stopped", "failed")
# Keys of finish_crawl()'s ``stats`` that are stored as they are (counts default to 0).
CRAWL_STAT_COUNTS = ("pages_fetched", "requests_failed", "items_skipped")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class ArchiveWriter(RowWriter):
    """Write articles into the archive at ``path`` in batches of ``batch_size``.

    Use as a context manager, or call :meth:`close` (which flushes) when done::

        with ArchiveWriter("archive.db") as writer:
            crawl_id = writer.start_crawl("articles", {"direction": "both"}, [url])
            writer.write_article(article)
            writer.finish_crawl(crawl_id, "finished", {"pages_fetched": 12})
    """

    def __init__(self, path: str | Path, batch_size: int = 50) -> None:
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, not {batch_size}")
        self.path = Path(path)
        self.batch_size = batch_size
        self.db: Database = open_archive(self.path)
        # Totals over this writer's life: new / updated / unchanged articles and comment rows
        # inserted or changed.
        self.counts: dict[str, int] = dict.fromkeys(COUNT_KEYS, 0)
        # The crawl started by the last start_crawl(); write_article() defaults to it.
        self.crawl_id: int | None = None
        self._crawl_counts: dict[int, Counter[str]] = {}
        self._buffer: list[tuple[Article, int | None]] = []
        # Raw captures and 404/410 removals, written first by the next flush().
        self._captures: list[Capture] = []
        self._removals: list[tuple[str, str]] = []  # (url, removed_at)
        # Articles written with track_presence=False (offline re-extraction).
        self._untracked: set[int] = set()
        # Fetch notes (validators, frontier keys to settle), written after the articles.
        self._notes: list[tuple[FetchNote, int | None]] = []
        self._closed = False
        self._capture_store = CaptureStore(self.db)
        self._lock = write_lock(self.path)

    # -- crawls ---------------------------------------------------------------------------

    def start_crawl(self, spider: str, args: dict[str, Any], start_urls: list[str]) -> int:
        """Record a crawl as running; return its id (the default for :meth:`write_article`)."""
        self._check_open()
        with self._lock, self.db.atomic():
            cursor = self.db.execute(
                "INSERT INTO crawls (started_at, status, spider, args, start_urls) "
                "VALUES (?, 'running', ?, ?, ?)",
                [utc_now(), spider, _json(args), _json(list(start_urls))],
            )
        crawl_id = cursor.lastrowid
        assert crawl_id is not None
        self.crawl_id = crawl_id
        self._crawl_counts[crawl_id] = Counter()
        return crawl_id

    def finish_crawl(self, crawl_id: int, status: str, stats: dict[str, Any]) -> None:
        """Flush, then complete the crawl's row.

        ``stats`` keys used: ``pages_fetched``, ``requests_failed``, ``items_skipped``
        (integers; ``items_skipped`` defaults to the sum of ``skipped``), ``skipped``
        (reason -> count), ``finish_reason`` (Scrapy's close reason) and ``errors`` (list of ``{"url", "reason"}``). The article and
        comment counts come from what this writer wrote for the crawl. Other keys are
        ignored.
        """
        if status not in CRAWL_STATUSES:
            raise ValueError(f"crawl status must be one of {', '.join(CRAWL_STATUSES)}: {status!r}")
        self.flush()
        counts = self._crawl_counts.get(crawl_id, Counter())
        skipped = dict(stats.get("skipped") or {})
        values: dict[str, Any] = {
            "finished_at": None if status == "running" else utc_now(),
            "status": status,
            "finish_reason": stats.get("finish_reason"),
            "articles_new": counts["new"],
            "articles_updated": counts["updated"],
            "articles_unchanged": counts["unchanged"],
            "comments_written": counts["comments_written"],
            "pages_fetched": int(stats.get("pages_fetched") or 0),
            "requests_failed": int(stats.get("requests_failed") or 0),
            "items_skipped": int(stats.get("items_skipped", sum(skipped.values()))),
            "skipped": _json(skipped),
            "errors": json.dumps(list(stats.get("errors") or []), ensure_ascii=False),
            "articles_not_modified": counts["not_modified"],
            "articles_gone": counts["gone"],
            "requests_sent": int(stats.get("requests_sent") or 0),
            "discovered": _json(dict(stats.get("discovered") or {})),
            "chain": _json(stats["chain"]) if stats.get("chain") is not None else None,
            "resumed_crawl_id": stats.get("resumed_crawl_id"),
        }
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        with self._lock, self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE crawls SET {assignments} WHERE id = :crawl_id",
                {**values, "crawl_id": crawl_id},
            )
        if cursor.rowcount != 1:
            raise ArchiveError(f"no crawl with id {crawl_id} in {self.path}")

    # -- articles -------------------------------------------------------------------------

    def write_article(
        self, article: Article, crawl_id: int | None = None, *, track_presence: bool = True
    ) -> None:
        """Buffer ``article`` (written by the next :meth:`flush`, automatic every
        ``batch_size`` articles). ``crawl_id`` defaults to the crawl this writer started.

        ``track_presence``: the article was just fetched, so its comments are seen now
        (``last_seen_at``), stored comments missing from its thread get ``removed_at``, and
        a ``removed_at`` of the article is cleared. Offline re-extraction passes ``False``.
        """
        self._check_open()
        self._buffer.append((article, crawl_id if crawl_id is not None else self.crawl_id))
        if not track_presence:
            self._untracked.add(id(article))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def write_capture(self, capture: Capture) -> None:
        """Buffer one fetched response (body stored once per digest); its ``crawl_id``
        defaults to the crawl this writer started."""
        self._check_open()
        if capture.crawl_id is None:
            capture.crawl_id = self.crawl_id
        self._captures.append(capture)
        if len(self._captures) >= 4 * self.batch_size:
            self.flush()

    def mark_removed(self, url: str, removed_at: str | None = None) -> None:
        """The archived article at ``url`` now answers 404/410: set its ``removed_at``
        (kept if already set). Nothing is deleted; a URL not archived is ignored."""
        self._check_open()
        self._removals.append((url, removed_at or utc_now()))

    def flush(self) -> None:
        """Write the buffered captures, articles (with their comments and links) and fetch
        notes in one transaction.

        If that transaction fails, each part is tried again in a transaction of its own,
        so that one article the archive refuses does not take the rest of the batch with
        it. What still fails is dropped from the buffer, together with the notes that
        would settle its frontier entries (the page stays unsettled: a later run fetches
        it again), and :class:`ArchiveError` says what was dropped and why."""
        if not self._buffer and not self._captures and not self._removals and not self._notes:
            return
        self._check_open()
        captures, removals = list(self._captures), list(self._removals)
        buffer, notes = list(self._buffer), list(self._notes)
        self._buffer.clear()
        self._captures.clear()
        self._removals.clear()
        self._notes.clear()
        try:
            try:
                self._commit(captures, removals, buffer, notes)
                self._train_dictionaries()
                return
            except sqlite3.Error:
                pass  # each part again, on its own
            failures: list[tuple[str, sqlite3.Error]] = []
            try:
                self._commit(captures, removals, [], [])
            except sqlite3.Error as exc:
                failures.append((f"{len(captures)} captures", exc))
            dropped: set[str] = set()
            for item in buffer:
                try:
                    self._commit([], [], [item], [])
                except sqlite3.Error as exc:
                    failures.append((f"article {item[0].canonical_url}", exc))
                    dropped.update({item[0].canonical_url, item[0].url})
            kept = [(note, crawl) for note, crawl in notes if note.url not in dropped]
            try:
                self._commit([], [], [], kept)
            except sqlite3.Error as exc:
                failures.append((f"{len(kept)} fetch notes", exc))
            if failures:
                what, first = failures[0]
                raise ArchiveError(
                    f"{len(failures)} writes dropped from a batch of {len(buffer)} articles; "
                    f"first: {what}: {first}"
                ) from first
        finally:
            self._untracked.clear()

    def _train_dictionaries(self) -> None:
        """Train the zstd dictionary of each site that now has enough samples: outside
        any transaction, so that the frontier's writes (on the crawl's thread) do not
        wait for it; then store it and recompress its samples in a short one."""
        store = self._capture_store
        for host in store.ready_to_train():
            data = store.train(host)
            if data is not None:
                with self._lock, self.db.atomic():
                    store.install(host, data)

    def _commit(
        self,
        captures: list[Capture],
        removals: list[tuple[str, str]],
        buffer: list[tuple[Article, int | None]],
        notes: list[tuple[FetchNote, int | None]],
    ) -> None:
        batch = Counter[tuple[int | None, str]]()
        with self._lock, self.db.atomic():
            for capture in captures:
                self._capture_store.insert(capture)
            for url, removed_at in removals:
                self.db.execute(
                    "UPDATE articles SET removed_at = ? "
                    "WHERE canonical_url IN (?, ?) AND removed_at IS NULL",
                    [removed_at, canonicalize_url(url), url],
                )
            for article, crawl_id in buffer:
                for key, n in self._write_one(article, crawl_id).items():
                    batch[crawl_id, key] += n
            for note, crawl_id in notes:
                self._write_note(note, crawl_id)
                if note.not_modified or note.gone:
                    batch[crawl_id, "not_modified" if note.not_modified else "gone"] += 1
            totals: dict[int, Counter[str]] = {}
            for (crawl_id, key), n in batch.items():
                if crawl_id is not None and crawl_id in self._crawl_counts:
                    totals.setdefault(crawl_id, Counter(self._crawl_counts[crawl_id]))[key] += n
            for crawl_id, counts in totals.items():
                # The crawl's row holds its counts as of its last commit, so a run that is
                # killed (or whose archive fills up) says how far it got.
                self.db.execute(
                    "UPDATE crawls SET articles_new = ?, articles_updated = ?, "
                    "articles_unchanged = ?, comments_written = ?, articles_not_modified = ?, "
                    "articles_gone = ? WHERE id = ?",
                    [
                        counts["new"],
                        counts["updated"],
                        counts["unchanged"],
                        counts["comments_written"],
                        counts["not_modified"],
                        counts["gone"],
                        crawl_id,
                    ],
                )
        # Counted only once the transaction committed.
        for (crawl_id, key), n in batch.items():
            if key in COUNT_KEYS:
                self.counts[key] += n
            if crawl_id is not None:
                self._crawl_counts.setdefault(crawl_id, Counter())[key] += n

    def abandon_running_crawls(self, current_id: int) -> list[int]:
        """Mark crawls other than ``current_id`` still 'running' as failed (killed): the
        caller holds the archive's crawl lock, so none of them is alive. Their ids."""
        self._check_open()
        with self._lock, self.db.atomic():
            ids = [
                row[0]
                for row in self.db.execute(
                    "SELECT id FROM crawls WHERE status = 'running' AND id != ?", [current_id]
                )
            ]
            self.db.execute(
                "UPDATE crawls SET status = 'failed', finish_reason = 'killed' "
                "WHERE status = 'running' AND id != ?",
                [current_id],
            )
        return ids

    def previous_crawl_id(self, current_id: int, spider: str) -> int | None:
        """The run of ``spider`` before ``current_id``: the one whose unfinished frontier a
        resuming run takes over, however it ended (killed, stopped, failed)."""
        row = self.db.execute(
            "SELECT max(id) FROM crawls WHERE id < ? AND spider = ?", [current_id, spider]
        ).fetchone()
        return row[0] if row else None

    # -- fetch notes (conditional requests, the crawl frontier) ----------------------------

    def note_fetch(self, note: FetchNote, crawl_id: int | None = None) -> None:
        """Buffer what a crawl learnt about a page (see :class:`FetchNote`); written by the
        next :meth:`flush`, after any article buffered before it."""
        self._check_open()
        self._notes.append((note, crawl_id if crawl_id is not None else self.crawl_id))
        if len(self._notes) >= 4 * self.batch_size:
            self.flush()

    def close(self) -> None:
        """Flush and close the database. Safe to call twice."""
        if self._closed:
            return
        try:
            self.flush()
        finally:
            self._closed = True
            self.db.close()

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def buffered(self) -> bool:
        """Whether anything waits for the next :meth:`flush`."""
        return bool(self._buffer or self._captures or self._removals or self._notes)

    def _check_open(self) -> None:
        if self._closed:
            raise ArchiveError(f"the writer for {self.path} is closed")
