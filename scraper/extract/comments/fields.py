"""A comment item's author, date and content elements, found from class tokens,
itemprops and tags in one walk over the item's own elements, and their values."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from lxml.html import HtmlElement

from ..dates import parse_date
from ..urls import absolute_url
from .text import inline_text

_SAYS = re.compile(r"\s*(?:says|said|sagt|dit|dice|diz|пишет|говорит)\s*:?\s*$", re.I)


@dataclass
class Fields:
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


# role words in class tokens, in the languages comment markup is written in
_AUTHOR_WORDS = ("author", "autor", "auteur")
_USER_WORDS = ("user", "nick", "benutzer", "nutzer", "usuario", "utilisateur")
_DATE_WORDS = ("date", "time", "published", "datum", "fecha")


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
        author=any(any(w in c for w in _AUTHOR_WORDS) and "avatar" not in c for c in classes),
        user=any(
            (any(w in c for w in _USER_WORDS) or c.endswith("name"))
            and not any(x in c for x in ("avatar", "img", "photo", "pic", "icon", "badge"))
            for c in classes
        ),
        date=any(any(w in c for w in _DATE_WORDS) and "update" not in c for c in classes),
        content=any(
            ("content" in c or "text" in c or "body" in c or "message" in c)
            and "author" not in c
            and "meta" not in c
            and "avatar" not in c
            for c in classes
        ),
    )


def find_fields(own: list[HtmlElement]) -> Fields:
    strong: HtmlElement | None = None
    generic: list[HtmlElement] = []
    authors: list[tuple[int, int, HtmlElement]] = []
    dates: list[tuple[int, int, HtmlElement]] = []
    for pos, el in enumerate(own):
        classes = _class_traits(el.get("class") or "")
        prop = (el.get("itemprop") or "").lower()
        tag = el.tag
        if strong is None and (prop in ("text", "commenttext", "reviewbody") or classes.strong):
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
    fields = Fields(content=strong)
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


def author_of(el: HtmlElement | None, url: str) -> tuple[str | None, str | None]:
    if el is None:
        return None, None
    name = _SAYS.sub("", inline_text(el)).strip() or None
    link: str | None = None
    anchors = [el] if el.tag == "a" else list(el.iter("a"))
    for a in anchors:
        href = absolute_url(url, a.get("href"))
        if href:
            link = href
            break
    return name, link


def date_of(el: HtmlElement | None) -> tuple[str | None, str | None]:
    if el is None:
        return None, None
    raw = el.get("datetime") or el.get("content")
    text = inline_text(el) or None
    for cand in (raw, el.get("title"), text):
        parsed = parse_date(cand)
        if parsed:
            return parsed, raw or text
    return None, raw or text


# the share of a record's text (outside its author and date) its one block must hold
_BLOCK_SHARE = 0.6


def text_block(own: list[HtmlElement], fields: Fields) -> HtmlElement | None:
    """A record's text where no class or itemprop names it: the block (``div``, ``p``,
    ``blockquote``) of its own elements with the most text, holding neither its author
    nor its date, when it holds most of the record's text outside them (a record whose
    paragraphs stand loose keeps its whole text instead)."""
    anchors = [e for e in (fields.author, fields.date) if e is not None]
    if not anchors:
        return None
    held = set(own)

    def size(el: HtmlElement, tail: bool = True) -> int:
        return len((el.text or "").strip()) + (len((el.tail or "").strip()) if tail else 0)

    outside = 0
    for el in own:
        if any(el is a for a in anchors):
            outside += len((el.tail or "").strip())
        elif not any(_is_inside(el, a) for a in anchors):
            outside += size(el)
    best: HtmlElement | None = None
    best_len = 0
    for el in own:
        if el.tag not in ("div", "p", "blockquote"):
            continue
        if any(a is el or _is_inside(a, el) or _is_inside(el, a) for a in anchors):
            continue
        length = size(el, tail=False) + sum(
            size(sub) for sub in el.iterdescendants() if sub in held
        )
        if length > best_len:
            best, best_len = el, length
    if best is None or best_len < _BLOCK_SHARE * outside:
        return None
    return best
