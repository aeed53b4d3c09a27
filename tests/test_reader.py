"""The archive's Datasette plugin (archive/reader), through Datasette's own test client
on a crawled demo archive: the article reading page, compact table cells, facets,
charts and the index. tests/test_serve_browser.py shows the same pages in Chromium."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette
from datasette.utils import tilde_encode
from sqlite_utils import Database

from archive.reader.article_page import body_diff, sanitise
from archive.reader.charts import Chart, every_day
from archive.serve import datasette_metadata
from scraper.demosite.server import DemoServer
from tests.demo_archive import crawl, edit_article, small_site

EDITED, THINNED = 5, 7


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo archive crawled twice: between the runs one article got a new headline
    and body (a second version) and another lost its last comment (removed)."""
    db = tmp_path_factory.mktemp("reader") / "news.db"
    site = small_site()
    with DemoServer(site) as server:
        crawl(server, db)
        edited = site.articles[EDITED]
        edit_article(server, EDITED, headline="A corrected headline", seed=edited.seed + 1)
        thinned = site.articles[THINNED]
        edit_article(server, THINNED, comment_stubs=thinned.comment_stubs[:-1])
        crawl(server, db, "full=1")
    return db


def _get(db_path: Path, path: str) -> Any:
    async def fetch() -> Any:
        ds = Datasette([str(db_path)], metadata=datasette_metadata(db_path))
        await ds.invoke_startup()
        return await ds.client.get(path)

    return asyncio.run(fetch())


def _article_path(url: str) -> str:
    return "/news/articles/" + tilde_encode(url)


def _text(html: str) -> str:
    """The page's text, tags dropped and whitespace folded (as a reader sees it)."""
    import lxml.html

    return " ".join(lxml.html.fromstring(html).text_content().split())


def test_article_page_is_a_reading_page(archive: Path) -> None:
    db = Database(archive)
    row = next(db.query("select * from articles where headline = 'A corrected headline'"))
    response = _get(archive, _article_path(row["canonical_url"]))
    assert response.status_code == 200
    html = response.text
    assert re.search(r"<title>A corrected headline</title>", html)
    text = _text(html)
    for author in json.loads(row["authors"]):
        assert author in text
    assert row["section"] in text
    for tag in json.loads(row["tags"]):
        assert tag in text
    # The whole body, every paragraph of it, is on the page.
    for paragraph in row["body_text"].split("\n\n"):
        assert " ".join(paragraph.split()) in text
    # The thread: every comment, in thread order, nested by depth.
    comments = list(
        db.query(
            "select comment_id, author, text, depth from comments "
            "where article_url = ? order by position",
            [row["canonical_url"]],
        )
    )
    assert comments and any(c["depth"] > 1 for c in comments)
    ids = re.findall(r'id="comment-([^"]+)" data-depth="(\d+)"', html)
    assert ids == [(c["comment_id"], str(c["depth"])) for c in comments]
    for c in comments:
        assert " ".join(c["text"].split()) in text
    # Its earlier version, with the headline change and a body diff.
    assert "Versions" in text and "headline" in text
    assert "<del>" in html and "<ins>" in html


def test_article_page_links_to_archived_neighbours_and_captures(archive: Path) -> None:
    db = Database(archive)
    row = next(db.query("select * from articles where headline = 'A corrected headline'"))
    html = _get(archive, _article_path(row["canonical_url"])).text
    for rel in ("prev", "next"):
        url = row[f"{rel}_url"]
        assert url
        assert f'rel="{rel}" href="{_article_path(url)}"' in html
        assert _get(archive, _article_path(url)).status_code == 200
    captures = [r["id"] for r in db.query("select id from captures where url = ?", [row["url"]])]
    assert captures
    for capture_id in captures:
        assert f'href="/news/captures/{capture_id}"' in html


def test_removed_comment_is_marked(archive: Path) -> None:
    db = Database(archive)
    removed = next(db.query("select * from comments where removed_at is not null"))
    html = _get(archive, _article_path(removed["article_url"])).text
    item = re.search(
        rf'<li class="newsarchive-comment removed" id="comment-{re.escape(removed["comment_id"])}"',
        html,
    )
    assert item
    assert f"removed {removed['removed_at']}" in html


