"""Field-by-field accuracy on sites whose truth we own: the WordPress captures (truth
written by WordPress, tests/fixtures/wordpress/truth.json) and the built-in demo site
(``scraper.demosite.site_truth``), each article with all its comment pages merged."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from scraper.demosite import build_site, site_truth
from scraper.demosite.render import render_article
from scraper.extract import extract_article_page, extract_comments, merge_comment_pages
from scraper.extract.dom import parse_html
from scraper.items import Article

Accuracy = dict[str, tuple[int, int]]  # field -> (right, total)


def _tally(checks: list[dict[str, bool]]) -> Accuracy:
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for check in checks:
        for name, ok in check.items():
            out[name][0] += int(ok)
            out[name][1] += 1
    return {name: (right, total) for name, (right, total) in out.items()}


def _article_with_comments(pages: list[tuple[str, Callable[[], bytes]]]) -> Article:
    (first_url, first_read), *rest = pages
    article, thread = extract_article_page(first_read(), first_url)
    threads = [thread] + [extract_comments(parse_html(read()), url) for url, read in rest]
    if len(threads) > 1:
        article.comments = merge_comment_pages(threads)
    return article


def _comment_rows(article: Article) -> list[tuple[Any, ...]]:
    return [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text, c.depth)
        for c in article.comments
    ]


def wordpress_accuracy(fixtures: Path) -> dict[str, Accuracy]:
    """theme -> field -> (right, total) over every post of the capture."""
    root = fixtures / "wordpress"
    truth = json.loads((root / "truth.json").read_text("utf-8"))
    result: dict[str, Accuracy] = {}
    for theme in ("twentytwentyone", "twentytwentytwo"):
        pages: dict[int, list[tuple[str, str]]] = defaultdict(list)
        with open(root / theme / "manifest.tsv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh, delimiter="\t"):
                if row["kind"] in ("post", "comment-page"):
                    pages[int(row["post_id"])].append((row["url"], row["path"]))
        checks = []
        for post in truth["posts"]:
            a = _article_with_comments(
                [(url, (root / theme / path).read_bytes) for url, path in pages[post["id"]]]
            )
            author = post["author"] if theme == "twentytwentyone" else post["author_texturized"]
            prev, nxt = post["previous"], post["next"]
            nav = theme == "twentytwentyone"  # the block theme prints no post navigation
            want_comments = [
                (
                    str(c["id"]),
                    str(c["parent_id"]) if c["parent_id"] else None,
                    c["author" if theme == "twentytwentyone" else "author_texturized"],
                    c["date"],
                    c["text"],
                    c["depth"],
                )
                for c in post["comments"]
            ]
            checks.append(
                {
                    "headline": a.headline == post["title"],
                    "authors": a.authors == [author],
                    "published_at": a.published_at == post["date_published"],
                    "canonical_url": a.canonical_url == post["url"],
                    "categories": a.categories == [c["name"] for c in post["categories"]],
                    "tags": a.tags == [t["name"] for t in post["tags"]],
                    "section": a.section == post["categories"][0]["name"],
                    "body_text": (a.body_text or "").split("\n\n")
                    == [b["text"] for b in post["blocks"] if b["type"] != "figcaption"],
                    "images": [i.url for i in a.images] == post["images"],
                    "prev": (a.prev_url, a.prev_title)
                    == ((prev["url"], prev["title"]) if prev and nav else (None, None)),
                    "next": (a.next_url, a.next_title)
                    == ((nxt["url"], nxt["title"]) if nxt and nav else (None, None)),
                    "comments": sorted(_comment_rows(a), key=str) == sorted(want_comments, key=str),
                    "comment_count": a.comment_count == post["comment_count"],
                }
            )
        result[theme] = _tally(checks)
    return result


DEMO_BASE = "http://127.0.0.1:8765"


def demo_accuracy(base: str = DEMO_BASE) -> Accuracy:
    """field -> (right, total) over every demo article, pages rendered directly."""
    site = build_site()
    truth = {a["url"]: a for a in site_truth(site, base)["articles"]}
    checks = []
    for a in site.articles:
        t = truth[base + a.path]
        pages = [
            (base + a.comment_page_path(p) if p > 1 else base + a.path, p)
            for p in range(1, a.comment_pages + 1)
        ]
        got = _article_with_comments(
            [
                (url, lambda p=p, a=a: render_article(site, a, base, p).encode("utf-8"))
                for url, p in pages
            ]
        )
        want_comments = [
            (c["comment_id"], c["parent_id"], c["author"], c["published_at"], c["text"], c["depth"])
            for c in t["comments"]
        ]
        check = {
            name: getattr(got, name) == t[name]
            for name in (
                "canonical_url",
                "headline",
                "description",
                "authors",
                "published_at",
                "modified_at",
                "section",
                "categories",
                "tags",
                "language",
                "body_text",
                "prev_url",
                "prev_title",
                "next_url",
                "next_title",
                "comment_count",
                "comments_source",
                "comment_page_urls",
            )
        }
        check["images"] = [{"url": i.url, "caption": i.caption} for i in got.images] == t["images"]
        check["comments"] = _comment_rows(got) == want_comments
        checks.append(check)
    return _tally(checks)
