"""A crawl through a faulty, partly hostile site: it completes, retries what is retryable,
refuses what is hostile, records every fault with its reason, and archives everything
reachable. Politeness: robots.txt ``Crawl-delay`` and the contact in the User-Agent."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest

from scraper.demosite import DemoServer, build_site, site_truth
from scraper.middlewares import user_agent_with_contact
from tests.crawling import db_rows, run_crawl

SITE = build_site(30)
A = SITE.articles
FAULTS = {
    A[3].path: "500-once",  # recovers on retry
    A[5].path: "503-once",  # recovers on retry
    A[8].path: "timeout",
    A[10].path: "truncated",
    A[12].path: "redirect-loop",
    A[14].path: "404",  # a hole in the middle of the chain
    A[16].path: "cycle",  # its previous link points to its next article
    A[18].path: "bad-charset",  # archived right anyway
    A[20].path: "huge",  # 50 MB
    A[22].path: "non-html",
    A[24].path: "gzip-bomb",
    "/sitemap.xml": "xml-bomb",
}
UNREACHABLE = {A[i].path for i in (8, 10, 12, 14, 20, 22, 24)}
SETTINGS = {
    "DOWNLOAD_TIMEOUT": "3",
    "RETRY_TIMES": "1",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, list[str]]:
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    with DemoServer(SITE, faults=FAULTS, stall_seconds=6) as server:
        run_crawl(server.url + "/", db, settings=SETTINGS)
        return server.url, db, server.requested_paths()


def test_everything_reachable_is_archived(faulty_crawl: tuple[str, Path, list[str]]) -> None:
    base, db, _ = faulty_crawl
    got = {r["canonical_url"] for r in db_rows(db, "select canonical_url from articles")}
    assert got == {base + a.path for a in A if a.path not in UNREACHABLE}


def test_retryable_faults_are_retried_and_recover(
    faulty_crawl: tuple[str, Path, list[str]],
) -> None:
    base, db, paths = faulty_crawl
    for i in (3, 5):
        assert paths.count(A[i].path) == 2  # the fault, then the page
    truth = {a["url"]: a for a in site_truth(SITE, base)["articles"]}
    latin = base + A[18].path
    (row,) = db_rows(db, f"select body_text from articles where canonical_url = '{latin}'")
    assert row["body_text"] == truth[latin]["body_text"]


def test_every_fault_is_recorded_with_its_reason(faulty_crawl: tuple[str, Path, list[str]]) -> None:
    base, db, _ = faulty_crawl
    (crawl,) = db_rows(db, "select * from crawls")
    assert crawl["status"] == "finished"
    errors = {e["url"].split("?")[0]: e["reason"] for e in json.loads(crawl["errors"])}
    reasons = {path: errors.get(base + path, "") for path in UNREACHABLE | {"/sitemap.xml"}}
    assert "timeout" in reasons[A[8].path].lower() or "took longer" in reasons[A[8].path]
    assert reasons[A[10].path]  # the truncated body: a data-loss or connection error
    assert "redirect" in reasons[A[12].path].lower()
    assert reasons[A[14].path] == "HTTP 404"
    assert "maxsize" in reasons[A[20].path].lower() or "max size" in reasons[A[20].path].lower()
    assert "maxsize" in reasons[A[24].path].lower() or "max size" in reasons[A[24].path].lower()
    assert (
        reasons["/sitemap.xml"] == "sitemap refused: XML with a DTD or entity declarations refused"
    )
    skipped = json.loads(crawl["skipped"])
    assert skipped.get("not html") == 1 and skipped.get("sitemap refused") == 1
    assert crawl["requests_failed"] == len(json.loads(crawl["errors"]))


def test_the_chain_report_shows_the_hole_and_the_cycle(
    faulty_crawl: tuple[str, Path, list[str]],
) -> None:
    base, db, _ = faulty_crawl
    (crawl,) = db_rows(db, "select chain from crawls")
    chain = json.loads(crawl["chain"])
    hole = base + A[14].path
    assert {"from": base + A[15].path, "rel": "prev", "to": hole, "reason": "HTTP 404"} in chain[
        "breaks"
    ]
    assert [sorted(c) for c in chain["cycles"]] == [sorted([base + A[16].path, base + A[17].path])]
    assert chain["segments"] > 1


def test_hostile_bodies_were_never_followed(faulty_crawl: tuple[str, Path, list[str]]) -> None:
    _, _, paths = faulty_crawl
    # The redirect loop was cut off by Scrapy's limit, not followed forever.
    assert 2 <= sum(p.startswith(A[12].path) for p in paths) <= 25
    # The bombed sitemap gave no URLs: the articles came from the listings and the chain.
    assert "/page/3/" in paths


def test_crawl_delay_is_obeyed_and_the_contact_named(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    with DemoServer(SITE, crawl_delay=0.4) as server:
        result = run_crawl(
            server.url + A[-1].path,
            db,
            "max_articles=4",
            settings={"CONCURRENT_REQUESTS_PER_DOMAIN": "4", "ARCHIVE_CONTACT": "ops@example.org"},
        )
        requests = [r for r in server.requests if r.path != "/robots.txt"]
    gaps = [b.at - a.at for a, b in pairwise(requests)]
    assert len(requests) >= 4 and min(gaps) >= 0.35
    assert "Crawl-delay: 0.4 s" in result.stderr
    assert (
        requests[0].headers["User-Agent"]
        == "newsarchive/0.1 (news archiver; Scrapy; +ops@example.org)"
    )


def test_user_agent_with_contact() -> None:
    assert user_agent_with_contact("bot/1 (x)", "me@x.org") == "bot/1 (x; +me@x.org)"
    assert user_agent_with_contact("bot/1", "https://x.org/bot") == "bot/1 (+https://x.org/bot)"
    assert user_agent_with_contact("bot/1", "") == "bot/1"
