"""The rows :class:`~archive.writer.ArchiveWriter` writes inside its transactions: an
article's row (a new version kept when its content changes), its comments, prev/next links
and presence, and a fetch note's ``fetch_state`` row and frontier keys."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlite_utils import Database

from archive.frontier import settle_keys
from archive.migrations import ARTICLE_JSON_COLUMNS, COMMENT_COLUMNS
from archive.revisions import diff_rows, record_version
from scraper.extract.urls import canonicalize_url
from scraper.extract.widgets import ADAPTERS
from scraper.items import ARTICLE_FIELDS, Article, Comment, FetchNote, article_to_dict, hash_fields


def utc_now() -> str:
    """The writer's clock: UTC, ISO 8601, seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def article_row(article: Article) -> dict[str, Any]:
    """The ``articles`` columns that come from the article itself (JSON fields serialised);
    ``first_seen_at``, ``content_hash`` and ``crawl_id`` are the writer's."""
    return _row_of(article_to_dict(article))


def _row_of(data: dict[str, Any]) -> dict[str, Any]:
    row = {name: data[name] for name in ARTICLE_FIELDS if name != "comments"}
    for name in ARTICLE_JSON_COLUMNS:
        row[name] = json.dumps(row[name], ensure_ascii=False)
    return row


def _insert_sql(table: str, columns: list[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"


_COMMENT_INSERT_COLUMNS = [
    "article_url", "comment_id", *COMMENT_COLUMNS, "position", "first_seen_at", "last_seen_at",
]  # fmt: skip
_COMMENT_INSERT = _insert_sql("comments", _COMMENT_INSERT_COLUMNS)
_LINK_INSERT = _insert_sql("links", ["from_url", "rel", "to_url", "title", "first_seen_at"])


def comment_row(comment: Comment) -> dict[str, Any]:
    return {name: getattr(comment, name) for name in COMMENT_COLUMNS}


class RowWriter:
    """The row writes of :class:`~archive.writer.ArchiveWriter`, on its connection and inside
    a transaction it holds."""

    db: Database
    # Articles written with track_presence=False (offline re-extraction).
    _untracked: set[int]

    def _write_one(self, article: Article, crawl_id: int | None) -> Counter[str]:
        now = utc_now()
        data = article_to_dict(article)
        digest = hash_fields(data)
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
            if id(article) not in self._untracked:
                self._track_presence(article, now)
            return Counter(unchanged=1)
        row = {**_row_of(data), "content_hash": digest, "crawl_id": crawl_id}
        if stored is None:
            row["first_seen_at"] = now
            self.db.execute(_insert_sql("articles", list(row)), list(row.values()))
            del row["first_seen_at"]
            result = Counter(new=1)
        else:
            self._keep_version(key, row, now, crawl_id)
            self.db["articles"].update(key, row)
            result = Counter(updated=1)
        result["comments_written"] = self._write_comments(key, article.comments, now)
        self._write_links(article, now)
        if id(article) not in self._untracked:
            self._track_presence(article, now)
        return result

    def _keep_version(self, key: str, row: dict[str, Any], now: str, crawl_id: int | None) -> None:
        """Before the row at ``key`` is replaced by ``row``: keep it in
        ``article_versions`` if its content (not only its comments or links) changes."""
        old = next(iter(self.db.query("SELECT * FROM articles WHERE canonical_url = ?", [key])))
        summary = diff_rows(old, row)
        if summary:
            record_version(self.db, old, summary, now, crawl_id)

    def _track_presence(self, article: Article, now: str) -> None:
        """The article was fetched now: its comments are seen, the stored ones missing
        from a thread read from the page are removed, and the article is not removed."""
        key = article.canonical_url
        ids = json.dumps([c.comment_id for c in article.comments])
        self.db.execute(
            "UPDATE comments SET last_seen_at = ?, removed_at = NULL "
            "WHERE article_url = ? AND comment_id IN (SELECT value FROM json_each(?))",
            [now, key, ids],
        )
        # A whole thread was read: from the HTML, or by a widget's adapter from its API (a
        # page that only names the widget holds no thread at all).
        source = article.comments_source
        read_by_adapter = source in ADAPTERS and article.sources.get("comments") == source
        if source == "html" or read_by_adapter:
            self.db.execute(
                "UPDATE comments SET removed_at = ? WHERE article_url = ? AND removed_at IS NULL "
                "AND comment_id NOT IN (SELECT value FROM json_each(?))",
                [now, key, ids],
            )
        self.db.execute(
            "UPDATE articles SET removed_at = NULL "
            "WHERE canonical_url = ? AND removed_at IS NOT NULL",
            [key],
        )

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
        inserts: list[list[Any]] = []
        for position, comment in enumerate(comments):
            row = {**comment_row(comment), "position": position}
            values = (position, *(row[name] for name in COMMENT_COLUMNS))
            previous = stored.get(comment.comment_id)
            if previous == values:
                continue
            if previous is None:
                inserts.append([article_url, comment.comment_id, *values[1:], position, now, now])
            else:
                self.db["comments"].update((article_url, comment.comment_id), row)
            stored[comment.comment_id] = values
            written += 1
        if inserts:
            self.db.conn.executemany(_COMMENT_INSERT, inserts)
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
                self.db.execute(_LINK_INSERT, [article.canonical_url, rel, to_url, title, now])
            elif tuple(stored) != (to_url, title):
                self.db["links"].update(
                    (article.canonical_url, rel), {"to_url": to_url, "title": title}
                )

    def _write_note(self, note: FetchNote, crawl_id: int | None) -> None:
        checked_at = note.checked_at or utc_now()
        if note.url is None:
            pass
        elif note.not_modified:
            # A 304 keeps the validators we sent; only the check is new.
            self.db.execute(
                "UPDATE fetch_state SET status = 304, checked_at = ?, crawl_id = ? WHERE url = ?",
                [checked_at, crawl_id, note.url],
            )
        else:
            self.db.execute(
                "INSERT INTO fetch_state (url, etag, last_modified, status, checked_at, crawl_id) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, status = excluded.status, "
                "checked_at = excluded.checked_at, crawl_id = excluded.crawl_id",
                [note.url, note.etag, note.last_modified, note.status, checked_at, crawl_id],
            )
        settle_keys(
            self.db.conn, note.frontier_keys, note.frontier_state, note.reason, checked_at, crawl_id
        )

    # -- lifecycle ------------------------------------------------------------------------
