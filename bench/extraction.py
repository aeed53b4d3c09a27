"""Extraction quality and speed, ours and trafilatura's side by side in one run.

    python -m bench.extraction [--fixtures PATH] [--corpus NAME ...] [--repeat N]
                               [--no-record] [--worst N] [--profile]

Every labelled corpus (``bench.scoring.VIEWS``): aeb-dev (ScrapingHub's article-extraction
benchmark), modern-dev articles and all its pages, trafilatura-dev, Mozilla Readability's
pages. Per corpus and extractor: body F1/P/R against the reference text, with-snippets
found and without-snippets leaked, empty bodies where the truth has one, headline, author
and published-date accuracy, and median ms per page, the HTML already in memory as text
(ours also from the tree Scrapy would already have parsed, which is what the spider
passes). Then the WordPress captures' and the demo site's field accuracy against their
truth, and ours' worst pages per kind of failure.

Prints the tables and records them in docs/benchmarks.md (section "Extraction") when every
corpus ran. Needs the ``bench`` extra (``pip install -e '.[bench]'``) for trafilatura.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import scraper.extract as extract_pkg
from bench import report, scoring
from bench.report import table
from bench.site_accuracy import Accuracy, demo_accuracy, wordpress_accuracy
from scraper.extract import (
    extract_article,
    metadata,
    metadata_authors,
    metadata_dates,
    metadata_taxonomy,
)
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


def pct(right: int, total: int) -> str:
    return f"{right / total:.3f} ({right}/{total})" if total else "n/a"


# ---------------------------------------------------------------------------- runs


def trafilatura_module() -> Any:
    try:
        import trafilatura
    except ImportError:
        sys.exit("trafilatura is missing: pip install -e '.[bench]'")
    return trafilatura


@dataclass
class Run:
    """Every page of one fixture corpus through both extractors."""

    corpus: str
    cases: list[scoring.Case]
    ours: list[scoring.Output]
    traf: list[scoring.Output]
    ours_ms: list[float]
    ours_tree_ms: list[float]
    traf_ms: list[float]
    # comment text per page, where the corpus is annotated for comments (trafilatura-dev)
    ours_comments: list[str] = field(default_factory=list)
    traf_comments: list[str] = field(default_factory=list)
    traf_comment_bodies: list[str] = field(default_factory=list)


def run_corpus(fixtures: Path, corpus: str, repeat: int) -> Run:
    """Ours (``extract_article`` from the HTML text, and from the tree as the spider has
    it) and trafilatura (``extract(include_comments=False)`` for the body, timed;
    ``extract_metadata`` for headline, author and date) on every page of ``corpus``."""
    traf = trafilatura_module()
    cases = scoring.corpus_cases(fixtures, corpus)
    run = Run(corpus, cases, [], [], [], [], [])
    # warm both up (imports, compiled XPaths, caches) outside the timing
    extract_article(cases[0].html, cases[0].url)
    traf.extract(cases[0].html, include_comments=False)
    for case in cases:
        art, ms = timed(lambda c=case: extract_article(c.html, c.url), repeat)
        run.ours.append(
            scoring.Output(
                art.body_text or "", art.headline, list(art.authors or []), art.published_at
            )
        )
        run.ours_ms.append(ms)
        if case.comments is not None:
            run.ours_comments.append("\n".join(c.text for c in art.comments))
        best = float("inf")
        for _ in range(repeat):
            tree = parse_html(case.html)
            _, ms = timed(lambda tree=tree, c=case: extract_article(tree, c.url), 1)
            best = min(best, ms)
        run.ours_tree_ms.append(best)
        text, ms = timed(
            lambda c=case: traf.extract(c.html, url=c.url, include_comments=False), repeat
        )
        meta = traf.extract_metadata(case.html, default_url=case.url)
        run.traf.append(
            scoring.Output(
                text or "",
                meta.title if meta else None,
                [meta.author] if meta and meta.author else [],
                meta.date if meta else None,
            )
        )
        run.traf_ms.append(ms)
        if case.comments is not None:
            # trafilatura's comments come with include_comments=True, its body beside them
            doc = traf.bare_extraction(case.html, url=case.url, include_comments=True)
            run.traf_comments.append((doc.comments if doc else None) or "")
            run.traf_comment_bodies.append((doc.text if doc else None) or "")
    return run


def comment_rows(runs: dict[str, Run]) -> list[list[str]]:
    """Comment figures per annotated corpus, ours and trafilatura's."""
    rows: list[list[str]] = []
    for corpus, run in runs.items():
        annotated = [c for c in run.cases if c.comments is not None]
        if not annotated:
            continue
        bodies = [
            o.text for c, o in zip(run.cases, run.ours, strict=True) if c.comments is not None
        ]
        for name, texts, body_texts in (
            ("newsarchive", run.ours_comments, bodies),
            ("trafilatura", run.traf_comments, run.traf_comment_bodies),
        ):
            s = scoring.comment_score(annotated, texts, body_texts)
            rows.append(
                [
                    corpus if name == "newsarchive" else "",
                    name,
                    f"{s.found / s.snippets:.1%} ({s.found}/{s.snippets})",
                    f"{s.found / s.present:.1%} ({s.found}/{s.present})",
                    f"{s.leaked / s.snippets:.1%} ({s.leaked}/{s.snippets})",
                    f"{s.noisy / s.quiet_pages:.1%} ({s.noisy}/{s.quiet_pages})",
                ]
            )
    return rows


