"""The ``newsarchive`` command line: a thin click skin over :mod:`archive.queries`."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlite_utils import Database

from archive import queries
from archive.db import ArchiveError, open_readonly
from archive.export import iter_export
from scraper.items import Comment

from .demo import DEMO_PORT, CrawlFailed, invoked_program, run_demo

DEFAULT_DB = "archive.db"
FORMATS = ("table", "csv", "json", "jsonl")
F = TypeVar("F", bound=Callable[..., Any])


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

    Crawling is `scrapy crawl articles -a start_url=URL`; every command here only reads,
    except `reparse` (which re-extracts the stored pages through the archive's write path).
    """


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
def archive_errors() -> Iterator[None]:
    """Turn archive and SQLite errors into one clear line (exit code 1)."""
    try:
        yield
    except ArchiveError as exc:
        raise click.ClickException(str(exc)) from exc
    except sqlite3.Error as exc:
        raise click.ClickException(f"archive error: {' '.join(str(exc).split())}") from exc


# -- query --------------------------------------------------------------------------------


@cli.command()
@click.argument("sql")
@click.option(
    "-p",
    "--param",
    "params",
    type=(str, str),
    multiple=True,
    metavar="NAME VALUE",
    help="A :NAME parameter of the SQL (repeatable).",
)
@click.option(
    "--timeout",
    default=queries.DEFAULT_TIMEOUT_S,
    show_default=True,
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Stop the query after this long (0: no limit).",
)
@click.option(
    "--max-memory",
    "max_memory_mb",
    default=queries.DEFAULT_MAX_MEMORY_MB,
    show_default=True,
    type=click.IntRange(min=0),
    metavar="MB",
    help="Memory cap, on this query's connection: SQLite's page cache (cache_size), "
    "any one value (SQLITE_LIMIT_LENGTH) and the result rows held for output stay under "
    "this many megabytes; sorts and temporary tables spill to temporary files (0: no "
    "limit).",
)
@format_option
@db_option
def query(
    sql: str,
    params: tuple[tuple[str, str], ...],
    timeout: float,
    max_memory_mb: int,
    fmt: str,
    db_path: str,
) -> None:
    """Run a read-only SQL query against the archive.

    Anything but reading (INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, setting a
    PRAGMA…) is refused. A query that runs longer than --timeout, or needs more memory
    than --max-memory, is stopped with a one-line error.

    Example:

    \b
        newsarchive query "select headline, published_at from articles
            where section = :section order by published_at desc limit 5" \\
            --param section Politics --format csv
    """
    with archive_errors():
        columns, rows = queries.run_readonly_query(
            db_path,
            sql,
            dict(params) if params else None,
            timeout=timeout or None,
            max_memory_mb=max_memory_mb or None,
        )
    emit_rows(columns, rows, fmt)


# -- search -------------------------------------------------------------------------------


