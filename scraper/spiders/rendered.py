"""The ``articles`` spider's rendering route (``-s ARCHIVE_RENDER=auto|always``,
:mod:`scraper.render`): an article whose thread a script widget loads, and no adapter
read, is fetched once more in the headless browser before it is handed over, and the
comments of the rendered page are merged into it.

The re-request travels like a comment page: through the same downloader slot, delays and
robots.txt middleware as every request, not persisted in the frontier (the article's own
entry settles when the article is handed over, so a crawl stopped in between fetches the
article again). A failed or empty rendering leaves the article as the HTML gave it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy
from scrapy.http import HtmlResponse, Response
from twisted.python.failure import Failure

from ..extract import extract_thread
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

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings

    from ..extract.profiles import Profile
    from ..items import Article

# How long the browser waits for the page to load and go quiet (milliseconds), where the
# settings do not say (scraper/settings.py: ARCHIVE_RENDER_TIMEOUT).
DEFAULT_TIMEOUT_MS = 15000


class RenderRoutes:
    """A mixin of :class:`scraper.spiders.articles.ArticlesSpider`: see the module
    docstring. Built outside a crawl (the routing tests, reparse), rendering is off."""

    render_mode: str = "off"
    render_timeout_ms: int = DEFAULT_TIMEOUT_MS

    if TYPE_CHECKING:

        def profile_for(self, url: str) -> Profile | None: ...
        def _finish_article(self, article: Article, origin: dict[str, Any]) -> Iterator[Any]: ...
        def _skip(self, reason: str, url: str) -> None: ...

        crawler: Any
        logger: Any

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        """Route browser requests through scrapy-playwright only when rendering is on: a
        crawl without it loads neither Playwright nor its driver."""
        super().update_settings(settings)  # type: ignore[misc]
        try:
            mode = render_mode(settings.get("ARCHIVE_RENDER"))
            extra = browser_settings(
                mode,
                settings.get("ARCHIVE_RENDER_BROWSER") or "/usr/bin/chromium",
                settings.getint("ARCHIVE_RENDER_TIMEOUT", DEFAULT_TIMEOUT_MS),
            )
        except RenderSettingError:
            return  # reported in one line by from_crawler (_open_render)
        for name, value in extra.items():
            settings.set(name, value, priority="spider")

    def _open_render(self, settings: BaseSettings) -> None:
        """Raises :class:`RenderSettingError` for a bad ARCHIVE_RENDER."""
        mode = render_mode(settings.get("ARCHIVE_RENDER"))
        browser_settings(mode, "", 0)  # scrapy-playwright is installed when needed
        self.render_mode = mode
        self.render_timeout_ms = settings.getint("ARCHIVE_RENDER_TIMEOUT", DEFAULT_TIMEOUT_MS)

    def _render_request(self, article: Article, origin: dict[str, Any]) -> scrapy.Request | None:
        """The browser request for ``article``'s page, if the article needs one."""
        widget = should_render(self.render_mode, article)
        if widget is None:
            return None
        meta = render_meta(article, widget, self.render_timeout_ms)
        meta["render_origin"] = origin
        return scrapy.Request(
            article.url,
            callback=self.parse_rendered_page,
            errback=self.on_render_error,
            meta=meta,
            dont_filter=True,  # the page was fetched once already, by Scrapy's handler
            priority=10,
        )

    def parse_rendered_page(self, response: Response) -> Iterator[Any]:
        article, widget = response.meta[RENDER_META]
        origin = response.meta["render_origin"]
        if getattr(self, "crawler", None) is not None:
            self.crawler.stats.inc_value("newsarchive/rendered")
        if isinstance(response, HtmlResponse):
            thread = extract_thread(
                response_tree(response), article.url, self.profile_for(article.url)
            )
            if thread.comments:
                source = f"{RENDERED}{widget}"
                article.comments = thread.comments
                article.comments_source = source
                article.sources["comments"] = source
                if thread.comment_count is not None:
                    article.comment_count = thread.comment_count
                    article.sources["comment_count"] = source
        yield from self._finish_article(article, origin)

    def on_render_error(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        # Not a crawl error: the article itself was fetched and is archived as its HTML is.
        self.logger.warning("rendering %s failed: %s", request.url, failure.getErrorMessage())
        self._skip("rendering failed", request.url)
        article, _ = request.meta[RENDER_META]
        yield from self._finish_article(article, request.meta["render_origin"])
