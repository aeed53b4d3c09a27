"""The page index answers exactly what the XPaths it replaced did; the spider's
neighbours-then-extract hand-over (PageStart) changes no output."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from lxml import etree

from scraper.extract import extract_article_page, find_page_neighbours, start_page
from scraper.extract.dom import parse_html
from scraper.extract.pageindex import PageIndex, xml_tokens
from scraper.items import article_to_dict

AEB = Path(__file__).parent / "fixtures" / "aeb-dev"
PAGES = sorted((AEB / "html").glob("*.html.gz"))[::8]  # 11 real pages, many markups

MESSY = """<html><body class="  post\tpost-content
  body ">
<div id="a" class="entry-content x"><p class="entry-contentx">t</p>
<a rel="prev  nofollow" href="/p">Prev</a><a rel="PREV" href="/q">q</a></div>
<section class="comment-list"><time datetime="">x</time><!-- c --><i class=""></i></section>
<div class="byline"><div class="byline"><a href="/author/x">X</a></div></div>
</body></html>"""


def _trees() -> list[etree._Element]:
    return [parse_html(gzip.decompress(p.read_bytes())) for p in PAGES] + [parse_html(MESSY)]


@pytest.fixture(scope="module")
def trees() -> list[etree._Element]:
    return _trees()


@pytest.mark.parametrize(
    ("query", "xpath"),
    [
        (lambda ix: ix.containing("class", "content"), "//*[contains(@class,'content')]"),
        (lambda ix: ix.containing("rel", "prev"), "//*[contains(@rel,'prev')]"),
        (
            lambda ix: ix.with_token("class", "entry-content"),
            "//*[contains(concat(' ',normalize-space(@class),' '),' entry-content ')]",
        ),
        (
            lambda ix: ix.with_token("class", "post-content"),
            "//*[contains(concat(' ',normalize-space(@class),' '),' post-content ')]",
        ),
        (lambda ix: ix.equal("id", "a"), "//*[@id='a']"),
        (lambda ix: ix.having("datetime"), "//*[@datetime]"),
        (lambda ix: ix.having("class"), "//*[@class]"),
        (lambda ix: ix.tagged("a"), "//a"),
        (lambda ix: ix.tagged("time"), "//time"),
        (
            lambda ix: ix.under(ix.containing("class", "byline"), "a"),
            "//*[contains(@class,'byline')]//a",
        ),
        (
            lambda ix: ix.under(ix.containing("class", "comment")),
            "//*[contains(@class,'comment')]//*",
        ),
    ],
)
def test_queries_match_their_xpath(trees: list[etree._Element], query, xpath: str) -> None:
    for tree in trees:
        assert query(PageIndex(tree)) == tree.xpath(xpath)


def test_xml_tokens_split_like_normalize_space() -> None:
    assert xml_tokens(" a\tb\n c\r ") == ["a", "b", "c"]
    assert xml_tokens("a\u00a0b") == ["a\u00a0b"]  # not XML whitespace
    assert xml_tokens(None) == []


def test_index_covers_the_whole_document_from_any_element() -> None:
    tree = parse_html(MESSY)
    body = tree.find("body")
    assert PageIndex(body).elements == PageIndex(tree).elements == list(tree.iter(etree.Element))


def _page(path: Path) -> tuple[bytes, str]:
    truth = json.loads((AEB / "ground-truth.json").read_text("utf-8"))
    page_id = path.name.split(".")[0]
    return gzip.decompress(path.read_bytes()), truth[page_id]["url"]


@pytest.mark.parametrize("path", PAGES[:4], ids=lambda p: p.name[:12])
def test_neighbours_first_then_extract_gives_the_same_article(path: Path) -> None:
    html, url = _page(path)
    alone = article_to_dict(extract_article_page(html, url)[0])
    tree = parse_html(html)
    start = start_page(tree, url)
    neighbours = find_page_neighbours(tree, url)
    article = extract_article_page(tree, url, start=start)[0]
    assert article_to_dict(article) == alone
    assert (neighbours.prev_url, neighbours.next_url) == (article.prev_url, article.next_url)


def test_a_page_start_is_used_only_for_its_own_tree_and_url() -> None:
    html, url = _page(PAGES[0])
    tree, other = parse_html(html), parse_html(html)
    start = start_page(tree, url)
    alone = article_to_dict(extract_article_page(other, url)[0])
    # Another tree or URL ignores the start it is given and does the work itself.
    assert article_to_dict(extract_article_page(other, url, start=start)[0]) == alone
    assert article_to_dict(extract_article_page(tree, url, start=start)[0]) == alone
    assert start.neighbours == start.generic  # no profile
