"""The article body: its own text as blocks, cleaned HTML, and the images in it.

The container is found by CMS markup first (WordPress, tagDiv, JNews, Drupal, schema.org
``articleBody``…), then by a text-density heuristic. Noise inside it (ads, "Read also"
boxes, share widgets, captions, comment sections) never reaches ``body_text``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..items import Image
from .dom import collapse, drop_tree, keep_attributes
from .pageindex import PageIndex, page_index
from .urls import absolute_url

Query = Callable[[PageIndex], list[HtmlElement]]


def _divs(els: list[HtmlElement]) -> list[HtmlElement]:
    return [el for el in els if el.tag == "div"]


def _tdb_inner(ix: PageIndex) -> list[HtmlElement]:
    """``//div[contains(@class,'tdb_single_content')]//div[contains(@class,'tdb-block-inner')]``."""
    tops = set(_divs(ix.containing("class", "tdb_single_content")))
    if not tops:
        return []
    return [
        el
        for el in _divs(ix.containing("class", "tdb-block-inner"))
        if any(anc in tops for anc in el.iterancestors())
    ]


def _any_class(*parts: str, token: bool = False, div: bool = False) -> Query:
    """Elements whose class contains (holds the token, with ``token``) any of ``parts``;
    only ``div`` elements with ``div``."""

    def query(ix: PageIndex) -> list[HtmlElement]:
        lists = [ix.with_token("class", p) if token else ix.containing("class", p) for p in parts]
        found = ix.in_order(el for els in lists for el in els) if len(lists) > 1 else lists[0]
        return _divs(found) if div else found

    return query


# The CMS markup of the article's text, most specific first (each the XPath it stands for).
_CMS_CONTAINERS: list[Query] = [
    # //*[@itemprop='articleBody']
    lambda ix: ix.equal("itemprop", "articleBody"),
    # //div[contains(@class,'wp-block-post-content')]
    _any_class("wp-block-post-content", div=True),
    # //div[contains(concat(' ',normalize-space(@class),' '),' entry-content ')]
    _any_class("entry-content", token=True, div=True),
    _any_class("td-post-content", token=True, div=True),
    _tdb_inner,
    _any_class("jeg_post_content", "content-inner", div=True),
    # Vox Media's Chorus (The Verge, SB Nation, Vox, Polygon)
    _any_class("c-entry-content", div=True),
    _any_class("field--name-body", "field-name-body", div=True),
    # //*[contains(concat(' ',normalize-space(@class),' '),' post-content ')]
    _any_class("post-content", token=True),
    _any_class(
        "article-body", "article__body", "story-body", "post-body", "entry-body", token=True
    ),
]

# Elements that never hold article text.
_DROP_TAGS = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "form",
        "button",
        "input",
        "select",
        "textarea",
        "nav",
        "aside",
        "iframe",
        "object",
        "embed",
        "svg",
        "canvas",
        "dialog",
        "label",
        "menu",
    }
)
_NOISE_WORDS = (
    "ad|ads|adv|advert|advertisement|adsbygoogle|td-a-rec|ad-slot|sponsor"
    "|sponsored|promo|share|sharing|sharedaddy|social|social-links|jp-relatedposts|related"
    "|read-?also|readalso|see-?also|more-stories|recommended|newsletter|subscribe|signup"
    "|comments?|comment-respond|respond|disqus|author-bio|post-navigation|nav-links"
    "|breadcrumbs?|tags-links|cat-links|entry-footer|entry-meta|wp-block-buttons|print"
    "|toolbar|popup|modal|cookie|screen-reader-text|sr-only|visually-hidden"
    "|td-post-sharing|td-related|td-post-source-tags|td-post-next-prev|td-author"
    "|jeg_share|jeg_post_tags|post-tags|inline-related|outbrain|taboola"
)
# Words that name noise only as a whole class token: "hidden" is a state, but
# "field--label-hidden" or "hidden-xs" (hidden on small screens) hold visible text.
_WHOLE_WORDS = "hidden"
_NOISE = re.compile(
    r"(?:^|[\s_-])(?:" + _NOISE_WORDS + r")(?:$|[\s_-])|(?:^|\s)(?:" + _WHOLE_WORDS + r")(?:$|\s)",
    re.I,
)
_BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "td",
        "th",
        "caption",
        "figure",
        "hr",
        "address",
        "details",
        "summary",
        "center",
        "body",
        "html",
    }
)
_SKIP_TEXT = frozenset({"figcaption"})
_KEEP_ATTRS = frozenset({"href", "src", "alt", "title", "datetime", "cite", "colspan", "rowspan"})


