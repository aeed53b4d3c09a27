"""The article's container on a page without CMS markup for it: the densest run of
paragraphs (Readability's scoring), grown towards the element of most prose mass."""

from __future__ import annotations

import copy
import re
from functools import lru_cache

import lxml.html
from lxml.html import HtmlElement

from .body_blocks import BLOCK_TAGS
from .body_clean import flat_text, is_noise, link_density, noisy
from .pageindex import PageIndex


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
            if is_noise(node) and not _holds_page(node):
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
    return noisy(attrs) or bool(_MASS_NOISE.search(attrs))


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
                if tag in BLOCK_TAGS:
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
        text = flat_text(p)
        if len(text) < 25:
            continue
        if link_density(p, len(text)) > 0.5:
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
        length = len(flat_text(el)) if score > 3 else 0
        final[el] = (score + regions.weight(el)) * (1 - link_density(el, length))
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


def heuristic_container(tree: HtmlElement, ix: PageIndex) -> HtmlElement | None:
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
