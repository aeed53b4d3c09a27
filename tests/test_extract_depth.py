"""Deeply nested content is kept: the parser keeps up to 2,048 levels (libxml2's
``huge_tree``), and what lies below ``MAX_DEPTH`` is flattened into text, never dropped."""

from __future__ import annotations

from scraper.extract import extract_article, parse_html
from scraper.extract.dom import MAX_DEPTH

URL = "https://news.example.org/2024/05/deep/"
WORDS = "The deep paragraph holds the words of the article about the river festival. " * 4


def _page(depth: int, tag: str = "div") -> str:
    return (
        "<html><body><article><h1>Deep</h1>"
        + f"<{tag}>" * depth
        + f"<p>{WORDS}</p><script>var hidden = 1;</script>"
        + f"</{tag}>" * depth
        + "<p>After the wrappers, the last paragraph of the page.</p></article></body></html>"
    )


def test_text_inside_300_levels_is_in_the_body() -> None:
    article = extract_article(_page(300), URL)
    assert article.body_text is not None
    assert WORDS.strip() in article.body_text
    assert "the last paragraph of the page" in article.body_text


def test_text_below_max_depth_is_flattened_not_lost() -> None:
    for tag in ("div", "span", "blockquote"):
        article = extract_article(_page(1500, tag), URL)
        assert article.body_text is not None, tag
        assert WORDS.strip() in article.body_text, tag
        assert "var hidden" not in article.body_text, tag


def test_a_deep_tree_given_by_the_caller_is_only_read() -> None:
    tree = parse_html(_page(MAX_DEPTH + 50).encode())
    given = parse_html(tree)
    assert given is tree  # our own parse was flattened already
    import lxml.html

    theirs = lxml.html.document_fromstring(
        _page(MAX_DEPTH + 50), parser=lxml.html.HTMLParser(huge_tree=True)
    )
    before = len(list(theirs.iter()))
    article = extract_article(theirs, URL)
    assert len(list(theirs.iter())) == before
    assert article.body_text is not None and WORDS.strip() in article.body_text
