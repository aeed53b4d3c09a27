"""The baseline for bench/crawl.py: a bare Scrapy spider that follows the same links as
the ``articles`` spider on the demo site (previous/next article, comment pages) and does
nothing else: no extraction, no archive.

    scrapy runspider bench/bare_spider.py -a start_url=URL
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url

    async def start(self) -> AsyncIterator[Any]:
        yield scrapy.Request(self.start_url, callback=self.parse)

    def parse(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css(".td-post-next-prev-content a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)
        for href in response.css(".comment-pagination a::attr(href)").getall():
            yield response.follow(href.split("#")[0], callback=self.parse_comments)

    def parse_comments(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.css(".comment-pagination a::attr(href)").getall():
            yield response.follow(href.split("#")[0], callback=self.parse_comments)
