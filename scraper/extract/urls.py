"""URL normalisation: the canonical form articles are deduplicated by."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only track the visitor and never change the page.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "yclid",
        "igshid",
        "_ga",
        "_gl",
        "ref_src",
        "ncid",
        "cmpid",
        "ocid",
        "spm",
        "replytocom",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "__hs", "hsa_")


def _is_tracking(name: str) -> bool:
    lname = name.lower()
    return lname in TRACKING_PARAMS or lname.startswith(TRACKING_PREFIXES)


def strip_tracking(url: str) -> str:
    """Drop tracking parameters and the fragment; keep everything else as it is."""
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def canonicalize_url(url: str) -> str:
    """The form two URLs of one article share: scheme and host lower-cased, default port
    dropped, tracking parameters and fragment removed, remaining parameters sorted, an
    empty path written as ``/``."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    netloc = host
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        netloc = f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)
    )
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


_COMMENT_PAGE = re.compile(r"/comment-page-\d+/?$")


def strip_comment_page(url: str) -> str:
    """The article URL behind a comment page's URL (WordPress ``/comment-page-N/``,
    ``?cpage=N``): comment pages declare their own canonical URL, an article has one."""
    parts = urlsplit(url)
    path = _COMMENT_PAGE.sub("/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "cpage"]
    if path == parts.path and len(query) == len(parse_qsl(parts.query, keep_blank_values=True)):
        return url
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))


def absolute_url(base: str, href: str | None) -> str | None:
    """``href`` resolved against ``base``; ``None`` for empty, script, mail and data links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    try:
        url = urljoin(base, href)
    except ValueError:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return url


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
