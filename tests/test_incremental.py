"""Incremental runs: a scheduled crawl of an archived site fetches what is new or may have
changed, with conditional requests, and counts what it saw."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from scraper.crawlplan import PlanArgumentError, PlanOptions
from scraper.demosite import DemoServer
from scraper.demosite.changes import SiteChanges, change_site, changed_pages, staged_site
from scraper.schedule import RevisitPolicy, ScheduleError
from tests.crawling import db_rows, run_crawl

BEFORE, GROWN = staged_site(40, new=4)
CHANGES = SiteChanges(edited=(6, 21), commented=(37, 38), removed_comment=(39,), gone=(36,))


def _activity(site) -> int:  # type: ignore[no-untyped-def]
    return max(max([a.last_modified_ts, *(s.ts for s in a.comment_stubs)]) for a in site.articles)


AT = _activity(GROWN) + 1800
AFTER = change_site(GROWN, CHANGES, AT)
FIRST_NOW = datetime.fromtimestamp(_activity(BEFORE) + 3600, UTC).isoformat()
SECOND_NOW = datetime.fromtimestamp(AT + 3600, UTC).isoformat()


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("incremental") / "archive.db"
    with DemoServer(BEFORE) as server:
        run_crawl(server.url + "/", db, "incremental=1", settings={"ARCHIVE_NOW": FIRST_NOW})
        first = server.answers
        server.replace_site(AFTER)
        server.clear_requests()
        run_crawl(server.url + "/", db, "incremental=1", settings={"ARCHIVE_NOW": SECOND_NOW})
        yield server.url, db, first, server.answers, server.requests, server


def test_the_second_run_downloads_what_changed(two_runs) -> None:  # type: ignore[no-untyped-def]
    _, _, first, answers, _, _ = two_runs
    changed = sum(changed_pages(BEFORE, AFTER).values())
    full = [path for path, status in answers if status != 304]
    assert len(full) <= 1.2 * changed + 5
    assert len(answers) < len(first) / 2


def test_new_edited_and_commented_articles_are_caught(two_runs) -> None:  # type: ignore[no-untyped-def]
    base, db, _, _, _, _ = two_runs
    heads = {r["canonical_url"]: r["headline"] for r in db_rows(db, "select * from articles")}
    for a in AFTER.articles[40:]:
        assert heads[base + a.path] == a.headline
    for i in CHANGES.edited:
        assert heads[base + AFTER.articles[i].path].endswith("(updated)")
    comments = {(r[0], r[1]) for r in db_rows(db, "select article_url, comment_id from comments")}
    for i in CHANGES.commented:
        a = AFTER.articles[i]
        assert (base + a.path, str(a.comment_stubs[-1].id)) in comments


def test_gone_article_is_recorded_and_kept(two_runs) -> None:  # type: ignore[no-untyped-def]
    base, db, _, _, _, _ = two_runs
    gone = base + AFTER.articles[36].path
    (state,) = db_rows(db, f"select status from fetch_state where url = '{gone}'")
    assert state["status"] == 410
    assert db_rows(db, f"select 1 from articles where canonical_url = '{gone}'")  # kept
    second = db_rows(db, "select * from crawls order by id")[-1]
    assert second["articles_gone"] == 1
    assert json.loads(second["skipped"])["gone (HTTP 410)"] == 1


def test_conditional_requests_and_the_run_counts(two_runs) -> None:  # type: ignore[no-untyped-def]
    _, db, _, answers, requests, _ = two_runs
    conditional = [r for r in requests if "If-Modified-Since" in r.headers]
    assert conditional  # known articles are asked for with their Last-Modified
    assert not [r for r in requests if "If-None-Match" in r.headers]
    first, second = db_rows(db, "select * from crawls order by id")
    assert (first["articles_new"], first["status"]) == (40, "finished")
    assert second["articles_new"] == 4
    assert second["articles_updated"] >= len(CHANGES.edited) + len(CHANGES.commented)
    assert second["articles_not_modified"] == sum(1 for _, s in answers if s == 304)
    assert second["requests_sent"] == len(answers)
    skipped = json.loads(second["skipped"])
    assert skipped["known, not due"] > 20
    discovered = json.loads(second["discovered"])
    assert discovered["listing"] >= 4 and discovered["schedule"] > 0


def test_full_run_revisits_everything_unconditionally(two_runs, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, db, _, _, _, server = two_runs
    copy = tmp_path / "archive.db"
    conn = sqlite3.connect(db)
    conn.execute(f"vacuum into '{copy}'")
    conn.close()
    server.clear_requests()
    run_crawl(server.url + "/", copy, "full=1", settings={"ARCHIVE_NOW": SECOND_NOW})
    requests = server.requests
    live = {a.path for a in AFTER.articles if a.path not in AFTER.gone}
    assert live <= {r.path for r in requests}
    assert not [r for r in requests if "If-Modified-Since" in r.headers]
    last = db_rows(copy, "select * from crawls order by id")[-1]
    assert last["articles_unchanged"] + last["articles_updated"] == len(live)
    assert json.loads(last["args"])["full"] == 1


def test_walking_older_stops_after_k_known_articles(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    newest = BEFORE.articles[-1]
    with DemoServer(BEFORE) as server:
        start = server.url + newest.path
        run_crawl(start, db, "direction=older", "max_articles=12")
        server.clear_requests()
        # Nothing is due but the start URL: the walk steps over known articles by their
        # stored links and gives up after three in a row.
        run_crawl(
            start,
            db,
            "direction=older",
            "stop_after_known=3",
            settings={"ARCHIVE_REVISIT": "*:never", "ARCHIVE_NOW": FIRST_NOW},
        )
        answers = server.answers
    articles = {a.path for a in BEFORE.articles}
    assert [(p, s) for p, s in answers if p in articles] == [(newest.path, 304)]
    last = db_rows(db, "select * from crawls order by id")[-1]
    assert last["articles_not_modified"] == 1
    assert json.loads(last["skipped"]) == {"known, not due": 2, "stop_after_known": 1}
    assert len(db_rows(db, "select 1 from articles")) == 12


def test_known_articles_not_due_are_stepped_over_by_their_stored_links(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    middle = BEFORE.articles[20]
    with DemoServer(BEFORE) as server:
        run_crawl(server.url + middle.path, db, "max_articles=10", "direction=older")
        server.clear_requests()
        # Nothing is due; one unknown article waits beyond the stored chain.
        run_crawl(
            server.url + middle.path,
            db,
            "direction=older",
            "stop_after_known=50",
            settings={"ARCHIVE_REVISIT": "*:never", "ARCHIVE_NOW": FIRST_NOW},
        )
        paths = server.requested_paths()
    articles = {a.path for a in BEFORE.articles}
    requested = [p for p in paths if p in articles]
    # The start URL (conditional), then straight to the first article older than the
    # archived ten, without fetching the nine in between.
    assert requested[0] == middle.path
    assert BEFORE.articles[10].path in requested
    assert not set(requested) & {a.path for a in BEFORE.articles[11:20]}


def test_recrawl_benchmark_runs() -> None:
    """bench/recrawl.py end to end at a tiny size (the numbers are the script's business)."""
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "bench" / "recrawl.py"), "--articles", "40", "--no-record"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=root,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "second run: full downloads" in result.stdout
    assert "| new articles | 10/10 |" in result.stdout


