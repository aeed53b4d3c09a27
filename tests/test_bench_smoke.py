"""Each benchmark runs end to end at a tiny size, so the scripts cannot rot.

These check that the tables come out; they time nothing (the numbers are the scripts'
business, recorded in docs/benchmarks.md).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _bench(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / script), *args, "--no-record"],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_crawl_benchmark_runs() -> None:
    out = _bench(
        "crawl.py", "--articles", "12", "--rounds", "1", "--latency", "0.005", "--rss-articles", "0"
    )
    assert "CPU ms/page" in out and "chain, startup excluded" in out
    assert "chain + sitemap" in out
    assert len([line for line in out.splitlines() if line.startswith("| ")]) == 5  # header + 4


def test_archive_benchmark_runs() -> None:
    out = _bench("archive.py", "--articles", "150", "--repeat", "3", "--crawl-articles", "6")
    assert "ingest, 150 articles" in out
    for kind in ("common", "medium", "rare"):
        assert f"ranked FTS top 20, {kind}" in out
    assert "raw captures, a 6-article crawl" in out
    assert "reparse, the same archive (6 articles" in out


def test_stages_benchmark_runs() -> None:
    out = _bench("stages.py", "--articles", "6", "--repeat", "1")
    for stage in ("bare spider's parsing", "first look", "archive write", "raw capture"):
        assert stage in out
    assert "| ours: all the stages above" in out


def test_hops_benchmark_runs() -> None:
    out = _bench(
        "hops.py",
        "--articles", "8", "--rounds", "1", "--latency", "0.002",
        "--variant", "inline:ARCHIVE_WRITER_THREAD=False",
    )  # fmt: skip
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert [row.split("|")[1].strip() for row in rows[1:]] == ["bare Scrapy", "ours", "inline"]
    # Every crawler made the same hops: from the middle of 8 articles (index 4), three
    # older (from 3, 2, 1) and two newer (from 5, 6) have a neighbour further out.
    assert {row.split("|")[2].strip() for row in rows[1:]} == {"5"}


def test_captures_benchmark_runs() -> None:
    out = _bench("captures.py")
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 3  # header, demo site, WordPress
    assert "demo (36 articles)" in out and "WordPress tt1 (60 posts)" in out
