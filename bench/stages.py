"""Where a page's CPU goes: each stage of our pipeline timed alone on demo-site pages.

    python bench/stages.py                  # 300 pages, best of 5
    python bench/stages.py --articles 50 --repeat 2 --no-record

``bench/crawl.py`` measures whole crawls; this script splits our per-page work into the
stages the crawl runs, in one process and without a profiler (whose overhead distorts
Python-heavy code by 2-3x): the bare spider's own parsing (parsel, the two CSS queries
it follows), our parse, the first look (page index and neighbours, before the next hop
leaves), the rest of the extraction, and the archive write (article, comments, links,
FTS, versions; then the raw capture). Each page is parsed afresh for every run, as in a
crawl; each stage's time is the best of ``--repeat`` runs, per page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsel import Selector

from archive.captures import Capture
from archive.writer import ArchiveWriter
from bench.report import record, stamp, table
from scraper.demosite import DemoServer, build_site
from scraper.extract import extract_article_page, start_page
from scraper.extract.dom import parse_html
from scraper.items import Article

FETCHED_AT = "2026-01-01T00:00:00+00:00"


def fetch_pages(n: int) -> list[tuple[str, bytes, list[tuple[str, str]]]]:
    site = build_site(n)
    pages = []
    with DemoServer(site) as server:
        for article in site.articles:
            with urllib.request.urlopen(server.url_for(article.path)) as answer:
                pages.append((answer.url, answer.read(), list(answer.headers.items())))
    return pages


def best(repeat: int, run: Callable[[], dict[str, float]]) -> dict[str, float]:
    results = [run() for _ in range(repeat)]
    return {stage: min(r[stage] for r in results) for stage in results[0]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    opts = parser.parse_args(argv)
    pages = fetch_pages(opts.articles)
    n = len(pages)

    def extraction() -> dict[str, float]:
        spent = dict.fromkeys(("bare", "parse", "start", "extract"), 0.0)
        for url, body, _ in pages:
            text = body.decode("utf-8")
            t0 = time.perf_counter()
            sel = Selector(text=text)
            sel.css(".td-post-next-prev-content a::attr(href)").getall()
            sel.css(".comment-pagination a::attr(href)").getall()
            t1 = time.perf_counter()
            tree = parse_html(text)
            t2 = time.perf_counter()
            first = start_page(tree, url)
            t3 = time.perf_counter()
            extract_article_page(tree, url, fetched_at=FETCHED_AT, start=first)
            t4 = time.perf_counter()
            spent["bare"] += t1 - t0
            spent["parse"] += t2 - t1
            spent["start"] += t3 - t2
            spent["extract"] += t4 - t3
        return {k: v * 1000 / n for k, v in spent.items()}

    articles: list[Article] = [
        extract_article_page(parse_html(body.decode()), url, fetched_at=FETCHED_AT)[0]
        for url, body, _ in pages
    ]

    def archive() -> dict[str, float]:
        with tempfile.TemporaryDirectory() as tmp:
            writer = ArchiveWriter(Path(tmp) / "a.db", batch_size=20)
            crawl = writer.start_crawl("bench", {}, [])
            t0 = time.perf_counter()
            for article in articles:
                writer.write_article(article, crawl)
            writer.flush()
            t1 = time.perf_counter()
            for url, body, headers in pages:
                writer.write_capture(Capture(url, 200, headers, body, FETCHED_AT, kind="article"))
            writer.flush()
            t2 = time.perf_counter()
            writer.close()
        return {"write": (t1 - t0) * 1000 / n, "capture": (t2 - t1) * 1000 / n}

    times = {**best(opts.repeat, extraction), **best(opts.repeat, archive)}
    ours = sum(times[k] for k in ("parse", "start", "extract", "write", "capture"))
    labels = {
        "bare": "bare spider's parsing: parsel tree + its two CSS queries (for comparison)",
        "parse": "ours: parse (lxml, our parser)",
        "start": "ours: first look (page index, neighbours): before the next hop leaves",
        "extract": "ours: the rest of the extraction (metadata, body, comments)",
        "write": "ours: archive write (article, comments, links, FTS, versions)",
        "capture": "ours: raw capture (digest, zstd with the site's dictionary, row)",
    }
    rows = [[label, f"{times[k]:.2f}", f"{times[k] / ours:.0%}" if k != "bare" else ""]
            for k, label in labels.items()]  # fmt: skip
    rows.append(["ours: all the stages above", f"{ours:.2f}", "100%"])
    text = table(["stage (demo-site pages, ~50 KB)", "ms/page", "share of ours"], rows)
    print(text)
    if not opts.no_record:
        record(
            "stages",
            f"### Where a page's CPU goes ({stamp()})\n\n`python bench/stages.py --articles "
            f"{opts.articles} --repeat {opts.repeat}`: each stage alone, in one process, no "
            f"profiler; best of {opts.repeat} runs, per page ({n} pages).\n\n{text}\n",
        )


if __name__ == "__main__":
    main()
