"""The widget adapters on real pages (``tests/fixtures``): a widget is found only where a
page embeds one an adapter reads, and then with the page's own settings."""

from __future__ import annotations

import gzip
from pathlib import Path

from lxml.html import fromstring

from scraper.extract.widgets import detect_widget

FIXTURES = Path(__file__).parent / "fixtures"


def _pages() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*.html*") if p.suffix in (".html", ".gz"))


def test_widgets_found_only_where_pages_embed_them() -> None:
    found = {}
    pages = _pages()
    for path in pages:
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        if not data.strip():
            continue
        ref = detect_widget(fromstring(data), "https://news.example.org/2026/03/story/")
        if ref is not None:
            found[path.relative_to(FIXTURES).as_posix()] = ref
    assert len(pages) > 1000
    # the pages embedding a widget an adapter reads: Coral Talk 4, its settings in the
    # page (the asset id and the Talk root); Hyvor Talk's older embed (website 3189, no
    # page id and no canonical link: the page's address); every other page names none
    assert {k: (r.adapter, r.api_base, r.thread, r.option("api")) for k, r in found.items()} == {
        "trafilatura-dev/html/pagina12.com.ar-suprema.html.gz": (
            "coral",
            "https://talk.pagina12.com.ar/",
            "419327",
            "4",
        ),
        "modern-dev/html/0332.html.gz": (
            "hyvor",
            "https://talk.hyvor.com/",
            "https://news.example.org/2026/03/story/",
            None,
        ),
    }
    assert found["modern-dev/html/0332.html.gz"].option("website") == "3189"
