"""Threaded comments of one page, the thread's other pages, and merging the pages.

Sources, tried in order: comment records in the HTML (CMS/theme markup such as WordPress
``li#comment-N``, schema.org microdata ``Comment``, and comment-classed items), JSON-LD
``comment`` arrays, then a generic heuristic (items with an id, an author, a time and a
content element). Pages whose comments only a script widget loads (Disqus, Facebook,
Viafoura, OpenWeb, ...) yield no comments and name the widget in ``comments_source``.

One walk over each comment item's own elements (nested replies pruned) finds its author,
time and content; everything is pure over one parsed tree.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml.html import HtmlElement

from ..items import Comment
from .dates import parse_date
from .pageindex import PageIndex, page_index
from .urls import absolute_url, canonicalize_url

__all__ = [
    "SCRIPTED",
    "WIDGET_NAMES",
    "CommentThread",
    "comment_section_elements",
    "extract_comments",
    "merge_comment_pages",
]

# ``comments_source`` of a page whose empty comment container a script of the page fills
# (no widget we know by name): see _scripted_thread.
SCRIPTED = "script"


@dataclass
class CommentThread:
    comments: list[Comment] = field(default_factory=list)
    comment_count: int | None = None
    page_urls: list[str] = field(default_factory=list)
    page_number: int | None = None
    source: str | None = None
    comments_source: str | None = None


# ---------------------------------------------------------------------------- XPaths

_CLS = "contains(concat(' ', normalize-space(@class), ' '), ' {} ')"


def _commentish(ix: PageIndex) -> list[HtmlElement]:
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


def _ld_scripts(ix: PageIndex) -> list[HtmlElement]:
    """``//script[@type='application/ld+json']``."""
    return [el for el in ix.tagged("script") if el.get("type") == "application/ld+json"]


def _page_hrefs(ix: PageIndex) -> list[HtmlElement]:
    """``//a[@href][contains(@href, 'comment-page-') or contains(@href, 'cpage=')
    or contains(@href, '#comments')]``."""
    found = [
        el
        for href, els in ix.values("href").items()
        if "comment-page-" in href or "cpage=" in href or "#comments" in href
        for el in els
        if el.tag == "a"
    ]
    return ix.in_order(found)


def _widget_signature(ix: PageIndex) -> list[str]:
    """What widget patterns are matched against: the page's ids and classes, script and
    iframe addresses, and custom element names (``//@id | //@class | //script/@src |
    //iframe/@src`` and ``//*[contains(name(), '-') or contains(name(), ':')]``). Each
    pattern matches within one line, so distinct values in any order do."""
    parts: list[str] = [*ix.values("id"), *ix.values("class")]
    parts.extend(
        src
        for src, els in ix.values("src").items()
        if any(el.tag in ("script", "iframe") for el in els)
    )
    parts.extend(tag for tag in ix.tags() if "-" in tag or ":" in tag)
    return parts


