"""``newsarchive export`` filters (``--since``, ``--url``, ``--site``) on jsonl, csv and
warc, and ``--format csv``."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from archive.cli import cli
from archive.export import CSV_COLUMNS
from archive.writer import ArchiveWriter
from scraper.demosite.server import DemoServer
from scraper.items import Article
from tests.demo_archive import crawl, small_site

BASE = "https://news.example.org/2024/05"
BUDGET, FESTIVAL, STORM = (
    f"{BASE}/{s}/" for s in ("council-budget", "river-festival", "storm-warning")
)
OTHER = "https://www.other.example/2024/opinion/"
OLD = "2024-05-03T08:00:00+00:00"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def exported(db: Path, *args: str) -> list[str]:
    result = run("export", *args, "--db", str(db))
    assert result.exit_code == 0, result.output
    return [json.loads(line)["canonical_url"] for line in result.output.splitlines()]


@pytest.fixture
def archive(filled_archive: Path, sample_articles: list[Article]) -> Path:
    """The sample archive, first seen long ago, plus an article on another site; then
    the storm article edited (a new version, now) and a comment first seen in June."""
    with ArchiveWriter(filled_archive) as writer:
        writer.write_article(
            Article(url=OTHER + "?ref=home", canonical_url=OTHER, headline="Elsewhere")
        )
    db = Database(filled_archive)
    with db.atomic():
        db.execute("UPDATE articles SET first_seen_at = ?", [OLD])
        db.execute("UPDATE comments SET first_seen_at = ?", [OLD])
        db.execute(
            "UPDATE comments SET first_seen_at = ? WHERE article_url = ?",
            ["2024-06-02T10:00:00+00:00", FESTIVAL],
        )
    db.close()
    storm = next(a for a in sample_articles if a.canonical_url == STORM)
    with ArchiveWriter(filled_archive) as writer:
        writer.write_article(dataclasses.replace(storm, headline="Storm warning lifted"))
    return filled_archive


def test_no_filter_exports_every_article(archive: Path) -> None:
    assert sorted(exported(archive)) == sorted([BUDGET, FESTIVAL, STORM, OTHER])


def test_since_picks_articles_first_seen_or_changed(archive: Path) -> None:
    assert sorted(exported(archive, "--since", "2024-06-01")) == [FESTIVAL, STORM]
    assert exported(archive, "--since", "2025-01-01T00:00+02:00") == [STORM]  # the new version
    assert sorted(exported(archive, "--since", "2024-05-03")) == sorted(
        [BUDGET, FESTIVAL, STORM, OTHER]
    )
    db = Database(archive)
    with db.atomic():
        db.execute(
            "UPDATE articles SET removed_at = '2030-01-01T00:00:00+00:00' WHERE canonical_url = ?",
            [BUDGET],
        )
    db.close()
    assert exported(archive, "--since", "2029-12-31") == [BUDGET]  # found removed


def test_bad_since_is_a_usage_error(archive: Path) -> None:
    result = run("export", "--since", "May 2024", "--db", str(archive))
    assert result.exit_code == 2
    assert "'May 2024' is not a date or time" in result.output


def test_url_takes_any_url_form_and_repeats(archive: Path) -> None:
    assert exported(archive, "--url", BUDGET + "?utm_source=newsletter") == [BUDGET]
    assert exported(archive, "--url", OTHER + "?ref=home") == [OTHER]
    assert sorted(exported(archive, "--url", STORM, "--url", BUDGET)) == [BUDGET, STORM]
    result = run("export", "--url", "https://nowhere.example/a", "--db", str(archive))
    assert result.exit_code == 1
    assert result.output == "Error: no archived article with URL https://nowhere.example/a\n"


def test_site_picks_the_canonical_host(archive: Path) -> None:
    assert exported(archive, "--site", "www.other.example") == [OTHER]
    assert exported(archive, "--site", "other.example") == []
    assert sorted(exported(archive, "--site", "NEWS.example.org")) == [BUDGET, FESTIVAL, STORM]
    both = exported(archive, "--site", "news.example.org", "--site", "www.other.example")
    assert len(both) == 4


def test_filters_combine(archive: Path) -> None:
    assert exported(
        archive, "--site", "news.example.org", "--since", "2024-06-01", "--url", STORM
    ) == [STORM]
    assert exported(archive, "--site", "www.other.example", "--since", "2024-06-01") == []


def test_csv_one_row_per_article(archive: Path) -> None:
    result = run("export", "--format", "csv", "--db", str(archive))
    assert result.exit_code == 0, result.output
    raw = result.stdout_bytes.decode("utf-8")
    assert raw.count("\r\n") >= 5  # RFC 4180 line ends
    rows = list(csv.DictReader(io.StringIO(raw, newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    by_url = {row["canonical_url"]: row for row in rows}
    assert set(by_url) == {BUDGET, FESTIVAL, STORM, OTHER}
    budget = by_url[BUDGET]
    assert json.loads(budget["authors"]) == ["Zoë Müller", "Ana Ruiz"]
    assert json.loads(budget["tags"]) == ["budget", "tram"]
    assert budget["archived_comments"] == "4"
    assert by_url[STORM]["archived_comments"] == "0"
    assert by_url[STORM]["headline"] == "Storm warning lifted"
    assert budget["first_seen_at"] == OLD and budget["removed_at"] == ""
    assert "Café owners on the Bahnhofstraße" in budget["body_text"]
    assert "comment" not in CSV_COLUMNS and "comments" not in CSV_COLUMNS


def test_csv_takes_the_filters(archive: Path) -> None:
    result = run("export", "--format", "csv", "--site", "www.other.example", "--db", str(archive))
    rows = list(csv.DictReader(io.StringIO(result.output, newline="")))
    assert [row["canonical_url"] for row in rows] == [OTHER]
    empty = run("export", "--format", "csv", "--since", "2031-01-01", "--db", str(archive))
    assert empty.stdout_bytes == (",".join(CSV_COLUMNS) + "\r\n").encode()


def test_csv_help_says_comments_are_in_jsonl() -> None:
    out = run("export", "-h").output
    assert "comments" in out and "themselves are only in `--format jsonl`" in out


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("export-warc") / "archive.db"
    with DemoServer(small_site()) as server:
        crawl(server, db)
        crawl(server, db)
    return db


def _warc(db: Path, *args: str) -> list[tuple[str, str]]:
    result = run("export", "--format", "warc", *args, "--db", str(db))
    assert result.exit_code == 0, result.output
    return [
        (r.rec_type, r.rec_headers.get_header("WARC-Target-URI") or "")
        for r in ArchiveIterator(BytesIO(result.stdout_bytes))
    ]


def test_warc_with_filters_holds_the_selected_articles_captures(crawled: Path) -> None:
    db = Database(crawled)
    url, page_urls = db.execute(
        "SELECT canonical_url, comment_page_urls FROM articles "
        "WHERE comment_page_urls != '[]' ORDER BY canonical_url LIMIT 1"
    ).fetchone()
    db.close()
    everything = _warc(crawled)
    picked = _warc(crawled, "--url", url)
    own = {url, *json.loads(page_urls)}
    assert picked[0] == ("warcinfo", "")
    assert {uri for _, uri in picked[1:]} == own
    assert [r for r in everything if r[1] in own] == picked[1:]  # order and revisits kept
    kinds = [kind for kind, _ in picked[1:]]
    assert "response" in kinds and len(picked) < len(everything)
    assert _warc(crawled, "--since", "2999-01-01") == [("warcinfo", "")]
    # A site's articles: their pages only (robots.txt and other pages are no article's).
    db = Database(crawled)
    pages = {u for row in db.query("SELECT url, canonical_url, comment_page_urls FROM articles")
             for u in (row["url"], row["canonical_url"], *json.loads(row["comment_page_urls"]))}  # fmt: skip
    db.close()
    site = _warc(crawled, "--site", "127.0.0.1")
    assert site[1:] == [r for r in everything if r[1] in pages]
    assert ("response", everything[1][1].split("/2024")[0] + "/robots.txt") not in site
