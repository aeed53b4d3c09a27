"""Every read of the archive but search: read-only SQL, one article, stats (full-text
search is :mod:`archive.search`, the export :mod:`archive.export`).

Nothing here writes. :func:`run_readonly_query` opens its own ``mode=ro`` connection and
an authorizer that refuses anything but reading.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from archive.db import ArchiveError, open_readonly
from archive.migrations import ARTICLE_JSON_COLUMNS, COMMENT_COLUMNS
from scraper.extract.urls import canonicalize_url
from scraper.items import ARTICLE_FIELDS, Article, Comment, article_from_dict


class QueryError(ArchiveError):
    """A query could not run (bad SQL, bad parameters)."""


class ReadOnlyViolation(QueryError):
    """A query tried to write or change the database or connection."""


class ArticleNotFound(ArchiveError):
    """No archived article has that URL."""


# -- read-only SQL ------------------------------------------------------------------------

# Authorizer action codes (https://sqlite.org/c3ref/c_alter_table.html) -> statement names.
_ACTION_NAMES = {
    getattr(sqlite3, f"SQLITE_{name}"): name.replace("_", " ")
    for name in (
        "CREATE_INDEX", "CREATE_TABLE", "CREATE_TEMP_INDEX", "CREATE_TEMP_TABLE",
        "CREATE_TEMP_TRIGGER", "CREATE_TEMP_VIEW", "CREATE_TRIGGER", "CREATE_VIEW", "DELETE",
        "DROP_INDEX", "DROP_TABLE", "DROP_TEMP_INDEX", "DROP_TEMP_TABLE", "DROP_TEMP_TRIGGER",
        "DROP_TEMP_VIEW", "DROP_TRIGGER", "DROP_VIEW", "INSERT", "PRAGMA", "READ", "SELECT",
        "TRANSACTION", "UPDATE", "ATTACH", "DETACH", "ALTER_TABLE", "REINDEX", "ANALYZE",
        "CREATE_VTABLE", "DROP_VTABLE", "FUNCTION", "SAVEPOINT", "RECURSIVE",
    )
}  # fmt: skip
_ALLOWED_ACTIONS = frozenset(
    {sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE}
)
# SQLite reports preparing a virtual table (FTS5, pragma functions) as an UPDATE of the
# schema table, and DDL as a write to it before the CREATE/DROP itself. Allowing those
# row actions on the schema table lets the statement itself be named (and refused); the
# schema table cannot be written by a query anyway (and the connection is mode=ro).
_ROW_ACTIONS = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})
_SCHEMA_TABLES = frozenset({"sqlite_master", "sqlite_schema", "sqlite_temp_master"})
# PRAGMAs that only report, whatever their argument (a table or index name).
_PRAGMAS_WITH_ARGUMENT = frozenset(
    {
        "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
        "foreign_key_list", "foreign_key_check", "integrity_check", "quick_check",
    }
)  # fmt: skip
# PRAGMAs that only report when given no value (``PRAGMA user_version`` reads it,
# ``PRAGMA user_version = 3`` would set it).
_PRAGMAS_WITHOUT_VALUE = _PRAGMAS_WITH_ARGUMENT | frozenset(
    {
        "application_id", "auto_vacuum", "busy_timeout", "cache_size", "collation_list",
        "compile_options", "data_version", "database_list", "encoding", "foreign_keys",
        "freelist_count", "function_list", "journal_mode", "module_list", "page_count",
        "page_size", "pragma_list", "schema_version", "user_version",
    }
)  # fmt: skip


class _ReadOnlyAuthorizer:
    """An sqlite3 authorizer that allows reading and remembers the first refusal."""

    def __init__(self) -> None:
        self.refused: str | None = None

    def __call__(
        self, action: int, arg1: str | None, arg2: str | None, _db: str | None, _t: str | None
    ) -> int:
        if action in _ALLOWED_ACTIONS:
            return sqlite3.SQLITE_OK
        if action in _ROW_ACTIONS and arg1 in _SCHEMA_TABLES:
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and arg1 is not None:
            name = arg1.lower()
            if name in _PRAGMAS_WITH_ARGUMENT or (arg2 is None and name in _PRAGMAS_WITHOUT_VALUE):
                return sqlite3.SQLITE_OK
        if self.refused is None:
            self.refused = self._describe(action, arg1, arg2)
        return sqlite3.SQLITE_DENY

    @staticmethod
    def _describe(action: int, arg1: str | None, arg2: str | None) -> str:
        name = _ACTION_NAMES.get(action, f"operation {action}")
        if action == sqlite3.SQLITE_PRAGMA:
            return f"PRAGMA {arg1}" + (f" = {arg2}" if arg2 is not None else "")
        if action == sqlite3.SQLITE_TRANSACTION and arg1:
            return arg1.upper()
        if action == sqlite3.SQLITE_CREATE_TABLE and (arg1 or "").startswith("sqlite_stat"):
            return "ANALYZE"  # the first ANALYZE of a database creates its statistics table
        return name


# Limits of one `newsarchive query` run (the CLI's --timeout and --max-memory defaults).
DEFAULT_TIMEOUT_S = 30.0
DEFAULT_MAX_MEMORY_MB = 512
# How often (in SQLite virtual-machine instructions) the deadline is checked: about every
# millisecond or less, at a cost too small to measure.
_PROGRESS_STEPS = 10_000
_FETCH_BATCH = 1000
_MB = 1024 * 1024
# SQLite's answers to a query over its memory cap: a value longer than the length limit,
# an allocation refused.
_OVER_MEMORY = frozenset({"SQLITE_TOOBIG", "SQLITE_NOMEM"})


class QueryLimitExceeded(QueryError):
    """A query ran past its time limit or its memory cap."""


def _cap_memory(conn: sqlite3.Connection, limit_bytes: int) -> None:
    """Bound what one query's connection can hold in memory, on this connection only.

    SQLite's ``hard_heap_limit`` is one setting for the whole process that a PRAGMA can
    only lower, never lift again: a library call must not leave it behind. Instead: the
    page cache is capped (``cache_size``), sorts, DISTINCT, recursive-CTE queues and
    other temporary tables spill to temporary files past it (``temp_store = FILE``), and
    no one value (a ``group_concat``, a ``zeroblob``) may pass the cap
    (``SQLITE_LIMIT_LENGTH``). The result rows held for output are counted by
    :func:`_fetch_capped`."""
    conn.execute(f"PRAGMA cache_size = -{max(limit_bytes // 1024 // 2, 1024)}")
    conn.execute("PRAGMA temp_store = FILE")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, min(limit_bytes, 1_000_000_000))


def run_readonly_query(
    db_path: str | Path,
    sql: str,
    params: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT_S,
    max_memory_mb: int | None = DEFAULT_MAX_MEMORY_MB,
) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Run one SQL statement against the archive read-only; return (columns, rows).

    The connection is opened with ``mode=ro`` and an authorizer that refuses every
    statement other than reading, raising :class:`ReadOnlyViolation` ("query is read-only:
    INSERT is not allowed"). Other failures raise :class:`QueryError`.

    Limits (``None`` or 0: none): ``timeout`` seconds of running time, checked by a
    progress handler that interrupts the statement; ``max_memory_mb`` megabytes for
    SQLite's page cache, for any one value and for the result rows held in memory, with
    sorts and temporary tables spilling to temporary files past the cache (see
    :func:`_cap_memory`). Either one raises :class:`QueryLimitExceeded`.
    """
    if _first_keyword(sql) is None:
        raise QueryError("query is empty: give one SQL statement")
    db = open_readonly(db_path)
    conn = db.conn
    limit_bytes = max_memory_mb * _MB if max_memory_mb else None
    deadline = time.monotonic() + timeout if timeout else None
    timed_out = False

    def past_deadline() -> int:
        nonlocal timed_out
        timed_out = deadline is not None and time.monotonic() > deadline
        return 1 if timed_out else 0

    if limit_bytes is not None:
        _cap_memory(conn, limit_bytes)
    authorizer = _ReadOnlyAuthorizer()
    conn.set_authorizer(authorizer)
    if deadline is not None:
        conn.set_progress_handler(past_deadline, _PROGRESS_STEPS)
    try:
        cursor = conn.execute(sql, params if params is not None else ())
        columns = [d[0] for d in cursor.description or ()]
        rows = _fetch_capped(cursor, limit_bytes)
    except MemoryError as exc:
        raise _memory_exceeded(max_memory_mb) from exc
    except (sqlite3.Error, sqlite3.Warning, ValueError, OverflowError) as exc:
        if limit_bytes is not None and getattr(exc, "sqlite_errorname", "") in _OVER_MEMORY:
            raise _memory_exceeded(max_memory_mb) from exc
        if timed_out:
            raise QueryLimitExceeded(
                f"query exceeded {timeout:g} s (--timeout) and was stopped"
            ) from exc
        if authorizer.refused is not None:
            raise ReadOnlyViolation(
                f"query is read-only: {_refused_statement(sql, authorizer.refused)} is not allowed"
            ) from exc
        raise QueryError(f"query failed: {one_line(exc)}") from exc
    finally:
        conn.close()
    return columns, rows


