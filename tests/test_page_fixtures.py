"""Each saved page yields exactly its reviewed expected.json, checked field by field.

Regenerate after a deliberate change: ``python -m tests.page_fixtures``, then review
``git diff tests/fixtures/pages``.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from scraper.items import ARTICLE_FIELDS
from tests.page_fixtures import case_names, expected, extract_case

FIELDS = [f for f in ARTICLE_FIELDS if f != "fetched_at"]


@cache
def _extracted(name: str) -> dict[str, Any]:
    return extract_case(name)


def test_there_are_cases() -> None:
    assert len(case_names()) >= 5


@pytest.mark.parametrize("name", case_names())
@pytest.mark.parametrize("field", FIELDS)
def test_field(name: str, field: str) -> None:
    assert _extracted(name)[field] == expected(name)[field]
