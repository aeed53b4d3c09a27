"""Page kinds: the classifier over every labelled page we have.

    PYTHONPATH=. .venv/bin/python -m bench.pagekinds [--fixtures PATH] [--no-record]

Labels: modern-dev's page types (article → article; listing and collection → listing;
forum, service, documentation and product → other: a forum thread, a service page, a
documentation chapter or a product page is not a news article), aeb-dev and Readability
pages are articles, the WordPress captures by their manifest kind (post and its comment
pages → article; home and its pages → listing), and the demo site served in process (its
articles and their comment pages; home, section, tag and author listings and their
pages; about, contact and privacy pages and a 404 → other).

Reports, per corpus and overall: article precision and recall, the confusion counts,
the misclassified pages with the classifier's reason, and ms per page.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench import scoring
from bench.report import record, stamp, table
from scraper.extract import PageHints, classify_page, parse_html

KINDS = ("article", "listing", "other")

# modern-dev page type → kind
MODERN_KINDS = {
    "article": "article",
    "listing": "listing",
    "collection": "listing",
    "forum": "other",
    "service": "other",
    "documentation": "other",
    "product": "other",
}
WORDPRESS_KINDS = {
    "post": "article",
    "comment-page": "article",
    "home": "listing",
    "home-page": "listing",
    "category": "listing",
    "tag": "listing",
    "author": "listing",
    "date": "listing",
}
# Labels we believe are wrong, with why (checked by reading the pages). They stay in the
# counts; the table also gives the figures without them.
DISPUTED: dict[tuple[str, str], str] = {
    ("modern-dev", "2534"): "forum label; a dated, signed homelab blog post (JSON-LD Article)",
    ("modern-dev", "2645"): "forum label; a dated, signed vendor blog post",
    ("modern-dev", "2684"): "forum label; a dated, signed tutorial (JSON-LD Article)",
    ("modern-dev", "2740"): "forum label; a dated blog post (og:type article)",
    ("modern-dev", "1781"): "forum label; a dated, signed clinic blog post (BlogPosting)",
    ("modern-dev", "2498"): "forum label; a dated, signed essay",
    ("modern-dev", "1821"): "product label; a dated, signed review round-up (NewsArticle)",
    ("modern-dev", "2632"): "listing label; one dated blog post",
    ("modern-dev", "1806"): "listing label; one long how-to post",
    ("modern-dev", "0497"): "documentation label; a dated, signed technical essay",
    ("modern-dev", "1766"): "documentation label; a dated guide post (JSON-LD Article)",
    ("readability", "nytimes-5"): "article label; a newspaper front page",
    ("readability", "mozilla-1"): "article label; a product page (Firefox download)",
    ("readability", "mozilla-2"): "article label; a product page",
    ("readability", "mercurial"): "article label; a documentation page",
    ("readability", "005-unescape-html-entities"): "article label; a parser test case",
    ("readability", "invalid-attributes"): "article label; a parser test case",
    ("readability", "js-link-replacement"): "article label; a parser test case",
    ("readability", "lazy-image-3"): "article label; a parser test case",
    ("readability", "ol"): "article label; a parser test case (one list)",
    ("readability", "remove-aria-hidden"): "article label; a parser test case",
}
# Readability's pages run under this address in its own tests.
READABILITY_URL = "http://fakehost/test/page.html"


@dataclass
class Labelled:
    corpus: str
    name: str
    url: str
    html: str | bytes
    label: str
    hints: PageHints


def modern(fixtures: Path) -> Iterator[Labelled]:
    folder = fixtures / "modern-dev"
    if not (folder / "ground-truth.json").exists():
        return
    truth = json.loads((folder / "ground-truth.json").read_text("utf-8"))
    for page_id in sorted(truth):
        t = truth[page_id]
        url = t.get("url") or f"https://example.invalid/{page_id}"
        if not url.startswith(("http://", "https://")):
            url = "https://example.invalid" + ("" if url.startswith("/") else "/") + url
        raw = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        yield Labelled("modern-dev", page_id, url, raw, MODERN_KINDS[t["page_type"]], PageHints())


def aeb(fixtures: Path) -> Iterator[Labelled]:
    if not (fixtures / "aeb-dev" / "ground-truth.json").exists():
        return
    for page in scoring.aeb_pages(fixtures):
        yield Labelled("aeb-dev", page.page_id, page.url, page.html, "article", PageHints())


def readability(fixtures: Path) -> Iterator[Labelled]:
    for meta in sorted((fixtures / "readability").glob("*/source.html.gz")):
        raw = gzip.decompress(meta.read_bytes())
        yield Labelled(
            "readability", meta.parent.name, READABILITY_URL, raw, "article", PageHints()
        )


def wordpress(fixtures: Path) -> Iterator[Labelled]:
    for manifest in sorted((fixtures / "wordpress").glob("*/manifest.tsv")):
        theme = manifest.parent.name
        with manifest.open(encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                label = WORDPRESS_KINDS.get(row["kind"])
                if label is None or not row["content_type"].startswith("text/html"):
                    continue
                raw = (manifest.parent / row["path"]).read_bytes()
                hints = PageHints(int(row["status"]), row["content_type"])
                yield Labelled(f"wordpress {theme}", row["url"], row["url"], raw, label, hints)


def demo() -> Iterator[Labelled]:
    from scraper.demosite import build_site
    from scraper.demosite.content import slugify
    from scraper.demosite.pages import STATIC_PAGES
    from scraper.demosite.routes import resolve

    base = "http://demo.test"
    site = build_site()
    paths: list[tuple[str, str]] = []
    for a in site.articles:
        paths.append((a.path, "article"))
        paths.extend((f"{a.path}comment-page-{n}/", "article") for n in (1, 2))
    paths += [("/", "listing"), ("/page/2/", "listing"), ("/page/3/", "listing")]
    for s in site.sections:
        paths += [(f"/category/{s.slug}/", "listing"), (f"/category/{s.slug}/page/2/", "listing")]
    for au in site.authors:
        paths.append((f"/author/{au.slug}/", "listing"))
    tags = sorted({slugify(t) for a in site.articles for t in a.tags})
    paths += [(f"/tag/{t}/", "listing") for t in tags[:8]]
    paths += [(p, "other") for p in STATIC_PAGES]
    paths.append(("/no-such-page/", "other"))
    for path, label in paths:
        resp = resolve(site, base, path)
        if resp.status in (301, 302) or (resp.status == 404 and label != "other"):
            continue
        yield Labelled(
            "demo", path, base + path, resp.body, label, PageHints(resp.status, resp.content_type)
        )


def labelled_pages(fixtures: Path, with_demo: bool = True) -> Iterator[Labelled]:
    yield from modern(fixtures)
    yield from aeb(fixtures)
    yield from readability(fixtures)
    yield from wordpress(fixtures)
    if with_demo:
        yield from demo()


@dataclass
class Outcome:
    page: Labelled
    kind: str
    reason: str
    ms: float  # classify_page alone (it builds its own page index)
    parse_ms: float


def classify_all(pages: Iterator[Labelled]) -> list[Outcome]:
    out = []
    for page in pages:
        t0 = time.perf_counter()
        tree = parse_html(page.html)
        t1 = time.perf_counter()
        found = classify_page(tree, page.url, page.hints)
        t2 = time.perf_counter()
        out.append(Outcome(page, found.kind, found.reason, (t2 - t1) * 1000, (t1 - t0) * 1000))
    return out


def precision_recall(outcomes: list[Outcome]) -> tuple[float, float]:
    tp = sum(o.kind == "article" and o.page.label == "article" for o in outcomes)
    said = sum(o.kind == "article" for o in outcomes)
    real = sum(o.page.label == "article" for o in outcomes)
    return (tp / said if said else 1.0), (tp / real if real else 1.0)


def summary(outcomes: list[Outcome]) -> tuple[str, str]:
    corpora: dict[str, list[Outcome]] = {}
    for o in outcomes:
        corpora.setdefault(o.page.corpus, []).append(o)
    rows = []
    clean = [o for o in outcomes if (o.page.corpus, o.page.name) not in DISPUTED]
    for name, group in [*corpora.items(), ("all", outcomes), ("all, disputed labels out", clean)]:
        p, r = precision_recall(group)
        conf = Counter((o.page.label, o.kind) for o in group)
        ms = sorted(o.ms for o in group)
        parse = sorted(o.parse_ms for o in group)
        rows.append(
            [
                name,
                str(len(group)),
                f"{p:.3f}",
                f"{r:.3f}",
                " ".join(f"{a[0]}→{b[0]}:{conf[a, b]}" for a in KINDS for b in KINDS if conf[a, b]),
                f"{ms[len(ms) // 2]:.1f}",
                f"{ms[int(len(ms) * 0.9)]:.1f}",
                f"{parse[len(parse) // 2]:.1f}",
            ]
        )
    head = [
        "corpus",
        "pages",
        "article P",
        "article R",
        "truth→found",
        "median ms",
        "p90 ms",
        "parse median ms",
    ]
    wrong = [
        [
            o.page.corpus,
            o.page.name[:60],
            o.page.label,
            o.kind,
            o.reason,
            DISPUTED.get((o.page.corpus, o.page.name), ""),
        ]
        for o in outcomes
        if o.kind != o.page.label
    ]
    head2 = ["corpus", "page", "label", "found", "reason", "disputed label"]
    wrong_table = table(head2, wrong) if wrong else ""
    return table(head, rows), wrong_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=scoring.default_fixtures())
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args(argv)
    outcomes = classify_all(labelled_pages(args.fixtures))
    main_table, wrong_table = summary(outcomes)
    print(main_table)
    print()
    print(wrong_table)
    if not args.no_record:
        body = (
            f"`python -m bench.pagekinds` ({stamp()}; fixtures `{args.fixtures}`). "
            "Article precision/recall over every labelled page; ms: `classify_page` alone "
            "(building its own page index), parse apart.\n\n"
            "Labels: modern-dev page types article → article; listing, collection → "
            "listing; forum, service, documentation, product → other (a forum thread, a "
            "service, a manual chapter or a product page is no news article). aeb-dev and "
            "Readability pages are articles. WordPress captures by manifest kind (post and "
            "its comment pages → article; home and /page/N/ → listing). The demo site in "
            "process: articles and comment pages; home, section, tag, author listings and "
            "their pages; about/contact/privacy and a 404 → other. Labels we believe are "
            "wrong are named in the last column below and stay in the counts; "
            "the row 'disputed labels out' leaves them out. Target: article P and R ≥ .98.\n\n"
            f"{main_table}\n\nMisclassified pages (label, what the classifier said, why):\n\n"
            f"{wrong_table or '(none)'}\n"
        )
        record("Page kinds", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