# widget name and what its hint element's signature (tag, id, class, src, data, inline
# script) contains; the first listed wins
_WIDGETS: list[tuple[str, re.Pattern[str]]] = [
    (name, re.compile(pattern, re.I | re.M))
    for name, pattern in [
        ("disqus", r"^disqus_thread$|disqus\.com|^disqus$"),
        (
            "facebook",
            r"(?<![\w-])fb-comments(?![\w-])|^fb:comments$|facebook\.com/plugins/comments",
        ),
        ("viafoura", r"viafoura|^vf-"),
        ("openweb", r"spot\.im|spot-im|spotim|(?<![\w])openweb"),
        ("livefyre", r"livefyre"),
        ("coral", r"coral_thread|coral(?:project)?\.[a-z]+/|/coral\.js|embed\.js.*coral"),
        ("vuukle", r"vuukle"),
        ("hyvor", r"hyvor-talk"),
        ("commento", r"^commento$|commento\.io"),
        ("utterances", r"utteranc"),
        ("giscus", r"giscus"),
        ("insticator", r"insticator"),
        ("gigya", r"gigya.*comment|comment.*gigya"),
        ("intensedebate", r"intensedebate"),
        ("cackle", r"^mc-container$|cackle\.me"),
        ("hypercomments", r"hypercomments"),
        ("remark42", r"^remark42$|remark42"),
        # read through their APIs: scraper/extract/widgets/
        ("isso", r"^isso-thread$"),
        ("waline", r"^waline$|@waline/"),
    ]
]
# a literal every match of the widget's pattern contains (lower case)
_WIDGET_HINTS: dict[str, tuple[str, ...]] = {
    "disqus": ("disqus",),
    "facebook": ("fb-comments", "fb:comments", "facebook.com/plugins/comments"),
    "viafoura": ("viafoura", "vf-"),
    "openweb": ("spot.im", "spot-im", "spotim", "openweb"),
    "livefyre": ("livefyre",),
    "coral": ("coral",),
    "vuukle": ("vuukle",),
    "hyvor": ("hyvor-talk",),
    "commento": ("commento",),
    "utterances": ("utteranc",),
    "giscus": ("giscus",),
    "insticator": ("insticator",),
    "gigya": ("gigya",),
    "intensedebate": ("intensedebate",),
    "cackle": ("mc-container", "cackle.me"),
    "hypercomments": ("hypercomments",),
    "remark42": ("remark42",),
    "isso": ("isso-thread",),
    "waline": ("waline",),
}
# Every name ``comments_source`` gives a page whose thread a script loads.
WIDGET_NAMES: frozenset[str] = frozenset([*(name for name, _ in _WIDGETS), SCRIPTED])
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
        "fb-comments", "td-comments-title-wrap",
    }
)  # fmt: skip
_COUNT_CLASS = re.compile(
    r"comments?-title|comments?-number|comments?-count|comments__title|comments__count"
)
_COUNT_CONTAINER_CLASSES = frozenset(
    {"comments-area", "post-comments", "wp-block-comments", "wp-block-post-comments"}
)
_PAGINATION_CLASS = re.compile(r"comments?-(?:pagination|navigation|nav)\b|comments_pagination")


# ---------------------------------------------------------------------------- patterns

_WP_ID = re.compile(r"^(?:li-|div-)?comment-?(\d+)$", re.I)
_ID_DIGITS = re.compile(r"^(?:comment|cmt|c|post|reply|li-comment|div-comment)?[-_]?(\d+)$", re.I)
_FRAGMENT_ID = re.compile(r"#(?:comment|li-comment|div-comment|c)-?(\d+)$", re.I)
_PAGE_IN_URL = re.compile(r"/comment-page-(\d+)(?=/|$|#|\?)|[?&]cpage=(\d+)")
_ITEM_CLASSES = frozenset({"comment", "pingback", "trackback", "comment-item", "comment_item"})
_REGION = re.compile(r"comment|discussion|repl|respons|kommentar|коммент|댓글", re.I)
_BODY_CLASS = re.compile(r"entry-content|article-body|post-content|article__body|td-post-content")

