"""An element's text as blocks: a paragraph, heading, list item, quote paragraph or line of a
``<pre>`` is one block, in document order."""

from __future__ import annotations

from lxml.html import HtmlElement

from .dom import collapse

# Elements that never hold article text.
DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "nav",
        "aside",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "dialog",
        "label",
        "menu",
    }
)
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "body",
        "html",
    }
)
_SKIP_TEXT = frozenset({"figcaption"})


def text_blocks(root: HtmlElement) -> list[str]:
    """Block-level pieces of text in document order: a paragraph, heading, list item,
    quote paragraph or line of a pre is one block; ``<br>`` stays a newline inside it."""
    blocks: list[str] = []
    buf: list[str] = []
    pre = 0  # inside <pre>: the source's line breaks are the text's

    def text(value: str) -> str:
        # A line break in the source is white space to a reader; only <br> breaks a line.
        return value if pre else value.replace("\n", " ")

    def flush() -> None:
        if not buf:
            return
        lines = [collapse(line) for line in "".join(buf).split("\n")]
        buf.clear()
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)

    def walk(node: HtmlElement) -> None:
        nonlocal pre
        tag = node.tag
        if not isinstance(tag, str) or tag in DROP_TAGS:
            return
        if tag in _SKIP_TEXT:
            return
        block = tag in BLOCK_TAGS
        if block:
            flush()
        pre += tag == "pre"
        if tag == "br":
            buf.append("\n")
        elif node.text:
            buf.append(text(node.text))
        for child in node:
            walk(child)
            if child.tail:
                buf.append(text(child.tail))
        pre -= tag == "pre"
        if block:
            flush()

    walk(root)
    flush()
    return blocks
