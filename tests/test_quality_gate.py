"""Quality gate: our extractor over the copied benchmark pages must not fall below the floors
pinned in ``tests/quality_floors.json``.

Figures (bench/scoring.py computes them the same way as ``python -m bench.extraction``):

- body F1, precision and recall on the 88 aeb-dev pages (ScrapingHub's shingle method);
- headline, author and published-date accuracy on Mozilla Readability's 130 pages;
- comments on the aeb pages whose comments are in the HTML: records, authors and dates
  found, comment text leaking into ``body_text`` (a ceiling), and pages naming the script
  widget that loads their comments.

When a change raises a figure, raise its floor in the same commit; never lower a floor
without saying why in the commit message.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from bench import scoring
from scraper.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures"
FLOORS = json.loads((Path(__file__).parent / "quality_floors.json").read_text("utf-8"))
COMMENT_PAGES = ("0e014df693f1", "232a43fb15ab", "3252222e61fe", "3c6d3381ef52", "4219d096902d")


@cache
def figures() -> dict[str, float]:
    out: dict[str, float] = {}
    pages = scoring.aeb_pages(FIXTURES)
    articles = {p.page_id: extract_article(p.html, p.url) for p in pages}
    body = scoring.body_score((p.body, articles[p.page_id].body_text or "") for p in pages)
    out.update(aeb_body_f1=body.f1, aeb_body_precision=body.precision, aeb_body_recall=body.recall)

    comments = [
        (articles[p.page_id], c) for p in pages if p.page_id.startswith(COMMENT_PAGES)
        for c in articles[p.page_id].comments
    ]  # fmt: skip
    out["aeb_comments"] = len(comments)
    out["aeb_comments_with_author"] = sum(bool(c.author) for _, c in comments)
    out["aeb_comments_with_date"] = sum(
        bool(c.published_at or c.published_at_raw) for _, c in comments
    )
    out["aeb_comment_text_in_body"] = sum(
        len(c.text) >= 20 and c.text[:60] in (a.body_text or "") for a, c in comments
    )
    out["aeb_widget_pages"] = sum(
        a.comments_source not in (None, "none", "html") for a in articles.values()
    )

    tallies: dict[str, list[int]] = {"headline": [0, 0], "author": [0, 0], "date": [0, 0]}
    for page in scoring.readability_pages(FIXTURES):
        a = extract_article(page.html, f"https://example.invalid/{page.name}/")
        for key, expected, ok in (
            ("headline", page.title, scoring.headline_match(page.title, a.headline)),
            ("author", page.byline, scoring.author_match(page.byline, a.authors)),
            ("date", page.published, scoring.date_match(page.published, a.published_at)),
        ):
            if expected:
                tallies[key][0] += int(ok)
                tallies[key][1] += 1
    for key, (right, total) in tallies.items():
        out[f"readability_{key}"] = right / total
    return out


def _floors() -> list[tuple[str, Any]]:
    return [(k, v) for k, v in FLOORS.items() if not k.startswith("_")]


@pytest.mark.parametrize(("figure", "floor"), _floors())
def test_figure_holds_its_floor(figure: str, floor: dict[str, float]) -> None:
    value = figures()[figure]
    if "min" in floor:
        assert value >= floor["min"], f"{figure} = {value:.4f} fell below its floor {floor['min']}"
    if "max" in floor:
        assert value <= floor["max"], (
            f"{figure} = {value:.4f} rose above its ceiling {floor['max']}"
        )


def test_every_figure_has_a_floor() -> None:
    assert sorted(figures()) == sorted(k for k, _ in _floors())
