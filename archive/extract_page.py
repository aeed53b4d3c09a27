"""``newsarchive extract``: extract one page, from a file or as fetched, and say where each
field came from, so a user can see what generic extraction gets right and write a profile
for the rest. No archive is touched, and no network code lives here: a URL is fetched by
:mod:`scraper.fetch_one` (Scrapy with the project's settings: robots.txt, User-Agent, the
page cap), a file is read whole (under the same cap)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from w3lib.encoding import http_content_type_encoding

from scraper.extract import extract_article, load_profile
from scraper.extract.profiles import Profile, ProfileError
from scraper.fetch_one import FetchError, fetch_page
from scraper.items import Article, article_to_dict
from scraper.settings import DOWNLOAD_MAXSIZE

__all__ = ["Extracted", "PageError", "extract_html", "extract_page", "field_sources"]

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


def extract_html(
    body: bytes, url: str, *, content_type: str | None = None, profile: Profile | None = None
) -> Extracted:
    """The article of one page's bytes (pure): ``content_type`` is the HTTP header, whose
    charset decodes the bytes as a crawl decodes them."""
    declared = http_content_type_encoding(content_type) if content_type else None
    article = extract_article(body, url, encoding=declared, profile=profile)
    return Extracted(url=url, article=article, profile=profile)


def _fetched(url: str) -> tuple[bytes, str, str | None]:
    try:
        page = fetch_page(url)
    except FetchError as exc:
        raise PageError(str(exc)) from None
    content_type = page.header("Content-Type")
    media = (content_type or "").split(";")[0].strip().lower()
    if content_type and "html" not in media and "xml" not in media:
        raise PageError(f"not an HTML page: {url} is {media}")
    return page.body, page.url, content_type


def _read(source: str) -> bytes:
    path = Path(source)
    if not path.is_file():
        raise PageError(f"no such file: {source} (give an http(s) URL or an HTML file)")
    try:
        if path.stat().st_size > DOWNLOAD_MAXSIZE:
            raise PageError(
                f"cannot read {source}: larger than {DOWNLOAD_MAXSIZE // (1024 * 1024)} MiB "
                "(DOWNLOAD_MAXSIZE)"
            )
        return path.read_bytes()
    except OSError as exc:
        raise PageError(f"cannot read {source}: {exc.strerror or exc}") from None


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
    content_type = None
    if source.startswith(("http://", "https://")):
        body, page_url, content_type = _fetched(source)
    else:
        body, page_url = _read(source), Path(source).resolve().as_uri()
    reason = not_html(body)
    if reason:
        raise PageError(f"not an HTML page: {source} {reason}")
    return extract_html(body, url or page_url, content_type=content_type, profile=profile)


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
