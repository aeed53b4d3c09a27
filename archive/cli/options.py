"""What the ``newsarchive`` commands share: the ``--db`` and ``--format`` options, and
archive and SQLite errors turned into one line."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


def format_option(func: F) -> F:
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default="table",
        show_default=True,
        help="Output format.",
    )(func)


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