_SKIP_TAGS = frozenset(
    {
        "script", "style", "noscript", "template", "svg", "iframe", "button", "select",
        "input", "textarea", "form", "img", "picture", "video", "audio", "object",
    }
)  # fmt: skip
_SKIP_CLASSES = frozenset(
    {
        "reply", "comment-reply-link", "comment-reply", "comment-edit-link", "edit-link",
        "comment-awaiting-moderation", "says", "screen-reader-text", "sr-only",
        "wp-block-comment-reply-link", "wp-block-comment-edit-link", "comment-reply-title",
        "comment-actions", "comment-footer-actions",
    }
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "blockquote", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "table", "tr", "figure", "figcaption", "section", "article", "header",
        "footer", "dl", "dt", "dd", "hr", "address", "aside", "details", "summary",
    }
)  # fmt: skip
_BOILERPLATE = re.compile(
    r"^(?:reply|antworten|répondre|responder|rispondi|ответить|답글|답글달기|report|"
    r"your comment is awaiting moderation\.?|ihr kommentar muss noch freigegeben werden\.?|"
    r"(?:loading|lade|chargement|cargando|загрузка)\b.{0,30}\.{0,3}…?)$",
    re.I,
)
_SAYS = re.compile(r"\s*(?:says|said|sagt|dit|dice|diz|пишет|говорит)\s*:?\s*$", re.I)
_NUM_WORDS = {
    "no": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_COUNT_NOUN = (
    r"(?:comments?|responses?|thoughts?|replies|reply|kommentare?|commentaires?|"
    r"comentarios?|comentários?|commenti|reacties|reactions?|коммент\w*|отзыв\w*|"
    r"ответ\w*|댓글)"
)
_COUNT_BEFORE = re.compile(
    rf"(?<![\w.,])(\d{{1,3}}(?:[,.\s]\d{{3}})*|\d+|{'|'.join(_NUM_WORDS)})\s+(?:\w+\s+)?{_COUNT_NOUN}(?!\w)",
    re.I,
)
_COUNT_AFTER = re.compile(rf"{_COUNT_NOUN}\s*[(:\[]\s*(\d[\d,.]*)\s*\)?", re.I)
_OLDER = re.compile(
    r"older|previous|earlier|prev|«|‹|←|ältere|anciens|anteriores|antiguos|предыдущ|"
    r"старые|이전",
    re.I,
)
_NEWER = re.compile(
    r"newer|next|later|»|›|→|neuere|récents|recientes|siguientes|следующ|новые|다음", re.I
)


def _classes(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").lower().split()


# ---------------------------------------------------------------------------- text


def _skip(el: HtmlElement) -> bool:
    if el.tag in _SKIP_TAGS:
        return True
    cls = el.get("class")
    return bool(cls) and any(c in _SKIP_CLASSES for c in cls.lower().split())


def _render(el: HtmlElement, prune: Callable[[HtmlElement], bool] | None = None) -> str:
    """What a reader sees: block elements separated by a blank line, ``<br>`` a newline,
    whitespace collapsed; reply/edit links, forms and media skipped."""
    blocks: list[str] = []
    cur: list[str] = []

    def flush() -> None:
        if cur:
            lines = [" ".join(line.split()) for line in "".join(cur).split("\n")]
            text = "\n".join(line for line in lines if line).strip()
            if text and not _BOILERPLATE.match(text):
                blocks.append(text)
            cur.clear()

    def walk(node: HtmlElement, top: bool) -> None:
        tag = node.tag
        if not isinstance(tag, str):
            if node.tail:
                cur.append(node.tail)
            return
        if not top and (_skip(node) or (prune is not None and prune(node))):
            if node.tail:
                cur.append(node.tail)
            return
        block = not top and tag in _BLOCK_TAGS
        if block:
            flush()
        if tag == "br":
            cur.append("\n")
        if node.text:
            cur.append(node.text)
        for child in node:
            walk(child, False)
        if block:
            flush()
        if not top and node.tail:
            cur.append(node.tail)

    walk(el, True)
    flush()
    return "\n\n".join(blocks)


def _inline(el: HtmlElement) -> str:
    return " ".join(_render(el).split())


# ---------------------------------------------------------------------------- items


@dataclass
class _Item:
    el: HtmlElement
    kind: str  # "cms" | "microdata" | "heuristic"
    parent: _Item | None = None
    own: list[HtmlElement] = field(default_factory=list)


def _item_kind(el: HtmlElement) -> str | None:
    el_id = el.get("id") or ""
    if _WP_ID.match(el_id):
        return "cms"
    itemtype = el.get("itemtype") or ""
    if itemtype.endswith(("/Comment", "/UserComments")) or (
        el.get("itemprop") == "comment" and el.get("itemscope") is not None
    ):
        return "microdata"
    if any(c in _ITEM_CLASSES for c in _classes(el)):
        return "heuristic"
    return None


def _own_elements(item: HtmlElement, items: set[HtmlElement]) -> list[HtmlElement]:
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


def _build_items(elements: Iterable[tuple[HtmlElement, str]]) -> list[_Item]:
    """Items with their parents (nearest item ancestor) and own elements, document order.

    An item wrapping another item with the same id (``li#li-comment-5 > div#comment-5``)
    is one comment: the inner element is not an item.
    """
    found: list[_Item] = []
    by_el: dict[HtmlElement, _Item] = {}
    for el, kind in elements:
        parent_el = _nearest(el, by_el)  # the items so far (a dict's keys: no copy per item)
        if parent_el is not None:
            parent = by_el[parent_el]
            if _raw_id(parent.el) and _raw_id(parent.el) == _raw_id(el):
                continue
        item = _Item(el, kind, by_el.get(parent_el) if parent_el is not None else None)
        by_el[el] = item
        found.append(item)
    keys = set(by_el)
    for item in found:
        item.own = _own_elements(item.el, keys)
    return found


def _raw_id(el: HtmlElement) -> str | None:
    m = _WP_ID.match(el.get("id") or "")
    return m.group(1) if m else None


@dataclass
class _Fields:
    author: HtmlElement | None = None
    date: HtmlElement | None = None
    content: HtmlElement | None = None


_STRONG_CONTENT = frozenset(
    {
        "comment-content", "wp-block-comment-content", "comment_content", "commentcontent",
        "comment-body__content", "comment__content", "comment-text-content", "comment-entry",
    }
)  # fmt: skip


def _is_inside(el: HtmlElement, container: HtmlElement | None) -> bool:
    if container is None:
        return False
    return any(anc is container for anc in el.iterancestors())


class _Traits(NamedTuple):
    """What an element's class tokens say about its role in a comment."""

    any: bool  # it has a class
    strong: bool  # the comment's text, by a known class
    author_name: bool  # "fn", "…author-name"
    author: bool  # "…author…", not an avatar
    user: bool  # "…user…", "…nick…", "…name", not a picture
    date: bool  # "…date…", "…time…", "…published…", not "update"
    content: bool  # "…content…", "…text…", "…body…", "…message…", not meta/author/avatar


@lru_cache(maxsize=4096)
def _class_traits(cls: str) -> _Traits:
    """The traits of a class attribute (comments repeat the same few, so each is read
    once)."""
    classes = cls.lower().split()
    return _Traits(
        any=bool(classes),
        strong=any(c in _STRONG_CONTENT for c in classes),
        author_name="fn" in classes
        or any(c.endswith(("author-name", "author_name", "authorname")) for c in classes),
        author=any("author" in c and "avatar" not in c for c in classes),
        user=any(
            ("user" in c or "nick" in c or c.endswith("name"))
            and not any(x in c for x in ("avatar", "img", "photo", "pic", "icon", "badge"))
            for c in classes
        ),
        date=any(
            ("date" in c or "time" in c or "published" in c) and "update" not in c for c in classes
        ),
        content=any(
            ("content" in c or "text" in c or "body" in c or "message" in c)
            and "author" not in c
            and "meta" not in c
            and "avatar" not in c
            for c in classes
        ),
    )


def _find_fields(own: list[HtmlElement]) -> _Fields:
    strong: HtmlElement | None = None
    generic: list[HtmlElement] = []
    authors: list[tuple[int, int, HtmlElement]] = []
    dates: list[tuple[int, int, HtmlElement]] = []
    for pos, el in enumerate(own):
        classes = _class_traits(el.get("class") or "")
        prop = (el.get("itemprop") or "").lower()
        tag = el.tag
        if strong is None and (prop in ("text", "commenttext") or classes.strong):
            strong = el
            continue
        if tag in ("a", "img", "svg", "span", "time") and not classes.any and not prop:
            if tag == "time":
                dates.append((1 if el.get("datetime") else 3, pos, el))
            elif tag == "a" and "#comment" in (el.get("href") or ""):
                dates.append((5, pos, el))  # a permalink printed as the comment's date
            continue
        # author
        if prop in ("author", "creator"):
            authors.append((2, pos, el))
        elif classes.author_name:
            authors.append((1, pos, el))
        elif tag == "cite":
            authors.append((3, pos, el))
        elif classes.author:
            authors.append((4, pos, el))
        elif classes.user:
            authors.append((5, pos, el))
        # date
        if tag == "time" or el.get("datetime"):
            dates.append((1 if el.get("datetime") else 3, pos, el))
        elif prop in ("datepublished", "datecreated", "commenttime", "datemodified"):
            dates.append((2, pos, el))
        elif classes.date:
            dates.append((4, pos, el))
        elif tag == "a" and "#comment" in (el.get("href") or ""):
            dates.append((5, pos, el))  # a permalink printed as the comment's date
        # generic content
        if classes.content:
            generic.append(el)
    if strong is not None:
        outside_a = [a for a in authors if not _is_inside(a[2], strong)]
        outside_d = [d for d in dates if not _is_inside(d[2], strong)]
        if (authors and not outside_a) or (dates and not outside_d):
            # a "content" wrapper around author and date too: not the text itself
            generic.insert(0, strong)
            strong = None
        else:
            authors, dates = outside_a, outside_d
    fields = _Fields(content=strong)
    if authors:
        fields.author = min(authors, key=lambda a: (a[0], a[1]))[2]
        # the name inside an itemprop=author Person
        if (fields.author.get("itemprop") or "").lower() in ("author", "creator"):
            for sub in fields.author.iter():
                if sub.get("itemprop") == "name":
                    fields.author = sub
                    break
    if dates:
        fields.date = min(dates, key=lambda d: (d[0], d[1]))[2]
    if strong is None and generic:
        anchors = [e for e in (fields.author, fields.date) if e is not None]
        for el in generic:
            if any(_is_inside(a, el) or a is el for a in anchors):
                continue
            if fields.author is not None and _is_inside(el, fields.author):
                continue
            fields.content = el
            break
    return fields


def _author_of(el: HtmlElement | None, url: str) -> tuple[str | None, str | None]:
    if el is None:
        return None, None
    name = _SAYS.sub("", _inline(el)).strip() or None
    link: str | None = None
    anchors = [el] if el.tag == "a" else list(el.iter("a"))
    for a in anchors:
        href = absolute_url(url, a.get("href"))
        if href:
            link = href
            break
    return name, link


def _date_of(el: HtmlElement | None) -> tuple[str | None, str | None]:
    if el is None:
        return None, None
    raw = el.get("datetime") or el.get("content")
    text = _inline(el) or None
    for cand in (raw, el.get("title"), text):
        parsed = parse_date(cand)
        if parsed:
            return parsed, raw or text
    return None, raw or text


def _comment_id(item: _Item) -> str | None:
    el = item.el
    el_id = el.get("id") or ""
    m = _ID_DIGITS.match(el_id)
    if m:
        return m.group(1)
    for attr in ("data-comment-id", "data-commentid", "data-id", "itemid"):
        value = el.get(attr)
        if value:
            fm = _FRAGMENT_ID.search(value)
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
            fm = _FRAGMENT_ID.search(sub.get("href") or "")
            if fm:
                return fm.group(1)
    return el_id or None


def _comment_from_item(
    item: _Item, ids: dict[HtmlElement, str], url: str, fields: _Fields
) -> Comment | None:
    classes = _classes(item.el)
    is_ping = "pingback" in classes or "trackback" in classes
    author_el = fields.author
    if is_ping and author_el is None:
        author_el = next((e for e in item.own if e.tag == "a" and e.get("href")), None)
    author, author_url = _author_of(author_el, url)
    published_at, published_raw = _date_of(fields.date)
    if fields.content is not None:
        text = _render(fields.content)
    else:
        if not is_ping and item.kind != "cms":
            return None
        drop = {e for e in (fields.date, None if is_ping else fields.author) if e is not None}
        own = set(item.own)

        def prune(node: HtmlElement) -> bool:
            if node not in own:
                return True  # a nested comment
            if node in drop:
                return True
            return any(c in ("comment-meta", "comment-metadata") for c in _classes(node))

        text = _render(item.el, prune)
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


def _comments_from_items(items: list[_Item], url: str) -> tuple[list[Comment], dict[str, int]]:
    ids: dict[HtmlElement, str] = {}
    fields_of: dict[HtmlElement, _Fields] = {}
    for item in items:
        fields = _find_fields(item.own)
        fields_of[item.el] = fields
        cid = _comment_id(item)
        if cid is None:
            author = _inline(fields.author) if fields.author is not None else ""
            when = fields.date.get("datetime") if fields.date is not None else ""
            body = _render(fields.content) if fields.content is not None else _render(item.el)
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
    fields = _find_fields(list(el.iterdescendants()))
    return fields.content is not None and (fields.author is not None or fields.date is not None)


def _html_items(commentish: list[HtmlElement]) -> list[_Item]:
    chosen: list[tuple[HtmlElement, str]] = []
    for el in commentish:
        if el.tag not in ("li", "div", "article", "section"):
            continue
        kind = _item_kind(el)
        if kind is None:
            continue
        if kind == "heuristic" and not (_in_comment_region(el) and _valid_heuristic(el)):
            continue
        chosen.append((el, kind))
    return _build_items(chosen)


def _generic_items(ix: PageIndex) -> list[_Item]:
    chosen: list[tuple[HtmlElement, str]] = []
    for el in _generic_candidates(ix):
        if not any(ch.isdigit() for ch in el.get("id") or ""):
            continue  # records carry numbered ids; wrappers ("comments", "main") do not
        if next(el.iter("form", "textarea"), None) is not None:
            continue
        if (
            any(_BODY_CLASS.search(c) for c in _classes(el))
            or next(el.iter("h1"), None) is not None
        ):
            continue
        fields = _find_fields(list(el.iterdescendants()))
        if fields.content is None or fields.author is None or fields.date is None:
            continue
        if fields.author.tag == "cite" or _BODY_CLASS.search(" ".join(_classes(fields.content))):
            continue  # a citation or the article itself, not a comment
        if not _render(fields.content):
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
        if kids and not _find_fields(_own_elements(el, chosen_set)).content is not None:
            continue
        inner.append((el, kind))
    if len(inner) < 2 and not any(
        _REGION.search((a.get("id") or "") + " " + (a.get("class") or ""))
        for el, _ in inner
        for a in el.iterancestors()
    ):
        return []
    return _build_items(inner)


# ---------------------------------------------------------------------------- JSON-LD


def _ld_objects(ix: PageIndex) -> Iterator[dict[str, Any]]:
    for script in _ld_scripts(ix):
        try:
            data = json.loads(script.text or "")
        except (ValueError, TypeError):
            continue
        stack: list[Any] = [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(reversed(obj))
            elif isinstance(obj, dict):
                yield obj
                graph = obj.get("@graph")
                if graph is not None:
                    stack.append(graph)
                main = obj.get("mainEntity") or obj.get("mainEntityOfPage")
                if isinstance(main, dict | list):
                    stack.append(main)


def _ld_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _ld_text(value.get("name"))
    if isinstance(value, list) and value:
        return _ld_text(value[0])
    return None


def _ld_comments(ix: PageIndex, url: str) -> tuple[list[Comment], int | None]:
    comments: list[Comment] = []
    count: int | None = None
    seen: set[int] = set()

    def visit(obj: Any, parent: str | None, depth: int) -> None:
        items = obj if isinstance(obj, list) else [obj]
        for c in items:
            if not isinstance(c, dict) or id(c) in seen:
                continue
            seen.add(id(c))
            text = _ld_text(c.get("text") or c.get("commentText") or c.get("description"))
            raw_id = c.get("@id") or c.get("identifier") or c.get("url")
            cid = None
            if isinstance(raw_id, str | int):
                fm = _FRAGMENT_ID.search(str(raw_id))
                cid = fm.group(1) if fm else str(raw_id)
            author = c.get("author") or c.get("creator")
            name = _ld_text(author)
            author_url = None
            if isinstance(author, dict) and isinstance(author.get("url"), str):
                author_url = absolute_url(url, author["url"])
            raw_date = c.get("dateCreated") or c.get("datePublished") or c.get("commentTime")
            raw_date = raw_date if isinstance(raw_date, str) else None
            if cid is None:
                key = f"{name}\x00{raw_date}\x00{text}".encode()
                cid = "h" + hashlib.sha1(key).hexdigest()[:12]
            if text is None and name is None:
                continue
            text = " ".join(text.split()) if text else ""
            comments.append(
                Comment(
                    comment_id=cid,
                    parent_id=parent,
                    author=name,
                    published_at=parse_date(raw_date),
                    text=text,
                    depth=depth,
                    published_at_raw=raw_date,
                    author_url=author_url,
                )
            )
            replies = c.get("comment") or c.get("replies")
            if replies:
                visit(replies, cid, depth + 1)

    for obj in _ld_objects(ix):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "Comment" in kinds:
            continue  # reached through its parent's "comment"
        if count is None and obj.get("commentCount") is not None:
            try:
                count = int(str(obj["commentCount"]).strip())
            except ValueError:
                count = None
        if obj.get("comment"):
            visit(obj["comment"], None, 1)
    return comments, count


# ---------------------------------------------------------------------------- count


def _parse_count(text: str) -> int | None:
    if not text or len(text) > 200:
        return None
    m = _COUNT_BEFORE.search(text)
    if m:
        word = m.group(1).lower()
        if word in _NUM_WORDS:
            return _NUM_WORDS[word]
        digits = re.sub(r"\D", "", word)
        return int(digits) if digits else None
    m = _COUNT_AFTER.search(text)
    if m:
        digits = re.sub(r"\D", "", m.group(1))
        return int(digits) if digits else None
    return None


def _stated_count(commentish: list[HtmlElement]) -> int | None:
    candidates: list[HtmlElement] = []
    props: list[HtmlElement] = []
    for el in commentish:
        el_id = el.get("id") or ""
        cls = el.get("class") or ""
        if el.get("itemprop") == "commentCount":
            props.append(el)
        if (
            _COUNT_CLASS.search(cls)
            or _COUNT_CLASS.search(el_id)
            or (el_id == "comments" and el.tag in ("h2", "h3", "h4"))
        ):
            candidates.append(el)
        elif el_id == "comments" or any(c in _COUNT_CONTAINER_CLASSES for c in cls.split()):
            candidates.extend(el.iter("h2", "h3", "h4", "h5"))
    for el in candidates:
        count = _parse_count(_inline(el))
        if count is not None:
            return count
    for el in props:
        value = (el.get("content") or el.text_content() or "").strip()
        if value.isdigit():
            return int(value)
    return None


# ---------------------------------------------------------------------------- pages


def _thread_base(url: str) -> str:
    """The URL of a thread's article: comment-page and ``cpage`` parts and fragment gone."""
    parts = urlsplit(url)
    path = re.sub(r"/comment-page-\d+/?$", "/", parts.path)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "cpage"]
    base = urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))
    return canonicalize_url(base).rstrip("/")


