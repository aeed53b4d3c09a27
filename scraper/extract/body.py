"""The article body: its own text as blocks, cleaned HTML, and the images in it.

The container is found by CMS markup first (WordPress, the page's theme profile, Drupal,
schema.org ``articleBody``…), then by a text-density heuristic. Noise inside it (ads,
"Read also" boxes, share widgets, captions, comment sections) never reaches ``body_text``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from html import escape

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..items import Image
from .body_blocks import text_blocks
from .body_clean import clean_html, flat_text, strip_noise
from .body_heuristic import heuristic_container
from .dom import collapse, drop_tree
from .hints import elements
from .pageindex import PageIndex, page_index
from .pagekind import is_product_page
from .profiles import Selector
from .urls import absolute_url

Query = Callable[[PageIndex], list[HtmlElement]]


def _divs(els: list[HtmlElement]) -> list[HtmlElement]:
    return [el for el in els if el.tag == "div"]


def _any_class(*parts: str, token: bool = False, div: bool = False) -> Query:
    """Elements whose class contains (holds the token, with ``token``) any of ``parts``;
    only ``div`` elements with ``div``."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        lists = [ix.with_token("class", p) if token else ix.containing("class", p) for p in parts]
        found = ix.in_order(el for els in lists for el in els) if len(lists) > 1 else lists[0]
        return _divs(found) if div else found

    return query


def _selected(selector: Selector) -> Query:
    """The elements a theme profile's selector matches."""
    return lambda ix: elements((selector,), ix.root)


# The CMS markup of the article's text, most specific first (each the XPath it stands for).
_CMS_CONTAINERS: list[Query] = [
    # //*[@itemprop='articleBody']
    lambda ix: ix.equal("itemprop", "articleBody"),
    # //div[contains(@class,'wp-block-post-content')]
    _any_class("wp-block-post-content", div=True),
    # //div[contains(concat(' ',normalize-space(@class),' '),' entry-content ')]
    _any_class("entry-content", token=True, div=True),
]
# … then the containers of the page's theme (its profile's ``generic.body``), then these
_CMS_LATER: list[Query] = [
    _any_class("content-inner", div=True),
    _any_class("field--name-body", "field-name-body", div=True),
    # //*[contains(concat(' ',normalize-space(@class),' '),' post-content ')]
    _any_class("post-content", token=True),
    _any_class(
        "article-body", "article__body", "story-body", "post-body", "entry-body", token=True
    ),
]


@dataclass
class Body:
    text: str | None = None
    html: str | None = None
    images: list[Image] = field(default_factory=list)
    source: str | None = None


def _images(root: HtmlElement, url: str) -> list[Image]:
    images: list[Image] = []
    seen: set[str] = set()
    for img in root.iter("img"):
        src = img.get("data-src") or img.get("data-lazy-src") or img.get("src")
        if not src:
            srcset = img.get("srcset") or img.get("data-srcset") or ""
            src = srcset.split(",")[0].split()[0] if srcset.strip() else None
        absolute = absolute_url(url, src)
        if not absolute or absolute in seen:
            continue
        seen.add(absolute)
        caption = None
        for anc in img.iterancestors():
            if anc.tag == "figure" or "wp-caption" in (anc.get("class") or ""):
                caps = anc.xpath(".//figcaption | .//*[contains(@class,'wp-caption-text')]")
                if caps:
                    caption = collapse(caps[0].text_content()) or None
                break
        images.append(Image(url=absolute, caption=caption))
    return images


def extract_body(
    tree: HtmlElement,
    url: str,
    headline: str | None = None,
    index: PageIndex | None = None,
    exclude: Collection[HtmlElement] = (),
) -> Body:
    """The page's main text. ``exclude``: elements of the tree that are not body (the
    comments the comment extractor read), left out where they sit inside the container,
    unless they hold most of its text (a forum thread whose posts are the content)."""
    ix = page_index(tree, index)
    container: HtmlElement | None = None
    source = None
    theme = [_selected(s) for s in ix.hints.body]
    for query in (*_CMS_CONTAINERS, *theme, *_CMS_LATER):
        lengths = {el: len(flat_text(el)) for el in query(ix)}
        found = [el for el, length in lengths.items() if length >= 80]
        if found:
            container = max(found, key=lengths.__getitem__)
            source = "cms"
            break
    if container is None:
        container = heuristic_container(tree, ix)
        source = "heuristic"
        if container is not None and exclude and is_product_page(ix):
            # the densest text is a product page's reviews: the body is the densest text
            # left without them, when there is a body's worth of it (a forum thread's
            # posts, by contrast, are its content)
            rest = _without_comments(tree, container, exclude)
            if rest is not None:
                hints = ix.hints
                tree, ix, container = rest
                ix.hints = hints  # the page's theme, read on the page itself
                exclude = ()
    if container is None:
        return _noscript_body(tree, url, headline)
    root = copy.deepcopy(container)
    root.tail = None
    # the copy's element proxies, made once and held while the passes below walk it
    # (a tree parsed by lxml.html's stock parser pays a Python lookup for each)
    held = list(root.iter())
    if exclude:
        _drop_excluded(container, root, held, exclude)
    if ix.hints.noise:
        _drop_noise(container, root, held, elements(ix.hints.noise, container))
    strip_noise(root, headline)
    blocks = text_blocks(root)
    if not blocks:
        return _noscript_body(tree, url, headline)
    body = Body(
        text="\n\n".join(blocks),
        html=clean_html(root, ix.attrs),
        images=_images(root, url),
        source=source,
    )
    del held
    return body


