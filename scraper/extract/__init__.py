"""Extraction: pure functions from (html, url) to items. No network, clock or database.

``extract_article`` is the public entry point; the spider feeds it the response body (or
the tree Scrapy already parsed). Each field comes from its own helper so a failure names
its field, and ``Article.sources`` says which source filled it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from lxml.html import HtmlElement

from ..items import Article, Image
from . import metadata, metadata_authors, metadata_dates, metadata_taxonomy
from .body import Body, body_from_text, extract_body
from .comments import CommentThread, comment_elements, extract_comments, merge_comment_pages
from .dom import parse_html
from .navigation import Neighbours, find_neighbours
from .pageindex import PageIndex
from .pagekind import PageHints, PageKind, classify_page
from .profile_apply import SOURCE, ProfileBody, profile_fields, profile_neighbours, profile_thread
from .profiles import Profile, ProfileError, builtin_themes, load_profile, page_hints
from .structured import Structured, read_structured
from .urls import canonicalize_url, strip_comment_page

__all__ = [
    "CommentThread",
    "Neighbours",
    "PageHints",
    "PageKind",
    "PageStart",
    "Profile",
    "ProfileError",
    "classify_page",
    "extract_article",
    "extract_article_page",
    "extract_comments",
    "extract_thread",
    "find_neighbours",
    "find_page_neighbours",
    "load_profile",
    "merge_comment_pages",
    "parse_html",
    "start_page",
]


def extract_article(
    html: str | bytes | HtmlElement,
    url: str,
    *,
    encoding: str | None = None,
    fetched_at: str | None = None,
    profile: Profile | None = None,
    themes: Iterable[Profile] | None = None,
) -> Article:
    """Everything the page says about its article, with each field's source.

    ``html`` may be text, bytes (``encoding`` is the HTTP header's charset, if any; see
    :func:`scraper.extract.decode.decode_html`) or an already parsed ``lxml.html`` tree, which is only read. Missing fields
    stay empty; this function never raises on malformed input. With a site ``profile``
    (:func:`load_profile`), each field the profile finds wins, with source ``profile``.
    ``themes``: the theme profiles whose ``detect`` may match the page and add the
    theme's markup to generic extraction; default the built-in ones, ``()`` none.
    """
    return extract_article_page(
        html, url, encoding=encoding, fetched_at=fetched_at, profile=profile, themes=themes
    )[0]


def extract_article_page(
    html: str | bytes | HtmlElement,
    url: str,
    *,
    encoding: str | None = None,
    fetched_at: str | None = None,
    profile: Profile | None = None,
    start: PageStart | None = None,
    themes: Iterable[Profile] | None = None,
) -> tuple[Article, CommentThread]:
    """The article and this page's comment thread (its page number and the thread's other
    pages), for the spider, which merges the thread's pages into the article.

    ``start``: what :func:`start_page` already found on this same tree (its index and
    neighbours), so that work is not done twice. ``themes``: as for
    :func:`extract_article`."""
    tree = parse_html(html, encoding)
    if start is not None and start.tree is tree and start.url == url:
        index, generic_neighbours = start.index, start.generic
    else:
        index, generic_neighbours = PageIndex(tree), None
    index.hints = page_hints(tree, builtin_themes() if themes is None else themes)
    if profile is not None:
        return _profiled(tree, url, fetched_at, profile, index, generic_neighbours)
    st = read_structured(tree, url, index)
    sources: dict[str, str] = {}

    def note(name: str, source: str | None) -> None:
        if source:
            sources[name] = source

    canonical, src = metadata.canonical(tree, st, url, index)
    note("canonical_url", src)
    headline, src = metadata.headline(tree, st, index)
    note("headline", src)
    description, src = metadata.description(tree, st)
    note("description", src)
    authors, src = metadata_authors.authors(tree, st, index)
    note("authors", src)
    published_at, published_raw, src = metadata_dates.published(tree, st, index)
    note("published_at", src)
    modified_at, modified_raw, src = metadata_dates.modified(tree, st, index)
    note("modified_at", src)
    categories, src = metadata_taxonomy.categories(tree, st, index)
    note("categories", src)
    section, src = metadata_taxonomy.section(tree, st, categories)
    note("section", src)
    tags, src = metadata_taxonomy.tags(tree, st, index)
    note("tags", src)
    language, src = metadata.language(tree, st)
    note("language", src)

    neighbours = generic_neighbours or find_neighbours(tree, url, index)
    note("prev_url", neighbours.source if neighbours.prev_url else None)
    note("next_url", neighbours.source if neighbours.next_url else None)

    thread = extract_comments(tree, url, index)
    note("comments", thread.source)

    body = extract_body(tree, url, headline, index, exclude=comment_elements(tree, url, index))
    body = _structured_body(st, body)
    note("body_text", body.source)
    return _article(
        url,
        canonical,
        neighbours,
        thread,
        fetched_at,
        sources,
        comment_count=thread.comment_count,
        headline=headline,
        description=description,
        authors=authors,
        published_at=published_at,
        published_at_raw=published_raw,
        modified_at=modified_at,
        modified_at_raw=modified_raw,
        section=section,
        categories=categories,
        tags=tags,
        language=language,
        body_text=body.text,
        body_html=body.html,
        images=_with_lead_image(body.images, st, url),
    ), thread


# The page's JSON-LD ``articleBody`` replaces the heuristic's body when that is empty or
# holds less than this share of it (a script-rendered page, a teaser left in the markup).
_STRUCTURED_SHARE = 0.5
_STRUCTURED_MIN = 200


def _structured_body(st: Structured, body: Body) -> Body:
    given = st.article.get("articleBody") if st.article else None
    if isinstance(given, list):
        given = "\n".join(v for v in given if isinstance(v, str))
    if not isinstance(given, str) or len(given) < _STRUCTURED_MIN:
        return body
    ours = len(body.text or "")
    if ours >= _STRUCTURED_SHARE * len(given):
        return body
    found = body_from_text(given, "jsonld")
    if not found.text or len(found.text) <= ours:
        return body
    return replace(found, images=body.images)


def _with_lead_image(images: list[Image], st: Structured, url: str) -> list[Image]:
    """The images of the body, after the one the page declares for itself if missing."""
    lead = metadata.lead_image(st, url)
    if lead and all(img.url != lead for img in images):
        return [Image(url=lead, caption=None), *images]
    return images


def _article(
    url: str,
    canonical: str | None,
    neighbours: Neighbours,
    thread: CommentThread,
    fetched_at: str | None,
    sources: dict[str, str],
    *,
    comment_count: int | None,
    **fields: Any,
) -> Article:
    """The Article of both assemblies: the page's own fields, its neighbours and thread."""
    return Article(
        url=url,
        canonical_url=canonicalize_url(strip_comment_page(canonical or url)),
        prev_url=neighbours.prev_url,
        prev_title=neighbours.prev_title,
        next_url=neighbours.next_url,
        next_title=neighbours.next_title,
        comments=list(thread.comments),
        comment_count=comment_count,
        comments_source=thread.comments_source,
        comment_page_urls=list(thread.page_urls),
        fetched_at=fetched_at,
        sources=sources,
        **fields,
    )


