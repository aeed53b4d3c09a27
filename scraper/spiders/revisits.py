"""The requests a known article's revisit leads to: the neighbours an incremental walk
goes on to once the article is read again (or answered 304), and the archived neighbours
of an article that is gone. Plain functions the spider's routes call; the decisions are
:mod:`scraper.decisions`'."""

from __future__ import annotations

from typing import Any

import scrapy

from .. import decisions
from ..crawlplan import CrawlPlan
from ..decisions import DIRECTION_REL
from ..extract.urls import canonicalize_url
from ..items import Article
from .walker import Walker


def after_article(
    plan: CrawlPlan, walker: Walker, article: Article, origin: dict[str, Any]
) -> list[scrapy.Request]:
    """An incremental run's walk on from a complete article: its neighbours (the run of
    unchanged known articles counted), and a chain hint for a known neighbour whose own
    link back must have changed."""
    key = article.canonical_url
    run = decisions.known_run_after(
        origin.get("known_run", 0), unchanged=plan.unchanged(article, plan.known(key))
    )
    requests = []
    for direction, url in decisions.neighbour_hops(
        origin.get("walk", "both"), article.prev_url, article.next_url
    ):
        target = canonicalize_url(url)
        back = "next" if direction == "older" else "prev"
        if plan.known(target) is not None and decisions.relinked(
            plan.stored_link(target, back), key
        ):
            plan.hint(target, "chain")  # its own prev/next link must have changed
        request = walker.request(url, direction, known_run=run)
        if request is not None:
            requests.append(request)
    return requests


def after_not_modified(
    plan: CrawlPlan, walker: Walker, state: dict[str, Any]
) -> list[scrapy.Request]:
    """The walk on from an article answering 304: along its stored links."""
    run = decisions.known_run_after(state.get("known_run", 0), unchanged=True)
    requests = []
    for direction in decisions.walk_directions(state.get("walk", "both")):
        target = plan.stored_link(state["key"], DIRECTION_REL[direction])
        request = walker.request(target, direction, known_run=run) if target else None
        if request is not None:
            requests.append(request)
    return requests


def after_gone(plan: CrawlPlan, walker: Walker, key: str, seen: set[str]) -> list[scrapy.Request]:
    """A gone article's archived neighbours (which may now link to each other), not read
    on this run yet, fetched again."""
    requests = []
    for neighbour in plan.neighbours(key):
        if neighbour not in seen:
            requests.extend(walker.recheck(neighbour, "chain"))
    return requests
