"""The crawl's walk and revisit decisions (scraper/decisions.py), case by case: plain values
in, plain answers out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scraper import decisions


@pytest.mark.parametrize(
    ("archived", "absent", "failed", "recheck"),
    [
        (24, 1, False, True),  # the sitemap lists the rest: the one left out is re-checked
        (100, 20, False, True),  # exactly the share listed
        (100, 21, False, False),  # a partial sitemap (a news sitemap, a capped one)
        (24, 0, False, False),  # nothing left out
        (0, 0, False, False),  # nothing archived for the host
        (1, 1, False, False),  # a sitemap that lists none of the archive
        (24, 1, True, False),  # one of the host's sitemaps failed: the list is not whole
    ],
)
def test_sitemap_departures(archived: int, absent: int, failed: bool, recheck: bool) -> None:
    assert decisions.sitemap_departures(archived, absent, failed=failed) is recheck


# -- revisits ---------------------------------------------------------------------------

_ADMIT = dict(incremental=True, full=False, known=True, hint=None, force=False, due=False)


@pytest.mark.parametrize(
    ("changes", "newest", "decision"),
    [
        ({}, False, "skip"),  # known, not due, not hinted: stepped over
        ({"incremental": False}, False, "fetch"),  # incremental=0: everything reached
        ({"full": True}, False, "fetch"),  # full=1: everything, unconditionally
        ({"known": False}, False, "fetch"),  # the archive lacks it
        ({"hint": "chain"}, False, "fetch"),  # its links changed; validators would not say
        ({"hint": "sitemap lastmod"}, False, "conditional"),
        ({"hint": "departed"}, False, "conditional"),  # left the sitemap: is it gone?
        ({"force": True}, False, "conditional"),  # a start URL or a scheduled revisit
        ({"due": True}, False, "conditional"),  # due by the revisit policy
        ({}, True, "conditional"),  # the newest of its chain: the next one links from it
    ],
)
def test_admit(changes: dict[str, object], newest: bool, decision: str) -> None:
    args = {**_ADMIT, **changes}
    assert decisions.admit(**args, newest_of_chain=newest) == decision  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("prev", "next_", "newest"),
    [("p", None, True), ("p", "n", False), (None, None, False), (None, "n", False)],
)
def test_newest_of_chain(prev: str | None, next_: str | None, newest: bool) -> None:
    assert decisions.newest_of_chain(prev, next_) is newest


@pytest.mark.parametrize(
    ("last_modified", "etag", "headers"),
    [
        (
            "Mon, 01 Jan 2024 00:00:00 GMT",
            '"x"',
            {"If-Modified-Since": "Mon, 01 Jan 2024 00:00:00 GMT"},
        ),
        (None, '"x"', {"If-None-Match": '"x"'}),  # only without a Last-Modified
        (None, None, {}),
    ],
)
def test_conditional_headers(last_modified: str | None, etag: str | None, headers: dict) -> None:  # type: ignore[type-arg]
    assert decisions.conditional_headers(last_modified, etag) == headers


T0 = datetime(2024, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(days=1)


@pytest.mark.parametrize(
    ("stated", "modified", "published", "newer"),
    [
        (T1, None, T0, True),
        (T0, None, T0, False),
        (T1, T1, T0, False),  # the copy was modified as late as the sitemap says
        (None, None, T0, False),  # no lastmod: no hint
        (T1, None, None, False),  # an undated copy: nothing to compare
    ],
)
def test_sitemap_newer(stated, modified, published, newer) -> None:  # type: ignore[no-untyped-def]
    assert decisions.sitemap_newer(stated, modified, published) is newer


@pytest.mark.parametrize(
    ("stated", "checked", "newer"),
    [(T1, T0, True), (T0, T1, False), (None, T0, True), (T1, None, True)],
)
def test_newer_than_check(stated, checked, newer) -> None:  # type: ignore[no-untyped-def]
    assert decisions.newer_than_check(stated, checked) is newer


@pytest.mark.parametrize(
    ("comment_entry", "newer", "comments", "known", "hint"),
    [
        (True, True, None, 3, True),  # a new comment in the comments feed
        (True, False, None, 3, False),  # an old one
        (False, True, 4, 3, True),  # the feed's comment count differs
        (False, True, 3, 3, False),
        (False, True, None, 3, False),  # the feed gives no count
    ],
)
def test_feed_hint(comment_entry, newer, comments, known, hint) -> None:  # type: ignore[no-untyped-def]
    assert (
        decisions.feed_hint(
            comment_entry=comment_entry, newer=newer, comments=comments, known_comments=known
        )
        is hint
    )


@pytest.mark.parametrize(
    ("status", "known", "gone"),
    [
        (410, True, True),
        (404, True, True),
        (500, True, False),
        (410, False, False),
        (None, True, False),
    ],
)
def test_gone(status: int | None, known: bool, gone: bool) -> None:
    assert decisions.gone(status, known=known) is gone


# -- the walk ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("walk", "hops"),
    [
        ("both", [("older", "P"), ("newer", "N")]),
        ("older", [("older", "P")]),
        ("newer", [("newer", "N")]),
        ("none", []),
    ],
)
def test_neighbour_hops(walk: str, hops: list[tuple[str, str]]) -> None:
    assert decisions.neighbour_hops(walk, "P", "N") == hops
    assert decisions.neighbour_hops(walk, None, None) == []


@pytest.mark.parametrize(
    ("walk", "planned", "incremental", "known", "early"),
    [
        ("none", "both", True, False, "both"),  # a new page: its walk goes on at once
        ("none", "both", True, True, "none"),  # known: decided once it is read
        ("none", "older", False, False, "none"),  # not incremental: the request's walk
        ("older", "older", True, False, "older"),
    ],
)
def test_early_walk(walk: str, planned: str, incremental: bool, known: bool, early: str) -> None:
    assert decisions.early_walk(walk, planned, incremental=incremental, known=known) == early


@pytest.mark.parametrize(
    ("walk", "run", "k", "stops"),
    [
        ("older", 10, 10, True),
        ("older", 9, 10, False),
        ("newer", 50, 10, False),  # only walking older stops: newer leads to new articles
        ("older", 50, None, False),  # incremental=0
    ],
)
def test_stops_walk(walk: str, run: int, k: int | None, stops: bool) -> None:
    assert decisions.stops_walk(walk, run, k) is stops


def test_known_run_after() -> None:
    assert decisions.known_run_after(3, unchanged=True) == 4
    assert decisions.known_run_after(3, unchanged=False) == 0


@pytest.mark.parametrize(
    ("incremental", "full", "new", "pages"),
    [
        (False, False, 0, ["/page/2/", "/page/3/"]),  # not incremental: every page
        (True, True, 0, ["/page/2/", "/page/3/"]),  # full=1
        (True, False, 2, ["/page/2/"]),  # new articles on this page: the next page only
        (True, False, 0, []),  # nothing new: paging stops
    ],
)
def test_listing_pages(incremental: bool, full: bool, new: int, pages: list[str]) -> None:
    got = decisions.listing_pages(
        ["/page/2/", "/page/3/"], "/page/2/", incremental=incremental, full=full, new=new
    )
    assert got == pages


@pytest.mark.parametrize(
    ("discover", "listing", "sources", "walk"),
    [
        (None, True, {"chain", "sitemap", "feed", "listing"}, "both"),  # auto, from a listing
        (None, False, {"chain"}, "both"),  # auto, from an article
        (frozenset({"sitemap"}), True, {"sitemap"}, "none"),  # explicit: no chain walk
    ],
)
def test_sources_and_the_walk_of_discovered_articles(discover, listing, sources, walk) -> None:  # type: ignore[no-untyped-def]
    got = decisions.sources(discover, start_is_listing=listing)
    assert got == sources
    assert decisions.walk_for_discovered(got) == walk


def test_relinked() -> None:
    assert decisions.relinked("http://n.example/b/", "http://n.example/c/")
    assert not decisions.relinked("http://n.example/c/", "http://n.example/c/")
    assert decisions.relinked(None, "http://n.example/c/")  # no link stored back yet
