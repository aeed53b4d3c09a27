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

import contextlib
import importlib.util
from typing import Any

from .extract.comments import WIDGET_NAMES
from .extract.widgets import ADAPTERS
from .items import Article

RENDER_MODES = ("off", "auto", "always")
# Widgets whose own API an adapter reads (scraper/extract/widgets/): a page naming one is
# never rendered, even when its thread is empty (the adapter's answer stands).
ADAPTED_WIDGETS: frozenset[str] = frozenset(ADAPTERS)
# The prefix of ``comments_source`` for a thread read from the rendered DOM.
RENDERED = "rendered:"
# Request meta: the article waiting for its rendered page.
RENDER_META = "render_article"
# How long the page must stay without network traffic before its DOM is read (Playwright's
# "networkidle": no request for 500 ms), bounded by ARCHIVE_RENDER_TIMEOUT.
IDLE_STATE = "networkidle"
# JavaScript: scroll to the end of the page a screen at a time (what a reader does before
# the comments; observers of each part in between see it), then back to the top.
_SCROLL_THROUGH = """async () => {
  const step = Math.max(window.innerHeight, 200);
  for (let y = 0; y < document.documentElement.scrollHeight && y < 200000; y += step) {
    window.scrollTo(0, y);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
  window.scrollTo(0, document.documentElement.scrollHeight);
}"""
# JavaScript: replace a frame's element (in its parent document) with the frame's body.
_INLINE_FRAME = """(el, html) => {
  const box = document.createElement("div");
  box.setAttribute("data-rendered-frame", el.getAttribute("src") || "");
  box.innerHTML = html;
  el.replaceWith(box);
}"""


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


async def settle(page: Any, timeout_ms: int) -> None:
    """A scrapy-playwright page method: scroll through the page, let its scripts finish,
    then put every frame's rendered body in place of its ``<iframe>``, so that the page's
    content (what the response holds) is the thread as a reader sees it, widgets that load
    once seen and widgets in frames included.

    Waits for the network to go quiet, at most ``timeout_ms``: a page that never does (a
    live ticker, polling ads) is read as it is then, never failed for it."""
    from playwright.async_api import Error as PlaywrightError

    with contextlib.suppress(PlaywrightError):
        # widgets that load once they are seen: bring the whole page past the viewport
        await page.evaluate(_SCROLL_THROUGH)
    with contextlib.suppress(PlaywrightError):  # never quiet: read the page as it is
        await page.wait_for_load_state(IDLE_STATE, timeout=timeout_ms)
    frames = [f for f in page.frames if f is not page.main_frame]
    frames.sort(key=_frame_depth, reverse=True)  # the innermost first, into its parent
    for frame in frames:
        try:
            if frame.is_detached():
                continue
            html = await frame.evaluate("() => document.body ? document.body.innerHTML : ''")
            element = await frame.frame_element()
            if html.strip():
                await element.evaluate(_INLINE_FRAME, html)
        except PlaywrightError:
            continue  # a frame gone or refusing: the page is read without it


def _frame_depth(frame: Any) -> int:
    depth = 0
    while frame.parent_frame is not None:
        frame = frame.parent_frame
        depth += 1
    return depth


def render_meta(article: Article, widget: str, timeout_ms: int) -> dict[str, Any]:
    """The meta of the re-request of ``article``'s page in the browser."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_page_methods": [PageMethod(settle, timeout_ms)],
        RENDER_META: (article, widget),
    }
