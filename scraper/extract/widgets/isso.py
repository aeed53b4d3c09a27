"""Isso (https://isso-comments.de/, ``pip install isso``): a self-hosted comment server.

The page embeds ``<script data-isso="API/" src="API/js/embed.min.js">`` and an element
``id="isso-thread"`` (``data-isso-id`` names the thread; without it the thread is the
page's path, ``location.pathname``). Without ``data-isso`` the client takes the API root
from the embed script's address. ``data-isso-*`` attributes on the scripts configure the
client; we read the three that decide its requests.

The API, read the way the embed reads it (Isso 0.13/0.14 ``views/comments.py`` ``fetch``
and ``js/app/api.js``, ``js/app/isso.js``)::

    GET API/?uri=THREAD&sort=oldest[&limit=TOP][&nested_limit=NESTED]
      -> {"id": null, "total_replies": ALL, "hidden_replies": H, "replies": [
             {"id", "parent", "created", "modified", "mode", "text" (HTML), "author",
              "website", "likes", "dislikes", "total_replies", "hidden_replies",
              "replies": [...]}, ...]}
    GET API/?uri=THREAD&sort=oldest&parent=ID&limit=N&offset=K    (the next replies)
    GET API/?uri=THREAD&sort=oldest&limit=N&offset=K              (the next top level)

``total_replies`` of the root answer is every comment of the thread (what we keep as the
stated count); ``hidden_replies`` is how many of a level were left out, which the embed
fetches with ``limit=reveal-on-click`` and an ``offset``. Isso keeps threads two levels
deep (a reply to a reply is stored under the top-level comment). ``created`` is a Unix
time; a deleted comment that has replies stays with empty text (``mode`` 4).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from ...items import Comment
from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text, timestamp_iso

NAME = "isso"
_EMBED_SRC = re.compile(r"/js/embed(?:\.min|\.dev)?\.js(?:[?#].*)?$")
# the client's defaults (js/app/default_config.js)
_DEFAULTS = {"max-comments-top": "inf", "max-comments-nested": "5", "reveal-on-click": "5"}
# a page asking for more than this per request is asked for this many at a time
_MAX_LIMIT = 1000


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Isso on this page: a thread element and the embed script (or a ``data-isso``)."""
    holders = index.values("id").get("isso-thread")
    if not holders:
        return None
    endpoint: str | None = None
    embed_src: str | None = None
    options = dict(_DEFAULTS)
    for script in index.tagged("script"):
        if endpoint is None and script.get("data-isso") is not None:
            endpoint = script.get("data-isso")
        src = script.get("src")
        if src and _EMBED_SRC.search(src):
            embed_src = src
        for name, value in script.attrib.items():
            key = name.lower()
            if key.startswith("data-isso-") and key[10:] in _DEFAULTS:
                options[key[10:]] = value.strip()
    if not endpoint:
        if embed_src is None:
            return None
        endpoint = _EMBED_SRC.sub("", embed_src)
    api = absolute_url(url, endpoint.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    thread = (holders[0].get("data-isso-id") or "").strip() or urlsplit(url).path or "/"
    return WidgetRef(NAME, api, thread, url, tuple(sorted(options.items())))


def _limit(ref: WidgetRef, name: str) -> int | None:
    """A client setting as a page size: None for ``inf`` (everything at once)."""
    value = ref.option(name) or _DEFAULTS[name]
    if value == "inf":
        return None
    try:
        number = int(value)
    except ValueError:
        number = int(_DEFAULTS[name]) if _DEFAULTS[name] != "inf" else 0
    if number <= 0:
        return None if name == "max-comments-top" else int(_DEFAULTS["reveal-on-click"])
    return min(number, _MAX_LIMIT)


def _url(ref: WidgetRef, **params: int | str | None) -> str:
    query = [("uri", ref.thread), ("sort", "oldest")]
    query.extend((k, str(v)) for k, v in params.items() if v is not None)
    return f"{ref.api_base}?{urlencode(query)}"


def first_request(ref: WidgetRef) -> str:
    return _url(
        ref,
        limit=_limit(ref, "max-comments-top"),
        nested_limit=_limit(ref, "max-comments-nested"),
    )


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _comment(item: dict[str, Any], parent: str | None) -> Comment:
    if "id" not in item:
        raise WidgetFormatError("an Isso comment without an id")
    own_parent = item.get("parent")
    parent_id = str(own_parent) if own_parent is not None else parent
    created = item.get("created")
    author = item.get("author")
    website = item.get("website")
    return Comment(
        comment_id=str(item["id"]),
        parent_id=parent_id,
        author=author.strip() or None if isinstance(author, str) else None,
        published_at=timestamp_iso(created),
        text=html_text(item.get("text") if isinstance(item.get("text"), str) else None),
        depth=1 if parent_id is None else 2,
        published_at_raw=None if created is None else str(created),
        author_url=website.strip() or None if isinstance(website, str) else None,
    )


def _replies(data: dict[str, Any]) -> list[dict[str, Any]]:
    replies = data.get("replies", [])
    if not isinstance(replies, list) or not all(isinstance(r, dict) for r in replies):
        raise WidgetFormatError("Isso's replies is not a list of comments")
    return replies


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One answer of Isso's ``GET /?uri=`` (``url`` is the request that got it)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WidgetFormatError(f"Isso's answer is not JSON: {exc}") from exc
    if not isinstance(data, dict) or "replies" not in data:
        raise WidgetFormatError("Isso's answer has no replies")
    asked = dict(parse_qsl(urlsplit(url).query))
    parent = asked.get("parent")
    offset = int(asked["offset"]) if asked.get("offset", "").isdigit() else 0
    reveal = _limit(ref, "reveal-on-click")
    page = WidgetPage()
    replies = _replies(data)
    for item in replies:
        comment = _comment(item, parent)
        page.comments.append(comment)
        nested = _replies(item)
        page.comments.extend(_comment(reply, comment.comment_id) for reply in nested)
        if parent is None and _int(item.get("hidden_replies")) > 0:
            page.next_requests.append(
                _url(ref, parent=comment.comment_id, limit=reveal, offset=len(nested))
            )
    if _int(data.get("hidden_replies")) > 0 and replies:
        params: dict[str, int | str | None] = {"limit": reveal, "offset": offset + len(replies)}
        if parent is None:
            params["nested_limit"] = _limit(ref, "max-comments-nested")
            page.next_requests.insert(0, _url(ref, **params))
        else:
            page.next_requests.insert(0, _url(ref, parent=parent, **params))
    if parent is None and offset == 0 and isinstance(data.get("total_replies"), int):
        page.stated_count = data["total_replies"]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
