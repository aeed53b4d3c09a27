"""``newsarchive export``: the archive (or some of its articles) as JSON lines, CSV or
WARC, to standard output or to a file that is replaced only once the export is complete."""

from __future__ import annotations

import io
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from archive.cli.options import SinceDate, archive_errors, db_option
from archive.db import open_readonly
from archive.export import Selection, capture_urls, iter_csv, iter_export, selected_articles


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["jsonl", "csv", "warc"]),
    default="jsonl",
    show_default=True,
    help="jsonl: one article a line, comments nested; csv: one row per article, no "
    "comment text (that is in jsonl); warc: the raw captures.",
)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file instead of standard output (written whole or not at all).",
)
@click.option(
    "--since",
    type=SinceDate(),
    metavar="DATE",
    help="Only articles first seen or changed on or after DATE (a new version, a "
    f"removal, a comment added or removed): {SinceDate.ACCEPTED} (UTC if none).",
)
@click.option(
    "--url",
    "urls",
    multiple=True,
    metavar="URL",
    help="Only this article, by any of its URLs (repeatable).",
)
@click.option(
    "--site",
    "sites",
    multiple=True,
    metavar="HOST",
    help="Only articles whose canonical URL's host is HOST, e.g. news.example.com (repeatable).",
)
@db_option
def export(
    fmt: str,
    output: str,
    since: str | None,
    urls: tuple[str, ...],
    sites: tuple[str, ...],
    db_path: str,
) -> None:
    """Export every article, comments nested, one JSON object per line.

    The objects have the Article fields (`article_to_dict`), ordered by publication
    date, and for each article and comment when it was first and last seen and when it
    was removed (first_seen_at, last_seen_at, removed_at; docs/export.md).

    `--format csv` writes one row per article instead (RFC 4180, CRLF line ends): the
    articles columns with lists as JSON text, first_seen_at, last_seen_at, removed_at,
    and archived_comments (how many comments the archive holds); the comments
    themselves are only in `--format jsonl`.

    `--format warc` writes the raw captures instead, as gzipped WARC 1.1: a warcinfo
    record, a response record per fetched page, a revisit record for a re-fetch whose
    body was already written. With --since, --url or --site, the captures of the
    selected articles' pages (each capture of their URLs and comment pages, whenever
    fetched).

    --since, --url and --site combine (an article must pass each given); repeated
    --url or --site add articles. A --url the archive does not hold is an error.

    Example:

    \b
        newsarchive export --format jsonl -o articles.jsonl
        newsarchive export --format csv --site news.example.com --since 2024-05-01
        newsarchive export --format warc -o archive.warc.gz
    """
    selection = Selection(since=since, urls=urls, sites=sites)
    if output != "-":
        _check_output_folder(output)
    with archive_errors(db_path):
        db = open_readonly(db_path)
        try:
            if fmt == "warc":
                picked = selected_articles(db, selection)
                _export_warc(db, output, None if picked is None else capture_urls(db, picked))
            else:
                records = iter_export(db, selection)
                lines = (
                    iter_csv(records)
                    if fmt == "csv"
                    else (json.dumps(record, ensure_ascii=False) + "\n" for record in records)
                )
                with _output(output, binary=False) as out:
                    for line in lines:
                        out.write(line)
        finally:
            db.close()


def _export_warc(db: Database, output: str, urls: set[str] | None) -> None:
    from archive.warc import write_warc

    with _output(output, binary=True) as out:
        summary = write_warc(
            db, out, filename="" if output == "-" else Path(output).name, urls=urls
        )
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
    where = "standard output" if output == "-" else output
    click.echo(f"Wrote {counts} records to {where}.", err=True)


def _check_output_folder(output: str) -> None:
    """A one-line error, before anything is read, if ``output`` cannot be written."""
    folder = Path(output).parent
    if not folder.is_dir():
        what = f"{folder} is not a folder" if folder.exists() else f"no folder {folder}"
        raise click.ClickException(f"cannot write {output}: {what}")
    if not os.access(folder, os.W_OK):
        raise click.ClickException(f"cannot write {output}: folder {folder} is not writable")


@contextmanager
def _output(output: str, *, binary: bool) -> Iterator[Any]:
    """Standard output for ``-``; else a temporary file beside ``output`` that replaces
    it once everything is written, so a failed export leaves an existing file as it
    was and no partial one."""
    if output == "-":
        sys.stdout.flush()
        stdout = sys.stdout.buffer
        if binary:
            yield stdout
            return
        text = io.TextIOWrapper(stdout, encoding="utf-8", newline="\n")
        try:
            yield text
        finally:
            text.flush()
            text.detach()  # standard output stays open
        return
    target = Path(output)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with open(handle, "wb") if binary else open(handle, "w", encoding="utf-8") as out:
            yield out
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except OSError as exc:
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from None
    finally:
        Path(temporary).unlink(missing_ok=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