def _has_own_text(el: HtmlElement) -> bool:
    """``el[text()[normalize-space()]]``: a text node of its own beyond XML whitespace."""
    text = el.text
    if text and text.strip(" \t\r\n"):
        return True
    for child in el:
        tail = child.tail
        if tail and tail.strip(" \t\r\n"):
            return True
    return False


def _paragraphs(ix: PageIndex) -> list[HtmlElement]:
    """``//p | //pre | //div[text()[normalize-space()]] | //section[text()[normalize-space()]]``."""
    found = [*ix.tagged("p"), *ix.tagged("pre")]
    found.extend(el for el in ix.tagged("div") if _has_own_text(el))
    found.extend(el for el in ix.tagged("section") if _has_own_text(el))
    return ix.in_order(found)


@dataclass
class Body:
    text: str | None = None
    html: str | None = None
    images: list[Image] = field(default_factory=list)
    source: str | None = None


def _is_noise(el: HtmlElement) -> bool:
    tag = el.tag
    if tag in _DROP_TAGS:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") == "true" and tag != "span"):
        return True
    style = el.get("style")
    if style and re.search(r"display\s*:\s*none|visibility\s*:\s*hidden", style):
        return True
    attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
    return bool(attrs) and _noisy(attrs)


@lru_cache(maxsize=8192)
def _noisy(attrs: str) -> bool:
    """Whether class and id name noise (the same few hundred values recur on every page of
    a site, so each is matched once)."""
    return bool(_NOISE.search(attrs))


_NEVER_TEXT = frozenset({"script", "style", "noscript", "template", "svg", "iframe"})


def _strip_noise(root: HtmlElement, headline: str | None) -> None:
    doomed = []
    total: int | None = None
    for el in root.iterdescendants():
        if not isinstance(el.tag, str):
            doomed.append(el)  # comments and processing instructions
        elif _is_noise(el):
            if el.tag not in _NEVER_TEXT:
                # a wrapper holding most of the article (a <form> around the page, a
                # "has-ads" layout div) is not noise
                if total is None:
                    total = len(_text(root))
                if total and len(_text(el)) > 0.5 * total:
                    continue
            doomed.append(el)
        elif headline and el.tag == "h1" and _text(el) == headline:
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
    total = len(_text(root))
    if not total:
        return
    doomed: list[HtmlElement] = []
    dropped = 0
    for el in root.iterdescendants(*_LINK_BLOCKS):
        if any(a in doomed for a in el.iterancestors()):
            continue
        length = len(_text(el))
        if not length or length > _LINK_BLOCK_MAX * total:
            continue
        if _link_density(el, length) > _LINK_SHARE:
            doomed.append(el)
            dropped += length
    if dropped > _LINK_BLOCKS_CAP * total:
        return
    for el in doomed:
        drop_tree(el)


def _text(el: HtmlElement) -> str:
    return collapse(el.text_content())


def text_blocks(root: HtmlElement) -> list[str]:
    """Block-level pieces of text in document order: a paragraph, heading, list item,
    quote paragraph or line of a pre is one block; ``<br>`` stays a newline inside it."""
    blocks: list[str] = []
    buf: list[str] = []
    pre = 0  # inside <pre>: the source's line breaks are the text's

    def text(value: str) -> str:
        # A line break in the source is white space to a reader; only <br> breaks a line.
        return value if pre else value.replace("\n", " ")

    def flush() -> None:
        if not buf:
            return
        lines = [collapse(line) for line in "".join(buf).split("\n")]
        buf.clear()
        text = "\n".join(line for line in lines if line)
        if text:
            blocks.append(text)

    def walk(node: HtmlElement) -> None:
        nonlocal pre
        tag = node.tag
        if not isinstance(tag, str) or tag in _DROP_TAGS:
            return
        if tag in _SKIP_TEXT:
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        pre += tag == "pre"
        if tag == "br":
            buf.append("\n")
        elif node.text:
            buf.append(text(node.text))
        for child in node:
            walk(child)
            if child.tail:
                buf.append(text(child.tail))
        pre -= tag == "pre"
        if block:
            flush()

    walk(root)
    flush()
    return blocks


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


