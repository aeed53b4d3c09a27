"""Quality gate: our extractor over the copied benchmark pages must not fall below the floors
pinned in ``tests/quality_floors.json``.

Figures (``bench.scoring.figures``, the same function ``python -m bench.extraction`` prints
beside trafilatura's), per corpus of ``bench.scoring.VIEWS``, named ``<corpus>_<figure>``:

- aeb-dev (88 pages), modern-dev articles (234) and all modern-dev pages (482): body F1,
  precision and recall (ScrapingHub's shingle method);
- modern-dev and trafilatura-dev (499 pages): with-snippets found and without-snippets
  leaked (a ceiling);
- every corpus: empty bodies where the truth has content (a ceiling); headline, author and
  published-date accuracy where the corpus states them (modern-dev, trafilatura-dev,
  Mozilla Readability's 130 pages);
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


# which of ``scoring.figures`` the gate pins, per view
_PINNED = {
    "aeb-dev": ("body_f1", "body_precision", "body_recall", "empty"),
    "modern-dev articles": (
        "body_f1", "body_precision", "body_recall", "with_found", "without_leaked", "empty",
        "headline", "author", "date",
    ),
    "modern-dev all": (
        "body_f1", "body_precision", "body_recall", "with_found", "without_leaked", "empty",
        "headline", "author", "date",
    ),
    "trafilatura-dev": ("with_found", "without_leaked", "empty", "headline", "author", "date"),
    "readability": ("empty", "headline", "author", "date"),
}  # fmt: skip


def _prefix(view: str) -> str:
    return view.replace("-dev", "").replace(" ", "_")


@cache
def figures() -> dict[str, float]:
    out: dict[str, float] = {}
    articles: dict[str, Any] = {}
    for corpus in {corpus for _, corpus, _ in scoring.VIEWS}:
        cases = scoring.corpus_cases(FIXTURES, corpus)
        arts = [extract_article(c.html, c.url) for c in cases]
        if corpus == "aeb-dev":
            articles = {c.key: a for c, a in zip(cases, arts, strict=True)}
        outputs = [
            scoring.Output(a.body_text or "", a.headline, list(a.authors or []), a.published_at)
            for a in arts
        ]
        for view, view_corpus, page_type in scoring.VIEWS:
            if view_corpus != corpus:
                continue
            keep = scoring.view_cases(cases, page_type)
            f = scoring.figures([cases[i] for i in keep], [outputs[i] for i in keep])
            for name in _PINNED[view]:
                value = f[name]
                assert value is not None, f"{view} has no {name}"
                out[f"{_prefix(view)}_{name}"] = value

    comments = [
        (a, c) for key, a in articles.items() if key.startswith(COMMENT_PAGES) for c in a.comments
    ]
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
