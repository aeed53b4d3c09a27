"""Extraction quality and speed, ours and trafilatura's side by side in one run.

    python -m bench.extraction [--fixtures PATH] [--repeat N] [--no-record] [--profile]

- body: the 88 pages of ScrapingHub's article-extraction benchmark (aeb-dev), scored with
  the benchmark's own shingle method (bench/scoring.py); median and p95 ms per page of
  extraction alone, the HTML already in memory as text (ours is also timed from the tree
  Scrapy would already have parsed, which is what the spider passes);
- metadata: Mozilla Readability's 130 pages: headline, author and published date, ours
  against ``trafilatura.extract_metadata``;
- the WordPress captures and the demo site: every field's accuracy against their truth.

Prints the tables and records them in docs/benchmarks.md (section "Extraction").
Needs the ``bench`` extra (``pip install -e '.[bench]'``) for trafilatura.

``--profile`` only prints where the time of ``extract_article(tree)`` goes on the aeb-dev
pages, stage by stage (page index, structured data, metadata, neighbours, comments, body),
and records nothing.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scraper.extract as extract_pkg
from bench import report, scoring
from bench.report import machine, table
from bench.site_accuracy import Accuracy, demo_accuracy, wordpress_accuracy
from scraper.extract import extract_article, metadata
from scraper.extract.dom import parse_html

SECTION = "extraction"


# ---------------------------------------------------------------------------- helpers


def record(body: str) -> None:
    """Replace (or add) this benchmark's block in docs/benchmarks.md."""
    report.record(SECTION, body)


def timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """fn's result and its best wall time of ``repeat`` runs, in ms."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        gc.disable()
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
        gc.enable()
        best = min(best, elapsed)
    return result, best * 1000


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pct(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "n/a"


# ---------------------------------------------------------------------------- runs


def trafilatura_module() -> Any:
    try:
        import trafilatura
    except ImportError:
        sys.exit("trafilatura is missing: pip install -e '.[bench]'")
    return trafilatura


def run_body(fixtures: Path, repeat: int) -> dict[str, Any]:
    traf = trafilatura_module()
    pages = scoring.aeb_pages(fixtures)
    # warm both up (imports, compiled XPaths, caches) on a page outside the timing
    extract_article(pages[0].html, pages[0].url)
    traf.extract(pages[0].html, include_comments=False)
    ours_text, ours_ms, ours_tree_ms, traf_text, traf_ms = [], [], [], [], []
    for page in pages:
        art, ms = timed(lambda page=page: extract_article(page.html, page.url), repeat)
        ours_text.append(art.body_text or "")
        ours_ms.append(ms)
        best = float("inf")
        for _ in range(repeat):
            tree = parse_html(page.html)
            _, ms = timed(lambda tree=tree, page=page: extract_article(tree, page.url), 1)
            best = min(best, ms)
        ours_tree_ms.append(best)
        out, ms = timed(lambda page=page: traf.extract(page.html, include_comments=False), repeat)
        traf_text.append(out or "")
        traf_ms.append(ms)
    truths = [p.body for p in pages]
    return {
        "pages": pages,
        "ours": scoring.body_score(zip(truths, ours_text, strict=True)),
        "traf": scoring.body_score(zip(truths, traf_text, strict=True)),
        "ours_ms": ours_ms,
        "ours_tree_ms": ours_tree_ms,
        "traf_ms": traf_ms,
        "per_page": [
            (p.page_id, scoring.page_f1(p.body, o), scoring.page_f1(p.body, t))
            for p, o, t in zip(pages, ours_text, traf_text, strict=True)
        ],
    }


def run_metadata(fixtures: Path) -> dict[str, Any]:
    traf = trafilatura_module()
    pages = scoring.readability_pages(fixtures)
    counts = {
        k: [0, 0]
        for k in (
            "headline_exact_ours",
            "headline_exact_traf",
            "headline_ours",
            "headline_traf",
            "author_ours",
            "author_traf",
            "date_ours",
            "date_traf",
        )
    }
    misses: list[str] = []

    def count(key: str, applies: bool, ok: bool) -> None:
        if applies:
            counts[key][0] += int(ok)
            counts[key][1] += 1

    for page in pages:
        url = f"https://example.invalid/{page.name}/"
        ours = extract_article(page.html, url)
        meta = traf.extract_metadata(page.html)
        t_title = meta.title if meta else None
        t_author = [meta.author] if meta and meta.author else []
        t_date = meta.date if meta else None
        count(
            "headline_exact_ours",
            bool(page.title),
            scoring.headline_exact(page.title, ours.headline),
        )
        count("headline_exact_traf", bool(page.title), scoring.headline_exact(page.title, t_title))
        ok = scoring.headline_match(page.title, ours.headline)
        count("headline_ours", bool(page.title), ok)
        if page.title and not ok:
            misses.append(f"headline {page.name}: {page.title!r} vs {ours.headline!r}")
        count("headline_traf", bool(page.title), scoring.headline_match(page.title, t_title))
        ok = scoring.author_match(page.byline, ours.authors)
        count("author_ours", bool(page.byline), ok)
        if page.byline and not ok:
            misses.append(f"author {page.name}: {page.byline!r} vs {ours.authors!r}")
        count("author_traf", bool(page.byline), scoring.author_match(page.byline, t_author))
        ok = scoring.date_match(page.published, ours.published_at)
        count("date_ours", bool(page.published), ok)
        if page.published and not ok:
            misses.append(f"date {page.name}: {page.published!r} vs {ours.published_at!r}")
        count("date_traf", bool(page.published), scoring.date_match(page.published, t_date))
    return {"counts": counts, "misses": misses, "pages": len(pages)}


# ---------------------------------------------------------------------------- profile

# stage -> (module, names): what extract_article_page calls, by the names it calls them
_STAGES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "page index (one pass over the tree)": (extract_pkg, ("PageIndex",)),
    "structured data (JSON-LD, meta, microdata)": (extract_pkg, ("read_structured",)),
    "metadata (headline … language)": (
        metadata,
        (
            "canonical",
            "headline",
            "description",
            "authors",
            "published",
            "modified",
            "categories",
            "section",
            "tags",
            "language",
            "lead_image",
        ),
    ),
    "neighbours (prev/next)": (extract_pkg, ("find_neighbours",)),
    "comments": (extract_pkg, ("extract_comments",)),
    "body": (extract_pkg, ("extract_body",)),
}


@contextmanager
def _stage_timers(spent: dict[str, float]) -> Iterator[None]:
    """Each stage's functions wrapped to add their time to ``spent`` (restored after)."""
    saved: list[tuple[Any, str, Any]] = []

    def timed_fn(stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - t0

        return wrapper

    for stage, (module, names) in _STAGES.items():
        for name in names:
            fn = getattr(module, name)
            saved.append((module, name, fn))
            setattr(module, name, timed_fn(stage, fn))
    try:
        yield
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)


