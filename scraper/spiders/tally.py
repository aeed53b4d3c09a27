"""What a run counts as it goes: pages skipped (with the reason), errors (the first
:data:`MAX_ERRORS_KEPT`), and the fetch notes handed to the archive."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from twisted.python.failure import Failure

from ..items import FetchNote
from ..signals import fetch_noted

MAX_ERRORS_KEPT = 1000


class Tally:
    """One spider's counts, mirrored in the crawl's stats once it has a crawler."""

    def __init__(self, logger: logging.Logger | logging.LoggerAdapter[Any]) -> None:
        self.logger = logger
        self.crawler: Any = None  # set in a crawl
        self.spider: Any = None
        self.skipped: Counter[str] = Counter()
        self.errors: list[dict[str, str]] = []
        self.notes_handed = 0  # FetchNotes sent to the archive (scraper.signals.fetch_noted)

    def skip(self, reason: str, url: str) -> None:
        self.skipped[reason] += 1
        if self.crawler is not None:
            self.crawler.stats.inc_value(f"newsarchive/skipped/{reason}")
        self.logger.info("skipped (%s): %s", reason, url)

    def record_error(self, url: str, failure: Failure) -> None:
        reason = failure.getErrorMessage() or failure.type.__name__
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        elif failure.type.__name__ == "IgnoreRequest":
            reason = f"ignored: {reason}"
        self.note_error(url, reason)
        self.logger.warning("failed %s: %s", url, reason)

    def note_error(self, url: str, reason: str) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value("newsarchive/errors")
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"url": url, "reason": reason})

    def last_error(self, default: str | None = None) -> str | None:
        return self.errors[-1]["reason"] if self.errors else default

    def count(self, stat: str) -> None:
        if self.crawler is not None:
            self.crawler.stats.inc_value(stat)

    def hand_note(self, note: FetchNote, *, article: bool = False) -> None:
        """Send ``note`` to the archive (:data:`scraper.signals.fetch_noted`); with
        ``article``, it is written after the article the spider yields next."""
        self.notes_handed += 1
        if self.crawler is not None:
            self.crawler.signals.send_catch_log(
                fetch_noted, note=note, article=article, spider=self.spider
            )
