"""The rendering fallback: which article pages to load again in a headless browser, and the
request that does it.

A page whose comments a script widget loads, and no adapter reads (docs/comments.md), has
an empty thread in its HTML. With ``-s ARCHIVE_RENDER=auto`` the spider fetches such a page
once more through scrapy-playwright (Debian's chromium, ``ARCHIVE_RENDER_BROWSER``), waits
for the widget to fill the DOM, and reads the thread from the rendered page with the
generic comment extractor. The decision is a pure function of the extracted article.

``ARCHIVE_RENDER``:

- ``off`` (the default): never; no browser is started and the download handlers are
  Scrapy's own.
- ``auto``: pages with a detected comment widget (``comments_source`` names one, or
  ``script``: an empty comment container a script fills) that no adapter read.
- ``always``: every article page whose HTML (or adapter) gave no comments.
"""

from __future__ import annotations

import importlib.util
from typing import Any

from .extract.comments import WIDGET_NAMES
from .items import Article

RENDER_MODES = ("off", "auto", "always")
# Widgets whose own API an adapter reads (scraper/extract/widgets/): a page naming one is
# never rendered in auto mode, even when its thread is empty (the adapter's answer stands).
ADAPTED_WIDGETS: frozenset[str] = frozenset()
# The prefix of ``comments_source`` for a thread read from the rendered DOM.
RENDERED = "rendered:"
# Request meta: the article waiting for its rendered page.
RENDER_META = "render_article"
# What the browser waits for before the DOM is read: the first comment item, or a
# permalink to one, anywhere in the page (milliseconds at most, then the page as it is).
WAIT_SELECTOR = (
    "[id^='comment-'], [id^='comment_'], [itemtype$='/Comment'], .comment, a[href*='#comment']"
)


class RenderSettingError(ValueError):
    """ARCHIVE_RENDER holds no known mode."""


def render_mode(value: object) -> str:
    mode = str(value or "off").strip().lower()
    if mode not in RENDER_MODES:
        raise RenderSettingError(
            f"ARCHIVE_RENDER must be one of {', '.join(RENDER_MODES)}, got {value!r}"
        )
    return mode


def should_render(
    mode: str, article: Article, adapted: frozenset[str] = ADAPTED_WIDGETS
) -> str | None:
    """The widget to render ``article``'s page for (``comments_source`` as extracted, or
    ``page`` in always mode when no widget was named), or None: leave the article as it is.

    Never when the page already gave comments, or its thread is ``partial`` (an API or a
    comment page failed: rendering would not tell which comments are gone)."""
    if mode == "off" or article.comments:
        return None
    source = article.comments_source or "none"
    if source == "partial" or source.startswith(RENDERED):
        return None
    widget = source if source in WIDGET_NAMES and source not in adapted else None
    if mode == "auto":
        return widget
    return widget or (None if source in adapted else "page")


def browser_settings(mode: str, executable: str, timeout_ms: int) -> dict[str, Any]:
    """The Scrapy settings that route requests marked ``playwright`` through scrapy-playwright
    (every other request keeps Scrapy's own handler), empty when rendering is off."""
    if mode == "off":
        return {}
    if importlib.util.find_spec("scrapy_playwright") is None:
        raise RenderSettingError(
            f"ARCHIVE_RENDER={mode} needs scrapy-playwright: pip install 'newsarchive[render]'"
        )
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": executable,
            "headless": True,
            "args": ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        },
        "PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT": timeout_ms,
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 2,
        "PLAYWRIGHT_ABORT_REQUEST": skip_media,
    }


# What a thread never needs from the page: its pictures, sound and fonts.
SKIPPED_RESOURCES = frozenset({"image", "media", "font"})


def skip_media(request: Any) -> bool:
    """scrapy-playwright's PLAYWRIGHT_ABORT_REQUEST: the browser leaves images, media and
    fonts unfetched (a Playwright ``Request``'s ``resource_type``)."""
    return request.resource_type in SKIPPED_RESOURCES


def render_meta(article: Article, widget: str, timeout_ms: int) -> dict[str, Any]:
    """The meta of the re-request of ``article``'s page in the browser."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_page_methods": [
            PageMethod("wait_for_selector", WAIT_SELECTOR, state="attached", timeout=timeout_ms),
        ],
        RENDER_META: (article, widget),
    }
