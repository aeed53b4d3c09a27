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
asked for, so threads of any depth are read whole. Each request is a POST of the query
(a :class:`WidgetRequest`); its URL also carries which page it is for
(``?parent=ID&after=CURSOR``, a query string Coral ignores), since an answer is read
knowing only the URL it came from. Coral's own embed sends persisted query ids, not query text; a
server that refuses raw queries (Coral in production without its reduced-security mode)
answers ``errors``, and the thread is then partial.

Coral Talk 4 (the older embed: ``Coral.Talk.render(document.getElementById(
"coral_talk_stream"), {talk: "https://talk.example.com/", asset_id, asset_url})``) has
its own schema (``graph/typeDefs.graphql`` of Talk 4): ``RootQuery.asset(id, url)`` with
``Asset.comments(query: {limit, cursor, sortOrder, sortBy})`` (top level) and
``Asset.totalCommentCount``, ``RootQuery.comments(query: {parent_id, …})`` for replies,
``Comment.{id, body, created_at, replyCount, user {username}}``, ``CommentConnection.
{nodes, hasNextPage, endCursor}``; its client sent query text, at ``TALK/api/v1/graph/ql``
(the path is inferred from the Talk 4 client, not from a document).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ...items import Comment
from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, WidgetRequest, html_text
from .shared import JS_COMMENT, iso_utc, load_json, page_thread_url, script_setting, text_field

NAME = "coral"
_HOLDER = "createStreamEmbed"
_PAGE_SIZE = 50
CONTENT_TYPE = "application/json"

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

_V4_FIELDS = "id body created_at replyCount user { username }"
_V4_CONNECTION = f"hasNextPage endCursor nodes {{ {_V4_FIELDS} }}"
_V4_ORDER = "sortOrder: ASC, sortBy: CREATED_AT"
V4_ASSET_QUERY = (
    "query ArchiveAsset($id: ID, $url: String, $limit: Int!, $cursor: Cursor) {"
    " asset(id: $id, url: $url) { id totalCommentCount"
    f" comments(query: {{limit: $limit, cursor: $cursor, {_V4_ORDER}}}) {{ {_V4_CONNECTION} }} }} }}"
)
V4_REPLIES_QUERY = (
    "query ArchiveReplies($parent: ID!, $limit: Int!, $cursor: Cursor) {"
    f" comments(query: {{parent_id: $parent, limit: $limit, cursor: $cursor, {_V4_ORDER}}})"
    f" {{ {_V4_CONNECTION} }} }}"
)
_V4_RENDER = re.compile(r"Talk\.render\(\s*document\.getElementById\(\s*(['\"])(.+?)\1")
_V4_KEY = r"""(?:^|[\s{{,])["']?{name}["']?\s*:\s*(["'])(.*?)\1"""


