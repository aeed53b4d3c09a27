"""Remark42 (https://remark42.com/): a self-hosted comment engine.

The page sets ``var remark_config = {host: 'REMARK_URL', site_id: 'SITE', url: 'PAGE'}``
in an inline script, loads ``REMARK_URL/web/embed.js`` (or ``.mjs``) and holds
``<div id="remark42">``. Without ``site_id`` the backend's default site is ``remark``;
without ``url`` the client uses ``location.origin + location.pathname``.

The format, from Remark42's documentation (``site/src/docs/api/commenting/index.md`` and
``site/src/docs/configuration/frontend/index.md`` in umputun/remark42; not tested against
a Remark42 server here, only against a local server speaking that documented format)::

    GET REMARK_URL/api/v1/find?site=SITE&url=PAGE&sort=time&format=tree
      -> {"comments": [{"comment": Comment, "replies": [Node, ...]}, ...],
          "info": {"url", "count", "read_only", "first_time", "last_time"}}
    Comment = {"id", "pid", "text" (HTML, after Markdown), "orig", "user": {"name",
               "id", "picture", ...}, "locator": {"site", "url"}, "score", "time"
               (RFC 3339), "edit", "pin", "delete", "title"}

One answer holds the whole tree (replies at any depth, sorted by time); ``info.count`` is
the post's comment count. Times are Go's RFC 3339 (up to nanoseconds), read as UTC. A
deleted comment (``"delete": true``, its user renamed ``deleted``) is kept for its
replies, without author or text.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from ...items import Comment
from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import iso_utc

NAME = "remark42"
_CONFIG = re.compile(r"\bremark_config\s*=\s*\{(?P<body>.*?)\}", re.S)
_KEY = r"""(?:^|[,{{\s])['"]?{name}['"]?\s*:\s*(['"`])(?P<value>(?:(?!\1).)*)\1"""
_EMBED_SRC = re.compile(r"/web/embed\.m?js(?:[?#].*)?$")
DEFAULT_SITE = "remark"


def _setting(body: str, name: str) -> str | None:
    match = re.search(_KEY.format(name=re.escape(name)), body, re.S)
    return match.group("value").strip() if match else None


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Remark42 on this page: its node and its ``remark_config`` (or embed script)."""
    if "remark42" not in index.values("id"):
        return None
    host: str | None = None
    site: str | None = None
    page: str | None = None
    for script in index.tagged("script"):
        src = script.get("src")
        if src and _EMBED_SRC.search(src) and host is None:
            host = _EMBED_SRC.sub("", src)
        found = _CONFIG.search(script.text or "")
        if found:
            body = found.group("body")
            host = _setting(body, "host") or host
            site = _setting(body, "site_id")
            page = _setting(body, "url")
    if not host:
        return None
    api = absolute_url(url, host.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    if not page:
        parts = urlsplit(url)
        page = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return WidgetRef(NAME, api, page, url, (("site", site or DEFAULT_SITE),))


def first_request(ref: WidgetRef) -> str:
    query = {"site": ref.option("site") or DEFAULT_SITE, "url": ref.thread}
    query.update({"sort": "time", "format": "tree"})
    return f"{ref.api_base}api/v1/find?{urlencode(query)}"


def _nodes(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
        raise WidgetFormatError("Remark42's comments is not a list of nodes")
    return value


def _comment(node: dict[str, Any], parent: str | None, depth: int) -> Comment:
    data = node.get("comment")
    if not isinstance(data, dict) or not data.get("id"):
        raise WidgetFormatError("a Remark42 node without a comment id")
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    deleted = data.get("delete") is True
    name = None if deleted else user.get("name")
    text = data.get("text") if isinstance(data.get("text"), str) and not deleted else None
    pid = data.get("pid")
    stamp = data.get("time")
    return Comment(
        comment_id=str(data["id"]),
        parent_id=str(pid) if pid else parent,
        author=name.strip() or None if isinstance(name, str) else None,
        published_at=iso_utc(stamp),
        text=html_text(text),
        depth=depth,
        published_at_raw=stamp if isinstance(stamp, str) else None,
    )


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """Remark42's ``find`` answer in tree format: the whole thread at once."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WidgetFormatError(f"Remark42's answer is not JSON: {exc}") from exc
    if not isinstance(data, dict) or "comments" not in data:
        raise WidgetFormatError("Remark42's answer has no comments")
    page = WidgetPage()
    stack = [(node, None, 1) for node in reversed(_nodes(data["comments"]))]
    while stack:
        node, parent, depth = stack.pop()
        comment = _comment(node, parent, depth)
        page.comments.append(comment)
        replies = _nodes(node.get("replies"))
        stack.extend((r, comment.comment_id, depth + 1) for r in reversed(replies))
    info = data.get("info")
    if isinstance(info, dict) and isinstance(info.get("count"), int):
        page.stated_count = info["count"]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
