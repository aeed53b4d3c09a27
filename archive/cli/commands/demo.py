"""``newsarchive demo``: the built-in demo site crawled into an archive."""

from __future__ import annotations

import click

from archive.cli.options import DEFAULT_DB, archive_errors
from archive.demo import DEMO_PORT, CrawlFailed, invoked_program, run_demo


@click.command()
@click.option(
    "--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False)
)
@click.option(
    "--port",
    default=DEMO_PORT,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the demo site; its URLs are the archive's keys, so a fixed port lets a "
    "second run find the same articles. Taken: a free one is used. 0: always a free one.",
)
def demo(db_path: str, port: int) -> None:
    """Serve the built-in demo news site, crawl it into the archive and show the result.

    Example:

    \b
        newsarchive demo --db demo.db
    """
    with archive_errors(db_path):
        try:
            run_demo(db_path=db_path, port=port, echo=click.echo, program=invoked_program())
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from exc
