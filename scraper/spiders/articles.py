"""The ``articles`` spider: walk a news site along its previous/next article links.

    scrapy crawl articles -a start_url=URL[,URL...] [-a direction=both|older|newer]
                          [-a max_articles=N] [-a profile=PATH] [-s ARCHIVE_DB=PATH]
                          [-s ARCHIVE_PROFILES=FOLDER]
                          [-a discover=auto|chain,sitemap,feed,listing]
                          [-a incremental=0|1] [-a full=0|1] [-a stop_after_known=K]

One class whose callbacks route: what to fetch is decided by pure functions
(:mod:`scraper.decisions`) on what the crawl plan looks up (:mod:`scraper.crawlplan`),
extraction is ``scraper.extract``, parsing sitemaps and feeds is :mod:`scraper.discovery`,
storage is the archive's pipeline. Every page fetched as a possible article takes one
route, :meth:`ArticlesSpider.parse_page`: a 304, or the page classified (article, listing,
other); an article's neighbours are requested first and leave before the page's heavy
work (:mod:`.departures`), then the article is extracted, the rest of its comment thread
fetched page by page and merged (then a comment widget's API thread, :mod:`.widgets`,
or the page once more in a browser, :mod:`.rendered`), and one ``Article`` yielded.
Offline re-extraction (``archive/reparse.py``) drives the same route.

A site profile (``-a profile=PATH``, or the one of the ``ARCHIVE_PROFILES`` folder whose
``domains`` hold the page's host) wins over generic extraction field by field; the
built-in theme profiles whose ``detect`` matches a page add their theme's markup to
generic extraction (``ARCHIVE_THEME_PROFILES``). Profiles
are loaded before the first request: a broken one, like a bad ``-a`` argument, stops the
crawl with one error line and a non-zero exit. Without a plan (the spider built outside a
crawl, as reparse and the routing tests do) the archive's steps are left out.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from .. import decisions, discovery
from ..crawlplan import META, CrawlPlan, PlanArgumentError, PlanOptions
from ..exitcodes import EXIT_STATUS_STAT
from ..extract import (
    extract_article_page,
    extract_thread,
    merge_comment_pages,
)
from ..extract.profiles import (
    Profile,
    ProfileError,
    builtin_themes,
    load_profile,
    load_profiles,
    pick_profile,
)
from ..extract.urls import canonicalize_url, host_of
from ..extract.widgets import detect_widget
from ..items import Article
from ..middlewares import WIDGET_META
from ..render import RENDER_META, RenderSettingError
from . import found, pages, rendered, revisits, widgets
from .arguments import DIRECTIONS, SpiderArgumentError, WalkArguments, report_start_error
from .departures import Departures
from .responses import response_tree
from .tally import Tally
from .threads import ThreadState
from .walker import Walker
from .widgets import WidgetReader, WidgetThread

__all__ = ["DIRECTIONS", "ArticlesSpider", "SpiderArgumentError"]

# Request meta of the requests an article waits on before it is handed over.
PENDING_META = frozenset({"thread_state", WIDGET_META, RENDER_META})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class ArticlesSpider(scrapy.Spider):
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
        # the theme profiles tried on every page (ARCHIVE_THEME_PROFILES): the built-in ones
        self.themes: tuple[Profile, ...] = builtin_themes()
        walk = WalkArguments.parse(start_url, direction, max_articles)
        self.start_url_list = walk.start_urls
        self.direction = walk.direction
        self.max_articles = walk.max_articles
        self.allowed_hosts = walk.hosts
        self.allowed_domains = sorted(self.allowed_hosts)
        self.arguments: dict[str, Any] = {
            "start_url": start_url,
            "direction": direction,
            "max_articles": walk.max_articles,
        }
        if profile:
            self.arguments["profile"] = profile
        try:
            self.options = PlanOptions.from_args(discover, incremental, full, stop_after_known)
        except PlanArgumentError as exc:
            raise SpiderArgumentError(str(exc)) from exc
        self.arguments.update(self.options.arguments())
        self.plan: CrawlPlan | None = None  # set by from_crawler: a crawl into an archive
        self.tally = Tally(self.logger)
        self.skipped, self.errors = self.tally.skipped, self.tally.errors
        self.walker = Walker(
            self.allowed_hosts,
            self.max_articles,
            self.tally,
            {
                "article": (self.parse_page, self.on_error),
                "listing": (self.parse_page, self.on_discovery_error),
                "sitemap": (self.parse_sitemap, self.on_discovery_error),
                "feed": (self.parse_feed, self.on_discovery_error),
            },
        )
        self.seen_articles = self.walker.seen  # canonical URLs of articles accepted
        self.scheduled = self.walker.scheduled  # canonical forms of article URLs requested
        self.plan_skipped = self.walker.stepped  # known articles skipped as not due
        self.plan_pages = self.walker.pages  # listing, sitemap and feed keys requested
        self.departures: Departures | None = None  # set in a crawl
        self._close_reason: str | None = None
        self.widgets = WidgetReader(
            self.tally, self.allowed_domains, self.parse_widget_page, self.on_widget_error
        )
        self.widget_hosts = self.widgets.hosts  # comment widget APIs pages named
        self.rendering = rendered.Rendering(self.parse_rendered_page, self.on_render_error)

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        rendered.update_settings(settings)  # scrapy-playwright only when rendering is on

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArticlesSpider:
        try:
            spider = super().from_crawler(crawler, *args, **kwargs)
            folder = crawler.settings.get("ARCHIVE_PROFILES")
            if folder:
                spider.profiles = load_profiles(folder)
            if not crawler.settings.getbool("ARCHIVE_THEME_PROFILES", True):
                spider.themes = ()
            spider.rendering.open(crawler.settings)
            spider.widgets.setting = crawler.settings.get
            # The archive's lock and frontier, before any request (exits at once if locked).
            spider.plan = CrawlPlan.from_crawler(crawler, spider.options)
        except (SpiderArgumentError, ProfileError, PlanArgumentError, RenderSettingError) as exc:
            report_start_error(exc)
            raise
        spider.walker.plan = spider.plan
        spider.tally.crawler, spider.tally.spider = crawler, spider
        spider.departures = Departures(crawler)
        connect = crawler.signals.connect
        connect(spider.plan.robots_parsed, signal=signals.robots_parsed)
        connect(spider._spider_closed, signal=signals.spider_closed)
        connect(spider._idle, signal=signals.spider_idle)
        connect(spider._engine_stopped, signal=signals.engine_stopped)
        return spider

    def profile_for(self, url: str) -> Profile | None:
        """``-a profile`` for every page, else the ARCHIVE_PROFILES one for its host."""
        return self.profile or pick_profile(self.profiles, url)

    # -- requests ---------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        """What an unfinished earlier run left, the revisits the schedule says are due,
        then the start URLs."""
        plan = self.plan
        if plan is not None:
            for request in self.walker.resume():
                yield request
            for url in plan.due_articles():
                if url not in self.scheduled:
                    request = self.walker.request(url, "none", force=True, source="schedule")
                    if request is not None:
                        yield request
        for url in self.start_url_list:
            request = self.walker.request(url, self.direction, force=True, source="start")
            if request is not None:
                yield request

    # -- pages ------------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """Any page fetched as a possible article: a 304, a listing, or an article.

        An article's neighbour requests are yielded first and the callback waits until
        they have left (:mod:`.departures`) before the page's heavy work, so that the
        next hop of a chain is in flight while this page is extracted and archived."""
        plan = self.plan
        state: dict[str, Any] = {"key": canonicalize_url(response.url)}
        if response.request is not None:  # a crawl's response always has its request
            state = response.meta.setdefault(META, state)
        if plan is not None and response.status == 304:
            for out in self._not_modified(state):
                yield out
            return
        explicit = plan is not None and bool(
            plan.options.discover and plan.options.discover & {"sitemap", "feed"}
        )
        if not isinstance(response, HtmlResponse):
            if explicit:
                for out in self.walker.seeds(response.url, None):
                    yield out
            self.tally.skip("not html", response.url)
            self._settle(response.request)
            return
        tree = response_tree(response)
        is_start = state.get("source") == "start"
        route = pages.route(
            response,
            tree,
            state,
            self.profile_for(response.url),
            is_start=is_start,
            planned=plan is not None,
            # Looked up only when the walk does not say (a page reached along the chain).
            known=lambda: (
                bool(state.get("archived"))  # re-extracted from the archive
                or (plan is not None and plan.known(state["key"]) is not None)
            ),
        )
        if plan is not None and pages.discovers(route, is_start, explicit, auto=plan.auto):
            for out in self.walker.seeds(response.url, tree):
                yield out
        if route != "article":
            self.tally.skip(f"{route} page", response.url)
            if route == "listing" and plan is not None:
                for out in found.listing_requests(
                    plan, self.walker, self.walker.page, tree, response.url
                ):
                    yield out
            self._settle(response.request)
            return
        if is_start and plan is not None and plan.auto:
            plan.chain_start = True
        state["etag"] = pages.header(response, "ETag")
        state["last_modified"] = pages.header(response, "Last-Modified")
        begun = pages.first_look(response, tree, state, self.profile_for(response.url), self.walker)
        neighbours = begun.start.neighbours
        if (
            plan is not None
            and is_start
            and decisions.starts_discovery(
                route,
                is_start=True,
                auto=plan.auto,
                has_neighbours=bool(neighbours.prev_url or neighbours.next_url),
            )
        ):
            begun.requests.extend(self.walker.seeds(response.url, tree))
        for request in begun.requests:
            yield request
        if begun.requests and self.departures is not None:
            await self.departures.wait(begun.requests)
        notes_before = self.tally.notes_handed
        handed = False
        for out in self._complete_article(response, begun):
            handed = handed or isinstance(out, Article) or bool(PENDING_META & out.meta.keys())
            yield out
        if not handed and self.tally.notes_handed == notes_before:
            self._settle(response.request)

    def _complete_article(self, response: Response, begun: pages.Begun) -> Iterator[Any]:
        """The heavy work: extract the article and start on its comment thread."""
        try:
            article, thread = extract_article_page(
                begun.start.tree,
                response.url,
                fetched_at=_now(),
                profile=begun.profile,
                start=begun.start,
                themes=self.themes,
            )
        except Exception as exc:  # an extractor bug must not end an unattended crawl
            self.tally.skip("extraction error", response.url)
            self.tally.note_error(response.url, f"extraction error: {type(exc).__name__}: {exc}")
            self.logger.exception("extraction failed on %s", response.url)
            return
        refusal = pages.refusal(article, self.seen_articles, self.max_articles)
        if refusal is not None:
            self.tally.skip(refusal, response.url)
            return
        self.seen_articles.add(article.canonical_url)
        self.scheduled.add(article.canonical_url)
        state = ThreadState(article, [thread], origin=response.meta.get(META, {}))
        if not thread.comments:  # read after its HTML thread, if the page embeds one
            state.widget = detect_widget(begun.start.tree, response.url, begun.start.index)
        state.visited.update(
            {canonicalize_url(response.url), canonicalize_url(response.request.url)}
        )
        state.enqueue(thread, self.allowed_hosts)
        yield from self._next_comment_page(state)

    def parse_comment_page(self, response: Response) -> Iterator[Any]:
        state: ThreadState = response.meta["thread_state"]
        if isinstance(response, HtmlResponse):
            thread = extract_thread(
                response_tree(response), response.url, self.profile_for(response.url)
            )
            state.threads.append(thread)
            state.enqueue(thread, self.allowed_hosts)
        else:
            self.tally.skip("comment page not html", response.url)
        yield from self._next_comment_page(state)

    def on_comment_page_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        self.tally.record_error(request.url, failure)
        state: ThreadState = request.meta["thread_state"]
        # Some of the thread is missing: the comments not read are not gone from the site.
        state.article.comments_source = "partial"
        yield from self._next_comment_page(state)

    def _next_comment_page(self, state: ThreadState) -> Iterator[Any]:
        if state.queue:
            # Our own bookkeeping decides what is visited: the bare article URL may be a
            # comment page too, and a filtered request would lose the pending article.
            yield scrapy.Request(
                state.queue.pop(0),
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
            yield from self._next_widget_page(
                self.widgets.start(state.widget, state.article, state.origin)
            )
            return
        render = self.rendering.request(state.article, state.origin)  # ARCHIVE_RENDER
        if render is not None:
            yield render
            return
        yield from self._finish_article(state.article, state.origin)

    def parse_widget_page(self, response: Response) -> Iterator[Any]:
        yield from self._next_widget_page(self.widgets.read(response))

    def on_widget_error(self, failure: Failure) -> Iterator[Any]:
        yield from self._next_widget_page(self.widgets.failed(failure))

    def _next_widget_page(self, wait: WidgetThread) -> Iterator[Any]:
        request = self.widgets.next_request(wait)
        if request is not None:
            yield request
            return
        yield from self._finish_article(widgets.complete(wait), wait.origin)

    def parse_rendered_page(self, response: Response) -> Iterator[Any]:
        self.tally.count("newsarchive/rendered")
        article, origin = rendered.waiting(response.meta)
        rendered.merge_rendered(response, self.profile_for(article.url))
        yield from self._finish_article(article, origin)

    def on_render_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        # Not a crawl error: the article itself was fetched and is archived as its HTML is.
        self.logger.warning("rendering %s failed: %s", request.url, failure.getErrorMessage())
        self.tally.skip("rendering failed", request.url)
        article, origin = rendered.waiting(request.meta)
        yield from self._finish_article(article, origin)

    def _finish_article(self, article: Article, origin: dict[str, Any]) -> Iterator[Any]:
        """The article is complete (every comment page read): with a plan, decide the walk
        (incremental runs), then hand over the article and the note that settles it."""
        plan = self.plan
        if plan is None or not origin.get("key"):
            yield article
            return
        if plan.options.incremental:
            yield from revisits.after_article(plan, self.walker, article, origin)
        self.tally.hand_note(plan.article_note(article.canonical_url, origin), article=True)
        yield article

    def _not_modified(self, state: dict[str, Any]) -> Iterator[Any]:
        plan = self.plan
        assert plan is not None
        self.seen_articles.add(state["key"])
        self.tally.count("newsarchive/not_modified")
        yield from revisits.after_not_modified(plan, self.walker, state)
        self.tally.hand_note(plan.not_modified_note(state["key"]))

    # -- listings, sitemaps and feeds -------------------------------------------------

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        assert self.plan is not None
        try:
            doc = discovery.parse_sitemap(response.body)
        except discovery.HostileDocument as exc:
            self.plan.sitemap_failed.add(host_of(response.url))
            yield from self._refused(response, "sitemap", exc)
            return
        yield from found.sitemap_requests(
            self.plan, self.walker, self.walker.page, doc, response.urljoin
        )
        self._settle(response.request)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        assert self.plan is not None
        try:
            entries = discovery.parse_feed(response.body, response.url)
        except discovery.HostileDocument as exc:
            yield from self._refused(response, "feed", exc)
            return
        yield from found.feed_requests(self.plan, self.walker, entries)
        self._settle(response.request)

    def _refused(self, response: Response, kind: str, exc: Exception) -> Iterator[Any]:
        self.tally.skip(f"{kind} refused", response.url)
        self.tally.note_error(response.url, f"{kind} refused: {exc}")
        self._settle(response.request, failed=f"{kind} refused: {exc}")
        yield from ()

    # -- failures ---------------------------------------------------------------------

    def on_error(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A failed article request: settled; a known article answering 404/410 is gone,
        and its archived neighbours (which may now link to each other) are fetched again."""
        request = failure.request  # type: ignore[attr-defined]
        self.tally.record_error(request.url, failure)
        plan = self.plan
        if plan is None or META not in request.meta:
            return
        reason = self.tally.last_error("failed") or "failed"
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else None
        key = request.meta[META]["key"]
        if not decisions.gone(status, known=plan.known(key) is not None):
            self._settle(request, failed=reason)
            return
        assert status is not None
        self.tally.skip(f"gone (HTTP {status})", request.url)
        self.tally.hand_note(plan.gone_note(key, status, reason))
        yield from revisits.after_gone(plan, self.walker, key, self.seen_articles)

    def on_discovery_error(self, failure: Failure) -> None:
        """A sitemap, feed or listing page that failed: a missing one (404) is only
        noted as skipped; anything else is a recorded error."""
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        kind = request.meta.get(META, {}).get("kind", "page")
        if response is not None and response.status in (404, 410):
            self.tally.skip(f"{kind} missing (HTTP {response.status})", request.url)
            self._settle(request, failed=f"HTTP {response.status}")
            return
        if kind == "sitemap" and self.plan is not None:
            self.plan.sitemap_failed.add(host_of(request.url))  # no departures from it
        self.tally.record_error(request.url, failure)
        self._settle(request, failed=self.tally.last_error())

    # -- the crawl's signals ----------------------------------------------------------

    def _idle(self, spider: Any) -> None:
        """Once the sitemaps are read, the archived articles they no longer list are asked
        for again; a crawl from an article whose chain was short starts discovery (once)."""
        plan = self.plan
        if plan is None:
            return
        requests = []
        for url in plan.departures(skip=self.seen_articles | self.scheduled):
            requests.extend(self.walker.recheck(url, "departed"))
        # An explicit direction (older/newer) asks for a walk along the chain only.
        if self.start_url_list and self.direction == "both":
            start = self.start_url_list[0]
            reached = len(self.seen_articles | self.plan_skipped)
            if plan.discover_at_idle(reached, room=self.walker.room(), host=host_of(start)):
                self.logger.info("the chain ended after %d articles: discovering", reached)
                requests.extend(self.walker.seeds(start, None))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _spider_closed(self, spider: Any, reason: str) -> None:
        self._close_reason = reason

    def _engine_stopped(self) -> None:
        """After the pipeline's last commit: settle what was dropped, release the archive."""
        if self.plan is not None:
            failed = bool(self.crawler.stats.get_value(EXIT_STATUS_STAT))
            self.plan.shutdown(self._close_reason, archive_failed=failed)

    # -- bookkeeping ------------------------------------------------------------------

    def _settle(self, request: scrapy.Request, failed: str | None = None) -> None:
        """Hand over the note that settles ``request``'s frontier entry."""
        if self.plan is not None:
            note = self.plan.settle(request, failed=failed)
            if note is not None:
                self.tally.hand_note(note)