def run_profile(fixtures: Path, repeat: int) -> str:
    """Median and mean ms per page of each stage of ``extract_article(tree)``, each page's
    best of ``repeat`` runs, as a table."""
    from parsel import Selector  # what Scrapy parses a response with

    pages = scoring.aeb_pages(fixtures)
    # the tree as the spider gets it (response.selector.root), element classes and all
    trees = [(parse_html(Selector(text=p.html).root), p.url) for p in pages]
    for tree, url in trees[:3]:
        extract_article(tree, url)  # warm up
    whole: list[float] = []
    per_stage: dict[str, list[float]] = {stage: [] for stage in _STAGES}
    spent: dict[str, float] = {}
    with _stage_timers(spent):
        for tree, url in trees:
            best: tuple[float, dict[str, float]] | None = None
            for _ in range(repeat):
                spent.clear()
                gc.disable()
                t0 = time.perf_counter()
                extract_article(tree, url)
                elapsed = time.perf_counter() - t0
                gc.enable()
                if best is None or elapsed < best[0]:
                    best = (elapsed, dict(spent))
            assert best is not None
            whole.append(best[0] * 1000)
            for stage in _STAGES:
                per_stage[stage].append(best[1].get(stage, 0.0) * 1000)
    rest = [w - sum(per_stage[s][i] for s in _STAGES) for i, w in enumerate(whole)]
    total = statistics.mean(whole)
    rows = [
        [
            stage,
            f"{statistics.median(v):.2f}",
            f"{statistics.mean(v):.2f}",
            f"{statistics.mean(v) / total:.0%}",
        ]
        for stage, v in [*per_stage.items(), ("assembly and the rest", rest)]
    ]
    rows.append(
        ["whole `extract_article(tree)`", f"{statistics.median(whole):.2f}", f"{total:.2f}", "100%"]
    )
    return (
        f"Where extraction time goes: {len(pages)} aeb-dev pages, tree already parsed by "
        f"parsel (as the spider has it), ms per page (best of {repeat} runs; a stage's time includes its own timer)\n\n"
        + table(["stage", "median ms", "mean ms", "share of mean"], rows)
    )