@cli.command()
@click.argument("terms", nargs=-1, required=True)
@click.option("--comments", is_flag=True, help="Search comments instead of articles.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@format_option
@db_option
def search(terms: tuple[str, ...], comments: bool, limit: int, fmt: str, db_path: str) -> None:
    """Full-text search of headlines and body text (or comments), best match first.

    Every term must match; quotes and FTS operators are taken literally.

    Example:

    \b
        newsarchive search city council budget --limit 5
        newsarchive search --comments "great article"
    """
    text = " ".join(terms)
    with archive_errors():
        db = open_readonly(db_path)
        try:
            if comments:
                found = queries.search_comments(db, text, limit)
                columns = ["article_url", "author", "published_at", "snippet"]
            else:
                found = queries.search_articles(db, text, limit)
                columns = ["published_at", "headline", "canonical_url", "snippet"]
        finally:
            db.close()
    emit_rows(columns, [tuple(row[c] for c in columns) for row in found], fmt)


# -- show ---------------------------------------------------------------------------------


@cli.command()
@click.argument("url")
@db_option
def show(url: str, db_path: str) -> None:
    """Show one archived article and its comment thread (replies indented).

    URL may be the article's URL or canonical URL, tracking parameters and all.

    Example:

    \b
        newsarchive show https://example.com/2024/05/council-budget/
    """
    with archive_errors():
        db = open_readonly(db_path)
        try:
            article = queries.get_article(db, url)
        finally:
            db.close()
    lines = [article.headline or "(no headline)"]
    if article.authors:
        lines.append("By " + ", ".join(article.authors))
    if article.published_at or article.published_at_raw:
        lines.append(f"Published: {article.published_at or article.published_at_raw}")
    if article.modified_at or article.modified_at_raw:
        lines.append(f"Modified:  {article.modified_at or article.modified_at_raw}")
    if article.section:
        lines.append(f"Section:   {article.section}")
    lines.append(f"URL:       {article.canonical_url}")
    if article.prev_url:
        lines.append(f"Previous:  {_titled(article.prev_title, article.prev_url)}")
    if article.next_url:
        lines.append(f"Next:      {_titled(article.next_title, article.next_url)}")
    lines += ["", article.body_text or "(no body text)", ""]
    lines.append(f"Comments ({len(article.comments)})")
    lines += render_thread(article.comments)
    click.echo("\n".join(lines))


def _titled(title: str | None, url: str) -> str:
    return f"{title} <{url}>" if title else url


def render_thread(comments: Sequence[Comment], indent: str = "    ") -> list[str]:
    """The comment thread as text: each comment's author and date, then its text, each
    reply indented one step under its parent."""
    lines: list[str] = []
    for depth, comment in queries.thread_tree(comments):
        pad = indent * (depth - 1)
        when = comment.published_at or comment.published_at_raw
        lines.append("")
        lines.append(f"{pad}{comment.author or 'anonymous'}" + (f" — {when}" if when else ""))
        lines += [f"{pad}  {line}" if line else "" for line in comment.text.splitlines()]
    return lines


# -- stats --------------------------------------------------------------------------------


@cli.command()
@db_option
def stats(db_path: str) -> None:
    """Summarise the archive: counts, date range, top authors and sections, last crawl.

    Example:

    \b
        newsarchive stats --db archive.db
    """
    with archive_errors():
        db = open_readonly(db_path)
        try:
            summary = queries.stats(db)
        finally:
            db.close()
    lines = [
        f"{name + ':':<12}{summary[name]}" for name in ("articles", "comments", "links", "crawls")
    ]
    if summary["first_published_at"]:
        lines.append(
            f"{'published:':<12}{summary['first_published_at']} … {summary['last_published_at']}"
        )
    for title, key in (("Top authors", "top_authors"), ("Top sections", "top_sections")):
        if summary[key]:
            lines += ["", title]
            lines += [f"  {count:>6}  {name}" for name, count in summary[key]]
    crawl = summary["last_crawl"]
    if crawl:
        lines += [
            "",
            f"Last crawl #{crawl['id']} ({crawl['spider']}): {crawl['status']}, "
            f"{crawl['started_at']} → {crawl['finished_at'] or '…'}",
            f"  articles: {crawl['articles_new']} new, {crawl['articles_updated']} updated, "
            f"{crawl['articles_unchanged']} unchanged; comments written: "
            f"{crawl['comments_written']}; pages fetched: {crawl['pages_fetched']}; "
            f"requests failed: {crawl['requests_failed']}; items skipped: "
            f"{crawl['items_skipped']}",
        ]
        lines += [
            f"  skipped {count}: {reason}" for reason, count in (crawl["skipped"] or {}).items()
        ]
        lines += [f"  error: {e.get('url')}: {e.get('reason')}" for e in crawl["errors"] or []]
    click.echo("\n".join(lines))


# -- export -------------------------------------------------------------------------------


@cli.command()
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "warc"]), default="jsonl", show_default=True
)
@click.option(
    "-o",
    "--output",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write to this file instead of standard output (written whole or not at all).",
)
@db_option
def export(fmt: str, output: str, db_path: str) -> None:
    """Export every article, comments nested, one JSON object per line.

    The objects have the Article fields (`article_to_dict`), ordered by publication
    date, and for each article and comment when it was first and last seen and when it
    was removed (first_seen_at, last_seen_at, removed_at; docs/export.md).

    `--format warc` writes the raw captures instead, as gzipped WARC 1.1: a warcinfo
    record, a response record per fetched page, a revisit record for a re-fetch whose
    body was already written.

    Example:

    \b
        newsarchive export --format jsonl -o articles.jsonl
        newsarchive export --format warc -o archive.warc.gz
    """
    if output != "-":
        _check_output_folder(output)
    with archive_errors():
        db = open_readonly(db_path)
        try:
            if fmt == "warc":
                _export_warc(db, output)
            else:
                with _output(output, binary=False) as out:
                    for record in iter_export(db):
                        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            db.close()


def _export_warc(db: Database, output: str) -> None:
    from archive.warc import write_warc

    with _output(output, binary=True) as out:
        summary = write_warc(db, out, filename="" if output == "-" else Path(output).name)
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary.records.items()))
    click.echo(f"Wrote {counts} records to {output}.", err=True)


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


# -- reparse ------------------------------------------------------------------------------


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


@cli.command()
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
    with archive_errors():
        open_readonly(db_path).close()
        try:
            report = run_reparse(db_path, since=since, url=url, profiles=site_profiles)
        except ArchiveLocked as exc:
            raise click.ClickException(str(exc)) from exc
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


# -- history ------------------------------------------------------------------------------


@cli.command()
@click.argument("url")
@db_option
def history(url: str, db_path: str) -> None:
    """Show an article's versions, oldest first, each with a readable diff from the one
    before.

    Example:

    \b
        newsarchive history https://example.com/2024/05/council-budget/
    """
    from archive.revisions import article_versions, readable_diff

    with archive_errors():
        db = open_readonly(db_path)
        try:
            versions = article_versions(db, url)
        finally:
            db.close()
    if not versions:
        raise click.ClickException(f"no archived article with URL {url}")
    lines = [
        f"{versions[-1].row['headline'] or '(no headline)'}",
        versions[-1].row["canonical_url"],
    ]
    for before, state in zip([None, *versions], versions, strict=False):
        label = "current" if state.current else f"replaced {state.replaced_at}"
        lines += ["", f"Version {state.number} (fetched {state.fetched_at or '?'}, {label})"]
        if before is None:
            lines.append("  first archived version")
        else:
            lines += ["  " + line for line in readable_diff(before.row, state.row)]
    if len(versions) == 1:
        lines.append("  (no earlier versions)")
    click.echo("\n".join(lines))


