"""Crash safety: a crawl killed with SIGKILL at several moments, run again with the same
command each time, ends with the same archive as an uninterrupted crawl."""

from __future__ import annotations

import itertools
import json
import signal
import sqlite3
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.demo import crawl_command, crawl_env
from scraper.demosite import DemoServer, build_site
from tests.crawling import run_crawl

SITE = build_site(30)
START = SITE.articles[len(SITE.articles) // 2]
SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
    "ARCHIVE_BATCH_SIZE": "3",
    "LOG_LEVEL": "INFO",
}


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        return conn.execute(sql).fetchone()[0]
    except sqlite3.OperationalError:  # schema not there yet
        return 0
    finally:
        conn.close()


def _snapshot(db: Path) -> dict[str, object]:
    conn = sqlite3.connect(db)
    try:
        return {
            "articles": conn.execute(
                "select canonical_url, content_hash, headline, comment_count from articles"
                " order by canonical_url"
            ).fetchall(),
            "comments": conn.execute(
                "select article_url, comment_id, parent_id, author, text, depth, position"
                " from comments order by article_url, comment_id"
            ).fetchall(),
            "links": conn.execute(
                "select from_url, rel, to_url, title from links order by from_url, rel"
            ).fetchall(),
        }
    finally:
        conn.close()


def _crawl_until(
    server: DemoServer, db: Path, args: dict[str, str], point: Callable[[], bool]
) -> int:
    """Start the crawl, SIGKILL it as soon as ``point()`` holds; the exit status."""
    process = subprocess.Popen(
        crawl_command(server.url + START.path, db, args, SETTINGS),
        env=crawl_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while process.poll() is None and not point():
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("the kill point never came")
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    return process.wait()


# An incremental walk is where a lost frontier would lose articles: run afresh, it would
# stop after two known articles instead of walking on to the ones the killed run never
# reached. The default walk is killed once as well.
COMMANDS = {
    "incremental": ({"direction": "older", "incremental": "1", "stop_after_known": "2"}, 3),
    "default": ({}, 1),
}


def _args(args: dict[str, str]) -> tuple[str, ...]:
    return tuple(f"{k}={v}" for k, v in args.items())


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    out = {}
    with DemoServer(SITE) as server:
        for name, (args, _) in COMMANDS.items():
            db = tmp_path_factory.mktemp("reference") / "archive.db"
            run_crawl(server.url + START.path, db, *_args(args), settings=SETTINGS)
            # The URLs are the keys: compare against the same port.
            out[name] = {"port": server.port, **_snapshot(db)}
    return out


@pytest.mark.parametrize("command", COMMANDS)
def test_killed_then_finished_equals_uninterrupted(
    tmp_path: Path, reference: dict[str, dict[str, object]], command: str
) -> None:
    db = tmp_path / "archive.db"
    args, kills = COMMANDS[command]
    want = reference[command]
    articles = "select count(*) from articles"
    points = [
        # mid-batch, mid-thread: some articles committed, more pending
        lambda: _count(db, articles) >= 4,
        # at once: while the run is still resuming the frontier it found
        lambda: _count(db, "select count(*) from frontier") >= 2,
        lambda: _count(db, articles) >= 9,
    ][:kills]
    with DemoServer(SITE, port=int(want["port"]), latency=0.01) as server:  # type: ignore[call-overload]
        statuses = [_crawl_until(server, db, args, point) for point in points]
        before_last = _count(db, articles)
        run_crawl(server.url + START.path, db, *_args(args), settings=SETTINGS)
    assert all(status == -signal.SIGKILL for status in statuses), statuses
    assert before_last < len(SITE.articles)  # the kills did interrupt the crawl
    got = _snapshot(db)
    assert len(got["articles"]) == len(SITE.articles) // 2 + 1 or command == "default"
    for table in ("articles", "comments", "links"):
        assert got[table] == want[table], table
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
        crawls = conn.execute(
            "select status, finish_reason, resumed_crawl_id, errors from crawls order by id"
        ).fetchall()
        counted = conn.execute(
            "select id, articles_new, resumed_crawl_id from crawls order by id"
        ).fetchall()
        pending = conn.execute(
            "select count(*) from frontier where state in ('pending', 'leased')"
        ).fetchone()[0]
    finally:
        conn.close()
    *killed, last = crawls
    assert [row[:2] for row in killed] == [("failed", "killed")] * len(killed)
    assert last[:2] == ("finished", "finished")
    assert last[2] is not None  # it resumed the killed run's frontier
    assert json.loads(last[3]) == []
    assert pending == 0
    # Every run's row holds its counts as of its last commit, killed runs too: each article
    # is new exactly once over the runs, and the first run committed some before its kill.
    assert sum(row[1] for row in counted) == len(got["articles"])
    assert counted[0][1] > 0 or kills == 0
    # Each run that resumed names the run it took over, the one just before it.
    for (previous, _, _), (_, _, resumed) in itertools.pairwise(counted):
        assert resumed in (None, previous)
    assert counted[-1][2] == counted[-2][0]