# ---------------------------------------------------------------------------- report


def body_table(body: dict[str, Any]) -> str:
    ours, traf = body["ours"], body["traf"]
    om, tm = statistics.median(body["ours_ms"]), statistics.median(body["traf_ms"])
    otm = statistics.median(body["ours_tree_ms"])
    rows = [
        [
            "newsarchive `extract_article(html)`",
            f"{ours.f1:.3f}",
            f"{ours.precision:.3f}",
            f"{ours.recall:.3f}",
            f"{om:.1f}",
            f"{p95(body['ours_ms']):.1f}",
            f"{om / tm:.2f}",
        ],
        [
            "newsarchive, tree already parsed (spider)",
            "same",
            "",
            "",
            f"{otm:.1f}",
            f"{p95(body['ours_tree_ms']):.1f}",
            f"{otm / tm:.2f}",
        ],
        [
            "trafilatura `extract(html, include_comments=False)`",
            f"{traf.f1:.3f}",
            f"{traf.precision:.3f}",
            f"{traf.recall:.3f}",
            f"{tm:.1f}",
            f"{p95(body['traf_ms']):.1f}",
            "1.00",
        ],
    ]
    return table(
        ["extractor", "body F1", "P", "R", "median ms", "p95 ms", "median / trafilatura"], rows
    )


def metadata_table(meta: dict[str, Any]) -> str:
    c = meta["counts"]
    rows = [
        ["headline exact", pct(*c["headline_exact_ours"]), pct(*c["headline_exact_traf"])],
        ["headline (site-name affix allowed)", pct(*c["headline_ours"]), pct(*c["headline_traf"])],
        ["author", pct(*c["author_ours"]), pct(*c["author_traf"])],
        ["published date (day)", pct(*c["date_ours"]), pct(*c["date_traf"])],
    ]
    return table(["readability pages", "newsarchive", "trafilatura metadata"], rows)


def accuracy_table(sites: dict[str, Accuracy]) -> str:
    names = sorted({f for acc in sites.values() for f in acc})
    rows = [
        [name, *(pct(*acc[name]) if name in acc else "" for acc in sites.values())]
        for name in names
    ]
    return table(["field", *sites], rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=scoring.default_fixtures())
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page (best kept)")
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--worst", type=int, default=10, help="list the N worst body pages")
    parser.add_argument(
        "--profile", action="store_true", help="only print where extraction time goes, by stage"
    )
    args = parser.parse_args(argv)
    fixtures: Path = args.fixtures
    if args.profile:
        print(run_profile(fixtures, args.repeat))
        return
    wp_fixtures = (
        fixtures if (fixtures / "wordpress" / "truth.json").exists() else scoring.REPO_FIXTURES
    )

    body = run_body(fixtures, args.repeat)
    meta = run_metadata(fixtures)
    sites: dict[str, Accuracy] = {
        f"wordpress {k}": v for k, v in wordpress_accuracy(wp_fixtures).items()
    }
    sites["demo site"] = demo_accuracy()

    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}"
    text = "\n\n".join(
        [
            "## Extraction",
            f"`python -m bench.extraction` ({stamp}; fixtures `{fixtures}`; "
            f"best of {args.repeat} runs per page)",
            f"Body, {len(body['pages'])} aeb-dev pages (ScrapingHub shingle F1):",
            body_table(body),
            f"Metadata, {meta['pages']} Readability pages (pages with a stated value):",
            metadata_table(meta),
            "Sites with their own truth (right/total articles, comments pages merged):",
            accuracy_table(sites),
        ]
    )
    print(text)
    worst = sorted(body["per_page"], key=lambda r: r[1])[: args.worst]
    print("\nworst body pages (ours F1, trafilatura F1):")
    for page_id, of1, tf1 in worst:
        print(f"  {page_id[:12]}  {of1:.3f}  {tf1:.3f}")
    print("\nmetadata misses:")
    for miss in meta["misses"]:
        print("  " + miss)
    if not args.no_record:
        record(text)
        print(f"\nrecorded in {report.BENCHMARKS}")


if __name__ == "__main__":
    main()