def _page_of(url: str) -> int | None:
    m = _PAGE_IN_URL.search(url)
    if not m:
        return None
    return int(m.group(1) or m.group(2))


def _strip_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


@dataclass
class _PageLink:
    url: str
    number: int | None
    direction: int  # -1 older, +1 newer, 0 unknown


def _page_anchors(ix: PageIndex, commentish: list[HtmlElement]) -> list[HtmlElement]:
    anchors = _page_hrefs(ix)
    seen = set(anchors)
    for el in commentish:
        if _PAGINATION_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            for a in el.iter("a"):
                if a.get("href") and a not in seen:
                    seen.add(a)
                    anchors.append(a)
    return anchors


def _page_links(
    ix: PageIndex, url: str, commentish: list[HtmlElement]
) -> tuple[list[_PageLink], int | None]:
    """Links to other pages of this thread, and a page number the pagination marks current."""
    base = _thread_base(url)
    here = canonicalize_url(_strip_fragment(url))
    links: list[_PageLink] = []
    current: int | None = None
    for a in _page_anchors(ix, commentish):
        href = absolute_url(url, a.get("href"))
        if href is None or "replytocom" in href:
            continue
        if _FRAGMENT_ID.search(href):
            continue  # a comment's permalink, not a page link
        target = _strip_fragment(href)
        if _thread_base(target) != base:
            continue
        if current is None:
            parent = a.getparent()
            for sib in parent if parent is not None else ():
                if not isinstance(sib.tag, str) or sib.tag == "a":
                    continue
                if sib.get("aria-current") == "page" or "current" in _classes(sib):
                    digits = re.sub(r"\D", "", _inline(sib))
                    if digits:
                        current = int(digits)
                        break
        if canonicalize_url(target) == here:
            continue
        label = " ".join(
            [
                _inline(a),
                a.get("rel") or "",
                a.get("class") or "",
                " ".join(
                    (e.get("class") or "") for e in a.iterancestors() if e.tag in ("div", "li")
                )[:200],
            ]
        )
        direction = 0
        text = _inline(a)
        if not text.replace("Page", "").strip().isdigit():
            older = _OLDER.search(label)
            newer = _NEWER.search(label)
            if older and not newer:
                direction = -1
            elif newer and not older:
                direction = 1
        links.append(_PageLink(target, _page_of(target), direction))
    return links, current


