"""Crawled demo archives for the archive tests (captures, WARC, reparse, revisions,
Datasette, concurrency): the demo site on 127.0.0.1, crawled with the real
``scrapy crawl articles``, and ways to change the site between crawls."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from scraper.demosite.build import build_site
from scraper.demosite.content import DemoArticle, Site
from scraper.demosite.server import DemoServer
from tests.crawling import run_crawl

# A small site: enough for paginated and empty comment threads, quick to crawl.
SMALL_SITE_ARTICLES = 12


def small_site() -> Site:
    return build_site(SMALL_SITE_ARTICLES)


def crawl(server: DemoServer, db: Path, *args: str) -> None:
    """Crawl the whole chain from its middle article."""
    middle = server.site.articles[len(server.site.articles) // 2]
    run_crawl(server.url + middle.path, db, *args)


def edit_article(server: DemoServer, index: int, **changes: object) -> DemoArticle:
    """Replace article ``index`` of the served site (headline, description, seed for a
    new body, comment_stubs, …); the server renders the new version from now on."""
    site = server.site
    edited = dataclasses.replace(site.articles[index], **changes)  # type: ignore[arg-type]
    articles = (*site.articles[:index], edited, *site.articles[index + 1 :])
    server.site = dataclasses.replace(site, articles=articles)
    server._render.cache_clear()  # type: ignore[attr-defined]
    return edited
