"""Crawl benchmark: our full pipeline against a bare Scrapy spider on the same local site.

    python bench/crawl.py                      # 1000 articles, 3 rounds, + peak RSS at 10 000
    python bench/crawl.py --articles 200 --rounds 1 --rss-articles 0 --no-record   # quick

The demo site (scaled to N articles, ~45 KB pages with comments) is served from a separate
process on 127.0.0.1, every page rendered before the clock starts, optionally with a
per-response latency. Each measurement runs the real
``scrapy crawl`` in a subprocess and reads that process's CPU (user + sys) and peak RSS
from ``wait4``; A and B alternate within a round and the table shows medians. Startup is
excluded from CPU per page by subtracting a one-article run of the same command.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env
from bench.report import record, stamp, table
from scraper.demosite import build_site

BARE = Path(__file__).resolve().parent / "bare_spider.py"
QUIET = {**LOCAL_SETTINGS, "LOG_LEVEL": "WARNING", "CONCURRENT_REQUESTS": "16"}


@dataclass
class Run:
    wall: float
    cpu: float  # seconds, user + sys of the crawl process
    rss_mb: float


def measure(cmd: list[str]) -> Run:
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - began
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:6])}… failed:\n{err.decode()[-3000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


@contextmanager
def serve(articles: int, latency: float) -> Iterator[str]:
    """The demo site in its own process; yields its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "scraper.demosite", "--port", "0",
         "--articles", str(articles), "--latency", str(latency), "--prerender"],
        env=crawl_env(), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        base = line.split(": ", 1)[1].split("/ ", 1)[0]
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def ours(start_url: str, db: Path, args: dict[str, str] | None = None) -> list[str]:
    return crawl_command(start_url, db, args, QUIET)


def bare(start_url: str, _db: Path, args: dict[str, str] | None = None) -> list[str]:
    """The bare spider under the same settings, but without our item pipeline: run inside
    the project, it would otherwise archive a raw capture of every response it fetches."""
    cmd = [sys.executable, "-m", "scrapy", "runspider", str(BARE), "-a", f"start_url={start_url}"]
    for name, value in {**QUIET, "ITEM_PIPELINES": "{}"}.items():
        cmd += ["-s", f"{name}={value}"]
    if args and "max_articles" in args:
        cmd += ["-s", f"CLOSESPIDER_PAGECOUNT={args['max_articles']}"]
    return cmd


def pages_of(articles: int) -> int:
    """Pages a full walk fetches: every article page plus its further comment pages."""
    return sum(max(1, a.comment_pages) for a in build_site(articles).articles)


def alternate(
    rounds: int, variants: dict[str, Callable[[Path], list[str]]]
) -> dict[str, list[Run]]:
    results: dict[str, list[Run]] = {name: [] for name in variants}
    for i in range(rounds):
        order = list(variants) if i % 2 == 0 else list(reversed(variants))
        for name in order:
            with tempfile.TemporaryDirectory() as tmp:
                results[name].append(measure(variants[name](Path(tmp) / "archive.db")))
    return results


