"""The comment count the page states ("12 Comments", "Kommentare (3)", ``itemprop=commentCount``)."""

from __future__ import annotations

import re

from lxml.html import HtmlElement

from .text import inline_text

_COUNT_CLASS = re.compile(
    r"comments?-title|comments?-number|comments?-count|comments__title|comments__count"
)
_COUNT_CONTAINER_CLASSES = frozenset(
    {"comments-area", "post-comments", "wp-block-comments", "wp-block-post-comments"}
)


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


def parse_count(text: str) -> int | None:
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


def stated_count(commentish: list[HtmlElement]) -> int | None:
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
        count = parse_count(inline_text(el))
        if count is not None:
            return count
    for el in props:
        value = (el.get("content") or el.text_content() or "").strip()
        if value.isdigit():
            return int(value)
    return None