def _page_number(
    url: str, links: list[_PageLink], current: int | None, permalink_pages: list[int]
) -> int | None:
    number = _page_of(url)
    if number is not None:
        return number
    if current is not None:
        return current
    if permalink_pages:
        return Counter(permalink_pages).most_common(1)[0][0]
    for link in links:
        if link.number is not None and link.direction == -1:
            return link.number + 1
        if link.number is not None and link.direction == 1:
            return max(link.number - 1, 1)
    if not links:
        return 1
    return None


def _permalink_pages(tree_items: list[_Item], ids: set[str]) -> list[int]:
    pages: list[int] = []
    for item in tree_items:
        for el in item.own:
            if el.tag != "a":
                continue
            href = el.get("href") or ""
            fm = _FRAGMENT_ID.search(href)
            if fm and fm.group(1) in ids:
                number = _page_of(href)
                if number is not None:
                    pages.append(number)
                break
    return pages


# ---------------------------------------------------------------------------- public


def _widget(ix: PageIndex) -> str | None:
    """The script widget that loads this page's comments, from its container's id or
    class, its script's address or inline configuration, or its custom element."""
    parts = _widget_signature(ix)
    parts.extend(
        "disqus" for el in ix.tagged("script") if not el.get("src") and "disqus" in (el.text or "")
    )
    signature = "\n".join(parts)
    lowered = signature.lower()
    for name, pattern in _WIDGETS:
        # a plain substring test first: most pages mention no widget at all
        if any(hint in lowered for hint in _WIDGET_HINTS[name]) and pattern.search(signature):
            return name
    return None


