"""Article metadata, one small function per field: headline, description, language,
canonical URL and lead image here; authors in ``metadata_authors``, dates in
``metadata_dates``, section, categories and tags in ``metadata_taxonomy``.

Each returns ``(value, source)``; ``source`` is ``None`` when nothing was found. Order per
field: structured data (JSON-LD, microdata, OpenGraph/meta) and CMS markup first, then
heuristics. Values are never invented: a field the page does not state stays empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from .dom import element_text, inline_text
from .hints import elements
from .pageindex import PageIndex, page_index, xml_tokens
from .structured import Structured, jsonld_text, microdata_prop, microdata_value
from .urls import absolute_url

Found = tuple[Any, str | None]

# an element query over the page index
Query = Callable[[PageIndex], list[HtmlElement]]


def inside(el: HtmlElement, tag: str) -> bool:
    return next(el.iterancestors(tag), None) is not None


# --- headline ---------------------------------------------------------------------------

# An h1 whose class or itemprop marks it as the post's title (the XPath
# ``//h1[contains(concat(' ',normalize-space(@class),' '),' entry-title ') or
# contains(@class,'post-title') or … or @itemprop='headline']``, over the page index).
_CMS_H1_CLASSES = (
    "wp-block-post-title",
    "post-title",
    "article-title",
    "article__title",
    "headline",
)


def _cms_h1(h: HtmlElement) -> bool:
    cls = h.get("class") or ""
    return (
        "entry-title" in xml_tokens(cls)
        or any(c in cls for c in _CMS_H1_CLASSES)
        or h.get("itemprop") == "headline"
    )


_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»:]|::)\s+")


def norm_text(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def headline(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    """The article's own h1; structured data when no h1 agrees; the <title> as a last resort."""
    ix = page_index(tree, index)
    h1_elements = ix.tagged("h1")
    theme = set(elements(ix.hints.headline, ix.root))
    cms = [
        t
        for t in (element_text(h, keep_br=False) for h in h1_elements if h in theme or _cms_h1(h))
        if t
    ]
    if cms:
        return cms[0], "cms"
    # Documentation generators end headings with a permalink mark ("Title¶").
    h1s = [t for t in (element_text(h, keep_br=False).rstrip("¶ ") for h in h1_elements) if t]
    declared: list[tuple[str, str]] = []
    if st.article is not None:
        value = jsonld_text(st.article.get("headline") or st.article.get("name"))
        if value:
            declared.append((value, "jsonld"))
    for el in microdata_prop(st, "headline"):
        value = microdata_value(el)
        if value:
            declared.append((value, "microdata"))
    # Dublin Core first, as Readability does: a page that states it means it
    dc = st.meta_first("dc:title", "dc.title", "dcterms:title", "dcterms.title", "dcterm:title")
    if dc:
        declared.append((dc, "meta"))
    og = st.meta_first("og:title", "twitter:title")
    if og:
        declared.append((og, "opengraph"))
    other = st.meta_first("parsely-title", "sailthru.title")
    if other:
        declared.append((other, "meta"))
    # An h1 that the declared headline matches (or starts) is the article's own heading.
    for h in h1s:
        nh = norm_text(h)
        for value, _source in declared:
            nv = norm_text(value)
            if nh and nv and (nh == nv or nv.startswith(nh) or nh.startswith(nv)):
                return h, "heuristic"
    # The <title>'s headline part ("Headline – Site name") naming an h1 picks that h1 over
    # a declared value that matches none (Wikipedia's JSON-LD "headline" is a summary).
    title = _title_headline(ix)
    if title:
        nt = norm_text(title)
        for h in h1s:
            nh = norm_text(h)
            if len(nh) >= 3 and nh == nt:
                return h, "heuristic"
    if declared:
        return declared[0]
    if len(h1s) == 1:
        return h1s[0], "heuristic"
    if title:
        return title, "heuristic"
    return None, None


def _title_headline(ix: PageIndex) -> str | None:
    """The longest part of the page's <title> split at its separators."""
    titles = ix.tagged("title")
    if not titles:
        return None
    title = inline_text(titles[0].text_content())
    if not title:
        return None
    return max(_TITLE_SEPARATORS.split(title), key=len)


# --- description, language, canonical ---------------------------------------------------


def description(tree: HtmlElement, st: Structured) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("description"))
        if value:
            return value, "jsonld"
    value = st.meta_first("og:description")
    if value:
        return value, "opengraph"
    value = st.meta_first("description", "twitter:description")
    if value:
        return value, "meta"
    return None, None


_HTML_LANG = etree.XPath(
    "/html/@lang | /html/@xml:lang", namespaces={"xml": "http://www.w3.org/XML/1998/namespace"}
)


def language(tree: HtmlElement, st: Structured) -> Found:
    if st.article is not None:
        value = jsonld_text(st.article.get("inLanguage"))
        if value:
            return value, "jsonld"
    langs = _HTML_LANG(tree)
    if langs and langs[0].strip():
        return langs[0].strip(), "meta"
    value = st.meta_first("content-language", "language", "dc.language")
    if value:
        return value.split(",")[0].strip(), "meta"
    value = st.meta_first("og:locale")
    if value:
        return value.replace("_", "-"), "opengraph"
    return None, None


def canonical(tree: HtmlElement, st: Structured, url: str, index: PageIndex | None = None) -> Found:
    # //link[@href and contains(concat(' ',normalize-space(@rel),' '),' canonical ')]/@href
    for link in page_index(tree, index).tagged("link"):
        href = link.get("href")
        if href is None or "canonical" not in xml_tokens(link.get("rel")):
            continue
        value = absolute_url(url, href)
        if value:
            return value, "meta"
    value = st.meta_first("og:url")
    if value:
        value = absolute_url(url, value)
        if value:
            return value, "opengraph"
    return None, None


def lead_image(st: Structured, url: str) -> str | None:
    """The image the page declares for itself (og:image, JSON-LD image)."""
    value = st.meta_first("og:image", "og:image:url", "twitter:image")
    if not value and st.article is not None:
        img = st.article.get("image")
        if isinstance(img, list):
            img = img[0] if img else None
        if isinstance(img, dict):
            img = img.get("url") or img.get("contentUrl")
        value = img if isinstance(img, str) else None
    return absolute_url(url, value) if value else None
