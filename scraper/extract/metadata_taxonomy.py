"""The article's section, categories and tags."""

from __future__ import annotations

from lxml.html import HtmlElement

from .dom import element_text, inline_text
from .hints import elements
from .metadata import Found, Query, inside
from .pageindex import PageIndex, page_index, xml_tokens
from .structured import Structured, jsonld_text


def _class_under(outer: str, inner: str) -> Query:
    """``//*[contains(@class,outer)]//*[contains(@class,inner)]``."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        tops = set(ix.containing("class", outer))
        if not tops:
            return []
        return [
            el
            for el in ix.containing("class", inner)
            if any(anc in tops for anc in el.iterancestors())
        ]

    return query


def _links_under(part: str, tag: str | None = None) -> Query:
    """``//*[contains(@class,part)]//a`` (``//tag[…]//a`` with a ``tag``)."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        tops = ix.containing("class", part)
        if tag is not None:
            tops = [el for el in tops if el.tag == tag]
        return ix.under(tops, "a")

    return query


def _article_rel_links(ix: PageIndex, part: str) -> list[HtmlElement]:
    """``//article//a[contains(@rel,part)]``."""
    return [a for a in ix.containing("rel", part) if a.tag == "a" and inside(a, "article")]


def _rel_category(ix: PageIndex) -> list[HtmlElement]:
    """``//article//a[contains(@rel,'category')][token category in @rel]``."""
    return [a for a in _article_rel_links(ix, "category") if "category" in xml_tokens(a.get("rel"))]


def _rel_tag(ix: PageIndex) -> list[HtmlElement]:
    """``//article//a[contains(@rel,'tag')][token tag in @rel and not token category
    and not(ancestor::*[contains(@class,'taxonomy-category')])]``."""
    found = []
    for a in _article_rel_links(ix, "tag"):
        rels = xml_tokens(a.get("rel"))
        if "tag" not in rels or "category" in rels:
            continue
        if any("taxonomy-category" in (anc.get("class") or "") for anc in a.iterancestors()):
            continue
        found.append(a)
    return found


_CMS_CATEGORIES: list[Query] = [
    _links_under("taxonomy-category"),
    _links_under("cat-links"),
    _rel_category,
    # … then the page's theme profile's ``generic.categories``
    lambda ix: elements(ix.hints.categories, ix.root),
]
_CMS_TAGS: list[Query] = [
    _links_under("taxonomy-post_tag"),
    _links_under("tags-links"),
    lambda ix: elements(ix.hints.tags, ix.root),  # the theme profile's ``generic.tags``
    _rel_tag,
]


def _texts(elements: list[HtmlElement]) -> list[str]:
    out: list[str] = []
    for el in elements:
        text = element_text(el, keep_br=False)
        if text and text not in out and len(text) <= 100:
            out.append(text)
    return out


def categories(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    ix = page_index(tree, index)
    for query in _CMS_CATEGORIES:
        values = _texts(query(ix))
        if values:
            return values, "cms"
    return [], None


def section(tree: HtmlElement, st: Structured, cats: list[str]) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("articleSection"))
        if value:
            return value, "jsonld"
    value = st.meta_first("article:section")
    if value:
        return value, "opengraph"
    if cats:
        return cats[0], "cms"
    return None, None


def tags(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    ix = page_index(tree, index)
    for query in _CMS_TAGS:
        values = _texts(query(ix))
        if values:
            return values, "cms"
    values = st.meta_all("article:tag")
    if values:
        return values, "opengraph"
    if st.article is not None:
        kw = st.article.get("keywords")
        if isinstance(kw, str):
            values = [k.strip() for k in kw.split(",") if k.strip()]
        elif isinstance(kw, list):
            values = [inline_text(k) for k in kw if isinstance(k, str) and k.strip()]
        else:
            values = []
        if values:
            return values, "jsonld"
    value = st.meta_first("news_keywords", "keywords")
    if value:
        return [k.strip() for k in value.split(",") if k.strip()], "meta"
    return [], None
