"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from scraper.items import Article, Comment, Image

# tests/test_extract_mutations.py: 10,000 mutated real pages, CI's budget (about a minute
# on one core); NEWSARCHIVE_MUTATIONS=300 for a quick local run. No deadline: the time
# of one example depends on the machine's load, not on the code under test.
settings.register_profile(
    "mutations",
    max_examples=int(os.environ.get("NEWSARCHIVE_MUTATIONS", "10000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# -- archive fixtures (archive/*, tests/test_archive_*.py, tests/test_cli.py) --------------

BASE = "https://news.example.org/2024/05"


def _budget_article() -> Article:
    return Article(
        url=f"{BASE}/council-budget/?utm_source=newsletter",
        canonical_url=f"{BASE}/council-budget/",
        headline="Council approves budget for the Zürich tram",
        description="The budget passed after a long night.",
        authors=["Zoë Müller", "Ana Ruiz"],
        published_at="2024-05-02T09:00:00+02:00",
        published_at_raw="2. Mai 2024, 09:00",
        section="Politik",
        categories=["Politik", "Stadt"],
        tags=["budget", "tram"],
        language="de",
        body_text="The city council approved the budget on Thursday.\n\n"
        "Café owners on the Bahnhofstraße welcomed the budget for the tram.",
        body_html="<p>The city council approved the budget on Thursday.</p>",
        images=[Image(url=f"{BASE}/tram.jpg", caption="Die neue Tram — Foto")],
        prev_url=f"{BASE}/storm-warning/",
        prev_title="Spring storm warning",
        next_url=f"{BASE}/river-festival/?utm_medium=web",
        next_title="Riverside festival draws crowds",
        comments=[
            Comment("101", None, "Ana", "2024-05-02T10:00:00+02:00", "Great news for the city."),
            Comment("102", "101", "Björn", "2024-05-02T10:05:00+02:00", "Not so sure.", depth=2),
            Comment("103", "102", "Chloé", None, "Why not? Ça va aller.", depth=3),
            Comment("104", None, "Dmitri", "2024-05-02T11:00:00+02:00", "Where is the map?"),
        ],
        comment_count=4,
        comments_source="html",
        fetched_at="2024-05-03T08:00:00+00:00",
        sources={"headline": "jsonld", "authors": "jsonld", "body_text": "heuristic"},
    )


def _festival_article() -> Article:
    return Article(
        url=f"{BASE}/river-festival/",
        canonical_url=f"{BASE}/river-festival/",
        headline="Riverside festival draws crowds",
        authors=["Ana Ruiz"],
        published_at="2024-05-03T18:00:00+02:00",
        section="Kultur",
        body_text="Thousands came to the river festival. Some asked about the budget.",
        prev_url=f"{BASE}/council-budget/",
        prev_title="Council approves budget for the Zürich tram",
        comments=[Comment("201", None, None, None, "Lovely evening by the river")],
        comments_source="html",
        fetched_at="2024-05-04T08:00:00+00:00",
    )


def _storm_article() -> Article:
    return Article(
        url=f"{BASE}/storm-warning/",
        canonical_url=f"{BASE}/storm-warning/",
        headline="Spring storm warning — 暴风雨",
        authors=["Zoë Müller"],
        published_at="2024-05-01T07:30:00+02:00",
        section="Politik",
        body_text="Forecasters expect strong winds. 强风 tonight.",
        next_url=f"{BASE}/council-budget/",
        next_title="Council approves budget for the Zürich tram",
        comments_source="none",
        fetched_at="2024-05-03T08:00:00+00:00",
    )


@pytest.fixture
def sample_articles() -> list[Article]:
    """Three linked articles (storm → budget → festival), non-ASCII text, and a 3-deep
    comment thread on the budget article."""
    return [_budget_article(), _festival_article(), _storm_article()]


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    return tmp_path / "archive.db"


@pytest.fixture
def filled_archive(archive_path: Path, sample_articles: list[Article]) -> Path:
    """The sample articles written by one finished crawl; returns the archive path."""
    from archive.writer import ArchiveWriter

    with ArchiveWriter(archive_path) as writer:
        crawl_id = writer.start_crawl(
            "articles", {"direction": "both"}, [BASE + "/council-budget/"]
        )
        for article in sample_articles:
            writer.write_article(article)
        writer.finish_crawl(
            crawl_id,
            "finished",
            {"pages_fetched": 5, "skipped": {"no body": 1}, "errors": []},
        )
    return archive_path
