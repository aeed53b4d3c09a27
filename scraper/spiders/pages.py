"""Where a fetched HTML page goes: classified (:func:`scraper.extract.classify_page`), then
routed by :func:`scraper.decisions.page_route` with what the request says of it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from lxml.html import HtmlElement
from scrapy.http import HtmlResponse, Response

from .. import decisions
from ..decisions import DIRECTION_REL
from ..extract import PageHints, classify_page, start_page
from ..extract.profiles import Profile
from .responses import response_index

logger = logging.getLogger("scraper.spiders.articles")


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
