"""Structured data a page declares about itself: JSON-LD, microdata, OpenGraph and <meta>.

Read once per page into a :class:`Structured` value that the field helpers consult first.
JSON-LD is parsed with the standard library (a page rarely holds more than a few KB of it);
microdata is read only for the handful of article properties we use.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from lxml.html import HtmlElement

from .dom import inline_text
from .pageindex import PageIndex, page_index

ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "reviewnewsarticle",
        "backgroundnewsarticle",
        "socialmediaposting",
        "liveblogposting",
        "techarticle",
        "scholarlyarticle",
        "report",
        "posting",
        "webpage",
        "medicalwebpage",
        "creativework",
    }
)
# Preference among article-like types: a NewsArticle beats the WebPage that wraps it.
_TYPE_RANK = {"webpage": 1, "medicalwebpage": 1, "creativework": 1}

# XPath's translate(): ASCII letters only, unlike str.lower()
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass
class Structured:
    jsonld_nodes: list[dict[str, Any]] = field(default_factory=list)
    article: dict[str, Any] | None = None  # the page's main article node in JSON-LD
    meta: dict[str, list[str]] = field(default_factory=dict)  # name/property (lower) → contents
    microdata: HtmlElement | None = None  # the page's Article itemscope element
    url: str = ""  # the page's address (its path may state the publication day)

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, []):
                value = inline_text(value)
                if value:
                    return value
        return None

    def meta_all(self, key: str) -> list[str]:
        return [v for v in (inline_text(x) for x in self.meta.get(key, [])) if v]


def _types(node: dict[str, Any]) -> list[str]:
    t = node.get("@type")
    if isinstance(t, str):
        return [t.lower().rsplit("/", 1)[-1]]
    if isinstance(t, list):
        return [x.lower().rsplit("/", 1)[-1] for x in t if isinstance(x, str)]
    return []


def _flatten(data: Any, out: list[dict[str, Any]]) -> None:
    if isinstance(data, list):
        for item in data:
            _flatten(item, out)
    elif isinstance(data, dict):
        out.append(data)
        graph = data.get("@graph")
        if graph is not None:
            _flatten(graph, out)
        main = data.get("mainEntity")
        if isinstance(main, dict) and main.get("@type"):
            _flatten(main, out)


def _load_jsonld(text: str) -> Any:
    text = text.strip()
    if "<![CDATA[" in text or "]]>" in text:  # the only text _CDATA can remove
        text = _CDATA.sub("", text)
    try:
        return json.loads(text)
    except ValueError:
        # Pages often put raw newlines or tabs inside strings; be lenient once.
        try:
            return json.loads(text, strict=False)
        except ValueError:
            return None


def read_structured(tree: HtmlElement, url: str, index: PageIndex | None = None) -> Structured:
    ix = page_index(tree, index)
    st = Structured(url=url)
    for script in ix.tagged("script"):
        if (script.get("type") or "").translate(_ASCII_LOWER) != "application/ld+json":
            continue
        data = _load_jsonld(script.text or "")
        if data is not None:
            _flatten(data, st.jsonld_nodes)
    best: tuple[int, int] | None = None
    for i, node in enumerate(st.jsonld_nodes):
        types = [t for t in _types(node) if t in ARTICLE_TYPES]
        if not types:
            continue
        rank = max(_TYPE_RANK.get(t, 2) for t in types)
        # Prefer the richer node among equals (one that has a headline or a body).
        rank = rank * 2 + (1 if node.get("headline") or node.get("articleBody") else 0)
        if best is None or rank > best[0]:
            best = (rank, i)
    if best is not None:
        st.article = st.jsonld_nodes[best[1]]
    for meta in ix.tagged("meta"):
        if meta.get("content") is None:
            continue
        key = meta.get("property") or meta.get("name") or meta.get("itemprop")
        if not key:
            continue
        # RDFa ``property`` may name several properties: "og:title twitter:title"
        for name in key.lower().split() or [key]:
            st.meta.setdefault(name, []).append(meta.get("content") or "")
    # //*[@itemscope and (contains(@itemtype,'Article') or contains(@itemtype,'BlogPosting'))]
    for el in ix.having("itemscope"):
        itemtype = el.get("itemtype") or ""
        if "Article" in itemtype or "BlogPosting" in itemtype:
            st.microdata = el
            break
    return st


def resolve_ref(st: Structured, value: Any) -> Any:
    """A JSON-LD ``{"@id": …}`` reference replaced by the node it names, when present."""
    if isinstance(value, dict) and set(value) <= {"@id"} and value.get("@id"):
        for node in st.jsonld_nodes:
            if node.get("@id") == value["@id"] and len(node) > 1:
                return node
    return value


def jsonld_names(st: Structured, value: Any) -> list[str]:
    """Names out of a JSON-LD person/organisation value (string, object, list, reference)."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        item = resolve_ref(st, item)
        if isinstance(item, str):
            name = inline_text(item)
        elif isinstance(item, dict):
            raw = item.get("name")
            if isinstance(raw, list):
                raw = raw[0] if raw else None
            name = inline_text(raw) if isinstance(raw, str) else ""
        else:
            name = ""
        if name and name not in out:
            out.append(name)
    return out


def jsonld_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value")
    if isinstance(value, (str, int, float)):
        text = inline_text(str(value))
        return text or None
    return None


def microdata_prop(st: Structured, prop: str) -> list[HtmlElement]:
    """Elements carrying ``itemprop=prop`` that belong to the article itemscope itself."""
    root = st.microdata
    if root is None:
        return []
    found: list[HtmlElement] = []
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            continue
        props = (el.get("itemprop") or "").split()
        if prop not in props:
            continue
        # Skip properties of nested items (a comment's author is not the article's).
        owner = el.getparent()
        while owner is not None and owner is not root and owner.get("itemscope") is None:
            owner = owner.getparent()
        if owner is root:
            found.append(el)
    return found


def microdata_value(el: HtmlElement) -> str | None:
    for attr in ("content", "datetime"):
        if el.get(attr):
            return inline_text(el.get(attr))
    if el.tag in ("a", "link"):
        return el.get("href")
    if el.tag in ("img", "meta"):
        return el.get("src") or el.get("content")
    if el.get("itemscope") is not None:
        for child in el.iterdescendants():
            if isinstance(child.tag, str) and "name" in (child.get("itemprop") or "").split():
                return microdata_value(child)
    return inline_text(el.text_content()) or None
