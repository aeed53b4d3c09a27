"""parse_date: ISO 8601 out, the stated offset kept, nothing invented."""

from __future__ import annotations

import pytest

from scraper.extract.dates import parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # ISO variants
        ("2024-01-12T11:09:55-05:00", "2024-01-12T11:09:55-05:00"),
        ("2024-01-12T16:09:55Z", "2024-01-12T16:09:55+00:00"),
        ("2024-01-12T16:09:55+0300", "2024-01-12T16:09:55+03:00"),
        ("2024-01-12T11:09-05", "2024-01-12T11:09:00-05:00"),
        ("2024-01-12 11:09", "2024-01-12T11:09:00"),
        ("2024-01-12T11:09:55.250+01:00", "2024-01-12T11:09:55.250000+01:00"),
        ("2024-01-12", "2024-01-12"),
        ("20240112T110955Z", "2024-01-12T11:09:55+00:00"),
        ("  2024-01-12T11:09:55Z \n", "2024-01-12T11:09:55+00:00"),
        # RFC 822 / 1123 (feeds, HTTP)
        ("Fri, 12 Jan 2024 16:09:55 +0000", "2024-01-12T16:09:55+00:00"),
        ("Fri, 12 Jan 2024 16:09:55 GMT", "2024-01-12T16:09:55+00:00"),
        ("Fri, 12 Jan 2024 11:09:55 EST", "2024-01-12T11:09:55-05:00"),
        ("Fri, 12 Jan 2024 11:09:55 -0500", "2024-01-12T11:09:55-05:00"),
        # English
        ("January 12, 2024 at 11:09 am", "2024-01-12T11:09:00"),
        ("January 12, 2024 at 12:09 pm", "2024-01-12T12:09:00"),
        ("January 12, 2024 at 12:09 am", "2024-01-12T00:09:00"),
        ("Wednesday, September 17, 2014, 1:01 pm", "2014-09-17T13:01:00"),
        ("September 17, 2014 - 1:01 pm", "2014-09-17T13:01:00"),
        ("12 Jan 2024", "2024-01-12"),
        ("Jan 5th, 2024", "2024-01-05"),
        ("Sept. 3, 2023", "2023-09-03"),
        ("Posted on March 3, 2023 by Jo", "2023-03-03"),
        ("12 Jan 2024 16:09 UTC+3", "2024-01-12T16:09:00+03:00"),
        ("January 12, 2024 at 11:09 am - 3 comments", "2024-01-12T11:09:00"),
        # other languages
        ("12. Januar 2024", "2024-01-12"),
        ("12. März 2024 um 14:30 Uhr", "2024-03-12T14:30:00"),
        ("12 janvier 2024", "2024-01-12"),
        ("12 février 2024 à 11h09", "2024-02-12T11:09:00"),
        ("12 января 2024", "2024-01-12"),
        ("12 января 2024 г. в 11:09", "2024-01-12T11:09:00"),
        ("12 de enero de 2024", "2024-01-12"),
        ("2024년 1월 12일", "2024-01-12"),
        ("2024년 1월 12일 오후 3:05", "2024-01-12T15:05:00"),
        ("2024年1月12日", "2024-01-12"),
        ("terça-feira, agosto 28, 2018, 7:38 pm", "2018-08-28T19:38:00"),
        ("Desember 30, 2015 at 4:36 am", "2015-12-30T04:36:00"),
        # numeric, only when unambiguous
        ("12.01.2024", "2024-01-12"),
        ("2024/01/12", "2024-01-12"),
        ("13/04/2024", "2024-04-13"),
        ("04/13/2024", "2024-04-13"),
    ],
)
def test_parse_date(raw: str, expected: str) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "nonsense",
        "2 days ago at 07:52 am",  # relative: needs a clock
        "1 ano atrás",
        "03/04/2024",  # March 4 or 3 April: never guess
        "2024-02-30",
        "May 2024",  # no day
        "11:15 05.10.18",  # two-digit year
        "2024-01-12T25:00:00",
    ],
)
def test_unreadable_gives_none(raw: str | None) -> None:
    assert parse_date(raw) is None


def test_no_offset_stays_naive() -> None:
    assert parse_date("January 12, 2024 at 11:09 am") == "2024-01-12T11:09:00"


def test_default_tz_only_when_none_stated() -> None:
    assert parse_date("2024-01-12 11:09", default_tz="America/New_York") == (
        "2024-01-12T11:09:00-05:00"
    )
    assert parse_date("2024-07-12 11:09", default_tz="America/New_York") == (
        "2024-07-12T11:09:00-04:00"
    )
    assert parse_date("2024-07-12 11:09", default_tz="+03:00") == "2024-07-12T11:09:00+03:00"
    assert parse_date("2024-07-12T11:09Z", default_tz="+03:00") == "2024-07-12T11:09:00+00:00"
    assert parse_date("2024-07-12", default_tz="+03:00") == "2024-07-12"
    assert parse_date("2024-07-12 11:09", default_tz="Not/AZone") == "2024-07-12T11:09:00"
