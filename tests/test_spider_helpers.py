"""The spider's plain helpers, without a crawl: why an extracted article is not taken,
where discovery starts, the widget reader's page cap and the rendering request."""

from __future__ import annotations

import json
import logging

import pytest
import scrapy
from scrapy.http import TextResponse

from scraper.extract.widgets import WidgetRef, WidgetRequest
from scraper.items import Article
from scraper.middlewares import WIDGET_META
from scraper.render import RENDER_META
from scraper.spiders import pages, rendered, widgets
from scraper.spiders.tally import Tally

URL = "https://news.example.org/2026/03/council-budget-vote/"
API = "https://comments.example.net/"


def _article(headline: str = "Council budget vote", body: str = "The council met.") -> Article:
    return Article(url=URL, canonical_url=URL, headline=headline, body_text=body)


@pytest.mark.parametrize(
    ("article", "seen", "max_articles", "reason"),
    [
        (_article(), set(), None, None),
        (_article("", ""), set(), None, "not an article"),
        (_article(), {URL}, None, "duplicate"),
        (_article(), {"https://news.example.org/other/"}, 1, "max_articles reached"),
        (_article(), {"https://news.example.org/other/"}, 2, None),
    ],
)
def test_refusal(article: Article, seen: set[str], max_articles: int | None, reason: str) -> None:
    assert pages.refusal(article, seen, max_articles) == reason


@pytest.mark.parametrize(
    ("route", "is_start", "explicit", "auto", "discovers"),
    [
        ("article", False, True, False, True),  # -a discover=sitemap: from every page
        ("article", True, False, True, False),  # an article: decided after its first look
        ("listing", False, False, False, True),
        ("other", True, False, True, True),  # a start page that is no article
        ("other", True, False, False, False),  # ... unless discovery is not automatic
        ("other", False, False, True, False),
    ],
)
def test_discovers(route: str, is_start: bool, explicit: bool, auto: bool, discovers: bool) -> None:
    assert pages.discovers(route, is_start, explicit, auto=auto) is discovers


def _reader() -> tuple[widgets.WidgetReader, list[str]]:
    domains = ["news.example.org"]
    tally = Tally(logging.getLogger("test"))
    return widgets.WidgetReader(tally, domains, lambda r: None, lambda f: None), domains


def test_the_reader_lets_the_api_host_through_and_asks_its_first_page() -> None:
    reader, domains = _reader()
    ref = WidgetRef("isso", API, "/2026/03/council-budget-vote/", URL)
    wait = reader.start(ref, _article(), {"key": URL})
    assert reader.hosts == {"comments.example.net"}
    assert domains == ["news.example.org", "comments.example.net"]
    request = reader.next_request(wait)
    assert request is not None and request.method == "GET"
    assert request.meta[WIDGET_META] is wait and request.dont_filter
    assert reader.next_request(wait) is None


def test_a_thread_over_the_page_cap_stops_and_is_partial() -> None:
    reader, _ = _reader()
    ref = WidgetRef("isso", API, "/2026/03/council-budget-vote/", URL, (("max-comments-top", "1"),))
    wait = reader.start(ref, _article(), {})
    first = reader.next_request(wait)
    assert first is not None
    wait.asked.update(WidgetRequest(f"{API}?n={n}") for n in range(widgets.MAX_WIDGET_PAGES))
    root = {"id": None, "total_replies": 3, "hidden_replies": 2, "replies": [
        {"id": 1, "parent": None, "created": 1.0e9, "mode": 1, "text": "<p>c1</p>",
         "author": "a1", "website": None, "total_replies": 0, "hidden_replies": 0,
         "replies": []}]}  # fmt: skip
    answer = TextResponse(first.url, body=json.dumps(root).encode(), request=first)
    assert reader.read(answer) is wait
    assert reader.next_request(wait) is None  # the next top-level page was not asked
    assert wait.failed
    assert reader.tally.errors[-1]["reason"] == "widget thread over 500 pages"
    article = widgets.complete(wait)
    assert [c.comment_id for c in article.comments] == ["1"]
    assert article.comments_source == "partial"


def test_rendering_off_makes_no_request_and_auto_asks_the_browser() -> None:
    rendering = rendered.Rendering(lambda r: None, lambda f: None)
    article = _article()
    article.comments_source = "script"  # an empty container a script fills
    assert rendering.request(article, {}) is None
    rendering.mode = "auto"
    request = rendering.request(article, {"key": URL})
    assert isinstance(request, scrapy.Request)
    assert request.meta["playwright"] is True
    assert rendered.waiting(request.meta) == (article, {"key": URL})
    assert request.meta[RENDER_META][0] is article
