"""Building the demo site (:func:`build_site`): every article's date, headline, authors,
section, tags and comment-thread shape from one seed, in one prev/next chain."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from scraper.demosite import words as w
from scraper.demosite.content import (
    COMMENTS_PER_PAGE,
    Author,
    CommentStub,
    DemoArticle,
    Filler,
    Section,
    Site,
    Specials,
    iso,
    local_time,
    slugify,
)

MAX_COMMENT_DEPTH = 4
COMMENT_ID_BASE = 1200
POST_ID_BASE = 1000
# The newest article is published at this instant; older ones go back from here.
NEWEST_UTC = datetime(2024, 11, 29, 16, 45, 12, tzinfo=UTC)
PAGINATED_THREADS = 27  # top-level threads of the paginated article: 3 comment pages

_REPLY_CHANCE = {1: 0.4, 2: 0.35, 3: 0.3}


def _thread_shape(
    rng: random.Random, n_top: int, start: int, deep: bool
) -> list[tuple[int, int | None, int, int, int]]:
    out: list[tuple[int, int | None, int, int, int]] = []

    def emit(parent: int | None, depth: int, ts: int, page: int, force: int) -> None:
        key = len(out)
        out.append((key, parent, depth, ts, page))
        if depth >= MAX_COMMENT_DEPTH:
            return
        children = 1 if force > depth else 0
        if rng.random() < _REPLY_CHANCE[depth]:
            children = max(children, rng.choice((1, 1, 2)))
        t = ts
        for c in range(children):
            t += rng.randint(180, 8 * 3600)
            emit(key, depth + 1, t, page, force if c == 0 else 0)

    t = start
    for top in range(n_top):
        t += rng.randint(240, 5 * 3600)
        emit(None, 1, t, top // COMMENTS_PER_PAGE + 1, MAX_COMMENT_DEPTH if deep and top < 2 else 0)
    return out


def _specials(n: int) -> Specials:
    return Specials(
        zero_comments=min(2, n - 1),
        paginated_comments=n // 2,
        private_link=max(0, n - 5),
    )


def build_site(n_articles: int = 36, seed: int = 7) -> Site:
    """The demo site: ``n_articles`` articles in one prev/next chain, same seed → same site."""
    if n_articles < 1:
        raise ValueError("a demo site needs at least one article")
    rng = random.Random(seed)
    specials = _specials(n_articles)
    sections = tuple(Section(name, slug) for name, slug in w.SECTIONS)
    staff = tuple(Author(name, slug) for name, slug in w.STAFF)

    newest = int(NEWEST_UTC.timestamp())
    times = [newest]
    for _ in range(n_articles - 1):
        times.append(times[-1] - rng.randint(2 * 3600, 20 * 3600))
    times.reverse()

    drafts: list[dict[str, object]] = []
    shapes: list[list[tuple[int, int | None, int, int, int]]] = []
    seen_slugs: set[str] = set()
    for i, ts in enumerate(times):
        section = rng.choice(sections)
        f = Filler(rng, section.slug)
        headline = f.fill(rng.choice(w.HEADLINES))
        slug = base = slugify(headline)
        k = 2
        while slug in seen_slugs:
            slug, k = f"{base}-{k}", k + 1
        seen_slugs.add(slug)
        modified_ts = ts + rng.randint(3600, 48 * 3600) if rng.random() < 0.3 else None
        if i == specials.zero_comments:
            n_top = 0
        elif i == specials.paginated_comments:
            n_top = PAGINATED_THREADS
        else:
            n_top = rng.choice((1, 1, 2, 3, 3, 4, 5, 6, 8))
        shapes.append(_thread_shape(rng, n_top, ts, deep=i == specials.paginated_comments))
        n_tags = rng.randint(2, 4)
        tags = (*rng.sample(w.TAGS[section.slug], n_tags - 1), rng.choice(w.GENERAL_TAGS))
        drafts.append(
            {
                "index": i,
                "post_id": POST_ID_BASE + 4 * i + i % 3,
                "slug": slug,
                "path": f"{local_time(ts):/%Y/%m/%d/}{slug}/",
                "headline": headline,
                "authors": tuple(rng.sample(staff, 2 if rng.random() < 0.3 else 1)),
                "published_at": iso(ts),
                "published_ts": ts,
                "modified_at": iso(modified_ts) if modified_ts else None,
                "modified_ts": modified_ts,
                "section": section,
                "tags": tags,
                "description": f.sentences(1),
                "seed": seed,
                "quote_lang": rng.choice(w.FOREIGN_QUOTES)[1] if i % 3 == 0 else None,
                "offsite_link": i % 4 == 1,
                "private_link": i == specials.private_link,
            }
        )

    # Comment ids grow with time across the whole site, as a database sequence would.
    order = sorted((c[3], i, c[0]) for i, shape in enumerate(shapes) for c in shape)
    ids = {(i, key): COMMENT_ID_BASE + 3 * rank for rank, (_, i, key) in enumerate(order)}

    articles = []
    for i, draft in enumerate(drafts):
        stubs = tuple(
            CommentStub(
                id=ids[i, key],
                parent_id=None if parent is None else ids[i, parent],
                depth=depth,
                ts=ts,
                page=page,
            )
            for key, parent, depth, ts, page in shapes[i]
        )
        inline = drafts[i - 2 - i % 5]["path"] if i >= 6 else None
        articles.append(DemoArticle(comment_stubs=stubs, inline_link=inline, **draft))  # type: ignore[arg-type]
    return Site(
        name=w.SITE_NAME,
        seed=seed,
        articles=tuple(articles),
        sections=sections,
        authors=staff,
        specials=specials,
    )
