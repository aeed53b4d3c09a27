"""Scrapy extensions of newsarchive."""

from __future__ import annotations

import gc
from typing import Any

from scrapy import signals
from scrapy.exceptions import NotConfigured


class GcFreeze:
    """Moves every object alive when the engine starts (Scrapy, Twisted, lxml, our
    modules and settings: a few hundred thousand objects) out of the garbage collector's
    sight with :func:`gc.freeze`.

    Python's full collections walk every tracked object. In a crawl most of them are the
    start-up's, which live as long as the process, so each full collection stopped the
    event loop for 50–100 ms, now and then in the middle of a chain hop (measured on the
    demo site at 20 ms latency: hops slower than 60 ms went from 2 % to none but the
    zstd dictionary's training, see docs/benchmarks.md). Objects made later are collected
    as before. ``ARCHIVE_GC_FREEZE = False`` turns it off.
    """

    def __init__(self, crawler: Any) -> None:
        crawler.signals.connect(self.engine_started, signal=signals.engine_started)

    @classmethod
    def from_crawler(cls, crawler: Any) -> GcFreeze:
        if not crawler.settings.getbool("ARCHIVE_GC_FREEZE", True):
            raise NotConfigured
        return cls(crawler)

    def engine_started(self) -> None:
        gc.collect()
        gc.freeze()
