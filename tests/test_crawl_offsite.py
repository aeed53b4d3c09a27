"""The crawl stays on its hosts after redirects too: a "previous" link that redirects to
another host is not followed there (not even for that host's robots.txt), and is recorded
as a failure; a start URL that redirects (www, https, a new domain) takes its target host
as the crawl's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.crawling import db_rows, run_crawl
from tests.generated_sites import Served, free_port, serve

PROSE = "<p>" + "The council met on Tuesday and agreed the budget after a long debate. " * 8
PROSE += "</p>"


def _article(title: str, prev: str | None = None, nxt: str | None = None) -> str:
    links = ""
    if prev:
        links += f'<a rel="prev" href="{prev}">Older story</a>'
    if nxt:
        links += f'<a rel="next" href="{nxt}">Newer story</a>'
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta property="og:type" content="article"></head><body><article>'
        f"<h1>{title}</h1>{PROSE}</article><nav>{links}</nav></body></html>"
    )


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[Served, Served]]:
    elsewhere, home = tmp_path / "elsewhere", tmp_path / "home"
    for root in (elsewhere, home):
        root.mkdir()
        (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    (elsewhere / "older.html").write_text(_article("A story on another host"), "utf-8")
    (elsewhere / "start.html").write_text(_article("Moved here", prev="/older.html"), "utf-8")
    other_port = free_port()
    other = f"http://127.0.0.2:{other_port}"
    (home / "b.html").write_text(_article("Story B", prev="/a.html"), "utf-8")
    # /a.html redirects off the crawl's host; /moved.html is a start URL that moved there.
    redirects = {"/a.html": f"{other}/older.html", "/moved.html": f"{other}/start.html"}
    with (
        serve(elsewhere, other_port, host="127.0.0.2") as away,
        serve(home, free_port(), redirects=redirects) as here,
    ):
        yield here, away


def test_a_neighbour_redirecting_to_another_host_is_not_followed(
    sites: tuple[Served, Served], tmp_path: Path
) -> None:
    here, away = sites
    db = tmp_path / "archive.db"
    result = run_crawl(here.base + "/b.html", db, "discover=chain")
    assert result.returncode == 0, result.stderr[-3000:]
    assert away.served == []  # not the page, not its robots.txt
    headlines = [r["headline"] for r in db_rows(db, "select headline from articles")]
    assert headlines == ["Story B"]
    (crawl,) = db_rows(db, "select errors from crawls")
    errors = json.loads(crawl["errors"])
    assert len(errors) == 1, errors
    reason = errors[0]["reason"]
    assert f"{here.base}/a.html redirected off the crawl's hosts to 127.0.0.2" in reason


def test_a_start_url_that_redirects_takes_its_target_host(
    sites: tuple[Served, Served], tmp_path: Path
) -> None:
    here, away = sites
    db = tmp_path / "archive.db"
    result = run_crawl(here.base + "/moved.html", db, "discover=chain")
    assert result.returncode == 0, result.stderr[-3000:]
    headlines = {r["headline"] for r in db_rows(db, "select headline from articles")}
    assert headlines == {"Moved here", "A story on another host"}
    assert ("/robots.txt", 200) in away.served, away.served
    assert ("/robots.txt", 200) in here.served, here.served
