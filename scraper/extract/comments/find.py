"""Where a page's comments are: the comment-marked elements, the CMS and microdata items
among them, the generic heuristic's items, the comment form, and the section the body
extractor leaves out."""

from __future__ import annotations

import re
from collections import Counter

from lxml.html import HtmlElement

from ..pageindex import PageIndex, page_index
from .count import stated_count
from .fields import find_fields, text_block
from .items import Item, build_items, item_kind, own_elements
from .text import BOILERPLATE, class_tokens, render_text
from .widget_detection import detect_widget


def commentish_elements(ix: PageIndex) -> list[HtmlElement]:
    """Every comment-ish element (items, lists, titles, pagination, form, counts), for the
    helpers below to choose among in Python: ``//@*[contains(., 'omment')]/.. |
    //@id[. = 'respond']/..``."""
    found = ix.cached("commentish")
    if found is None:
        marked = [el for pairs in ix.attrs.values() for el, v in pairs if "omment" in v]
        found = ix.in_order(marked + ix.equal("id", "respond"))
        ix.store("commentish", found)
    return found


def _generic_candidates(ix: PageIndex) -> list[HtmlElement]:
    """``//*[self::li or self::div or self::article][@id][.//*[self::time or @datetime
    or contains(@class, 'date') or contains(@class, 'time')]]``."""
    dated = [
        *ix.tagged("time"),
        *ix.having("datetime"),
        *ix.containing("class", "date"),
        *ix.containing("class", "time"),
    ]
    holders: set[HtmlElement] = set()
    for el in dated:
        for anc in el.iterancestors():
            if anc in holders:
                break
            holders.add(anc)
    return [el for el in ix.having("id") if el.tag in ("li", "div", "article") and el in holders]


_SECTION_IDS = frozenset(
    {
        "comments", "respond", "comments-template", "disqus_thread", "comments_pagination",
        "comment-nav-below", "comment-nav-above",
    }
)  # fmt: skip
_SECTION_CLASSES = frozenset(
    {
        "comments-area", "comment-respond", "comment-list", "commentlist",
        "comments-pagination", "comment-pagination", "comment-navigation",
        "comments-navigation", "wp-block-comments", "wp-block-post-comments",
        "wp-block-comment-template", "wp-block-comments-pagination", "post-comments",
        "fb-comments",
    }
)  # fmt: skip


# "respons" of responses, not of a responsive layout class on <html> or <body>
_REGION = re.compile(r"comment|discussion|repl|respons(?!iv)|kommentar|коммент|댓글", re.I)
_BODY_CLASS = re.compile(r"entry-content|article-body|post-content|article__body")


def _in_comment_region(el: HtmlElement) -> bool:
    """A ``class="comment"`` item counts only inside a comment-marked list or section
    (opinion-section teasers are classed "comment" too)."""
    for depth, anc in enumerate(el.iterancestors()):
        if depth > 8 or anc.tag in ("body", "main", "article"):
            break
        if _REGION.search(f"{anc.get('id') or ''} {anc.get('class') or ''}"):
            return True
    return False


def _valid_heuristic(el: HtmlElement) -> bool:
    fields = find_fields(list(el.iterdescendants()))
    return fields.content is not None and (fields.author is not None or fields.date is not None)


# a class token naming one comment, not the list, the form or a part of one comment
_PART_WORDS = re.compile(
    r"list|area|wrap|contain|section|form|respon|repl|count|number|title|head|foot|meta|"
    r"author|avatar|user|date|time|text|content|body|message|action|button|link|nav|pag|"
    r"inner|tool|vote|rating|like|share|thread|group|block|widget|module|holder|toggle|"
    r"open|close|more|load|show|hide|js-|icon|img|pic|photo|badge|field|input|write|new|add|"
    r"post-|login|sign|note|info|policy|rule|guideline|sort|filter|tab|count|ad-|teaser|popular|"
    r"recent|latest|top|most|related|feed|rss|link|email|mail|print|s$|e$|s[-_]|en$|"
    r"^ary|^ator",
    re.I,
)
_ITEM_TAGS = ("li", "div", "article", "section")


def _item_token(token: str) -> bool:
    """A class token that names one comment ("comment-item", "kommentar", "mo-comment-card"):
    it has a comment word and no word of a list, a form or a part of a comment."""
    low = token.lower()
    if "omment" not in low:
        return False
    return _PART_WORDS.search(low.split("omment", 1)[1]) is None and not any(
        w in low for w in ("list", "area", "form", "wrap", "contain", "section")
    )


