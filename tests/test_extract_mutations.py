"""Mutated real pages never make extraction raise: ``extract_article`` returns an Article,
its comment thread and ``classify_page`` a verdict, whatever bytes, malformed
tags, attribute names, control characters, nesting or truncation a page holds.

Runs the ``mutations`` hypothesis profile (tests/conftest.py): 10,000 examples by default,
about a minute; ``NEWSARCHIVE_MUTATIONS=300`` for a quick run. The pages are small real
pages so that each example costs a few milliseconds.
"""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract import classify_page, extract_article, parse_html
from scraper.extract.pagekind import PageKind
from scraper.extract.profiles import parse_profile
from scraper.items import Article

URL = "https://news.example.org/2024/05/some-article/"
FIXTURES = Path(__file__).parent / "fixtures"
WP = FIXTURES / "wordpress"
PAGES = [
    # two WordPress themes, each post with a comment thread
    WP / "twentytwentyone/site/2024/05/coalition-talks-collapse-over-pension-age/index.html",
    WP
    / "twentytwentytwo/site/2024/02/cybersecurity-agency-warns-of-surge-in-invoice-fraud/index.html",
    FIXTURES
    / "aeb-dev/html/14cc2a0ca59c62a8c9f205a171e9ccf4ef4cf69b0c642f51c8c65c051b39024f.html.gz",
    FIXTURES / "modern-dev/html/0541.html.gz",
    FIXTURES / "trafilatura-dev/html/prof-pc.de.html.gz",
    FIXTURES / "readability/invalid-attributes/source.html.gz",
]

# What a hostile or broken page holds: template leftovers as attribute names, control
# characters in names and values, unclosed and stray markup, bogus declarations.
SNIPPETS = [
    b"<div {{ x }}>",
    b"<div {% if a %} class='entry-content'>",
    b'<p a\x01b="1" href="\x02">',
    b'<span \x00="1">',
    b'<a "q"=1 \'r\'=2 <s=3 href="/x">',
    b"<p =x 1a=2 -b=3 :c=4>",
    b'<img src="\x01" alt="\x0b">',
    b'<div xmlns:foo="urn:x" foo:bar="1" {http://x}y="2">',
    b"<svg><x:y z:w='1'><foreignObject><p>",
    b"<li class='comment' id='comment-\x01'><div class='comment-content'>",
    b"<ol class='commentlist'><li id='comment-9' {{ c }}>",
    b"<time datetime='\x00'>",
    b'<meta charset="x-bogus">',
    b'<meta http-equiv="content-type" content="text/html; charset=utf-16">',
    b'<script type="application/ld+json">{"@type":"NewsArticle","articleBody":"\\u0000',
    b"<![CDATA[",
    b"<!--",
    b"<?xml version='1.0'?>",
    b"</body></html>",
    b"<table><tr><td><form><table>",
    b"\x00",
    b"\x0b\x0c\x1f",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xc3",
    b"&#0;&#x1;&#xD800;&#99999999;",
]
NAME_CHARS = st.characters(codec="utf-8", exclude_characters="<>")


@cache
def _page(index: int) -> bytes:
    data = PAGES[index].read_bytes()
    return gzip.decompress(data) if PAGES[index].suffix == ".gz" else data


@st.composite
def _malformed_tag(draw: st.DrawFn) -> bytes:
    """A start tag with odd attribute names and values."""
    tag = draw(st.sampled_from(["div", "p", "a", "li", "article", "span", "x-y", "h1"]))
    attrs = draw(
        st.lists(
            st.tuples(st.text(NAME_CHARS, min_size=1, max_size=6), st.text(max_size=6)),
            max_size=3,
        )
    )
    text = "".join(f' {k}="{v}"' for k, v in attrs)
    return f"<{tag}{text}>".encode("utf-8", "surrogatepass")


def _nesting(depth: int) -> bytes:
    return b"<div>" * depth + b"<p>deep text</p>" + b"</div>" * (depth // 2)


_EDIT = st.one_of(
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.sampled_from(SNIPPETS)),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), _malformed_tag()),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.integers(250, 400).map(_nesting)),
    st.tuples(st.just("byte"), st.integers(0, 1 << 20), st.integers(0, 255)),
    st.tuples(st.just("delete"), st.integers(0, 1 << 20), st.integers(1, 4000)),
    st.tuples(st.just("truncate"), st.integers(0, 1 << 20), st.just(0)),
)


def _mutate(page: bytes, edits: list[tuple[str, int, object]]) -> bytes:
    data = bytearray(page)
    for kind, where, what in edits:
        at = where % (len(data) + 1)
        if kind == "insert":
            assert isinstance(what, bytes)
            data[at:at] = what
        elif kind == "byte" and data:
            assert isinstance(what, int)
            data[min(at, len(data) - 1)] = what
        elif kind == "delete":
            assert isinstance(what, int)
            del data[at : at + what]
        elif kind == "truncate":
            del data[at:]
    return bytes(data)


@settings(settings.get_profile("mutations"))
@given(st.integers(0, len(PAGES) - 1), st.lists(_EDIT, min_size=1, max_size=6))
def test_mutated_page_extracts(index: int, edits: list[tuple[str, int, object]]) -> None:
    # one parse for both readers: extract_article reads the tree parse_html makes of the
    # bytes, as it would make it itself (the comment thread is extracted in it)
    tree = parse_html(_mutate(_page(index), edits))
    article = extract_article(tree, URL)
    assert isinstance(article, Article) and article.url == URL
    assert article.body_text is None or article.body_text.strip()
    assert isinstance(article.comments, list)
    assert isinstance(classify_page(tree, URL), PageKind)


def test_bad_attribute_costs_its_element_only() -> None:
    """A template leftover and a control character as attribute names, next to a value
    with a control character: the body and its HTML stay, without those attributes."""
    words = "The council met on Thursday and approved the budget for the tram. " * 6
    page = (
        "<html><body><article><h1>Budget</h1>"
        f'<div {{{{ x }}}} a\x01b="2" href="\x01q" class="c"><p>{words}</p></div>'
        f"<p>{words}</p></article></body></html>"
    )
    article = extract_article(page, URL)
    assert article.body_text is not None and article.body_text.count("approved the budget") == 12
    assert article.body_html is not None
    assert "{{" not in article.body_html and "\x01" not in article.body_html
    assert article.body_html.count("<p>") == 2


def test_bad_attribute_under_a_profile_costs_its_element_only() -> None:
    profile = parse_profile('name = "t"\n[fields]\nbody_text = "div.story"\n')
    words = "The tram line opens in May after four years of building work. " * 4
    page = (
        f'<html><body><div class="story"><p {{{{ x }}}} a\x01b="1">{words}</p></div></body></html>'
    )
    article = extract_article(page, URL, profile=profile)
    assert article.sources["body_text"] == "profile"
    assert article.body_text == words.strip()
    assert article.body_html == f"<div><p>{words}</p></div>"
