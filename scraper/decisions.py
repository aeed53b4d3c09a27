"""The crawl's walk and revisit decisions, as pure functions of plain values.

No reactor, no network, no SQLite: every input is a value the plan looked up (what the
archive knows, what this run has seen), every output a plain answer. The plan
(:mod:`scraper.crawlplan`) and the spider's routes call these; ``tests/test_decisions.py``
holds a table of cases for each.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

# A sitemap "lists the rest of the site" when it names at least this share of the host's
# archived articles: the ones it leaves out have left the site's own index and are asked
# for again (a 404/410 marks them removed). A share well below 1 tolerates sitemaps that
# lag or cap their length; one well above 0 keeps a partial sitemap (a news sitemap of the
# last two days, a failed child of an index) from re-checking the whole archive.
DEPARTURE_SHARE = 0.8


def sitemap_departures(archived: int, absent: int, *, failed: bool = False) -> bool:
    """Whether the ``absent`` of a host's ``archived`` articles (not in the sitemaps this
    run read) are re-checked: the sitemaps listed the rest (at least
    :data:`DEPARTURE_SHARE` of them) and none of the host's sitemaps failed this run."""
    if failed or archived <= 0 or absent <= 0:
        return False
    return archived - absent >= DEPARTURE_SHARE * archived


# -- where a page goes ------------------------------------------------------------------

SOURCES = ("chain", "sitemap", "feed", "listing")
ROUTES = ("article", "listing", "other")
# Walk direction -> the link it follows.
DIRECTION_REL = {"older": "prev", "newer": "next"}
# A chain walked from a start article that ends with fewer articles than this is taken as
# no chain (a site whose prev/next links are missing or only join a few pages): discovery
# starts from the site's sitemaps, feeds and home page.
SHORT_CHAIN = 5
# Answers that mean an archived article is gone.
GONE_STATUSES = (404, 410)


def page_route(
    kind: str,
    url: str,
    *,
    is_start: bool = False,
    via_chain: bool = False,
    has_neighbours: bool = False,
    via_pagination: bool = False,
) -> str:
    """Where a fetched HTML page goes: ``article`` (archived), ``listing`` (its links and
    pagination drive discovery; never archived) or ``other`` (counted as skipped).
    ``kind`` is :func:`scraper.extract.classify_page`'s verdict; a start URL that is a
    site root is a home page, however little it looks like one. A page reached as an
    article's previous or next link or already archived as an article (``via_chain``), or
    a start URL that has previous or next article links itself (``has_neighbours``), is an
    article unless it is a listing: the links are the site saying so, and a short article
    (a brief, a photo story) has little prose to show. Likewise a page reached as another
    page of a listing (``via_pagination``: ``rel=next``, ``/page/2/``, ``index2.html``) is
    a listing, however much teaser prose it shows."""
    if is_start and urlsplit(url).path in ("", "/"):
        return "listing"
    if kind not in ROUTES:
        kind = "other"
    if via_pagination and kind == "article":
        return "listing"
    if kind == "other" and (via_chain or (is_start and has_neighbours)):
        return "article"
    return kind


def starts_discovery(route: str, *, is_start: bool, auto: bool, has_neighbours: bool) -> bool:
    """Whether a page starts discovery (sitemaps, feeds, the home page) for its host in
    ``auto`` mode: any listing; a start page that is not an article; a start article with
    neither a previous nor a next link."""
    if not auto:
        return False
    if route == "listing":
        return True
    if not is_start:
        return False
    return route == "other" or not has_neighbours


def short_chain(reached: int, *, room: bool) -> bool:
    """A chain from a start article that ended with fewer than :data:`SHORT_CHAIN`
    articles (``reached``) while ``max_articles`` still leaves room."""
    return room and reached < SHORT_CHAIN


def sources(discover: frozenset[str] | None, *, start_is_listing: bool) -> frozenset[str]:
    """The ways a run finds articles: ``-a discover`` when given, else (``auto``) every
    way from a listing and the chain alone from an article."""
    if discover is not None:
        return discover
    return frozenset(SOURCES) if start_is_listing else frozenset({"chain"})


def walk_for_discovered(sources: frozenset[str]) -> str:
    """The walk of an article found by a sitemap, feed or listing: along its chain in both
    directions when the chain is one of the run's sources, else none."""
    return "both" if "chain" in sources else "none"


# -- the walk ---------------------------------------------------------------------------


