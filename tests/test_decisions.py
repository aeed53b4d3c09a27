"""The crawl's walk and revisit decisions (scraper/decisions.py), case by case: plain values
in, plain answers out."""

from __future__ import annotations

import pytest

from scraper import decisions


@pytest.mark.parametrize(
    ("archived", "absent", "failed", "recheck"),
    [
        (24, 1, False, True),  # the sitemap lists the rest: the one left out is re-checked
        (100, 20, False, True),  # exactly the share listed
        (100, 21, False, False),  # a partial sitemap (a news sitemap, a capped one)
        (24, 0, False, False),  # nothing left out
        (0, 0, False, False),  # nothing archived for the host
        (1, 1, False, False),  # a sitemap that lists none of the archive
        (24, 1, True, False),  # one of the host's sitemaps failed: the list is not whole
    ],
)
def test_sitemap_departures(archived: int, absent: int, failed: bool, recheck: bool) -> None:
    assert decisions.sitemap_departures(archived, absent, failed=failed) is recheck