# -- the pieces -------------------------------------------------------------------------


def test_revisit_policy() -> None:
    policy = RevisitPolicy.parse("1d:0,7d:1d,30d:7d,*:30d")
    now = datetime(2024, 12, 1, tzinfo=UTC)
    day = timedelta(days=1)
    assert policy.due(now - timedelta(hours=2), now - timedelta(seconds=60), now)  # young
    assert not policy.due(now - 3 * day, now - day / 2, now)  # a week: daily
    assert policy.due(now - 3 * day, now - day, now)
    assert not policy.due(now - 20 * day, now - 3 * day, now)  # a month: weekly
    assert policy.due(now - 400 * day, now - 31 * day, now)
    assert policy.due(now, None, now)  # never checked
    assert not RevisitPolicy.parse("*:never").due(now - day, now - 400 * day, now)


@pytest.mark.parametrize("text", ["", "1d", "soon:1d", "1d:often", "never:1d"])
def test_bad_revisit_policies(text: str) -> None:
    with pytest.raises(ScheduleError):
        RevisitPolicy.parse(text)


def test_plan_options() -> None:
    assert PlanOptions.from_args() == PlanOptions(None, True, False, 10)  # incremental by default
    assert PlanOptions.from_args(incremental="0").incremental is False
    assert PlanOptions.from_args(stop_after_known="4") == PlanOptions(None, True, False, 4)
    assert PlanOptions.from_args(incremental="1").stop_after_known == 10
    assert PlanOptions.from_args(full="1").full
    assert PlanOptions.from_args(discover="sitemap,feed").discover == {"sitemap", "feed"}
    for bad in ({"discover": "rss"}, {"stop_after_known": "0"}, {"full": "maybe"}):
        with pytest.raises(PlanArgumentError):
            PlanOptions.from_args(**bad)
