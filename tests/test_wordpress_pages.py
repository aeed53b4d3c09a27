"""Every captured WordPress post, under both themes, against the truth WordPress wrote.

Comments are checked in ``test_comments.py`` and by the whole crawl; this file checks the
article fields of each post page.
"""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.extract.urls import canonicalize_url
from scraper.items import Article

ROOT = Path(__file__).parent / "fixtures" / "wordpress"
TRUTH = json.loads((ROOT / "truth.json").read_text("utf-8"))
THEMES = ["twentytwentyone", "twentytwentytwo"]


@cache
def _manifest(theme: str) -> dict[str, Path]:
    with open(ROOT / theme / "manifest.tsv", encoding="utf-8") as fh:
        return {
            row["url"]: ROOT / theme / row["path"] for row in csv.DictReader(fh, delimiter="\t")
        }


@cache
def _article(theme: str, url: str) -> Article:
    return extract_article(_manifest(theme)[url].read_bytes(), url)


POSTS = [(theme, post) for theme in THEMES for post in TRUTH["posts"]]
IDS = [f"{theme}-{post['id']}" for theme, post in POSTS]


@pytest.mark.parametrize(("theme", "post"), POSTS, ids=IDS)
def test_headline_authors_dates(theme: str, post: dict) -> None:
    a = _article(theme, post["url"])
    assert a.headline == post["title"]
    # Block themes texturize names (O’Connor); the classic theme prints them as stored.
    author = post["author"] if theme == "twentytwentyone" else post["author_texturized"]
    assert a.authors == [author]
    assert a.published_at == post["date_published"]
    assert a.canonical_url == canonicalize_url(post["url"])


@pytest.mark.parametrize(("theme", "post"), POSTS, ids=IDS)
def test_categories_and_tags(theme: str, post: dict) -> None:
    a = _article(theme, post["url"])
    assert a.categories == [c["name"] for c in post["categories"]]
    assert a.tags == [t["name"] for t in post["tags"]]
    assert a.section == post["categories"][0]["name"]


@pytest.mark.parametrize(("theme", "post"), POSTS, ids=IDS)
def test_body_blocks(theme: str, post: dict) -> None:
    a = _article(theme, post["url"])
    assert a.body_text is not None
    # Captions are not the article's text; every other block is, in order.
    assert a.body_text.split("\n\n") == [
        b["text"] for b in post["blocks"] if b["type"] != "figcaption"
    ]
    for comment in post["comments"]:
        assert comment["text"] not in a.body_text
    assert [image.url for image in a.images] == post["images"]


@pytest.mark.parametrize(("theme", "post"), POSTS, ids=IDS)
def test_prev_next(theme: str, post: dict) -> None:
    a = _article(theme, post["url"])
    if theme == "twentytwentytwo":  # the block theme prints no post navigation at all
        assert (a.prev_url, a.next_url) == (None, None)
        return
    prev, nxt = post["previous"], post["next"]
    assert (a.prev_url, a.prev_title) == ((prev["url"], prev["title"]) if prev else (None, None))
    assert (a.next_url, a.next_title) == ((nxt["url"], nxt["title"]) if nxt else (None, None))
