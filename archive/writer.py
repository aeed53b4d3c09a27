"""The one write path into the archive: :class:`ArchiveWriter`.

Articles are buffered and written with their comments and prev/next links in one
transaction per batch. Nothing already archived is deleted: a comment or link missing from
a re-crawl stays. An article whose content is unchanged only gets its ``fetched_at``
updated.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from archive.db import ArchiveError, open_archive
from archive.migrations import ARTICLE_JSON_COLUMNS, COMMENT_COLUMNS
from scraper.extract.urls import canonicalize_url
from scraper.items import ARTICLE_FIELDS, Article, Comment, article_to_dict

COUNT_KEYS = ("new", "updated", "unchanged", "comments_written")
CRAWL_STATUSES = ("running", "finished", "stopped", "failed")
# Keys of finish_crawl()'s ``stats`` that are stored as they are (counts default to 0).
CRAWL_STAT_COUNTS = ("pages_fetched", "requests_failed", "items_skipped")
# Fields left out of content_hash: they change on every fetch without the content changing.
UNHASHED_FIELDS = frozenset({"fetched_at"})


def utc_now() -> str:
    """The writer's clock: UTC, ISO 8601, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def content_hash(article: Article) -> str:
    """SHA-256 of every content field of ``article`` (comments included, ``fetched_at``
    left out), so an unchanged re-crawl hashes the same."""
    data = {k: v for k, v in article_to_dict(article).items() if k not in UNHASHED_FIELDS}
    return hashlib.sha256(_json(data).encode("utf-8")).hexdigest()


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` columns that come from the article itself (JSON fields serialised);
    ``first_seen_at``, ``content_hash`` and ``crawl_id`` are the writer's."""
    data = asdict(article)
    row = {name: data[name] for name in ARTICLE_FIELDS if name != "comments"}
    for name in ARTICLE_JSON_COLUMNS:
        row[name] = json.dumps(row[name], ensure_ascii=False)
    return row


def comment_row(comment: Comment) -> dict[str, Any]:
    return {name: getattr(comment, name) for name in COMMENT_COLUMNS}


class ArchiveWriter:
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
        self._closed = False

    # -- crawls ---------------------------------------------------------------------------

    def start_crawl(self, spider: str, args: dict[str, Any], start_urls: list[str]) -> int:
        """Record a crawl as running; return its id (the default for :meth:`write_article`)."""
        self._check_open()
        with self.db.atomic():
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
        }
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        with self.db.atomic():
            cursor = self.db.execute(
                f"UPDATE crawls SET {assignments} WHERE id = :crawl_id",
                {**values, "crawl_id": crawl_id},
            )
        if cursor.rowcount != 1:
            raise ArchiveError(f"no crawl with id {crawl_id} in {self.path}")

    # -- articles -------------------------------------------------------------------------

    def write_article(self, article: Article, crawl_id: int | None = None) -> None:
        """Buffer ``article`` (written by the next :meth:`flush`, automatic every
        ``batch_size`` articles). ``crawl_id`` defaults to the crawl this writer started."""
        self._check_open()
        self._buffer.append((article, crawl_id if crawl_id is not None else self.crawl_id))
        if len(self._buffer) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the buffered articles, their comments and links in one transaction."""
        if not self._buffer:
            return
        self._check_open()
        batch = Counter[tuple[int | None, str]]()
        with self.db.atomic():
            for article, crawl_id in self._buffer:
                for key, n in self._write_one(article, crawl_id).items():
                    batch[crawl_id, key] += n
        # Counted only once the transaction committed.
        self._buffer.clear()
        for (crawl_id, key), n in batch.items():
            self.counts[key] += n
            if crawl_id is not None:
                self._crawl_counts.setdefault(crawl_id, Counter())[key] += n

    def _write_one(self, article: Article, crawl_id: int | None) -> Counter[str]:
        now = utc_now()
        digest = content_hash(article)
        key = article.canonical_url
        stored = self.db.execute(
            "SELECT content_hash FROM articles WHERE canonical_url = ?", [key]
        ).fetchone()
        if stored is not None and stored[0] == digest:
            if article.fetched_at is not None:
                self.db.execute(
                    "UPDATE articles SET fetched_at = ? WHERE canonical_url = ?",
                    [article.fetched_at, key],
                )
            return Counter(unchanged=1)
        row = {**article_row(article), "content_hash": digest, "crawl_id": crawl_id}
        if stored is None:
            self.db["articles"].insert({**row, "first_seen_at": now})
            result = Counter(new=1)
        else:
            self.db["articles"].update(key, row)
            result = Counter(updated=1)
        result["comments_written"] = self._write_comments(key, article.comments, now)
        self._write_links(article, now)
        return result

    def _write_comments(self, article_url: str, comments: list[Comment], now: str) -> int:
        stored = {
            row[0]: row[1:]
            for row in self.db.execute(
                f"SELECT comment_id, position, {', '.join(COMMENT_COLUMNS)} "
                "FROM comments WHERE article_url = ?",
                [article_url],
            )
        }
        written = 0
        for position, comment in enumerate(comments):
            row = {**comment_row(comment), "position": position}
            values = (position, *(row[name] for name in COMMENT_COLUMNS))
            previous = stored.get(comment.comment_id)
            if previous == values:
                continue
            if previous is None:
                self.db["comments"].insert(
                    {
                        "article_url": article_url,
                        "comment_id": comment.comment_id,
                        **row,
                        "first_seen_at": now,
                    }
                )
            else:
                self.db["comments"].update((article_url, comment.comment_id), row)
            stored[comment.comment_id] = values
            written += 1
        return written

    def _write_links(self, article: Article, now: str) -> None:
        for rel, url, title in (
            ("prev", article.prev_url, article.prev_title),
            ("next", article.next_url, article.next_title),
        ):
            if not url:
                continue
            to_url = canonicalize_url(url)
            stored = self.db.execute(
                "SELECT to_url, title FROM links WHERE from_url = ? AND rel = ?",
                [article.canonical_url, rel],
            ).fetchone()
            if stored is None:
                self.db["links"].insert(
                    {
                        "from_url": article.canonical_url,
                        "rel": rel,
                        "to_url": to_url,
                        "title": title,
                        "first_seen_at": now,
                    }
                )
            elif tuple(stored) != (to_url, title):
                self.db["links"].update(
                    (article.canonical_url, rel), {"to_url": to_url, "title": title}
                )

    # -- lifecycle ------------------------------------------------------------------------

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

    def _check_open(self) -> None:
        if self._closed:
            raise ArchiveError(f"the writer for {self.path} is closed")
