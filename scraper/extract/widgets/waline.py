"""Waline (https://waline.js.org/): a comment server (``@waline/vercel``) and its client.

The page loads the client (``@waline/client``) and calls ``Waline.init({el: '#waline',
serverURL: 'https://…', path: …})`` in an inline script (``init`` imported from the
module in client v3) and holds the element ``el`` names; without ``path`` the client
uses ``location.pathname``. Client v3 asks ``SERVER/api/comment``; client v2 (named by
its script address or import, ``@waline/client@v2``) asks ``SERVER/comment`` (its
``src/api/comment.ts``), the route servers of its time answer, bare (not wrapped).

**The answer's format is inferred** from the server's source, not from a running
server: ``packages/server/src/controller/comment.js`` (``getCommentList``, ``formatCmt``)
and ``rest.js`` in walinejs/waline, and the parameters from its API page
(``docs/src/en/reference/server/api.md``)::

    GET SERVER/api/comment?path=PATH&page=N&pageSize=S&sortBy=insertedAt_asc
      -> {"errno": 0, "errmsg": "", "data": {"page", "totalPages", "pageSize", "count",
            "data": [{"objectId", "nick", "link", "comment" (HTML), "time" (ms),
                      "pid", "rid", "sticky", "like", "children": [...]}, ...]}}

Top-level comments come ``pageSize`` at a time; each carries every comment under it in
``children`` (``rid`` the top-level id, ``pid`` the comment replied to). ``count`` counts
every approved comment of the path. Older servers answer the inner object alone. Ids
are strings or numbers by storage (LeanCloud's strings, SQLite's and MySQL's integers);
a comment without ``time`` is dated by its ``insertedAt``.
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
from .shared import iso_utc

NAME = "waline"
PAGE_SIZE = 50
_INIT = re.compile(r"\binit\s*\(\s*\{(?P<body>.*?)\}\s*\)", re.S)
_KEY = r"""(?:^|[,{{\s])['"]?{name}['"]?\s*:\s*(['"`])(?P<value>(?:(?!\1).)*)\1"""
# the client's major version where the page names it (a CDN address, an import)
_CLIENT = re.compile(r"@waline/client@v?(\d+)|/waline@(\d+)|waline/(\d+)\.")


def _setting(body: str, name: str) -> str | None:
    match = re.search(_KEY.format(name=re.escape(name)), body, re.S)
    return match.group("value").strip() if match else None


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Waline on this page: an inline ``Waline.init({serverURL: …})`` (or ``init`` of the
    ``@waline/client`` module)."""
    for script in index.tagged("script"):
        code = script.text or ""
        if "serverURL" not in code or ("Waline" not in code and "@waline/" not in code):
            continue
        found = _INIT.search(code)
        if not found:
            continue
        server = _setting(found.group("body"), "serverURL")
        if not server:
            continue
        api = absolute_url(url, server.rstrip("/") + "/")
        if api is None or not api.startswith(("http://", "https://")):
            continue
        selector = _setting(found.group("body"), "el") or "#waline"
        if selector.startswith("#") and selector[1:] not in index.values("id"):
            continue  # the element the client fills is not on the page
        path = _setting(found.group("body"), "path") or urlsplit(url).path or "/"
        major = _client_major(index, code)
        route = "comment" if major is not None and major < 3 else "api/comment"
        return WidgetRef(NAME, api, path, url, (("route", route),))
    return None


def _client_major(index: PageIndex, code: str) -> int | None:
    for text in [code, *(s.get("src") or "" for s in index.tagged("script"))]:
        found = _CLIENT.search(text)
        if found:
            return int(next(g for g in found.groups() if g))
    return None


def _url(ref: WidgetRef, page: int) -> str:
    query = {"path": ref.thread, "page": page, "pageSize": PAGE_SIZE}
    query["sortBy"] = "insertedAt_asc"
    return f"{ref.api_base}{ref.option('route') or 'api/comment'}?{urlencode(query)}"


def first_request(ref: WidgetRef) -> str:
    return _url(ref, 1)


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _id(value: Any) -> str | None:
    """An id as the storage gives it: a string, or an integer (SQL storages)."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return str(value).strip() or None


def _comment(item: Any, root: str | None) -> Comment:
    if not isinstance(item, dict) or _id(item.get("objectId")) is None:
        raise WidgetFormatError("a Waline comment without an objectId")
    parent = _id(item.get("pid")) or _id(item.get("rid")) or root
    stamp = item.get("time")
    if isinstance(stamp, int | float) and not isinstance(stamp, bool):
        published, raw = timestamp_iso(stamp / 1000), str(stamp)
    else:
        raw = _str(item.get("insertedAt"))
        published = iso_utc(raw)
    return Comment(
        comment_id=_id(item["objectId"]) or "",
        parent_id=parent,
        author=_str(item.get("nick")),
        published_at=published,
        text=html_text(item.get("comment") if isinstance(item.get("comment"), str) else None),
        depth=1 if parent is None else 2,
        published_at_raw=raw,
        author_url=_str(item.get("link")),
    )


def _time(item: Any) -> float:
    stamp = item.get("time") if isinstance(item, dict) else None
    return float(stamp) if isinstance(stamp, int | float) else 0.0


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One page of Waline's comment list."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WidgetFormatError(f"Waline's answer is not JSON: {exc}") from exc
    if isinstance(data, dict) and "errno" in data:
        if data.get("errno") != 0:
            raise WidgetFormatError(f"Waline refused: {data.get('errmsg')!r}")
        data = data.get("data")
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise WidgetFormatError("Waline's answer has no comment list")
    page = WidgetPage()
    for item in data["data"]:
        top = _comment(item, None)
        page.comments.append(top)
        children = item.get("children") or []
        if not isinstance(children, list):
            raise WidgetFormatError("Waline's children is not a list")
        page.comments.extend(_comment(c, top.comment_id) for c in sorted(children, key=_time))
    asked = dict(parse_qsl(urlsplit(url).query))
    number = int(asked["page"]) if asked.get("page", "").isdigit() else 1
    total = data.get("totalPages")
    if isinstance(total, int) and number < total and data["data"]:
        page.next_requests.append(_url(ref, number + 1))
    if number == 1 and isinstance(data.get("count"), int):
        page.stated_count = data["count"]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