def neighbour_hops(walk: str, prev_url: str | None, next_url: str | None) -> list[tuple[str, str]]:
    """``(direction, url)`` of the neighbours a page's ``walk`` goes on to: the previous
    article walking ``older`` (or ``both``), the next one walking ``newer`` (or ``both``)."""
    links = {"older": prev_url, "newer": next_url}
    return [(d, url) for d in walk_directions(walk) if (url := links[d])]


def walk_directions(walk: str) -> tuple[str, ...]:
    """The directions a walk goes on in: ``both``, ``older``, ``newer`` or ``none``."""
    if walk == "both":
        return ("older", "newer")
    return (walk,) if walk in DIRECTION_REL else ()


def early_walk(walk: str, planned_walk: str, *, incremental: bool, known: bool) -> str:
    """Which neighbours to request before extraction. Incremental runs request with walk
    ``none`` and decide once the article is read (an unchanged known article may end the
    walk); a page the archive has never seen cannot be unchanged, so its ``planned_walk``
    goes on at once."""
    if incremental and walk == "none" and not known:
        return planned_walk
    return walk


def stops_walk(walk: str, known_run: int, stop_after_known: int | None) -> bool:
    """Walking older ends after ``stop_after_known`` known, unchanged articles in a row."""
    return walk == "older" and stop_after_known is not None and known_run >= stop_after_known


def known_run_after(known_run: int, *, unchanged: bool) -> int:
    """The run of known, unchanged articles after one more article: one longer if it was
    unchanged (or not modified), else broken."""
    return known_run + 1 if unchanged else 0


def listing_pages(
    pages: list[str], next_page: str | None, *, incremental: bool, full: bool, new: int
) -> list[str]:
    """The pages of a listing to follow: all of them, except on incremental runs, which
    page on (to the next page only) while a page still shows ``new`` articles the archive
    lacks."""
    if incremental and not full:
        return [next_page] if new and next_page else []
    return pages


# -- revisits ---------------------------------------------------------------------------


def admit(
    *,
    incremental: bool,
    full: bool,
    known: bool,
    hint: str | None,
    force: bool,
    due: bool,
    newest_of_chain: bool,
) -> str:
    """Whether an article is requested: ``fetch`` (unconditionally), ``conditional``
    (with its validators) or ``skip``. Every article is fetched on a run that is not
    incremental or is ``full``, and an article the archive lacks always is; a known one
    whose prev/next links changed (a ``chain`` hint) is fetched in full (its validators
    would not say), one due by the revisit policy, hinted otherwise, named as a start URL
    (``force``) or the newest of its chain (the next article, once published, is linked
    from it first) is asked for conditionally; the rest are skipped."""
    if not incremental or not known or full:
        return "fetch"
    if hint == "chain":
        return "fetch"
    if force or hint or due or newest_of_chain:
        return "conditional"
    return "skip"


def newest_of_chain(prev_link: str | None, next_link: str | None) -> bool:
    """A chained article (it has a previous one) whose next link is not known yet."""
    return prev_link is not None and next_link is None


def conditional_headers(last_modified: str | None, etag: str | None) -> dict[str, str]:
    """Last-Modified describes the article; an ETag changes with every sidebar widget on a
    news site, so it is only sent when there is no Last-Modified to send."""
    if last_modified:
        return {"If-Modified-Since": last_modified}
    if etag:
        return {"If-None-Match": etag}
    return {}


def relinked(stored_back_link: str | None, key: str) -> bool:
    """A known neighbour whose stored link back (its ``next`` seen from the older side, its
    ``prev`` from the newer) is not ``key``: its own prev/next link must have changed."""
    return stored_back_link != key


def newer_than_check(stated: datetime | None, checked: datetime | None) -> bool:
    """A date a feed states after the archive's last look; unknown dates count as newer."""
    return stated is None or checked is None or stated > checked


def sitemap_newer(
    stated: datetime | None, modified: datetime | None, published: datetime | None
) -> bool:
    """A sitemap ``lastmod`` (or news date) after the archived copy's own dates."""
    copy = max((t for t in (modified, published) if t), default=None)
    return stated is not None and copy is not None and stated > copy


def feed_hint(
    *, comment_entry: bool, newer: bool, comments: int | None, known_comments: int | None
) -> bool:
    """A feed says a known article changed: a comments-feed entry newer than the last
    look, or a comment count that differs from the archived one."""
    return (comment_entry and newer) or (comments is not None and comments != known_comments)


def gone(status: int | None, *, known: bool) -> bool:
    """A failed request for an archived article that says it is gone (404/410)."""
    return known and status in GONE_STATUSES
