"""The crawl's walk and revisit decisions, as pure functions of plain values.

No reactor, no network, no SQLite: every input is a value the plan looked up (what the
archive knows, what this run has seen), every output a plain answer. The plan
(:mod:`scraper.crawlplan`) and the spider's routes call these; ``tests/test_decisions.py``
holds a table of cases for each.
"""

from __future__ import annotations

# A sitemap "lists the rest of the site" when it names at least this share of the host's
# archived articles: the ones it leaves out have left the site's own index and are asked
# for again (a 404/410 marks them removed). A share well below 1 tolerates sitemaps that
# lag or cap their length; one well above 0 keeps a partial sitemap (a news sitemap of the
# last two days, a failed child of an index) from re-checking the whole archive.
DEPARTURE_SHARE = 0.8


def sitemap_departures(archived: int, absent: int, *, failed: bool = False) -> bool:
    """Whether the ``absent`` of a host's ``archived`` articles (not in the sitemaps this
    run read) are re-checked: the sitemaps listed the rest (at least
    :data:`DEPARTURE_SHARE` of them) and none of the host's sitemaps failed this run."""
    if failed or archived <= 0 or absent <= 0:
        return False
    return archived - absent >= DEPARTURE_SHARE * archived