def _talk4(index: PageIndex, url: str) -> WidgetRef | None:
    """Coral Talk 4: ``Coral.Talk.render(element, {talk: ROOT, …})`` in an inline script or
    the embed script's ``onload`` (the settings may be an object built before the call,
    in the same script)."""
    for script in index.tagged("script"):
        # the install snippet calls it from the embed script's onload attribute
        code = JS_COMMENT.sub("", (script.text or "") + "\n" + (script.get("onload") or ""))
        if "Talk.render(" not in code:
            continue
        settings = {}
        for name in ("talk", "asset_id", "asset_url"):
            found = re.search(_V4_KEY.format(name=name), code)
            settings[name] = found.group(2).strip() if found else ""
        holder = _V4_RENDER.search(code)
        element = holder.group(2) if holder else "coral_talk_stream"
        if not settings["talk"] or element not in index.values("id"):
            continue
        api = absolute_url(url, settings["talk"].rstrip("/") + "/")
        if api is None or not api.startswith(("http://", "https://")):
            continue
        if settings["asset_id"]:
            return WidgetRef(NAME, api, settings["asset_id"], url, (("api", "4"), ("by", "id")))
        story = settings["asset_url"] or page_thread_url(index, url)
        return WidgetRef(NAME, api, story, url, (("api", "4"), ("by", "url")))
    return None


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Coral on this page: ``createStreamEmbed`` with a ``rootURL`` and its element, or
    Talk 4's ``Coral.Talk.render`` with a ``talk`` root."""
    root = script_setting(index, _HOLDER, "rootURL")
    if not root:
        return _talk4(index, url)
    holder = script_setting(index, _HOLDER, "id") or "coral_thread"
    if holder not in index.values("id"):
        return None
    api = absolute_url(url, root.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    story_id = script_setting(index, _HOLDER, "storyID")
    if story_id:
        return WidgetRef(NAME, api, story_id, url, (("by", "id"),))
    story_url = script_setting(index, _HOLDER, "storyURL") or page_thread_url(index, url)
    return WidgetRef(NAME, api, story_url, url, (("by", "url"),))


def _url(ref: WidgetRef, **params: str | None) -> str:
    query = urlencode([(k, v) for k, v in params.items() if v])
    path = "api/v1/graph/ql" if ref.option("api") == "4" else "api/graphql"
    return f"{ref.api_base}{path}" + (f"?{query}" if query else "")


def _request(ref: WidgetRef, parent: str | None = None, after: str | None = None) -> WidgetRequest:
    """The POST asking for a page of the story's comments (``parent`` None) or of one
    comment's replies, from ``after`` (a cursor) on."""
    url = _url(ref, parent=parent, after=after)
    return WidgetRequest(url, _body(ref, url), CONTENT_TYPE)


def first_request(ref: WidgetRef) -> WidgetRequest:
    return _request(ref)


def _body(ref: WidgetRef, url: str) -> bytes:
    """The GraphQL query for the page ``url`` stands for."""
    asked = dict(parse_qsl(urlsplit(url).query))
    if ref.option("api") == "4":
        return _talk4_body(ref, asked)
    variables: dict[str, Any] = {"first": _PAGE_SIZE, "after": asked.get("after")}
    if asked.get("parent"):
        variables["parent"] = asked["parent"]
        body = {"query": REPLIES_QUERY, "variables": variables}
    else:
        variables["id" if ref.option("by") == "id" else "url"] = ref.thread
        body = {"query": STORY_QUERY, "variables": variables}
    return json.dumps(body).encode("utf-8")


def _talk4_body(ref: WidgetRef, asked: dict[str, str]) -> bytes:
    variables: dict[str, Any] = {"limit": _PAGE_SIZE, "cursor": asked.get("after")}
    if asked.get("parent"):
        variables["parent"] = asked["parent"]
        body = {"query": V4_REPLIES_QUERY, "variables": variables}
    else:
        variables["id" if ref.option("by") == "id" else "url"] = ref.thread
        body = {"query": V4_ASSET_QUERY, "variables": variables}
    return json.dumps(body).encode("utf-8")


def _talk4_node(node: Any) -> Any:
    """A Talk 4 comment in the shape of a current one."""
    if not isinstance(node, dict):
        return node
    user = node.get("user")
    return {**node, "createdAt": node.get("created_at"), "author": user}


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
    if ref.option("api") == "4":
        return _talk4_page(result, ref, asked, parent)
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
    _read(page, ref, parent, nodes, info)
    return page


def _read(
    page: WidgetPage, ref: WidgetRef, parent: str | None, nodes: list[Any], info: dict[str, Any]
) -> None:
    """A page of comments: each read, its replies asked for, the next page asked for."""
    if info.get("hasNextPage") is True and text_field(info, "endCursor"):
        page.next_requests.append(_request(ref, parent=parent, after=info["endCursor"]))
    for node in nodes:
        comment = _comment(node, parent)
        page.comments.append(comment)
        count = node.get("replyCount")
        if isinstance(count, int) and count > 0:
            page.next_requests.append(_request(ref, parent=comment.comment_id))


def _talk4_page(
    result: dict[str, Any], ref: WidgetRef, asked: dict[str, str], parent: str | None
) -> WidgetPage:
    page = WidgetPage()
    if parent is None:
        asset = result.get("asset")
        if asset is None:
            page.stated_count = 0 if "after" not in asked else None
            return page
        if not isinstance(asset, dict):
            raise WidgetFormatError("Coral's asset is not an object")
        connection = asset.get("comments")
        if "after" not in asked and isinstance(asset.get("totalCommentCount"), int):
            page.stated_count = asset["totalCommentCount"]
    else:
        connection = result.get("comments")
    if not isinstance(connection, dict) or not isinstance(connection.get("nodes"), list):
        raise WidgetFormatError("Coral's comments is not a connection")
    nodes = [_talk4_node(n) for n in connection["nodes"]]
    _read(page, ref, parent, nodes, connection)
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
