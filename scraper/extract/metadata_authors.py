"""The article's authors (``authors``) and the byline splitter (``split_authors``)."""

from __future__ import annotations

import re
from typing import Any

from lxml.html import HtmlElement

from .dates import date_start
from .dom import element_text, inline_text
from .metadata import Found, Query, inside, norm_text
from .metadata_dates import YEARISH
from .pageindex import PageIndex, page_index
from .structured import Structured, jsonld_names, microdata_prop, microdata_value, resolve_ref


def _rel_author_links(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@rel='author']``."""
    return [a for a in ix.equal("rel", "author") if a.tag == "a"]


_CMS_AUTHORS: list[Query] = [
    # the byline's link to the author's page (not "View all of X's posts"):
    # //*[token byline]//a[contains(@rel,'author') or contains(@class,'url')]
    lambda ix: [
        a
        for a in ix.under(ix.with_token("class", "byline"), "a")
        if "author" in (a.get("rel") or "") or "url" in (a.get("class") or "")
    ],
    # //article//a[@rel='author']
    lambda ix: [a for a in _rel_author_links(ix) if inside(a, "article")],
]

# a class token that marks an author's name in any theme (author, author-name,
# entry__author, byline, autor, authorbox: the word anywhere in it), and the ones that mark
# something about an author instead (a biography, an avatar, a "more by" list)
_AUTHOR_MARK = re.compile(r"author|byline|autor|auteur|verfasser")
_NOT_AUTHOR_MARK = re.compile(
    r"bio|about|avatar|image|img|photo|pic|desc|social|follow|more|list|comment|"
    r"label|info|link|job|role|position|bild|date|time"
)
# regions whose author names are not the page's author
_NOT_AUTHOR_REGION = re.compile(r"comment|related|sidebar|widget|teaser|recommend", re.I)
_NOT_AUTHOR_TAGS = frozenset({"aside", "nav", "footer", "script", "style", "noscript"})


def _marked_authors(ix: PageIndex) -> list[HtmlElement]:
    """Short elements a class token marks as the author's name, in document order, outside
    comments, asides and lists of other articles: what a theme prints as its byline."""
    out: list[HtmlElement] = []
    candidates = set()
    for part in ("author", "byline", "autor", "auteur", "verfasser"):
        candidates.update(ix.containing("class", part))
    for el in ix.in_order(candidates):
        tokens = (el.get("class") or "").lower().split()
        if not any(_AUTHOR_MARK.search(t) and not _NOT_AUTHOR_MARK.search(t) for t in tokens):
            continue
        text = element_text(el, keep_br=False)
        if not text or len(text) > 100:
            continue
        if any(
            anc.tag in _NOT_AUTHOR_TAGS
            or _NOT_AUTHOR_REGION.search(f"{anc.get('class') or ''} {anc.get('id') or ''}")
            for anc in el.iterancestors()
        ):
            continue
        out.append(el)
    return out


_GENERIC_AUTHORS: list[Query] = [
    # //*[contains(@class,'byline')]//a[contains(@href,'author') or contains(@href,'/people/')]
    lambda ix: [
        a
        for a in ix.under(ix.containing("class", "byline"), "a")
        if "author" in (a.get("href") or "") or "/people/" in (a.get("href") or "")
    ],
    _marked_authors,
    _rel_author_links,
    lambda ix: ix.containing("class", "byline"),
]
# "By", "Text by", "von", "Autor:", ... before the names, in the languages we read
_BY = re.compile(
    r"^\s*(?:(?:(?:written|posted|published|text|words|story|reporting|article)\s+)?by"
    r"|(?:(?:geschrieben|erstellt|verfasst)\s+)?von|par|por|di|door|av|af|przez|napisał[a]?"
    r"|автор[:\s]|yazan"
    r"|(?:author|autor(?:in)?|auteur|autore|text|texte|tekst|yazar|автор|kirjoittaja|szerző)"
    r"\s*[:：])\s*:?\s+"
    r"|^\s*(?:geschrieben|erstellt|verfasst)\s+von(?=\w)",
    re.I,
)
_SPLIT_AUTHORS = re.compile(r"\s*(?:,|;|&|\band\b|\bund\b|\bet\b|\by\b|\bи\b)\s*")
_NOT_A_NAME = re.compile(r"view all|posts by|more from|follow|^\d|https?://|@", re.I)


_WEEKDAY_END = re.compile(
    r"[\s,|•·—–-]*(?<!\w)(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
    r"lunes|martes|miércoles|jueves|viernes|sábado|domingo|on|am|le|el|il|op|den)?[\s,|•·—–-]*$",
    re.I,
)


def split_authors(text: str) -> list[str]:
    """ "By A and B" → ["A", "B"]; a string that does not look like names → []."""
    text = inline_text(text)
    text = _BY.sub("", text)
    start = date_start(text) if YEARISH.search(text) else None
    if start is not None:  # "A and B Monday, November 18, 2019" → "A and B"
        text = _WEEKDAY_END.sub("", text[:start])
    text = re.split(r"\s+(?:[|•·-]|—|–)\s+", text)[0]  # "By A | March 3" → "By A"
    names = []
    for part in _SPLIT_AUTHORS.split(text):
        part = part.strip(" .:")
        if part and len(part) <= 80 and not _NOT_A_NAME.search(part) and part not in names:
            names.append(part)
    return names


def _clean_names(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        name = _BY.sub("", name).strip()
        if name and not _NOT_A_NAME.search(name) and name not in out:
            out.append(name)
    return out


def _names_from(elements: list[HtmlElement]) -> list[str]:
    names: list[str] = []
    for el in elements:
        for name in split_authors(element_text(el, keep_br=False)):
            if name not in names:
                names.append(name)
    return names


def _organisations(st: Structured, value: Any) -> set[str]:
    """Names in a JSON-LD author value that are organisations, not people."""
    out: set[str] = set()
    for item in value if isinstance(value, list) else [value]:
        item = resolve_ref(st, item)
        if isinstance(item, dict) and "organization" in str(item.get("@type") or "").lower():
            out.update(jsonld_names(st, item))
    return out


def _site_names(st: Structured) -> set[str]:
    names = {n for n in (st.meta_first("og:site_name"), st.meta_first("application-name")) if n}
    if st.article is not None:
        names.update(jsonld_names(st, st.article.get("publisher")))
    return {norm_text(n) for n in names}


def authors(tree: HtmlElement, st: Structured, index: PageIndex | None = None) -> Found:
    """The article's authors: structured data first, then CMS markup, ``<meta>``, bylines.

    An author the structured data names that is only the publishing organisation (an
    ``Organization``, or the site's own name) gives way to a person the page names."""
    fallback: Found = ([], None)
    if st.article is not None and st.article.get("author"):
        value = st.article.get("author")
        names = _clean_names(jsonld_names(st, value))
        if names:
            orgs = _organisations(st, value) | {n for n in names if norm_text(n) in _site_names(st)}
            if all(n in orgs for n in names):
                fallback = (names, "jsonld")
            else:
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
    ix = page_index(tree, index)
    for query in _CMS_AUTHORS:
        names = _names_from(query(ix))
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
        if names and (not fallback[0] or norm_text(" ".join(names)) not in _site_names(st)):
            return names, "meta"
    if not fallback[0]:
        found = _other_jsonld_authors(st) or _itemprop_authors(ix)
        if found:
            return found
    for query in _GENERIC_AUTHORS:
        # the first match only: later ones are other articles' bylines or comments
        names = _names_from(query(ix)[:1])
        if names:
            return names, "heuristic"
    return fallback


def _other_jsonld_authors(st: Structured) -> Found | None:
    """The author of the first other JSON-LD node that names one (a forum posting, a
    question, a recipe) when no article node does."""
    if st.article is not None and st.article.get("author"):
        return None
    for node in st.jsonld_nodes:
        if node is st.article or not node.get("author"):
            continue
        names = _clean_names(jsonld_names(st, node.get("author")))
        if names:
            return names, "jsonld"
    return None


def _itemprop_authors(ix: PageIndex) -> Found | None:
    """The first ``itemprop=author`` of the page (a forum thread's opening post) when no
    article item holds one."""
    for el in ix.in_order(ix.equal("itemprop", "author")):
        names = split_authors(microdata_value(el) or "")
        if names:
            return names, "microdata"
    return None
