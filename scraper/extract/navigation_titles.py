"""The title a neighbour link shows: an element in or beside it marked as a title, a
heading in it, or its text without the navigation label."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml.html import HtmlElement

from .navigation_labels import strip_label


def link_text(el: HtmlElement) -> str:
    parts: list[str] = []
    for node in el.iter():
        if node.tag in ("script", "style", "svg", "noscript"):
            continue
        if node is not el and node.tag in ("img",):
            continue
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        if node is not el and node.tail:
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def _title_of(a: HtmlElement) -> str | None:
    """The title a neighbour link shows: an element in it (or beside it) marked as a title,
    a heading in it, else the link's text without its label."""
    for el in _marked_titles(a):
        text = strip_label(link_text(el))
        if text:
            return text
    for el in a.iter("h1", "h2", "h3", "h4", "h5", "h6"):
        text = strip_label(link_text(el))
        if text:
            return text
    # the link's text without its label and screen-reader prefix
    parts: list[str] = [a.text or ""]

    def collect(node: HtmlElement) -> None:
        for child in node:
            if (
                isinstance(child.tag, str)
                and child.tag not in ("script", "style", "svg", "img")
                and not _is_label(child)
            ):
                parts.append(child.text or "")
                collect(child)
            parts.append(child.tail or "")

    collect(a)
    # a text node that is only a label ("Zurück", "Précédent<br>") goes, whatever follows
    kept = [p for p in parts if p.strip() and strip_label(" ".join(p.split()))]
    text = strip_label(" ".join(" ".join(kept).split()))
    if text:
        return text
    title = strip_label(" ".join((a.get("title") or "").split()))
    return title or None


# a label shown where a title would be: "Previous Auto News", "Read Next", "Older"
LABEL_TITLE = re.compile(
    r"^(?:(?:previous|prev|next|older|newer)(?:\s+\w+)?\s+"
    r"(?:news|post|posts|article|story|entry|item|page|reading)|previous|prev|next|older|newer|"
    r"read next|up next)$",
    re.I,
)


def title_for(a: HtmlElement) -> str | None:
    """The link's title; when the link shows only a label, the title of another link to
    the same address close by (a card's heading link)."""
    title = _title_of(a)
    if title and not LABEL_TITLE.match(title):
        return title
    href = a.get("href")
    node = a.getparent()
    for _ in range(3):
        if node is None or node.tag in ("body", "main", "article"):
            break
        for other in node.iter("a"):
            if other is not a and other.get("href") == href:
                found = _title_of(other)
                if found and not LABEL_TITLE.match(found):
                    return found
        node = node.getparent()
    return None


# class tokens of a label inside a link: "nav-label", "caption", "meta-nav", text for
# screen readers only ("screen-reader-text", "sr-only", "visually-hidden")
_LABEL_TOKEN = re.compile(
    r"(?:^|[-_])(?:label|caption|meta-nav)$|screen-reader|sr-only|visually-hidden|a11y"
)


def _is_label(node: HtmlElement) -> bool:
    if any(_LABEL_TOKEN.search(t) for t in (node.get("class") or "").lower().split()):
        return True
    text = " ".join((node.text_content() or "").split())
    return bool(text) and len(text) < 40 and strip_label(text) == ""


# class tokens of an element holding a link's title: "title", "post-title", "nav_title"
_TITLE_TOKEN = re.compile(r"(?:^|[-_])(?:title|headline)$")


def _marked_titles(a: HtmlElement) -> Iterator[HtmlElement]:
    """Elements in the link, then in its parent, whose class marks a title."""
    parent = a.getparent()
    alone = parent is not None and sum(1 for _ in parent.iter("a")) == 1
    for holder in (a, parent) if alone and parent is not None else (a,):
        for el in holder.iter():
            if el is holder or not isinstance(el.tag, str):
                continue
            if any(_TITLE_TOKEN.search(t) for t in (el.get("class") or "").lower().split()):
                yield el
