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
        ref = detect_widget(fromstring(data), STORY)
        if ref is not None:
            found[path.relative_to(FIXTURES).as_posix()] = ref
    assert len(pages) > 1000
    # the pages embedding a widget an adapter reads: Coral Talk 4, its settings in the
    # page (the asset id and the Talk root); Hyvor Talk's older embed (website 3189, no
    # page id and no canonical link: the page's address); every page holding Disqus's
    # #disqus_thread and its embed script (or its iframe), with the shortname and thread
    # the page gives; every other page names none
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
        **{
            path: ("disqus", "https://disqus.com/", thread, None)
            for path, thread in DISQUS_PAGES.items()
        },
    }
    assert found["modern-dev/html/0332.html.gz"].option("website") == "3189"
    assert {k: r.option("forum") for k, r in found.items() if r.adapter == "disqus"} == {
        path: forum for path, forum in DISQUS_FORUMS.items()
    }


STORY = "https://news.example.org/2026/03/story/"
# page -> (the thread key, the shortname), each checked by hand against the page's snippet
_DISQUS = {
    "aeb-dev/html/3cb5e2f46626d5bb0345759453036f7eabc0b0c7796b796513606bf693060ced.html.gz": (
        "all-new-2020-sentra-is-what-we-really-want-from-nissan-ph",
        "autoindustriya",
    ),
    "aeb-dev/html/63db31a161b3c5b64e88c2978635cbc38d342ba82fd2c5335321203dcc55c76f.html.gz": (
        "737356",
        "vg247com",
    ),
    "modern-dev/html/0307.html.gz": ("68254", "nutritionfacts"),
    "modern-dev/html/0482.html.gz": ("2021-01-18-tool-choices", "publicvoit"),
    "modern-dev/html/2362.html.gz": (STORY, "blogarama-1"),  # no identifier, no canonical
    "readability/breitbart/source.html.gz": ("5765662", "breitbartproduction"),  # iframe
    "readability/ehow-2/source.html.gz": (
        "http://www.ehow.com/how_4851888_throw-graduation-party-budget.html",
        "ehow",
    ),
    "trafilatura-dev/html/caktusgroup.com.django.html.gz": (
        "http://www.caktusgroup.com/blog/2015/06/08/testing-client-side-applications-django-post-mortem/",
        "wwwcaktusblog",
    ),
    "trafilatura-dev/html/haenselblatt.com.chinese.html.gz": (
        "/chinese-money-plant-info",
        "haenselblattcom",
    ),
    "trafilatura-dev/html/laestrella.com.pa-laboral.html.gz": ("469176", "la-estrella-panama"),
    "trafilatura-dev/html/toptal.com.python.html.gz": (
        "python/top-10-mistakes-that-python-programmers-make",
        "toptal",
    ),
}
DISQUS_PAGES = {path: thread for path, (thread, _) in _DISQUS.items()}
DISQUS_FORUMS = {path: forum for path, (_, forum) in _DISQUS.items()}
