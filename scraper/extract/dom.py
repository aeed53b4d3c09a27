"""Parsing HTML into one lxml tree that every field helper reads, and small text helpers."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from .decode import decode_html

_WS = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


# lxml.html's parser asks a Python method for the class of every element proxy it makes
# (FormElement for <form>, InputElement for <input>, …), a cost paid for each element an
# extraction touches. Extraction uses none of those classes: the trees we parse make
# every element a plain HtmlElement in C. (A tree Scrapy parsed keeps its own classes;
# extraction reads both alike.)
#
# ``huge_tree``: libxml2 otherwise stops descending at 256 levels and drops what is deeper
# without a word (an article's text inside a page of unclosed wrappers); with it, up to
# 2,048 levels are kept. Text nodes over 10 MB are kept too.
_PARSER = lxml.html.HTMLParser(huge_tree=True)
_PARSER.set_element_class_lookup(
    etree.ElementDefaultClassLookup(
        element=HtmlElement,
        comment=lxml.html.HtmlComment,
        pi=lxml.html.HtmlProcessingInstruction,
        entity=lxml.html.HtmlEntity,
    )
)


# Extraction walks trees recursively (a frame or two a level); Python stops at 1,000
# frames. Deeper than MAX_DEPTH levels (from ``<html>``), a page's elements are
# flattened into their ancestor at that depth: their text stays, in order, their tags
# go (scripts, styles and templates with their text). No real page comes near it; a
# broken one (unclosed wrappers repeated) keeps its words.
MAX_DEPTH = 320
_AT_MAX_DEPTH = etree.XPath("*/" * (MAX_DEPTH - 2) + "*")
_BELOW_MAX_DEPTH = etree.XPath("*/" * (MAX_DEPTH - 1) + "*")
_NO_TEXT_TAGS = ("script", "style", "template")


def _flatten_deep(root: HtmlElement, *, own: bool) -> HtmlElement:
    """``root`` with everything below ``MAX_DEPTH`` flattened; a tree that is not our
    ``own`` (a caller's, which is only read) is copied first."""
    if not _BELOW_MAX_DEPTH(root):  # one C-level walk that ends at the page's real depth
        return root
    if not own:
        root = copy.deepcopy(root)
    for el in _AT_MAX_DEPTH(root):
        for junk in list(el.iterdescendants(*_NO_TEXT_TAGS)):
            if junk.getparent() is not None:
                drop_tree(junk)
        etree.strip_tags(el, etree.Comment, etree.ProcessingInstruction, "*")
    return root


def parse_html(html: str | bytes | HtmlElement, encoding: str | None = None) -> HtmlElement:
    """One parsed tree for a page; an already parsed tree is returned as it is (or, when
    it is deeper than ``MAX_DEPTH``, a flattened copy).

    Bytes are decoded by :func:`decode_html`, ``encoding`` being the HTTP header's
    charset. Never raises on malformed input: an empty or unparsable document gives an empty
    ``<html>`` element.
    """
    if isinstance(html, HtmlElement):
        return _flatten_deep(html, own=False)
    if isinstance(html, bytes):
        html = decode_html(html, encoding)[0]
    text = _XML_DECL.sub("", html)
    if not text or text.isspace():
        return lxml.html.fromstring("<html></html>")
    try:
        root = lxml.html.document_fromstring(text, parser=_PARSER)
    except (etree.ParserError, ValueError):
        return lxml.html.fromstring("<html></html>")
    return _flatten_deep(root, own=True)


def clean_text(text: str | None) -> str:
    """Collapse runs of spaces (not newlines) and strip each line."""
    if not text:
        return ""
    lines = [_WS.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines).strip()


def inline_text(text: str | None) -> str:
    """All whitespace, newlines included, collapsed to single spaces."""
    if not text:
        return ""
    return collapse(text)


def collapse(text: str) -> str:
    """Runs of whitespace (newlines and zero-width spaces too) as single spaces, stripped:
    what ``" ".join(_WS.sub(" ", text).split())`` gives, without the regex (every
    character of ``_WS`` but U+200B is whitespace to ``str.split``)."""
    return " ".join(text.replace("\u200b", " ").split())


_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "button", "select"}