def _repeated_items(commentish: list[HtmlElement]) -> list[HtmlElement]:
    """Elements whose class names one comment and repeats on the page (two or more, three
    outside a comment-marked region; one with a content, an author or date and a
    comment-marked region around it), each with text of its own, the outermost of nested
    ones unless they share that class (a reply inside its parent)."""
    by_token: dict[str, list[HtmlElement]] = {}
    for el in commentish:
        if el.tag not in _ITEM_TAGS:
            continue
        for token in {t.lower() for t in (el.get("class") or "").split()}:
            if _item_token(token):
                by_token.setdefault(token, []).append(el)
    found: dict[HtmlElement, set[str]] = {}
    for token, els in by_token.items():
        if len(els) < 2 and not (_in_comment_region(els[0]) and _valid_heuristic(els[0])):
            continue  # one alone counts as a whole record in a comment-marked region
        for el in els:
            found.setdefault(el, set()).add(token)
    out: list[HtmlElement] = []
    for el, tokens in found.items():
        if len(found) < 3 and not _in_comment_region(el):
            continue
        outer = next((a for a in el.iterancestors() if a in found), None)
        if outer is not None and not (tokens & found.get(outer, set())):
            continue  # a part of the comment around it
        if next(el.iter("form", "textarea"), None) is not None and not render_text(el):
            continue
        fields = find_fields(list(el.iterdescendants()))
        if fields.content is None and fields.author is None and fields.date is None:
            continue
        out.append(el)
    position = {el: i for i, el in enumerate(commentish)}
    return sorted(out, key=position.__getitem__)


# an attribute naming one reader post's record id: data-comment-id, data-review-id, ...
_RECORD_ID_ATTR = re.compile(r"^data-(?:comment|review|reply)[-_]?id$")


def _record_id_items(ix: PageIndex) -> list[HtmlElement]:
    """Elements that carry a reader post's record id in an attribute named for it
    (``data-review-id``, ``data-comment-id``), two or more of one tag, each with its text
    and an author or a date of its own: a review widget's or a comment system's records,
    whose classes name no comment."""
    marked: list[HtmlElement] = []
    for name, pairs in ix.attrs.items():
        if _RECORD_ID_ATTR.match(name):
            marked.extend(el for el, value in pairs if value.strip() and el.tag in _ITEM_TAGS)
    by_tag: dict[str, list[HtmlElement]] = {}
    for el in ix.in_order(set(marked)):
        by_tag.setdefault(el.tag, []).append(el)
    out: list[HtmlElement] = []
    for els in by_tag.values():
        if len(els) < 2:
            continue
        for el in els:
            if next(el.iter("form", "textarea", "h1"), None) is not None:
                continue
            if _valid_heuristic(el) and render_text(el):
                out.append(el)
    return out if len(out) >= 2 else []


def html_items(ix: PageIndex) -> list[Item]:
    """The comment items the page's markup names: CMS ids, schema.org ``Comment``
    microdata and comment-classed items in a comment-marked region."""
    commentish = commentish_elements(ix)
    chosen: list[tuple[HtmlElement, str]] = []
    for el in commentish:
        if el.tag not in _ITEM_TAGS:
            continue
        kind = item_kind(el)
        if kind is None:
            continue
        if kind == "heuristic" and not (_in_comment_region(el) and _valid_heuristic(el)):
            continue
        chosen.append((el, kind))
    return build_items(chosen)


def repeated_items(ix: PageIndex) -> list[Item]:
    """Items whose comment class repeats (``_repeated_items``), for a page whose markup
    names no comment item that holds a comment, unless a script widget holds the page's
    comments (a live ticker's "match-comment" entries beside a Disqus thread are no reader
    comments)."""
    if detect_widget(ix) is not None:
        return []
    found = _repeated_items(commentish_elements(ix)) or _record_id_items(ix)
    return build_items([(el, "heuristic") for el in found])


