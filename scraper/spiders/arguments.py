"""The ``articles`` spider's ``-a`` arguments, read into plain values, and the one line a
bad one (or a broken profile) is reported in before the crawl refuses to start."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ..extract.urls import host_of

DIRECTIONS = ("both", "older", "newer")

logger = logging.getLogger("scraper.spiders.articles")


class SpiderArgumentError(ValueError):
    """A ``-a`` argument the spider cannot work with."""


@dataclass(frozen=True)
class WalkArguments:
    """``start_url`` (comma-separated), ``direction`` and ``max_articles``, checked."""

    start_urls: list[str]
    direction: str
    max_articles: int | None

    @property
    def hosts(self) -> set[str]:
        return {host_of(u) for u in self.start_urls}

    @classmethod
    def parse(
        cls, start_url: str | None, direction: str, max_articles: str | int | None
    ) -> WalkArguments:
        if not start_url:
            raise SpiderArgumentError("missing -a start_url=URL (several URLs: comma-separated)")
        urls = [u.strip() for u in str(start_url).split(",") if u.strip()]
        bad = [u for u in urls if not u.startswith(("http://", "https://"))]
        if bad or not urls:
            raise SpiderArgumentError(f"start_url must be http(s) URLs, got {start_url!r}")
        if direction not in DIRECTIONS:
            raise SpiderArgumentError(
                f"direction must be one of {', '.join(DIRECTIONS)}, got {direction!r}"
            )
        limit: int | None = None
        if max_articles not in (None, ""):
            try:
                limit = int(str(max_articles))
            except ValueError:
                limit = -1
            if limit < 1:
                raise SpiderArgumentError(
                    f"max_articles must be a positive integer, got {max_articles!r}"
                )
        return cls(urls, direction, limit)


class _Silence(logging.Filter):
    """Drops the traceback Scrapy's event loop (or Twisted) logs for one start-up error
    that has already been reported in one line."""

    def __init__(self, exc: BaseException) -> None:
        super().__init__()
        self.exc = exc

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is self.exc:
            return False
        message = record.getMessage() if record.args else str(record.msg)
        return not (type(self.exc).__name__ in message and str(self.exc) in message)


def report_start_error(exc: BaseException) -> None:
    """Log a bad argument or profile once, as one line; the crawl then fails to start
    (no request is made, exit code 1) without a traceback."""
    logger.error("cannot start the crawl: %s", exc)
    for name in ("asyncio", "twisted", "scrapy.crawler", "scrapy.utils.log"):
        logging.getLogger(name).addFilter(_Silence(exc))
