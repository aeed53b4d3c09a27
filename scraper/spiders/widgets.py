"""A comment widget's API thread, read for the ``articles`` spider.

An article whose page holds no comments but embeds a widget an adapter reads
(:mod:`scraper.extract.widgets`) waits while the widget's API pages are fetched, one
after another, like the thread's HTML pages: same downloader, politeness and robots.txt
(the API's host, named by the page, is let through :class:`CrawlHostsMiddleware` for
these requests and its robots.txt only). Once every page is read the comments are merged
into the article (:func:`complete`), ``comments_source`` names the adapter and the count
the widget states is kept in ``comment_count``. An API page that fails (an error, or an
answer not in the widget's format) makes the thread ``partial``: what was read is kept,
and what was not is not taken for removed.

:class:`WidgetReader` holds the requests; the spider's callbacks route to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from ..extract.widgets import (
    ADAPTERS,
    WidgetFormatError,
    WidgetPage,
    WidgetRef,
    WidgetRequest,
    merge_widget_pages,
)
from ..items import Article
from ..middlewares import WIDGET_META
from .tally import Tally

# API pages read for one thread at most: a widget answering in circles stops here
MAX_WIDGET_PAGES = 500


@dataclass
class WidgetThread:
    """An article waiting for its widget's API pages."""

    ref: WidgetRef
    article: Article
    origin: dict[str, Any]
    queue: list[WidgetRequest] = field(default_factory=list)
    asked: set[WidgetRequest] = field(default_factory=set)
    pages: list[WidgetPage] = field(default_factory=list)
    failed: bool = False


class WidgetReader:
    """The API requests of the widget threads one spider reads.

    ``hosts`` holds the netlocs of the widget APIs pages named (read by
    :class:`scraper.middlewares.CrawlHostsMiddleware`); ``allowed_domains`` is the
    spider's list, which gains each API's host so that Scrapy's offsite check lets that
    host's robots.txt through."""

    def __init__(
        self,
        tally: Tally,
        allowed_domains: list[str],
        callback: Callable[[Response], Any],
        errback: Callable[[Failure], Any],
    ) -> None:
        self.tally = tally
        self.allowed_domains = allowed_domains
        self.callback, self.errback = callback, errback
        self.hosts: set[str] = set()
        # the crawl's settings, for the adapters that have some (Adapter.configure)
        self.setting: Callable[[str], Any] = lambda name: None

    def start(self, ref: WidgetRef, article: Article, origin: dict[str, Any]) -> WidgetThread:
        """The widget thread of ``article`` (its HTML thread is read), its first page queued."""
        configure = ADAPTERS[ref.adapter].configure
        if configure is not None:
            ref = configure(ref, self.setting)
        api = urlsplit(ref.api_base)
        self.hosts.add(api.netloc.lower())
        # Scrapy's offsite check would drop the host's robots.txt request, and a robots.txt
        # not read is no rule at all; CrawlHostsMiddleware still refuses anything there
        # but the API and its robots.txt.
        if api.hostname and api.hostname not in self.allowed_domains:
            self.allowed_domains.append(api.hostname)
        wait = WidgetThread(ref, article, origin)
        self._queue(wait, [ADAPTERS[ref.adapter].first_request(ref)])
        return wait

    def read(self, response: Response) -> WidgetThread:
        """Read one API answer into its thread and queue the pages it leads to."""
        wait: WidgetThread = response.meta[WIDGET_META]
        try:
            page = ADAPTERS[wait.ref.adapter].parse(response.body, wait.ref, response.url)
        except WidgetFormatError as exc:
            self.tally.note_error(response.url, f"widget answer unreadable: {exc}")
            wait.failed = True
        else:
            wait.pages.append(page)
            wait.failed = wait.failed or page.incomplete
            self._queue(wait, page.next_requests)
        return wait

    def failed(self, failure: Failure) -> WidgetThread:
        """An API request that failed: its thread is partial."""
        request = failure.request  # type: ignore[attr-defined]
        self.tally.record_error(request.url, failure)
        wait: WidgetThread = request.meta[WIDGET_META]
        wait.failed = True  # the pages it would have led to stay unread too
        return wait

    def next_request(self, wait: WidgetThread) -> scrapy.Request | None:
        """The thread's next API request; ``None`` once every page is read."""
        if not wait.queue:
            return None
        ask = wait.queue.pop(0)
        headers = {"Content-Type": ask.content_type} if ask.content_type else None
        return scrapy.Request(
            ask.url,
            method="GET" if ask.body is None else "POST",
            body=ask.body,
            headers=headers,
            callback=self.callback,
            errback=self.errback,
            meta={WIDGET_META: wait},
            dont_filter=True,
            priority=10,
        )

    def _queue(self, wait: WidgetThread, asks: list[str | WidgetRequest]) -> None:
        for ask in asks:
            request = ask if isinstance(ask, WidgetRequest) else WidgetRequest(ask)
            if request in wait.asked:
                continue
            if len(wait.asked) >= MAX_WIDGET_PAGES:
                self.tally.note_error(request.url, f"widget thread over {MAX_WIDGET_PAGES} pages")
                wait.failed = True
                return
            wait.asked.add(request)
            wait.queue.append(request)


def complete(wait: WidgetThread) -> Article:
    """The article with every API page read merged into it."""
    article = wait.article
    name = wait.ref.adapter
    if wait.pages:
        article.comments = merge_widget_pages(wait.pages)
        article.sources["comments"] = name
    stated = next((p.stated_count for p in wait.pages if p.stated_count is not None), None)
    if stated is not None:
        article.comment_count = stated
        article.sources["comment_count"] = name
    article.comments_source = "partial" if wait.failed else name
    return article
