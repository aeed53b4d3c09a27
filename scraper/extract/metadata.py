"""Article metadata, one small function per field.

Each returns ``(value, source)``; ``source`` is ``None`` when nothing was found. Order per
field: structured data (JSON-LD, microdata, OpenGraph/meta) and CMS markup first, then
heuristics. Values are never invented: a field the page does not state stays empty.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree
from lxml.html import HtmlElement

from .dates import parse_date
from .dom import element_text, inline_text
from .structured import Structured, jsonld_names, jsonld_text, microdata_prop, microdata_value
from .urls import absolute_url

Found = tuple[Any, str | None]

# --- headline ---------------------------------------------------------------------------

_CMS_H1 = etree.XPath(
    "//h1[contains(concat(' ',normalize-space(@class),' '),' entry-title ')"
    " or contains(@class,'wp-block-post-title') or contains(@class,'post-title')"
    " or contains(@class,'article-title') or contains(@class,'article__title')"
    " or contains(@class,'tdb-title-text') or contains(@class,'jeg_post_title')"
    " or contains(@class,'headline') or @itemprop='headline']"
)
_H1 = etree.XPath("//h1")
_TITLE = etree.XPath("//title")
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—·•»:]|::)\s+")


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text).strip().lower()


def headline(tree: HtmlElement, st: Structured) -> Found:
    """The article's own h1; structured data when no h1 agrees; the <title> as a last resort."""
    cms = [t for t in (element_text(h, keep_br=False) for h in _CMS_H1(tree)) if t]
    if cms:
        return cms[0], "cms"
    h1s = [t for t in (element_text(h, keep_br=False) for h in _H1(tree)) if t]
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
        nh = _norm(h)
        for value, _source in declared:
            nv = _norm(value)
            if nh and nv and (nh == nv or nv.startswith(nh) or nh.startswith(nv)):
                return h, "heuristic"
    if declared:
        return declared[0]
    if len(h1s) == 1:
        return h1s[0], "heuristic"
    titles = _TITLE(tree)
    if titles:
        title = inline_text(titles[0].text_content())
        if title:
            # "Headline – Site name": keep the longest part.
            parts = _TITLE_SEPARATORS.split(title)
            return max(parts, key=len), "heuristic"
    return None, None


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


_CANONICAL = etree.XPath(
    "//link[@href and contains(concat(' ',normalize-space(@rel),' '),' canonical ')]/@href"
)


def canonical(tree: HtmlElement, st: Structured, url: str) -> Found:
    for href in _CANONICAL(tree):
        value = absolute_url(url, href)
        if value:
            return value, "meta"
    value = st.meta_first("og:url")
    if value:
        value = absolute_url(url, value)
        if value:
            return value, "opengraph"
    return None, None


# --- authors -----------------------------------------------------------------------------

_CMS_AUTHORS = [
    # WordPress block themes
    etree.XPath("//*[contains(@class,'wp-block-post-author__name')]"),
    # WordPress classic themes: the byline link (not "View all of X's posts")
    etree.XPath(
        "//*[contains(concat(' ',normalize-space(@class),' '),' byline ')]"
        "//a[contains(@rel,'author') or contains(@class,'url')]"
    ),
    etree.XPath("//*[contains(@class,'author-bio')]//*[contains(@class,'author-title')]"),
    # tagDiv Newspaper, JNews, other news themes
    etree.XPath("//*[contains(@class,'td-post-author-name')]//a"),
    etree.XPath("//*[contains(@class,'tdb-author-name')]"),
    etree.XPath("//*[contains(@class,'jeg_meta_author')]//a"),
    etree.XPath("//article//a[@rel='author']"),
]
_GENERIC_AUTHORS = [
    etree.XPath(
        "//*[contains(@class,'byline')]//a[contains(@href,'author') or contains(@href,'/people/')]"
    ),
    etree.XPath("//*[contains(@class,'author-name') or contains(@class,'author__name')]"),
    etree.XPath("//a[@rel='author']"),
    etree.XPath("//*[contains(@class,'byline')]"),
]
_BY = re.compile(r"^\s*(?:by|von|par|por|di|door|av|автор[:\s]|written by)\s*:?\s+", re.I)
_SPLIT_AUTHORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b)\s*")
_NOT_A_NAME = re.compile(r"view all|posts by|more from|follow|^\d|https?://|@", re.I)


