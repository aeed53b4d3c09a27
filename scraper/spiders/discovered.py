"""The ``articles`` spider's discovery routes: listing pages, sitemaps and feeds, each
turned into article requests (and further listing, sitemap or feed requests) persisted in
the frontier before they are made.

A mixin of :class:`scraper.spiders.planned.PlannedRoutes`; the decisions live in
:mod:`scraper.crawlplan`, the parsing (with its limits on hostile documents) in
:mod:`scraper.discovery`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from lxml.html import HtmlElement
from scrapy.http import Response
from twisted.python.failure import Failure

from .. import discovery
from ..crawlplan import META, CrawlPlan
from ..extract.urls import canonicalize_url, host_of


class DiscoveryRoutes:
    """Listing, sitemap and feed routes: see the module docstring."""

    # Provided by PlannedRoutes and ArticlesSpider (declared here for both mixins).
    plan: CrawlPlan | None
    plan_pages: set[str]
    seen_articles: set[str]
    allowed_hosts: set[str]
    errors: list[dict[str, str]]

    if TYPE_CHECKING:

        def parse_page(self, response: Response) -> Any: ...
        def _settle(self, request: scrapy.Request, failed: str | None = None) -> None: ...
        def _skip(self, reason: str, url: str) -> None: ...
        def _note_error(self, url: str, reason: str) -> None: ...
        def _record_error(self, url: str, failure: Failure) -> None: ...
        def _article_request(
            self,
            url: str,
            walk: str,
            *,
            force: bool = False,
            source: str = "chain",
            known_run: int = 0,
        ) -> scrapy.Request | None: ...

    def _discovery_seeds(self, url: str, tree: HtmlElement | None) -> Iterator[Any]:
        assert self.plan is not None
        seeds = self.plan.discovery_seeds(url, tree)
        for kind, url in seeds:
            request = self._discovery_request(url, kind)
            if request is not None:
                yield request

    def _discovery_request(self, url: str, kind: str) -> scrapy.Request | None:
        plan = self.plan
        assert plan is not None
        key = canonicalize_url(url)
        if key in self.plan_pages or host_of(url) not in self.allowed_hosts:
            return None
        self.plan_pages.add(key)
        callback = {"sitemap": self.parse_sitemap, "feed": self.parse_feed}.get(
            kind, self.parse_page
        )
        request = scrapy.Request(
            url,
            callback=callback,
            errback=self.on_discovery_error,
            meta={META: {"key": key, "kind": kind}},
            priority=-1 if kind == "listing" else 1,
            dont_filter=True,
        )
        if not plan.persist(request, kind):
            return None
        return request

    def _walk_for_discovered(self) -> str:
        assert self.plan is not None
        return "both" if "chain" in self.plan.sources(True) else "none"

    def _parse_listing(
        self, response: Response, tree: HtmlElement, state: dict[str, Any]
    ) -> Iterator[Any]:
        plan = self.plan
        assert plan is not None
        if "listing" not in plan.sources(True):
            return
        links = discovery.listing_links(tree, response.url)
        new = 0
        with plan.batch():
            requests = []
            for url in links.articles:
                key = canonicalize_url(url)
                # Lacked when this run began: an article this run has archived meanwhile
                # still counts, or paging would stop as soon as the writer caught up.
                if key in plan.lacked or plan.known(key) is None:
                    new += 1
                request = self._article_request(url, self._walk_for_discovered(), source="listing")
                if request is not None:
                    requests.append(request)
            # Incremental runs page on (to the next page only) while a page still shows
            # articles the archive lacks; other runs take every page.
            pages = links.pages
            if plan.options.incremental and not plan.options.full:
                pages = [links.next_page] if new and links.next_page else []
            if pages:
                for url in pages:
                    request = self._discovery_request(url, "listing")
                    if request is not None:
                        requests.append(request)
        yield from requests

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        plan = self.plan
        assert plan is not None
        try:
            doc = discovery.parse_sitemap(response.body)
        except discovery.HostileDocument as exc:
            self._skip("sitemap refused", response.url)
            plan.sitemap_failed.add(host_of(response.url))
            self._note_error(response.url, f"sitemap refused: {exc}")
            self._settle(response.request, failed=f"sitemap refused: {exc}")
            return
        requests = []
        with plan.batch():
            if doc.kind == "sitemapindex":
                for entry in doc.entries:
                    if discovery.skip_sitemap(entry.loc):
                        continue
                    request = self._discovery_request(response.urljoin(entry.loc), "sitemap")
                    if request is not None:
                        requests.append(request)
            else:
                walk = self._walk_for_discovered()
                for entry in doc.entries:
                    url = response.urljoin(entry.loc)
                    if discovery.is_listing_url(url):
                        continue
                    key = canonicalize_url(url)
                    plan.listed_in_sitemap(key)
                    known = plan.known(key)
                    if known is not None and plan.sitemap_newer(entry, known):
                        plan.hint(key, "sitemap lastmod")
                    request = self._article_request(url, walk, source="sitemap")
                    if request is not None:
                        requests.append(request)
        yield from requests
        self._settle(response.request)

    def parse_feed(self, response: Response) -> Iterator[Any]:
        plan = self.plan
        assert plan is not None
        try:
            entries = discovery.parse_feed(response.body, response.url)
        except discovery.HostileDocument as exc:
            self._skip("feed refused", response.url)
            self._note_error(response.url, f"feed refused: {exc}")
            self._settle(response.request, failed=f"feed refused: {exc}")
            return
        walk = self._walk_for_discovered()
        requests = []
        with plan.batch():
            for entry in entries:
                key = canonicalize_url(entry.url)
                known = plan.known(key)
                if known is not None and (
                    (entry.comment and plan.newer_than_check(entry.updated, known))
                    or (entry.comments is not None and entry.comments != known.comment_count)
                ):
                    plan.hint(key, "feed comments")
                request = self._article_request(entry.url, walk, source="feed")
                if request is not None:
                    requests.append(request)
        yield from requests
        self._settle(response.request)

    def on_discovery_error(self, failure: Failure) -> None:
        """A sitemap, feed or listing page that failed: a missing one (404) is only
        noted as skipped; anything else is a recorded error."""
        request = failure.request  # type: ignore[attr-defined]
        response = getattr(failure.value, "response", None)
        kind = request.meta.get(META, {}).get("kind", "page")
        if response is not None and response.status in (404, 410):
            self._skip(f"{kind} missing (HTTP {response.status})", request.url)
            self._settle(request, failed=f"HTTP {response.status}")
            return
        if kind == "sitemap" and self.plan is not None:
            self.plan.sitemap_failed.add(host_of(request.url))  # no departures from it
        self._record_error(request.url, failure)
        self._settle(request, failed=self.errors[-1]["reason"] if self.errors else None)