def test_body_html_is_sanitised_again() -> None:
    dirty = (
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">a</a>'
        '<img src="https://e.example/i.jpg" onerror="x()"><iframe src="https://e.example/">'
        "</iframe><style>p{}</style></p>"
    )
    clean = str(sanitise(dirty))
    for bad in ("script", "onclick", "onerror", "javascript:", "iframe", "style"):
        assert bad not in clean
    assert "Hi" in clean and '<img src="https://e.example/i.jpg">' in clean


def test_body_diff_marks_words() -> None:
    diff = str(body_diff("the old text stays here", "the new text stays here"))
    assert diff == "the <del>old</del> <ins>new</ins> text stays here"
    assert "&lt;b&gt;" in str(body_diff("a", "<b>"))


def test_table_cells_are_compact(archive: Path) -> None:
    response = _get(archive, "/news/articles?_search=minister")
    assert response.status_code == 200
    html = response.text
    cells = re.findall(r'<td class="col-body_text[^"]*">(.*?)</td>', html, re.S)
    assert cells
    for cell in cells:
        assert len(_text(cell)) <= 141 + 1  # cut at 140 characters and an ellipsis
    authors = re.findall(r'<td class="col-authors[^"]*">(.*?)</td>', html, re.S)
    assert authors and not any("[" in a for a in authors)  # a list, not JSON


def test_facets_are_configured(archive: Path) -> None:
    facets = _get(archive, "/news/articles.json").json()["facet_results"]
    assert {"section", "authors", "tags", "published_at"} <= set(facets)
    db = Database(archive)
    sections = {
        r["section"]: r["n"]
        for r in db.query("select section, count(*) as n from articles group by section")
    }
    assert {f["value"]: f["count"] for f in facets["section"]["results"]} == sections
    comments = _get(archive, "/news/comments.json").json()["facet_results"]
    assert {"author", "published_at"} <= set(comments)


def test_index_lists_the_useful_tables_first(archive: Path) -> None:
    html = _get(archive, "/").text
    listed = re.findall(r'<a href="/news/([a-z_]+)">', html)
    assert listed[:6] == ["articles", "comments", "article_versions", "links", "crawls", "captures"]
    assert "frontier" not in listed and "fetch_state" not in listed


def test_charts_on_the_database_page(archive: Path) -> None:
    db = Database(archive)
    html = _get(archive, "/news").text
    charts = dict(re.findall(r'data-chart="([a-z-]+)"(.*?)</svg>', html, re.S))
    assert set(charts) == {
        "articles-per-day",
        "comments-per-day",
        "articles-per-section",
        "crawl-runs",
    }

    def bar_total(svg: str) -> int:
        return sum(int(n) for n in re.findall(r"<title>[^<]*: (\d+)</title></rect>", svg))

    assert bar_total(charts["articles-per-day"]) == db["articles"].count
    assert bar_total(charts["articles-per-section"]) == db["articles"].count
    dated = db.execute("select count(*) from comments where published_at is not null").fetchone()
    assert bar_total(charts["comments-per-day"]) == dated[0]
    assert len(re.findall(r'class="bar"', charts["crawl-runs"])) == db["crawls"].count == 2


def test_every_day_fills_the_gaps() -> None:
    assert every_day([("2024-01-30", 2), ("2024-02-02", 1)]) == [
        ("2024-01-30", 2),
        ("2024-01-31", 0),
        ("2024-02-01", 0),
        ("2024-02-02", 1),
    ]
    assert every_day([("soon", 1)]) == [("soon", 1)]
    assert Chart("k", "t", []).svg() == ""


def test_other_databases_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    Database(other)["articles"].insert({"id": 1, "body_text": "x" * 500}, pk="id")
    html = _get(other, "/other/articles/1").text
    assert "newsarchive-article" not in html
    assert "x" * 500 in html
