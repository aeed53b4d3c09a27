"""``newsarchive reparse``: the current extractor over the stored raw pages, no network;
per-field change counts; a transaction per batch, so an interrupted run leaves the archive
consistent."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

import archive.reparse as reparse_module
from archive.cli import cli
from archive.db import open_readonly
from archive.queries import get_article
from archive.reparse import reparse
from scraper.demosite.server import DemoServer
from scraper.items import content_hash
from tests.demo_archive import crawl, small_site


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, int]:
    """A crawled archive; the server is stopped before any test runs (no network)."""
    db = tmp_path_factory.mktemp("reparse") / "crawled.db"
    site = small_site()
    with DemoServer(site) as server:
        crawl(server, db)
        paginated = server.url + site.articles[site.specials.paginated_comments].path
    return db, paginated, len(site.articles)


@pytest.fixture
def archive(crawled: tuple[Path, str, int], tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    shutil.copy(crawled[0], db)
    return db


def _spoil(db_path: Path, url: str) -> None:
    """What an older, worse extractor might have archived for ``url``."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE articles SET headline = 'Old headline', tags = '[]' WHERE canonical_url = ?",
            [url],
        )
        conn.execute("DELETE FROM comments WHERE article_url = ? AND position >= 10", [url])
    conn.close()
    # As that extractor's writer would have hashed it.
    db = open_readonly(db_path)
    digest = content_hash(get_article(db, url))
    db.close()
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE articles SET content_hash = ? WHERE canonical_url = ?", [digest, url])
    conn.close()


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_reparse_of_an_unchanged_archive_changes_nothing(archive: Path, crawled) -> None:
    out = run("reparse", "--db", str(archive))
    n = crawled[2]
    assert out == f"Re-extracted {n} articles from stored pages: 0 changed, {n} unchanged.\n"


def test_reparse_restores_what_the_pages_say_and_reports_fields(archive: Path, crawled) -> None:
    _, paginated, n = crawled
    conn = sqlite3.connect(archive)
    comments = conn.execute(
        "select count(*) from comments where article_url = ?", [paginated]
    ).fetchone()[0]
    conn.close()
    _spoil(archive, paginated)
    out = run("reparse", "--db", str(archive))
    assert out.startswith(
        f"Re-extracted {n} articles from stored pages: 1 changed, {n - 1} unchanged.\n"
    )
    table = {line.split()[0]: line.split()[1] for line in out.splitlines()[4:]}
    assert table == {"comments": "1", "headline": "1", "tags": "1"}
    db = open_readonly(archive)
    article = get_article(db, paginated)
    assert article.headline != "Old headline"
    # Every comment page came from the stored captures.
    assert len(article.comments) == comments
    version = db.execute("select snapshot from article_versions").fetchall()
    assert len(version) == 1 and "Old headline" in version[0][0]
    crawl_row = db.execute(
        "select spider, status, articles_updated from crawls order by id desc limit 1"
    ).fetchone()
    assert crawl_row == ("reparse", "finished", 1)
    db.close()


def test_reparse_one_url_and_since(archive: Path, crawled) -> None:
    _, paginated, _ = crawled
    out = run("reparse", "--url", paginated, "--db", str(archive))
    assert out.startswith("Re-extracted 1 articles")
    out = run("reparse", "--since", "2999-01-01", "--db", str(archive))
    assert "Re-extracted 0 articles" in out
    result = CliRunner().invoke(
        cli, ["reparse", "--url", "http://x.example/", "--db", str(archive)]
    )
    assert result.exit_code == 1
    assert result.output == "Error: no archived article with URL http://x.example/\n"


