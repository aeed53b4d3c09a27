"""The item pipeline: hands every ``Article``, and every fetched response as a raw
capture, to the archive's one write path."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.http import Request, Response

from archive.captures import Capture
from archive.db import ArchiveError
from archive.summary import crawl_row, summary_line
from archive.writer import ArchiveWriter
from archive.writer_thread import WriterThread
from scraper.exitcodes import EXIT_ARCHIVE_FAILED, EXIT_STATUS_STAT
from scraper.items import Article, FetchNote
from scraper.signals import fetch_noted

logger = logging.getLogger(__name__)
# What a refused write raises: the writer's own error, SQLite's (disk full, read-only),
# the file system's.
WRITE_ERRORS = (ArchiveError, sqlite3.Error, OSError)


class ArchivePipeline:
    """Writes articles (with comments and prev/next links) to ``ARCHIVE_DB`` in batches and
    records the run in the ``crawls`` table. The writes run on a thread of their own
    (``ARCHIVE_WRITER_THREAD``, :mod:`archive.writer_thread`), off the crawl's event loop."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.db_path: str = crawler.settings.get("ARCHIVE_DB", "archive.db")
        self.batch_size: int = crawler.settings.getint("ARCHIVE_BATCH_SIZE", 20)
        self.threaded: bool = crawler.settings.getbool("ARCHIVE_WRITER_THREAD", True)
        self.writer: ArchiveWriter | WriterThread | None = None
        self.crawl_id: int | None = None
        # Notes that belong to an article not yet through the pipeline, by its key.
        self._awaiting: dict[str, FetchNote] = {}
        self.failure: str | None = None  # the first write the archive refused
        crawler.signals.connect(self._spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self._fetch_noted, signal=fetch_noted)
        if crawler.settings.getbool("ARCHIVE_CAPTURES", True):
            crawler.signals.connect(self._response_received, signal=signals.response_received)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        spider = self.crawler.spider
        kind = WriterThread if self.threaded else ArchiveWriter
        self.writer = kind(self.db_path, batch_size=self.batch_size)
        self.crawl_id = self.writer.start_crawl(
            spider.name,
            dict(getattr(spider, "arguments", {})),
            list(getattr(spider, "start_url_list", [])),
        )
        # Only one crawl runs per archive (archive/lock.py): any other 'running' row is a
        # crawl that was killed; this run resumes its frontier.
        self.resumed_crawl_ids = self.writer.abandon_running_crawls(self.crawl_id)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, Article):
            raise DropItem(f"not an Article: {type(item).__name__}")
        assert self.writer is not None
        note = self._awaiting.pop(item.canonical_url, None)
        try:
            self.writer.write_article(item, self.crawl_id)
            if note is not None:  # settles the article's frontier entry, after the article
                self.writer.note_fetch(note, self.crawl_id)
        except WRITE_ERRORS as exc:
            self._failed(exc)
        return item

    def _fetch_noted(self, note: FetchNote, article: bool = False, **_: Any) -> None:
        """Validators, 304s and frontier entries to settle (:data:`scraper.signals.fetch_noted`).
        A note that belongs to an article waits for it: a page is settled only with its
        result, so a crawl killed in between fetches it again."""
        if self.writer is None:
            return
        if article and note.url is not None:
            self._awaiting[note.url] = note
            return
        try:
            self.writer.note_fetch(note, self.crawl_id)
        except WRITE_ERRORS as exc:
            self._failed(exc)

    def _response_received(self, response: Response, request: Request, spider: Any) -> None:
        """Keep every fetched response (after redirects and decompression) as a raw
        capture; a 404/410 answer for an archived article marks it removed."""
        if self.writer is None or request.meta.get("playwright"):
            # A page rendered in the browser (ARCHIVE_RENDER) is not what the server sent:
            # the capture of its plain fetch stays the page's record (docs/comments.md).
            return
        capture = response_capture(response, request)
        try:
            self.writer.write_capture(capture)
            if response.status in REMOVED_STATUSES and capture.kind == "article":
                for url in {request.url, response.url}:
                    self.writer.mark_removed(url, capture.fetched_at)
        except WRITE_ERRORS as exc:
            self._failed(exc)

    def close_spider(self, spider: Any = None) -> None:
        if self.writer is not None:
            try:
                self.writer.flush()
            except WRITE_ERRORS as exc:
                self._failed(exc)

    def _failed(self, exc: BaseException) -> None:
        """The archive refused a write: the run ends ``failed`` and exits non-zero."""
        if self.failure is None:
            self.failure = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            logger.error("archive %s: a write failed: %s", self.db_path, self.failure)

    def _spider_closed(self, spider: Any, reason: str) -> None:
        """Runs after ``close_spider``, when Scrapy knows why the crawl ended."""
        writer, self.writer = self.writer, None
        if writer is None:
            return
        try:
            self._finish(writer, spider, reason)
        finally:
            try:
                writer.close()
            except WRITE_ERRORS as exc:
                self._failed(exc)
        self._log_summary(reason)
        if self.failure is not None and self.crawler.stats is not None:
            logger.error(
                "archive %s could not store everything this run fetched (%s): exit status %d; "
                "the next run fetches what is missing",
                self.db_path,
                self.failure,
                EXIT_ARCHIVE_FAILED,
            )
            self.crawler.stats.set_value(EXIT_STATUS_STAT, EXIT_ARCHIVE_FAILED)

    def _log_summary(self, reason: str) -> None:
        """The run's one summary line, from its ``crawls`` row: new, updated, unchanged,
        not modified, gone, failed, into which archive."""
        row = crawl_row(self.db_path, self.crawl_id) if self.crawl_id is not None else None
        if row is not None:
            logger.info(
                "Crawl %d %s (%s): %s",
                self.crawl_id,
                row["status"],
                reason,
                summary_line(row, self.db_path),
            )

    def _finish(self, writer: ArchiveWriter | WriterThread, spider: Any, reason: str) -> None:
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        skipped = dict(getattr(spider, "skipped", {}))
        errors = list(getattr(spider, "errors", []))
        plan = getattr(spider, "plan", None)
        chain = None
        try:
            writer.flush()
            if plan is not None:
                chain = plan.chain_report()
        except WRITE_ERRORS as exc:
            self._failed(exc)
        if plan is not None and plan.failure is not None and self.failure is None:
            self.failure = plan.failure  # the frontier's write, refused on the crawl's thread
        if self.crawl_id is None:
            return
        resumed = None
        if plan is not None and plan.resumed is not None:
            resumed = max(
                self.resumed_crawl_ids,
                default=writer.previous_crawl_id(self.crawl_id, spider.name),
            )
        if self.failure is not None:
            status, finish_reason = "failed", f"archive write failed: {self.failure}"
        else:
            status = "finished" if reason == "finished" else "stopped"
            finish_reason = reason
        try:
            writer.finish_crawl(
                self.crawl_id,
                status,
                {
                    "finish_reason": finish_reason,
                    "pages_fetched": stats.get("response_received_count", 0),
                    "requests_failed": len(errors),
                    "items_skipped": sum(skipped.values()),
                    "skipped": skipped,
                    "errors": errors,
                    "requests_sent": stats.get("downloader/request_count", 0),
                    "discovered": dict(plan.discovered) if plan is not None else {},
                    "chain": chain,
                    "resumed_crawl_id": resumed,
                },
            )
        except WRITE_ERRORS as exc:
            # Still refused (the disk is still full): the row stays 'running' and the next
            # run, holding the lock, marks it failed.
            self._failed(exc)


# Answers that mean an article is gone.
REMOVED_STATUSES = (404, 410)
# Which callback a request was for -> the capture's kind.
_CAPTURE_KINDS = {
    "parse_page": "article",  # the spider's one page route (scraper/spiders/articles.py)
    "parse_comment_page": "comment_page",
    "parse_widget_page": "comment_page",  # a comment widget's API page (spiders/widgets.py)
}


def response_capture(response: Response, request: Request) -> Capture:
    """A Scrapy response as plain capture data, fetched now."""
    return Capture(
        url=response.url,
        request_url=request.url,
        status=response.status,
        headers=[
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            for value in values
        ],
        body=response.body,
        fetched_at=datetime.now(UTC).isoformat(timespec="microseconds"),
        kind=capture_kind(request),
    )


def capture_kind(request: Request) -> str:
    """``article``, ``comment_page`` or ``other``: by the callback, else by the spider's
    request meta (a comment page carries its thread, an article page its walk)."""
    callback = getattr(request.callback, "__name__", None) or ""
    if callback in _CAPTURE_KINDS:
        return _CAPTURE_KINDS[callback]
    if "thread_state" in request.meta:
        return "comment_page"
    if "walk" in request.meta:
        return "article"
    return "other"
