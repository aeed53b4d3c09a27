"""The demo site's content model: deterministic, seeded, built lazily.

:func:`~scraper.demosite.build.build_site` decides everything that is cheap (dates,
headlines, authors, tags, thread shapes and comment ids) for every article at once; the
article body and the comment texts are generated here from a per-article seed only when
asked for, so a 10 000-article site builds in about a second and renders any page on
demand.

"previous" is older and "next" is newer: ``site.articles`` runs oldest to newest.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from functools import cached_property, lru_cache

from scraper.demosite import words as w
from scraper.demosite.blocks import Block, BulletList, Figure, Heading, Link, Paragraph, Quote, Span

COMMENTS_PER_PAGE = 10  # top-level threads per comment page, as WordPress counts them

# ------------------------------------------------------------------------------ the model


@dataclass(frozen=True, slots=True)
class Section:
    name: str
    slug: str

    @property
    def path(self) -> str:
        return f"/category/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    slug: str

    @property
    def path(self) -> str:
        return f"/author/{self.slug}/"


@dataclass(frozen=True, slots=True)
class CommentStub:
    """The cheap, eagerly built shape of one comment; its text comes later."""

    id: int
    parent_id: int | None
    depth: int
    ts: int  # UTC epoch seconds
    page: int  # the comment page it is shown on (1 = the article URL itself)


@dataclass(frozen=True, slots=True)
class DemoComment:
    id: int
    parent_id: int | None
    author: str
    author_url: str | None
    published_at: str  # ISO 8601 with the site's offset
    published_ts: int
    text: str
    depth: int
    page: int


@dataclass(frozen=True)
class DemoArticle:
    index: int  # position in site.articles, 0 = oldest
    post_id: int  # the WordPress-style ID: /?p=ID redirects to the article
    slug: str
    path: str  # "/2024/03/14/slug/"
    headline: str
    authors: tuple[Author, ...]
    published_at: str
    published_ts: int
    modified_at: str | None  # None: never modified
    modified_ts: int | None
    section: Section
    tags: tuple[str, ...]
    description: str
    comment_stubs: tuple[CommentStub, ...]
    seed: int
    quote_lang: str | None = None  # language of the body's blockquote, None for English
    inline_link: str | None = None  # path of an older article the body links to
    offsite_link: bool = False
    private_link: bool = False
    # When the page last changed without the article changing (a comment removed): the
    # server's Last-Modified. See scraper/demosite/changes.py.
    page_modified_ts: int | None = None

    @property
    def last_modified_ts(self) -> int:
        return self.modified_ts or self.published_ts

    @property
    def featured_image(self) -> str:
        return f"/wp-content/uploads/{self.path[1:9]}{self.slug}-featured.png"

    @property
    def comment_count(self) -> int:
        return len(self.comment_stubs)

    @property
    def comment_pages(self) -> int:
        """How many comment pages the thread has (1 when it has none or few)."""
        return max((s.page for s in self.comment_stubs), default=1)

    def comment_page_path(self, page: int) -> str:
        return self.path if page <= 1 else f"{self.path}comment-page-{page}/"

    @property
    def body(self) -> tuple[Block, ...]:
        return _body(self)

    @property
    def comments(self) -> tuple[DemoComment, ...]:
        """Every comment in thread (document) order, all pages."""
        return _comments(self)


@dataclass(frozen=True, slots=True)
class Specials:
    """Indices of the articles that exist to exercise one behaviour each."""

    zero_comments: int  # no comments, only the "Leave a reply" form
    paginated_comments: int  # 27 top-level threads → 3 comment pages, deep replies
    private_link: int  # its body links to /private/secret-draft/ (robots.txt disallows it)


@dataclass
class Site:
    name: str
    seed: int
    articles: tuple[DemoArticle, ...]  # oldest → newest, one prev/next chain
    sections: tuple[Section, ...]
    authors: tuple[Author, ...]
    specials: Specials
    gone: frozenset[str] = frozenset()  # article paths that now answer 410 Gone

    @cached_property
    def _by_path(self) -> dict[str, DemoArticle]:
        return {a.path: a for a in self.articles}

    @cached_property
    def _by_post_id(self) -> dict[int, DemoArticle]:
        return {a.post_id: a for a in self.articles}

    def by_path(self, path: str) -> DemoArticle | None:
        return self._by_path.get(path)

    def by_post_id(self, post_id: int) -> DemoArticle | None:
        return self._by_post_id.get(post_id)

    def previous(self, article: DemoArticle) -> DemoArticle | None:
        return self.articles[article.index - 1] if article.index > 0 else None

    def next(self, article: DemoArticle) -> DemoArticle | None:
        i = article.index + 1
        return self.articles[i] if i < len(self.articles) else None

    def in_section(self, slug: str) -> list[DemoArticle]:
        """Newest first."""
        return [a for a in reversed(self.articles) if a.section.slug == slug]

    def with_tag(self, slug: str) -> list[DemoArticle]:
        return [a for a in reversed(self.articles) if any(slugify(t) == slug for t in a.tags)]

    def by_author(self, slug: str) -> list[DemoArticle]:
        return [a for a in reversed(self.articles) if any(x.slug == slug for x in a.authors)]

    @cached_property
    def _section_indices(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {s.slug: [] for s in self.sections}
        for a in self.articles:
            out[a.section.slug].append(a.index)
        return out

    def related(self, article: DemoArticle, k: int = 4) -> list[DemoArticle]:
        """Up to ``k`` articles of the same section, nearest older first, never the article
        itself nor its previous or next article (widgets must not look like prev/next)."""
        pool = self._section_indices[article.section.slug]
        at = bisect_left(pool, article.index)
        older = pool[max(0, at - k - 2) : at][::-1]
        newer = pool[at + 1 : at + k + 3]
        picks = [i for i in older + newer if abs(i - article.index) > 1]
        return [self.articles[i] for i in picks[:k]]

    @cached_property
    def most_commented(self) -> tuple[DemoArticle, ...]:
        """The "Popular" widget's pool: the eight most commented articles."""
        ranked = sorted(self.articles, key=lambda a: (-a.comment_count, -a.index))
        return tuple(ranked[:8])


