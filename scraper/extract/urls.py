"""URL normalisation on w3lib: the one form articles, links and the frontier are keyed by
(``canonicalize_url``), and link targets made safe to request (``absolute_url``)."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as w3lib_canonicalize_url
from w3lib.url import safe_url_string, url_query_cleaner

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


def _without_tracking(url: str) -> str:
    """``url`` without its tracking parameters (w3lib's ``url_query_cleaner``; the
    prefixes, ``utm_*`` and the like, are matched here) and without its fragment."""
    query = urlsplit(url).query
    if not query:
        return url.split("#", 1)[0]
    names = sorted({k for k, _ in parse_qsl(query, keep_blank_values=True) if _is_tracking(k)})
    return url_query_cleaner(url, names, remove=True, unique=False)


def strip_tracking(url: str) -> str:
    """The URL to request: tracking parameters and the fragment dropped, the rest in
    the archive's key form (``canonicalize_url``), so a request and its key agree."""
    return canonicalize_url(url)


@lru_cache(maxsize=65536)
def canonicalize_url(url: str) -> str:
    """The one form of an article's URL: archive keys, frontier keys, link targets and
    canonical URLs. w3lib's ``canonicalize_url`` (percent-encoding normalised, UTF-8
    paths percent-encoded, IDN hosts in punycode, parameters sorted, fragment dropped),
    with tracking parameters removed, the default port and any user info dropped, and
    an empty path written as ``/``. Idempotent: a key canonicalises to itself."""
    url = url.strip()
    try:
        canonical = w3lib_canonicalize_url(_without_tracking(url))
    except ValueError:  # an unparsable port or host: the URL as given, safely quoted
        return safe_url_string(url)
    parts = urlsplit(canonical)
    scheme, host = parts.scheme, (parts.hostname or "")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if port and (scheme, port) not in (("http", 80), ("https", 443)):
        netloc = f"{netloc}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


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
        url = safe_url_string(urljoin(base, href))
        scheme = urlsplit(url).scheme
    except ValueError:
        return None
    if scheme not in ("http", "https"):
        return None
    return url


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()
