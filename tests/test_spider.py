"""The articles spider's routing, from saved pages: no network, no reactor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response, TextResponse

from scraper.items import Article
from scraper.spiders.articles import ArticlesSpider, SpiderArgumentError
from scraper.spiders.threads import outputs

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _case(name: str) -> tuple[dict, Path]:
    folder = PAGES / name
    return json.loads((folder / "meta.json").read_text("utf-8")), folder


def _article_page(meta: dict, folder: Path) -> bytes:
    """The case's article page (the first of its pages; paths are relative to its folder)."""
    return (folder / next(iter(meta["pages"]))).read_bytes()


def _response(url: str, body: bytes, request: scrapy.Request | None = None) -> HtmlResponse:
    request = request or scrapy.Request(url, meta={"walk": "both"})
    return HtmlResponse(url=url, body=body, encoding="utf-8", request=request)


def _page(spider: ArticlesSpider, response: Response) -> list[object]:
    """What the page route (the one every fetched page takes) yields for ``response``."""
    return list(outputs(spider.parse_page(response)))


def _spider(start_url: str, **kwargs: str) -> ArticlesSpider:
    return ArticlesSpider(start_url=start_url, **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "missing -a start_url"),
        ({"start_url": "ftp://x/"}, "start_url must be http"),
        ({"start_url": "http://x/", "direction": "sideways"}, "direction must be one of"),
        ({"start_url": "http://x/", "max_articles": "0"}, "max_articles must be a positive"),
        ({"start_url": "http://x/", "max_articles": "many"}, "max_articles must be a positive"),
    ],
)
def test_bad_arguments_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(SpiderArgumentError, match=message):
        ArticlesSpider(**kwargs)


def test_several_start_urls_and_their_hosts() -> None:
    spider = _spider("http://a.example/x/, https://b.example/y/")
    assert spider.start_url_list == ["http://a.example/x/", "https://b.example/y/"]
    assert spider.allowed_hosts == {"a.example", "b.example"}


def test_neighbours_are_requested_before_the_article_is_finished() -> None:
    meta, folder = _case("wp-tt1-zero-comments")
    spider = _spider(meta["url"])
    out = _page(spider, _response(meta["url"], _article_page(meta, folder)))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    assert [r.url for r in requests] == [expected["prev_url"], expected["next_url"]]
    assert [r.meta["walk"] for r in requests] == ["older", "newer"]
    assert isinstance(out[-1], Article) and out.index(out[-1]) == 2
    assert out[-1].headline == expected["headline"]


def test_walking_older_does_not_turn_back() -> None:
    meta, folder = _case("wp-tt1-zero-comments")
    spider = _spider(meta["url"])
    request = scrapy.Request(meta["url"], meta={"walk": "older"})
    out = _page(spider, _response(meta["url"], _article_page(meta, folder), request))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    assert [r.meta["walk"] for r in requests] == ["older"]


def test_comment_pages_are_fetched_and_merged_into_one_article() -> None:
    meta, folder = _case("wp-tt1-long-paginated-comments")
    files = {url: name for name, url in meta["pages"].items()}
    spider = _spider(meta["url"], direction="older", max_articles="1")
    out = _page(spider, _response(meta["url"], _article_page(meta, folder)))
    fetched = 0
    while not isinstance(out[-1], Article):
        request = out[-1]
        assert request.dont_filter and request.callback == spider.parse_comment_page
        body = (folder / files[request.url]).read_bytes()
        out = list(spider.parse_comment_page(_response(request.url, body, request)))
        fetched += 1
    article = out[-1]
    expected = json.loads((folder / "expected.json").read_text("utf-8"))
    assert fetched == 3  # comment-page-1, -2 and -3 (the bare URL showed page 3)
    assert len(article.comments) == expected["comment_count"] == 40
    assert [c.comment_id for c in article.comments] == [
        c["comment_id"] for c in expected["comments"]
    ]


def test_a_failed_comment_page_still_yields_the_article() -> None:
    meta, folder = _case("demo-paginated-comments")
    spider = _spider(meta["url"])
    out = _page(spider, _response(meta["url"], _article_page(meta, folder)))
    request = out[-1]
    assert isinstance(request, scrapy.Request)

    class Failure:  # the part of twisted's Failure the errback reads
        def __init__(self, request: scrapy.Request) -> None:
            self.request = request
            self.value = ConnectionError("refused")
            self.type = ConnectionError

        def getErrorMessage(self) -> str:
            return "refused"

    rest = list(spider.on_comment_page_error(Failure(request)))  # type: ignore[arg-type]
    while rest and isinstance(rest[-1], scrapy.Request):
        rest = list(spider.on_comment_page_error(Failure(rest[-1])))  # type: ignore[arg-type]
    assert isinstance(rest[-1], Article)
    assert 0 < len(rest[-1].comments) < rest[-1].comment_count
    # So the archive does not take the unread comments for removed ones.
    assert rest[-1].comments_source == "partial"
    assert spider.errors and spider.errors[0]["reason"] == "refused"


def test_non_html_and_duplicates_are_skipped_with_a_reason() -> None:
    meta, folder = _case("wp-tt1-zero-comments")
    spider = _spider(meta["url"])
    pdf = Response(url=meta["url"], body=b"%PDF-1.4", request=scrapy.Request(meta["url"]))
    assert _page(spider, pdf) == []
    body = _article_page(meta, folder)
    first = _page(spider, _response(meta["url"], body))
    tracking = meta["url"] + "?utm_source=newsletter"
    again = _page(spider, _response(tracking, body))
    assert isinstance(first[-1], Article)
    assert not [o for o in again if isinstance(o, Article)]
    assert spider.skipped == {"not html": 1, "duplicate": 1}


def test_not_an_article_is_skipped() -> None:
    spider = _spider("http://127.0.0.1/")
    text = TextResponse(url="http://127.0.0.1/", body=b"", encoding="utf-8")
    assert _page(spider, text) == []
    # Reached as a previous link, the page is taken for an article, and has none.
    url, body = "http://127.0.0.1/x", b"<html><body><nav>menu</nav></body></html>"
    empty = _response(url, body, scrapy.Request(url, meta={"walk": "older"}))
    assert _page(spider, empty) == []
    assert spider.skipped == {"not html": 1, "not an article": 1}
    # Reached otherwise, the page route classifies it first: not an article page at all.
    assert _page(spider, _response(url + "y", body)) == []
    assert spider.skipped["other page"] == 1


def test_off_site_neighbours_are_not_requested() -> None:
    meta, folder = _case("wp-tt1-zero-comments")
    spider = _spider("http://elsewhere.example/start/")
    out = _page(spider, _response(meta["url"], _article_page(meta, folder)))
    assert not [o for o in out if isinstance(o, scrapy.Request)]
    assert spider.skipped["off-site"] == 2


def test_an_extractor_failure_is_recorded_and_the_chain_goes_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import scraper.spiders.articles as module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(module, "extract_article_page", broken)
    meta, folder = _case("wp-tt1-zero-comments")
    spider = _spider(meta["url"])
    out = _page(spider, _response(meta["url"], _article_page(meta, folder)))
    assert len([o for o in out if isinstance(o, scrapy.Request)]) == 2
    assert spider.errors == [{"url": meta["url"], "reason": "extraction error: RuntimeError: boom"}]
