"""The JSONL export: every article in ``article_to_dict`` form, comments nested, plus when
the archive saw each article and comment and whether it has since gone (docs/export.md).

Nothing here writes. The presence keys are added beside the ``Article`` and ``Comment``
fields, so ``article_from_dict`` reads an export back (it ignores keys that are not
fields) and an export made before they existed still reads the same.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from archive.queries import article_from_rows, comment_rows
from scraper.items import article_to_dict

# Keys the export adds to every article and every comment, in this order.
PRESENCE_KEYS: tuple[str, ...] = ("first_seen_at", "last_seen_at", "removed_at")
# fetch_state statuses that mean the page was online when checked: a fetch, a 304.
_LIVE_STATUSES = (200, 304)


def iter_export(db: Database) -> Iterator[dict[str, Any]]:
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
    ``None`` there."""
    checks = _live_checks(db)
    rows = db.query("SELECT * FROM articles ORDER BY published_at, url, canonical_url")
    for row in rows:
        yield _record(db, row, checks)


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
