"""Memory caps on what a site sends besides pages: a robots.txt is read only as far as its
first 500 KiB (RFC 9309 §2.5), with a warning naming the host; a sitemap is read as a
stream (its entries parsed one by one, each let go once read)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scraper import discovery
from scraper.middlewares import ROBOTS_MAX_BYTES, capped_robots
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import Served, free_port, serve

PROSE = "<p>" + "The council met on Tuesday and agreed the budget after a long debate. " * 8
PROSE += "</p>"


def _article(title: str, prev: str | None) -> str:
    link = f'<nav><a rel="prev" href="{prev}">Older story</a></nav>' if prev else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article"></head><body><article>'
        f"<h1>{title}</h1>{PROSE}</article>{link}</body></html>"
    )


def test_capped_robots_cuts_at_a_line_end() -> None:
    body = b"User-agent: *\nAllow: /\n" + b"# padding padding padding\n" * 40_000
    capped = capped_robots(body)
    assert len(capped) <= ROBOTS_MAX_BYTES < len(body)
    assert capped.endswith(b"\n") and body.startswith(capped)
    assert capped_robots(b"User-agent: *\nDisallow:\n") == b"User-agent: *\nDisallow:\n"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Served]:
    root = tmp_path / "site"
    root.mkdir()
    for i in range(3):
        prev = f"/s{i - 1}.html" if i else None
        (root / f"s{i}.html").write_text(_article(f"Story {i}", prev), "utf-8")
    # Allowed in the first 500 KiB; a rule past them that would forbid everything.
    padding = "# " + "x" * 98 + "\n"
    robots = "User-agent: *\nAllow: /\n" + padding * 7000 + "User-agent: *\nDisallow: /\n"
    (root / "robots.txt").write_text(robots, "utf-8")
    with serve(root, free_port()) as served:
        yield served


def test_a_huge_robots_txt_is_read_as_far_as_its_first_500_kib(
    site: Served, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(site.base + "/s2.html", db, "discover=chain")
    assert result.returncode == 0, result.stderr[-3000:]
    headlines = sorted(r["headline"] for r in db_rows(db, "select headline from articles"))
    assert headlines == ["Story 0", "Story 1", "Story 2"]
    warnings = [line for line in result.stderr.splitlines() if "robots.txt of 127.0.0.1" in line]
    assert len(warnings) == 1 and "only its first" in warnings[0], warnings


def test_a_streamed_sitemap_reads_the_same_entries() -> None:
    urls = "".join(
        f"<url><loc>https://example.org/{i}/</loc><lastmod>2024-05-0{1 + i % 9}</lastmod>"
        "<!-- a comment --></url>"
        for i in range(2000)
    )
    doc = discovery.parse_sitemap(
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + urls.encode()
        + b"</urlset>"
    )
    assert doc.kind == "urlset" and len(doc.entries) == 2000
    assert doc.entries[1999] == discovery.SitemapEntry(
        "https://example.org/1999/", "2024-05-02", None
    )
    # A document cut off mid-way keeps the entries read before the cut.
    cut = discovery.parse_sitemap(
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://a.org/1'
        b"</loc></url><url><loc>https://a.org/2</loc></url><url><lo"
    )
    assert [e.loc for e in cut.entries][:2] == ["https://a.org/1", "https://a.org/2"]
