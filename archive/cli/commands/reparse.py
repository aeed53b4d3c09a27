"""``newsarchive reparse``: re-extract the stored pages with the current extractor."""

from __future__ import annotations

from pathlib import Path

import click

from archive.cli.options import SinceDate, archive_errors, db_option
from archive.cli.output import emit_rows
from archive.db import open_archive, open_readonly


@click.command()
@click.option(
    "--since",
    type=SinceDate(),
    metavar="DATE",
    help="Only articles whose latest stored page was fetched on or after DATE: "
    f"{SinceDate.ACCEPTED} (UTC if none).",
)
@click.option("--url", help="Only this article (its URL or canonical URL).")
@click.option(
    "--profile",
    "profile",
    metavar="PATH",
    help="Extract every page with this site profile (as the crawl's -a profile=PATH).",
)
@click.option(
    "--profiles",
    "profiles_folder",
    metavar="FOLDER",
    help="Pick each page's profile from this folder by domain (as ARCHIVE_PROFILES).",
)
@db_option
def reparse(
    since: str | None,
    url: str | None,
    profile: str | None,
    profiles_folder: str | None,
    db_path: str,
) -> None:
    """Re-run the current extractor over the stored raw pages, with no network.

    Updates articles and comments through the archive's write path (an article whose
    content changes keeps its earlier state in article_versions), one transaction per
    batch, and reports per field how many articles got a different value. Give the
    profiles the crawl used (--profile, --profiles), or the pages are read generically.

    Example:

    \b
        newsarchive reparse --db archive.db
        newsarchive reparse --since 2024-05-01 --url https://example.com/2024/05/budget/
        newsarchive reparse --profiles profiles/
    """
    from archive.lock import ArchiveLocked
    from archive.reparse import SiteProfiles
    from archive.reparse import reparse as run_reparse
    from scraper.extract.profiles import ProfileError

    if not Path(db_path).is_file():
        raise click.ClickException(f"archive not found: {db_path}")
    try:
        site_profiles = SiteProfiles.load(profile, profiles_folder)
    except ProfileError as exc:
        raise click.ClickException(str(exc)) from exc
    with archive_errors(db_path):
        open_readonly(db_path).close()
        # Writable (and its folder too: the write-ahead log, the lock file), or one line.
        open_archive(db_path).close()
        try:
            report = run_reparse(db_path, since=since, url=url, profiles=site_profiles)
        except ArchiveLocked as exc:
            raise click.ClickException(str(exc)) from exc
        except PermissionError as exc:  # the lock file beside the archive
            raise click.ClickException(f"cannot lock {db_path}: {exc.strerror}") from exc
    click.echo(
        f"Re-extracted {report.articles} articles from stored pages: {report.changed} changed, "
        f"{report.unchanged} unchanged."
    )
    if report.no_capture:
        click.echo(f"{len(report.no_capture)} articles have no stored page to re-extract.")
    if report.not_article:
        click.echo(f"{len(report.not_article)} stored pages no longer extract as articles.")
    if report.fields:
        click.echo("")
        emit_rows(["field", "changed"], sorted(report.fields.items()), "table")