# -- serve --------------------------------------------------------------------------------


@cli.command()
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

    with archive_errors():
        code = run_datasette(db_path, host=host, port=port, announce=announce)
    if code not in (0, -15):
        raise click.ClickException(f"datasette exited with {code}")


# -- extract ------------------------------------------------------------------------------


@cli.command()
@click.argument("page")
@click.option(
    "--url",
    "page_url",
    metavar="URL",
    help="The page's address, for relative links (a file's default: its file:// URL; "
    "a fetched page's: where it was fetched from).",
)
@click.option(
    "--profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    help="A site profile (TOML) to apply; its fields win over generic extraction.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the article and sources as JSON.")
def extract(page: str, page_url: str | None, profile_path: str | None, as_json: bool) -> None:
    """Extract one page (an http(s) URL, fetched, or an HTML file) and print every field
    with the source that filled it: jsonld, microdata, opengraph, meta, cms, heuristic,
    profile. Nothing is archived; use it to check a site and write its profile.

    Example:

    \b
        newsarchive extract https://news.example.org/2024/05/some-article/
        newsarchive extract saved.html --url https://news.example.org/2024/05/a/ \\
            --profile mysite.toml
    """
    from archive import extract_page as xp  # lxml and the extractors load for this command only

    try:
        result = xp.extract_page(page, url=page_url, profile_path=profile_path)
    except xp.PageError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(xp.as_json(result), ensure_ascii=False, indent=2))
        return
    article = result.article
    sources = xp.field_sources(article)
    rows = [
        (name, source or "", _short(getattr(article, name))) for name, source in sources.items()
    ]
    profile = f"{result.profile.name} ({result.profile.path})" if result.profile else "none"
    click.echo(f"URL:     {result.url}\nProfile: {profile}\n")
    emit_rows(["field", "source", "value"], rows, "table")
    if article.comments:
        click.echo(f"\nComments ({len(article.comments)}, source {sources['comments']})")
        for c in article.comments:
            pad = "  " * c.depth
            when = c.published_at or c.published_at_raw or "no date"
            parent = f" ↳{c.parent_id}" if c.parent_id else ""
            click.echo(
                f"{pad}[{c.comment_id}{parent}] {c.author or 'anonymous'} — {when}: "
                f"{_short(c.text, 80)}"
            )


def _short(value: Any, width: int = 100) -> str:
    """One line of at most ``width`` characters; lists as their items (images as URLs,
    comments as a count)."""
    if isinstance(value, list):
        if value and isinstance(value[0], Comment):
            value = f"{len(value)} comments"
        else:
            value = "; ".join(getattr(v, "url", None) or str(v) for v in value)
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else f"{text[: width - 1]}… ({len(text)} chars)"


# -- demo ---------------------------------------------------------------------------------


@cli.command()
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
    with archive_errors():
        try:
            run_demo(db_path=db_path, port=port, echo=click.echo, program=invoked_program())
        except CrawlFailed as exc:
            raise click.ClickException(str(exc)) from exc


# -- output -------------------------------------------------------------------------------


def emit_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> None:
    click.echo(format_rows(columns, rows, fmt), nl=False)


def format_rows(columns: Sequence[str], rows: Sequence[Sequence[Any]], fmt: str) -> str:
    """``rows`` as text in ``fmt`` (one of :data:`FORMATS`), ending with a newline."""
    if fmt == "json":
        records = [_record(columns, row) for row in rows]
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    if fmt == "jsonl":
        return "".join(json.dumps(_record(columns, row), ensure_ascii=False) + "\n" for row in rows)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[_plain(v) for v in row] for row in rows])
        return buffer.getvalue()
    return _table(columns, rows)


def _table(columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[_cell(v) for v in row] for row in rows]
    try:
        from tabulate import tabulate
    except ImportError:
        widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
        lines = [
            "  ".join(v.ljust(w) for v, w in zip(line, widths, strict=True)).rstrip()
            for line in [list(columns), ["-" * w for w in widths], *cells]
        ]
        return "\n".join(lines) + "\n"
    return tabulate(cells, headers=list(columns), disable_numparse=True) + "\n"


def _record(columns: Sequence[str], row: Sequence[Any]) -> dict[str, Any]:
    return {c: _jsonable(v) for c, v in zip(columns, row, strict=True)}


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$base64": True, "encoded": base64.b64encode(value).decode("ascii")}
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return "" if value is None else value


def _cell(value: Any) -> str:
    text = str(_plain(value))
    # One line per row: newlines in body text would break the table.
    return " ".join(text.split()) if "\n" in text else text


if __name__ == "__main__":
    cli()
