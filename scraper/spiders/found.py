"""The article requests (and further listing or sitemap requests) a listing page, a
sitemap or a feed leads to, each batch persisted in one frontier transaction. Plain
functions: the spider's routes parse the document and call these; the decisions are
:mod:`scraper.decisions`'."""

from __future__ import annotations

from collections.abc import Callable

import scrapy
from lxml.html import HtmlElement

from .. import decisions, discovery
from ..crawlplan import CrawlPlan
from ..extract.urls import canonicalize_url
from .walker import Walker

# (url, kind) -> a listing, sitemap or feed request, or None if already asked.
PageRequest = Callable[[str, str], scrapy.Request | None]


def listing_requests(
    plan: CrawlPlan, walker: Walker, page_request: PageRequest, tree: HtmlElement, url: str
) -> list[scrapy.Request]:
    """A listing's articles, and the pages of it to follow (:func:`decisions.listing_pages`)."""
    sources = plan.sources(True)
    if "listing" not in sources:
        return []
    links = discovery.listing_links(tree, url)
    walk = decisions.walk_for_discovered(sources)
    new = 0
    requests = []
    with plan.batch():
        for link in links.articles:
            key = canonicalize_url(link)
            # Lacked when this run began: an article this run has archived meanwhile still
            # counts, or paging would stop as soon as the writer caught up.
            if key in plan.lacked or plan.known(key) is None:
                new += 1
            requests.append(walker.request(link, walk, source="listing"))
        options = plan.options
        for page in decisions.listing_pages(
            links.pages,
            links.next_page,
            incremental=options.incremental,
            full=options.full,
            new=new,
        ):
            requests.append(page_request(page, "listing"))
    return [r for r in requests if r is not None]


def sitemap_requests(
    plan: CrawlPlan,
    walker: Walker,
    page_request: PageRequest,
    doc: discovery.SitemapDoc,
    urljoin: Callable[[str], str],
) -> list[scrapy.Request]:
    """An index's child sitemaps, or a sitemap's articles (each noted as listed, and hinted
    when its ``lastmod`` is newer than the archived copy)."""
    walk = decisions.walk_for_discovered(plan.sources(True))
    requests = []
    with plan.batch():
        for entry in doc.entries:
            url = urljoin(entry.loc)
            if doc.kind == "sitemapindex":
                if not discovery.skip_sitemap(entry.loc):
                    requests.append(page_request(url, "sitemap"))
                continue
            if discovery.is_listing_url(url):
                continue
            key = canonicalize_url(url)
            plan.listed_in_sitemap(key)
            known = plan.known(key)
            if known is not None and plan.sitemap_newer(entry, known):
                plan.hint(key, "sitemap lastmod")
            requests.append(walker.request(url, walk, source="sitemap"))
    return [r for r in requests if r is not None]


def feed_requests(
    plan: CrawlPlan, walker: Walker, entries: list[discovery.FeedEntry]
) -> list[scrapy.Request]:
    """A feed's articles, each hinted when the feed says it changed
    (:func:`decisions.feed_hint`)."""
    walk = decisions.walk_for_discovered(plan.sources(True))
    requests = []
    with plan.batch():
        for entry in entries:
            key = canonicalize_url(entry.url)
            known = plan.known(key)
            if known is not None and decisions.feed_hint(
                comment_entry=entry.comment,
                newer=bool(entry.comment) and plan.newer_than_check(entry.updated, known),
                comments=entry.comments,
                known_comments=known.comment_count,
            ):
                plan.hint(key, "feed comments")
            requests.append(walker.request(entry.url, walk, source="feed"))
    return [r for r in requests if r is not None]