@dataclass(frozen=True)
class PageStart:
    """The first look at a page: its index and its previous/next links (``neighbours``,
    the profile's where it finds them; ``generic``, the generic finder's). Handed to
    :func:`extract_article_page` for the same tree, which then reuses them."""

    tree: HtmlElement
    url: str
    index: PageIndex
    generic: Neighbours
    neighbours: Neighbours


def start_page(
    tree: HtmlElement, url: str, profile: Profile | None = None, index: PageIndex | None = None
) -> PageStart:
    """Index the page (unless ``index`` is its index already) and find its neighbours: all
    the spider needs to send the next request before the page's heavy work."""
    index = index if index is not None else PageIndex(tree)
    generic = find_neighbours(tree, url, index)
    neighbours = generic
    if profile is not None:
        neighbours = profile_neighbours(profile, tree, url, replace(generic))[0]
    return PageStart(tree, url, index, generic, neighbours)


def find_page_neighbours(tree: HtmlElement, url: str, profile: Profile | None = None) -> Neighbours:
    """The previous/next links of a page: the profile's where it finds them."""
    return start_page(tree, url, profile).neighbours


def extract_thread(
    tree: HtmlElement, url: str, profile: Profile | None = None, index: PageIndex | None = None
) -> CommentThread:
    """One page's comment thread: by the profile's ``[comments]`` rules where they apply."""
    thread = extract_comments(tree, url, index)
    if profile is not None:
        thread = profile_thread(profile, tree, url, thread)
    return thread