COMMENT_HEADER = [
    "corpus",
    "extractor",
    "comment snippets found",
    "of those in the page's text",
    "leaked into the body",
    "no-comment pages with comment text",
]


# ---------------------------------------------------------------------------- profile

# stage -> (module, names) pairs: what extract_article_page calls, by the names it calls them
_STAGES: dict[str, tuple[tuple[Any, tuple[str, ...]], ...]] = {
    "page index (one pass over the tree)": ((extract_pkg, ("PageIndex",)),),
    "structured data (JSON-LD, meta, microdata)": ((extract_pkg, ("read_structured",)),),
    "metadata (headline … language)": (
        (metadata, ("canonical", "headline", "description", "language", "lead_image")),
        (metadata_authors, ("authors",)),
        (metadata_dates, ("published", "modified")),
        (metadata_taxonomy, ("categories", "section", "tags")),
    ),
    "neighbours (prev/next)": ((extract_pkg, ("find_neighbours",)),),
    "comments": ((extract_pkg, ("extract_comments",)),),
    "body": ((extract_pkg, ("extract_body",)),),
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

    for stage, parts in _STAGES.items():
        for module, names in parts:
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


def _sub(values: list[Any], keep: list[int]) -> list[Any]:
    return [values[i] for i in keep]


def _fmt(value: float | int | None, digits: int = 3) -> str:
    if value is None:
        return ""
    return str(value) if isinstance(value, int) else f"{value:.{digits}f}"


def _pct(value: float | int | None) -> str:
    return "" if value is None else f"{value:.1%}"


def corpus_rows(runs: dict[str, Run]) -> list[list[str]]:
    """Two rows per view (ours, then trafilatura's): the figures of ``scoring.figures``
    and the median ms, ours also from the parsed tree, with the ratio to trafilatura's."""
    rows = []
    for name, corpus, page_type in scoring.VIEWS:
        if corpus not in runs:
            continue
        run = runs[corpus]
        keep = scoring.view_cases(run.cases, page_type)
        cases = _sub(run.cases, keep)
        tm = statistics.median(_sub(run.traf_ms, keep))
        om = statistics.median(_sub(run.ours_ms, keep))
        otm = statistics.median(_sub(run.ours_tree_ms, keep))
        for who, outputs, ms in (
            ("newsarchive", _sub(run.ours, keep), f"{om:.1f} ({om / tm:.2f}x); tree {otm:.1f}"),
            ("trafilatura", _sub(run.traf, keep), f"{tm:.1f}"),
        ):
            f = scoring.figures(cases, outputs)
            rows.append(
                [
                    name if who == "newsarchive" else "",
                    who,
                    str(f["pages"]),
                    _fmt(f["body_f1"]),
                    _fmt(f["body_precision"]),
                    _fmt(f["body_recall"]),
                    _pct(f["with_found"]),
                    _pct(f["without_leaked"]),
                    _fmt(f["empty"]),
                    _pct(f["headline"]),
                    _pct(f["author"]),
                    _pct(f["date"]),
                    ms,
                ]
            )
    return rows


CORPUS_HEADER = [
    "corpus",
    "extractor",
    "pages",
    "body F1",
    "P",
    "R",
    "with found",
    "without leaked",
    "empty",
    "headline",
    "author",
    "date",
    "median ms (ours / trafilatura)",
]


def worst_pages(runs: dict[str, Run], n: int) -> list[str]:
    """Ours' worst pages per corpus by kind of failure: empty bodies, lowest body F1 below
    trafilatura's, without-snippets leaked, with-snippets missed, wrong published date."""
    lines = []
    for corpus, run in runs.items():
        triples = list(zip(run.cases, run.ours, run.traf, strict=True))
        empty = [c.key for c, o, _ in triples if c.has_content and not o.text.strip()]
        if empty:
            lines.append(f"{corpus}: empty body on {len(empty)}: {', '.join(empty[:n])}")
        low = sorted(
            (
                (scoring.page_f1(c.body, o.text), scoring.page_f1(c.body, t.text), c)
                for c, o, t in triples
                if c.body
            ),
            key=lambda r: r[0] - r[1],
        )[:n]
        if low:
            lines.append(
                f"{corpus}: body F1 furthest below trafilatura's (ours/theirs): "
                + ", ".join(f"{c.key[:16]}[{c.page_type}] {of:.2f}/{tf:.2f}" for of, tf, c in low)
            )
        for label, snippets, want in (
            ("leaked without-snippets", "without_snippets", True),
            ("missed with-snippets", "with_snippets", False),
        ):
            counts = sorted(
                (
                    (
                        sum(scoring.snippet_found(s, o.text) == want for s in getattr(c, snippets)),
                        c.key,
                    )
                    for c, o, _ in triples
                ),
                reverse=True,
            )
            counts = [(k, key) for k, key in counts if k][:n]
            if counts:
                lines.append(
                    f"{corpus}: most {label}: " + ", ".join(f"{key} ({k})" for k, key in counts)
                )
        dates = [
            f"{c.key} {c.published!r} vs {o.published!r}"
            for c, o, t in triples
            if c.published
            and not scoring.date_match(c.published, o.published)
            and scoring.date_match(c.published, t.published)
        ]
        if dates:
            lines.append(
                f"{corpus}: date wrong where trafilatura's is right ({len(dates)}): "
                + "; ".join(dates[:n])
            )
    return lines


def accuracy_table(sites: dict[str, Accuracy]) -> str:
    names = sorted({f for acc in sites.values() for f in acc})
    rows = [
        [name, *(pct(*acc[name]) if name in acc else "" for acc in sites.values())]
        for name in names
    ]
    return table(["field", *sites], rows)


CORPORA = ("aeb-dev", "modern-dev", "trafilatura-dev", "readability")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fixtures", type=Path, default=scoring.default_fixtures())
    parser.add_argument("--repeat", type=int, default=2, help="timing runs per page (best kept)")
    parser.add_argument("--no-record", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument(
        "--corpus",
        action="append",
        choices=CORPORA,
        help="only this corpus (repeatable; default: all; recording needs all)",
    )
    parser.add_argument("--worst", type=int, default=8, help="list the N worst pages per kind")
    parser.add_argument(
        "--profile", action="store_true", help="only print where extraction time goes, by stage"
    )
    args = parser.parse_args(argv)
    fixtures: Path = args.fixtures
    if args.profile:
        print(run_profile(fixtures, args.repeat))
        return
    corpora = args.corpus or list(CORPORA)
    missing = [c for c in corpora if not (fixtures / c).is_dir()]
    if missing:
        sys.exit(f"no {', '.join(missing)} under {fixtures} (pass --fixtures PATH)")
    wp_fixtures = (
        fixtures if (fixtures / "wordpress" / "truth.json").exists() else scoring.REPO_FIXTURES
    )

    runs = {corpus: run_corpus(fixtures, corpus, args.repeat) for corpus in corpora}
    sites: dict[str, Accuracy] = {
        f"wordpress {k}": v for k, v in wordpress_accuracy(wp_fixtures).items()
    }
    sites["demo site"] = demo_accuracy()

    text = "\n\n".join(
        [
            "## Extraction",
            f"`python -m bench.extraction` ({report.stamp()}; fixtures `{fixtures}`; "
            f"best of {args.repeat} runs per page)",
            "Every corpus, ours and trafilatura 2.3 in the same run. Body F1/P/R: "
            "ScrapingHub's shingle method against the reference text (aeb-dev, modern-dev); "
            "with found / without leaked: the fixtures' snippet rule (modern-dev, "
            "trafilatura-dev); empty: no body where the truth has one; headline, author, "
            "date: over the pages that state one (trafilatura: `extract_metadata`); ms: "
            "median per page from the HTML text (ours also from the parsed tree, as the "
            "spider passes it).",
            table(CORPUS_HEADER, corpus_rows(runs)),
            "Comments on real pages (trafilatura-dev: pages annotated with comment snippets, "
            "or with none): a snippet is found when it is in the extracted comments, leaked "
            "when it is in the body; a no-comment page should get no comment text. 'Of those "
            "in the page's text': over the snippets present in the HTML outside scripts (the "
            "rest are loaded by script). trafilatura: `bare_extraction(include_comments=True)`.",
            table(COMMENT_HEADER, comment_rows(runs)),
            "Sites with their own truth (right/total articles, comments pages merged):",
            accuracy_table(sites),
        ]
    )
    print(text)
    print("\nworst pages (ours):")
    for line in worst_pages(runs, args.worst):
        print("  " + line)
    if not args.no_record and args.corpus is None:
        record(text)
        print(f"\nrecorded in {report.BENCHMARKS}")


if __name__ == "__main__":
    main()
