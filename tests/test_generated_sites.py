"""End to end on sites made by real generators with the themes they ship
(``tests/generated_sites.py``): the real crawl, started from the home page, from an article
and from a section or tag page, finds and archives every article, archives no listing or
other page, and counts every non-article page it fetched in the crawl's ``skipped``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.extract.urls import canonicalize_url
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import BUILDERS, BuiltSite, free_port, jekyll_available, serve

_NOT_HTML = (".xml", ".txt", ".json", ".gz", ".css", ".js", ".png", ".svg", ".ico", ".woff2")


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[BuiltSite, object]]:
    name = request.param
    if name.startswith("jekyll") and not jekyll_available():
        pytest.skip("Debian's jekyll is not installed (apt: jekyll jekyll-theme-minima ...)")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    built = BUILDERS[name](tmp_path_factory.mktemp(name) / "site", base)
    with serve(built.root, port) as served:
        assert served.base == base
        yield built, served


# (entry point, spider arguments): the auto default from each entry, and discovery forced
# from the home page (the sources named, no chain).
RUNS = [
    ("home", ()),
    ("article", ()),
    ("section", ()),
    ("tag", ()),
    ("home", ("discover=sitemap,feed,listing",)),
]


@pytest.mark.parametrize(
    ("entry", "args"), RUNS, ids=["home", "article", "section", "tag", "forced"]
)
def test_every_article_found_and_no_listing_archived(
    site: tuple[BuiltSite, object], entry: str, args: tuple[str, ...], tmp_path: Path
) -> None:
    built, served = site
    if entry not in built.entries:
        pytest.skip(f"{built.name} has no {entry} page")
    base = served.base  # type: ignore[attr-defined]
    log: list[tuple[str, int]] = served.served  # type: ignore[attr-defined]
    del log[:]
    db = tmp_path / "archive.db"
    result = run_crawl(base + built.entries[entry], db, *args)
    assert result.returncode == 0, result.stderr[-3000:]

    expected = {canonicalize_url(base + p) for p in built.article_paths}
    archived = {row[0] for row in db_rows(db, "select canonical_url from articles")}
    assert not archived - expected, f"not articles, archived: {sorted(archived - expected)}"
    assert archived == expected, f"missing: {sorted(expected - archived)}"
    # Every archived article has its body.
    empty = db_rows(db, "select canonical_url from articles where length(body_text) < 200")
    assert not empty

    # Every HTML page fetched that is not an article is counted as a listing or other page.
    article_paths = set(built.article_paths)
    pages = {
        path.split("?", 1)[0] if "?" not in path else path
        for path, status in log
        if status == 200 and not path.lower().endswith(_NOT_HTML)
    }
    non_articles = {p for p in pages if p not in article_paths}
    (crawl,) = db_rows(db, "select skipped, items_skipped from crawls")
    skipped = json.loads(crawl["skipped"] or "{}")
    counted = skipped.get("listing page", 0) + skipped.get("other page", 0)
    assert counted == len(non_articles), (skipped, sorted(non_articles))
    if entry != "article":
        assert skipped.get("listing page", 0) >= 1
    assert crawl["items_skipped"] == sum(skipped.values())
