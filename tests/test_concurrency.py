"""Concurrent use: queries (``newsarchive query``'s read-only path) and ``newsarchive
serve`` (Datasette) read the archive while a crawl writes it (WAL): no "database is
locked", and no partially written article is ever visible."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from archive.db import ArchiveError, open_archive
from archive.demo import CrawlFailed
from archive.queries import run_readonly_query
from scraper.demosite.build import build_site
from scraper.demosite.server import DemoServer
from tests.crawling import run_crawl

# Articles whose comments or prev/next links are not all there: must always be none.
PARTIAL = """
select
  (select count(*) from articles) as articles,
  (select count(*) from articles a where a.comments_source = 'html'
     and a.comment_count != (select count(*) from comments c
                             where c.article_url = a.canonical_url)) as missing_comments,
  (select count(*) from articles a where a.prev_url is not null and not exists
     (select 1 from links l where l.from_url = a.canonical_url and l.rel = 'prev'))
     as missing_links
"""
# The read loop is bounded in time, not in rounds: on a loaded machine the crawl
# subprocess can take seconds to start writing, and a fast loop would end before it.
DEADLINE_SECONDS = 120
PAUSE_SECONDS = 0.005


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, proc: subprocess.Popen[bytes]) -> None:
    """Datasette answers before the crawl starts, so its reads can overlap the writes
    (on a loaded machine it can take seconds to start)."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        assert proc.poll() is None, "newsarchive serve exited"
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"newsarchive serve did not answer at {url}")


def test_queries_and_serve_while_a_crawl_writes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    open_archive(db).close()
    site = build_site(30)
    port = _free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    datasette = f"http://127.0.0.1:{port}/live.json?sql={quote(PARTIAL)}&_shape=array"
    seen: list[int] = []
    served: list[int] = []
    errors: list[str] = []
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}/-/versions.json", serve)
        with DemoServer(site, latency=0.02) as server:
            done = threading.Event()

            def crawl_it() -> None:
                try:
                    run_crawl(server.url + site.articles[15].path, db,
                              settings={"ARCHIVE_BATCH_SIZE": "1"})  # fmt: skip
                except CrawlFailed as exc:
                    errors.append(f"crawl: {exc}")
                finally:
                    done.set()

            thread = threading.Thread(target=crawl_it)
            thread.start()
            rounds = 0
            deadline = time.monotonic() + DEADLINE_SECONDS
            while not done.is_set() and time.monotonic() < deadline:
                rounds += 1
                time.sleep(PAUSE_SECONDS)
                try:
                    _, rows = run_readonly_query(db, PARTIAL)
                except ArchiveError as exc:  # e.g. "database is locked": the finding
                    errors.append(f"query: {exc}")
                    continue
                n, missing_comments, missing_links = rows[0]
                assert (missing_comments, missing_links) == (0, 0), rows
                seen.append(n)
                if rounds % 5 == 0:
                    try:
                        with urllib.request.urlopen(datasette, timeout=5) as response:
                            row = json.load(response)[0]
                        assert (row["missing_comments"], row["missing_links"]) == (0, 0), row
                        served.append(row["articles"])
                    except OSError as exc:  # Datasette still starting
                        if served:
                            errors.append(f"serve: {exc}")
            thread.join(timeout=120)
    finally:
        serve.terminate()
        serve.wait(timeout=10)
    assert errors == []
    # The reads really overlapped the crawl: they saw the archive grow.
    assert any(0 < n < len(site.articles) for n in seen), seen[:: max(1, len(seen) // 20)]
    assert any(0 < n < len(site.articles) for n in served), served
    _, rows = run_readonly_query(db, PARTIAL)
    assert rows == [(len(site.articles), 0, 0)]
