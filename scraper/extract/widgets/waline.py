"""Waline (https://waline.js.org/, ``@waline/vercel`` server, ``@waline/client``).

The page calls the client's ``init({el: "#waline", serverURL: "https://…", path, pageSize,
…})`` (``Waline.init`` in client v2, an ES module ``import {init} from
'…/@waline/client@v3/…'`` in v3) and holds the element ``el`` names. ``path`` defaults to
``location.pathname``, ``pageSize`` to 10.

The API, as the clients call it (``@waline/client`` 2.x ``src/api/comment.ts``,
``@waline/api`` for 3.x) and the server answers it (``packages/server/src/controller/
comment.js``, ``getCommentList``)::

    GET SERVER/api/comment?path=P&pageSize=N&page=K&lang=en&sortBy=insertedAt_asc   (v3)
      -> {"errno": 0, "errmsg": "", "data": {"count", "page", "pageSize", "totalPages",
                                             "data": [COMMENT, …]}}
    GET SERVER/comment?path=P&pageSize=N&page=K&sortBy=insertedAt_asc                (v2)
      -> {"count", "page", "pageSize", "totalPages", "data": [COMMENT, …]}
    COMMENT = {"objectId", "nick", "link", "comment" (HTML), "time" (ms), "insertedAt",
               "pid", "rid", "status", "sticky", "like", "children": [COMMENT, …]}

A page of the answer is ``pageSize`` top-level comments, each with every reply under it
(``children``: ``rid`` the top-level comment, ``pid`` the comment replied to). ``count``
is every comment of the thread (kept as the stated count), ``totalPages`` the pages of top
level comments: the first page's answer asks for the others.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml.html import HtmlElement

from ...items import Comment
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import code_setting, iso_utc, load_json, millis_iso, text_field

NAME = "waline"
_DEFAULT_PAGE_SIZE = 10
_MAX_PAGE_SIZE = 100
# the client's major version where the page names it (a CDN address, an import)
_CLIENT = re.compile(r"@waline/client@v?(\d+)|/waline@(\d+)|waline/(\d+)\.")
_PAGE_SIZE = re.compile(r"""["']?pageSize["']?\s*:\s*(\d+)""")


def _init_code(tree: HtmlElement) -> str | None:
    for script in tree.iter("script"):
        code = script.text or ""
        if not script.get("src") and "init(" in code and "serverURL" in code:
            return code
    return None


def _client_major(tree: HtmlElement, code: str) -> int | None:
    for text in [code, *(s.get("src") or "" for s in tree.iter("script"))]:
        found = _CLIENT.search(text)
        if found:
            return int(next(g for g in found.groups() if g))
    return None


def detect(tree: HtmlElement, url: str) -> WidgetRef | None:
    """Waline on this page: the client's ``init`` with a ``serverURL``, the element its
    ``el`` names, and the client named by a script address or import."""
    code = _init_code(tree)
    if (
        code is None
        or "waline" not in (code + "".join(s.get("src") or "" for s in tree.iter("script"))).lower()
    ):
        return None
    server = code_setting(code, "init(", "serverURL")
    selector = code_setting(code, "init(", "el") or "#waline"
    if not server or not selector.startswith("#"):
        return None
    if not tree.xpath("//*[@id=$id]", id=selector[1:]):
        return None
    api = absolute_url(url, server.rstrip("/") + "/")
    if api is None or not api.startswith(("http://", "https://")):
        return None
    thread = code_setting(code, "init(", "path") or urlsplit(url).path or "/"
    size = _PAGE_SIZE.search(code)
    page_size = min(int(size.group(1)), _MAX_PAGE_SIZE) if size else _DEFAULT_PAGE_SIZE
    major = _client_major(tree, code)
    route = "comment" if major is not None and major < 3 else "api/comment"
    options = (("page_size", str(max(page_size, 1))), ("route", route))
    return WidgetRef(NAME, api, thread, url, options)


def _url(ref: WidgetRef, page: int) -> str:
    query = {
        "path": ref.thread,
        "pageSize": ref.option("page_size") or str(_DEFAULT_PAGE_SIZE),
        "page": str(page),
        "lang": "en",
        "sortBy": "insertedAt_asc",
    }
    return f"{ref.api_base}{ref.option('route') or 'api/comment'}?{urlencode(query)}"


def first_request(ref: WidgetRef) -> str:
    return _url(ref, 1)


def _id(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    text = str(value).strip()
    return text or None


def _comment(item: Any, parent: str | None) -> Comment:
    if not isinstance(item, dict) or _id(item.get("objectId")) is None:
        raise WidgetFormatError("a Waline comment without an objectId")
    time = item.get("time")
    stamp = millis_iso(time)
    raw = None if stamp is None else str(time)
    if stamp is None:
        raw = text_field(item, "insertedAt")
        stamp = iso_utc(raw)
    html = item.get("comment") if isinstance(item.get("comment"), str) else None
    return Comment(
        comment_id=_id(item["objectId"]) or "",
        parent_id=_id(item.get("pid")) or parent,
        author=text_field(item, "nick"),
        published_at=stamp,
        text=html_text(html),
        published_at_raw=raw,
        author_url=text_field(item, "link"),
    )


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One page of ``GET /api/comment`` (v3, wrapped) or ``GET /comment`` (v2, bare)."""
    data = load_json(body, "Waline")
    if isinstance(data, dict) and "errno" in data:
        if data.get("errno") != 0:
            raise WidgetFormatError(f"Waline refused: {data.get('errmsg')!r}")
        data = data.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise WidgetFormatError("Waline's answer has no comment list")
    page = WidgetPage()
    for item in data["data"]:
        top = _comment(item, None)
        top.parent_id = None
        page.comments.append(top)
        children = item.get("children") or []
        if not isinstance(children, list):
            raise WidgetFormatError("Waline's children is not a list")
        replies = [_comment(child, top.comment_id) for child in children]
        # the server lists them newest first or not, by storage: read them by time
        replies.sort(key=lambda c: c.published_at or "")
        page.comments.extend(replies)
    asked = dict(parse_qsl(urlsplit(url).query))
    if asked.get("page", "1") == "1":
        if isinstance(data.get("count"), int):
            page.stated_count = data["count"]
        pages = data.get("totalPages")
        if isinstance(pages, int) and not isinstance(pages, bool):
            page.next_requests = [_url(ref, n) for n in range(2, min(pages, 500) + 1)]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
