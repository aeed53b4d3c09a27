"""``newsarchive crawl``: ``scrapy crawl articles`` for one site (``URL``) or for every
site of a sites file (``--sites sites.toml``), into one archive."""

from __future__ import annotations

import click

from archive.cli.options import archive_errors, db_option

# The articles spider's -a arguments, as `newsarchive crawl --help` lists them
# (README "Crawling a real site" and docs/scheduling.md say what each does).
SPIDER_ARGUMENTS = (
    ("direction", "both, older or newer: which way to walk the prev/next chain"),
    ("max_articles", "stop after this many articles"),
    ("profile", "a site profile (TOML) that wins over generic extraction"),
    ("discover", "auto, or a subset of chain,sitemap,feed,listing"),
    ("incremental", "1 (default): fetch only new, due or hinted articles; 0: everything"),
    ("full", "1: re-visit every archived article"),
    ("stop_after_known", "walk older until this many known, unchanged articles in a row"),
)


def _pairs(kind: str, values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for value in values:
        name, sep, rest = value.partition("=")
        if not sep or not name.strip():
            raise click.UsageError(f"{kind} must be NAME=VALUE, got {value!r}")
        out[name.strip()] = rest
    return out


@click.command(
    epilog="Spider arguments (-a NAME=VALUE):\n\n\b\n"
    + "\n".join(f"  {name:<17}{text}" for name, text in SPIDER_ARGUMENTS)
)
@click.argument("url", required=False)
@click.option(
    "--sites",
    "sites_file",
    type=click.Path(dir_okay=False),
    help="A TOML file of [[sites]] entries (start_url; profile, discover, max_articles, "
    "args, settings optional): each is crawled in turn.",
)
@click.option(
    "-a",
    "spider_args",
    multiple=True,
    metavar="NAME=VALUE",
    help="A spider argument, as `scrapy crawl articles -a` takes it (repeatable; listed "
    "below). With --sites: for every site, under each entry's own.",
)
@click.option(
    "-s",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A Scrapy or ARCHIVE_* setting, as `scrapy crawl -s` takes it (repeatable). With "
    "--sites: for every site, under each entry's own settings.",
)
@db_option
def crawl(
    url: str | None,
    sites_file: str | None,
    spider_args: tuple[str, ...],
    settings: tuple[str, ...],
    db_path: str,
) -> None:
    """Crawl one site from URL, or every site of a sites file, into the archive.

    Each site is `scrapy crawl articles -a start_url=…` with the -a arguments and -s
    settings given, run one after another under the archive's one lock (no other crawl
    writes in between). A line per site, then one summary: new, updated, unchanged, not
    modified, gone, failed, into which archive. The exit status is 0 when every crawl
    ran, 74 when the archive could not store what a crawl fetched, 75 when another crawl
    holds the archive, else the first failing crawl's (docs/scheduling.md).

    Example:

    \b
        newsarchive crawl https://news.example.org/ -a max_articles=200 --db news.db
        newsarchive crawl --sites sites.toml --db news.db -s ARCHIVE_CONTACT=you@example.org
    """
    from archive.lock import ArchiveLocked
    from archive.sites import Site, SitesError, load_sites, run_sites
    from scraper.exitcodes import EXIT_LOCKED

    if (url is None) == (sites_file is None):
        raise click.UsageError("give a start URL or --sites FILE (one of them)")
    args = _pairs("-a", spider_args)
    extra = _pairs("-s", settings)
    if "start_url" in args:
        raise click.UsageError("the start URL is the URL argument (or each site's start_url)")
    if "ARCHIVE_DB" in extra:
        raise click.UsageError("the archive is --db (not -s ARCHIVE_DB)")
    if sites_file is not None:
        try:
            sites = load_sites(sites_file)
        except SitesError as exc:
            raise click.ClickException(str(exc)) from None
        sites = [Site(s.start_url, {**args, **s.args}, s.settings) for s in sites]
    else:
        assert url is not None
        if not url.startswith(("http://", "https://")):
            raise click.UsageError(f"the start URL must be http(s), got {url!r}")
        sites = [Site(url, args)]
    from archive.db import open_archive

    with archive_errors(db_path):
        # Checked (created if missing, upgraded) before any crawl: a path that is not an
        # archive is one line here, not a crawl's log per site.
        open_archive(db_path).close()
    try:
        status = run_sites(sites, db_path, extra, echo=click.echo)
    except ArchiveLocked as exc:
        click.echo(f"Error: {exc}", err=True)
        raise SystemExit(EXIT_LOCKED) from None
    if status:
        raise SystemExit(status)
