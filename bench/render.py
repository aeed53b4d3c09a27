"""The rendering fallback's cost (ARCHIVE_RENDER, scraper/render.py), on the local test
site of tests/render_site.py (an article whose 5-comment thread a script builds from JSON).

Per article page, each way in a fresh process, side by side:

- plain: fetch the page (urllib) and extract the article (``extract_article_page``);
- rendered: load the page in headless Chromium (Debian's, through Playwright, one browser
  for all pages, images/media/fonts not fetched, as the crawl does), wait as the crawl
  does (``scraper.render.settle``: the network quiet for 500 ms, frames inlined), take the
  DOM and extract its comments (``extract_thread``); the browser's start is timed apart.

Peak memory is the whole process tree's proportional set size (PSS, the browser's
processes included), sampled every 10 ms in a second run (the timed run has no sampler).
Then whole crawls (``scrapy crawl articles``): the demo site (36 articles, threads in the
HTML, no widget) with ARCHIVE_RENDER off and auto (scrapy-playwright's handler on, nothing
rendered: what turning it on costs a crawl that needs no browser), and the test site with
the two modes.

    python bench/render.py [--pages 20] [--no-record]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import record, stamp, table

CHROMIUM = "/usr/bin/chromium"
PAGE = "/news/scripted/"
SAMPLE = os.environ.get("RENDER_BENCH_SAMPLE") == "1"


def _pss_kb(pid: int) -> int:
    """A process's proportional share of resident memory (kB): pages shared between the
    browser's processes are counted once over all of them, not once in each."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kb(root: int) -> int:
    """Resident memory (PSS) of ``root`` and all its descendants (kB)."""
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children") as fh:
                    todo.extend(int(child) for child in fh.read().split())
        except OSError:
            continue
    return total


