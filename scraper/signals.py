"""The signals the ``articles`` spider sends, besides Scrapy's own.

:data:`fetch_noted` carries a :class:`scraper.items.FetchNote` (what a crawl learnt about a
fetched page: validators, a 304, frontier entries to settle) to whatever keeps the crawl's
record; the archive's pipeline connects to it. Notes are not items, so ``-O`` feeds and
Scrapy's item counts hold articles only. A note sent with ``article=True`` belongs to the
article the spider yields next (its ``url`` is that article's key) and is written after it.
"""

from __future__ import annotations

fetch_noted = object()
