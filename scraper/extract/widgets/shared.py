"""Small readers the JSON adapters share: an answer's JSON, a date string as UTC, a
string field, a setting in an inline script's configuration object."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..pageindex import PageIndex
from ..urls import absolute_url
from .base import WidgetFormatError

# how far past its holder a setting is looked for (one configuration object)
_REACH = 4000
# JavaScript comments (embed snippets ship settings commented out); a "//" after a
# colon, quote or word character is part of an address, not a comment
JS_COMMENT = re.compile(r"/\*.*?\*/|(?<![:\"'\w\\])//[^\n]*", re.S)


def load_json(body: bytes, widget: str) -> Any:
    """The answer as JSON, or :class:`WidgetFormatError` naming the widget."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WidgetFormatError(f"{widget}'s answer is not JSON: {exc}") from exc


def iso_utc(value: object) -> str | None:
    """An ISO 8601 / RFC 3339 time (``Z`` or an offset; a time without one is taken as
    UTC) as an ISO 8601 UTC time to the second."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    # Python before 3.11 reads at most 6 digits of a fraction; Go writes up to 9
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def text_field(item: dict[str, Any], name: str) -> str | None:
    """A string field, stripped; None when absent, not a string or empty."""
    value = item.get(name)
    if not isinstance(value, str):
        return None
    return value.strip() or None


def code_setting(code: str, holder: str, name: str) -> str | None:
    """``name``'s string value in the object literal ``code`` gives ``holder``: the first
    ``name: "value"`` (key quoted or not, either quote) after ``holder``, comments left
    out."""
    code = JS_COMMENT.sub("", code)
    at = code.find(holder)
    if at < 0:
        return None
    key = re.compile(
        r"""(?:^|[\s{,])["']?""" + re.escape(name) + r"""["']?\s*:\s*(["'`])(.*?)\1""", re.S
    )
    found = key.search(code[: at + len(holder) + _REACH], at + len(holder))
    return found.group(2).strip() if found else None


def script_setting(index: PageIndex, holder: str, name: str) -> str | None:
    """``name``'s string value in the object literal an inline script gives ``holder``
    (``var remark_config = {host: "…"}``, ``Waline.init({serverURL: '…'})``), in the first
    inline script that has one."""
    for script in index.tagged("script"):
        if script.get("src"):
            continue
        value = code_setting(script.text or "", holder, name)
        if value is not None:
            return value
    return None


def page_thread_url(index: PageIndex, url: str, *, keep_query: bool = True) -> str:
    """The page's canonical URL, else its address without the fragment (and without the
    query when ``keep_query`` is false): the thread key widgets fall back to."""
    for el in index.equal("rel", "canonical"):
        href = el.get("href") if el.tag == "link" else None
        found = absolute_url(url, href.strip()) if href else None
        if found:
            return found
    parts = urlsplit(url)
    query = parts.query if keep_query else ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))