def split_authors(text: str) -> list[str]:
    """ "By A and B" → ["A", "B"]; a string that does not look like names → []."""
    text = inline_text(text)
    text = _BY.sub("", text)
    text = re.split(r"\s+(?:[|•·]|—|–)\s+", text)[0]  # "By A | March 3" → "By A"
    names = []
    for part in _SPLIT_AUTHORS.split(text):
        part = part.strip(" .:")
        if part and len(part) <= 80 and not _NOT_A_NAME.search(part) and part not in names:
            names.append(part)
    return names


def _names_from(elements: list[HtmlElement]) -> list[str]:
    names: list[str] = []
    for el in elements:
        for name in split_authors(element_text(el, keep_br=False)):
            if name not in names:
                names.append(name)
    return names


def authors(tree: HtmlElement, st: Structured) -> Found:
    if st.article is not None and st.article.get("author"):
        names = [n for n in jsonld_names(st, st.article.get("author")) if not _NOT_A_NAME.search(n)]
        if names:
            return names, "jsonld"
    micro = microdata_prop(st, "author")
    if micro:
        names = []
        for el in micro:
            for name in split_authors(microdata_value(el) or ""):
                if name not in names:
                    names.append(name)
        if names:
            return names, "microdata"
    for xp in _CMS_AUTHORS:
        names = _names_from(xp(tree))
        if names:
            return names, "cms"
    meta = st.meta_first(
        "dc:creator",
        "dc.creator",
        "author",
        "article:author",
        "parsely-author",
        "sailthru.author",
    )
    if meta and not meta.startswith("http"):
        names = split_authors(meta)
        if names:
            return names, "meta"
    for xp in _GENERIC_AUTHORS:
        names = _names_from(xp(tree)[:3])
        if names:
            return names, "heuristic"
    return [], None


# --- dates -------------------------------------------------------------------------------

_CMS_PUBLISHED = [
    etree.XPath("//*[contains(@class,'wp-block-post-date')]//time/@datetime"),
    etree.XPath("//time[contains(@class,'entry-date') and contains(@class,'published')]/@datetime"),
    etree.XPath("//*[contains(@class,'posted-on')]//time/@datetime"),
    etree.XPath("//time[contains(@class,'entry-date')]/@datetime"),
    etree.XPath("//*[contains(@class,'td-post-date')]//time/@datetime"),
    etree.XPath("//*[contains(@class,'jeg_meta_date')]//a/text()"),
]
_CMS_MODIFIED = [
    etree.XPath(
        "//time[contains(@class,'updated') and not(contains(@class,'published'))]/@datetime"
    ),
    etree.XPath(
        "//*[contains(@class,'wp-block-post-date') and contains(@class,'modified')]//time/@datetime"
    ),
]
_GENERIC_TIME = etree.XPath(
    "//article//time[@datetime][not(ancestor::*[contains(@class,'comment')])]/@datetime"
    " | //main//time[@datetime][not(ancestor::*[contains(@class,'comment')])]/@datetime"
)


def _date_from(raws: list[str]) -> tuple[str, str] | None:
    for raw in raws:
        value = parse_date(raw)
        if value:
            return value, inline_text(raw)
    return None


def published(tree: HtmlElement, st: Structured) -> tuple[str | None, str | None, str | None]:
    """(ISO date, raw string, source)."""
    return _date(
        tree,
        st,
        "datePublished",
        (
            "article:published_time",
            "og:published_time",
            "pubdate",
            "publishdate",
            "date",
            "dc.date",
            "dc.date.issued",
            "parsely-pub-date",
            "sailthru.date",
        ),
        _CMS_PUBLISHED,
        generic=True,
    )


