"""The next hop of a chain leaves before the page's heavy work (issue #6): an article
page's neighbour requests reach Scrapy's downloader before that page is extracted."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import scrapy
from scrapy.settings import Settings
from scrapy.signalmanager import SignalManager

from scraper.demosite import DemoServer, build_site
from scraper.spiders.departures import Departures
from tests.crawling import run_crawl

SITE = build_site(24)
PROBE = '{"tests.departure_probe.DepartureProbe": 0}'


def _crawl_events(tmp_path: Path, timeout: str) -> tuple[list[tuple[str, str]], str]:
    probe = tmp_path / "events.json"
    with DemoServer(SITE, latency=0.005) as server:
        start = SITE.articles[len(SITE.articles) // 2]
        result = run_crawl(
            server.url_for(start.path),
            tmp_path / "archive.db",
            settings={
                "EXTENSIONS": PROBE,
                "PROBE_FILE": str(probe),
                "ARCHIVE_DEPARTURE_TIMEOUT": timeout,
            },
        )
        assert result.returncode == 0, result.stderr[-2000:]
        base = server.url
    return [tuple(e) for e in json.loads(probe.read_text())], base


def _hops(events: list[tuple[str, str]], base: str) -> list[bool]:
    """For each article page with a neighbour further from the start: did the request for
    that neighbour reach the downloader before the page's extraction began?"""
    position = {event: i for i, event in reversed(list(enumerate(events)))}
    middle = len(SITE.articles) // 2
    out = []
    for i, article in enumerate(SITE.articles):
        j = i - 1 if i < middle else i + 1
        if i == middle or not 0 <= j < len(SITE.articles):
            continue
        extract = position[("extract", base + article.path)]
        reached = position[("reached", base + SITE.articles[j].path)]
        out.append(reached < extract)
    return out


def test_next_hop_reaches_the_downloader_before_extraction(tmp_path: Path) -> None:
    events, base = _crawl_events(tmp_path, "5")
    hops = _hops(events, base)
    assert len(hops) == len(SITE.articles) - 3
    assert all(hops), hops


def test_without_the_wait_extraction_comes_first(tmp_path: Path) -> None:
    """The probe can tell: with the wait off, Scrapy runs the callback on into the
    extraction before the yielded request gets to the downloader."""
    events, base = _crawl_events(tmp_path, "0")
    hops = _hops(events, base)
    assert sum(hops) <= len(hops) // 4, hops


def _departures(timeout: float) -> tuple[Departures, SignalManager]:
    signals = SignalManager()
    crawler = SimpleNamespace(
        signals=signals, settings=Settings({"ARCHIVE_DEPARTURE_TIMEOUT": timeout})
    )
    return Departures(crawler, flush_turns=2), signals


def test_wait_returns_when_the_request_reaches_the_downloader() -> None:
    """With an hour's timeout, only the signal can end the wait (``wait_for`` guards
    against a hang)."""
    departures, signals = _departures(timeout=3600)
    request = scrapy.Request("http://127.0.0.1/a")

    async def scenario() -> None:
        waiting = asyncio.ensure_future(departures.wait([request]))
        await asyncio.sleep(0)  # the wait has registered the request
        signals.send_catch_log(
            scrapy.signals.request_reached_downloader, request=request, spider=None
        )
        await asyncio.wait_for(waiting, 30)

    asyncio.run(scenario())
    assert departures._waiting == {}


def test_wait_gives_up_when_the_request_never_arrives() -> None:
    departures, _ = _departures(timeout=0.05)
    request = scrapy.Request("http://127.0.0.1/never")

    async def scenario() -> bool:
        waiting = asyncio.ensure_future(departures.wait([request]))
        await asyncio.sleep(0)
        registered = bool(departures._waiting)
        await asyncio.wait_for(waiting, 30)
        return registered

    assert asyncio.run(scenario())  # it did wait for this request
    assert departures._waiting == {}


@pytest.mark.parametrize("timeout", [0.0, 30.0])
def test_nothing_to_wait_for(timeout: float) -> None:
    departures, _ = _departures(timeout=timeout)
    assert asyncio.run(asyncio.wait_for(departures.wait([]), 1)) is None
    if timeout == 0:
        request = scrapy.Request("http://127.0.0.1/off")
        assert asyncio.run(asyncio.wait_for(departures.wait([request]), 1)) is None
