"""What the ``newsarchive`` commands share: the ``--db`` option, the ``--format`` choices
(:mod:`archive.cli.formats` adds them with sqlite-utils' output options), the ``--since``
date type, and archive and SQLite errors turned into one line."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import Any, TypeVar

import click

from archive.db import ArchiveError, sqlite_failure

DEFAULT_DB = "archive.db"
FORMATS = ("table", "csv", "json", "jsonl")
F = TypeVar("F", bound=Callable[..., Any])


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        default=DEFAULT_DB,
        show_default=True,
        type=click.Path(dir_okay=False),
        help="Archive database file.",
    )(func)


class SinceDate(click.ParamType):
    """An ISO 8601 date or UTC time, given as the archive stores times (UTC, seconds):
    ``2024-05-01`` stays a date; a time with an offset is turned into UTC; a time without
    one is UTC."""

    name = "date"
    ACCEPTED = "YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM offset"
    _SHAPE = re.compile(
        r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
    )

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip()
        try:
            if not self._SHAPE.fullmatch(text):
                raise ValueError(text)
            if len(text) == 10:
                return date.fromisoformat(text).isoformat()
            when = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"{value!r} is not a date or time; give {self.ACCEPTED}", param, ctx)
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return when.astimezone(UTC).isoformat(timespec="seconds")


@contextmanager
def archive_errors(db_path: str | None = None) -> Iterator[None]:
    """Turn archive and SQLite errors into one clear line (exit code 1); an SQLite error
    is named for what it means for the archive at ``db_path`` (damaged, locked, …)."""
    try:
        yield
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    except sqlite3.Error as exc:
        if db_path is not None:
            raise click.ClickException(str(sqlite_failure(db_path, exc))) from exc
        raise click.ClickException(f"archive error: {' '.join(str(exc).split())}") from exc
