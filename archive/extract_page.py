"""``newsarchive extract``: fetch (or read) one page, extract it, and say where each field
came from, so a user can see what generic extraction gets right and write a profile for
the rest. No archive is touched."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, fields
from email.message import Message
from pathlib import Path
from typing import Any

from scraper.extract import extract_article, load_profile
from scraper.extract.profiles import Profile, ProfileError
from scraper.items import Article, article_to_dict
from scraper.settings import USER_AGENT

__all__ = ["Extracted", "PageError", "extract_page", "field_sources"]

FETCH_TIMEOUT = 30.0
MAX_BYTES = 32 * 1024 * 1024

# Fields that take their source from another field's entry in ``Article.sources``.
_SOURCE_OF = {
    "published_at_raw": "published_at",
    "modified_at_raw": "modified_at",
    "body_html": "body_text",
    "prev_title": "prev_url",
    "next_title": "next_url",
    "comments_source": "comments",
    "comment_page_urls": "comments",
}
_NOT_EXTRACTED = frozenset({"url", "fetched_at", "sources"})


class PageError(RuntimeError):
    """The page cannot be fetched or read, or the profile cannot be used (one line)."""


@dataclass
class Extracted:
    url: str
    article: Article
    profile: Profile | None


def _fetch(url: str) -> tuple[bytes, str, str | None]:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            body = response.read(MAX_BYTES + 1)
            headers: Message = response.headers
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the response's socket
        raise PageError(f"cannot fetch {url}: HTTP {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise PageError(f"cannot fetch {url}: {exc.reason}") from None
    except (TimeoutError, OSError, ValueError) as exc:
        raise PageError(f"cannot fetch {url}: {exc}") from None
    if len(body) > MAX_BYTES:
        raise PageError(f"cannot fetch {url}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    content_type = headers.get_content_type()
    if headers.get("Content-Type") and "html" not in content_type and "xml" not in content_type:
        raise PageError(f"not an HTML page: {url} is {content_type}")
    return body, final_url, headers.get_content_charset()


def extract_page(
    source: str, *, url: str | None = None, profile_path: str | None = None
) -> Extracted:
    """The article of one page: ``source`` is an http(s) URL (fetched) or a file (read;
    ``url`` resolves its relative links, default its ``file://`` address)."""
    profile = None
    if profile_path:
        try:
            profile = load_profile(profile_path)
        except ProfileError as exc:
            raise PageError(str(exc)) from None
    encoding = None
    if source.startswith(("http://", "https://")):
        html, page_url, encoding = _fetch(source)
        page_url = url or page_url
    else:
        path = Path(source)
        if not path.is_file():
            raise PageError(f"no such file: {source} (give an http(s) URL or an HTML file)")
        try:
            html = path.read_bytes()
        except OSError as exc:
            raise PageError(f"cannot read {source}: {exc.strerror or exc}") from None
        page_url = url or path.resolve().as_uri()
    reason = not_html(html)
    if reason:
        raise PageError(f"not an HTML page: {source} {reason}")
    article = extract_article(html, page_url, encoding=encoding, profile=profile)
    return Extracted(url=page_url, article=article, profile=profile)


# Bytes that never occur in text (WHATWG MIME Sniffing, "binary data byte").
_BINARY_BYTES = frozenset({*range(0x00, 0x09), 0x0B, *range(0x0E, 0x1B), *range(0x1C, 0x20)})
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_MARKUP = re.compile(rb"<[A-Za-z!?/]")


def not_html(data: bytes) -> str | None:
    """Why ``data`` is not an HTML page (``"is empty"``, ``"is binary data"``,
    ``"is JSON"``, ``"has no HTML markup"``), or ``None`` if it may be one."""
    if not data.strip():
        return "is empty"
    if data.startswith(_UTF16_BOMS):
        return None  # UTF-16 text: its zero bytes are characters' halves
    if any(byte in _BINARY_BYTES for byte in data[:4096]):
        return "is binary data"
    start = data.lstrip()[:1]
    if start in (b"{", b"["):
        try:
            json.loads(data)
        except ValueError:
            pass
        else:
            return "is JSON"
    if not _MARKUP.search(data):
        return "has no HTML markup"
    return None


def field_sources(article: Article) -> dict[str, str | None]:
    """Every extracted field's source (``None`` where the field stayed empty)."""
    out: dict[str, str | None] = {}
    for f in fields(Article):
        if f.name in _NOT_EXTRACTED:
            continue
        value: Any = getattr(article, f.name)
        if f.name == "comment_count":
            key = "comment_count" if "comment_count" in article.sources else "comments"
        elif f.name == "images":
            key = "images" if "images" in article.sources else "body_text"
        else:
            key = _SOURCE_OF.get(f.name, f.name)
        empty = value is None or value == [] or value == ""
        out[f.name] = None if empty else article.sources.get(key, "-")
    return out


def as_json(result: Extracted) -> dict[str, Any]:
    return {
        "url": result.url,
        "profile": result.profile.path if result.profile else None,
        "sources": field_sources(result.article),
        "article": article_to_dict(result.article),
    }
