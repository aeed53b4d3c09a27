"""Saved pages and the article they must yield.

Each case is a folder under ``tests/fixtures/pages/``:

- ``meta.json``: ``{"url": …, "pages": {"page.html": URL, "comment-page-1.html": URL, …}}``
  (the first entry is the article page; the others are pages of its comment thread);
- the saved HTML files named there, relative to the case's folder (the WordPress cases
  point into ``tests/fixtures/wordpress/`` rather than keep copies);
- ``expected.json``: the ``Article`` they yield (``fetched_at`` left out).

``test_page_fixtures.py`` compares field by field. After a deliberate change to extraction,
regenerate and review the diff::

    python -m tests.page_fixtures            # rewrite every expected.json
    python -m tests.page_fixtures CASE ...   # only these cases
    git diff tests/fixtures/pages
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from scraper.extract import extract_article_page, extract_comments, merge_comment_pages
from scraper.extract.dom import parse_html
from scraper.items import article_to_dict

PAGES = Path(__file__).parent / "fixtures" / "pages"


def case_names() -> list[str]:
    return sorted(p.name for p in PAGES.iterdir() if (p / "meta.json").exists())


def extract_case(name: str) -> dict[str, Any]:
    """What the current extractor yields for a case, as JSON-ready data."""
    folder = PAGES / name
    meta = json.loads((folder / "meta.json").read_text("utf-8"))
    files = list(meta["pages"].items())
    first_file, first_url = files[0]
    article, thread = extract_article_page((folder / first_file).read_bytes(), first_url)
    threads = [thread]
    for file, url in files[1:]:
        threads.append(extract_comments(parse_html((folder / file).read_bytes()), url))
    if len(threads) > 1:
        article.comments = merge_comment_pages(threads)
    data = article_to_dict(article)
    data.pop("fetched_at")
    return data


def expected(name: str) -> dict[str, Any]:
    return json.loads((PAGES / name / "expected.json").read_text("utf-8"))


def write_expected(name: str) -> None:
    text = json.dumps(extract_case(name), ensure_ascii=False, indent=2, sort_keys=False)
    (PAGES / name / "expected.json").write_text(text + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    names = argv or case_names()
    unknown = sorted(set(names) - set(case_names()))
    if unknown:
        print(f"unknown case(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    for name in names:
        write_expected(name)
        print(f"wrote {PAGES / name / 'expected.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