def _clean_html(root: HtmlElement, names: Iterable[str]) -> str:
    """The body's HTML with only the attributes in ``_KEEP_ATTRS``; ``names`` holds every
    attribute name the page uses."""
    keep_attributes(root, _KEEP_ATTRS, names)
    html = lxml.html.tostring(root, encoding="unicode")
    return re.sub(r"\n\s*\n+", "\n", html).strip()


_POSITIVE = re.compile(
    r"article|body|content|entry|main|page|post|text|story|blog|prose|rich-?text", re.I
)
_NEGATIVE = re.compile(
    r"comment|footer|footnote|masthead|meta|outbrain|promo|related|scroll|share|shoutbox"
    r"|sidebar|skyscraper|sponsor|shopping|tags|widget|rail|banner|consent|cookie|privacy"
    r"|newsletter|subscribe|modal|popup|nav|menu",
    re.I,
)


def _holds_page(el: HtmlElement) -> bool:
    """A wrapper around the page's main structure (an ASP.NET ``<form>``, a
    ``div.Page-ad-margins``) is not noise, whatever its tag or class says."""
    return el.tag in ("form", "div", "section", "span") and any(
        el.find(f".//{tag}") is not None for tag in ("h1", "article", "main")
    )


class _Regions:
    """Per-page caches: whether an element is (inside) noise, and its class weight."""

    def __init__(self) -> None:
        self.under: dict[HtmlElement, bool] = {}
        self.weights: dict[HtmlElement, float] = {}

    def under_noise(self, el: HtmlElement) -> bool:
        chain: list[HtmlElement] = []
        node: HtmlElement | None = el
        verdict = False
        while node is not None and node.tag not in ("html", "body"):
            known = self.under.get(node)
            if known is not None:
                verdict = known
                break
            chain.append(node)
            if _is_noise(node) and not _holds_page(node):
                verdict = True
                break
            node = node.getparent()
        for n in chain:
            self.under[n] = verdict
        return verdict

    def weight(self, el: HtmlElement) -> float:
        w = self.weights.get(el)
        if w is None:
            attrs = f"{el.get('class') or ''} {el.get('id') or ''}"
            w = 0.0
            if el.tag in ("article", "main") or el.get("itemprop") == "articleBody":
                w += 25
            if attrs.strip():
                if _NEGATIVE.search(attrs):
                    w -= 25
                if _POSITIVE.search(attrs):
                    w += 25
            self.weights[el] = w
        return w


def _link_density(el: HtmlElement, length: int) -> float:
    if not length:
        return 0.0
    links = sum(len("".join(a.itertext()).strip()) for a in el.iter("a"))
    return min(1.0, links / length)


_STRUCTURAL_NOISE = frozenset({"nav", "aside", "footer", "menu", "dialog"})
_NOISE_ROLES = frozenset(
    {"navigation", "complementary", "contentinfo", "banner", "search", "dialog", "menu"}
)
_MASS_SKIP = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "iframe",
        "object",
        "embed",
        "canvas",
        "select",
        "button",
        "textarea",
        "input",
        "head",
        "title",
        "meta",
        "link",
    }
)
_MASS_NOISE = re.compile(
    r"(?:^|[\s_-])(?:footer|sidebar|widget|menu|navbar|nav|masthead|banner|breadcrumbs?"
    r"|header)(?:$|[\s_-])",
    re.I,
)


@lru_cache(maxsize=8192)
def _mass_noisy(attrs: str) -> bool:
    return _noisy(attrs) or bool(_MASS_NOISE.search(attrs))


_MIN_GOOD = 50  # a block with this much text of its own (links aside) reads as prose