def med(runs: list[Run], attr: str) -> float:
    return statistics.median(getattr(r, attr) for r in runs)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--rss-articles", type=int, default=10_000, help="0 skips the RSS run")
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    opts = parser.parse_args(argv)

    n = opts.articles
    site = build_site(n)
    middle = site.articles[n // 2].path
    pages = pages_of(n)
    hops = max(n // 2, n - n // 2 - 1) + 1  # the longer of the two walks from the middle
    rows: list[list[str]] = []

    with serve(n, 0.0) as base:
        start = base + middle
        full = alternate(opts.rounds, {
            "ours": lambda db: ours(start, db),
            "bare": lambda db: bare(start, db),
        })  # fmt: skip
        one = alternate(opts.rounds, {
            "ours": lambda db: ours(start, db, {"max_articles": "1"}),
            "bare": lambda db: bare(start, db, {"max_articles": "1"}),
        })  # fmt: skip
    cpu = {k: (med(full[k], "cpu") - med(one[k], "cpu")) * 1000 / pages for k in full}
    rows.append([
        f"CPU ms/page, {n} articles ({pages} pages), startup excluded",
        f"{cpu['ours']:.2f}", f"{cpu['bare']:.2f}", f"{cpu['ours'] / cpu['bare']:.2f}", "≤ 1.5",
    ])  # fmt: skip
    rows.append([
        "wall s, latency 0, chain from the middle",
        f"{med(full['ours'], 'wall'):.1f}", f"{med(full['bare'], 'wall'):.1f}",
        f"{med(full['ours'], 'wall') / med(full['bare'], 'wall'):.2f}", "",
    ])  # fmt: skip

    with serve(n, opts.latency) as base:
        start = base + middle
        chain = alternate(opts.rounds, {
            "ours": lambda db: ours(start, db),
            "bare": lambda db: bare(start, db),
            "ours-1": lambda db: ours(start, db, {"max_articles": "1"}),
            "bare-1": lambda db: bare(start, db, {"max_articles": "1"}),
            # The whole site found through its sitemap too, fetched in parallel.
            "sitemap": lambda db: ours(start, db, {"discover": "chain,sitemap"}),
        })  # fmt: skip
    # Startup (interpreter, Scrapy, robots.txt) excluded: minus a one-article run's wall.
    bound = hops * opts.latency
    w_ours = med(chain["ours"], "wall") - med(chain["ours-1"], "wall") + opts.latency
    w_bare = med(chain["bare"], "wall") - med(chain["bare-1"], "wall") + opts.latency
    rows.append([
        f"wall s, latency {opts.latency * 1000:.0f} ms, chain, startup excluded"
        f" (bound {bound:.2f} s = {hops} hops)",
        f"{w_ours:.2f} ({w_ours / bound:.2f}× bound)", f"{w_bare:.2f} ({w_bare / bound:.2f}× bound)",
        f"{w_ours / w_bare:.3f}", "≤ 1.05",
    ])  # fmt: skip
    w_map = med(chain["sitemap"], "wall") - med(chain["ours-1"], "wall") + opts.latency
    concurrency = int(QUIET["CONCURRENT_REQUESTS_PER_DOMAIN"])
    latency_bound = pages * opts.latency / concurrency
    cpu_bound = pages * cpu["ours"] / 1000
    rows.append([
        f"wall s, latency {opts.latency * 1000:.0f} ms, chain + sitemap, startup excluded"
        f" (bounds: latency {latency_bound:.2f} s at {concurrency} at a time, CPU {cpu_bound:.2f} s)",
        f"{w_map:.2f} ({w_ours / w_map:.1f}× faster than the walk;"
        f" {w_map / max(latency_bound, cpu_bound):.2f}× the larger bound)",
        "", "", "≥ 4× faster; ≤ 1.2× bound",
    ])  # fmt: skip

    if opts.rss_articles:
        big = build_site(opts.rss_articles)
        with serve(opts.rss_articles, 0.0) as base, tempfile.TemporaryDirectory() as tmp:
            run = measure(
                ours(base + big.articles[len(big.articles) // 2].path, Path(tmp) / "a.db")
            )
        rows.append([
            f"peak RSS MB, {opts.rss_articles} articles, full pipeline",
            f"{run.rss_mb:.0f}", "", "", "≤ 250",
        ])  # fmt: skip

    header = ["measure", "ours", "bare Scrapy", "ratio", "target"]
    text = table(header, rows)
    print(text)
    if not opts.no_record:
        note = (
            f"### Crawl ({stamp()})\n\n`python bench/crawl.py --articles {n} --rounds {opts.rounds}"
            f" --latency {opts.latency} --rss-articles {opts.rss_articles}`: medians of"
            f" {opts.rounds} alternating rounds; pages served pre-rendered from a separate"
            " process; the crawl subprocess's CPU (user + sys, its threads included) from"
            " `wait4`. The bare spider runs under the same settings without our item"
            " pipeline (which would archive its raw captures).\n\n"
            f"{text}\n"
        )
        record("crawl", note)


if __name__ == "__main__":
    main()
