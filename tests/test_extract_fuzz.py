"""Random, truncated and hostile input never makes ``extract_article`` raise, and a field
the input does not state stays empty."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import extract_article
from scraper.items import Article

URL = "https://news.example.org/2024/05/some-article/"
AEB = Path(__file__).parent / "fixtures" / "aeb-dev" / "html"
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

TAGS = ["html", "head", "body", "article", "main", "div", "p", "span", "a", "h1", "h2", "ul",
        "li", "ol", "time", "script", "style", "form", "nav", "aside", "section", "figure",
        "figcaption", "img", "br", "table", "tr", "td", "meta", "title", "link", "cite"]  # fmt: skip
ATTRS = ["class", "id", "href", "rel", "itemprop", "itemscope", "itemtype", "datetime",
         "content", "property", "name", "src", "hidden", "style", "lang", "type"]  # fmt: skip
VALUES = ["comment", "comment-1", "entry-content", "prev", "next", "author", "headline",
          "articleBody", "datePublished", "2024-05-02T09:00:00+02:00", "http://x/", "#c-2",
          "application/ld+json", "og:title", "display:none", "", "\x00", "é€😀", "]]>"]  # fmt: skip


@st.composite
def tags(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.lists(st.tuples(st.sampled_from(ATTRS), st.sampled_from(VALUES)), max_size=3))
    attr_text = "".join(f' {k}="{v}"' for k, v in attrs)
    children = []
    if depth < 4:
        children = draw(
            st.lists(st.one_of(st.text(max_size=40), tags(depth + 1)), max_size=4)  # type: ignore[call-arg]
        )
    closed = draw(st.booleans())
    return f"<{tag}{attr_text}>{''.join(children)}" + (f"</{tag}>" if closed else "")


def _check(article: Article) -> None:
    assert isinstance(article, Article)
    assert article.url == URL
    for name in ("authors", "categories", "tags", "images", "comments", "comment_page_urls"):
        assert isinstance(getattr(article, name), list)
    for name in ("headline", "body_text", "published_at", "modified_at", "prev_url", "next_url"):
        value = getattr(article, name)
        assert value is None or (isinstance(value, str) and value.strip()), (name, value)
    for field_name in article.sources:
        assert field_name in Article.__dataclass_fields__


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _check(extract_article(data, URL))


@FUZZ
@given(st.text(max_size=2000))
def test_random_text(text: str) -> None:
    _check(extract_article(text, URL))


@FUZZ
@given(st.lists(tags(), min_size=1, max_size=6))
def test_random_markup(parts: list[str]) -> None:
    _check(extract_article("".join(parts), URL))


@cache
def _real_page() -> bytes:
    return gzip.decompress(next(iter(sorted(AEB.glob("0e014df693f1*.html.gz")))).read_bytes())


@FUZZ
@given(st.integers(min_value=0, max_value=400_000), st.integers(min_value=0, max_value=2000))
def test_truncated_real_page(end: int, start: int) -> None:
    page = _real_page()
    _check(extract_article(page[: min(end, len(page))], URL))
    _check(extract_article(page[start : start + end], URL))


def test_empty_page_states_nothing() -> None:
    article = extract_article(b"", URL)
    assert (article.headline, article.body_text, article.published_at) == (None, None, None)
    assert (article.authors, article.comments, article.images) == ([], [], [])
    assert article.prev_url is None and article.next_url is None


def test_page_without_article_fields_stays_empty() -> None:
    article = extract_article("<html><body><div><span>x</span></div></body></html>", URL)
    assert article.headline is None and article.published_at is None
    assert article.authors == [] and article.comments == []