def _mass_container(tree: HtmlElement) -> tuple[HtmlElement | None, dict[HtmlElement, float]]:
    """The element whose text is most prose and least boilerplate: each block's own text
    counts for it when it reads as prose (long, few links), against it when it is links
    or inside navigation, asides, footers or noise-named regions; the element with the
    highest sum wins (the deepest on a tie), so content split over sibling blocks is kept
    whole while menus, footers and link lists around it are left out."""
    body = tree.find("body") if tree.tag == "html" else tree
    if body is None:
        body = tree
    score: dict[HtmlElement, float] = {}
    good: dict[HtmlElement, float] = {}
    total: dict[HtmlElement, int] = {}
    order: list[HtmlElement] = []
    class_noise: list[HtmlElement] = []
    excluded: set[HtmlElement] = set()

    def inline(node: HtmlElement, acc: list[float], link: bool) -> None:
        # acc: own length, own link length, and the sums of the block children
        for child in node:
            tag = child.tag
            if isinstance(tag, str) and tag not in _MASS_SKIP:
                if tag in _BLOCK_TAGS:
                    walk(child)
                    acc[2] += score[child]
                    acc[3] += good[child]
                    acc[4] += total[child]
                else:
                    inner = link or tag == "a"
                    text = child.text
                    if text:
                        n = len(text.strip())
                        acc[0] += n
                        if inner:
                            acc[1] += n
                    if len(child):
                        inline(child, acc, inner)
            tail = child.tail
            if tail:
                n = len(tail.strip())
                acc[0] += n
                if link:
                    acc[1] += n

    def walk(node: HtmlElement) -> None:
        tag = node.tag
        role = node.get("role")
        structural = (
            tag in _STRUCTURAL_NOISE
            or (role is not None and role in _NOISE_ROLES)
            or node.get("hidden") is not None
            or node.get("aria-hidden") == "true"
        )
        text = node.text
        n = len(text.strip()) if text else 0
        acc = [float(n), 0.0, 0.0, 0.0, 0.0]
        if len(node):
            inline(node, acc, False)
        length, links, s, g, t = acc
        t += length
        if structural:
            s, g = -t, 0.0
            excluded.add(node)
        elif length:
            if links > 0.5 * length:
                s -= length
            elif length - links >= _MIN_GOOD:
                s += length - links
                g += length - links
        score[node] = s
        good[node] = g
        total[node] = int(t)
        order.append(node)
        if not structural:
            attrs = node.get("class") or node.get("id")
            if attrs and _mass_noisy(f"{node.get('class') or ''} {node.get('id') or ''}"):
                class_noise.append(node)

    walk(body)
    # noise-named regions count against, unless they hold most of the page's prose
    # (a layout wrapper whose class happens to say "ad" or "print")
    whole = good[body]
    flipped: set[HtmlElement] = set()
    for el in reversed(class_noise):  # outermost first
        if good[el] > 0.5 * whole or _holds_page(el):
            continue
        ancestors = [a for a in el.iterancestors() if a in score]
        if any(a in flipped for a in ancestors):
            continue
        flipped.add(el)
        excluded.add(el)
        delta = -total[el] - score[el]
        if not delta:
            continue
        score[el] += delta
        for a in ancestors:
            score[a] += delta
            if a is body:
                break
    best = None
    top = 0.0
    for el in order:  # descendants before ancestors: the deepest wins a tie
        if score[el] > top and not (
            el in excluded or any(a in excluded for a in el.iterancestors())
        ):
            best, top = el, score[el]
    return best, score


def _score_container(tree: HtmlElement, ix: PageIndex) -> tuple[HtmlElement, HtmlElement] | None:
    """Readability-style: paragraphs score their parent (and half their grandparent) by
    length and commas; candidates are weighted by class and by how little of them is
    links; siblings of the winner that read like article text are merged in."""
    regions = _Regions()
    scores: dict[HtmlElement, float] = {}
    paragraph_text: dict[HtmlElement, int] = {}
    for p in _paragraphs(ix):
        parent = p.getparent()
        if parent is None or regions.under_noise(p):
            continue
        text = _text(p)
        if len(text) < 25:
            continue
        if _link_density(p, len(text)) > 0.5:
            continue
        paragraph_text[p] = len(text)
        score = 1 + text.count(",") + min(len(text) / 100, 3)
        scores[parent] = scores.get(parent, 0.0) + score
        grand = parent.getparent()
        if grand is not None and grand.tag != "html":
            scores[grand] = scores.get(grand, 0.0) + score / 2
    if not scores:
        return None
    final: dict[HtmlElement, float] = {}
    for el, score in scores.items():
        length = len(_text(el)) if score > 3 else 0
        final[el] = (score + regions.weight(el)) * (1 - _link_density(el, length))
    top = max(final, key=lambda el: final[el])
    return top, _merge_siblings(top, final, paragraph_text)