def test_interrupted_reparse_leaves_a_consistent_archive(
    archive: Path, crawled, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, n = crawled
    conn = sqlite3.connect(archive)
    urls = [r[0] for r in conn.execute("select canonical_url from articles order by rowid")]
    conn.close()
    for url in urls:
        _spoil(archive, url)
    real = reparse_module.reextract
    calls = 0

    def failing(db, capture, profiles=None):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls > 5:
            raise KeyboardInterrupt
        return real(db, capture, profiles)

    monkeypatch.setattr(reparse_module, "reextract", failing)
    with pytest.raises(KeyboardInterrupt):
        reparse(archive, batch_size=2)
    conn = sqlite3.connect(archive)
    assert conn.execute("pragma integrity_check").fetchone() == ("ok",)
    assert conn.execute("select status from crawls order by id desc limit 1").fetchone() == (
        "failed",
    )
    fixed = conn.execute("select count(*) from articles where headline != 'Old headline'")
    assert fixed.fetchone()[0] == 5
    conn.close()
    # Each article is whole: its stored hash is the hash of what is stored.
    db = open_readonly(archive)
    fixed_urls = [url for url in urls if get_article(db, url).headline != "Old headline"]
    for url in fixed_urls:
        row_hash = db.execute(
            "select content_hash from articles where canonical_url = ?", [url]
        ).fetchone()[0]
        assert row_hash == content_hash(get_article(db, url))
    db.close()
    # Run again to the end: everything restored.
    monkeypatch.setattr(reparse_module, "reextract", real)
    report = reparse(archive)
    assert report.articles == n and report.changed == n - 5


@pytest.mark.parametrize("command", ["reparse", "history", "serve", "export"])
def test_new_commands_have_help_with_an_example(command: str) -> None:
    out = run(command, "-h")
    assert "Example:" in out and "--db" in out


def test_reparse_reads_pages_with_the_profiles_the_crawl_used(tmp_path: Path) -> None:
    """An archive crawled with a site profile: re-extracted with the same profile nothing
    changes; without it, the generic extraction's sources show up as changes."""
    profile = Path(__file__).parent.parent / "scraper" / "profiles" / "tagdiv-newspaper.toml"
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = profile.read_text("utf-8").replace("domains = []", 'domains = ["127.0.0.1"]')
    (folder / "demo.toml").write_text(text, "utf-8")
    crawled = tmp_path / "crawled.db"
    with DemoServer(small_site()) as server:
        crawl(server, crawled, f"profile={profile}", "max_articles=4")
    n = 4

    def fresh() -> Path:
        db = tmp_path / f"copy{len(list(tmp_path.glob('copy*')))}.db"
        shutil.copy(crawled, db)
        return db

    for how in (["--profile", str(profile)], ["--profiles", str(folder)]):
        out = run("reparse", "--db", str(fresh()), *how)
        assert f"Re-extracted {n} articles from stored pages: 0 changed, {n} unchanged." in out
    out = run("reparse", "--db", str(fresh()))
    assert f"{n} changed" in out and "sources" in out
    result = CliRunner().invoke(cli, ["reparse", "--db", str(fresh()), "--profile", "nope.toml"])
    assert result.exit_code != 0 and "nope.toml" in result.output


def test_reparse_refuses_while_a_crawl_holds_the_archive(archive: Path) -> None:
    from archive.lock import ArchiveLock

    with ArchiveLock(archive):
        result = CliRunner().invoke(cli, ["reparse", "--db", str(archive)])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"Error: another crawl is writing {archive} (pid {os.getpid()}, ")
    conn = sqlite3.connect(archive)
    assert conn.execute("select count(*) from crawls where spider = 'reparse'").fetchone() == (0,)
    conn.close()


def test_a_killed_reparse_row_is_marked_by_the_next_run(archive: Path) -> None:
    """A reparse killed mid-run (SIGKILL: no ``finally``) leaves its row 'running'; the
    next writing run, which holds the lock, marks it failed."""
    conn = sqlite3.connect(archive)
    with conn:
        conn.execute(
            "insert into crawls (started_at, status, spider, args, start_urls) "
            "values ('2026-01-01T00:00:00+00:00', 'running', 'reparse', '{}', '[]')"
        )
    conn.close()
    reparse(archive)
    conn = sqlite3.connect(archive)
    rows = conn.execute(
        "select status, finish_reason from crawls where spider = 'reparse' order by id"
    ).fetchall()
    conn.close()
    assert rows == [("failed", "killed"), ("finished", None)]


def test_a_stored_page_reparsed_gives_the_row_the_crawl_stored(archive: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from archive.captures import latest_capture
    from scraper.items import ARTICLE_FIELDS, article_to_dict
    from scraper.spiders.articles import ArticlesSpider

    routed: list[str] = []
    page_route = ArticlesSpider.parse_page

    def recorded(self, response):  # type: ignore[no-untyped-def]
        routed.append(response.url)
        return page_route(self, response)

    # The route every crawl response takes; reparse has no other.
    monkeypatch.setattr(ArticlesSpider, "parse_page", recorded)
    db = open_readonly(archive)
    urls = [row[0] for row in db.execute("select canonical_url from articles order by rowid")]
    for url in urls:
        stored = get_article(db, url)
        capture = latest_capture(db, stored.url)
        assert capture is not None
        article = reparse_module.reextract(db, capture)
        assert article is not None, url
        again, crawled = article_to_dict(article), article_to_dict(stored)
        for name in ARTICLE_FIELDS:
            if name != "fetched_at":
                assert again[name] == crawled[name], (url, name)
    db.close()
    assert len(routed) == len(urls) and len(urls) > 10
