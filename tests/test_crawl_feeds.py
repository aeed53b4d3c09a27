"""Scrapy's own feed exports (``-O items.jsonl``) and item counts hold articles only: what
the crawl tells the archive about each fetch (validators, frontier entries to settle) goes
by a signal, not as items."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env
from scraper.demosite import DemoServer, build_site
from tests.crawling import db_rows

SITE = build_site(12)


def test_an_items_feed_holds_each_article_once(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    feed = tmp_path / "items.jsonl"
    with DemoServer(SITE) as server:
        cmd = crawl_command(server.url + SITE.articles[5].path, db, {}, LOCAL_SETTINGS)
        result = subprocess.run(
            [*cmd, "-O", str(feed), "-s", "LOG_LEVEL=INFO"],
            env=crawl_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    archived = {r["canonical_url"] for r in db_rows(db, "select canonical_url from articles")}
    assert len(archived) == len(SITE.articles)
    lines = [json.loads(line) for line in feed.read_text("utf-8").splitlines()]
    assert sorted(item["canonical_url"] for item in lines) == sorted(archived)
    assert all(item["headline"] and item["body_text"] for item in lines)
    scraped = re.search(r"'item_scraped_count': (\d+)", result.stderr)
    assert scraped is not None and int(scraped.group(1)) == len(archived)
    assert "item_dropped_count" not in result.stderr
    # The notes still reached the archive: every frontier entry is settled, validators kept.
    assert not db_rows(db, "select key from frontier where state in ('pending', 'leased')")
    assert len(db_rows(db, "select url from fetch_state")) == len(archived)
