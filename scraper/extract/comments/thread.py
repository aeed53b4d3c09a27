"""One page's comment thread (``extract_comments``: HTML items, JSON-LD, then the
generic heuristic; the stated count; the thread's other pages) and the pages merged."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from ...items import Comment
from ..pageindex import PageIndex, page_index
from ..urls import canonicalize_url
from .count import parse_count, stated_count
from .find import (
    commentish_elements,
    generic_items,
    has_comment_form,
    html_items,
    list_holder,
    repeated_items,
    scripted_thread,
)
from .items import comments_from_items
from .jsonld import jsonld_comments
from .pages import page_links, page_number, permalink_pages
from .text import inline_text
from .widget_detection import SCRIPTED, detect_widget


@dataclass
class CommentThread:
    comments: list[Comment] = field(default_factory=list)
    comment_count: int | None = None
    page_urls: list[str] = field(default_factory=list)
    page_number: int | None = None
    source: str | None = None
    comments_source: str | None = None


def extract_comments(tree: HtmlElement, url: str, index: PageIndex | None = None) -> CommentThread:
    """The comments of this page (document order), the count the page states, the other
    pages of the thread it links to and this page's number in the thread."""
    ix = page_index(tree, index)
    commentish = commentish_elements(ix)
    items = html_items(ix)
    comments, kinds = comments_from_items(items, url) if items else ([], Counter())
    if not comments:
        items = repeated_items(ix)
        comments, kinds = comments_from_items(items, url) if items else ([], Counter())
    source: str | None = kinds.most_common(1)[0][0] if kinds else None
    # the comments the markup names as comments, for the body to leave out (not those of
    # JSON-LD, nor the generic heuristic's records, which are a forum's posts as often)
    roots = [i.el for i in items if i.parent is None] if comments else []
    ld_comments, ld_count = jsonld_comments(ix, url)
    if not comments:
        if ld_comments:
            comments, source = ld_comments, "jsonld"
        else:
            items = generic_items(ix)
            comments, kinds = comments_from_items(items, url) if items else ([], Counter())
            source = "heuristic" if comments else None
    ix.store("comment_roots", roots)
    count = stated_count(commentish)
    if count is None and items and comments:
        # a heading over the list ("Reader responses (3)") in the section holding it
        holder = list_holder(next(i.el for i in items if i.parent is None))
        for heading in holder.iter("h2", "h3", "h4", "h5"):
            count = parse_count(inline_text(heading))
            if count is not None:
                break
    if count is None:
        count = ld_count
    if comments:
        comments_source: str | None = "html"
    elif (widget := detect_widget(ix)) is not None:
        comments_source = widget
    elif has_comment_form(ix):
        # An open thread with nothing in it yet: the page shows zero comments.
        comments_source = "html"
        if count is None:
            count = 0
    elif scripted_thread(ix, commentish):
        comments_source = SCRIPTED
    else:
        comments_source = "none"
    links, current = page_links(ix, url, commentish)
    ids = {c.comment_id for c in comments}
    number = page_number(url, links, current, permalink_pages(items, ids)) if comments else None
    if number is None and comments_source == "html" and not links:
        number = 1
    urls: list[str] = []
    seen: set[str] = set()
    for link in sorted(links, key=lambda lk: lk.number if lk.number is not None else 10**9):
        key = canonicalize_url(link.url)
        if key not in seen:
            seen.add(key)
            urls.append(link.url)
    return CommentThread(
        comments=comments,
        comment_count=count,
        page_urls=urls,
        page_number=number,
        source=source,
        comments_source=comments_source,
    )


def merge_comment_pages(threads: list[CommentThread]) -> list[Comment]:
    """All pages of one article's thread as one list in document order, each comment once.

    Pages go oldest first (by ``page_number``; pages with no number keep their order,
    last), each page in its document order, so every reply stays right under its parent;
    a comment shown on two pages (WordPress shows the newest page at the bare URL too) is
    kept once.
    """
    ordered = sorted(
        enumerate(threads),
        key=lambda it: (it[1].page_number is None, it[1].page_number or 0, it[0]),
    )
    merged: list[Comment] = []
    seen: set[str] = set()
    for _, thread in ordered:
        for comment in thread.comments:
            if comment.comment_id in seen:
                continue
            seen.add(comment.comment_id)
            merged.append(comment)
    return merged


def comment_elements(
    tree: HtmlElement, url: str, index: PageIndex | None = None
) -> list[HtmlElement]:
    """The outermost elements of the comments ``extract_comments`` reads from items the
    page's markup names as comments (each holding its replies), for the body extractor to
    leave out."""
    ix = page_index(tree, index)
    roots = ix.cached("comment_roots")
    if roots is None:
        extract_comments(tree, url, ix)
        roots = ix.cached("comment_roots")
    return list(roots)