def _comment_form(ix: PageIndex) -> bool:
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


def _scripted_thread(ix: PageIndex, commentish: list[HtmlElement]) -> bool:
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
        if text and not _BOILERPLATE.match(text):  # "Loading comments…" is not a comment
            continue
        if not _REGION.search(f"{el.get('id') or ''} {el.get('class') or ''}"):
            continue
        el_id = el.get("id")
        if el_id and f"#{el_id}" in hrefs:
            return True
        if count is None:
            count = _stated_count(commentish) or 0
        if count > 0:
            return True
    return False


def extract_comments(tree: HtmlElement, url: str, index: PageIndex | None = None) -> CommentThread:
    """The comments of this page (document order), the count the page states, the other
    pages of the thread it links to and this page's number in the thread."""
    ix = page_index(tree, index)
    commentish = _commentish(ix)
    items = _html_items(commentish)
    comments, kinds = _comments_from_items(items, url) if items else ([], Counter())
    source: str | None = kinds.most_common(1)[0][0] if kinds else None
    ld_comments, ld_count = _ld_comments(ix, url)
    if not comments:
        if ld_comments:
            comments, source = ld_comments, "jsonld"
        else:
            items = _generic_items(ix)
            comments, kinds = _comments_from_items(items, url) if items else ([], Counter())
            source = "heuristic" if comments else None
    count = _stated_count(commentish)
    if count is None and items and comments:
        # a heading over the list ("Reader responses (3)") in the section holding it
        holder = _list_holder(next(i.el for i in items if i.parent is None))
        for heading in holder.iter("h2", "h3", "h4", "h5"):
            count = _parse_count(_inline(heading))
            if count is not None:
                break
    if count is None:
        count = ld_count
    if comments:
        comments_source: str | None = "html"
    elif (widget := _widget(ix)) is not None:
        comments_source = widget
    elif _comment_form(ix):
        # An open thread with nothing in it yet: the page shows zero comments.
        comments_source = "html"
        if count is None:
            count = 0
    elif _scripted_thread(ix, commentish):
        comments_source = SCRIPTED
    else:
        comments_source = "none"
    links, current = _page_links(ix, url, commentish)
    ids = {c.comment_id for c in comments}
    number = _page_number(url, links, current, _permalink_pages(items, ids)) if comments else None
    if number is None and comments_source == "html" and not links:
        number = 1
    urls: list[str] = []
    seen: set[str] = set()
    for link in sorted(links, key=lambda lk: lk.number if lk.number is not None else 10**9):
        key = canonicalize_url(link.url)
        if key not in seen:
            seen.add(key)
            urls.append(link.url)
    return CommentThread(
        comments=comments,
        comment_count=count,
        page_urls=urls,
        page_number=number,
        source=source,
        comments_source=comments_source,
    )


