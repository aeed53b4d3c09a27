"""One crawl at a time per archive, and a killed crawl never leaves the archive locked."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from archive.demo import crawl_command, crawl_env
from archive.lock import EXIT_LOCKED, ArchiveLock, ArchiveLocked, lock_path_for
from scraper.demosite import DemoServer, build_site
from tests.crawling import run_crawl

SITE = build_site(12)
LOCAL = {"DOWNLOAD_DELAY": "0", "AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO"}


def _wait_for(predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.02)


def test_second_lock_on_the_same_archive_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with (
        ArchiveLock(db),
        pytest.raises(ArchiveLocked, match=r"another crawl is writing .*pid \d+"),
    ):
        ArchiveLock(db).acquire()
    with ArchiveLock(db) as again:  # released: free again
        assert again.held


def test_one_lock_for_an_archive_reached_through_symlinks(tmp_path: Path) -> None:
    """A second crawl that names the same archive through a symlink (to the file or to a
    folder on its path) is refused like one that names it directly."""
    real = tmp_path / "data"
    real.mkdir()
    db = real / "archive.db"
    db.write_bytes(b"")
    (tmp_path / "via-file.db").symlink_to(db)
    (tmp_path / "via-folder").symlink_to(real)
    with ArchiveLock(db):
        for other in (tmp_path / "via-file.db", tmp_path / "via-folder" / "archive.db"):
            with pytest.raises(ArchiveLocked):
                ArchiveLock(other).acquire()
    with ArchiveLock(tmp_path / "via-file.db"), pytest.raises(ArchiveLocked):
        ArchiveLock(db).acquire()
    assert lock_path_for(tmp_path / "via-folder" / "archive.db") == lock_path_for(db)


def test_a_killed_holder_leaves_no_lock(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from archive.lock import ArchiveLock; "
            f"ArchiveLock({str(db)!r}).acquire(); print('locked', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env=crawl_env(),
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(ArchiveLocked, match=f"pid {holder.pid}"):
            ArchiveLock(db).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    with ArchiveLock(db) as lock:
        assert lock.held
    assert lock_path_for(db).exists()  # the file stays; only the flock mattered


def test_a_crawl_started_during_another_exits_at_once(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE, latency=0.5) as server:
        start = server.url + SITE.articles[-1].path
        first = subprocess.Popen(
            crawl_command(start, db, {}, LOCAL),
            env=crawl_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_for(lambda: lock_path_for(db).exists() and lock_path_for(db).stat().st_size > 0)
            _wait_for(lambda: len(server.requests) > 0)
            second = subprocess.run(
                crawl_command(start, db, {}, LOCAL),
                env=crawl_env(),
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert first.poll() is None  # still crawling
        finally:
            first.communicate(timeout=300)
    assert second.returncode == EXIT_LOCKED
    errors = [line for line in second.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and f"another crawl is writing {db}" in errors[0]
    assert f"pid {first.pid}" in errors[0]
    assert "Traceback" not in second.stderr
    conn = sqlite3.connect(db)
    try:
        crawls = conn.execute("select status from crawls").fetchall()
    finally:
        conn.close()
    assert crawls == [("finished",)]  # the refused run left no trace in the archive
    # And the lock is free again once the first crawl is done.
    with DemoServer(SITE) as server:
        run_crawl(server.url + SITE.articles[-1].path, db, "max_articles=1")
