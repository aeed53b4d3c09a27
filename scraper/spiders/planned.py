"""The ``articles`` spider's routes beside the chain: resuming the frontier, article pages
(neighbours first), 304 answers, and settling every request with its result; listing
pages, sitemaps and feeds are in :mod:`.discovered`.

A mixin of :class:`scraper.spiders.articles.ArticlesSpider`; the decisions live in
:mod:`scraper.crawlplan`, the parsing in :mod:`scraper.discovery`. Without a plan (the
spider built outside a crawl, as the routing tests do) every method here steps aside.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from ..crawlplan import META, CrawlPlan, PlanArgumentError, page_route, starts_discovery
from ..exitcodes import EXIT_STATUS_STAT
from ..extract import PageHints, classify_page, start_page
from ..extract.urls import canonicalize_url, host_of
from ..items import Article, FetchNote
from ..planstore import Entry
from ..signals import fetch_noted
from .discovered import DiscoveryRoutes
from .responses import response_index, response_tree

if TYPE_CHECKING:
    from collections import Counter

    from scrapy.crawler import Crawler

    from ..crawlplan import PlanOptions
    from ..extract.profiles import Profile
    from .articles import _Begun
    from .departures import Departures

DIRECTION_REL = {"older": "prev", "newer": "next"}


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


class PlannedRoutes(DiscoveryRoutes):
    """Routes that need the archive: see the module docstring (discovery's own routes
    are :class:`~scraper.spiders.discovered.DiscoveryRoutes`)."""

    # Provided by ArticlesSpider (the rest is declared by DiscoveryRoutes).
    options: PlanOptions
    scheduled: set[str]
    skipped: Counter[str]
    start_url_list: list[str]
    direction: str
    crawler: Crawler
    departures: Departures | None
    notes_handed: int

    if TYPE_CHECKING:

        def parse_article(self, response: Response) -> Iterator[Any]: ...
        def _begin_article(self, response: Response, walk: str | None = None) -> _Begun | None: ...
        def _complete_article(self, response: Response, begun: _Begun) -> Iterator[Any]: ...
        def on_error(self, failure: Failure) -> Iterator[scrapy.Request]: ...
        def _room(self) -> bool: ...
        def profile_for(self, url: str) -> Profile | None: ...

    # -- opening ----------------------------------------------------------------------

    def _open_plan(self, crawler: Crawler) -> None:
        """Take the archive's lock and open its frontier (exits at once if locked)."""
        try:
            self.plan = CrawlPlan.from_crawler(crawler, self.options)
        except PlanArgumentError as exc:
            from .articles import _report_start_error

            _report_start_error(exc)
            raise
        self.plan_skipped: set[str] = set()
        self.plan_pages: set[str] = set()
        crawler.signals.connect(self._robots_parsed, signal=signals.robots_parsed)
        crawler.signals.connect(self._plan_spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self._plan_idle, signal=signals.spider_idle)
        crawler.signals.connect(self._close_plan, signal=signals.engine_stopped)
        self._close_reason: str | None = None

    def _robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        if self.plan is not None:
            self.plan.on_robots(urlsplit(request.url).netloc, robotparser)

    def _plan_idle(self, spider: Any) -> None:
        """Once the sitemaps are read, the archived articles they no longer list are asked
        for again; a crawl from an article whose chain was short starts discovery (once)."""
        plan = self.plan
        if plan is None:
            return
        requests = list(self._departure_requests())
        # An explicit direction (older/newer) asks for a walk along the chain only.
        if self.start_url_list and self.direction == "both":
            start = self.start_url_list[0]
            reached = len(self.seen_articles | self.plan_skipped)
            if plan.discover_at_idle(reached, room=self._room(), host=host_of(start)):
                self.logger.info(
                    "the chain ended after %d articles: discovering from the site", reached
                )
                requests.extend(self._discovery_seeds(start, None))
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            raise DontCloseSpider

    def _departure_requests(self) -> Iterator[scrapy.Request]:
        """Archived articles that left a sitemap listing the rest of their site."""
        plan = self.plan
        assert plan is not None
        for host in sorted(plan.sitemap_listed):
            departed = [
                url
                for url in plan.departed(host)
                if url not in self.seen_articles and url not in self.scheduled
            ]
            if departed:
                self.logger.info(
                    "%d archived articles of %s left its sitemap: checking them",
                    len(departed),
                    host,
                )
            for url in departed:
                yield from self._recheck(url, "departed")

    def _recheck(self, key: str, why: str) -> Iterator[scrapy.Request]:
        """Ask for the known article ``key`` again on this run (``why`` is its hint: a
        ``chain`` hint fetches it unconditionally, its links having changed)."""
        assert self.plan is not None
        self.plan.hint(key, why)
        request = self._article_request(key, "none", force=True, source=why)
        if request is not None:
            yield request

    def _plan_spider_closed(self, spider: Any, reason: str) -> None:
        self._close_reason = reason

    def _close_plan(self) -> None:
        """After the pipeline's last commit. A finished crawl has no request in flight: an
        entry still leased was dropped unanswered somewhere in Scrapy; it is settled as
        failed so the next run starts afresh instead of resuming it forever."""
        if self.plan is None:
            return
        archive_failed = bool(self.crawler.stats.get_value(EXIT_STATUS_STAT)) or bool(
            self.plan.failure
        )
        try:
            # After a refused write, what is unsettled was fetched but not stored: it stays
            # for the next run to fetch again.
            if self._close_reason == "finished" and not archive_failed:
                dropped = self.plan.settle_leftovers("dropped unanswered")
                if dropped:
                    self.logger.warning(
                        "%d requests were dropped unanswered: %s", len(dropped), dropped[:5]
                    )
        except Exception as exc:  # the store is the archive's; its errors end here, in one line
            self.logger.error("could not settle the frontier: %s", exc)
        finally:
            self.plan.close()

    async def _resumed_requests(self) -> AsyncIterator[scrapy.Request]:
        """What an unfinished earlier run left, then the revisits the schedule says are due."""
        plan = self.plan
        if plan is None:
            return
        resumed = plan.begin()
        if resumed is not None:
            self.scheduled.update(resumed.seen)
            self.errors.extend(resumed.failed)
            self.logger.info(
                "resuming an unfinished crawl: %d requests pending, %d settled",
                len(resumed.pending),
                len(resumed.seen) - len(resumed.pending),
            )
            for entry in resumed.pending:
                request = self._request_for_entry(entry)
                if request is not None:
                    yield request
        for url in plan.due_articles():
            if url not in self.scheduled:
                request = self._article_request(url, "none", force=True, source="schedule")
                if request is not None:
                    yield request

    def _request_for_entry(self, entry: Entry) -> scrapy.Request | None:
        assert self.plan is not None
        state = {"key": entry.key, **entry.meta}
        if entry.kind == "article":
            walk = state.get("walk", "both")
            request = scrapy.Request(
                entry.url,
                callback=self.parse_page,
                errback=self.on_error,
                meta={"walk": "none" if self.options.incremental else walk, META: state},
                priority=entry.priority,
                dont_filter=True,
            )
            known = self.plan.known(entry.key) if state.get("conditional") else None
            if known is not None:
                request.headers.update(self.plan.conditional_headers(known))
                request.meta["handle_httpstatus_list"] = [304]
        else:
            callback = self.parse_sitemap if entry.kind == "sitemap" else self.parse_feed
            if entry.kind == "listing":
                callback = self.parse_page
            request = scrapy.Request(
                entry.url,
                callback=callback,
                errback=self.on_discovery_error,
                meta={META: state},
                priority=entry.priority,
                dont_filter=True,
            )
        self.plan.lease(entry.key)
        return request

    # -- article requests -------------------------------------------------------------

    def _planned(
        self,
        request: scrapy.Request,
        key: str,
        walk: str,
        *,
        force: bool,
        source: str,
        known_run: int,
    ) -> scrapy.Request | None:
        plan = self.plan
        assert plan is not None
        decision, known = plan.admit(key, force=force, source=source)
        if decision == "skip":
            self.plan_skipped.add(key)
            self._skip("known, not due", request.url)
            if source == "chain":
                return self._step_over(key, walk, known_run)
            return None
        if (
            walk == "older"
            and known is not None
            and plan.options.stop_after_known is not None
            and known_run >= plan.options.stop_after_known
        ):
            self._skip("stop_after_known", request.url)
            return None
        state = request.meta.setdefault(META, {})
        state.update(key=key, walk=walk, source=source, known_run=known_run)
        if plan.options.incremental:
            request.meta["walk"] = "none"  # neighbours are decided once the article is read
        if decision == "conditional" and known is not None:
            headers = plan.conditional_headers(known)
            if headers:
                request.headers.update(headers)
                request.meta["handle_httpstatus_list"] = [304]
                state["conditional"] = True
        if not plan.persist(request, "article"):
            return None
        if known is None:
            plan.lacked.add(key)
        plan.discovered[source] += 1
        return request

    def _step_over(self, key: str, walk: str, known_run: int) -> scrapy.Request | None:
        """Walk past known articles that are not due, along the links the archive holds."""
        plan = self.plan
        assert plan is not None
        rel = DIRECTION_REL.get(walk)
        k = plan.options.stop_after_known
        while rel is not None:
            known_run += 1
            if walk == "older" and k is not None and known_run >= k:
                self._skip("stop_after_known", key)
                return None
            target = plan.stored_link(key, rel)
            if not target:
                return None
            target_key = canonicalize_url(target)
            if target_key in self.plan_skipped:
                key = target_key
                continue
            if target_key in self.scheduled or target_key in self.seen_articles:
                return None
            decision, _ = plan.admit(target_key)
            if decision == "skip":
                self.plan_skipped.add(target_key)
                self.scheduled.add(target_key)
                self._skip("known, not due", target)
                key = target_key
                continue
            return self._article_request(target, walk, known_run=known_run)
        return None

    # -- responses --------------------------------------------------------------------

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """Any page fetched as a possible article: a 304, a listing, or an article.

        An article's neighbour requests are yielded first and the callback waits until
        they have left (:mod:`.departures`) before the page's heavy work, so that the
        next hop of a chain is in flight while this page is extracted and archived."""
        plan = self.plan
        if plan is None:
            for out in self.parse_article(response):
                yield out
            return
        state = response.meta.setdefault(META, {"key": canonicalize_url(response.url)})
        if response.status == 304:
            for out in self._not_modified(response, state):
                yield out
            return
        tree = response_tree(response) if isinstance(response, HtmlResponse) else None
        index = response_index(response) if isinstance(response, HtmlResponse) else None
        is_start = state.get("source") == "start"
        route = "article"
        if tree is not None:
            verdict = classify_page(
                tree,
                response.url,
                PageHints(
                    status=response.status,
                    content_type=_header(response, "Content-Type"),
                    is_start=is_start,
                ),
                index,
            )
            has_neighbours = False
            if verdict.kind == "other" and is_start:
                found = start_page(
                    tree, response.url, self.profile_for(response.url), index
                ).neighbours
                has_neighbours = bool(found.prev_url or found.next_url)
            route = page_route(
                verdict.kind,
                response.url,
                is_start=is_start,
                via_chain=(state.get("source") == "chain" and state.get("walk") in DIRECTION_REL)
                or plan.known(state["key"]) is not None,
                has_neighbours=has_neighbours,
                via_pagination=state.get("kind") == "listing",
            )
            self.logger.debug("%s: %s (%s)", response.url, route, verdict.reason)
        explicit = plan.options.discover is not None and plan.options.discover & {"sitemap", "feed"}
        if (
            explicit
            or route == "listing"
            or (
                route == "other"
                and starts_discovery(route, is_start=is_start, auto=plan.auto, has_neighbours=False)
            )
        ):
            for out in self._discovery_seeds(response.url, tree):
                yield out
        if route != "article":
            self._skip(f"{route} page", response.url)
            if route == "listing":
                assert tree is not None
                for out in self._parse_listing(response, tree, state):
                    yield out
            self._settle(response.request)
            return
        if is_start and plan.auto:
            plan.chain_start = True
        state["etag"] = _header(response, "ETag")
        state["last_modified"] = _header(response, "Last-Modified")
        begun = self._begin_article(response, self._early_walk(response, state))
        notes_before = self.notes_handed
        handed = False
        if begun is not None:
            neighbours = begun.start.neighbours
            if is_start and starts_discovery(
                route,
                is_start=True,
                auto=plan.auto,
                has_neighbours=bool(neighbours.prev_url or neighbours.next_url),
            ):
                begun.requests.extend(self._discovery_seeds(response.url, begun.start.tree))
            for request in begun.requests:
                yield request
            if begun.requests and self.departures is not None:
                await self.departures.wait(begun.requests)
            for out in self._complete_article(response, begun):
                if isinstance(out, Article) or (
                    isinstance(out, scrapy.Request) and "thread_state" in out.meta
                ):
                    handed = True
                yield out
        if not handed and self.notes_handed == notes_before:
            self._settle(response.request)

    def _early_walk(self, response: Response, state: dict[str, Any]) -> str:
        """Which neighbours to request before extraction. Incremental runs decide the walk
        once the article is read (an unchanged known article may end it); a page the
        archive has never seen cannot be unchanged, so its walk goes on at once."""
        walk: str = response.meta.get("walk", "both")
        plan = self.plan
        if (
            plan is not None
            and plan.options.incremental
            and walk == "none"
            and plan.known(state["key"]) is None
        ):
            return str(state.get("walk", "both"))
        return walk

    def _settle(self, request: scrapy.Request, failed: str | None = None) -> None:
        """Hand over the note that settles ``request``'s frontier entry."""
        if self.plan is not None:
            note = self.plan.settle(request, failed=failed)
            if note is not None:
                self._hand_note(note)

    def _hand_note(self, note: FetchNote, *, article: bool = False) -> None:
        """Send ``note`` to the archive (:data:`scraper.signals.fetch_noted`); with
        ``article``, it is written after the article the spider yields next."""
        self.notes_handed += 1
        crawler = getattr(self, "crawler", None)
        if crawler is not None:
            crawler.signals.send_catch_log(fetch_noted, note=note, article=article, spider=self)

    def _finish_article(self, article: Article, origin: dict[str, Any]) -> Iterator[Any]:
        """The article is complete (every comment page read): with a plan, decide the walk
        (incremental runs), then hand over the article and the note that settles it."""
        plan = self.plan
        if plan is None or not origin.get("key"):
            yield article
            return
        key = article.canonical_url
        if plan.options.incremental:
            known = plan.known(key)
            unchanged = plan.unchanged(article, known)
            run = origin.get("known_run", 0) + 1 if unchanged else 0
            walk = origin.get("walk", "both")
            for direction, url, back in (
                ("older", article.prev_url, "next"),
                ("newer", article.next_url, "prev"),
            ):
                if not url or walk not in ("both", direction):
                    continue
                target = canonicalize_url(url)
                if plan.known(target) is not None and plan.stored_link(target, back) != key:
                    plan.hint(target, "chain")  # its own prev/next link must have changed
                request = self._article_request(url, direction, known_run=run)
                if request is not None:
                    yield request
        self._hand_note(
            FetchNote(
                url=key,
                frontier_keys=tuple(dict.fromkeys((origin["key"], key))),
                etag=origin.get("etag"),
                last_modified=origin.get("last_modified"),
                status=200,
                checked_at=plan.now_iso(),
            ),
            article=True,
        )
        yield article

    def _not_modified(self, response: Response, state: dict[str, Any]) -> Iterator[Any]:
        plan = self.plan
        assert plan is not None
        key = state["key"]
        self.seen_articles.add(key)
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("newsarchive/not_modified")
        run = state.get("known_run", 0) + 1
        walk = state.get("walk", "both")
        for direction, rel in DIRECTION_REL.items():
            if walk in ("both", direction):
                target = plan.stored_link(key, rel)
                if target:
                    request = self._article_request(target, direction, known_run=run)
                    if request is not None:
                        yield request
        self._hand_note(
            FetchNote(
                url=key,
                frontier_keys=(key,),
                not_modified=True,
                status=304,
                checked_at=plan.now_iso(),
            )
        )

    def _failed_article(self, failure: Failure) -> Iterator[scrapy.Request]:
        """Settle a failed article request; a known article answering 404/410 is gone, and
        its archived neighbours (which may now link to each other) are fetched again."""
        plan = self.plan
        request = failure.request  # type: ignore[attr-defined]
        if plan is None or META not in request.meta:
            return
        reason = self.errors[-1]["reason"] if self.errors else "failed"
        response = getattr(failure.value, "response", None)
        key = request.meta[META]["key"]
        if response is not None and response.status in (404, 410) and plan.known(key):
            self._skip(f"gone (HTTP {response.status})", request.url)
            self._hand_note(
                FetchNote(
                    url=key,
                    frontier_keys=(key,),
                    frontier_state="failed",
                    reason=reason,
                    status=response.status,
                    gone=True,
                    checked_at=plan.now_iso(),
                )
            )
            for neighbour in plan.neighbours(key):
                if neighbour not in self.seen_articles:
                    yield from self._recheck(neighbour, "chain")
            return
        self._settle(request, failed=reason)
