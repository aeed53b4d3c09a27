"""``show --json`` (the article as the export writes it, comments as a nested thread) and
``stats --json``: machine-readable, stable keys (docs/export.md)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from archive.cli import cli
from archive.db import open_readonly
from archive.export import PRESENCE_KEYS, iter_export
from scraper.items import ARTICLE_FIELDS, COMMENT_FIELDS

BASE = "https://news.example.org/2024/05"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _flatten(comments: list[dict]) -> list[dict]:
    flat = []
    for comment in comments:
        replies = comment.pop("replies")
        flat.append(comment)
        flat += _flatten(replies)
    return flat


def test_show_json_is_the_export_record_with_a_nested_thread(filled_archive: Path) -> None:
    result = run(
        "show", "--json", f"{BASE}/council-budget/?utm_source=x", "--db", str(filled_archive)
    )
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert list(record) == [*ARTICLE_FIELDS, *PRESENCE_KEYS]
    assert record["headline"] == "Council approves budget for the Zürich tram"
    thread = [(c["author"], [r["author"] for r in c["replies"]]) for c in record["comments"]]
    assert thread == [("Ana", ["Björn"]), ("Dmitri", [])]
    bjorn = record["comments"][0]["replies"][0]
    assert [r["author"] for r in bjorn["replies"]] == ["Chloé"]
    assert bjorn["replies"][0]["replies"] == []
    assert list(bjorn) == [*COMMENT_FIELDS, *PRESENCE_KEYS, "replies"]
    db = open_readonly(filled_archive)
    try:
        exported = next(r for r in iter_export(db) if r["canonical_url"] == record["canonical_url"])
    finally:
        db.close()
    assert _flatten(record["comments"]) == exported["comments"]
    assert {**record, "comments": []} == {**exported, "comments": []}


def test_show_json_unknown_url(filled_archive: Path) -> None:
    result = run("show", "--json", "https://elsewhere.example/x", "--db", str(filled_archive))
    assert result.exit_code == 1
    assert result.output == "Error: no archived article with URL https://elsewhere.example/x\n"


def test_stats_json(filled_archive: Path) -> None:
    result = run("stats", "--json", "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert list(stats) == [
        "articles", "comments", "links", "crawls", "first_published_at",
        "last_published_at", "top_authors", "top_sections", "last_crawl",
    ]  # fmt: skip
    assert (stats["articles"], stats["crawls"]) == (3, 1)
    assert stats["comments"] == 5
    assert stats["top_authors"] == [
        {"name": "Ana Ruiz", "articles": 2},
        {"name": "Zoë Müller", "articles": 2},
    ]
    assert all(set(s) == {"name", "articles"} for s in stats["top_sections"])
    assert stats["last_crawl"]["status"] == "finished"
    assert stats["last_crawl"]["skipped"] == {"no body": 1}
