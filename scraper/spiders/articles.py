"""The ``articles`` spider: walk a news site along its previous/next article links.

    scrapy crawl articles -a start_url=URL[,URL...] [-a direction=both|older|newer]
                          [-a max_articles=N] [-a profile=PATH] [-s ARCHIVE_DB=PATH]
                          [-s ARCHIVE_PROFILES=FOLDER]

It only routes: extraction is ``scraper.extract``, storage is the pipeline. For each
article page it finds the neighbours first and sends those requests before the page's
heavy work, then extracts the article, fetches the rest of its comment thread page by page,
merges the comments and yields one ``Article``.

A site profile (``-a profile=PATH``, or the one of the ``ARCHIVE_PROFILES`` folder whose
``domains`` hold the page's host) wins over generic extraction field by field. Profiles
are loaded before the first request: a broken one, like a bad ``-a`` argument, stops the
crawl with one error line and a non-zero exit.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from ..crawlplan import META, CrawlPlan, PlanArgumentError, PlanOptions
from ..extract import (
    CommentThread,
    PageStart,
    extract_article_page,
    extract_thread,
    merge_comment_pages,
    start_page,
)
from ..extract.profiles import Profile, ProfileError, load_profile, load_profiles, pick_profile
from ..extract.urls import canonicalize_url, host_of, strip_tracking
from ..extract.widgets import WidgetRef, detect_widget
from ..items import Article
from ..render import RenderSettingError
from .departures import Departures
from .planned import DIRECTION_REL, PlannedRoutes
from .rendered import RenderRoutes
from .responses import response_index, response_tree
from .widgets import WidgetRoutes

DIRECTIONS = ("both", "older", "newer")
MAX_ERRORS_KEPT = 1000


class SpiderArgumentError(ValueError):
    """A ``-a`` argument the spider cannot work with."""


logger = logging.getLogger(__name__)


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


def _report_start_error(exc: BaseException) -> None:
    """Log a bad argument or profile once, as one line; the crawl then fails to start
    (no request is made, exit code 1) without a traceback."""
    logger.error("cannot start the crawl: %s", exc)
    for name in ("asyncio", "twisted", "scrapy.crawler", "scrapy.utils.log"):
        logging.getLogger(name).addFilter(_Silence(exc))


@dataclass
class _ThreadState:
    """An article waiting for the other pages of its comment thread."""

    article: Article
    threads: list[CommentThread]
    queue: list[str]
    visited: set[str] = field(default_factory=set)
    origin: dict[str, Any] = field(default_factory=dict)  # the crawl plan's request state
    widget: WidgetRef | None = None  # the page's comment widget, read after its HTML thread


@dataclass
class _Begun:
    """An article page after its first look (see ``ArticlesSpider._begin_article``)."""

    start: PageStart
    profile: Profile | None
    requests: list[scrapy.Request]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArticlesSpider(WidgetRoutes, RenderRoutes, PlannedRoutes, scrapy.Spider):
    name = "articles"

    def __init__(
        self,
        start_url: str | None = None,
        direction: str = "both",
        max_articles: str | int | None = None,
        profile: str | None = None,
        discover: str | None = None,
        incremental: str | None = None,
        full: str | None = None,
        stop_after_known: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.profile: Profile | None = load_profile(profile) if profile else None
        self.profiles: list[Profile] = []  # the ARCHIVE_PROFILES folder, by domain
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
        self.start_url_list = urls
        self.direction = direction
        self.max_articles = limit
        self.allowed_hosts = {host_of(u) for u in urls}
        self.allowed_domains = sorted(self.allowed_hosts)
        self.arguments = {"start_url": start_url, "direction": direction, "max_articles": limit}
        if profile:
            self.arguments["profile"] = profile
        try:
            self.options = PlanOptions.from_args(discover, incremental, full, stop_after_known)
        except PlanArgumentError as exc:
            raise SpiderArgumentError(str(exc)) from exc
        self.arguments.update(self.options.arguments())
        # Set by from_crawler: persistence, discovery and incremental runs (crawlplan.py).
        self.plan: CrawlPlan | None = None
        self.seen_articles: set[str] = set()  # canonical URLs of articles accepted
        self.scheduled: set[str] = set()  # canonical forms of article URLs requested
        self.skipped: Counter[str] = Counter()
        self.errors: list[dict[str, str]] = []
        self.departures: Departures | None = None  # set in a crawl
        self.notes_handed = 0  # FetchNotes sent to the archive (scraper.signals.fetch_noted)
        self.widget_hosts: set[str] = set()  # comment widget APIs pages named (widgets.py)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticlesSpider:
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
            folder = crawler.settings.get("ARCHIVE_PROFILES")
            if folder:
                spider.profiles = load_profiles(folder)
            spider._open_render(crawler.settings)
        except (SpiderArgumentError, ProfileError, RenderSettingError) as exc:
            _report_start_error(exc)
            raise
        spider._open_plan(crawler)  # the archive's lock and frontier, before any request
        spider.departures = Departures(crawler)
        return spider

    def profile_for(self, url: str) -> Profile | None:
        """``-a profile`` for every page, else the ARCHIVE_PROFILES one for its host."""
        return self.profile or pick_profile(self.profiles, url)

    # -- routing ----------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        async for request in self._resumed_requests():
            yield request
        for url in self.start_url_list:
            request = self._article_request(url, self.direction, force=True, source="start")
            if request is not None:
                yield request

    def _room(self) -> bool:
        return self.max_articles is None or len(self.scheduled) < self.max_articles

    def _article_request(
        self,
        url: str,
        walk: str,
        *,
        force: bool = False,
        source: str = "chain",
        known_run: int = 0,
    ) -> scrapy.Request | None:
        key = canonicalize_url(url)
        if self.plan is not None and key in self.plan_skipped:
            if key in self.plan.hints:  # skipped as not due; since hinted as changed
                self.plan_skipped.discard(key)
                self.scheduled.discard(key)
            elif walk in DIRECTION_REL:
                return self._step_over(key, walk, known_run)
        if key in self.scheduled or key in self.seen_articles:
            return None
        if host_of(url) not in self.allowed_hosts:
            self._skip("off-site", url)
            return None
        if not force and not self._room():
            return None
        self.scheduled.add(key)
        request = scrapy.Request(
            strip_tracking(url),
            callback=self.parse_page,
            errback=self.on_error,
            meta={"walk": walk},
        )
        if self.plan is not None:
            # Our own keys decide what is a duplicate: a request Scrapy's filter dropped
            # (a redirect back to a URL already fetched) would never be settled.
            request.dont_filter = True
            return self._planned(
                request, key, walk, force=force, source=source, known_run=known_run
            )
        return request

    def parse_article(self, response: Response) -> Iterator[Any]:
        """An article page, start to end: the neighbour requests, then the article (or,
        with more comment pages, the request for the next one)."""
        begun = self._begin_article(response)
        if begun is not None:
            yield from begun.requests
            yield from self._complete_article(response, begun)

    def _begin_article(self, response: Response, walk: str | None = None) -> _Begun | None:
        """The cheap first look at a page: its tree, index and neighbours, and the requests
        for the neighbours along ``walk`` (the request's own by default), so that the next
        hop can leave before this page's heavy work."""
        if not isinstance(response, HtmlResponse):
            self._skip("not html", response.url)
            return None
        if walk is None:
            walk = response.meta.get("walk", "both")
        tree = response_tree(response)
        profile = self.profile_for(response.url)
        start = start_page(tree, response.url, profile, response_index(response))
        neighbours = start.neighbours
        requests = []
        if walk in ("both", "older") and neighbours.prev_url:
            request = self._article_request(neighbours.prev_url, "older")
            if request is not None:
                requests.append(request)
        if walk in ("both", "newer") and neighbours.next_url:
            request = self._article_request(neighbours.next_url, "newer")
            if request is not None:
                requests.append(request)
        return _Begun(start, profile, requests)

    def _complete_article(self, response: Response, begun: _Begun) -> Iterator[Any]:
        """The heavy work: extract the article and start on its comment thread."""
        try:
            article, thread = extract_article_page(
                begun.start.tree,
                response.url,
                fetched_at=_now(),
                profile=begun.profile,
                start=begun.start,
            )
        except Exception as exc:  # an extractor bug must not end an unattended crawl
            self._skip("extraction error", response.url)
            self._note_error(response.url, f"extraction error: {type(exc).__name__}: {exc}")
            self.logger.exception("extraction failed on %s", response.url)
            return
        if not article.headline and not article.body_text:
            self._skip("not an article", response.url)
            return
        if article.canonical_url in self.seen_articles:
            self._skip("duplicate", response.url)
            return
        if self.max_articles is not None and len(self.seen_articles) >= self.max_articles:
            self._skip("max_articles reached", response.url)
            return
        self.seen_articles.add(article.canonical_url)
        self.scheduled.add(article.canonical_url)
        state = _ThreadState(
            article=article,
            threads=[thread],
            queue=[],
            origin=response.meta.get(META, {}),
            widget=None
            if thread.comments
            else detect_widget(begun.start.tree, response.url, begun.start.index),
        )
        state.visited.update(
            {canonicalize_url(response.url), canonicalize_url(response.request.url)}
        )
        self._enqueue_pages(state, thread)
        yield from self._next_comment_page(state)

    def parse_comment_page(self, response: Response) -> Iterator[Any]:
        state: _ThreadState = response.meta["thread_state"]
        if isinstance(response, HtmlResponse):
            thread = extract_thread(
                response_tree(response), response.url, self.profile_for(response.url)
            )
            state.threads.append(thread)
            self._enqueue_pages(state, thread)
        else:
            self._skip("comment page not html", response.url)
        yield from self._next_comment_page(state)

    def on_comment_page_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self._record_error(request.url, failure)
        state: _ThreadState = request.meta["thread_state"]
        # Some of the thread is missing: the comments not read are not gone from the site.
        state.article.comments_source = "partial"
        yield from self._next_comment_page(state)

    def _enqueue_pages(self, state: _ThreadState, thread: CommentThread) -> None:
        for url in thread.page_urls:
            key = canonicalize_url(url)
            if key not in state.visited and host_of(url) in self.allowed_hosts:
                state.visited.add(key)
                state.queue.append(url)

    def _next_comment_page(self, state: _ThreadState) -> Iterator[Any]:
        if state.queue:
            url = state.queue.pop(0)
            # Our own bookkeeping decides what is visited: the bare article URL may be a
            # comment page too, and a filtered request would lose the pending article.
            yield scrapy.Request(
                url,
                callback=self.parse_comment_page,
                errback=self.on_comment_page_error,
                meta={"thread_state": state},
                dont_filter=True,
                priority=10,
            )
            return
        if len(state.threads) > 1:
            state.article.comments = merge_comment_pages(state.threads)
        if state.widget is not None and not state.article.comments:
            yield from self._read_widget(state.widget, state.article, state.origin)
            return
        render = self._render_request(state.article, state.origin)  # ARCHIVE_RENDER
        if render is not None:
            yield render
            return
        yield from self._finish_article(state.article, state.origin)

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self._record_error(request.url, failure)
        self._failed_article(failure)

    # -- bookkeeping ------------------------------------------------------------------

    def _skip(self, reason: str, url: str) -> None:
        self.skipped[reason] += 1
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value(f"newsarchive/skipped/{reason}")
        self.logger.info("skipped (%s): %s", reason, url)

    def _record_error(self, url: str, failure: Failure) -> None:
        reason = failure.getErrorMessage() or failure.type.__name__
        response = getattr(failure.value, "response", None)
        if response is not None:
            reason = f"HTTP {response.status}"
        elif failure.type.__name__ == "IgnoreRequest":
            reason = f"ignored: {reason}"
        self._note_error(url, reason)
        self.logger.warning("failed %s: %s", url, reason)

    def _note_error(self, url: str, reason: str) -> None:
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("newsarchive/errors")
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append({"url": url, "reason": reason})
