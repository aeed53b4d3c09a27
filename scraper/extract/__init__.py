"""Extraction: pure functions from (html, url) to items. No network, clock or database.

``extract_article`` is the public entry point; the spider feeds it the response body (or
the tree Scrapy already parsed). Each field comes from its own helper so a failure names
its field, and ``Article.sources`` says which source filled it.
"""

from __future__ import annotations

from lxml.html import HtmlElement

from ..items import Article, Image
from . import metadata
from .body import extract_body
from .comments import CommentThread, extract_comments, merge_comment_pages
from .dom import parse_html
from .navigation import Neighbours, find_neighbours
from .structured import read_structured
from .urls import canonicalize_url, strip_comment_page

__all__ = [
    "CommentThread",
    "Neighbours",
    "extract_article",
    "extract_article_page",
    "extract_comments",
    "find_neighbours",
    "merge_comment_pages",
    "parse_html",
]


def extract_article(
    html: str | bytes | HtmlElement,
    url: str,
    *,
    encoding: str | None = None,
    fetched_at: str | None = None,
) -> Article:
    """Everything the page says about its article, with each field's source.

    ``html`` may be text, bytes (decoded by ``encoding``, the page's ``<meta>`` charset,
    then UTF-8) or an already parsed ``lxml.html`` tree, which is only read. Missing fields
    stay empty; this function never raises on malformed input.
    """
    return extract_article_page(html, url, encoding=encoding, fetched_at=fetched_at)[0]


def extract_article_page(
    html: str | bytes | HtmlElement,
    url: str,
    *,
    encoding: str | None = None,
    fetched_at: str | None = None,
) -> tuple[Article, CommentThread]:
    """The article and this page's comment thread (its page number and the thread's other
    pages), for the spider, which merges the thread's pages into the article."""
    tree = parse_html(html, encoding)
    st = read_structured(tree, url)
    sources: dict[str, str] = {}

    def note(name: str, source: str | None) -> None:
        if source:
            sources[name] = source

    canonical, src = metadata.canonical(tree, st, url)
    note("canonical_url", src)
    headline, src = metadata.headline(tree, st)
    note("headline", src)
    description, src = metadata.description(tree, st)
    note("description", src)
    authors, src = metadata.authors(tree, st)
    note("authors", src)
    published_at, published_raw, src = metadata.published(tree, st)
    note("published_at", src)
    modified_at, modified_raw, src = metadata.modified(tree, st)
    note("modified_at", src)
    categories, src = metadata.categories(tree, st)
    note("categories", src)
    section, src = metadata.section(tree, st, categories)
    note("section", src)
    tags, src = metadata.tags(tree, st)
    note("tags", src)
    language, src = metadata.language(tree, st)
    note("language", src)

    neighbours = find_neighbours(tree, url)
    note("prev_url", neighbours.source if neighbours.prev_url else None)
    note("next_url", neighbours.source if neighbours.next_url else None)

    thread = extract_comments(tree, url)
    note("comments", thread.source)

    body = extract_body(tree, url, headline)
    note("body_text", body.source)
    images = body.images
    lead = metadata.lead_image(st, url)
    if lead and all(img.url != lead for img in images):
        images = [Image(url=lead, caption=None), *images]

    return Article(
        url=url,
        canonical_url=canonicalize_url(strip_comment_page(canonical or url)),
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
        images=images,
        prev_url=neighbours.prev_url,
        prev_title=neighbours.prev_title,
        next_url=neighbours.next_url,
        next_title=neighbours.next_title,
        comments=list(thread.comments),
        comment_count=thread.comment_count,
        comments_source=thread.comments_source,
        comment_page_urls=list(thread.page_urls),
        fetched_at=fetched_at,
        sources=sources,
    ), thread
