"""Comment items as threaded records: each item's parent (the nearest item around it),
its own elements (nested replies pruned), its id, and the ``Comment`` it makes."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Container, Iterable
from dataclasses import dataclass, field

from lxml.html import HtmlElement

from ...items import Comment
from .fields import Fields, author_of, date_of, find_fields, text_block
from .text import class_tokens, inline_text, render_text

_WP_ID = re.compile(r"^(?:li-|div-)?comment-?(\d+)$", re.I)
_ID_DIGITS = re.compile(r"^(?:comment|cmt|c|post|reply|li-comment|div-comment)?[-_]?(\d+)$", re.I)
FRAGMENT_ID = re.compile(r"#(?:comment|li-comment|div-comment|c)-?(\d+)$", re.I)


_ITEM_CLASSES = frozenset({"comment", "pingback", "trackback", "comment-item", "comment_item"})


@dataclass
class Item:
    el: HtmlElement
    kind: str  # "cms" | "microdata" | "heuristic"
    parent: Item | None = None
    own: list[HtmlElement] = field(default_factory=list)


def item_kind(el: HtmlElement) -> str | None:
    el_id = el.get("id") or ""
    if _WP_ID.match(el_id):
        return "cms"
    itemtype = el.get("itemtype") or ""
    if itemtype.endswith(("/Comment", "/UserComments")) or (
        el.get("itemprop") == "comment" and el.get("itemscope") is not None
    ):
        return "microdata"
    if any(c in _ITEM_CLASSES for c in class_tokens(el)):
        return "heuristic"
    return None


def own_elements(item: HtmlElement, items: set[HtmlElement]) -> list[HtmlElement]:
    out: list[HtmlElement] = []
    stack = list(reversed(item))
    while stack:
        el = stack.pop()
        if el in items or not isinstance(el.tag, str):
            continue
        out.append(el)
        stack.extend(reversed(el))
    return out


def _nearest(el: HtmlElement, items: Container[HtmlElement]) -> HtmlElement | None:
    for anc in el.iterancestors():
        if anc in items:
            return anc
    return None


def build_items(elements: Iterable[tuple[HtmlElement, str]]) -> list[Item]:
    """Items with their parents (nearest item ancestor) and own elements, document order.

    An item wrapping another item with the same id (``li#li-comment-5 > div#comment-5``)
    is one comment: the inner element is not an item.
    """
    found: list[Item] = []
    by_el: dict[HtmlElement, Item] = {}
    for el, kind in elements:
        parent_el = _nearest(el, by_el)  # the items so far (a dict's keys: no copy per item)
        if parent_el is not None:
            parent = by_el[parent_el]
            if _raw_id(parent.el) and _raw_id(parent.el) == _raw_id(el):
                continue
        item = Item(el, kind, by_el.get(parent_el) if parent_el is not None else None)
        by_el[el] = item
        found.append(item)
    keys = set(by_el)
    for item in found:
        item.own = own_elements(item.el, keys)
    return found


def _raw_id(el: HtmlElement) -> str | None:
    m = _WP_ID.match(el.get("id") or "")
    return m.group(1) if m else None


def _comment_id(item: Item) -> str | None:
    el = item.el
    el_id = el.get("id") or ""
    m = _ID_DIGITS.match(el_id)
    if m:
        return m.group(1)
    for attr in ("data-comment-id", "data-commentid", "data-review-id", "data-id", "itemid"):
        value = el.get(attr)
        if value:
            fm = FRAGMENT_ID.search(value)
            return fm.group(1) if fm else value.strip()
    for sub in item.own:
        sub_id = sub.get("id") or ""
        m = _ID_DIGITS.match(sub_id)
        if m:
            return m.group(1)
        for attr in ("data-comment-id", "data-commentid"):
            value = sub.get(attr)
            if value:
                return value.strip()
        if sub.tag in ("a", "link") and sub.get("href"):
            fm = FRAGMENT_ID.search(sub.get("href") or "")
            if fm:
                return fm.group(1)
    return el_id or None


def _comment_from_item(
    item: Item, ids: dict[HtmlElement, str], url: str, fields: Fields
) -> Comment | None:
    classes = class_tokens(item.el)
    is_ping = "pingback" in classes or "trackback" in classes
    author_el = fields.author
    if is_ping and author_el is None:
        author_el = next((e for e in item.own if e.tag == "a" and e.get("href")), None)
    author, author_url = author_of(author_el, url)
    published_at, published_raw = date_of(fields.date)
    text = render_text(fields.content) if fields.content is not None else ""
    if not text:
        # no content element, or one that shows nothing (a layout class such as
        # "text-right" around buttons): the item's own text without its author and date
        if not is_ping and item.kind != "cms" and fields.author is None and fields.date is None:
            return None
        drop = {e for e in (fields.date, None if is_ping else fields.author) if e is not None}
        own = set(item.own)

        def prune(node: HtmlElement) -> bool:
            if node not in own:
                return True  # a nested comment
            if node in drop:
                return True
            return any(c in ("comment-meta", "comment-metadata") for c in class_tokens(node))

        text = render_text(item.el, prune)
    if not text and author is None:
        return None
    depth = 1
    parent = item.parent
    while parent is not None:
        depth += 1
        parent = parent.parent
    return Comment(
        comment_id=ids[item.el],
        parent_id=ids.get(item.parent.el) if item.parent is not None else None,
        author=author,
        published_at=published_at,
        text=text,
        depth=depth,
        published_at_raw=published_raw,
        author_url=author_url,
    )


def comments_from_items(items: list[Item], url: str) -> tuple[list[Comment], dict[str, int]]:
    ids: dict[HtmlElement, str] = {}
    fields_of: dict[HtmlElement, Fields] = {}
    for item in items:
        fields = find_fields(item.own)
        if fields.content is None and item.kind == "heuristic":
            fields.content = text_block(item.own, fields)
        fields_of[item.el] = fields
        cid = _comment_id(item)
        if cid is None:
            author = inline_text(fields.author) if fields.author is not None else ""
            when = fields.date.get("datetime") if fields.date is not None else ""
            body = (
                render_text(fields.content) if fields.content is not None else render_text(item.el)
            )
            key = f"{author}\x00{when}\x00{body}".encode()
            cid = "h" + hashlib.sha1(key).hexdigest()[:12]
        ids[item.el] = cid
    comments: list[Comment] = []
    kinds: Counter[str] = Counter()
    dropped: set[HtmlElement] = set()
    for item in items:
        parent = item.parent
        while parent is not None and parent.el in dropped:
            parent = parent.parent
        item.parent = parent
        comment = _comment_from_item(item, ids, url, fields_of[item.el])
        if comment is None:
            dropped.add(item.el)
            continue
        comments.append(comment)
        kinds[item.kind] += 1
    return comments, kinds
