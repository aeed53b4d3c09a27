"""An archived article that has left the sitemap (which still lists the rest of its site) is
asked for again by the next run from the home page; when it answers 410 it is marked
removed, and its former neighbours, which now link to each other, are fetched again so
their new previous/next links are stored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from scraper.demosite import DemoServer
from scraper.demosite.build import build_site
from scraper.demosite.changes import SiteChanges, change_site
from tests.crawling import db_rows, run_crawl

SITE = build_site(24, seed=11)
K = 12  # the article deleted between the two runs
_LAST = max(a.last_modified_ts for a in SITE.articles)
AFTER = change_site(SITE, SiteChanges(deleted=(K,)), _LAST + 3600)
# Nothing is due by the revisit policy on the second run: only the departure re-check
# (and the newest article of the chain) asks for known articles.
SETTINGS = {"ARCHIVE_REVISIT": "*:never"}


def _now(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("departures") / "archive.db"
    with DemoServer(SITE) as server:
        run_crawl(server.url + "/", db, settings={**SETTINGS, "ARCHIVE_NOW": _now(_LAST + 60)})
        server.replace_site(AFTER)
        server.clear_requests()
        run_crawl(server.url + "/", db, settings={**SETTINGS, "ARCHIVE_NOW": _now(_LAST + 7200)})
        yield server.url, db, server.answers


def test_the_departed_article_is_marked_removed(two_runs) -> None:  # type: ignore[no-untyped-def]
    base, db, answers = two_runs
    gone = SITE.articles[K]
    assert (gone.path, 410) in answers
    (row,) = db_rows(
        db, f"select removed_at from articles where canonical_url = '{base}{gone.path}'"
    )
    assert row["removed_at"] is not None
    live = db_rows(db, "select count(*) from articles where removed_at is null")[0][0]
    assert live == len(SITE.articles) - 1


def test_its_former_neighbours_store_their_new_links(two_runs) -> None:  # type: ignore[no-untyped-def]
    base, db, answers = two_runs
    older, newer = SITE.articles[K - 1], SITE.articles[K + 1]
    assert (older.path, 200) in answers and (newer.path, 200) in answers
    links = {
        (r["from_url"], r["rel"]): r["to_url"]
        for r in db_rows(db, "select from_url, rel, to_url from links")
    }
    assert links[(base + older.path, "next")] == base + newer.path
    assert links[(base + newer.path, "prev")] == base + older.path


def test_only_the_departed_article_and_its_neighbours_are_fetched_again(two_runs) -> None:  # type: ignore[no-untyped-def]
    _, _, answers = two_runs
    articles = {a.path for a in SITE.articles}
    # Others may be asked conditionally (the newest of the chain, a sitemap lastmod newer
    # than the archived copy) and answer 304; only these three are answered in full.
    full = {(path, status) for path, status in answers if path in articles and status != 304}
    older, gone, newer = (SITE.articles[i].path for i in (K - 1, K, K + 1))
    assert full == {(older, 200), (gone, 410), (newer, 200)}


def test_the_archive_lookups_behind_the_plan(two_runs) -> None:  # type: ignore[no-untyped-def]
    from archive.planstore import ArchiveStore

    base, db, _ = two_runs
    urls = [base + a.path for a in SITE.articles]
    store = ArchiveStore.open(db)
    try:
        # The gone article's neighbours, by its own stored links and by theirs.
        assert store.neighbours(urls[K]) == sorted([urls[K - 1], urls[K + 1]])
        assert store.neighbours(urls[0]) == [urls[1]]
        # A removed article is not counted as archived any more.
        found = store.absent_articles("127.0.0.1", set(urls[: K - 1]))
        assert found.archived == len(urls) - 1
        assert found.absent == [u for i, u in enumerate(urls) if i >= K - 1 and i != K]
        assert store.absent_articles("elsewhere.example", set()).archived == 0
    finally:
        store.close()
