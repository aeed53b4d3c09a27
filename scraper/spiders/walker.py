"""Which articles a run asks for: the request for each article URL the spider meets (a
start URL, a neighbour, a sitemap, feed or listing entry, a re-check), or none.

An article is asked for once a run, on the crawl's hosts, while ``max_articles`` leaves
room; with a plan, only when :func:`scraper.decisions.admit` says so (with validators
when it says ``conditional``), persisted in the frontier first. Known articles that are
not due are stepped over along the links the archive holds, so the walk goes on past
them without fetching them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import scrapy
from lxml.html import HtmlElement

from .. import decisions
from ..crawlplan import META, CrawlPlan
from ..decisions import DIRECTION_REL
from ..extract.urls import canonicalize_url, host_of, strip_tracking
from ..planstore import Entry
from .tally import Tally


class Walker:
    """One run's article requests: what was asked for, accepted and stepped over."""

    def __init__(
        self,
        hosts: set[str],
        max_articles: int | None,
        tally: Tally,
        routes: dict[str, tuple[Callable[..., Any], Callable[..., Any]]],
    ) -> None:
        self.plan: CrawlPlan | None = None  # set in a crawl into an archive
        self.hosts = hosts
        self.max_articles = max_articles
        self.tally = tally
        self.routes = routes  # entry kind -> (callback, errback)
        self.pages: set[str] = set()  # listing, sitemap and feed keys requested
        self.seen: set[str] = set()  # canonical URLs of articles accepted
        self.scheduled: set[str] = set()  # canonical forms of article URLs requested
        self.stepped: set[str] = set()  # known articles skipped as not due

    def room(self) -> bool:
        return self.max_articles is None or len(self.scheduled) < self.max_articles

    def request(
        self,
        url: str,
        walk: str,
        *,
        force: bool = False,
        source: str = "chain",
        known_run: int = 0,
    ) -> scrapy.Request | None:
        """The request for a possible article (``None``: already asked, off-site, no room,
        or not to be fetched on this run)."""
        key = canonicalize_url(url)
        plan = self.plan
        if plan is not None and key in self.stepped:
            if key in plan.hints:  # skipped as not due; since hinted as changed
                self.stepped.discard(key)
                self.scheduled.discard(key)
            elif walk in DIRECTION_REL:
                return self.step_over(key, walk, known_run)
        if key in self.scheduled or key in self.seen:
            return None
        if host_of(url) not in self.hosts:
            self.tally.skip("off-site", url)
            return None
        if not force and not self.room():
            return None
        self.scheduled.add(key)
        callback, errback = self.routes["article"]
        request = scrapy.Request(
            strip_tracking(url), callback=callback, errback=errback, meta={"walk": walk}
        )
        if plan is None:
            return request
        # Our own keys decide what is a duplicate: a request Scrapy's filter dropped (a
        # redirect back to a URL already fetched) would never be settled.
        request.dont_filter = True
        decision, known = plan.admit(key, force=force, source=source)
        if decision == "skip":
            self.stepped.add(key)
            self.tally.skip("known, not due", request.url)
            return self.step_over(key, walk, known_run) if source == "chain" else None
        if known is not None and decisions.stops_walk(
            walk, known_run, plan.options.stop_after_known
        ):
            self.tally.skip("stop_after_known", request.url)
            return None
        state = request.meta.setdefault(META, {})
        state.update(key=key, walk=walk, source=source, known_run=known_run)
        if plan.options.incremental:
            request.meta["walk"] = "none"  # neighbours are decided once the article is read
        if decision == "conditional" and known is not None:
            conditional(request, plan.conditional_headers(known))
        if not plan.persist(request, "article"):
            return None
        if known is None:
            plan.lacked.add(key)
        plan.discovered[source] += 1
        return request

    def step_over(self, key: str, walk: str, known_run: int) -> scrapy.Request | None:
        """Walk past known articles that are not due, along the links the archive holds."""
        plan = self.plan
        assert plan is not None
        rel = DIRECTION_REL.get(walk)
        while rel is not None:
            known_run += 1
            if decisions.stops_walk(walk, known_run, plan.options.stop_after_known):
                self.tally.skip("stop_after_known", key)
                return None
            target = plan.stored_link(key, rel)
            if not target:
                return None
            target_key = canonicalize_url(target)
            if target_key in self.stepped:
                key = target_key
                continue
            if target_key in self.scheduled or target_key in self.seen:
                return None
            decision, _ = plan.admit(target_key)
            if decision == "skip":
                self.stepped.add(target_key)
                self.scheduled.add(target_key)
                self.tally.skip("known, not due", target)
                key = target_key
                continue
            return self.request(target, walk, known_run=known_run)
        return None

    def recheck(self, key: str, why: str) -> list[scrapy.Request]:
        """Ask for the known article ``key`` again on this run (``why`` is its hint: a
        ``chain`` hint fetches it unconditionally, its links having changed)."""
        assert self.plan is not None
        self.plan.hint(key, why)
        request = self.request(key, "none", force=True, source=why)
        return [request] if request is not None else []

    def page(self, url: str, kind: str) -> scrapy.Request | None:
        """A listing, sitemap or feed request, persisted (``None``: already asked)."""
        plan = self.plan
        assert plan is not None
        key = canonicalize_url(url)
        if key in self.pages or host_of(url) not in self.hosts:
            return None
        self.pages.add(key)
        state = {"key": key, "kind": kind}
        request = self._page_request(url, kind, state, -1 if kind == "listing" else 1)
        return request if plan.persist(request, kind) else None

    def seeds(self, url: str, tree: HtmlElement | None) -> list[scrapy.Request]:
        """The sitemap, feed and listing requests discovery starts from at ``url``."""
        assert self.plan is not None
        requests = (self.page(seed, kind) for kind, seed in self.plan.discovery_seeds(url, tree))
        return [request for request in requests if request is not None]

    def resume(self) -> list[scrapy.Request]:
        """The requests an unfinished earlier run left (its frontier), asked again."""
        assert self.plan is not None
        resumed = self.plan.begin()
        if resumed is None:
            return []
        self.scheduled.update(resumed.seen)
        self.tally.errors.extend(resumed.failed)
        self.tally.logger.info(
            "resuming an unfinished crawl: %d requests pending, %d settled",
            len(resumed.pending),
            len(resumed.seen) - len(resumed.pending),
        )
        return [self.entry(entry) for entry in resumed.pending]

    def entry(self, entry: Entry) -> scrapy.Request:
        """A frontier entry an unfinished earlier run left, requested again."""
        plan = self.plan
        assert plan is not None
        state = {"key": entry.key, **entry.meta}
        if entry.kind == "article":
            walk = "none" if plan.options.incremental else state.get("walk", "both")
            callback, errback = self.routes["article"]
            request = scrapy.Request(
                entry.url,
                callback=callback,
                errback=errback,
                meta={"walk": walk, META: state},
                priority=entry.priority,
                dont_filter=True,
            )
            known = plan.known(entry.key) if state.get("conditional") else None
            if known is not None:
                conditional(request, plan.conditional_headers(known))
        else:
            request = self._page_request(entry.url, entry.kind, state, entry.priority)
        plan.lease(entry.key)
        return request

    def _page_request(
        self, url: str, kind: str, state: dict[str, Any], priority: int
    ) -> scrapy.Request:
        callback, errback = self.routes.get(kind, self.routes["listing"])
        return scrapy.Request(
            url,
            callback=callback,
            errback=errback,
            meta={META: state},
            priority=priority,
            dont_filter=True,
        )


def conditional(request: scrapy.Request, headers: dict[str, str]) -> None:
    """Ask with the archived copy's validators: a 304 answer is expected."""
    if headers:
        request.headers.update(headers)
        request.meta["handle_httpstatus_list"] = [304]
        request.meta[META]["conditional"] = True
