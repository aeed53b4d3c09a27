"""A site whose slugs are not ASCII, linked percent-encoded from one neighbour and raw from
another or from the page's own canonical link: the crawl archives each article once, under
one key, and the prev/next chain joins whole. A site whose pages are cp1252 bytes served
as UTF-8: the archive holds the text the author wrote, and the bytes as they came."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlite_utils import Database

from archive.captures import latest_capture
from archive.reparse import reparse
from scraper.extract.urls import canonicalize_url
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve

# (path as written on disk, headline); chain order oldest first
ARTICLES = [
    ("/2024/05/bern-baut/", "Bern baut eine neue Brücke"),
    ("/2024/05/zürich-stimmt-ab/", "Zürich stimmt über den Tunnel ab"),
    ("/2024/05/genève-vote/", "Genève vote sur le budget"),
    ("/2024/05/łódź-wybiera/", "Łódź wybiera nowy zarząd"),
]
PROSE = "<p>" + "Der Rat hat am Dienstag nach langer Debatte zugestimmt. " * 10 + "</p>"


def _encoded(path: str, upper: bool) -> str:
    """``path`` percent-encoded, the escapes in upper or lower case (sites write both)."""
    quoted = quote(path)
    return quoted if upper else re.sub(r"%[0-9A-F]{2}", lambda m: m.group(0).lower(), quoted)


def _forms(i: int) -> str:
    """Article i's address in one of its three spellings: raw, lower-case or upper-case
    escapes, in turn."""
    path = ARTICLES[i][0]
    return (path, _encoded(path, upper=False), _encoded(path, upper=True))[i % 3]


def _page(i: int, base: str) -> str:
    """Article i: its canonical link in spelling i, its older neighbour in the next
    spelling along, its newer neighbour raw."""
    headline = ARTICLES[i][1]
    links = []
    if i > 0:
        older = _encoded(ARTICLES[i - 1][0], upper=i % 2 == 0)
        links.append(f'<a rel="prev" href="{older}">{ARTICLES[i - 1][1]}</a>')
    if i + 1 < len(ARTICLES):
        links.append(f'<a rel="next" href="{ARTICLES[i + 1][0]}">{ARTICLES[i + 1][1]}</a>')
    return (
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>{headline}</title>'
        f'<link rel="canonical" href="{base}{_forms(i)}">'
        '<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="2024-05-0{i + 1}T08:00:00+02:00">'
        f"</head><body><article><h1>{headline}</h1>{PROSE}</article>"
        f'<nav class="post-navigation">{" ".join(links)}</nav></body></html>'
    )


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    root = tmp_path / "site"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    for i, (path, _) in enumerate(ARTICLES):
        folder = root / path.strip("/")
        folder.mkdir(parents=True)
        (folder / "index.html").write_text(_page(i, base), "utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    with serve(root, port) as served:
        yield served.base


@pytest.mark.parametrize("start", [0, 2])
def test_non_ascii_slugs_keep_the_chain_whole(site: str, tmp_path: Path, start: int) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(site + _encoded(ARTICLES[start][0], upper=False), db)
    assert result.returncode == 0, result.stderr[-2000:]
    keys = {canonicalize_url(site + path) for path, _ in ARTICLES}
    rows = db_rows(db, "select canonical_url, headline from articles")
    assert sorted(r["canonical_url"] for r in rows) == sorted(keys)
    assert {r["headline"] for r in rows} == {h for _, h in ARTICLES}
    links = db_rows(db, "select from_url, rel, to_url from links")
    assert len(links) == 2 * (len(ARTICLES) - 1)
    assert {r["to_url"] for r in links} <= keys  # every link lands on an archived key
    (crawl,) = db_rows(db, "select chain from crawls")
    chain = json.loads(crawl["chain"])
    assert chain["segments"] == 1 and not chain["breaks"], chain


LATIN_HEADLINES = ["Café naïve à Genève", "Crème brûlée “maison” für 5 €"]
LATIN_PROSE = "<p>" + "Le conseil a voté mardi après un long débat sur l’été. " * 10 + "</p>"


def _latin_page(i: int) -> str:
    links = []
    if i > 0:
        links.append(f'<a rel="prev" href="/a{i - 1}.html">{LATIN_HEADLINES[i - 1]}</a>')
    if i + 1 < len(LATIN_HEADLINES):
        links.append(f'<a rel="next" href="/a{i + 1}.html">{LATIN_HEADLINES[i + 1]}</a>')
    return (
        f'<!doctype html><html lang="fr"><head><title>{LATIN_HEADLINES[i]}</title>'
        '<meta property="og:type" content="article">'
        f'<meta property="article:published_time" content="2024-05-0{i + 1}T08:00:00+02:00">'
        f"</head><body><article><h1>{LATIN_HEADLINES[i]}</h1>{LATIN_PROSE}</article>"
        f"<nav>{' '.join(links)}</nav></body></html>"
    )


def test_cp1252_bytes_labelled_utf8_are_archived_as_written(tmp_path: Path) -> None:
    """The header says UTF-8, the bytes are cp1252 (no ``<meta>`` charset): headlines and
    bodies read as written, not ``Caf\ufffd na\ufffdve``; the captures keep the bytes."""
    root = tmp_path / "site"
    root.mkdir()
    pages = {f"/a{i}.html": _latin_page(i).encode("cp1252") for i in range(2)}
    for path, body in pages.items():
        (root / path.lstrip("/")).write_bytes(body)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n", "utf-8")
    db = tmp_path / "archive.db"
    port = free_port()
    with serve(root, port, content_types={".html": "text/html; charset=utf-8"}) as site:
        result = run_crawl(site.base + "/a1.html", db)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = db_rows(db, "select url, headline, body_text from articles order by url")
    assert [r["headline"] for r in rows] == LATIN_HEADLINES
    for r in rows:
        assert r["body_text"].startswith("Le conseil a voté mardi après un long débat sur l’été.")
        assert "\ufffd" not in r["body_text"] + r["headline"]
    archive = Database(db)
    for path, body in pages.items():
        capture = latest_capture(archive, site.base + path)
        assert capture is not None and capture.body == body
        assert ("Content-Type", "text/html; charset=utf-8") in capture.headers
    # reparse decodes the stored bytes the same way: an archive written by a build that
    # stored U+FFFD (simulated here) gets the headlines as written back.
    archive.execute(
        "update articles set headline = replace(replace(headline, 'é', ?), 'ü', ?),"
        " content_hash = 'written by that build'",
        ["\ufffd", "\ufffd"],
    )
    archive.conn.commit()
    archive.close()
    report = reparse(db)
    assert report.articles == 2 and report.fields["headline"] == 2
    rows = db_rows(db, "select headline from articles order by url")
    assert [r["headline"] for r in rows] == LATIN_HEADLINES
