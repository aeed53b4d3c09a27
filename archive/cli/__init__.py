"""The ``newsarchive`` command line: a thin click skin over the archive package.

The group lives here; each command lives in :mod:`archive.cli.commands` by what it does
(reading, export, reparse, serve, extract, demo), on the options, errors and output
formats of :mod:`archive.cli.options` and :mod:`archive.cli.output`.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import click

from archive.cli.commands import crawl, demo, export, extract, reading, reparse, serve

__all__ = ["cli"]


def _package_version() -> str:
    try:
        return version("newsarchive")
    except PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_package_version(), prog_name="newsarchive")
def cli() -> None:
    """Query a newsarchive SQLite archive: SQL, full-text search, articles with their
    comment threads, stats and export.

    Crawling is `newsarchive crawl URL` (or `--sites sites.toml`), which runs `scrapy
    crawl articles -a start_url=URL`; every other command here only reads, except
    `reparse` (which re-extracts the stored pages through the archive's write path).
    """


for command in (
    reading.query,
    reading.search,
    reading.show,
    reading.stats,
    reading.history,
    export.export,
    reparse.reparse,
    serve.serve,
    extract.extract,
    demo.demo,
    crawl.crawl,
):
    cli.add_command(command)
