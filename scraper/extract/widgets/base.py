"""What every widget adapter shares: the reference a page gives, one API answer read,
the rendering of a comment's HTML to text, and the merge of a thread's answers.

An adapter is three pure functions (no network, no clock): ``detect(index, url)`` finds
the widget's API and this page's thread in the page (its :class:`PageIndex`), ``first_request(ref)`` is the URL of
the thread's first API page, and ``parse(body, ref, url)`` reads one API answer into
comments, the further API URLs the thread needs, and the count the widget states.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from ...items import Comment
from ..pageindex import PageIndex


class WidgetFormatError(ValueError):
    """An API answer that is not in the widget's format (not JSON, or not its shape)."""


@dataclass(frozen=True)
class WidgetRef:
    """A page's comment widget: which adapter reads it, the API's root URL, the widget's
    key for this page's thread and the settings the page gives the widget."""

    adapter: str
    api_base: str
    thread: str
    page_url: str
    options: tuple[tuple[str, str], ...] = ()

    def option(self, name: str) -> str | None:
        return dict(self.options).get(name)


@dataclass(frozen=True)
class WidgetRequest:
    """An API request that is not a plain GET: ``body`` is POSTed with ``content_type``.
    Adapters give a plain URL string for a GET."""

    url: str
    body: bytes | None = None
    content_type: str | None = None


@dataclass
class WidgetPage:
    """One API answer: its comments in the API's order, the API URLs still to read for
    this thread, and the thread's size as the widget states it (when this answer says)."""

    comments: list[Comment] = field(default_factory=list)
    next_requests: list[str | WidgetRequest] = field(default_factory=list)
    stated_count: int | None = None
    # the thread goes on past this answer where the adapter cannot follow: it is partial
    incomplete: bool = False


@dataclass(frozen=True)
class Adapter:
    name: str
    detect: Callable[[PageIndex, str], WidgetRef | None]
    first_request: Callable[[WidgetRef], str | WidgetRequest]
    parse: Callable[[bytes, WidgetRef, str], WidgetPage]
    # the crawl's settings on a detected ref (``setting(NAME)`` reads one), when the
    # adapter has settings of its own
    configure: Callable[[WidgetRef, Callable[[str], Any]], WidgetRef] | None = None


def timestamp_iso(value: float | int | str | None) -> str | None:
    """A Unix time (seconds) as an ISO 8601 UTC time to the second."""
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "table", "tr", "figure", "figcaption", "section", "article", "header",
        "footer", "dl", "dt", "dd", "hr", "address", "aside", "details", "summary",
    }
)  # fmt: skip
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "img"})


def html_text(html: str | None) -> str:
    """What a reader sees of a comment's HTML, as the HTML threads give it: block
    elements separated by a blank line, ``<br>`` a newline, other whitespace collapsed."""
    if not html or not html.strip():
        return ""
    try:
        root = fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return " ".join(html.split())
    blocks: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if cur:
            lines = [" ".join(line.split()) for line in "".join(cur).split("\n")]
            text = "\n".join(line for line in lines if line).strip()
            if text:
                blocks.append(text)
            cur.clear()

    def walk(node: HtmlElement) -> None:
        tag = node.tag if isinstance(node.tag, str) else None
        if tag is None or tag in _SKIP_TAGS:
            if node.tail:
                cur.append(node.tail)
            return
        block = node is not root and tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            cur.append("\n")
        if node.text:
            cur.append(node.text)
        for child in node:
            walk(child)
        if block:
            flush()
        if node is not root and node.tail:
            cur.append(node.tail)

    walk(root)
    flush()
    return "\n\n".join(blocks)


def merge_widget_pages(pages: list[WidgetPage]) -> list[Comment]:
    """The thread from its API answers, in reading order: each top-level comment followed
    by its replies (depth first, in the API's order). A comment read twice (the thread
    moved between two answers) is kept once; a reply whose parent was not read stays,
    after the others, with its parent's id."""
    by_id: dict[str, Comment] = {}
    for page in pages:
        for comment in page.comments:
            by_id.setdefault(comment.comment_id, comment)
    children: dict[str | None, list[Comment]] = {}
    for comment in by_id.values():
        parent = comment.parent_id if comment.parent_id in by_id else None
        if comment.parent_id is not None and parent is None:
            parent = "\0orphan"
        children.setdefault(parent, []).append(comment)
    out: list[Comment] = []
    placed: set[str] = set()

    def place(comment: Comment, depth: int) -> None:
        stack = [(comment, depth)]
        while stack:
            node, level = stack.pop()
            if node.comment_id in placed:
                continue
            placed.add(node.comment_id)
            out.append(replace(node, depth=level))
            kids = children.get(node.comment_id, [])
            stack.extend((kid, level + 1) for kid in reversed(kids))

    for top in children.get(None, []):
        place(top, 1)
    for orphan in children.get("\0orphan", []):
        place(orphan, orphan.depth)
    for comment in by_id.values():  # a loop of parents: none of it is under the top
        place(comment, comment.depth)
    return out
