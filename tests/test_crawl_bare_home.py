"""A home page that looks like little: a bare list of 20 links to the newest articles, no
feed, no pagination, no prev/next links between articles, and a sitemap that only
robots.txt names. Started from the site root, the crawl takes the root for a home page,
reads the sitemap and archives every article, not the home page."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper.extract.urls import canonicalize_url
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve

N = 120
WORDS = [
    "council",
    "river",
    "harbour",
    "budget",
    "school",
    "report",
    "minister",
    "vote",
    "season",
    "museum",
]


def _prose(i: int) -> str:
    sentences = [
        " ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(12)).capitalize() + "."
        for j in range(8)
    ]
    return "".join(f"<p>{' '.join(sentences[j : j + 4])}</p>" for j in (0, 4))


def _article(i: int) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>Story number {i}</title></head><body>"
        f"<h1>Story number {i}</h1><p>2024-03-{1 + i % 28:02d}</p>{_prose(i)}"
        '<p><a href="/">Home</a></p></body></html>'
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    (root / "n").mkdir(parents=True)
    for i in range(N):
        (root / "n" / f"{i}.html").write_text(_article(i), "utf-8")
    newest = "".join(f'<li><a href="/n/{i}.html">Story number {i}</a></li>' for i in range(20))
    (root / "index.html").write_text(
        f"<!doctype html><html><head><title>News</title></head><body><ul>{newest}</ul>"
        "</body></html>",
        "utf-8",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    urls = "".join(f"<url><loc>{base}/n/{i}.html</loc></url>" for i in range(N))
    (root / "all-stories.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        "utf-8",
    )
    (root / "robots.txt").write_text(
        f"User-agent: *\nAllow: /\nSitemap: {base}/all-stories.xml\n", "utf-8"
    )
    with serve(root, port) as served:
        yield served.base


def test_bare_home_page_with_robots_sitemap_finds_every_article(site: str, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(site + "/", db)
    assert result.returncode == 0, result.stderr[-3000:]
    archived = {r["canonical_url"] for r in db_rows(db, "select canonical_url from articles")}
    expected = {canonicalize_url(f"{site}/n/{i}.html") for i in range(N)}
    assert archived == expected, (len(archived), sorted(archived - expected)[:5])
    (crawl,) = db_rows(db, "select skipped from crawls")
    assert json.loads(crawl["skipped"])["listing page"] == 1  # the home page, not archived
