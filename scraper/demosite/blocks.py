"""The blocks a demo article's body is made of (paragraphs, subheadings, quotes, lists,
figures) and the inline parts of their text (plain text, links, emphasis)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str  # a site path ("/…/") or an absolute off-site URL


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    tag: str  # "strong" or "em"


Inline = str | Link | Span


@dataclass(frozen=True, slots=True)
class Paragraph:
    parts: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    text: str


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    lang: str | None = None  # None: English


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Figure:
    src: str  # site path of the image
    alt: str
    caption: str
    width: int = 696
    height: int = 464


Block = Paragraph | Heading | Quote | BulletList | Figure


def inline_text(parts: tuple[Inline, ...]) -> str:
    return "".join(p if isinstance(p, str) else p.text for p in parts)
