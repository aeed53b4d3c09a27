"""What the archive's reading page for one article shows: the ``articles`` row, its
comment thread in thread order, its archived neighbours, its earlier versions with
their diffs and its raw captures, read from the archive Datasette serves."""

from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass, field
from typing import Any

import nh3
from markupsafe import Markup

# Markup a reader needs to read an article; everything else (scripts, styles, forms,
# event attributes, iframes) is dropped. The body was cleaned once at extraction; it is
# cleaned again here because the archive holds what hostile pages sent.
BODY_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small",
    "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul",
}  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "time": {"datetime"},
    "blockquote": {"cite"},
}


def sanitise(body_html: str | None) -> Markup:
    """The archived body HTML as markup safe to put in the page."""
    if not body_html:
        return Markup("")
    cleaned = nh3.clean(
        body_html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # nh3 output is sanitised


def json_list(value: Any) -> list[Any]:
    """A JSON list column as a list ([] for empty, not JSON, or not a list)."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or not value.startswith("["):
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return []
    return parsed if isinstance(parsed, list) else []


@dataclass
class Neighbour:
    rel: str  # "prev" or "next"
    url: str
    title: str | None
    archived: bool  # the archive holds it: link to its page there


@dataclass
class Version:
    replaced_at: str
    fetched_at: str | None
    changed_fields: list[str]
    chars_added: int
    chars_removed: int
    diff: Markup  # the body text as it was against the state that replaced it


@dataclass
class ArticlePage:
    row: dict[str, Any]
    authors: list[str]
    tags: list[str]
    categories: list[str]
    body: Markup
    comments: list[dict[str, Any]]
    neighbours: list[Neighbour]
    versions: list[Version] = field(default_factory=list)
    captures: list[dict[str, Any]] = field(default_factory=list)


def body_diff(old: str | None, new: str | None) -> Markup:
    """Word-level diff of two body texts: removed words in ``<del>``, added in ``<ins>``,
    unchanged runs longer than a few words shortened to their ends."""
    old_words, new_words = (old or "").split(), (new or "").split()
    out: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            words = old_words[a1:a2]
            if len(words) > 16:
                words = [*words[:6], "…", *words[-6:]]
            out.append(html.escape(" ".join(words)))
            continue
        if a2 > a1:
            out.append(f"<del>{html.escape(' '.join(old_words[a1:a2]))}</del>")
        if b2 > b1:
            out.append(f"<ins>{html.escape(' '.join(new_words[b1:b2]))}</ins>")
    return Markup(" ".join(out))  # every word is escaped


async def article_page(db: Any, key: str) -> ArticlePage | None:
    """The reading page's content for the article whose canonical URL is ``key``, from a
    Datasette ``Database``; None when the archive has no such article."""
    rows = (await db.execute("select * from articles where canonical_url = ?", [key])).rows
    if not rows:
        return None
    row = dict(rows[0])
    comments = [
        dict(r)
        for r in (
            await db.execute(
                "select comment_id, parent_id, author, author_url, published_at, text, "
                "depth, position, removed_at from comments where article_url = ? "
                "order by position",
                [key],
            )
        ).rows
    ]
    neighbours = []
    for rel in ("prev", "next"):
        url = row.get(f"{rel}_url")
        if not url:
            continue
        found = (
            await db.execute(
                "select headline from articles where canonical_url = ? or url = ?", [url, url]
            )
        ).rows
        title = found[0][0] if found else row.get(f"{rel}_title")
        neighbours.append(Neighbour(rel, url, title, archived=bool(found)))
    return ArticlePage(
        row=row,
        authors=[str(a) for a in json_list(row.get("authors"))],
        tags=[str(t) for t in json_list(row.get("tags"))],
        categories=[str(c) for c in json_list(row.get("categories"))],
        body=sanitise(row.get("body_html")),
        comments=comments,
        neighbours=neighbours,
        versions=await _versions(db, key, row),
        captures=await _captures(db, row),
    )


async def _versions(db: Any, key: str, current: dict[str, Any]) -> list[Version]:
    """Earlier states, newest first, each diffed against the state that replaced it."""
    rows = (
        await db.execute(
            "select snapshot, fetched_at, replaced_at, changed_fields, chars_added, "
            "chars_removed from article_versions where canonical_url = ? "
            "order by replaced_at desc, id desc",
            [key],
        )
    ).rows
    versions = []
    newer_text = current.get("body_text")
    for r in rows:
        try:
            snapshot = json.loads(r["snapshot"])
        except ValueError:
            snapshot = {}
        old_text = snapshot.get("body_text") if isinstance(snapshot, dict) else None
        versions.append(
            Version(
                replaced_at=r["replaced_at"],
                fetched_at=r["fetched_at"],
                changed_fields=[str(f) for f in json_list(r["changed_fields"])],
                chars_added=r["chars_added"],
                chars_removed=r["chars_removed"],
                diff=body_diff(old_text, newer_text),
            )
        )
        newer_text = old_text
    return versions


async def _captures(db: Any, row: dict[str, Any]) -> list[dict[str, Any]]:
    urls = list(dict.fromkeys([row["url"], row["canonical_url"]]))
    marks = ", ".join("?" for _ in urls)
    result = await db.execute(
        f"select id, url, status, fetched_at, kind from captures where url in ({marks}) "
        "order by fetched_at desc limit 100",
        urls,
    )
    return [dict(r) for r in result.rows]
