"""Waiting, inside a callback, until the requests it yielded have left.

A serial prev/next chain is latency-bound: page N+1 is known only once page N has
arrived, so every millisecond between the arrival of page N and the departure of the
request for page N+1 is added to every hop. The ``articles`` callback therefore yields
the neighbour requests first and only then does the page's heavy work (extraction,
archiving). Yielding is not enough by itself: Scrapy consumes a callback's output in a
task that runs the generator on until it suspends, and the request only reaches the
downloader (and the socket) in later turns of the event loop. So after yielding the
neighbours the callback awaits :meth:`Departures.wait`: it returns once Scrapy has
handed each of those requests to its downloader (the ``request_reached_downloader``
signal) and the loop has turned a few more times, long enough for the HTTP request to
be written (measured in ``bench/crawl.py``: see docs/benchmarks.md).

A request that does not reach the downloader soon (dropped by a middleware, or held in
the scheduler while the downloader is full) is not the one the chain waits on: the wait
gives up after ``ARCHIVE_DEPARTURE_TIMEOUT`` seconds (0 turns the wait off). Without an
asyncio event loop it returns at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import scrapy
from scrapy import signals

# Event-loop turns after the downloader has the request: the download task starts, the
# connection is taken from the pool, the request is written and the socket flushed.
FLUSH_TURNS = 6
TIMEOUT = 0.01  # seconds


class Departures:
    """Futures resolved when Scrapy's downloader receives a request (by URL and method)."""

    def __init__(self, crawler: Any, flush_turns: int = FLUSH_TURNS):
        self.timeout = crawler.settings.getfloat("ARCHIVE_DEPARTURE_TIMEOUT", TIMEOUT)
        self.flush_turns = flush_turns
        self._waiting: dict[tuple[str, str], asyncio.Future[None]] = {}
        crawler.signals.connect(self._reached, signal=signals.request_reached_downloader)

    def _reached(self, request: scrapy.Request, spider: Any = None) -> None:
        future = self._waiting.pop((request.method, request.url), None)
        if future is not None and not future.done():
            future.set_result(None)

    async def wait(self, requests: Sequence[scrapy.Request]) -> None:
        """Until every one of ``requests`` has reached the downloader and been written
        out, or ``timeout`` has passed."""
        if not requests or self.timeout <= 0:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on asyncio (another Twisted reactor): nothing to wait on
            return
        mine = {(r.method, r.url): loop.create_future() for r in requests}
        self._waiting.update(mine)
        try:
            _, pending = await asyncio.wait(mine.values(), timeout=self.timeout)
        finally:
            for key, future in mine.items():
                if self._waiting.get(key) is future:
                    del self._waiting[key]
        if len(pending) < len(mine):
            for _ in range(self.flush_turns):
                await asyncio.sleep(0)
