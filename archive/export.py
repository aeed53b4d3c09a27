"""The JSONL export: every article in ``article_to_dict`` form, comments nested, plus when
the archive saw each article and comment and whether it has since gone (docs/export.md).

Nothing here writes. The presence keys are added beside the ``Article`` and ``Comment``
fields, so ``article_from_dict`` reads an export back (it ignores keys that are not
fields) and an export made before they existed still reads the same.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlite_utils import Database

from archive.queries import article_from_rows, comment_rows, find_article_row, thread_tree
from scraper.items import ARTICLE_FIELDS, article_from_dict, article_to_dict

# Keys the export adds to every article and every comment, in this order.
PRESENCE_KEYS: tuple[str, ...] = ("first_seen_at", "last_seen_at", "removed_at")
# fetch_state statuses that mean the page was online when checked: a fetch, a 304.
_LIVE_STATUSES = (200, 304)


@dataclass(frozen=True)
class Selection:
    """Which articles an export holds (every article when empty). Kinds combine with
    AND; repeated ``urls`` or ``sites`` with OR.

    - ``since``: an ISO 8601 date or UTC time; articles the archive first stored, or
      saw change, on or after it: first seen (``articles.first_seen_at``), a new version
      of the content (``article_versions.replaced_at``), found removed
      (``articles.removed_at``), or a comment first seen or found removed;
    - ``urls``: these articles (each by any URL :func:`archive.queries.find_article_row`
      finds it by; one it does not find raises ``ArticleNotFound``);
    - ``sites``: articles whose canonical URL has one of these hosts (no port; case
      does not matter; ``www.example.com`` and ``example.com`` are different hosts).
    """

    since: str | None = None
    urls: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.since or self.urls or self.sites)


def selected_articles(db: Database, selection: Selection) -> set[str] | None:
    """The canonical URLs ``selection`` picks (``None``: every article)."""
    if not selection:
        return None
    picked: set[str] | None = None

    def narrow(urls: Iterable[str]) -> None:
        nonlocal picked
        picked = set(urls) if picked is None else picked & set(urls)

    if selection.urls:
        narrow(find_article_row(db, url)["canonical_url"] for url in selection.urls)
    if selection.sites:
        hosts = {host.strip().lower().rstrip(".") for host in selection.sites}
        narrow(
            url
            for (url,) in db.execute("SELECT canonical_url FROM articles")
            if (urlsplit(url).hostname or "") in hosts
        )
    if selection.since:
        narrow(_changed_since(db, selection.since))
    return picked


def _changed_since(db: Database, since: str) -> set[str]:
    tables = set(db.table_names())
    queries = [("SELECT canonical_url FROM articles WHERE first_seen_at >= ?")]
    if "removed_at" in db["articles"].columns_dict:
        queries.append("SELECT canonical_url FROM articles WHERE removed_at >= ?")
    if "article_versions" in tables:
        queries.append("SELECT canonical_url FROM article_versions WHERE replaced_at >= ?")
    queries.append("SELECT article_url FROM comments WHERE first_seen_at >= ?")
    if "removed_at" in db["comments"].columns_dict:
        queries.append("SELECT article_url FROM comments WHERE removed_at >= ?")
    sql = " UNION ".join(queries)
    return {url for (url,) in db.execute(sql, [since] * len(queries))}


def capture_urls(db: Database, articles: Iterable[str]) -> set[str]:
    """Every URL the captures of ``articles`` (canonical URLs) may be stored under: the
    article's URL, its canonical URL and its other comment pages."""
    urls: set[str] = set()
    for canonical in articles:
        row = db.execute(
            "SELECT url, comment_page_urls FROM articles WHERE canonical_url = ?", [canonical]
        ).fetchone()
        urls |= {canonical, row[0], *json.loads(row[1] or "[]")}
    return urls


