"""Chain hops seen from the server: how long the crawler takes to ask for page N+1 once
page N is sent, ours against the bare spider, with optional variants of our settings.

    python bench/hops.py                                   # 300 articles, 20 ms, 3 rounds
    python bench/hops.py --variant inline:ARCHIVE_WRITER_THREAD=False \\
                         --variant no-wait:ARCHIVE_DEPARTURE_TIMEOUT=0

A serial prev/next walk costs, per hop, the latency plus this "think time": the crawler's
work between receiving a page and sending the request for the next. The demo site is
served in this process (its handler timed with ``time.monotonic``, which the crawl
subprocess shares), the crawl runs from the middle article in both directions, and for
every article the think time is the gap between the end of its response and the arrival
of the request for its neighbour further from the start. Variants alternate within each
round; the table gives the distribution over all hops of all rounds, the crawl's CPU and
wall time (startup included: compare rows, not against ``bench/crawl.py``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.demo import crawl_env
from bench.crawl import bare, ours
from bench.report import record, stamp, table
from scraper.demosite import DemoServer, build_site
from scraper.demosite import server as demo_server


def _timed_handler(log: list[tuple[str, float, float]]) -> type:
    """The demo server's handler, noting when each answer started and ended."""
    base = demo_server._Handler

    class Timed(base):  # type: ignore[misc, valid-type]
        def _serve(self, *, head_only: bool) -> None:
            began = time.monotonic()
            super()._serve(head_only=head_only)
            log.append((self.path, began, time.monotonic()))

    return Timed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--latency", type=float, default=0.02)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME:SETTING=VALUE[;SETTING=VALUE]",
        help="our crawl with these -s settings (repeatable)",
    )
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    opts = parser.parse_args(argv)

    variants: dict[str, list[str] | None] = {"bare Scrapy": None, "ours": []}
    for spec in opts.variant:
        name, _, settings = spec.partition(":")
        variants[name] = [s for s in settings.split(";") if s]

    n = opts.articles
    site = build_site(n)
    middle = n // 2
    order = {a.path: i for i, a in enumerate(site.articles)}
    log: list[tuple[str, float, float]] = []
    gaps: dict[str, list[float]] = {name: [] for name in variants}
    usage: dict[str, list[tuple[float, float]]] = {name: [] for name in variants}
    server = DemoServer(site, latency=opts.latency, cache_size=None)
    with server:
        server._httpd.RequestHandlerClass = _timed_handler(log)  # type: ignore[union-attr]
        server.prerender()
        start = server.url_for(site.articles[middle].path)
        for r in range(opts.rounds):
            names = list(variants) if r % 2 == 0 else list(reversed(variants))
            for name in names:
                log.clear()
                with tempfile.TemporaryDirectory() as tmp:
                    settings = variants[name]
                    if settings is None:
                        cmd = bare(start, Path(tmp) / "a.db")
                    else:
                        cmd = ours(start, Path(tmp) / "a.db")
                        for setting in settings:
                            cmd += ["-s", setting]
                    began = time.monotonic()
                    proc = subprocess.Popen(
                        cmd, env=crawl_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                    )
                    assert proc.stderr is not None
                    err = proc.stderr.read()
                    _, status, rusage = os.wait4(proc.pid, 0)
                    if os.waitstatus_to_exitcode(status) != 0:
                        raise RuntimeError(f"{name} failed:\n{err.decode()[-3000:]}")
                    usage[name].append(
                        (rusage.ru_utime + rusage.ru_stime, time.monotonic() - began)
                    )
                answered = {path: (b, e) for path, b, e in log if path in order}
                for path, (_, end) in answered.items():
                    i = order[path]
                    j = i - 1 if i < middle else i + 1
                    if i == middle or not 0 <= j < n:
                        continue
                    nxt = answered.get(site.articles[j].path)
                    if nxt is not None:
                        gaps[name].append((nxt[0] - end) * 1000)

    rows: list[list[Any]] = []
    for name, g in gaps.items():
        g.sort()
        cpu = statistics.median(c for c, _ in usage[name])
        wall = statistics.median(w for _, w in usage[name])
        rows.append([
            name, len(g), f"{statistics.median(g):.1f}", f"{statistics.mean(g):.1f}",
            f"{g[int(0.9 * (len(g) - 1))]:.1f}", f"{g[int(0.98 * (len(g) - 1))]:.1f}",
            f"{g[-1]:.0f}", f"{cpu:.2f}", f"{wall:.2f}",
        ])  # fmt: skip
    header = ["crawler", "hops", "think p50 ms", "mean", "p90", "p98", "max", "CPU s", "wall s"]
    text = table(header, rows)
    print(text)
    if not opts.no_record:
        args = " ".join(f"--variant '{v}'" for v in opts.variant)
        record(
            "hops",
            f"### Chain hops ({stamp()})\n\n`python bench/hops.py --articles {n} --latency "
            f"{opts.latency} --rounds {opts.rounds} {args}".rstrip()
            + f"`: think time per hop (the end of page N's answer to the arrival of the request "
            f"for page N+1, at the server), all hops of {opts.rounds} alternating rounds; CPU "
            f"and wall are medians per crawl, startup included.\n\n{text}\n",
        )


if __name__ == "__main__":
    main()
