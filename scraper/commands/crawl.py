"""``scrapy crawl``, as Scrapy's, and exiting with the status the run asked for through the
:data:`scraper.exitcodes.EXIT_STATUS_STAT` stat (74 when the archive could not store what
was fetched): a scheduler sees a failed run as failed."""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.exceptions import UsageError

from ..exitcodes import EXIT_STATUS_STAT


class Command(ScrapyCrawl):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1:
            raise UsageError(
                "running 'scrapy crawl' with more than one spider is not supported" if args else ""
            )
        assert self.crawler_process
        crawler = self._create_crawler(args[0])
        self.crawler_process.crawl(crawler, **opts.spargs)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        status = crawler.stats.get_value(EXIT_STATUS_STAT) if crawler.stats else None
        if status:
            self.exitcode = int(status)