class _PeakSampler:
    """The tree's peak memory while in the block; off (``SAMPLE`` false), it measures
    nothing, so that the timed runs share no core with the sampler."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))
            self._stop.wait(0.01)

    def __enter__(self) -> _PeakSampler:
        if SAMPLE:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if SAMPLE:
            self._stop.set()
            self._thread.join()
            self.peak_kb = max(self.peak_kb, _tree_rss_kb(os.getpid()))


def _plain(origin: str, pages: int) -> dict[str, object]:
    import lxml.html

    from scraper.extract import extract_article_page

    times: list[float] = []
    comments = 0
    with _PeakSampler() as peak:
        for i in range(pages):
            start = time.perf_counter()
            with urllib.request.urlopen(f"{origin}{PAGE}?n={i}") as response:
                body = response.read()
            article, _ = extract_article_page(lxml.html.fromstring(body), origin + PAGE)
            times.append(time.perf_counter() - start)
            comments = len(article.comments)
    return {"times": times, "comments": comments, "peak_kb": peak.peak_kb, "start_s": 0.0}


def _rendered(origin: str, pages: int) -> dict[str, object]:
    import asyncio

    return asyncio.run(_render_pages(origin, pages))


async def _render_pages(origin: str, pages: int) -> dict[str, object]:
    import lxml.html
    from playwright.async_api import Route, async_playwright

    from scraper.extract import extract_thread
    from scraper.render import SKIPPED_RESOURCES, settle

    async def route(route: Route) -> None:
        if route.request.resource_type in SKIPPED_RESOURCES:
            await route.abort()
        else:
            await route.continue_()

    times: list[float] = []
    comments = 0
    with _PeakSampler() as peak:
        async with async_playwright() as pw:
            began = time.perf_counter()
            browser = await pw.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            context = await browser.new_context()
            await context.route("**/*", route)
            start_s = time.perf_counter() - began
            for i in range(pages):
                start = time.perf_counter()
                page = await context.new_page()
                await page.goto(f"{origin}{PAGE}?n={i}")
                await settle(page, 15000)  # what the crawl's page method does
                html = await page.content()
                await page.close()
                thread = extract_thread(lxml.html.fromstring(html), origin + PAGE)
                times.append(time.perf_counter() - start)
                comments = len(thread.comments)
            await browser.close()
    return {"times": times, "comments": comments, "peak_kb": peak.peak_kb, "start_s": start_s}


def _child(kind: str, pages: int) -> dict[str, object]:
    from tests.render_site import serve_render_site

    with serve_render_site() as site:
        return (_plain if kind == "plain" else _rendered)(site.origin, pages)


def _crawl_seconds(start_url: str, settings: dict[str, str]) -> tuple[float, int]:
    from archive.demo import LOCAL_SETTINGS, run_crawl
    from tests.crawling import db_rows

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        began = time.perf_counter()
        run_crawl(start_url, db, {}, {**LOCAL_SETTINGS, **settings})
        seconds = time.perf_counter() - began
        comments = db_rows(db, "select count(*) from comments")[0][0]
    return seconds, comments


def _crawls(repeat: int) -> list[list[str]]:
    from scraper.demosite.content import build_site
    from scraper.demosite.server import DemoServer
    from tests.render_site import serve_render_site

    rows: list[list[str]] = []
    site = build_site(36)
    server = DemoServer(site, port=0)
    server.start()
    try:
        start = server.url + site.articles[len(site.articles) // 2].path
        results = {}
        for mode in ("off", "auto"):
            runs = [_crawl_seconds(start, {"ARCHIVE_RENDER": mode}) for _ in range(repeat)]
            results[mode] = (statistics.median(s for s, _ in runs), runs[0][1])
        base = results["off"][0]
        for mode, (seconds, comments) in results.items():
            rows.append([
                "demo site, 36 articles, no widget", mode, "0", f"{comments:,}",
                f"{seconds:.2f}", f"{seconds / base:.2f}×",
            ])  # fmt: skip
    finally:
        server.stop()
    with serve_render_site() as render_site:
        results = {}
        for mode in ("off", "auto"):
            runs = [
                _crawl_seconds(f"{render_site.origin}{PAGE}", {"ARCHIVE_RENDER": mode})
                for _ in range(repeat)
            ]
            results[mode] = (statistics.median(s for s, _ in runs), runs[0][1])
        base = results["off"][0]
        for mode, (seconds, comments) in results.items():
            rows.append([
                "test site, 2 articles, 1 widget", mode, "1" if mode == "auto" else "0",
                f"{comments}", f"{seconds:.2f}", f"{seconds / base:.2f}×",
            ])  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=20, help="article pages per way")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each crawl (median)")
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child's way: plain or rendered
    opts = parser.parse_args()
    if opts.one:
        print(json.dumps(_child(opts.one, opts.pages)))
        return
    if not Path(CHROMIUM).exists():
        sys.exit(f"{CHROMIUM} is missing: apt-get install chromium")
    results = {}
    for kind in ("plain", "rendered"):
        runs = []
        for sample in ("0", "1"):  # timed, then sampled for memory
            out = subprocess.run(
                [sys.executable, __file__, "--one", kind, "--pages", str(opts.pages)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "RENDER_BENCH_SAMPLE": sample},
            )
            runs.append(json.loads(out.stdout))
        results[kind] = {**runs[0], "peak_kb": runs[1]["peak_kb"]}
    base_ms = statistics.median(results["plain"]["times"]) * 1000
    base_mb = results["plain"]["peak_kb"] / 1024
    rows = []
    for kind, r in results.items():
        ms = statistics.median(r["times"]) * 1000
        mb = r["peak_kb"] / 1024
        rows.append([
            kind, str(r["comments"]), f"{ms:.1f}", f"{ms / base_ms:.0f}×",
            f"{r['start_s']:.2f}", f"{mb:.0f}", f"{mb / base_mb:.1f}×",
        ])  # fmt: skip
    header = ["per page", "comments", "median ms/page", "time vs plain", "browser start s",
              "peak PSS MB (tree)", "memory vs plain"]  # fmt: skip
    pages_text = table(header, rows)
    print(pages_text)
    crawl_rows = _crawls(opts.repeat)
    crawl_header = ["crawl", "ARCHIVE_RENDER", "pages rendered", "comments", "median s",
                    "vs off"]  # fmt: skip
    crawl_text = table(crawl_header, crawl_rows)
    print()
    print(crawl_text)
    if not opts.no_record:
        record(
            "render",
            f"### Rendering fallback: cost per page and per crawl ({stamp()})\n\n"
            f"`python bench/render.py --pages {opts.pages} --repeat {opts.repeat}`: the "
            "article page of tests/render_site.py (its 5-comment thread built by a script "
            "from JSON), fetched and extracted plainly vs loaded in Debian's headless "
            "chromium through Playwright and its thread read from the DOM; each way in a "
            "fresh process, peak PSS (resident memory, shared pages divided among the processes sharing them) of the process tree, browser included. Then whole "
            "`scrapy crawl` runs, median of the repeats.\n\n"
            f"{pages_text}\n\n{crawl_text}\n\n"
            f"Load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
            "(times scale with it). A crawl with ARCHIVE_RENDER on pays a fixed start (two "
            "Playwright drivers, one per http/https handler, then the browser on the first "
            "rendered page) even when nothing is rendered: that is why the handler is only "
            "installed when ARCHIVE_RENDER is not off. Each rendered page costs a browser "
            "page (a new renderer), its load and scripts, the 500 ms of network quiet the "
            "crawl waits for, and the DOM taken back.\n",
        )


if __name__ == "__main__":
    main()