def generic_items(ix: PageIndex) -> list[Item]:
    chosen: list[tuple[HtmlElement, str]] = []
    candidates = _generic_candidates(ix)
    others = set(candidates)
    for el in candidates:
        if not any(ch.isdigit() for ch in el.get("id") or ""):
            continue  # records carry numbered ids; wrappers ("comments", "main") do not
        if next(el.iter("form", "textarea"), None) is not None:
            continue
        if (
            any(_BODY_CLASS.search(c) for c in class_tokens(el))
            or next(el.iter("h1"), None) is not None
        ):
            continue
        fields = find_fields(list(el.iterdescendants()))
        if fields.content is None and _in_comment_region(el):
            # no class names the text: its block, nested records (replies) left out
            own = own_elements(el, others - {el})
            fields.content = text_block(own, find_fields(own))
        if fields.content is None or fields.author is None or fields.date is None:
            continue
        if fields.author.tag == "cite" or _BODY_CLASS.search(
            " ".join(class_tokens(fields.content))
        ):
            continue  # a citation or the article itself, not a comment
        if not render_text(fields.content):
            continue
        chosen.append((el, "heuristic"))
    if not chosen:
        return []
    # keep the innermost wrapper of a record: drop a candidate whose own fields all sit in
    # one candidate child (a wrapper <div id> around the real <li id>)
    chosen_set = {el for el, _ in chosen}
    inner: list[tuple[HtmlElement, str]] = []
    for el, kind in chosen:
        kids = [c for c in el.iterdescendants() if c in chosen_set]
        if kids:
            own = own_elements(el, chosen_set)
            fields = find_fields(own)
            if fields.content is None and (
                not _in_comment_region(el) or text_block(own, fields) is None
            ):
                continue
        inner.append((el, kind))
    # records of one kind: where most share a tag, one of another tag (a dated header
    # box beside a list of dated posts) is no record of theirs
    tags = Counter(el.tag for el, _ in inner)
    if len(tags) > 1:
        tag, most = tags.most_common(1)[0]
        if most >= 3 and most > sum(tags.values()) - most:
            inner = [(el, kind) for el, kind in inner if el.tag == tag]
    if len(inner) < 2 and not any(
        _REGION.search((a.get("id") or "") + " " + (a.get("class") or ""))
        for el, _ in inner
        for a in el.iterancestors()
    ):
        return []
    return build_items(inner)


def has_comment_form(ix: PageIndex) -> bool:
    """``//form[@id='commentform' or contains(@action,'wp-comments-post')
    or .//textarea[@name='comment']]`` finds something."""
    return any(
        form.get("id") == "commentform"
        or "wp-comments-post" in (form.get("action") or "")
        or any(t.get("name") == "comment" for t in form.iterdescendants("textarea"))
        for form in ix.tagged("form")
    )


# What a script fills with a thread (not an icon, a field or a frame of its own).
_CONTAINER_TAGS = frozenset({"div", "section", "aside", "ol", "ul"})


def scripted_thread(ix: PageIndex, commentish: list[HtmlElement]) -> bool:
    """A thread some script of the page loads, by no widget we know: an element marked as
    the comment region (id or class), a block that holds no text, beside evidence that the
    page has comments (a link to ``#<its id>`` or a stated count above zero) and a script
    to fill it."""
    if not ix.tagged("script"):
        return False
    hrefs = {href for href in ix.values("href") if href.startswith("#")}
    count: int | None = None
    for el in commentish:
        if el.tag not in _CONTAINER_TAGS or any(
            isinstance(child.tag, str) and child.tag not in ("noscript", "script", "template")
            for child in el
        ):
            continue
        text = (el.text or "").strip()
        if text and not BOILERPLATE.match(text):  # "Loading comments…" is not a comment
            continue
        if not _REGION.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
            continue
        el_id = el.get("id")
        if el_id and f"#{el_id}" in hrefs:
            return True
        if count is None:
            count = stated_count(commentish) or 0
        if count > 0:
            return True
    return False


def list_holder(item: HtmlElement) -> HtmlElement:
    """The element around a top-level comment that holds the whole list: the nearest
    comment-marked ancestor within a few levels, else the list element, else the item."""
    node = item.getparent()
    best = item
    for _ in range(6):
        if node is None or node.tag in ("body", "main", "article") or node in _h1_chain(node):
            break
        if node.tag in ("ol", "ul") and best is item:
            best = node
        if _REGION.search(f"{node.get('id') or ''} {node.get('class') or ''}"):
            best = node
        node = node.getparent()
    return best


def _h1_chain(node: HtmlElement) -> tuple[HtmlElement, ...]:
    return (node,) if next(node.iter("h1"), None) is not None else ()


def comment_section_elements(
    tree: HtmlElement, index: PageIndex | None = None
) -> list[HtmlElement]:
    """The outermost elements that hold the comment section (title, list, pagination,
    reply form, widget container), for the body extractor to leave out."""
    ix = page_index(tree, index)
    commentish = commentish_elements(ix)
    found: list[HtmlElement] = []
    for el in commentish:
        if el.tag == "a":
            continue
        if (el.get("id") or "") in _SECTION_IDS or any(
            c in _SECTION_CLASSES for c in (el.get("class") or "").split()
        ):
            found.append(el)
    for item in html_items(ix) or repeated_items(ix):
        if item.parent is None:
            found.append(list_holder(item.el))
    chosen = set()
    for el in found:
        if el.tag in ("html", "body", "main") or next(el.iter("h1"), None) is not None:
            continue
        chosen.add(el)
    outer = [el for el in chosen if not any(a in chosen for a in el.iterancestors())]
    return ix.in_order(outer)