def _fetch_capped(cursor: sqlite3.Cursor, limit_bytes: int | None) -> list[tuple[Any, ...]]:
    """Every row of ``cursor``; :class:`MemoryError` once the rows held pass ``limit_bytes``
    (their size as Python objects, ``sys.getsizeof``)."""
    rows: list[tuple[Any, ...]] = []
    held = 0
    while batch := cursor.fetchmany(_FETCH_BATCH):
        for row in batch:
            rows.append(tuple(row))
            if limit_bytes is not None:
                held += sys.getsizeof(row) + sum(sys.getsizeof(v) for v in row)
        if limit_bytes is not None and held > limit_bytes:
            raise MemoryError
    return rows


def _memory_exceeded(max_memory_mb: int | None) -> QueryLimitExceeded:
    return QueryLimitExceeded(
        f"query exceeded the memory cap of {max_memory_mb} MB (--max-memory) and was stopped"
    )


# Whitespace and comments before a statement's first keyword.
_LEADING = re.compile(r"(?:\s+|--[^\n]*(?:\n|$)|/\*.*?(?:\*/|$))*", re.S)
_KEYWORD = re.compile(r"[A-Za-z]+")
_VACUUM_INTO = re.compile(r"vacuum(?:\s+(?:\w+|\"[^\"]*\"|\[[^\]]*\]))?\s+into\b", re.I)


