"""Hyvor Talk (https://talk.hyvor.com/): a hosted comment service, also self-hosted.

The page loads the embed, ``<script src="https://talk.hyvor.com/embed/embed.js"
type="module">``, and holds ``<hyvor-talk-comments website-id="W" page-id="P">``; an
``instance`` attribute names a self-hosted Hyvor Talk, whose origin then serves the
script (``@hyvor/hyvor-talk-base``: ``${instance}/embed/embed.js``). Older embeds set
``var HYVOR_TALK_WEBSITE = W; var HYVOR_TALK_CONFIG = {url, id}`` in an inline script
and load ``talk.hyvor.com/web-api/embed(.js)``. Without a page id the thread is the
page's canonical URL (else its address without query and fragment).

The API origin is the element's ``instance``, else the origin the embed script is served
from, else ``https://talk.hyvor.com``. The comments are read through the **Data API**
(``/api/data/v1``, documented at talk.hyvor.com/docs/api-data): GET requests, JSON
answers, limit at most 50, offset, Unix times; client-side access needs no key once the
site turns public access on (the request is checked by its ``Referer``)::

    GET API/api/data/v1/pages?website_id=W&identifier=P
      -> [{"id", "identifier", "url", "title", "comments_count", ...}]
    GET API/api/data/v1/comments?website_id=W&page_id=ID&sort=oldest&limit=50&offset=K
      -> [{"id", "page_id", "parent_id", "depth", "created_at", "status",
           "body_html" (or "content_html"), "user": {"name", "website_url", ...}}, ...]

The first answer gives the thread's Hyvor page id and ``comments_count`` (the stated
count); the comments come 50 at a time, the next offset asked while an answer is full.
**Inferred**: the filter names (``identifier`` on ``/pages``, ``page_id`` and ``sort`` on
``/comments``), and the comment's field names, taken from the embed's published types
(``CommentsApiRealComment`` in ``@hyvor/hyvor-talk-base``: ``content_html``, ``user``,
``status``, ``is_hidden``) and the older documented API's wrapper (``{"status": true,
"data": …}``, also read). A deleted or hidden comment is kept for its replies, without
author or text; a comment still ``pending`` or ``spam`` is not public and is left out.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ...items import Comment
from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import Adapter, WidgetFormatError, WidgetPage, WidgetRef, html_text, timestamp_iso
from .shared import load_json, page_thread_url

NAME = "hyvor"
HOSTED = "https://talk.hyvor.com"
PAGE_SIZE = 50  # the Data API's largest page
_ELEMENT = "hyvor-talk-comments"
_SCRIPT = re.compile(r"/(?:embed/embed|web-api/embed)(?:\.js)?(?:[?#].*)?$")
_WEBSITE = re.compile(r"\bHYVOR_TALK_WEBSITE\s*=\s*['\"]?(\d+)")
_CONFIG_KEY = r"""(?:^|[\s{{,])["']?{name}["']?\s*:\s*(["'`])(?P<value>.*?)\1"""


def _origin(address: str | None, url: str) -> str | None:
    full = absolute_url(url, address.strip()) if address and address.strip() else None
    if full is None or not full.startswith(("http://", "https://")):
        return None
    parts = urlsplit(full)
    if parts.hostname == urlsplit(HOSTED).hostname:
        return HOSTED  # a protocol-relative script on an http page: the service is https
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))


def _old_config(code: str, name: str) -> str | None:
    at = code.find("HYVOR_TALK_CONFIG")
    if at < 0:
        return None
    end = code.find("}", at)  # the object literal only
    end = end if end > 0 else at + 4000
    found = re.compile(_CONFIG_KEY.format(name=name), re.S).search(code, at, end)
    return found.group("value").strip() or None if found else None


def detect(index: PageIndex, url: str) -> WidgetRef | None:
    """Hyvor Talk on this page: the ``<hyvor-talk-comments>`` element with a website id,
    or the older ``HYVOR_TALK_WEBSITE`` settings beside the embed script."""
    origins = [
        origin
        for s in index.tagged("script")
        if (src := s.get("src")) and _SCRIPT.search(src) and (origin := _origin(src, url))
    ]
    # another service's ``/embed/embed.js`` on the page: Hyvor's own host first
    script_origin = next((o for o in origins if o == HOSTED), origins[0] if origins else None)
    for element in index.tagged(_ELEMENT):
        website = (element.get("website-id") or "").strip()
        if not website.isdigit():
            continue
        api = _origin(element.get("instance"), url) or script_origin or HOSTED
        thread = (element.get("page-id") or "").strip() or page_thread_url(
            index, url, keep_query=False
        )
        return WidgetRef(NAME, api + "/", thread, url, (("website", website),))
    if script_origin is None:
        return None
    for script in index.tagged("script"):
        code = script.text or ""
        found = _WEBSITE.search(code)
        if script.get("src") or not found:
            continue
        thread = (
            _old_config(code, "id")
            or _old_config(code, "url")
            or page_thread_url(index, url, keep_query=False)
        )
        return WidgetRef(NAME, script_origin + "/", thread, url, (("website", found.group(1)),))
    return None


def _data_url(ref: WidgetRef, endpoint: str, **params: str | int) -> str:
    query: list[tuple[str, str | int]] = [("website_id", ref.option("website") or "")]
    query.extend(params.items())
    return f"{ref.api_base}api/data/v1/{endpoint}?{urlencode(query)}"


def first_request(ref: WidgetRef) -> str:
    return _data_url(ref, "pages", identifier=ref.thread)


def _list(data: Any) -> list[Any]:
    """The Data API's array, bare or in the older ``{"status": true, "data": …}``."""
    if isinstance(data, dict) and "status" in data:
        if data.get("status") is not True:
            raise WidgetFormatError(f"Hyvor Talk refused: {data.get('error')!r}")
        data = data.get("data")
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise WidgetFormatError("Hyvor Talk's answer is not a list of objects")
    return data


def _id(value: Any) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    return str(value).strip() or None


def _str(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _comment(item: dict[str, Any]) -> Comment | None:
    cid = _id(item.get("id"))
    if cid is None:
        raise WidgetFormatError("a Hyvor Talk comment without an id")
    status = item.get("status")
    if status in ("pending", "spam"):
        return None
    gone = status == "deleted" or item.get("is_hidden") is True
    parent = _id(item.get("parent_id"))
    user = item.get("user") if isinstance(item.get("user"), dict) else {}
    body = next(
        (v for k in ("body_html", "content_html") if isinstance(v := item.get(k), str)), None
    )
    created = item.get("created_at")
    depth = item.get("depth")
    return Comment(
        comment_id=cid,
        parent_id=parent,
        author=None if gone else _str(user.get("name")),
        published_at=timestamp_iso(created),
        text="" if gone else html_text(body),
        depth=depth if isinstance(depth, int) and depth > 0 else 1 if parent is None else 2,
        published_at_raw=None if created is None else str(created),
        author_url=None if gone else _str(user.get("website_url")),
    )


def parse(body: bytes, ref: WidgetRef, url: str) -> WidgetPage:
    """One Data API answer: the thread's page (its id and count), or comments."""
    items = _list(load_json(body, "Hyvor Talk"))
    parts = urlsplit(url)
    asked = dict(parse_qsl(parts.query))
    page = WidgetPage()
    if parts.path.endswith("/pages"):
        found = [p for p in items if p.get("identifier") == ref.thread]
        if not found:  # no comment yet: Hyvor Talk has no page for the thread
            page.stated_count = 0
            return page
        pid = _id(found[0].get("id"))
        if pid is None:
            raise WidgetFormatError("a Hyvor Talk page without an id")
        count = found[0].get("comments_count")
        if isinstance(count, int) and not isinstance(count, bool):
            page.stated_count = count
        page.next_requests.append(_comments_url(ref, pid, 0))
        return page
    if not parts.path.endswith("/comments"):
        raise WidgetFormatError(f"not a Hyvor Talk Data API address: {url}")
    for item in items:
        comment = _comment(item)
        if comment is not None:
            page.comments.append(comment)
    offset = int(asked["offset"]) if asked.get("offset", "").isdigit() else 0
    limit = int(asked["limit"]) if asked.get("limit", "").isdigit() else PAGE_SIZE
    if items and len(items) >= limit and asked.get("page_id"):
        page.next_requests.append(_comments_url(ref, asked["page_id"], offset + len(items)))
    return page


def _comments_url(ref: WidgetRef, page_id: str, offset: int) -> str:
    return _data_url(
        ref, "comments", page_id=page_id, sort="oldest", limit=PAGE_SIZE, offset=offset
    )


ADAPTER = Adapter(NAME, detect, first_request, parse)
