"""What is left out of the article's container: noise (ads, share and "read also" boxes,
hidden and script elements, comment sections), blocks that are mostly links, and every
attribute the cleaned HTML does not keep."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import lxml.html
from lxml.html import HtmlElement

from .body_blocks import DROP_TAGS
from .dom import collapse, drop_tree, keep_attributes

_NOISE_WORDS = (
    "ad|ads|adv|advert|advertisement|adsbygoogle|ad-slot|sponsor"
    "|sponsored|promo|share|sharing|sharedaddy|social|social-links|jp-relatedposts|related"
    "|read-?also|readalso|see-?also|more-stories|recommended|newsletter|subscribe|signup"
    "|comments?|comment-respond|respond|disqus|author-bio|post-navigation|nav-links"
    "|breadcrumbs?|tags-links|cat-links|entry-footer|entry-meta|wp-block-buttons|print"
    "|toolbar|popup|modal|cookie|screen-reader-text|sr-only|visually-hidden"
    "|post-tags|inline-related|outbrain|taboola"
)
# Words that name noise only as a whole class token: "hidden" is a state, but
# "field--label-hidden" or "hidden-xs" (hidden on small screens) hold visible text.
_WHOLE_WORDS = "hidden"
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:" + _NOISE_WORDS + r")(?:$|[\s_-])|(?:^|\s)(?:" + _WHOLE_WORDS + r")(?:$|\s)",
    re.I,
)
_KEEP_ATTRS = frozenset({"href", "src", "alt", "title", "datetime", "cite", "colspan", "rowspan"})


def is_noise(el: HtmlElement) -> bool:
    tag = el.tag
    if tag in DROP_TAGS:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") == "true" and tag != "span"):
        return True
    style = el.get("style")
    if style and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style):
        return True
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return bool(attrs) and noisy(attrs)


@lru_cache(maxsize=8192)
def noisy(attrs: str) -> bool:
    """Whether class and id name noise (the same few hundred values recur on every page of
    a site, so each is matched once)."""
    return bool(_NOISE.search(attrs))


_NEVER_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})


def strip_noise(root: HtmlElement, headline: str | None) -> None:
    doomed = []
    total: int | None = None
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments and processing instructions
        elif is_noise(el):
            if el.tag not in _NEVER_TEXT:
                # a wrapper holding most of the article (a <form> around the page, a
                # "has-ads" layout div) is not noise
                if total is None:
                    total = len(flat_text(root))
                if total and len(flat_text(el)) > 0.5 * total:
                    continue
            doomed.append(el)
        elif headline and el.tag == "h1" and flat_text(el) == headline:
            doomed.append(el)
    for el in doomed:
        drop_tree(el)
    _strip_link_blocks(root)


# a block inside the body whose text is mostly link text, and small beside the body
_LINK_SHARE = 0.5
_LINK_BLOCK_MAX = 0.3
# together such blocks may be at most this share of the body: more, and the links are
# the content (a page that is a list of links)
_LINK_BLOCKS_CAP = 0.25
_LINK_BLOCKS = frozenset({"div", "section", "ul", "ol", "dl", "table", "p", "footer", "header"})


def _strip_link_blocks(root: HtmlElement) -> None:
    """Blocks inside the body that are mostly link text (a related list, a tag cloud, a
    share or "next post" bar) are no part of its text, unless together they are a large
    share of it (a page whose content is a list of links)."""
    total = len(flat_text(root))
    if not total:
        return
    doomed: list[HtmlElement] = []
    dropped = 0
    for el in root.iterdescendants(*_LINK_BLOCKS):
        if any(a in doomed for a in el.iterancestors()):
            continue
        length = len(flat_text(el))
        if not length or length > _LINK_BLOCK_MAX * total:
            continue
        if link_density(el, length) > _LINK_SHARE:
            doomed.append(el)
            dropped += length
    if dropped > _LINK_BLOCKS_CAP * total:
        return
    for el in doomed:
        drop_tree(el)


def flat_text(el: HtmlElement) -> str:
    return collapse(el.text_content())


def clean_html(root: HtmlElement, names: Iterable[str]) -> str:
    """The body's HTML with only the attributes in ``_KEEP_ATTRS``; ``names`` holds every
    attribute name the page uses."""
    keep_attributes(root, _KEEP_ATTRS, names)
    html = lxml.html.tostring(root, encoding="unicode")
    return re.sub(r"\n\s*\n+", "\n", html).strip()


def link_density(el: HtmlElement, length: int) -> float:
    if not length:
        return 0.0
    links = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return min(1.0, links / length)
