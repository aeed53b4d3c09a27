"""Commento (self-hosted, https://gitlab.com/commento/commento; the same client and API in
its forks): a comment server whose script is served by the server itself.

The page holds ``<div id="commento">`` (``data-id-root`` on the script names another
element) and ``<script src="ORIGIN/js/commento.js">``; ``data-page-id`` on the script
names the thread, else the page's path
(``parent.location.pathname``). The client POSTs to ``ORIGIN/api/comment/list``.

**The format is inferred from Commento's source**, not from a running server:
``api/comment_list.go`` (``commentListHandler``), ``api/comment.go``, ``api/commenter.go``,
``api/page.go`` and ``frontend/js/commento.js`` (``commentsGet``) in adtac/commento::

    POST ORIGIN/api/comment/list   {"commenterToken": "anonymous", "domain": HOST, "path": PATH}
      -> {"success": true, "comments": [{"commentHex", "commenterHex", "markdown", "html",
            "parentHex" ("root" at the top level), "score", "creationDate" (RFC 3339),
            "deleted", ...}], "commenters": {HEX: {"name", "link", "photo", ...}},
          "attributes": {"commentCount", "isLocked", ...}, ...}

One answer holds the whole thread, in no particular order (the client sorts it); an
anonymous commenter's ``link`` is the string ``"undefined"``. The hosted service served
its script from ``cdn.`` + its origin's host: a ``cdn.`` host is read as its origin's.
A deleted comment (``"deleted": true``) is kept for its replies, without author or text.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ...items import Comment
from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import (
    Adapter,
    WidgetFormatError,
    WidgetPage,
    WidgetRef,
    WidgetRequest,
    html_text,
)

NAME = "commento"
_SCRIPT = re.compile(r"/js/commento\.js(?:[?#].*)?$")
# the client's own content type for its JSON bodies (frontend/js/commento.js, ``post``)
CONTENT_TYPE = "application/x-www-form-urlencoded"


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Commento on this page: its script and the element it fills (``#commento``, or the
    one its ``data-id-root`` names)."""
    ids = index.values("id")
    for script in index.tagged("script"):
        src = script.get("src")
        if not src or not _SCRIPT.search(src):
            continue
        if ((script.get("data-id-root") or "").strip() or "commento") not in ids:
            continue
        full = absolute_url(url, src)
        if full is None or not full.startswith(("http://", "https://")):
            continue
        parts = urlsplit(_SCRIPT.sub("", full))
        host = parts.netloc
        if host.lower().startswith("cdn."):
            host = host[4:]
        origin = urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))
        page = urlsplit(url)
        path = (script.get("data-page-id") or "").strip() or page.path or "/"
        return WidgetRef(NAME, origin + "/", path, url, (("domain", page.netloc),))
    return None


def first_request(ref: WidgetRef) -> WidgetRequest:
    body = {"commenterToken": "anonymous", "domain": ref.option("domain"), "path": ref.thread}
    return WidgetRequest(
        f"{ref.api_base}api/comment/list", json.dumps(body).encode("utf-8"), CONTENT_TYPE
    )


def _time(value: Any) -> str | None:
    moment = _moment(value)
    return None if moment is None else moment.astimezone(UTC).replace(microsecond=0).isoformat()


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _order(item: Any) -> datetime:
    """Oldest first (the answer's own order is the database's)."""
    moment = _moment(item.get("creationDate")) if isinstance(item, dict) else None
    return moment or _EPOCH


def _person(commenters: dict[str, Any], hex_id: Any) -> tuple[str | None, str | None]:
    person = commenters.get(hex_id) if isinstance(hex_id, str) else None
    if not isinstance(person, dict):
        return None, None
    name, link = person.get("name"), person.get("link")
    name = name.strip() or None if isinstance(name, str) else None
    link = link.strip() if isinstance(link, str) else ""
    return name, link if link and link != "undefined" else None


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """Commento's ``comment/list`` answer: the whole thread."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WidgetFormatError(f"Commento's answer is not JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("success") is not True:
        message = data.get("message") if isinstance(data, dict) else None
        raise WidgetFormatError(f"Commento refused: {message!r}")
    items = data.get("comments") or []
    commenters = data.get("commenters") or {}
    if not isinstance(items, list) or not isinstance(commenters, dict):
        raise WidgetFormatError("Commento's comments or commenters are not lists")
    page = WidgetPage()
    for item in sorted(items, key=_order):
        if not isinstance(item, dict) or not item.get("commentHex"):
            raise WidgetFormatError("a Commento comment without a commentHex")
        parent = item.get("parentHex")
        parent_id = str(parent) if parent and parent != "root" else None
        deleted = item.get("deleted") is True
        author, link = (None, None) if deleted else _person(commenters, item.get("commenterHex"))
        html = item.get("html") if isinstance(item.get("html"), str) and not deleted else None
        stamp = item.get("creationDate")
        page.comments.append(
            Comment(
                comment_id=str(item["commentHex"]),
                parent_id=parent_id,
                author=author,
                published_at=_time(stamp),
                text=html_text(html),
                depth=1 if parent_id is None else 2,
                published_at_raw=stamp if isinstance(stamp, str) else None,
                author_url=link,
            )
        )
    attributes = data.get("attributes")
    if isinstance(attributes, dict) and isinstance(attributes.get("commentCount"), int):
        page.stated_count = attributes["commentCount"]
    return page


ADAPTER = Adapter(NAME, detect, first_request, parse)
