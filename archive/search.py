"""Full-text search of the archive's articles and comments: FTS5 ranked by bm25, with
highlighted snippets, terms quoted as sqlite-utils quotes them or read as FTS5 syntax."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlite_utils import Database

from archive.queries import QueryError, one_line

# Highlight markers and context for search snippets.
SNIPPET_START = "["
SNIPPET_END = "]"
SNIPPET_ELLIPSIS = "…"
SNIPPET_TOKENS = 16


class SearchSyntaxError(QueryError):
    """Search terms that are not valid FTS5 query syntax (an unclosed quote, an operator
    with nothing beside it, an unknown column filter)."""


def search_articles(
    db: Database, terms: str, limit: int = 20, *, quote: bool = True
) -> list[dict[str, Any]]:
    """Articles matching ``terms``, best first by FTS5 rank (bm25), each with a
    highlighted ``snippet``.

    With ``quote`` (the default) every word must match and quotes and operators are
    taken literally (sqlite-utils' ``quote_fts``); without it ``terms`` is an FTS5 query
    (phrases ``"a b"``, prefixes ``word*``, ``AND``/``OR``/``NOT``, ``NEAR(a b, 5)``)
    and invalid syntax raises :class:`SearchSyntaxError`."""
    return _ranked(
        db,
        terms,
        quote,
        limit,
        "articles_fts",
        """
        SELECT articles_fts.rowid AS _rowid, articles.canonical_url, articles.headline,
               articles.published_at,
               snippet(articles_fts, -1, ?, ?, ?, {tokens}) AS snippet
        FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid
        WHERE articles_fts MATCH ? AND articles_fts.rowid IN ({rowids})
        """,
    )


def search_comments(
    db: Database, terms: str, limit: int = 20, *, quote: bool = True
) -> list[dict[str, Any]]:
    """Comments matching ``terms`` (read as :func:`search_articles` reads them), best
    first, with the article they belong to."""
    return _ranked(
        db,
        terms,
        quote,
        limit,
        "comments_fts",
        """
        SELECT comments_fts.rowid AS _rowid, comments.article_url, comments.comment_id,
               comments.author, comments.published_at, articles.headline,
               snippet(comments_fts, -1, ?, ?, ?, {tokens}) AS snippet
        FROM comments_fts
        JOIN comments ON comments.rowid = comments_fts.rowid
        LEFT JOIN articles ON articles.canonical_url = comments.article_url
        WHERE comments_fts MATCH ? AND comments_fts.rowid IN ({rowids})
        """,
    )


def _ranked(
    db: Database, terms: str, quote: bool, limit: int, fts: str, details_sql: str
) -> list[dict[str, Any]]:
    """Two steps: the top ``limit`` rowids by bm25, then snippets (costly per row) made for
    those rows only.

    The ranking is FTS5's ``rank`` (bm25 with its default column weights; no ``rank`` is
    configured on our FTS tables), asked for as ``ORDER BY bm25(fts), rowid LIMIT ?``
    rather than ``ORDER BY rank LIMIT ?``: the same rows, scores and order (ties at the
    cut-off included: FTS5's own sort keeps rowid order), but ``ORDER BY rank`` makes FTS5
    sort every match in an inner statement that calls bm25 twice per row (once for the
    sort key, once for the ``rank`` column), while here bm25 runs once per row and SQLite
    keeps only the best ``limit``. A common word (30 % of 100 000 articles) ranks in about
    two thirds of the time (bench/archive.py). Every match is still scored: that is what
    bm25 costs, whatever the index layout.
    """
    match = _fts_match(db, terms, quote)
    if not match:
        return []
    top = _search(
        db,
        f"SELECT rowid, bm25({fts}) AS score FROM {fts} WHERE {fts} MATCH ? "
        "ORDER BY score, rowid LIMIT ?",
        [match, limit],
    )
    if not top:
        return []
    rank = {row["rowid"]: row["score"] for row in top}
    sql = details_sql.format(tokens=SNIPPET_TOKENS, rowids=", ".join("?" for _ in rank))
    rows = _search(db, sql, [SNIPPET_START, SNIPPET_END, SNIPPET_ELLIPSIS, match, *rank])
    rows.sort(key=lambda row: (rank[row["_rowid"]], row["_rowid"]))
    for row in rows:
        row["rank"] = rank[row.pop("_rowid")]
    return rows


def _fts_match(db: Database, terms: str, quote: bool) -> str:
    if not terms.strip():
        return ""
    return db.quote_fts(terms.strip()) if quote else terms.strip()


# What SQLite says about a MATCH string that is not FTS5 query syntax.
_FTS_SYNTAX = ("fts5: ", "unterminated string", "no such column", "unknown special query")


def _search(db: Database, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    try:
        return list(db.query(sql, params))
    except sqlite3.OperationalError as exc:
        message = f"search failed: {one_line(exc)}"
        if str(exc).startswith(_FTS_SYNTAX):
            raise SearchSyntaxError(message) from exc
        raise QueryError(message) from exc