def _first_keyword(sql: str) -> str | None:
    """The statement's first keyword, upper-cased (``None`` if it has none: empty, or
    only comments)."""
    rest = sql[_LEADING.match(sql).end() :]  # type: ignore[union-attr]
    found = _KEYWORD.match(rest)
    return found.group(0).upper() if found else None


def _refused_statement(sql: str, refused: str) -> str:
    """What to name in the refusal. SQLite runs ``VACUUM`` as an ``ATTACH`` of a scratch
    database (so the authorizer sees ATTACH); the user wrote VACUUM, which writes."""
    if _first_keyword(sql) != "VACUUM":
        return refused
    if _VACUUM_INTO.match(sql[_LEADING.match(sql).end() :]):  # type: ignore[union-attr]
        return "VACUUM INTO (it writes a copy of the database to a file)"
    return "VACUUM (it rewrites the database file)"


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


# -- one article --------------------------------------------------------------------------


def get_article(db: Database, url: str) -> Article:
    """The archived article at ``url`` (its URL or canonical URL, tracking parameters
    allowed), comments in thread order. Raises :class:`ArticleNotFound`."""
    return _article_from_row(db, find_article_row(db, url))


def find_article_row(db: Database, url: str) -> dict[str, Any]:
    """The ``articles`` row of the article at ``url`` (its URL or canonical URL, tracking
    parameters allowed). Raises :class:`ArticleNotFound`."""
    candidates = list(dict.fromkeys([canonicalize_url(url), url.strip()]))
    marks = ", ".join("?" for _ in candidates)
    # The primary key first; the fetched URL (not indexed) only if that finds nothing.
    rows = list(
        db.query(f"SELECT * FROM articles WHERE canonical_url IN ({marks}) LIMIT 1", candidates)
    ) or list(db.query(f"SELECT * FROM articles WHERE url IN ({marks}) LIMIT 1", candidates))
    if not rows:
        raise ArticleNotFound(f"no archived article with URL {url}")
    return rows[0]


def _article_from_row(db: Database, row: dict[str, Any]) -> Article:
    return article_from_rows(row, comment_rows(db, row["canonical_url"]))


def comment_rows(db: Database, article_url: str) -> list[dict[str, Any]]:
    """The ``comments`` rows of the article at ``article_url``, in thread order."""
    return list(
        db.query(
            "SELECT * FROM comments WHERE article_url = ? ORDER BY position, rowid",
            [article_url],
        )
    )


