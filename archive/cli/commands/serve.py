"""``newsarchive serve``: the archive in Datasette, read-only."""

from __future__ import annotations

import click

from archive.cli.options import archive_errors, db_option


@click.command()
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option("--host", default="127.0.0.1", show_default=True)
@db_option
def serve(port: int, host: str, db_path: str) -> None:
    """Browse and search the archive in Datasette (read-only), with table descriptions
    and stored queries: latest articles, an article's thread, most discussed, search,
    changes since a date, the prev/next chain. The archive and the port are checked
    before anything is served (--port 0: a free port).

    Example:

    \b
        newsarchive serve --db archive.db --port 8001
    """
    from archive.serve import serve as run_datasette

    def announce(url: str) -> None:
        click.echo(f"Serving {db_path} read-only at {url}")

    with archive_errors(db_path):
        code = run_datasette(db_path, host=host, port=port, announce=announce)
    if code not in (0, -15):
        raise click.ClickException(f"datasette exited with {code}")