def _merge_siblings(
    top: HtmlElement, final: dict[HtmlElement, float], paragraph_text: dict[HtmlElement, int]
) -> HtmlElement:
    """The winner plus siblings that score well or are long plain paragraphs, in a new
    ``<div>`` (document order); the winner itself when nothing joins it."""
    parent = top.getparent()
    if parent is None or parent.tag in ("html",):
        return top
    threshold = max(10.0, final[top] * 0.2)
    joined: list[HtmlElement] = []
    for sib in parent:
        if not isinstance(sib.tag, str):
            continue
        if (
            sib is top
            or final.get(sib, -1e9) >= threshold
            or (sib.tag == "p" and paragraph_text.get(sib, 0) >= 80)
        ):
            joined.append(sib)
    if len(joined) == 1:
        return top
    wrapper = lxml.html.Element("div")
    for el in joined:
        clone = copy.deepcopy(el)
        clone.tail = None
        wrapper.append(clone)
    return wrapper


# Growing the dense seed: stop once this share of the most prose mass is reached; stop
# early when the seed holds at least _SHARE of it and a sibling region outweighs it by
# _RIVAL (a teaser list or a second column beside the article, not more of it).
_THETA = 0.75
_SHARE = 0.0
_RIVAL = 1.5


def _heuristic_container(tree: HtmlElement, ix: PageIndex) -> HtmlElement | None:
    """The densest run of paragraphs (Readability's way), grown towards the element of
    most prose mass while each step up still adds most of what is left to gain."""
    dense = _score_container(tree, ix)
    mass, score = _mass_container(tree)
    if dense is None:
        return mass
    top, merged = dense
    if mass is None:
        return merged
    if top is not mass and mass not in set(top.iterancestors()):
        return mass
    goal = score[mass]
    node = top
    while True:
        here = score.get(node, float("-inf"))
        if here >= _THETA * goal or node is mass:
            break
        parent = node.getparent()
        if parent is None:
            break
        rival = max((score.get(s, 0.0) for s in parent if s is not node), default=0.0)
        if here >= _SHARE * goal and rival > _RIVAL * here:
            break
        node = parent
    return merged if node is top else node


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
    for query in _CMS_CONTAINERS:
        lengths = {el: len(_text(el)) for el in query(ix)}
        found = [el for el, length in lengths.items() if length >= 80]
        if found:
            container = max(found, key=lengths.__getitem__)
            source = "cms"
            break
    if container is None:
        container = _heuristic_container(tree, ix)
        source = "heuristic"
    if container is None:
        return _noscript_body(tree, url, headline)
    root = copy.deepcopy(container)
    root.tail = None
    # the copy's element proxies, made once and held while the passes below walk it
    # (a tree parsed by lxml.html's stock parser pays a Python lookup for each)
    held = list(root.iter())
    if exclude:
        _drop_excluded(container, root, held, exclude)
    _strip_noise(root, headline)
    blocks = text_blocks(root)
    if not blocks:
        return _noscript_body(tree, url, headline)
    body = Body(
        text="\n\n".join(blocks),
        html=_clean_html(root, ix.attrs),
        images=_images(root, url),
        source=source,
    )
    del held
    return body


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
    total = len(_text(root))
    if sum(len(_text(el)) for el in doomed) > _EXCLUDE_MAX * total:
        return
    for el in doomed:
        drop_tree(el)


# excluded elements (comments) holding more of the container's text than this are content
_EXCLUDE_MAX = 0.5


def _noscript_body(tree: HtmlElement, url: str, headline: str | None) -> Body:
    """A page whose readable text is only in ``<noscript>`` (the view a script-rendered
    forum or app serves to clients without scripts): the heuristic over that text, the
    ``<noscript>`` wrappers read as plain blocks."""
    holders = [el for el in tree.iter("noscript") if len(_text(el)) >= 200]
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