# the text a body must have for the comments around it to be set aside (characters)
_REST_MIN = 200


def _without_comments(
    tree: HtmlElement, container: HtmlElement, exclude: Collection[HtmlElement]
) -> tuple[HtmlElement, PageIndex, HtmlElement] | None:
    """When the excluded elements (reviews) hold over half of the heuristic's container,
    the densest text of a copy of the page without them: the copy, its index and that
    container, if it holds at least ``_REST_MIN`` characters outside the comments."""
    gone = set(exclude)
    inside = [el for el in container.iter() if el in gone and el is not container]
    total = len(flat_text(container))
    if not inside or sum(len(flat_text(el)) for el in inside) <= _EXCLUDE_MAX * total:
        return None
    copy_ = copy.deepcopy(tree)
    doomed = [c for o, c in zip(tree.iter(), copy_.iter(), strict=True) if o in gone]
    for el in doomed:
        drop_tree(el)
    ix = page_index(copy_)
    rest = heuristic_container(copy_, ix)
    if rest is None or len(flat_text(rest)) < _REST_MIN:
        return None
    return copy_, ix, rest


def _drop_noise(
    container: HtmlElement, root: HtmlElement, held: list[HtmlElement], noise: list[HtmlElement]
) -> None:
    """Drop from ``root`` the copies of the theme's noise elements, as :func:`strip_noise`
    drops noise: not a wrapper holding over half of the text."""
    gone = set(noise)
    doomed = [c for o, c in zip(container.iter(), held, strict=True) if o in gone]
    total = len(flat_text(root)) if doomed else 0
    for el in doomed:
        if el is not root and el.getparent() is not None and len(flat_text(el)) <= 0.5 * total:
            drop_tree(el)


def _drop_excluded(
    container: HtmlElement,
    root: HtmlElement,
    held: list[HtmlElement],
    exclude: Collection[HtmlElement],
) -> None:
    """Drop from ``root`` (a copy of ``container``) the copies of the excluded elements
    inside the container, unless they hold over half of its text."""
    gone = set(exclude)
    doomed = [
        copy_el
        for orig, copy_el in zip(container.iter(), held, strict=True)
        if orig in gone and orig is not container
    ]
    if not doomed:
        return
    total = len(flat_text(root))
    if sum(len(flat_text(el)) for el in doomed) > _EXCLUDE_MAX * total:
        return
    for el in doomed:
        drop_tree(el)


# excluded elements (comments) holding more of the container's text than this are content
_EXCLUDE_MAX = 0.5


def _noscript_body(tree: HtmlElement, url: str, headline: str | None) -> Body:
    """A page whose readable text is only in ``<noscript>`` (the view a script-rendered
    forum or app serves to clients without scripts): the heuristic over that text, the
    ``<noscript>`` wrappers read as plain blocks."""
    holders = [el for el in tree.iter("noscript") if len(flat_text(el)) >= 200]
    if not holders:
        return Body()
    copy_ = copy.deepcopy(tree)
    for el in copy_.iter("noscript"):
        el.tag = "div"
    body = extract_body(copy_, url, headline)
    return body if body.text else Body()


def body_from_text(text: str, source: str) -> Body:
    """A body from plain text given by the page's structured data (JSON-LD
    ``articleBody``): paragraphs at line breaks, markup in it read as text."""
    if "<" in text and ">" in text:
        try:
            fragment = lxml.html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            fragment = None
        if fragment is not None:
            blocks = text_blocks(fragment)
            text = "\n".join(blocks) if len(blocks) > 1 else fragment.text_content()
    blocks = [collapse(line) for line in re.split(r"\n\s*", text)]
    blocks = [b for b in blocks if b]
    if not blocks:
        return Body()
    html = "<div>" + "".join(f"<p>{escape(b)}</p>" for b in blocks) + "</div>"
    return Body(text="\n\n".join(blocks), html=html, source=source)
