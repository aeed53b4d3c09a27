"""Comment extraction at scale: an article page with 5,000, 20,000 and 100,000 threaded
WordPress-style comments, the time of ``extract_article`` on it and its peak memory.

Linear extraction gives time ratios near the comment ratios (20k/5k = 4, 100k/20k = 5).
Each size runs in a fresh process (peak memory is the process's own: ``ru_maxrss`` after
the page is built, and after it is extracted).

    python bench/comments_scale.py [--sizes 5000 20000 100000] [--no-record]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from html import escape

if __package__ in (None, ""):
    sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parent.parent))

from bench.report import record, stamp, table

URL = "https://news.example.org/2024/05/a-busy-thread/"


def _comment(cid: int, depth: int, parity: str) -> str:
    return (
        f'<li id="comment-{cid}" class="comment {parity} depth-{depth}">'
        f'<article id="div-comment-{cid}" class="comment-body">'
        '<footer class="comment-meta"><div class="comment-author vcard">'
        f'<b class="fn">Reader {cid % 977}</b> <span class="says">says:</span></div>'
        f'<div class="comment-metadata"><a href="{URL}#comment-{cid}">'
        f'<time datetime="2024-05-22T15:{cid % 60:02d}:18-04:00">May 22, 2024</time></a>'
        "</div></footer>"
        f'<div class="comment-content"><p>Comment number {cid}: {escape("I agree & disagree")}'
        " with the point about the budget, and the tram is late again.</p></div>"
        f'<div class="reply"><a rel="nofollow" class="comment-reply-link" '
        f'href="{URL}?replytocom={cid}#respond">Reply</a></div></article>'
    )


def comments_page(n: int) -> str:
    """An article with ``n`` comments in WordPress's classic markup: threads of one
    top-level comment with replies nested up to 4 deep (``ol.children``)."""
    parts = [
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>A busy thread</title><link rel='canonical' href='{URL}'></head><body>",
        "<article class='post'><h1 class='entry-title'>A busy thread</h1>",
        "<div class='entry-content'>",
        "<p>The council met on Thursday and approved the budget for the new tram line.</p>" * 8,
        "</div></article><div id='comments' class='comments-area'>",
        f"<h2 class='comments-title'>{n} thoughts on “A busy thread”</h2>",
        "<ol class='comment-list'>",
    ]
    cid = 0
    while cid < n:
        depth = 0
        # one thread: a top-level comment, then replies each one level deeper (up to 4)
        for level in range(1, 5):
            if cid >= n:
                break
            cid += 1
            if level > 1:
                parts.append("<ol class='children'>")
            parts.append(_comment(cid, level, "even" if cid % 2 else "odd"))
            depth = level
        for level in range(depth, 0, -1):
            parts.append("</li>")
            if level > 1:
                parts.append("</ol>")
    parts.append("</ol></div></body></html>")
    return "".join(parts)


def _measure(n: int) -> dict[str, float]:
    from scraper.extract import extract_article

    page = comments_page(n).encode()
    built = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    article = extract_article(page, URL)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "comments": n,
        "found": len(article.comments),
        "page_mb": len(page) / 1e6,
        "seconds": seconds,
        "built_mb": built / 1024,
        "peak_mb": peak / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 20000, 100000])
    parser.add_argument("--no-record", action="store_true", help="don't write docs/benchmarks.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child's single size
    opts = parser.parse_args()
    if opts.one:
        print(json.dumps(_measure(opts.one)))
        return
    results = []
    for n in opts.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        results.append(json.loads(out.stdout))
    rows = []
    for i, r in enumerate(results):
        prev = results[i - 1] if i else None
        ratio = ""
        if prev:
            ratio = (
                f"{r['seconds'] / prev['seconds']:.1f}× "
                f"(comments {r['comments'] / prev['comments']:.0f}×)"
            )
        rows.append([
            f"{r['comments']:,}", f"{r['found']:,}", f"{r['page_mb']:.1f}",
            f"{r['seconds']:.2f}", ratio, f"{r['peak_mb'] - r['built_mb']:.0f}",
            f"{r['peak_mb']:.0f}",
        ])  # fmt: skip
    header = ["comments", "extracted", "page MB", "extract s", "time ratio to previous",
              "extract MB (peak - built)", "peak RSS MB"]  # fmt: skip
    text = table(header, rows)
    print(text)
    if not opts.no_record:
        sizes = " ".join(str(n) for n in opts.sizes)
        record(
            "comments-scale",
            f"### Comment extraction at scale ({stamp()})\n\n"
            f"`python bench/comments_scale.py --sizes {sizes}`: one article page with that many "
            "WordPress-style threaded comments (threads 4 deep), `extract_article` on its bytes, "
            "each size in a fresh process; memory is the process's peak RSS, and its growth "
            "over the page being built. Linear is a time ratio near the comment ratio.\n\n"
            f"{text}\n",
        )


if __name__ == "__main__":
    main()
