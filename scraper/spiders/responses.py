"""The one parsed tree of a response, and its one page index, shared by every callback
step that reads them."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from lxml.html import HtmlElement
from scrapy.http import HtmlResponse

from ..extract.dom import mislabelled_utf8, parse_html
from ..extract.pageindex import PageIndex

_trees: WeakKeyDictionary[HtmlResponse, HtmlElement] = WeakKeyDictionary()
_indexes: WeakKeyDictionary[HtmlResponse, PageIndex] = WeakKeyDictionary()


def response_tree(response: HtmlResponse) -> HtmlElement:
    """The page parsed once, by our own parser, with Scrapy's decoding of the body.

    Not ``response.selector.root``: parsel's tree answers every element access through a
    Python class lookup, which on these pages costs more than parsing again without it
    (measured on the demo site: 5.0–5.7 ms a page to index and extract from parsel's tree,
    4.0–4.7 ms from ours). Scrapy builds its selector lazily, so the page is still parsed
    only once. A UTF-8 page that the server labels Latin-1 is read as UTF-8.
    """
    tree = _trees.get(response)
    if tree is None:
        encoding = "utf-8" if mislabelled_utf8(response.body, response.encoding) else None
        tree = parse_html(response.text if encoding is None else response.body, encoding)
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
