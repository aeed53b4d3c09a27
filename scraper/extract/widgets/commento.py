"""Commento (https://commento.io/, self-hosted or hosted): a comment server (Go).

The page loads ``<script src="ORIGIN/js/commento.js">`` and holds ``<div id="commento">``
(``data-id-root`` on the script names another element). The script's
``data-page-id`` names the thread; without it the thread is the page's path
(``location.pathname``). The server writes its own origin into the script it serves
(``commento.origin = "[[[.Origin]]]"``), which the page does not show: we take the
script's origin as the API's, as a self-hosted server serves both (inferred; the hosted
service's CDN host ``cdn.commento.io`` answers for ``commento.io``).

The API, as the embed calls it (``frontend/js/commento.js``, ``commentsGet``)::

    POST ORIGIN/api/comment/list
      {"commenterToken": "anonymous", "domain": location.host, "path": THREAD}
      -> {"success": true, "requireIdentification", "isModerator", "isFrozen",
          "attributes": {"isLocked", "stickyCommentHex", …},
          "comments": [{"commentHex", "commenterHex", "markdown", "html", "parentHex"
                        ("root" at the top level), "score", "state", "creationDate"
                        (RFC 3339), "deleted", …}, …],
          "commenters": {HEX: {"commenterHex", "name", "link", "photo", …}, …}}

One answer holds the whole thread, in no particular order: replies are put under their
parents by ``parentHex`` and ordered by ``creationDate``, top level oldest first. The
commenter ``"anonymous"`` is not in ``commenters``; its comments have no author. A
``link`` of ``"undefined"`` (what Commento stores for none) is no website. The answer
states no count.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from lxml.html import HtmlElement

from ...items import Comment
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text
from .shared import iso_utc, load_json, text_field

NAME = "commento"
_SCRIPT = re.compile(r"/js/commento(?:\.min)?\.js(?:[?#].*)?$")
_HOSTED_CDN = "cdn.commento.io"  # the hosted service's CDN; its API is commento.io
_ROOT = "root"


def detect(tree: HtmlElement, url: str) -> WidgetRef | None:
    """Commento on this page: its script and the element the script fills."""
    for script in tree.iter("script"):
        src = absolute_url(url, script.get("src"))
        if src is None or not _SCRIPT.search(urlsplit(src).path):
            continue
        holder = (script.get("data-id-root") or "").strip() or "commento"
        if not tree.xpath("//*[@id=$id]", id=holder):
            continue
        parts = urlsplit(src)
        if parts.scheme not in ("http", "https"):
            continue
        host = "commento.io" if parts.netloc.lower() == _HOSTED_CDN else parts.netloc
        api = urlunsplit((parts.scheme, host, "/", "", ""))
        page = urlsplit(url)
        thread = (script.get("data-page-id") or "").strip() or page.path or "/"
        return WidgetRef(NAME, api, thread, url, (("domain", page.netloc),))
    return None


def first_request(ref: WidgetRef) -> str:
    return f"{ref.api_base}api/comment/list"


def request_body(ref: WidgetRef, url: str) -> bytes:
    """What the embed posts: an anonymous reader's token, the page's host and the thread."""
    body = {"commenterToken": "anonymous", "domain": ref.option("domain"), "path": ref.thread}
    return json.dumps(body).encode("utf-8")


def _author(commenters: dict[str, Any], hex_id: Any) -> tuple[str | None, str | None]:
    who = commenters.get(hex_id) if isinstance(hex_id, str) else None
    if not isinstance(who, dict):
        return None, None
    link = text_field(who, "link")
    if link in ("undefined", "null"):
        link = None
    return text_field(who, "name"), link


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """The answer of ``POST /api/comment/list``."""
    data = load_json(body, "Commento")
    if not isinstance(data, dict):
        raise WidgetFormatError("Commento's answer is not an object")
    if data.get("success") is not True:
        raise WidgetFormatError(f"Commento refused: {data.get('message')!r}")
    items = data.get("comments") or []
    commenters = data.get("commenters") or {}
    if not isinstance(items, list) or not isinstance(commenters, dict):
        raise WidgetFormatError("Commento's comments is not a list")
    found: list[tuple[str, Comment]] = []
    for item in items:
        if not isinstance(item, dict) or not text_field(item, "commentHex"):
            raise WidgetFormatError("a Commento comment without a commentHex")
        parent = text_field(item, "parentHex")
        deleted = item.get("deleted") is True
        author, link = (None, None) if deleted else _author(commenters, item.get("commenterHex"))
        stamp = text_field(item, "creationDate")
        html = item.get("html") if isinstance(item.get("html"), str) else None
        comment = Comment(
            comment_id=str(item["commentHex"]).strip(),
            parent_id=None if parent in (None, _ROOT) else parent,
            author=author,
            published_at=iso_utc(stamp),
            text="" if deleted else html_text(html),
            published_at_raw=stamp,
            author_url=link,
        )
        found.append((iso_utc(stamp) or "", comment))
    # the answer's order is the database's: by time, as the embed sorts them (oldest)
    found.sort(key=lambda pair: pair[0])
    return WidgetPage(comments=[c for _, c in found])


ADAPTER = Adapter(
    NAME, detect, first_request, parse, request_body, "application/x-www-form-urlencoded"
)
