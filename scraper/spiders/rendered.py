"""The ``articles`` spider's rendering fallback (``-s ARCHIVE_RENDER=auto|always``,
:mod:`scraper.render`): an article whose thread a script widget loads, and no adapter
read, is fetched once more in the headless browser before it is handed over, and the
comments of the rendered page are merged into it.

The re-request travels like a comment page: through the same downloader slot, delays and
robots.txt middleware as every request, not persisted in the frontier (the article's own
entry settles when the article is handed over, so a crawl stopped in between fetches the
article again). A failed or empty rendering leaves the article as the HTML gave it.

:class:`Rendering` holds the run's mode and builds the browser request (the decision is
:func:`scraper.render.should_render`); :func:`merge_rendered` reads the rendered page.
Built outside a crawl (the routing tests, reparse), rendering is off.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.settings import BaseSettings
from twisted.python.failure import Failure

from ..extract import extract_thread
from ..extract.profiles import Profile
from ..items import Article
from ..render import (
    RENDER_META,
    RENDERED,
    RenderSettingError,
    browser_settings,
    render_meta,
    render_mode,
    should_render,
)
from .responses import response_tree

# How long the browser waits for the page to load and go quiet (milliseconds), where the
# settings do not say (scraper/settings.py: ARCHIVE_RENDER_TIMEOUT).
DEFAULT_TIMEOUT_MS = 15000
# Request meta: the crawl plan's request state of the article waiting for its rendering.
ORIGIN_META = "render_origin"


def update_settings(settings: BaseSettings) -> None:
    """Route browser requests through scrapy-playwright only when rendering is on: a
    crawl without it loads neither Playwright nor its driver."""
    try:
        mode = render_mode(settings.get("ARCHIVE_RENDER"))
        extra = browser_settings(
            mode,
            settings.get("ARCHIVE_RENDER_BROWSER") or "/usr/bin/chromium",
            settings.getint("ARCHIVE_RENDER_TIMEOUT", DEFAULT_TIMEOUT_MS),
        )
    except RenderSettingError:
        return  # reported in one line when the spider is built (Rendering.open)
    for name, value in extra.items():
        settings.set(name, value, priority="spider")


class Rendering:
    """A run's rendering mode and the browser requests it makes."""

    def __init__(
        self, callback: Callable[[Response], Any], errback: Callable[[Failure], Any]
    ) -> None:
        self.mode = "off"
        self.timeout_ms = DEFAULT_TIMEOUT_MS
        self.callback, self.errback = callback, errback

    def open(self, settings: BaseSettings) -> None:
        """Raises :class:`RenderSettingError` for a bad ARCHIVE_RENDER."""
        mode = render_mode(settings.get("ARCHIVE_RENDER"))
        browser_settings(mode, "", 0)  # scrapy-playwright is installed when needed
        self.mode = mode
        self.timeout_ms = settings.getint("ARCHIVE_RENDER_TIMEOUT", DEFAULT_TIMEOUT_MS)

    def request(self, article: Article, origin: dict[str, Any]) -> scrapy.Request | None:
        """The browser request for ``article``'s page, if the article needs one."""
        widget = should_render(self.mode, article)
        if widget is None:
            return None
        meta = render_meta(article, widget, self.timeout_ms)
        meta[ORIGIN_META] = origin
        return scrapy.Request(
            article.url,
            callback=self.callback,
            errback=self.errback,
            meta=meta,
            dont_filter=True,  # the page was fetched once already, by Scrapy's handler
            priority=10,
        )


def waiting(meta: dict[str, Any]) -> tuple[Article, dict[str, Any]]:
    """The article a rendering request carries, and its crawl plan's request state."""
    article, _ = meta[RENDER_META]
    return article, meta[ORIGIN_META]


def merge_rendered(response: Response, profile: Profile | None) -> Article:
    """The waiting article with the rendered page's thread, where it has one."""
    article, widget = response.meta[RENDER_META]
    if isinstance(response, HtmlResponse):
        thread = extract_thread(response_tree(response), article.url, profile)
        if thread.comments:
            source = f"{RENDERED}{widget}"
            article.comments = thread.comments
            article.comments_source = source
            article.sources["comments"] = source
            if thread.comment_count is not None:
                article.comment_count = thread.comment_count
                article.sources["comment_count"] = source
    return article
