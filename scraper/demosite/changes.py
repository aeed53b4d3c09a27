"""Changing the demo site between two crawls: new articles, edits, new and removed
comments, an article gone.

    before, grown = staged_site(1000, new=10)     # ``before`` lacks the newest 10
    after = change_site(grown, SiteChanges(edited=(3, 7), commented=(990,), gone=(12,)), at)
    server.replace_site(before) ... crawl ... server.replace_site(after) ... crawl again

:func:`changed_pages` is the truth a re-crawl is measured against: which article and
comment pages really changed between two states of the site.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scraper.demosite.build import build_site
from scraper.demosite.content import COMMENTS_PER_PAGE, CommentStub, DemoArticle, Site, iso


@dataclass(frozen=True)
class SiteChanges:
    """Indices are positions in ``site.articles`` (0 = oldest)."""

    edited: tuple[int, ...] = ()  # headline and modified date change
    commented: tuple[int, ...] = ()  # one new top-level comment each
    removed_comment: tuple[int, ...] = ()  # the last comment of the thread is deleted
    gone: tuple[int, ...] = ()  # the article now answers 410 Gone


def staged_site(n_articles: int, new: int, seed: int = 7) -> tuple[Site, Site]:
    """``(before, grown)``: one site of ``n_articles + new`` articles, and the same site
    before its newest ``new`` articles were published."""
    grown = build_site(n_articles + new, seed)
    return replace(grown, articles=grown.articles[:n_articles]), grown


def _with_comment(a: DemoArticle, comment_id: int, ts: int) -> DemoArticle:
    tops = sum(1 for s in a.comment_stubs if s.parent_id is None)
    stub = CommentStub(comment_id, None, 1, ts, tops // COMMENTS_PER_PAGE + 1)
    return replace(a, comment_stubs=(*a.comment_stubs, stub))


def change_site(site: Site, changes: SiteChanges, at: int) -> Site:
    """The site after ``changes`` made at epoch second ``at``."""
    articles = list(site.articles)
    next_id = 3 + max((s.id for a in articles for s in a.comment_stubs), default=1200)
    for i in changes.edited:
        a = articles[i]
        articles[i] = replace(
            a, headline=a.headline + " (updated)", modified_ts=at, modified_at=iso(at)
        )
    for i in changes.removed_comment:
        a = articles[i]
        if a.comment_stubs:  # the last in thread order is always a leaf
            articles[i] = replace(a, comment_stubs=a.comment_stubs[:-1], page_modified_ts=at)
    for i in changes.commented:
        articles[i] = _with_comment(articles[i], next_id, at)
        next_id += 3
    gone = site.gone | {articles[i].path for i in changes.gone}
    return replace(site, articles=tuple(articles), gone=frozenset(gone))


def _signature(site: Site, a: DemoArticle) -> tuple[object, ...]:
    before, after = site.previous(a), site.next(a)
    return (
        a.headline,
        a.modified_ts,
        a.comment_stubs,
        before.path if before else None,
        after.path if after else None,
        a.path in site.gone,
    )


def changed_pages(old: Site, new: Site) -> dict[str, int]:
    """Article path → number of its pages (article page plus comment pages) that are new,
    changed or gone between ``old`` and ``new``; unchanged articles are left out."""
    old_by_path = {a.path: a for a in old.articles}
    out: dict[str, int] = {}
    for a in new.articles:
        was = old_by_path.get(a.path)
        if was is None or _signature(old, was) != _signature(new, a):
            out[a.path] = 1 if a.path in new.gone else max(a.comment_pages, 1)
    return out
