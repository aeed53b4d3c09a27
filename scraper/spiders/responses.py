"""The one parsed tree of a response, and its one page index, shared by every callback
step that reads them."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from lxml.html import HtmlElement
from scrapy.http import HtmlResponse
from w3lib.encoding import http_content_type_encoding

from ..extract.dom import parse_html
from ..extract.pageindex import PageIndex

_trees: WeakKeyDictionary[HtmlResponse, HtmlElement] = WeakKeyDictionary()
_indexes: WeakKeyDictionary[HtmlResponse, PageIndex] = WeakKeyDictionary()


def response_tree(response: HtmlResponse) -> HtmlElement:
    """The page parsed once, by our own parser, from its bytes as the archive decodes
    them (:func:`scraper.extract.decode.decode_html`: BOM, the ``Content-Type`` charset,
    the ``<meta>`` charset, then UTF-8 and cp1252), not ``response.text``, which shows
    Latin-1 bytes under a UTF-8 label as U+FFFD.

    Not ``response.selector.root``: parsel's tree answers every element access through a
    Python class lookup, which on these pages costs more than parsing again without it
    (measured on the demo site: 5.0–5.7 ms a page to index and extract from parsel's tree,
    4.0–4.7 ms from ours). Scrapy builds its selector lazily, so the page is still parsed
    only once.
    """
    tree = _trees.get(response)
    if tree is None:
        content_type = response.headers.get(b"Content-Type")
        declared = (
            http_content_type_encoding(content_type.decode("latin-1")) if content_type else None
        )
        tree = parse_html(response.body, declared)
        _trees[response] = tree
    return tree


def response_index(response: HtmlResponse) -> PageIndex:
    """The page index of ``response_tree(response)``, built once: the page-kind verdict
    and the article's extraction read the same one pass over the tree."""
    index = _indexes.get(response)
    if index is None:
        index = PageIndex(response_tree(response))
        _indexes[response] = index
    return index