# ------------------------------------------------------------------------ time and slugs


def _last_sunday(year: int, month: int) -> date:
    d = date(year, month, 31)
    return d - timedelta(days=(d.weekday() + 1) % 7)


def utc_offset_hours(ts: int) -> int:
    """Central European time: +02:00 in summer (EU rule), +01:00 otherwise."""
    t = datetime.fromtimestamp(ts, UTC)
    start = datetime.combine(_last_sunday(t.year, 3), datetime.min.time(), UTC) + timedelta(hours=1)
    end = datetime.combine(_last_sunday(t.year, 10), datetime.min.time(), UTC) + timedelta(hours=1)
    return 2 if start <= t < end else 1


def local_time(ts: int) -> datetime:
    tz = timezone(timedelta(hours=utc_offset_hours(ts)))
    return datetime.fromtimestamp(ts, tz)


def iso(ts: int) -> str:
    return local_time(ts).isoformat()


_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_TRANSLIT = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "’": ""})


def slugify(text: str) -> str:
    ascii_text = (
        unicodedata.normalize("NFKD", text.translate(_TRANSLIT))
        .encode("ascii", "ignore")
        .decode("ascii")
        .replace("'", "")
    )
    return _NON_ALNUM.sub("-", ascii_text.lower()).strip("-")


# ----------------------------------------------------------------------- text generation


def _cap(s: str) -> str:
    for i, ch in enumerate(s):
        if ch.isalpha():
            return s[:i] + ch.upper() + s[i + 1 :]
    return s


class Filler(dict[str, str]):
    """``template.format_map(filler)``: every placeholder is a fresh random pick."""

    def __init__(self, rng: random.Random, section: str) -> None:
        super().__init__()
        self.rng = rng
        self.things, self.events = w.TOPICS[section]
        self.deck: list[str] = []

    def __missing__(self, key: str) -> str:
        r = self.rng
        base = key.rstrip("2")
        picks: dict[str, tuple[str, ...]] = {
            "place": w.PLACES, "org": w.ORGS, "official": w.OFFICIALS, "groups": w.GROUPS,
            "time": w.TIMES, "future": w.FUTURES, "said": w.SAID, "adj": w.ADJ,
            "adj_neg": w.ADJ_NEG, "period": w.PERIODS, "outcome": w.OUTCOMES,
            "evidence": w.EVIDENCE, "thing": self.things, "event": self.events,
        }  # fmt: skip
        lower = base.lower().removesuffix("_cap")
        if lower in picks:
            value = r.choice(picks[lower])
            if base.isupper():
                return value.upper()
            return _cap(value) if base[0].isupper() or base.endswith("_cap") else value
        if base == "a_adj":
            adj = r.choice(w.ADJ)
            return ("an " if adj[0] in "aeiou" else "a ") + adj
        if base == "percent":
            return f"{r.randint(2, 38)}.{r.randint(0, 9)} per cent"
        if base == "number":
            return f"{r.randint(120, 9800):,}"
        if base == "money":
            return f"€{r.randint(12, 900)}\u00a0million"
        raise KeyError(key)

    def fill(self, template: str) -> str:
        return _cap(template.format_map(self))

    def sentence(self) -> str:
        """A sentence from a shuffled deck, so one article rarely repeats a template."""
        if not self.deck:
            self.deck = list(w.SENTENCES)
            self.rng.shuffle(self.deck)
        return self.fill(self.deck.pop())

    def sentences(self, n: int) -> str:
        return " ".join(self.sentence() for _ in range(n))


