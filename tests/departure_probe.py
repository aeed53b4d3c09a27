"""A Scrapy extension for tests: records, in order, when each request reaches the
downloader and when each article page's extraction starts, and writes the events to
the JSON file named by the ``PROBE_FILE`` setting when the spider closes."""

from __future__ import annotations

import json
from typing import Any

from scrapy import signals

import scraper.spiders.articles as articles


class DepartureProbe:
    def __init__(self, crawler: Any) -> None:
        self.path = crawler.settings.get("PROBE_FILE")
        self.events: list[tuple[str, str]] = []
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(self._closed, signal=signals.spider_closed)
        extract = articles.extract_article_page

        def probed(tree: Any, url: str, **kwargs: Any) -> Any:
            self.events.append(("extract", url))
            return extract(tree, url, **kwargs)

        articles.extract_article_page = probed  # type: ignore[assignment]

    @classmethod
    def from_crawler(cls, crawler: Any) -> DepartureProbe:
        return cls(crawler)

    def _reached(self, request: Any, spider: Any) -> None:
        self.events.append(("reached", request.url))

    def _closed(self, spider: Any, reason: str) -> None:
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump(self.events, f)
