"""The ``articles`` spider's route through a comment widget's API.

An article whose page holds no comments but embeds a widget an adapter reads
(:mod:`scraper.extract.widgets`) waits here while the widget's API pages are fetched, one
after another, like the thread's HTML pages: same downloader, politeness and robots.txt
(the API's host, named by the page, is let through :class:`CrawlHostsMiddleware` for
these requests and its robots.txt only). Once every page is read the comments are merged
into the article, ``comments_source`` names the adapter and the count the widget states
is kept in ``comment_count``. An API page that fails (an error, or an answer not in the
widget's format) makes the thread ``partial``: what was read is kept, and what was not is
not taken for removed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
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
from ..middlewares import WIDGET_META

if TYPE_CHECKING:
    from ..items import Article

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


class WidgetRoutes:
    """A mixin of :class:`scraper.spiders.articles.ArticlesSpider`."""

    widget_hosts: set[str]  # netlocs of the widget APIs pages named (set by the spider)

    if TYPE_CHECKING:

        def _finish_article(self, article: Article, origin: dict[str, Any]) -> Iterator[Any]: ...
        def _record_error(self, url: str, failure: Failure) -> None: ...
        def _note_error(self, url: str, reason: str) -> None: ...
        def _skip(self, reason: str, url: str) -> None: ...

    def _read_widget(
        self, ref: WidgetRef, article: Article, origin: dict[str, Any]
    ) -> Iterator[Any]:
        """Start on the widget thread of ``article`` (its HTML thread is read)."""
        adapter = ADAPTERS[ref.adapter]
        api = urlsplit(ref.api_base)
        self.widget_hosts.add(api.netloc.lower())
        # Scrapy's offsite check would drop the host's robots.txt request, and a robots.txt
        # not read is no rule at all; CrawlHostsMiddleware still refuses anything there
        # but the API and its robots.txt.
        domains = getattr(self, "allowed_domains", None)
        if isinstance(domains, list) and api.hostname and api.hostname not in domains:
            domains.append(api.hostname)
        wait = WidgetThread(ref, article, origin)
        self._queue_widget(wait, [adapter.first_request(ref)])
        yield from self._next_widget_page(wait)

    def _queue_widget(self, wait: WidgetThread, asks: list[str | WidgetRequest]) -> None:
        for ask in asks:
            request = ask if isinstance(ask, WidgetRequest) else WidgetRequest(ask)
            if request in wait.asked:
                continue
            if len(wait.asked) >= MAX_WIDGET_PAGES:
                self._note_error(request.url, f"widget thread over {MAX_WIDGET_PAGES} pages")
                wait.failed = True
                return
            wait.asked.add(request)
            wait.queue.append(request)

    def parse_widget_page(self, response: Response) -> Iterator[Any]:
        wait: WidgetThread = response.meta[WIDGET_META]
        try:
            page = ADAPTERS[wait.ref.adapter].parse(response.body, wait.ref, response.url)
        except WidgetFormatError as exc:
            self._note_error(response.url, f"widget answer unreadable: {exc}")
            wait.failed = True
        else:
            wait.pages.append(page)
            self._queue_widget(wait, page.next_requests)
        yield from self._next_widget_page(wait)

    def on_widget_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self._record_error(request.url, failure)
        wait: WidgetThread = request.meta[WIDGET_META]
        wait.failed = True  # the pages it would have led to stay unread too
        yield from self._next_widget_page(wait)

    def _next_widget_page(self, wait: WidgetThread) -> Iterator[Any]:
        if wait.queue:
            ask = wait.queue.pop(0)
            headers = {"Content-Type": ask.content_type} if ask.content_type else None
            yield scrapy.Request(
                ask.url,
                method="GET" if ask.body is None else "POST",
                body=ask.body,
                headers=headers,
                callback=self.parse_widget_page,
                errback=self.on_widget_error,
                meta={WIDGET_META: wait},
                dont_filter=True,
                priority=10,
            )
            return
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
        yield from self._finish_article(article, wait.origin)