def article_from_rows(row: dict[str, Any], comments: Sequence[dict[str, Any]]) -> Article:
    """The :class:`Article` stored as the ``articles`` row ``row`` and its ``comments``
    rows (columns the schema lacks are left at their defaults)."""
    data = {name: row[name] for name in ARTICLE_FIELDS if name in row}
    for name in ARTICLE_JSON_COLUMNS:
        if data.get(name) is not None:
            data[name] = json.loads(data[name])
    data["comments"] = [
        {"comment_id": c["comment_id"], **{name: c[name] for name in COMMENT_COLUMNS}}
        for c in comments
    ]
    return article_from_dict(data)


def removals(db: Database, canonical_url: str) -> tuple[str | None, dict[str, str]]:
    """When the article at ``canonical_url`` was found gone (``None`` while online), and
    when each of its comments that left its page did (comment id -> ``removed_at``).
    An archive from before these columns existed has neither."""
    try:
        row = db.execute(
            "SELECT removed_at FROM articles WHERE canonical_url = ?", [canonical_url]
        ).fetchone()
        gone = db.execute(
            "SELECT comment_id, removed_at FROM comments "
            "WHERE article_url = ? AND removed_at IS NOT NULL",
            [canonical_url],
        ).fetchall()
    except sqlite3.OperationalError:  # no removed_at column
        return None, {}
    return (row[0] if row else None), dict(gone)


def thread_tree(comments: Sequence[Comment]) -> list[tuple[int, Comment]]:
    """``comments`` in tree order as (depth, comment) pairs, depth 1 at the top level:
    each reply follows its parent (siblings keep their order); a comment whose parent is
    not in the list is shown at the top level."""
    ids = {c.comment_id for c in comments}
    children: dict[str | None, list[Comment]] = {}
    for comment in comments:
        parent = comment.parent_id if comment.parent_id in ids else None
        if parent == comment.comment_id:
            parent = None
        children.setdefault(parent, []).append(comment)
    tree: list[tuple[int, Comment]] = []
    seen: set[str] = set()

    def visit(parent: str | None, depth: int) -> None:
        for comment in children.get(parent, []):
            if comment.comment_id in seen:
                continue
            seen.add(comment.comment_id)
            tree.append((depth, comment))
            visit(comment.comment_id, depth + 1)

    visit(None, 1)
    # Comments caught in a parent cycle are unreachable from the top: list them at depth 1.
    for comment in comments:
        if comment.comment_id not in seen:
            seen.add(comment.comment_id)
            tree.append((1, comment))
            visit(comment.comment_id, 2)
    return tree


# -- stats ---------------------------------------------------------------------------------


def stats(db: Database, top: int = 10) -> dict[str, Any]:
    """Counts, the published date range, the ``top`` authors and sections by article
    count, and the last crawl's row (``None`` before the first crawl)."""

    def scalar(sql: str) -> Any:
        return db.execute(sql).fetchone()[0]

    first, last = db.execute("SELECT min(published_at), max(published_at) FROM articles").fetchone()
    last_crawl = next(iter(db.query("SELECT * FROM crawls ORDER BY id DESC LIMIT 1")), None)
    if last_crawl is not None:
        for name in ("args", "start_urls", "skipped", "errors"):
            if last_crawl[name] is not None:
                last_crawl[name] = json.loads(last_crawl[name])
    return {
        "articles": scalar("SELECT count(*) FROM articles"),
        "comments": scalar("SELECT count(*) FROM comments"),
        "links": scalar("SELECT count(*) FROM links"),
        "crawls": scalar("SELECT count(*) FROM crawls"),
        "first_published_at": first,
        "last_published_at": last,
        "top_authors": [
            (r[0], r[1])
            for r in db.execute(
                "SELECT author.value, count(*) AS n FROM articles, json_each(articles.authors) "
                "AS author GROUP BY author.value ORDER BY n DESC, author.value LIMIT ?",
                [top],
            )
        ],
        "top_sections": [
            (r[0], r[1])
            for r in db.execute(
                "SELECT section, count(*) AS n FROM articles WHERE section IS NOT NULL "
                "GROUP BY section ORDER BY n DESC, section LIMIT ?",
                [top],
            )
        ],
        "last_crawl": last_crawl,
    }
