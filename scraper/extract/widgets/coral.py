"""Coral (https://coralproject.net/, ``coralproject/talk``): a comment platform whose
server answers GraphQL at ``ROOT/api/graphql``.

The page loads ``ROOT/assets/js/embed.js`` and calls ``Coral.createStreamEmbed({id:
"coral_thread", rootURL: "https://coral.example.com", storyID, storyURL, …})``, and holds
the element ``id`` names. The story is ``storyID`` when given, else ``storyURL``, else
the page's canonical URL (else its address without the fragment).

What we ask follows Coral's public schema (``server/src/core/server/graph/schema/
schema.graphql``): ``Query.story(id, url)``, ``Story.comments(first, orderBy, after)``,
``Story.commentCounts.totalPublished``, ``Query.comment(id)``, ``Comment.replies(first,
orderBy, after)``, ``Comment.{id, body, createdAt, author {username}, deleted,
replyCount}``, ``PageInfo.{hasNextPage, endCursor}``::

    POST ROOT/api/graphql  {"query": STORY_QUERY, "variables": {"id"|"url", "first", "after"}}
      -> {"data": {"story": {"id", "commentCounts": {"totalPublished"}, "comments":
             {"edges": [{"node": COMMENT}, …], "pageInfo": {"hasNextPage", "endCursor"}}}}}
    POST ROOT/api/graphql  {"query": REPLIES_QUERY, "variables": {"parent", "first", "after"}}
      -> {"data": {"comment": {"id", "replies": {"edges": …, "pageInfo": …}}}}

Top-level comments and each comment's replies are read oldest first, ``first`` at a time
(the next page from ``endCursor``); a comment with ``replyCount`` > 0 has its replies
asked for, so threads of any depth are read whole. The API URL carries which page a
request is for (``?parent=ID&after=CURSOR``): the spider keys requests by URL, Coral
reads the POST body. Coral's own embed sends persisted query ids, not query text; a
server that refuses raw queries (Coral in production without its reduced-security mode)
answers ``errors``, and the thread is then partial.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from ...items import Comment
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import iso_utc, load_json, script_setting, text_field

NAME = "coral"
_HOLDER = "createStreamEmbed"
_PAGE_SIZE = 50

_FIELDS = "id body createdAt deleted replyCount author { username }"
_CONNECTION = f"edges {{ node {{ {_FIELDS} }} }} pageInfo {{ hasNextPage endCursor }}"
STORY_QUERY = (
    "query ArchiveStory($id: ID, $url: String, $first: Int!, $after: Cursor) {"
    " story(id: $id, url: $url) { id commentCounts { totalPublished }"
    f" comments(first: $first, orderBy: CREATED_AT_ASC, after: $after) {{ {_CONNECTION} }} }} }}"
)
REPLIES_QUERY = (
    "query ArchiveReplies($parent: ID!, $first: Int!, $after: Cursor) {"
    " comment(id: $parent) { id"
    f" replies(first: $first, orderBy: CREATED_AT_ASC, after: $after) {{ {_CONNECTION} }} }} }}"
)


def detect(tree: HtmlElement, url: str) -> WidgetRef | None:
    """Coral on this page: ``createStreamEmbed`` with a ``rootURL`` and its element."""
    root = script_setting(tree, _HOLDER, "rootURL")
    if not root:
        return None
    holder = script_setting(tree, _HOLDER, "id") or "coral_thread"
    if not tree.xpath("//*[@id=$id]", id=holder):
        return None
    api = absolute_url(url, root.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    story_id = script_setting(tree, _HOLDER, "storyID")
    if story_id:
        return WidgetRef(NAME, api, story_id, url, (("by", "id"),))
    story_url = script_setting(tree, _HOLDER, "storyURL")
    if not story_url:
        canonical = tree.xpath("//link[@rel='canonical']/@href")
        story_url = absolute_url(url, canonical[0].strip()) if canonical else None
    if not story_url:
        parts = urlsplit(url)
        story_url = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    return WidgetRef(NAME, api, story_url, url, (("by", "url"),))


def _url(ref: WidgetRef, **params: str | None) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v])
    return f"{ref.api_base}api/graphql" + (f"?{query}" if query else "")


def first_request(ref: WidgetRef) -> str:
    return _url(ref)


def request_body(ref: WidgetRef, url: str) -> bytes:
    """The GraphQL query for the page ``url`` stands for."""
    asked = dict(parse_qsl(urlsplit(url).query))
    variables: dict[str, Any] = {"first": _PAGE_SIZE, "after": asked.get("after")}
    if asked.get("parent"):
        variables["parent"] = asked["parent"]
        body = {"query": REPLIES_QUERY, "variables": variables}
    else:
        variables["id" if ref.option("by") == "id" else "url"] = ref.thread
        body = {"query": STORY_QUERY, "variables": variables}
    return json.dumps(body).encode("utf-8")


def _comment(node: Any, parent: str | None) -> Comment:
    if not isinstance(node, dict) or not text_field(node, "id"):
        raise WidgetFormatError("a Coral comment without an id")
    deleted = node.get("deleted") is True
    author = node.get("author") if isinstance(node.get("author"), dict) else {}
    stamp = text_field(node, "createdAt")
    body = node.get("body") if isinstance(node.get("body"), str) else None
    return Comment(
        comment_id=str(node["id"]).strip(),
        parent_id=parent,
        author=None if deleted else text_field(author, "username"),
        published_at=iso_utc(stamp),
        text="" if deleted else html_text(body),
        published_at_raw=stamp,
    )


def _connection(value: Any) -> tuple[list[Any], dict[str, Any]]:
    if not isinstance(value, dict) or not isinstance(value.get("edges"), list):
        raise WidgetFormatError("Coral's comments is not a connection")
    info = value.get("pageInfo") if isinstance(value.get("pageInfo"), dict) else {}
    return [e.get("node") if isinstance(e, dict) else None for e in value["edges"]], info


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One GraphQL answer: a page of the story's comments, or of one comment's replies."""
    data = load_json(body, "Coral")
    if not isinstance(data, dict):
        raise WidgetFormatError("Coral's answer is not an object")
    if data.get("errors"):
        raise WidgetFormatError(f"Coral refused the query: {str(data['errors'])[:200]}")
    result = data.get("data")
    if not isinstance(result, dict):
        raise WidgetFormatError("Coral's answer has no data")
    asked = dict(parse_qsl(urlsplit(url).query))
    parent = asked.get("parent") or None
    page = WidgetPage()
    if parent is None:
        story = result.get("story")
        if story is None:  # no story yet for this page: no comments
            page.stated_count = 0 if "after" not in asked else None
            return page
        if not isinstance(story, dict):
            raise WidgetFormatError("Coral's story is not an object")
        nodes, info = _connection(story.get("comments"))
        counts = story.get("commentCounts")
        if "after" not in asked and isinstance(counts, dict):
            total = counts.get("totalPublished")
            page.stated_count = total if isinstance(total, int) else None
    else:
        comment = result.get("comment")
        if not isinstance(comment, dict):
            raise WidgetFormatError("Coral's comment is missing")
        nodes, info = _connection(comment.get("replies"))
    if info.get("hasNextPage") is True and text_field(info, "endCursor"):
        page.next_requests.append(_url(ref, parent=parent, after=info["endCursor"]))
    for node in nodes:
        comment = _comment(node, parent)
        page.comments.append(comment)
        count = node.get("replyCount")
        if isinstance(count, int) and count > 0:
            page.next_requests.append(_url(ref, parent=comment.comment_id))
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse, request_body)