def merge_comment_pages(threads: list[CommentThread]) -> list[Comment]:
    """All pages of one article's thread as one list in document order, each comment once.

    Pages go oldest first (by ``page_number``; pages with no number keep their order,
    last), each page in its document order, so every reply stays right under its parent;
    a comment shown on two pages (WordPress shows the newest page at the bare URL too) is
    kept once.
    """
    ordered = sorted(
        enumerate(threads),
        key=lambda it: (it[1].page_number is None, it[1].page_number or 0, it[0]),
    )
    merged: list[Comment] = []
    seen: set[str] = set()
    for _, thread in ordered:
        for comment in thread.comments:
            if comment.comment_id in seen:
                continue
            seen.add(comment.comment_id)
            merged.append(comment)
    return merged


def _list_holder(item: HtmlElement) -> HtmlElement:
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
    commentish = _commentish(ix)
    found: list[HtmlElement] = []
    for el in commentish:
        if el.tag == "a":
            continue
        if (el.get("id") or "") in _SECTION_IDS or any(
            c in _SECTION_CLASSES for c in (el.get("class") or "").split()
        ):
            found.append(el)
    for item in _html_items(commentish):
        if item.parent is None:
            found.append(_list_holder(item.el))
    chosen = set()
    for el in found:
        if el.tag in ("html", "body", "main") or next(el.iter("h1"), None) is not None:
            continue
        chosen.add(el)
    outer = [el for el in chosen if not any(a in chosen for a in el.iterancestors())]
    return ix.in_order(outer)
