"""What one big page costs: ``extract_article`` on a page of ``--mb`` megabytes (prose, or
threaded comments), its time and the process's peak memory. The reason for the one page
cap, ``DOWNLOAD_MAXSIZE`` in ``scraper/settings.py``.

Each shape runs in a fresh process (peak memory is the process's own ``ru_maxrss``).

    python bench/page_memory.py [--mb 30] [--no-record]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from bench.comments_scale import comments_page
from bench.report import record, stamp, table

URL = "https://news.example.org/2024/05/a-long-one/"
PARAGRAPH = (
    "<p>The council met on Thursday and approved the budget for the new tram line, after "
    "a debate of six hours in which every party spoke twice.</p>\n"
)


def _page(shape: str, size: int) -> bytes:
    if shape == "comments":
        n = 1000
        while len(comments_page(n)) < size:
            n *= 2
        low, high = n // 2, n  # the smallest thread at least ``size`` bytes long
        while low < high:
            mid = (low + high) // 2
            low, high = (mid + 1, high) if len(comments_page(mid)) < size else (low, mid)
        return comments_page(low).encode()
    head = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Long</title>"
        "</head><body><article><h1>Long</h1><div class='entry-content'>"
    )
    return (head + PARAGRAPH * (size // len(PARAGRAPH)) + "</div></article></body></html>").encode()


def _measure(shape: str, size: int) -> dict[str, float | str]:
    from scraper.extract import extract_article

    page = _page(shape, size)
    built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    article = extract_article(page, URL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "shape": shape,
        "page_mb": len(page) / 1e6,
        "comments": len(article.comments),
        "body_mb": len((article.body_text or "").encode()) / 1e6,
        "seconds": seconds,
        "built_mb": built / 1024,
        "peak_mb": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=30.0, help="page size in MB (10^6 bytes)")
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # a child's single shape
    opts = parser.parse_args()
    size = int(opts.mb * 1e6)
    if opts.one:
        print(json.dumps(_measure(opts.one, size)))
        return
    results = []
    for shape in ("prose", "comments"):
        out = subprocess.run(
            [sys.executable, __file__, "--mb", str(opts.mb), "--one", shape],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout))
    rows = [
        [
            str(r["shape"]), f"{r['page_mb']:.1f}", f"{r['body_mb']:.1f}", f"{r['comments']:,}",
            f"{r['seconds']:.1f}", f"{r['peak_mb'] - r['built_mb']:.0f}", f"{r['peak_mb']:.0f}",
            f"{r['peak_mb'] / r['page_mb']:.0f}×",
        ]
        for r in results
    ]  # fmt: skip
    header = ["page", "page MB", "body text MB", "comments", "extract s",
              "extract MB (peak - built)", "peak RSS MB", "peak / page"]  # fmt: skip
    text = table(header, rows)
    print(text)
    if not opts.no_record:
        record(
            "page-memory",
            f"### One big page ({stamp()})\n\n"
            f"`python bench/page_memory.py --mb {opts.mb:g}`: `extract_article` on one page of "
            "that size, all prose or all threaded comments (bench/comments_scale.py's markup), "
            "each in a fresh process; memory is the process's peak RSS. The largest of the "
            "1,199 real pages in the fixture corpora is 5.3 MB (median 136 KB). This is why "
            "`DOWNLOAD_MAXSIZE` (scraper/settings.py) caps every page at 32 MiB.\n\n"
            f"{text}\n",
        )


if __name__ == "__main__":
    main()
