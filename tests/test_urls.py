"""URL keys: one form per address (w3lib's canonical form, tracking removed)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scraper.extract.urls import absolute_url, canonicalize_url, strip_tracking

KEY = "https://example.org/2024/05/z%C3%BCrich-stimmt-ab/"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/2024/05/zürich-stimmt-ab/",
        "https://example.org/2024/05/z%c3%bcrich-stimmt-ab/",
        "https://example.org/2024/05/z%C3%BCrich-stimmt-ab/",
        "HTTPS://Example.ORG:443/2024/05/zürich-stimmt-ab/#comments",
        "https://example.org/2024/05/zürich-stimmt-ab/?utm_source=x&fbclid=1&utm_medium=y",
        "https://reader:secret@example.org/2024/05/zürich-stimmt-ab/",
        "  https://example.org/2024/05/zürich-stimmt-ab/\n",
    ],
)
def test_every_spelling_of_an_address_has_one_key(url: str) -> None:
    assert canonicalize_url(url) == KEY


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("http://bücher.example/a", "http://xn--bcher-kva.example/a"),  # IDN host
        ("http://example.org", "http://example.org/"),
        ("http://example.org:8080/a?b=2&a=1", "http://example.org:8080/a?a=1&b=2"),
        ("http://example.org/%7Eann/", "http://example.org/~ann/"),  # unreserved unescaped
        ("http://example.org/a b", "http://example.org/a%20b"),
        ("http://example.org/?page=2&utm_campaign=z", "http://example.org/?page=2"),
        ("http://example.org/?q=", "http://example.org/?q="),  # blank values kept
        ("http://[::1]:8000/x", "http://[::1]:8000/x"),
    ],
)
def test_canonical_form(url: str, key: str) -> None:
    assert canonicalize_url(url) == key


def test_the_request_url_is_the_key() -> None:
    assert strip_tracking("https://example.org/zürich/?utm_source=a&id=3#top") == (
        "https://example.org/z%C3%BCrich/?id=3"
    )


def test_link_targets_are_resolved_and_made_safe() -> None:
    base = "https://example.org/2024/05/bern/"
    assert (
        absolute_url(base, "../zürich-stimmt-ab/")
        == "https://example.org/2024/05/z%C3%BCrich-stimmt-ab/"
    )
    for href in (None, "", "#top", "javascript:void(0)", "mailto:a@b.c", "ftp://x.org/f"):
        assert absolute_url(base, href) is None


@given(st.text(max_size=40))
def test_a_key_is_its_own_key(path: str) -> None:
    key = canonicalize_url("https://example.org/" + path)
    assert canonicalize_url(key) == key
