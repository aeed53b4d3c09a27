"""A crawl's progress while it runs, and its one summary line at the end.

When the crawl knows how many articles to expect (``-a max_articles``, or the article
URLs it has found so far in sitemaps, feeds, listings and the chain), it shows how many
it has handled, the rate and an ETA: redrawn in place every second on a terminal, logged
every ``LOGSTATS_INTERVAL`` seconds otherwise (Scrapy's own log stays as it is).
``ARCHIVE_PROGRESS = False`` turns it off. The summary line (new, updated, unchanged,
not modified, gone, failed, into which archive) is the pipeline's, which knows the
counts (archive/pipeline.py).
"""

from __future__ import annotations

import logging
import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

logger = logging.getLogger(__name__)

TERMINAL_INTERVAL = 1.0


def expected_articles(max_articles: int | None, discovered: int | None) -> int | None:
    """How many articles the run expects: what it has found, capped by ``max_articles``;
    None when it knows neither."""
    if discovered:
        return min(discovered, max_articles) if max_articles else discovered
    return max_articles or None


def progress_line(done: int, expected: int, elapsed: float) -> str:
    """``120/500 articles (24 %), 3.2/s, ETA 2 min``."""
    expected = max(expected, done)
    share = 100 * done / expected if expected else 100.0
    rate = done / elapsed if elapsed > 0 else 0.0
    line = f"{done:,}/{expected:,} articles ({share:.0f} %), {rate:.1f}/s"
    if rate > 0 and done < expected:
        line += f", ETA {_duration((expected - done) / rate)}"
    return line


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class CrawlProgress:
    def __init__(self, crawler: Any, stream: TextIO, interval: float) -> None:
        self.crawler = crawler
        self.stream = stream
        self.terminal = stream.isatty()
        self.interval = TERMINAL_INTERVAL if self.terminal else interval
        self.started = time.monotonic()
        self.spider: Any = None
        self.drawn = False
        self.loop: task.LoopingCall | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlProgress:
        if not crawler.settings.getbool("ARCHIVE_PROGRESS", True):
            raise NotConfigured
        interval = crawler.settings.getfloat("LOGSTATS_INTERVAL", 60.0)
        if interval <= 0:
            raise NotConfigured
        return cls(crawler, sys.stderr, interval)

    def spider_opened(self, spider: Any) -> None:
        self.spider = spider
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(self.interval, now=False)

    def counts(self) -> tuple[int, int | None]:
        """(articles handled, articles expected or None)."""
        stats = self.crawler.stats
        done = int(stats.get_value("item_scraped_count", 0)) + int(
            stats.get_value("newsarchive/not_modified", 0)
        )
        plan = getattr(self.spider, "plan", None)
        discovered = getattr(plan, "discovered", None)
        found = sum(discovered.values()) if discovered else None
        return done, expected_articles(getattr(self.spider, "max_articles", None), found)

    def show(self) -> None:
        done, expected = self.counts()
        if expected is None:
            return
        line = progress_line(done, expected, time.monotonic() - self.started)
        if self.terminal:
            self.stream.write(f"\r\x1b[2K{line}")
            self.stream.flush()
            self.drawn = True
        else:
            logger.info("Progress: %s", line)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
