"""One pass over a parsed page that every field helper shares.

A whole-document XPath such as ``//*[contains(@class, 'cat-links')]`` costs libxml2 about
as much as one Python pass over every element of the page, and extraction used to run
some sixty of them. :class:`PageIndex` makes that pass once: the page's elements in
document order and their attributes by name, so "elements whose class contains X" is a
walk over the page's few hundred distinct class values. Holding every element also keeps
lxml's Python proxies alive while the page is extracted, so later walks do not pay
``lxml.html``'s per-element class lookup again.

Every query answers exactly what the XPath it replaces would: elements in document order,
each once; ``contains`` is a case-sensitive substring test; a token test splits on XML
whitespace like ``normalize-space``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from .hints import NO_HINTS, Hints

__all__ = ["PageIndex", "page_index", "xml_tokens"]

_XML_WS = re.compile(r"[ \t\n\r]+")


def xml_tokens(value: str | None) -> list[str]:
    """``value`` split as ``normalize-space`` sees it (XML whitespace only)."""
    if not value:
        return []
    return [t for t in _XML_WS.split(value) if t]


class PageIndex:
    """The elements of one page in document order, indexed by attribute name and value.

    Built from any element of the page (queries cover the whole document, like ``//``);
    read-only: a tree changed after indexing needs a new index.
    """

    __slots__ = ("_cache", "_values", "attrs", "elements", "hints", "position", "root")

    def __init__(self, tree: HtmlElement) -> None:
        self.root: HtmlElement = tree.getroottree().getroot()
        self.elements: list[HtmlElement] = list(self.root.iter(etree.Element))
        self.position: dict[HtmlElement, int] = dict(
            zip(self.elements, range(len(self.elements)), strict=True)
        )
        attrs: dict[str, list[tuple[HtmlElement, str]]] = {}
        for el in self.elements:
            for name, value in el.items():
                found = attrs.get(name)
                if found is None:
                    attrs[name] = [(el, value)]
                else:
                    found.append((el, value))
        self.attrs = attrs
        self._values: dict[str, dict[str, list[HtmlElement]]] = {}
        self._cache: dict[Any, Any] = {}
        # what the page's detected theme adds to generic extraction (set by
        # ``extract_article_page`` before any field is read)
        self.hints: Hints = NO_HINTS

    # ------------------------------------------------------------------ building blocks

    def in_order(self, elements: Iterable[HtmlElement]) -> list[HtmlElement]:
        """``elements`` once each, in document order."""
        pos = self.position
        return sorted(set(elements), key=pos.__getitem__)

    def values(self, name: str) -> dict[str, list[HtmlElement]]:
        """Attribute ``name``'s distinct values, each with its elements in document order."""
        found = self._values.get(name)
        if found is None:
            found = {}
            for el, value in self.attrs.get(name, ()):
                els = found.get(value)
                if els is None:
                    found[value] = [el]
                else:
                    els.append(el)
            self._values[name] = found
        return found

    def _blob(self, name: str) -> str:
        """Attribute ``name``'s distinct values in one string, one a line: a substring no
        value holds is not in it either, which one C-level search tells."""
        key = ("blob", name)
        blob = self._cache.get(key)
        if blob is None:
            blob = "\n".join(self.values(name))
            self._cache[key] = blob
        return blob

    def _join(self, lists: list[list[HtmlElement]]) -> list[HtmlElement]:
        if not lists:
            return []
        if len(lists) == 1:
            return list(lists[0])
        return self.in_order(el for els in lists for el in els)

    # ------------------------------------------------------------------ queries

    def containing(self, name: str, part: str) -> list[HtmlElement]:
        """``//*[contains(@name, part)]``."""
        key = ("contains", name, part)
        found = self._cache.get(key)
        if found is None:
            if "\n" not in part and part not in self._blob(name):
                found = []
            else:
                found = self._join([els for v, els in self.values(name).items() if part in v])
            self._cache[key] = found
        return found

    def with_token(self, name: str, token: str) -> list[HtmlElement]:
        """``//*[contains(concat(' ', normalize-space(@name), ' '), ' token ')]``."""
        key = ("token", name, token)
        found = self._cache.get(key)
        if found is None:
            if "\n" not in token and token not in self._blob(name):
                found = []
            else:
                found = self._join(
                    [
                        els
                        for v, els in self.values(name).items()
                        if token in v and token in xml_tokens(v)
                    ]
                )
            self._cache[key] = found
        return found

    def equal(self, name: str, value: str) -> list[HtmlElement]:
        """``//*[@name = value]``."""
        return list(self.values(name).get(value, ()))

    def having(self, name: str) -> list[HtmlElement]:
        """``//*[@name]``."""
        return [el for el, _ in self.attrs.get(name, ())]

    def _by_tag(self) -> dict[str, list[HtmlElement]]:
        found = self._cache.get("by_tag")
        if found is None:
            found = {}
            for el in self.elements:
                tag = el.tag
                els = found.get(tag)
                if els is None:
                    found[tag] = [el]
                else:
                    els.append(el)
            self._cache["by_tag"] = found
        return found

    def tags(self) -> Iterable[str]:
        """The page's distinct element names."""
        return self._by_tag().keys()

    def cached(self, key: str) -> Any:
        """A value a helper stored for this page (``None`` if none)."""
        return self._cache.get(key)

    def store(self, key: str, value: Any) -> None:
        self._cache[key] = value

    def tagged(self, tag: str) -> list[HtmlElement]:
        """``//tag``."""
        return self._by_tag().get(tag, [])

    def under(self, tops: list[HtmlElement], tag: str | None = None) -> list[HtmlElement]:
        """``tops//tag`` (``tops//*`` without a tag): descendants of any of ``tops``."""
        if not tops:
            return []
        want = tag or etree.Element
        if len(tops) == 1:
            return list(tops[0].iterdescendants(want))
        return self.in_order(el for top in tops for el in top.iterdescendants(want))


def page_index(tree: HtmlElement, index: PageIndex | None = None) -> PageIndex:
    """``index`` when the caller has one for this page, else a new one."""
    return index if index is not None else PageIndex(tree)


def has_ancestor(el: HtmlElement, among: set[HtmlElement] | frozenset[HtmlElement]) -> bool:
    """Whether an ancestor of ``el`` is in ``among``."""
    return any(anc in among for anc in el.iterancestors())
