"""Downloader middlewares for politeness Scrapy does not provide by itself.

- :class:`RobotsCrawlDelayMiddleware`: Scrapy's robots.txt middleware, plus the
  ``Crawl-delay`` the site asks for (Scrapy parses it but never applies it): requests to a
  host are spaced at least that far apart, whatever AutoThrottle or ``DOWNLOAD_DELAY`` say.
  A delay above ``ARCHIVE_MAX_CRAWL_DELAY`` (default 60 s) is capped there.
- :class:`ContactUserAgentMiddleware`: the ``User-Agent`` names the project and, when
  ``ARCHIVE_CONTACT`` is set, how to reach whoever runs the crawl.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.useragent import UserAgentMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.httpobj import urlparse_cached


def user_agent_with_contact(user_agent: str, contact: str) -> str:
    """``"bot/1 (archiver)"`` + ``"me@x.org"`` → ``"bot/1 (archiver; +me@x.org)"``."""
    contact = contact.strip()
    if not contact:
        return user_agent
    if user_agent.endswith(")"):
        return f"{user_agent[:-1]}; +{contact})"
    return f"{user_agent} (+{contact})"


class ContactUserAgentMiddleware(UserAgentMiddleware):
    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContactUserAgentMiddleware:
        settings = crawler.settings
        middleware = cls(
            user_agent_with_contact(settings["USER_AGENT"], settings.get("ARCHIVE_CONTACT", ""))
        )
        middleware.crawler = crawler
        return middleware

    def open_spider(self, spider: Spider | None = None) -> None:
        # A spider's own user_agent attribute still wins, as in Scrapy; the contact is added.
        user_agent = getattr(spider, "user_agent", None)
        if user_agent:
            contact = self.crawler.settings.get("ARCHIVE_CONTACT", "")
            self.user_agent = user_agent_with_contact(user_agent, contact)


# RFC 9309 §2.5: crawlers must parse at least the first 500 KiB of a robots.txt and may
# ignore the rest; Google stops there too. A 20 MB robots.txt cost 516 MB to parse whole.
ROBOTS_MAX_BYTES = 500 * 1024


def capped_robots(body: bytes, limit: int = ROBOTS_MAX_BYTES) -> bytes:
    """The first ``limit`` bytes of a robots.txt, cut at the end of its last whole line."""
    if len(body) <= limit:
        return body
    cut = body.rfind(b"\n", 0, limit)
    return body[: cut + 1 if cut >= 0 else limit]


class RobotsCrawlDelayMiddleware(RobotsTxtMiddleware):
    """``RobotsTxtMiddleware`` that also obeys ``Crawl-delay``, and reads a robots.txt only
    as far as :data:`ROBOTS_MAX_BYTES`."""

    async def _parse_robots(self, response: Any, netloc: str, request: Request) -> None:
        body = capped_robots(response.body)
        if len(body) < len(response.body):
            self.crawler.spider.logger.warning(
                "robots.txt of %s is %d bytes: only its first %d are read (RFC 9309)",
                netloc,
                len(response.body),
                len(body),
            )
            self._stats.set_value(f"newsarchive/robots_capped/{netloc}", len(response.body))
            response = response.replace(body=body)
        await super()._parse_robots(response, netloc, request)

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_delay = crawler.settings.getfloat("ARCHIVE_MAX_CRAWL_DELAY", 60.0)
        self._next_at: dict[str, float] = {}  # netloc -> earliest time of its next request
        self._announced: set[str] = set()

    async def process_request(self, request: Request, spider: Any = None) -> None:
        await super().process_request(request)
        if request.meta.get("dont_obey_robotstxt"):
            return
        netloc = urlparse_cached(request).netloc
        parser = self._parsers.get(netloc)
        if parser is None or not hasattr(parser, "crawl_delay"):
            return
        user_agent = self._robotstxt_useragent or request.headers.get(
            b"User-Agent", self._default_useragent
        )
        delay = parser.crawl_delay(user_agent)
        if not delay or delay <= 0:
            return
        delay = min(float(delay), self.max_delay)
        if netloc not in self._announced:
            self._announced.add(netloc)
            self._stats.set_value(f"newsarchive/crawl_delay/{netloc}", delay)
            self.crawler.spider.logger.info(
                "robots.txt of %s asks for Crawl-delay: %g s; requests are spaced so", netloc, delay
            )
        now = time.monotonic()
        start = max(now, self._next_at.get(netloc, now))
        self._next_at[netloc] = start + delay
        if start > now:
            await asyncio.sleep(start - now)


def redirected_host_verdict(
    url: str, hosts: set[str], redirect_urls: list[str], start_urls: list[str]
) -> str:
    """``"keep"`` a request on the crawl's ``hosts``; ``"adopt"`` the host a start URL
    redirected to (a site's www, https or new domain); ``"refuse"`` anything else."""
    if (urlsplit(url).hostname or "").lower() in hosts:
        return "keep"
    if redirect_urls and redirect_urls[0] in start_urls:
        return "adopt"
    return "refuse"


# request meta key of a comment widget's API request (scraper/spiders/widgets.py)
WIDGET_META = "widget"


def widget_api_request(request: Request, widget_hosts: set[str]) -> bool:
    """A request for a comment widget's API on the host a page named for it (the
    spider's ``widget_hosts``), or that host's robots.txt; nothing else there."""
    parts = urlparse_cached(request)
    if (parts.netloc or "").lower() not in widget_hosts:
        return False
    if request.meta.get(WIDGET_META) is not None:
        return True
    return parts.path == "/robots.txt" and bool(request.meta.get("dont_obey_robotstxt"))


class CrawlHostsMiddleware:
    """Every request stays on the crawl's hosts (the spider's ``allowed_hosts``), after
    redirects too. The spider's requests carry ``dont_filter`` (the frontier, not Scrapy's
    duplicate filter, decides what is fetched again), which also turns Scrapy's offsite
    check off; this middleware runs before robots.txt is fetched for a new host, so a
    refused host is not asked for anything. A start URL's redirect target joins the hosts;
    a comment widget's API host joins them for its API requests only
    (:func:`widget_api_request`)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlHostsMiddleware:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        spider = self.crawler.spider
        hosts: set[str] | None = getattr(spider, "allowed_hosts", None)
        if not hosts or request.meta.get("allow_offsite"):
            return
        if widget_api_request(request, getattr(spider, "widget_hosts", set())):
            return
        verdict = redirected_host_verdict(
            request.url,
            hosts,
            list(request.meta.get("redirect_urls", [])),
            list(getattr(spider, "start_url_list", [])),
        )
        if verdict == "keep":
            return
        host = (urlparse_cached(request).hostname or "").lower()
        if verdict == "adopt":
            hosts.add(host)
            domains = getattr(spider, "allowed_domains", None)
            if isinstance(domains, list) and host not in domains:
                domains.append(host)  # Scrapy's offsite check, for its robots.txt request
            spider.logger.info("start URL redirected to %s: crawling that host too", host)
            return
        self.crawler.stats.inc_value("newsarchive/offsite_refused")
        first = (request.meta.get("redirect_urls") or [request.url])[0]
        raise IgnoreRequest(f"{first} redirected off the crawl's hosts to {host}")
