"""What a detected theme profile tells generic extraction (its ``[generic]`` table).

A built-in theme profile (``detect = "<selector>"``) that matches a page does not replace
generic extraction: it adds the theme's own markup to the places where generic
extraction looks for WordPress core markup, at the same precedence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml.html import HtmlElement

if TYPE_CHECKING:
    from .profiles import Selector


@dataclass(frozen=True)
class Hints:
    body: tuple[Selector, ...] = ()  # the article's text container
    noise: tuple[Selector, ...] = ()  # left out of the body (ads, share, tag boxes)
    headline: tuple[Selector, ...] = ()  # the post's title h1
    published_at: tuple[Selector, ...] = ()  # the publication date
    categories: tuple[Selector, ...] = ()  # category links
    tags: tuple[Selector, ...] = ()  # tag links

    def __or__(self, other: Hints) -> Hints:
        return Hints(**{f: getattr(self, f) + getattr(other, f) for f in HINT_KEYS})


HINT_KEYS = ("body", "noise", "headline", "published_at", "categories", "tags")
NO_HINTS = Hints()


def elements(selectors: tuple[Selector, ...], root: HtmlElement) -> list[HtmlElement]:
    """The elements the selectors match, selector by selector, each in document order."""
    return [m for s in selectors for m in s.select(root) if isinstance(m, HtmlElement)]


def strings(selectors: tuple[Selector, ...], root: HtmlElement, attr: str) -> list[str]:
    """The strings the selectors select; of an element, its ``attr`` (never its text)."""
    out: list[str] = []
    for s in selectors:
        for m in s.select(root):
            value: Any = m.get(attr) if isinstance(m, HtmlElement) else m
            if isinstance(value, str):
                out.append(str(value))
    return out
