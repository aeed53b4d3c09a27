"""The ``newsarchive`` command line: a thin click skin over :mod:`archive.queries`."""

from __future__ import annotations

import base64
import csv
import io
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import IO, Any, TypeVar

import click

from archive import queries
from archive.db import ArchiveError, open_readonly
from scraper.items import Comment

from .demo import DEMO_PORT, CrawlFailed, run_demo

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

    Crawling is `scrapy crawl articles -a start_url=URL`; every command here only reads.
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
@format_option
@db_option
def query(sql: str, params: tuple[tuple[str, str], ...], fmt: str, db_path: str) -> None:
    """Run a read-only SQL query against the archive.

    Anything but reading (INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, setting a
    PRAGMA…) is refused.

    Example:

    \b
        newsarchive query "select headline, published_at from articles
            where section = :section order by published_at desc limit 5" \\
            --param section Politics --format csv
    """
    with archive_errors():
        columns, rows = queries.run_readonly_query(db_path, sql, dict(params) if params else None)
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
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8", lazy=True),
    default="-",
    help="Write to this file instead of standard output.",
)
@db_option
def export(fmt: str, output: IO[str], db_path: str) -> None:
    """Export every article, comments nested, one JSON object per line.

    The objects have exactly the Article fields (`article_to_dict`), ordered by
    publication date.

    Example:

    \b
        newsarchive export --format jsonl -o articles.jsonl
    """
    with archive_errors():
        db = open_readonly(db_path)
        try:
            for record in queries.iter_export(db):
                output.write(json.dumps(record, ensure_ascii=False) + "\n")
        finally:
            db.close()


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
            run_demo(db_path=db_path, port=port, echo=click.echo)
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