def iter_export(db: Database, selection: Selection | None = None) -> Iterator[dict[str, Any]]:
    """Every article in ``article_to_dict`` form (comments nested), ordered by
    ``published_at`` (undated first), then URL, each article and comment with
    :data:`PRESENCE_KEYS` added:

    - ``first_seen_at``: when the archive first stored it;
    - ``last_seen_at``: the last time it was seen online: for a comment, the last fetch of
      its article that showed it; for an article, the later of its last fetch
      (``fetched_at``) and the crawl's last check of its URL that found it online (a
      ``304 Not Modified`` counts; ``fetch_state.checked_at``);
    - ``removed_at``: ``None`` while it is online; for an article, when its URL first
      answered 404/410; for a comment, when it was first missing from its article's page.

    An archive whose schema predates a column (opened read-only, not upgraded) exports
    ``None`` there.

    ``selection``: only the articles it picks (:class:`Selection`)."""
    picked = selected_articles(db, selection or Selection())
    checks = _live_checks(db)
    rows = db.query("SELECT * FROM articles ORDER BY published_at, url, canonical_url")
    for row in rows:
        if picked is None or row["canonical_url"] in picked:
            yield _record(db, row, checks)


# The CSV export's columns: the articles columns (the Article fields but ``comments``),
# the presence keys, and how many comments the archive holds for the article.
CSV_COLUMNS: tuple[str, ...] = (
    *(name for name in ARTICLE_FIELDS if name != "comments"),
    *PRESENCE_KEYS,
    "archived_comments",
)


def iter_csv(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The export ``records`` as CSV (RFC 4180: comma, double quotes, CRLF line ends): a
    header line of :data:`CSV_COLUMNS`, then one line per article; lists and objects as
    JSON text (as the ``articles`` table stores them), ``None`` as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, dialect="excel")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for record in records:
        values = {**record, "archived_comments": len(record["comments"])}
        writer.writerow([_csv_value(values[name]) for name in CSV_COLUMNS])
        yield flush()


def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _record(db: Database, row: dict[str, Any], checks: dict[str, str | None]) -> dict[str, Any]:
    stored = comment_rows(db, row["canonical_url"])
    record = article_to_dict(article_from_rows(row, stored))
    record["first_seen_at"] = row.get("first_seen_at")
    record["last_seen_at"] = _latest(row.get("fetched_at"), checks.get(row["canonical_url"]))
    record["removed_at"] = row.get("removed_at")
    for comment, stored_row in zip(record["comments"], stored, strict=True):
        for name in PRESENCE_KEYS:
            comment[name] = stored_row.get(name)
    return record


def _live_checks(db: Database) -> dict[str, str | None]:
    """canonical URL -> when a crawl last found that article's page online (``{}`` in an
    archive without a ``fetch_state`` table)."""
    if "fetch_state" not in db.table_names():
        return {}
    marks = ", ".join("?" for _ in _LIVE_STATUSES)
    return {
        url: checked_at
        for url, checked_at in db.execute(
            f"SELECT url, checked_at FROM fetch_state WHERE status IN ({marks})",
            list(_LIVE_STATUSES),
        )
    }


def _latest(*stamps: str | None) -> str | None:
    """The latest of ISO 8601 ``stamps`` (``None`` and unreadable ones left out unless
    nothing else is there)."""
    dated: list[tuple[datetime, str]] = []
    for stamp in stamps:
        if not stamp:
            continue
        try:
            when = datetime.fromisoformat(stamp)
        except ValueError:
            continue
        if when.tzinfo is None:
            continue  # naive and aware times do not compare; ours are all aware
        dated.append((when, stamp))
    if dated:
        return max(dated)[1]
    return next((s for s in stamps if s), None)


def article_record(db: Database, url: str) -> dict[str, Any]:
    """The export record of the article at ``url`` (any URL :func:`archive.queries.
    get_article` finds it by), its comments nested as a thread (:func:`nest_comments`).
    Raises :class:`archive.queries.ArticleNotFound`."""
    row = find_article_row(db, url)
    return nest_comments(_record(db, row, _live_checks(db)))


def nest_comments(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with its flat, thread-ordered ``comments`` list turned into a tree:
    the top-level comments, each with its ``replies`` (the same shape, in order) —
    placed as ``newsarchive show`` indents them (:func:`archive.queries.thread_tree`: a
    comment whose parent is not in the thread is at the top level)."""
    flat = record["comments"]
    by_id = {comment["comment_id"]: comment for comment in flat}
    article = article_from_dict(record)
    top: list[dict[str, Any]] = []
    path: list[dict[str, Any]] = []  # the comment last placed at each depth
    for depth, comment in thread_tree(article.comments):
        node = {**by_id[comment.comment_id], "replies": []}
        del path[depth - 1 :]
        (path[-1]["replies"] if path else top).append(node)
        path.append(node)
    return {**record, "comments": top}
