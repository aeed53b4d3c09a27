"""Where a fetched HTML page goes: classified (:func:`scraper.extract.classify_page`), then
routed by :func:`scraper.decisions.page_route` with what the request says of it; and an
article page's first look (its neighbours, requested before its heavy work); why an
extracted article is not taken."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import scrapy
from lxml.html import HtmlElement
from scrapy.http import HtmlResponse, Response

from .. import decisions
from ..decisions import DIRECTION_REL
from ..extract import PageHints, PageStart, classify_page, start_page
from ..extract.profiles import Profile
from ..items import Article
from .responses import response_index
from .walker import Walker

logger = logging.getLogger("scraper.spiders.articles")


@dataclass
class Begun:
    """An article page after its first look: its start, profile and neighbour requests."""

    start: PageStart
    profile: Profile | None
    requests: list[scrapy.Request]


def begin(
    response: HtmlResponse, tree: HtmlElement, walk: str, profile: Profile | None, walker: Walker
) -> Begun:
    """The page index and neighbours (:func:`scraper.extract.start_page`), and the requests
    for the neighbours ``walk`` goes on to."""
    start = start_page(tree, response.url, profile, response_index(response))
    requests = []
    for direction, url in decisions.neighbour_hops(
        walk, start.neighbours.prev_url, start.neighbours.next_url
    ):
        request = walker.request(url, direction)
        if request is not None:
            requests.append(request)
    return Begun(start, profile, requests)


def first_look(
    response: HtmlResponse,
    tree: HtmlElement,
    state: dict[str, Any],
    profile: Profile | None,
    walker: Walker,
) -> Begun:
    """The cheap first look at an article page: :func:`begin` with the walk the request
    (and, with a plan, :func:`scraper.decisions.early_walk`) says, so that the next hop
    can leave before this page's heavy work."""
    plan = walker.plan
    walk: str = response.meta.get("walk", "both")
    if plan is not None:
        walk = decisions.early_walk(
            walk,
            str(state.get("walk", "both")),
            incremental=plan.options.incremental,
            known=walk == "none" and plan.known(state["key"]) is not None,
        )
    return begin(response, tree, walk, profile, walker)


def discovers(route: str, is_start: bool, explicit: bool, *, auto: bool) -> bool:
    """Whether discovery starts from a page routed ``route`` before any article work:
    asked for explicitly (``-a discover`` with sitemaps or feeds), a listing, or a start
    page that is no article (:func:`scraper.decisions.starts_discovery`)."""
    return (
        explicit
        or route == "listing"
        or (
            route == "other"
            and decisions.starts_discovery(
                route, is_start=is_start, auto=auto, has_neighbours=False
            )
        )
    )


def refusal(article: Article, seen: set[str], max_articles: int | None) -> str | None:
    """Why an extracted article is not taken (the skip reason), or ``None``."""
    if not article.headline and not article.body_text:
        return "not an article"
    if article.canonical_url in seen:
        return "duplicate"
    if max_articles is not None and len(seen) >= max_articles:
        return "max_articles reached"
    return None


def header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def route(
    response: HtmlResponse,
    tree: HtmlElement,
    state: dict[str, Any],
    profile: Profile | None,
    *,
    is_start: bool,
    planned: bool,
    known: Callable[[], bool],
) -> str:
    """``article``, ``listing`` or ``other`` for ``response`` (its request's plan
    ``state``; ``known()``: whether the archive holds the page as an article)."""
    index = response_index(response)
    verdict = classify_page(
        tree,
        response.url,
        PageHints(
            status=response.status,
            content_type=header(response, "Content-Type"),
            is_start=is_start,
        ),
        index,
    )
    has_neighbours = False
    if verdict.kind == "other" and is_start:
        found = start_page(tree, response.url, profile, index)
        has_neighbours = bool(found.neighbours.prev_url or found.neighbours.next_url)
    walk = state.get("walk", response.meta.get("walk"))
    # Without a plan, a request along the chain carries only its walk.
    source = state.get("source", None if planned else "chain")
    via_chain = (source == "chain" and walk in DIRECTION_REL) or known()
    where = decisions.page_route(
        verdict.kind,
        response.url,
        is_start=is_start,
        via_chain=via_chain,
        has_neighbours=has_neighbours,
        via_pagination=state.get("kind") == "listing",
    )
    logger.debug("%s: %s (%s)", response.url, where, verdict.reason)
    return where
