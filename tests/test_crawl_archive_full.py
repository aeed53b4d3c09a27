"""A run whose archive refuses writes (the disk fills up: here a file-size limit on the
crawl's process, which SQLite meets as a full disk) exits 74 with one-line errors and no
traceback, its ``crawls`` row says it failed (when the row can still be written), nothing
it fetched but could not store is settled, and the next run stores all of it."""

from __future__ import annotations

import json
import resource
import signal
import subprocess
from pathlib import Path

import pytest

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env
from scraper.demosite import DemoServer, build_site
from scraper.exitcodes import EXIT_ARCHIVE_FAILED
from tests.crawling import db_rows, run_crawl

SITE = build_site(40)
START = SITE.articles[-1].path


def _crawl_with_file_limit(url: str, db: Path, limit: int) -> subprocess.CompletedProcess[str]:
    def limit_files() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a failed write, not a killed process
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        crawl_command(url, db, {}, {**LOCAL_SETTINGS, "LOG_LEVEL": "INFO"}),
        env=crawl_env(),
        capture_output=True,
        text=True,
        preexec_fn=limit_files,
        timeout=300,
    )


@pytest.mark.parametrize("room", [64 * 1024, 1024 * 1024])
def test_a_full_archive_fails_the_run_and_loses_nothing(tmp_path: Path, room: int) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE) as server:
        run_crawl(server.url + START, db, "max_articles=2")
        full = _crawl_with_file_limit(server.url + START, db, db.stat().st_size + room)
        assert full.returncode == EXIT_ARCHIVE_FAILED, full.stderr[-3000:]
        assert "Traceback" not in full.stderr
        errors = [line for line in full.stderr.splitlines() if " ERROR: " in line]
        assert errors and any("exit status 74" in line for line in errors), errors
        stored = len(db_rows(db, "select canonical_url from articles"))
        assert stored < len(SITE.articles)
        (second,) = db_rows(db, "select status, finish_reason from crawls where id = 2")
        assert second["status"] == "failed"
        assert second["finish_reason"].startswith("archive write failed: ")
        # The next run, with room again, stores everything and says whose run it resumed.
        again = run_crawl(server.url + START, db)
    assert again.returncode == 0, again.stderr[-3000:]
    assert len(db_rows(db, "select canonical_url from articles")) == len(SITE.articles)
    (last,) = db_rows(db, "select status, resumed_crawl_id, errors from crawls where id = 3")
    assert (last["status"], last["resumed_crawl_id"]) == ("finished", 2)
    assert json.loads(last["errors"]) == []
    assert not db_rows(db, "select key from frontier where state != 'done'")
