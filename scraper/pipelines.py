"""The item pipeline: hands every ``Article`` to the archive's one write path."""

from __future__ import annotations

from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.writer import ArchiveWriter

from .items import Article


class ArchivePipeline:
    """Writes articles (with comments and prev/next links) to ``ARCHIVE_DB`` in batches and
    records the run in the ``crawls`` table."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("ARCHIVE_DB", "archive.db")
        self.batch_size: int = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 20)
        self.writer: ArchiveWriter | None = None
        self.crawl_id: int | None = None
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        self.writer = ArchiveWriter(self.db_path, batch_size=self.batch_size)
        self.crawl_id = self.writer.start_crawl(
            spider.name,
            dict(getattr(spider, "arguments", {})),
            list(getattr(spider, "start_url_list", [])),
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Article):
            raise DropItem(f"not an Article: {type(item).__name__}")
        assert self.writer is not None
        self.writer.write_article(item, self.crawl_id)
        return item

    def close_spider(self, spider: Any = None) -> None:
        if self.writer is not None:
            self.writer.flush()

    def _spider_closed(self, spider: Any, reason: str) -> None:
        """Runs after ``close_spider``, when Scrapy knows why the crawl ended."""
        writer, self.writer = self.writer, None
        if writer is None:
            return
        try:
            stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
            skipped = dict(getattr(spider, "skipped", {}))
            errors = list(getattr(spider, "errors", []))
            if self.crawl_id is not None:
                writer.finish_crawl(
                    self.crawl_id,
                    "finished" if reason == "finished" else "stopped",
                    {
                        "finish_reason": reason,
                        "pages_fetched": stats.get("response_received_count", 0),
                        "requests_failed": len(errors),
                        "items_skipped": sum(skipped.values()),
                        "skipped": skipped,
                        "errors": errors,
                    },
                )
        finally:
            writer.close()
