"""Comments given as JSON-LD: ``comment`` arrays (with nested replies) and ``commentCount``."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any

from lxml.html import HtmlElement

from ...items import Comment
from ..dates import parse_date
from ..pageindex import PageIndex
from ..urls import absolute_url
from .items import FRAGMENT_ID


def _ld_scripts(ix: PageIndex) -> list[HtmlElement]:
    """``//script[@type='application/ld+json']``."""
    return [el for el in ix.tagged("script") if el.get("type") == "application/ld+json"]


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


def jsonld_comments(ix: PageIndex, url: str) -> tuple[list[Comment], int | None]:
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
                fm = FRAGMENT_ID.search(str(raw_id))
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
