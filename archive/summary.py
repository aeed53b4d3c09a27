"""The one line that sums up a crawl run (or several): what it archived, into which
archive. ``scrapy crawl`` logs it at the end of every run; ``newsarchive crawl`` prints
it per site and for the whole run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

# What a summary counts, in order: crawls columns and their names.
SUMMARY_COLUMNS = (
    ("articles_new", "new"),
    ("articles_updated", "updated"),
    ("articles_unchanged", "unchanged"),
    ("articles_not_modified", "not modified"),
    ("articles_gone", "gone"),
    ("requests_failed", "failed"),
)


def summary_line(counts: Mapping[str, Any], db_path: str | os.PathLike[str]) -> str:
    """``36 new, 0 updated, 0 unchanged, 0 not modified, 0 gone, 0 failed into news.db``
    from a ``crawls`` row (or totals keyed like one)."""
    parts = [f"{int(counts.get(column) or 0):,} {name}" for column, name in SUMMARY_COLUMNS]
    return f"{', '.join(parts)} into {os.fspath(db_path)}"
