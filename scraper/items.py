"""The items newsarchive produces: plain dataclasses, one serialisation everywhere.

A field's name is its archive column and its export key. Items never carry responses,
trees or selectors, only data that turns into JSON the same way in fixtures, the
pipeline, the archive and the CLI (:func:`article_to_dict` / :func:`article_from_dict`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class Image:
    url: str
    caption: str | None = None


@dataclass
class Comment:
    """One comment of a thread, in document order.

    ``comment_id`` is the site's own id (WordPress ``comment-123`` gives ``"123"``);
    ``parent_id`` is the parent's ``comment_id``, ``None`` at the top level;
    ``depth`` starts at 1 for top-level comments.
    """

    comment_id: str
    parent_id: str | None
    author: str | None
    published_at: str | None
    text: str
    depth: int = 1
    published_at_raw: str | None = None
    author_url: str | None = None


@dataclass
class Article:
    url: str
    canonical_url: str
    headline: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    published_at_raw: str | None = None
    modified_at: str | None = None
    modified_at_raw: str | None = None
    section: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    language: str | None = None
    body_text: str | None = None
    body_html: str | None = None
    images: list[Image] = field(default_factory=list)
    prev_url: str | None = None
    prev_title: str | None = None
    next_url: str | None = None
    next_title: str | None = None
    comments: list[Comment] = field(default_factory=list)
    comment_count: int | None = None
    # Where the comments came from: "html" (records extracted), "partial" (from the HTML,
    # but a page of the thread could not be fetched), "none" (the page has no comment
    # section), the name of a widget that loads them by script ("disqus", …, or "script":
    # an empty comment container a script fills), or "rendered:<widget>" (read from the
    # page rendered in a browser, ARCHIVE_RENDER).
    comments_source: str | None = None
    # Other pages of this article's comment thread, as linked from this page.
    comment_page_urls: list[str] = field(default_factory=list)
    fetched_at: str | None = None
    # Which source filled each field: "jsonld", "microdata", "opengraph", "meta",
    # "cms" (theme/CMS markup), "heuristic", "profile".
    sources: dict[str, str] = field(default_factory=dict)


ARTICLE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article))
COMMENT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Comment))
# Article fields holding lists of strings (copied by article_to_dict).
_LIST_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Article) if f.type == "list[str]")


def article_to_dict(article: Article) -> dict[str, Any]:
    """The one JSON-ready form of an article (comments and images nested).

    The same as ``dataclasses.asdict`` (fresh lists and dicts all the way down), written
    out for our field types: ``asdict`` deep-copies every string on the way, which cost
    a tenth of a millisecond per article in the crawl's write path."""
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    for name in _LIST_FIELDS:
        data[name] = list(data[name])
    data["images"] = [{"url": i.url, "caption": i.caption} for i in article.images]
    data["comments"] = [
        {name: getattr(c, name) for name in COMMENT_FIELDS} for c in article.comments
    ]
    data["sources"] = dict(article.sources)
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    known = {k: v for k, v in data.items() if k in ARTICLE_FIELDS}
    known["images"] = [Image(**i) for i in known.get("images") or []]
    known["comments"] = [
        Comment(**{k: v for k, v in c.items() if k in COMMENT_FIELDS})
        for c in known.get("comments") or []
    ]
    return Article(**known)


# Fields left out of content_hash: they change on every fetch without the content changing.
UNHASHED_FIELDS = frozenset({"fetched_at"})


def content_hash(article: Article) -> str:
    """SHA-256 of every content field of ``article`` (comments included, ``fetched_at``
    left out), so an unchanged re-crawl hashes the same."""
    return hash_fields(article_to_dict(article))


def hash_fields(data: dict[str, Any]) -> str:
    """:func:`content_hash` of an article already turned into a dict."""
    content = {k: v for k, v in data.items() if k not in UNHASHED_FIELDS}
    text = json.dumps(content, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class FetchNote:
    """What a crawl learnt about one fetched page, for the archive to commit with the
    article's batch. It is not an item: the spider hands it over with the
    :data:`scraper.signals.fetch_noted` signal, so feeds (``-O``) and Scrapy's item counts
    hold articles only.

    ``frontier_keys`` are settled (marked done) in the same transaction, so a killed crawl
    never forgets a page whose result was not written. ``etag`` and ``last_modified`` are
    the validators for the next conditional request; ``not_modified``: a 304 answer.
    """

    url: str | None  # canonical URL of the article; None: only settle frontier keys
    frontier_keys: tuple[str, ...] = ()
    frontier_state: str = "done"  # or "failed" (with ``reason``)
    reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    status: int = 200
    checked_at: str | None = None
    not_modified: bool = False
    gone: bool = False
