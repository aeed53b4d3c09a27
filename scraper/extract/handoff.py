"""Work on one page handed from ``find_page_neighbours`` to ``extract_article_page``.

The spider asks for a page's neighbours first, so the next request leaves before the
page's heavy work, then extracts the same tree. The page index and the generic neighbours
found by the first call are kept here and taken (once) by the second, instead of being
computed twice. Entries are keyed by the tree object itself (held, so its identity cannot
be reused) and the URL; the few most recent pages are kept, since Scrapy may interleave
several responses' callbacks. Extraction never changes a tree, so what is taken is what
the second call would compute.
"""

from __future__ import annotations

import threading
from dataclasses import replace

from lxml.html import HtmlElement

from .navigation import Neighbours
from .pageindex import PageIndex

__all__ = ["give", "take"]

_KEEP = 4
_pages: list[tuple[HtmlElement, str, PageIndex, Neighbours]] = []
_lock = threading.Lock()


def give(tree: HtmlElement, url: str, index: PageIndex, neighbours: Neighbours) -> None:
    """Keep this page's index and generic neighbours for the extraction that follows."""
    kept = (tree, url, index, replace(neighbours))
    with _lock:
        _pages[:] = [p for p in _pages if p[0] is not tree][-(_KEEP - 1) :]
        _pages.append(kept)


def take(tree: HtmlElement, url: str) -> tuple[PageIndex, Neighbours | None]:
    """What ``give`` kept for this tree and URL (removed), else a new index and no
    neighbours."""
    with _lock:
        for i, (kept, kept_url, index, neighbours) in enumerate(_pages):
            if kept is tree:
                del _pages[i]
                return index, neighbours if kept_url == url else None
    return PageIndex(tree), None
