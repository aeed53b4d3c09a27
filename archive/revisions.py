"""Article revisions: which fields changed between two states, how many characters were
added and removed, the ``article_versions`` rows that keep earlier states, and a readable
diff for ``newsarchive history``.

The writer calls :func:`record_version` inside its transaction; the rest only reads.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from scraper.extract.urls import canonicalize_url

# Fields whose change makes a new version. Left out: fetch bookkeeping (fetched_at,
# sources), the comment thread (tracked per comment: first_seen_at, last_seen_at,
# removed_at) and the prev/next links (a newer article appearing is not an edit).
VERSIONED_FIELDS: tuple[str, ...] = (
    "url",
    "headline",
    "description",
    "authors",
    "published_at",
    "published_at_raw",
    "modified_at",
    "modified_at_raw",
    "section",
    "categories",
    "tags",
    "language",
    "body_text",
    "body_html",
    "images",
)
# Fields shown line by line in a readable diff (the others as before → after).
TEXT_FIELDS = ("headline", "description", "body_text")
_TOKENS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class DiffSummary:
    changed_fields: tuple[str, ...]
    chars_added: int
    chars_removed: int

    def __bool__(self) -> bool:
        return bool(self.changed_fields)


def text_delta(old: str | None, new: str | None) -> tuple[int, int]:
    """(characters added, characters removed) from ``old`` to ``new``, counted over the
    words and spaces that differ (a word-level diff: fast on long bodies)."""
    a, b = _TOKENS.findall(old or ""), _TOKENS.findall(new or "")
    added = removed = 0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += sum(len(t) for t in a[i1:i2])
        if tag in ("replace", "insert"):
            added += sum(len(t) for t in b[j1:j2])
    return added, removed


def diff_rows(old: Mapping[str, Any], new: Mapping[str, Any]) -> DiffSummary:
    """What changed between two ``articles`` rows (JSON columns as stored text)."""
    changed = tuple(f for f in VERSIONED_FIELDS if old.get(f) != new.get(f))
    added = removed = 0
    for name in changed:
        a, r = text_delta(_text(old.get(name)), _text(new.get(name)))
        added += a
        removed += r
    return DiffSummary(changed, added, removed)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def record_version(
    db: Database,
    stored: Mapping[str, Any],
    summary: DiffSummary,
    replaced_at: str,
    crawl_id: int | None,
) -> None:
    """Keep ``stored`` (the ``articles`` row about to be replaced) as a version."""
    db.execute(
        "INSERT INTO article_versions (canonical_url, snapshot, content_hash, fetched_at, "
        "replaced_at, changed_fields, chars_added, chars_removed, crawl_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            stored["canonical_url"],
            json.dumps(dict(stored), ensure_ascii=False, sort_keys=True),
            stored["content_hash"],
            stored.get("fetched_at"),
            replaced_at,
            json.dumps(list(summary.changed_fields)),
            summary.chars_added,
            summary.chars_removed,
            crawl_id,
        ],
    )


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One state of an article: ``number`` 1 is the oldest; the last is the current row."""

    number: int
    row: dict[str, Any]
    fetched_at: str | None
    replaced_at: str | None
    current: bool


def article_versions(db: Database, url: str) -> list[Version]:
    """Every state of the article at ``url``, oldest first, the current one last; empty
    if it was never archived."""
    key = canonicalize_url(url)
    current = next(
        iter(db.query("SELECT * FROM articles WHERE canonical_url IN (?, ?)", [key, url])), None
    )
    if current is None:
        return []
    key = current["canonical_url"]
    rows = db.execute(
        "SELECT snapshot, fetched_at, replaced_at FROM article_versions "
        "WHERE canonical_url = ? ORDER BY replaced_at, id",
        [key],
    ).fetchall()
    versions = [
        Version(n, json.loads(snapshot), fetched, replaced, False)
        for n, (snapshot, fetched, replaced) in enumerate(rows, start=1)
    ]
    versions.append(Version(len(rows) + 1, current, current.get("fetched_at"), None, True))
    return versions


def readable_diff(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Lines describing how ``new`` differs from ``old``: text fields as a unified diff of
    their lines, other fields as ``field: before → after``."""
    lines: list[str] = []
    summary = diff_rows(old, new)
    for name in summary.changed_fields:
        before, after = _text(old.get(name)), _text(new.get(name))
        if name in TEXT_FIELDS:
            lines.append(f"{name}:")
            lines += [
                "  " + line
                for line in difflib.unified_diff(
                    _lines(before), _lines(after), "before", "after", n=1, lineterm=""
                )
                if not line.startswith(("---", "+++"))
            ]
        else:
            lines.append(f"{name}: {_short(before)} → {_short(after)}")
    return lines


def _lines(text: str) -> Sequence[str]:
    return [line for line in text.splitlines() if line.strip()]


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split()) or "(empty)"
    return text if len(text) <= limit else text[: limit - 1] + "…"
