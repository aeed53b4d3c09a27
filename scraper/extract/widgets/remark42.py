"""Remark42 (https://remark42.com/): a self-hosted comment engine (Go).

The page sets ``var remark_config = {host: "https://remark42.example.com", site_id:
"remark", url: "…"}`` in an inline script, loads ``HOST/web/embed.js`` and holds an element
``id="remark42"``. ``site_id`` defaults to ``"remark"``, ``url`` (the thread's key) to the
page's ``location.origin + location.pathname``.

The API, as Remark42's own documentation states it (``site/src/docs/contributing/api``,
"This is the primary call used by UI to show comments")::

    GET HOST/api/v1/find?site=SITE&url=URL&sort=time&format=tree
      -> {"comments": [{"comment": {"id", "pid", "text" (HTML), "user": {"name", "id",
             "picture", …}, "locator": {"site", "url"}, "score", "time" (RFC 3339),
             "delete", "pin", "title", …}, "replies": [ {"comment", "replies"}, … ]}, …],
          "info": {"url", "count", "first_time", "last_time", "read_only"}}

One answer holds the whole thread (no pagination), nested to any depth. With
``format=plain`` the answer is the same ``{"comments", "info"}`` with a flat list of
comments (their ``pid`` gives the tree); both are read. ``info.count`` is the count kept.
A deleted comment the thread keeps (for its replies) has ``delete: true`` and is archived
with empty text and no author, as the widget shows it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from ...items import Comment
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import iso_utc, load_json, script_setting, text_field

NAME = "remark42"
_DEFAULT_SITE = "remark"


def detect(tree: HtmlElement, url: str) -> WidgetRef | None:
    """Remark42 on this page: an element ``id="remark42"`` and a ``remark_config`` that
    names the server (``host``)."""
    if not tree.xpath("//*[@id='remark42']"):
        return None
    host = script_setting(tree, "remark_config", "host")
    if not host:
        return None
    api = absolute_url(url, host.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    site = script_setting(tree, "remark_config", "site_id") or _DEFAULT_SITE
    page = urlsplit(url)
    thread = script_setting(tree, "remark_config", "url") or urlunsplit(
        (page.scheme, page.netloc, page.path or "/", "", "")
    )
    return WidgetRef(NAME, api, thread, url, (("site", site),))


def first_request(ref: WidgetRef) -> str:
    query = {
        "site": ref.option("site") or _DEFAULT_SITE,
        "url": ref.thread,
        "sort": "time",
        "format": "tree",
    }
    return f"{ref.api_base}api/v1/find?{urlencode(query)}"


def _comment(item: Any) -> Comment:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
        raise WidgetFormatError("a Remark42 comment without an id")
    deleted = item.get("delete") is True
    user = item.get("user") if isinstance(item.get("user"), dict) else {}
    stamp = text_field(item, "time")
    text = item.get("text") if isinstance(item.get("text"), str) else None
    return Comment(
        comment_id=item["id"],
        parent_id=text_field(item, "pid"),
        author=None if deleted else text_field(user, "name"),
        published_at=iso_utc(stamp),
        text="" if deleted else html_text(text),
        published_at_raw=stamp,
    )


def _nodes(nodes: Any, out: list[Comment]) -> None:
    if not isinstance(nodes, list):
        raise WidgetFormatError("Remark42's comments is not a list")
    for node in nodes:
        if not isinstance(node, dict):
            raise WidgetFormatError("a Remark42 node is not an object")
        if "comment" in node:  # tree format: {"comment", "replies"}
            out.append(_comment(node["comment"]))
            _nodes(node.get("replies") or [], out)
        else:  # plain format: the comment itself
            out.append(_comment(node))


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One answer of ``GET /api/v1/find`` (tree or plain)."""
    data = load_json(body, "Remark42")
    if isinstance(data, list):  # plain format as the documentation describes it: a list
        data = {"comments": data}
    if not isinstance(data, dict) or "comments" not in data:
        raise WidgetFormatError("Remark42's answer has no comments")
    page = WidgetPage()
    _nodes(data["comments"] or [], page.comments)
    info = data.get("info")
    if isinstance(info, dict) and isinstance(info.get("count"), int):
        page.stated_count = info["count"]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