@lru_cache(maxsize=512)
def _body(a: DemoArticle) -> tuple[Block, ...]:
    rng = random.Random(f"body:{a.seed}:{a.index}")
    f = Filler(rng, a.section.slug)
    n = rng.randint
    blocks: list[Block] = [
        Paragraph((Span(f"{rng.choice(w.PLACES).upper()} —", "strong"), " " + f.sentences(4))),
        Paragraph((f.sentences(n(4, 6)),)),
    ]
    if a.inline_link:
        blocks.append(
            Paragraph(
                (
                    f.sentences(2) + " As ",
                    Link("we reported previously", a.inline_link),
                    f", the argument over {rng.choice(f.things)} is not new. " + f.sentences(1),
                )
            )
        )
    blocks += [
        Heading(f.fill(rng.choice(w.SUBHEADS))),
        Paragraph((f.sentences(n(4, 6)),)),
        Paragraph((f.sentences(2), " ", Span(f.fill("{Groups} remain unconvinced."), "em"))),
        Figure(
            src=f"/wp-content/uploads/{a.path[1:9]}{a.slug}-1.png",
            alt=f.fill("{Place} street scene"),
            caption=f"{f.fill(rng.choice(w.CAPTIONS))} Photo: {rng.choice(w.PHOTOGRAPHERS)}",
        ),
        Paragraph((f.sentences(n(4, 5)),)),
    ]
    if a.quote_lang:
        text, lang, gloss = next(q for q in w.FOREIGN_QUOTES if q[1] == a.quote_lang)
        blocks.append(Quote(text, lang))
        blocks.append(Paragraph((f"Roughly translated: “{gloss}” " + f.sentences(2),)))
    else:
        blocks.append(Quote(rng.choice(w.ENGLISH_QUOTES)))
        blocks.append(Paragraph((f.sentences(n(2, 3)),)))
    blocks += [
        Heading(f.fill(rng.choice(w.SUBHEADS))),
        Paragraph((f.sentences(2) + " Under the proposal:",)),
        BulletList(tuple(f.fill(t) for t in rng.sample(w.LIST_ITEMS, n(3, 5)))),
    ]
    if a.offsite_link:
        text, url = rng.choice(w.OFFSITE_LINKS)
        blocks.append(
            Paragraph(
                (f.sentences(2) + " Readers can consult ", Link(text, url), " for the detail.")
            )
        )
    if a.private_link:
        blocks.append(
            Paragraph(
                (
                    "An earlier version of this story was drafted as ",
                    Link("an internal memo", "/private/secret-draft/"),
                    "; it has not been published. " + f.sentences(1),
                )
            )
        )
    blocks.append(Paragraph((f.sentences(n(4, 6)),)))
    blocks.append(Paragraph((f.sentences(n(2, 4)),)))
    if a.modified_at:
        blocks.append(
            Paragraph((Span("Update: this article was updated with a response from", "em"),
                       " " + "{org}.".format_map(f)))
        )  # fmt: skip
    return tuple(blocks)


@lru_cache(maxsize=512)
def _comments(a: DemoArticle) -> tuple[DemoComment, ...]:
    rng = random.Random(f"comments:{a.seed}:{a.index}")
    f = Filler(rng, a.section.slug)
    authors: dict[int, str] = {}
    out: list[DemoComment] = []
    for stub in a.comment_stubs:
        name, url = rng.choice(w.COMMENTERS)
        if stub.parent_id is not None and authors.get(stub.parent_id) == name:
            name, url = w.COMMENTERS[(w.COMMENTERS.index((name, url)) + 1) % len(w.COMMENTERS)]
        authors[stub.id] = name
        if stub.parent_id is None:
            text = " ".join(f.fill(rng.choice(w.COMMENT_LINES)) for _ in range(rng.randint(1, 3)))
        else:
            text = f"@{authors[stub.parent_id]} " + f.fill(rng.choice(w.REPLY_LINES))
        out.append(
            DemoComment(
                id=stub.id,
                parent_id=stub.parent_id,
                author=name,
                author_url=url,
                published_at=iso(stub.ts),
                published_ts=stub.ts,
                text=text,
                depth=stub.depth,
                page=stub.page,
            )
        )
    return tuple(out)
