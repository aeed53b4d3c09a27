"""The spider's route through a widget's API, from built responses: no network, no
reactor; and the merge of a thread's API answers."""

from __future__ import annotations

import json
from typing import Any

import scrapy
from scrapy.http import HtmlResponse, TextResponse
from twisted.python.failure import Failure

from scraper.extract.widgets import WidgetPage, merge_widget_pages
from scraper.items import Article, Comment
from scraper.spiders.articles import ArticlesSpider

URL = "https://news.example.org/2026/03/council-budget-vote/"
API = "https://comments.example.net/"
PAGE = f"""<html><head><title>Council budget vote</title></head><body><article>
<h1>Council budget vote</h1>
{"".join(f"<p>Paragraph {i}: the council met on Monday and argued for hours.</p>" for i in range(6))}
</article><section id="isso-thread"></section>
<script data-isso="{API}" data-isso-max-comments-top="1" src="{API}js/embed.min.js"></script>
</body></html>"""


def _item(cid: int, parent: int | None, created: float, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "parent": parent, "created": created, "mode": 1, "text": f"<p>c{cid}</p>",
            "author": f"a{cid}", "website": None, **extra}  # fmt: skip


def _answer(request: scrapy.Request, data: dict[str, Any]) -> TextResponse:
    body = json.dumps(data).encode("utf-8")
    return TextResponse(url=request.url, body=body, encoding="utf-8", request=request)


def _start() -> tuple[ArticlesSpider, scrapy.Request]:
    spider = ArticlesSpider(start_url=URL, direction="older")
    request = scrapy.Request(URL, meta={"walk": "none"})
    response = HtmlResponse(URL, body=PAGE.encode(), encoding="utf-8", request=request)
    out = list(spider.parse_article(response))
    assert len(out) == 1 and isinstance(out[0], scrapy.Request), out
    assert (
        out[0].url
        == f"{API}?uri=%2F2026%2F03%2Fcouncil-budget-vote%2F&sort=oldest&limit=1&nested_limit=5"
    )
    assert spider.widget_hosts == {"comments.example.net"}
    assert "comments.example.net" in spider.allowed_domains
    return spider, out[0]


def test_article_waits_for_every_api_page_then_carries_the_thread() -> None:
    _, first = _start()
    root = {"id": None, "total_replies": 3, "hidden_replies": 1,
            "replies": [{**_item(1, None, 1.0e9), "total_replies": 1, "hidden_replies": 0,
                         "replies": [_item(2, 1, 1.0e9 + 60)]}]}  # fmt: skip
    out = list(first.callback(_answer(first, root)))
    assert len(out) == 1 and "offset=1" in out[0].url  # the next top-level page
    more = {"id": None, "total_replies": 3, "hidden_replies": 0,
            "replies": [{**_item(3, None, 1.0e9 + 120), "total_replies": 0, "hidden_replies": 0,
                         "replies": []}]}  # fmt: skip
    (article,) = list(out[0].callback(_answer(out[0], more)))
    assert isinstance(article, Article)
    assert [(c.comment_id, c.parent_id, c.depth) for c in article.comments] == [
        ("1", None, 1), ("2", "1", 2), ("3", None, 1),
    ]  # fmt: skip
    assert article.comments[0].published_at == "2001-09-09T01:46:40+00:00"
    assert (article.comments_source, article.comment_count) == ("isso", 3)
    assert article.sources["comments"] == "isso"


def test_a_failed_api_page_makes_the_thread_partial_with_what_was_read() -> None:
    spider, first = _start()
    root = {"id": None, "total_replies": 2, "hidden_replies": 1,
            "replies": [{**_item(1, None, 1.0e9), "total_replies": 0, "hidden_replies": 0,
                         "replies": []}]}  # fmt: skip
    (second,) = list(first.callback(_answer(first, root)))
    failure = Failure(ConnectionRefusedError("refused"))
    failure.request = second  # type: ignore[attr-defined]
    (article,) = list(second.errback(failure))
    assert [c.comment_id for c in article.comments] == ["1"]
    assert (article.comments_source, article.comment_count) == ("partial", 2)
    assert spider.errors and spider.errors[0]["url"] == second.url


def test_an_unreadable_answer_is_partial_too() -> None:
    _, first = _start()
    bad = TextResponse(url=first.url, body=b"<html>oops</html>", encoding="utf-8", request=first)
    (article,) = list(first.callback(bad))
    assert article.comments == [] and article.comments_source == "partial"


def _c(cid: str, parent: str | None, depth: int = 1) -> Comment:
    return Comment(cid, parent, None, None, cid, depth=depth)


def test_merge_orders_by_thread_keeps_one_copy_and_orphans_last() -> None:
    pages = [
        WidgetPage([_c("1", None), _c("2", "1", 2), _c("3", None)]),
        WidgetPage([_c("3", None), _c("4", "1", 2), _c("5", "9", 2), _c("6", "4", 3)]),
    ]
    merged = merge_widget_pages(pages)
    assert [(c.comment_id, c.depth) for c in merged] == [
        ("1", 1), ("2", 2), ("4", 2), ("6", 3), ("3", 1), ("5", 2),
    ]  # fmt: skip
    assert pages[0].comments[1].depth == 2  # the answers are not changed
