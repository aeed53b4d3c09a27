"""The items newsarchive produces: plain dataclasses, one serialisation everywhere.

A field's name is its archive column and its export key. Items never carry responses,
trees or selectors, only data that turns into JSON the same way in fixtures, the
pipeline, the archive and the CLI (:func:`article_to_dict` / :func:`article_from_dict`).
"""

from __future__ import annotations

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
    # section), or the name of a widget that loads them by script ("disqus", …).
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
