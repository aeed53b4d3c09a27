"""Raw captures benchmark: compression ratio, deduplication and archive size for real
crawls of the demo site and of the WordPress capture, and the WARC export's size.

    python bench/captures.py                 # both sites, recorded in docs/benchmarks.md
    python bench/captures.py --no-record

Each site is crawled twice with the real ``scrapy crawl articles`` (served on 127.0.0.1):
the second, unchanged crawl shows what deduplication by digest saves.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.captures import capture_stats
from archive.db import open_readonly
from archive.demo import LOCAL_SETTINGS, run_crawl
from archive.warc import write_warc
from bench.report import record, stamp, table
from scraper.demosite import build_site
from scraper.demosite.server import DemoServer


@contextmanager
def demo_site() -> Iterator[str]:
    site = build_site(36)
    with DemoServer(site) as server:
        yield server.url + site.articles[18].path


@contextmanager
def wordpress_site() -> Iterator[str]:
    import json

    from tests.capture_server import WORDPRESS, serve_capture

    posts = json.loads((WORDPRESS / "truth.json").read_text("utf-8"))["posts"]
    with serve_capture("twentytwentyone") as site:
        yield site.url(posts[len(posts) // 2]["url"])


SITES: dict[str, Callable[[], contextmanager]] = {  # type: ignore[type-arg]
    "demo (36 articles)": demo_site,
    "WordPress tt1 (60 posts)": wordpress_site,
}


def measure(name: str, site: Callable[[], contextmanager], tmp: Path) -> list[str]:  # type: ignore[type-arg]
    db = tmp / f"{len(list(tmp.iterdir()))}.db"
    with site() as start_url:
        began = time.perf_counter()
        run_crawl(start_url, db, settings=LOCAL_SETTINGS)
        conn = open_readonly(db)
        first = capture_stats(conn)
        conn.close()
        run_crawl(start_url, db, settings=LOCAL_SETTINGS)
        elapsed = time.perf_counter() - began
    conn = open_readonly(db)
    stats = capture_stats(conn)
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    warc = tmp / "out.warc.gz"
    with open(warc, "wb") as out:
        summary = write_warc(conn, out)
    conn.close()
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return [
        name,
        str(articles),
        f"{first['captures']} + {stats['captures'] - first['captures']}",
        str(stats["bodies"]),
        f"{stats['body_bytes'] / 1e6:.2f} MB",
        f"{stats['stored_bytes'] / 1e6:.2f} MB",
        f"{stats['compression_ratio']:.1f}×",
        f"{stats['overall_ratio']:.1f}×",
        f"{size / 1e6:.2f} MB",
        f"{warc.stat().st_size / 1e6:.2f} MB ({summary.records['response']} response, "
        f"{summary.records['revisit']} revisit)",
        f"{elapsed:.1f} s",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-record", action="store_true", help="print only")
    opts = parser.parse_args()
    header = [
        "site", "articles", "captures (crawl 1 + 2)", "bodies", "raw bodies", "stored",
        "zstd ratio", "fetched / stored", "archive file", "WARC", "2 crawls",
    ]  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        rows = [measure(name, site, Path(tmp)) for name, site in SITES.items()]
    text = table(header, rows)
    print(text)
    if not opts.no_record:
        record(
            "captures",
            f"### Archive: raw captures ({stamp()})\n\n`python bench/captures.py`: each site "
            "crawled twice (the second crawl unchanged); bodies zstd level 10, stored once "
            "per sha256 digest; the archive file includes articles, comments, FTS indexes "
            f"and captures.\n\n{text}\n",
        )


if __name__ == "__main__":
    main()