def element_text(el: HtmlElement, *, keep_br: bool = True) -> str:
    """What a reader sees of an element: text of descendants, scripts and styles skipped,
    ``<br>`` as a newline, runs of whitespace collapsed."""
    parts: list[str] = []
    pre = 0  # inside <pre>: the source's line breaks are the text's

    def seen(value: str) -> str:
        # A line break in the source is white space to a reader; only <br> breaks a line.
        return value if pre else value.replace("\n", " ")

    def walk(node: HtmlElement) -> None:
        nonlocal pre
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _SKIP_TAGS:
            if node.tail:
                parts.append(seen(node.tail))
            return
        pre += tag == "pre"
        if tag == "br":
            parts.append("\n" if keep_br else " ")
        elif node.text and isinstance(node.tag, str):
            parts.append(seen(node.text))
        for child in node:
            walk(child)
        pre -= tag == "pre"
        if node is not el and node.tail:
            parts.append(seen(node.tail))

    walk(el)
    text = "".join(parts)
    lines = [collapse(line) for line in text.split("\n")]
    return "\n".join(lines).strip()


def has_class(el: HtmlElement, *names: str) -> bool:
    classes = (el.get("class") or "").split()
    return any(n in classes for n in names)


_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_safe(text: str | None) -> str:
    """Text lxml accepts as a node's text: control characters and NULs removed."""
    return _NOT_XML.sub("", text) if text else ""


# An attribute name lxml's attribute API can address. A page may hold others (template
# leftovers such as ``{{ x }}``, control characters), which the parser keeps and
# serialises but ``strip_attributes``, ``del attrib[...]`` and ``set`` refuse.
_PLAIN_ATTR = re.compile(r"^[A-Za-z_][-A-Za-z0-9_.:]*$")


def keep_attributes(
    root: HtmlElement, keep: frozenset[str], names: Iterable[str] | None = None
) -> None:
    """Remove from ``root`` and its descendants every attribute whose name is not in
    ``keep``. ``names``: every attribute name the tree may use (for the page's whole
    tree, its index has them), so that the plain ones go in one C-level pass; only an
    element with a name lxml cannot address is rebuilt, alone."""
    if names is None:
        names = {name for el in root.iter(etree.Element) for name in el.attrib}
    doomed = [name for name in names if name not in keep]
    plain = [name for name in doomed if _PLAIN_ATTR.match(name)]
    if plain:
        etree.strip_attributes(root, *plain)
    if len(plain) < len(doomed):
        for el in root.iter(etree.Element):
            if not all(_PLAIN_ATTR.match(name) for name in el.attrib):
                _rebuild_attributes(el, keep)


def _rebuild_attributes(el: HtmlElement, keep: frozenset[str]) -> None:
    """``el`` with only its attributes in ``keep``, their values made XML-safe (the
    parser lets control characters through; ``set`` refuses them). An attribute that
    still cannot be set is dropped: it costs that attribute, not the page."""
    kept = [(name, value) for name, value in el.items() if name in keep]
    el.attrib.clear()
    for name, value in kept:
        try:
            el.set(name, xml_safe(value))
        except ValueError:
            continue


def drop_tree(el: HtmlElement) -> None:
    """Remove ``el`` and its children, keeping its tail text in place, like lxml's
    ``drop_tree`` but never raising on control characters the parser let through."""
    parent = el.getparent()
    if parent is None:
        return
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is None:
            parent.text = xml_safe(parent.text) + xml_safe(tail)
        else:
            prev.tail = xml_safe(prev.tail) + xml_safe(tail)
    parent.remove(el)