def _profiled(
    tree: HtmlElement,
    url: str,
    fetched_at: str | None,
    profile: Profile,
    index: PageIndex,
    generic_neighbours: Neighbours | None,
) -> tuple[Article, CommentThread]:
    """The assembly with a profile: each field the profile finds wins (source
    ``profile``); the others, and everything a profile does not name, come from the
    generic helpers, which only run for the fields still missing."""
    found = profile_fields(profile, tree, url)
    st = read_structured(tree, url, index)
    sources: dict[str, str] = {}

    def pick(name: str, generic: Callable[[], tuple[Any, str | None]]) -> Any:
        if name in found:
            sources[name] = SOURCE
            return found[name]
        value, src = generic()
        if src:
            sources[name] = src
        return value

    def dated(name: str, generic: Callable[[], tuple[Any, Any, str | None]]) -> tuple[Any, Any]:
        if name in found:
            sources[name] = SOURCE
            return found[name], found[f"{name}_raw"]
        value, raw, src = generic()
        if src:
            sources[name] = src
        return value, raw

    canonical = pick("canonical_url", lambda: metadata.canonical(tree, st, url, index))
    headline = pick("headline", lambda: metadata.headline(tree, st, index))
    description = pick("description", lambda: metadata.description(tree, st))
    authors = pick("authors", lambda: metadata_authors.authors(tree, st, index))
    published_at, published_raw = dated(
        "published_at", lambda: metadata_dates.published(tree, st, index)
    )
    modified_at, modified_raw = dated(
        "modified_at", lambda: metadata_dates.modified(tree, st, index)
    )
    categories = pick("categories", lambda: metadata_taxonomy.categories(tree, st, index))
    section = pick("section", lambda: metadata_taxonomy.section(tree, st, categories))
    tags = pick("tags", lambda: metadata_taxonomy.tags(tree, st, index))
    language = pick("language", lambda: metadata.language(tree, st))

    if generic_neighbours is None:
        generic_neighbours = find_neighbours(tree, url, index)
    neighbours, sides = profile_neighbours(profile, tree, url, generic_neighbours)
    for side in ("prev", "next"):
        if side in sides:
            sources[f"{side}_url"] = SOURCE
        elif getattr(neighbours, f"{side}_url") and generic_neighbours.source:
            sources[f"{side}_url"] = generic_neighbours.source

    thread = extract_thread(tree, url, profile, index)
    if thread.source:
        sources["comments"] = thread.source
    count = found.get("comment_count", thread.comment_count)
    if "comment_count" in found:
        sources["comment_count"] = SOURCE

    body: ProfileBody | None = found.get("body_text")
    if body is not None:
        sources["body_text"] = SOURCE
        body_text, body_html, images = body.text, body.html, body.images
    else:
        generic_body = extract_body(tree, url, headline, index)
        if generic_body.source:
            sources["body_text"] = generic_body.source
        body_text, body_html, images = generic_body.text, generic_body.html, generic_body.images
    if "images" in found:
        sources["images"] = SOURCE
        images = found["images"]
    else:
        images = _with_lead_image(images, st, url)

    return _article(
        url,
        canonical,
        neighbours,
        thread,
        fetched_at,
        sources,
        comment_count=count,
        headline=headline,
        description=description,
        authors=authors,
        published_at=published_at,
        published_at_raw=published_raw,
        modified_at=modified_at,
        modified_at_raw=modified_raw,
        section=section,
        categories=categories,
        tags=tags,
        language=language,
        body_text=body_text,
        body_html=body_html,
        images=images,
    ), thread
