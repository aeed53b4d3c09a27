"""The reading commands: ``query`` (read-only SQL), ``search`` (full text), ``show`` (one
article and its thread), ``stats`` and ``history`` (an article's versions)."""

from __future__ import annotations

import json

import click

from archive import queries
from archive import search as fts
from archive.cli.formats import Output, output_options
from archive.cli.options import archive_errors, db_option
from archive.cli.output import render_thread
from archive.db import open_readonly
from archive.export import article_record


@click.command()
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
@output_options
@db_option
def query(
    sql: str,
    params: tuple[tuple[str, str], ...],
    timeout: float,
    max_memory_mb: int,
    output: Output,
    db_path: str,
) -> None:
    """Run a read-only SQL query against the archive.

    Anything but reading (INSERT, UPDATE, DELETE, CREATE, DROP, ATTACH, setting a
    PRAGMA…) is refused. A query that runs longer than --timeout, or needs more memory
    than --max-memory, is stopped with a one-line error.

    Rows print as a table (--format table, csv, json, jsonl), or with sqlite-utils'
    options, byte for byte as `sqlite-utils query` prints them: --json, --nl,
    --arrays, --json-cols, --csv, --tsv, --no-headers, -t/--table, --fmt.

    Example:

    \b
        newsarchive query "select headline, published_at from articles
            where section = :section order by published_at desc limit 5" \\
            --param section Politics --csv
    """
    with archive_errors(db_path):
        columns, rows = queries.run_readonly_query(
            db_path,
            sql,
            dict(params) if params else None,
            timeout=timeout or None,
            max_memory_mb=max_memory_mb or None,
        )
    output.emit(columns, rows)


@click.command()
@click.argument("terms", nargs=-1, required=True)
@click.option("--comments", is_flag=True, help="Search comments instead of articles.")
@click.option(
    "--quote",
    is_flag=True,
    help="Take the terms literally: every word must match; quotes and FTS operators are "
    "plain text (sqlite-utils search --quote).",
)
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@output_options
@db_option
def search(
    terms: tuple[str, ...], comments: bool, quote: bool, limit: int, output: Output, db_path: str
) -> None:
    """Full-text search of headlines and body text (or comments), best match first.

    TERMS are an SQLite FTS5 query, as in `sqlite-utils search`: words must all match;
    "a phrase" in quotes (quote it for the shell too), prefix*, OR, NOT, AND,
    NEAR(a b, 5), ( ) to group. Invalid syntax is a one-line error; --quote takes the
    terms literally instead.

    Example:

    \b
        newsarchive search city council budget --limit 5
        newsarchive search '"city council" budget*' --csv
        newsarchive search --comments --quote 'great "article"'
    """
    text = " ".join(terms)
    with archive_errors(db_path):
        db = open_readonly(db_path)
        try:
            if comments:
                found = fts.search_comments(db, text, limit, quote=quote)
                columns = ["article_url", "author", "published_at", "snippet"]
            else:
                found = fts.search_articles(db, text, limit, quote=quote)
                columns = ["published_at", "headline", "canonical_url", "snippet"]
        except fts.SearchSyntaxError as exc:
            raise click.ClickException(
                f"{exc} (FTS5 query syntax; --quote searches for the terms literally)"
            ) from exc
        finally:
            db.close()
    output.emit(columns, [tuple(row[c] for c in columns) for row in found])


JSON_HELP = "Print JSON instead (its keys: docs/export.md)."


@click.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@db_option
def show(url: str, as_json: bool, db_path: str) -> None:
    """Show one archived article and its comment thread (replies indented).

    URL may be the article's URL or canonical URL, tracking parameters and all. An
    article or comment that has gone from the site says when.

    --json prints the article as `export` writes it (the Article fields, first_seen_at,
    last_seen_at, removed_at), except that `comments` is the thread: the top-level
    comments, each with its `replies` (the same shape), in thread order.

    Example:

    \b
        newsarchive show https://example.com/2024/05/council-budget/
        newsarchive show --json https://example.com/2024/05/council-budget/
    """
    if as_json:
        with archive_errors(db_path):
            db = open_readonly(db_path)
            try:
                record = article_record(db, url)
            finally:
                db.close()
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    with archive_errors(db_path):
        db = open_readonly(db_path)
        try:
            article = queries.get_article(db, url)
            removed_at, removed_comments = queries.removals(db, article.canonical_url)
        finally:
            db.close()
    lines = [article.headline or "(no headline)"]
    if removed_at:
        lines.append(f"Removed:   {removed_at} (its URL answered 404 or 410)")
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
    lines += render_thread(article.comments, removed=removed_comments)
    click.echo("\n".join(lines))


def _titled(title: str | None, url: str) -> str:
    return f"{title} <{url}>" if title else url


@click.command()
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@db_option
def stats(as_json: bool, db_path: str) -> None:
    """Summarise the archive: counts, date range, top authors and sections, last crawl.

    --json prints one object: articles, comments, links, crawls (counts),
    first_published_at, last_published_at, top_authors and top_sections (lists of
    {"name", "articles"}, most first) and last_crawl (the `crawls` row, its JSON columns
    parsed; null before the first crawl).

    Example:

    \b
        newsarchive stats --db archive.db
        newsarchive stats --json | jq .articles
    """
    with archive_errors(db_path):
        db = open_readonly(db_path)
        try:
            summary = queries.stats(db)
        finally:
            db.close()
    if as_json:
        record = {
            **summary,
            **{
                key: [{"name": name, "articles": count} for name, count in summary[key]]
                for key in ("top_authors", "top_sections")
            },
        }
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
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


@click.command()
@click.argument("url")
@click.option("--json", "as_json", is_flag=True, help=JSON_HELP)
@db_option
def history(url: str, as_json: bool, db_path: str) -> None:
    """Show an article's versions, oldest first, each with a readable diff from the one
    before.

    --json prints one object: canonical_url, headline (the current one) and versions,
    oldest first, each {"number", "fetched_at", "replaced_at" (null for the current
    one), "current", "headline", "changed_fields", "chars_added", "chars_removed",
    "diff"} (the fields changed from the version before, and the readable diff as a list
    of lines; empty for the first version).

    Example:

    \b
        newsarchive history https://example.com/2024/05/council-budget/
        newsarchive history --json https://example.com/2024/05/council-budget/
    """
    from archive.revisions import article_versions, diff_rows, readable_diff

    with archive_errors(db_path):
        db = open_readonly(db_path)
        try:
            versions = article_versions(db, url)
        finally:
            db.close()
    if not versions:
        raise click.ClickException(f"no archived article with URL {url}")
    if as_json:
        entries = []
        for before, state in zip([None, *versions], versions, strict=False):
            summary = diff_rows(before.row, state.row) if before is not None else None
            entries.append(
                {
                    "number": state.number,
                    "fetched_at": state.fetched_at,
                    "replaced_at": state.replaced_at,
                    "current": state.current,
                    "headline": state.row.get("headline"),
                    "changed_fields": list(summary.changed_fields) if summary else [],
                    "chars_added": summary.chars_added if summary else 0,
                    "chars_removed": summary.chars_removed if summary else 0,
                    "diff": readable_diff(before.row, state.row) if before is not None else [],
                }
            )
        record = {
            "canonical_url": versions[-1].row["canonical_url"],
            "headline": versions[-1].row["headline"],
            "versions": entries,
        }
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
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