def modified(tree: HtmlElement, st: Structured) -> tuple[str | None, str | None, str | None]:
    return _date(
        tree,
        st,
        "dateModified",
        ("article:modified_time", "og:updated_time", "last-modified", "dc.date.modified"),
        _CMS_MODIFIED,
        generic=False,
    )


def _date(
    tree: HtmlElement,
    st: Structured,
    prop: str,
    meta_keys: tuple[str, ...],
    cms: list[etree.XPath],
    *,
    generic: bool,
) -> tuple[str | None, str | None, str | None]:
    if st.article is not None:
        raw = st.article.get(prop)
        found = _date_from(
            [raw] if isinstance(raw, str) else [r for r in raw or [] if isinstance(r, str)]
        )
        if found:
            return found[0], found[1], "jsonld"
    micro = [microdata_value(el) or "" for el in microdata_prop(st, prop)]
    found = _date_from(micro)
    if found:
        return found[0], found[1], "microdata"
    for key in meta_keys:
        found = _date_from(st.meta_all(key))
        if found:
            return found[0], found[1], "opengraph" if ":" in key else "meta"
    for xp in cms:
        found = _date_from([str(x) for x in xp(tree)])
        if found:
            return found[0], found[1], "cms"
    if generic:
        found = _date_from([str(x) for x in _GENERIC_TIME(tree)[:3]])
        if found:
            return found[0], found[1], "heuristic"
    return None, None, None


# --- section, categories, tags ------------------------------------------------------------

_CMS_CATEGORIES = [
    etree.XPath("//*[contains(@class,'taxonomy-category')]//a"),
    etree.XPath("//*[contains(@class,'cat-links')]//a"),
    etree.XPath(
        "//article//a[contains(@rel,'category')]"
        "[contains(concat(' ',normalize-space(@rel),' '),' category ')]"
    ),
    etree.XPath("//ul[contains(@class,'td-category')]//a"),
    etree.XPath("//*[contains(@class,'jeg_meta_category')]//a"),
]
_CMS_TAGS = [
    etree.XPath("//*[contains(@class,'taxonomy-post_tag')]//a"),
    etree.XPath("//*[contains(@class,'tags-links')]//a"),
    etree.XPath("//ul[contains(@class,'td-tags')]//a"),
    etree.XPath("//*[contains(@class,'jeg_post_tags')]//a"),
    etree.XPath(
        "//article//a[contains(@rel,'tag')][contains(concat(' ',normalize-space(@rel),' '),' tag ')"
        " and not(contains(concat(' ',normalize-space(@rel),' '),' category '))"
        " and not(ancestor::*[contains(@class,'taxonomy-category')])]"
    ),
]


def _texts(elements: list[HtmlElement]) -> list[str]:
    out: list[str] = []
    for el in elements:
        text = element_text(el, keep_br=False)
        if text and text not in out and len(text) <= 100:
            out.append(text)
    return out


# One scan that every category or tag XPath above needs to find something: most pages
# have none of this markup, and then the ten scans are skipped.
_TAXONOMY_HINT = etree.XPath(
    "boolean(//*[contains(@class,'taxonomy-') or contains(@class,'cat-links')"
    " or contains(@class,'td-category') or contains(@class,'jeg_meta_category')"
    " or contains(@class,'tags-links') or contains(@class,'td-tags')"
    " or contains(@class,'jeg_post_tags')]"
    " | //article//a[contains(@rel,'category') or contains(@rel,'tag')])"
)


def categories(tree: HtmlElement, st: Structured) -> Found:
    if not _TAXONOMY_HINT(tree):
        return [], None
    for xp in _CMS_CATEGORIES:
        values = _texts(xp(tree))
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


def tags(tree: HtmlElement, st: Structured) -> Found:
    for xp in _CMS_TAGS if _TAXONOMY_HINT(tree) else ():
        values = _texts(xp(tree))
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
