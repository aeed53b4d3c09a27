"""Comments on real pages of the aeb-dev benchmark: records with authors and dates where
the page shows them, none of their text in ``body_text``, and widget-only pages naming the
widget instead of yielding its "Loading comments…" boilerplate."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.items import Article

AEB = Path(__file__).parent / "fixtures" / "aeb-dev"
TRUTH = json.loads((AEB / "ground-truth.json").read_text("utf-8"))


@cache
def _article(prefix: str) -> Article:
    (page_id,) = [k for k in TRUTH if k.startswith(prefix)]
    html = gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())
    return extract_article(html, TRUTH[page_id]["url"])


# prefix -> (comments, first comment's author, its published_at or raw date, stated count)
PAGES = {
    "0e014df693f1": (1, "Stephanie", "2014-09-17T13:01:26-05:00", 1),
    "3252222e61fe": (2, "Karol", "2018-08-28T19:38:42+00:00", 2),
    "3c6d3381ef52": (1, "Гость", "2018-10-05T14:15:08+03:00", 224),
    "4219d096902d": (2, "Cherie McCluney", "2019-08-17T14:19:00-05:00", 2),
    # "Top Rated Comments" from the forum: relative dates, kept raw (no clock here)
    "232a43fb15ab": (10, "Woyzeck", "2 days ago at 07:52 am", None),
}


@pytest.mark.parametrize("prefix", PAGES)
def test_comments_in_the_html_are_records(prefix: str) -> None:
    count, author, date, stated = PAGES[prefix]
    a = _article(prefix)
    assert a.comments_source == "html"
    assert len(a.comments) == count
    first = a.comments[0]
    assert first.author == author
    assert date in (first.published_at, first.published_at_raw)
    assert a.comment_count == stated
    assert all(c.author and c.text for c in a.comments)
    assert all(c.published_at or c.published_at_raw for c in a.comments)


@pytest.mark.parametrize("prefix", PAGES)
def test_comment_text_stays_out_of_the_body(prefix: str) -> None:
    a = _article(prefix)
    assert a.body_text
    for c in a.comments:
        for line in c.text.split("\n"):
            if len(line) >= 25:
                assert line not in a.body_text


def test_replies_keep_their_parent() -> None:
    a = _article("3252222e61fe")
    assert [(c.comment_id, c.parent_id, c.depth) for c in a.comments] == [
        ("22741", None, 1),
        ("22746", "22741", 2),
    ]


@pytest.mark.parametrize(
    ("prefix", "widget"),
    [
        ("06ee193de4bd", "disqus"),
        ("0dd135704572", "facebook"),
        ("05844573ca7e", "viafoura"),
        ("360c732d1fdb", "openweb"),
        ("076f4f33bf75", "vuukle"),
    ],
)
def test_widget_only_pages_name_the_widget(prefix: str, widget: str) -> None:
    a = _article(prefix)
    assert a.comments == []
    assert a.comments_source == widget
    assert "Loading comments" not in (a.body_text or "")


def test_widget_pages_yield_no_boilerplate_comments() -> None:
    for page_id in TRUTH:
        a = _article(page_id[:12])
        if a.comments_source not in ("html", "none"):
            assert a.comments == [], page_id
