"""What the neighbour strategies share about one page (``Page``): its URL, the regions whose
links are never neighbours, and which link targets can be a neighbouring article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement

from .pageindex import PageIndex
from .urls import absolute_url, canonicalize_url, host_of


def _first_h1(ix: PageIndex) -> HtmlElement | None:
    """``(//h1[not(ancestor::a)])[1]``."""
    for h1 in ix.tagged("h1"):
        if next(h1.iterancestors("a"), None) is None:
            return h1
    return None


# Regions whose links are never an article's neighbours (matched on id and class).
_EXCLUDED_REGION = re.compile(
    r"sidebar|widget|related|popular|trending|recommend|most-?read|mostviewed|menu|"
    r"breadcrumb|comment|share|sharing|social|site-footer|page-footer|"
    r"global-footer|newsletter|masthead|site-header|navbar|you-may|more-stories|"
    r"more-from|tag-?cloud|categories|archive|author-bio|subscribe|"
    r"promo|advert|sponsor",
    re.I,
)
_EXCLUDED_TAGS = frozenset({"aside", "head", "script", "style", "noscript", "template", "form"})
_ARTICLE_FOOTER = re.compile(r"entry|post|article|single", re.I)
_LISTING_PATH = re.compile(r"/page/\d+/?$|/(?:category|tag|author|tags|topics?|search)/", re.I)
_LISTING_PARAMS = frozenset({"page", "paged", "pg", "start", "offset", "s"})
_COMMENT_URL = re.compile(r"/comment-page-\d+|[?&]cpage=\d+|replytocom=|#comments?\b", re.I)


class Page:
    """What the strategies share about one page: its URL and which regions are out."""

    def __init__(self, tree: HtmlElement, url: str, index: PageIndex) -> None:
        self.tree = tree
        self.index = index
        self.url = url
        self.host = _bare_host(url)
        self.here = canonicalize_url(url)
        parts = urlsplit(self.here)
        self.path = parts.path
        self.stem = _article_stem(parts.path)
        h1 = _first_h1(index)
        self.main_chain: set[HtmlElement] = (
            set(h1.iterancestors()) | {h1} if h1 is not None else set()
        )
        self.memo: dict[HtmlElement, bool] = {}

    def excluded(self, el: HtmlElement, *, strict: bool = True) -> bool:
        """Whether ``el`` sits in a region whose links are not neighbours. The walk stops
        at the first ancestor holding the page's heading: layout wrappers are not regions."""
        seen: list[HtmlElement] = []
        result = False
        node: HtmlElement | None = el
        while node is not None:
            if node in self.main_chain or node.tag in ("body", "html"):
                break
            if node in self.memo:
                result = self.memo[node]
                break
            seen.append(node)
            if self._region_out(node, strict):
                result = True
                break
            node = node.getparent()
        for n in seen:
            self.memo[n] = result if strict else self.memo.get(n, False)
        return result

    def _region_out(self, node: HtmlElement, strict: bool) -> bool:
        tag = node.tag
        if tag in _EXCLUDED_TAGS:
            return True
        marks = f"{node.get('id') or ''} {node.get('class') or ''}"
        if (
            tag == "footer"
            and not _ARTICLE_FOOTER.search(marks)
            and not any(a.tag in ("article", "main") for a in node.iterancestors())
        ):
            return True
        if tag == "nav":
            label = (node.get("aria-label") or "") + " " + (node.get("role") or "")
            if re.search(r"menu|primary|breadcrumb|site", label, re.I):
                return True
        return bool(marks.strip()) and bool(_EXCLUDED_REGION.search(marks)) and strict

    def accept(self, href: str | None) -> str | None:
        """The absolute URL when ``href`` can be a neighbouring article, else ``None``."""
        if not href or href.strip().startswith("#"):
            return None
        link = absolute_url(self.url, href)
        if link is None or _bare_host(link) != self.host:
            return None
        if _COMMENT_URL.search(link):
            return None
        canon = canonicalize_url(link)
        if canon == self.here:
            return None
        parts = urlsplit(canon)
        if parts.path in ("", "/") or _LISTING_PATH.search(parts.path):
            return None
        if any(k.lower() in _LISTING_PARAMS for k, _ in parse_qsl(parts.query)):
            if parts.path == self.path:
                return None
            if any(k.lower() in ("page", "paged") for k, _ in parse_qsl(parts.query)):
                return None
        if _article_stem(parts.path) == self.stem:
            return None  # another page of this same article (/slug/2/)
        return link.split("#", 1)[0]


def _bare_host(url: str) -> str:
    host = host_of(url)
    return host[4:] if host.startswith("www.") else host


def _article_stem(path: str) -> str:
    return re.sub(r"/\d{1,3}/?$", "", path.rstrip("/")) or "/"
