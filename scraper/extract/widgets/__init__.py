"""Comment widgets read through their own APIs: one adapter per widget (see ``base``).

:func:`detect_widget` is the first adapter that finds its widget on the page;
:data:`ADAPTERS` maps each adapter's name (the article's ``comments_source``) to it.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ..pageindex import PageIndex, page_index
from . import commento, coral, disqus, hyvor, isso, remark42, waline
from .base import (
    Adapter,
    WidgetFormatError,
    WidgetPage,
    WidgetRef,
    WidgetRequest,
    html_text,
    merge_widget_pages,
)

__all__ = [
    "ADAPTERS",
    "Adapter",
    "WidgetFormatError",
    "WidgetPage",
    "WidgetRef",
    "WidgetRequest",
    "detect_widget",
    "html_text",
    "merge_widget_pages",
]

ADAPTERS: dict[str, Adapter] = {
    a.name: a
    for a in (
        isso.ADAPTER,
        remark42.ADAPTER,
        waline.ADAPTER,
        commento.ADAPTER,
        coral.ADAPTER,
        disqus.ADAPTER,
    )
}
ADAPTERS[hyvor.NAME] = hyvor.ADAPTER


def detect_widget(tree: HtmlElement, url: str, index: PageIndex | None = None) -> WidgetRef | None:
    """The widget whose API holds this page's comments, when an adapter reads it
    (``index``: the page's :class:`PageIndex`, when the caller has one)."""
    ix = page_index(tree, index)
    for adapter in ADAPTERS.values():
        ref = adapter.detect(ix, url)
        if ref is not None:
            return ref
    return None
