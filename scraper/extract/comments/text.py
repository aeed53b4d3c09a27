"""What a reader sees of a comment element: its text by blocks, reply links, forms and
media skipped."""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml.html import HtmlElement

_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "iframe", "button", "select",
        "input", "textarea", "form", "img", "picture", "video", "audio", "object",
    }
)  # fmt: skip
_SKIP_CLASSES = frozenset(
    {
        "reply", "comment-reply-link", "comment-reply", "comment-edit-link", "edit-link",
        "comment-awaiting-moderation", "says", "screen-reader-text", "sr-only",
        "wp-block-comment-reply-link", "wp-block-comment-edit-link", "comment-reply-title",
        "comment-actions", "comment-footer-actions",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "table", "tr", "figure", "figcaption", "section", "article", "header",
        "footer", "dl", "dt", "dd", "hr", "address", "aside", "details", "summary",
    }
)  # fmt: skip
BOILERPLATE = re.compile(
    r"^(?:reply|antworten|répondre|responder|rispondi|ответить|답글|답글달기|report|"
    r"your comment is awaiting moderation\.?|ihr kommentar muss noch freigegeben werden\.?|"
    r"(?:loading|lade|chargement|cargando|загрузка)\b.{0,30}\.{0,3}…?)$",
    re.I,
)


def class_tokens(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").lower().split()


def _skip(el: HtmlElement) -> bool:
    if el.tag in _SKIP_TAGS:
        return True
    cls = el.get("class")
    return bool(cls) and any(c in _SKIP_CLASSES for c in cls.lower().split())


def render_text(el: HtmlElement, prune: Callable[[HtmlElement], bool] | None = None) -> str:
    """What a reader sees: block elements separated by a blank line, ``<br>`` a newline,
    whitespace collapsed; reply/edit links, forms and media skipped."""
    blocks: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if cur:
            lines = [" ".join(line.split()) for line in "".join(cur).split("\n")]
            text = "\n".join(line for line in lines if line).strip()
            if text and not BOILERPLATE.match(text):
                blocks.append(text)
            cur.clear()

    def walk(node: HtmlElement, top: bool) -> None:
        tag = node.tag
        if not isinstance(tag, str):
            if node.tail:
                cur.append(node.tail)
            return
        if not top and (_skip(node) or (prune is not None and prune(node))):
            if node.tail:
                cur.append(node.tail)
            return
        block = not top and tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            cur.append("\n")
        if node.text:
            cur.append(node.text)
        for child in node:
            walk(child, False)
        if block:
            flush()
        if not top and node.tail:
            cur.append(node.tail)

    walk(el, True)
    flush()
    return "\n\n".join(blocks)


def inline_text(el: HtmlElement) -> str:
    return " ".join(render_text(el).split())
