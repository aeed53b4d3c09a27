"""The reading commands: ``query`` (read-only SQL), ``search`` (full text), ``show`` (one
article and its thread), ``stats`` and ``history`` (an article's versions)."""

from __future__ import annotations

import click

from archive import queries
from archive.cli.options import archive_errors, db_option, format_option
from archive.cli.output import emit_rows, render_thread
from archive.db import open_readonly


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
    with archive_errors(db_path):
        columns, rows = queries.run_readonly_query(
            db_path,
            sql,
            dict(params) if params else None,
            timeout=timeout or None,
            max_memory_mb=max_memory_mb or None,
        )
    emit_rows(columns, rows, fmt)


@click.command()
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
    with archive_errors(db_path):
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


@click.command()
@click.argument("url")
@db_option
def show(url: str, db_path: str) -> None:
    """Show one archived article and its comment thread (replies indented).

    URL may be the article's URL or canonical URL, tracking parameters and all. An
    article or comment that has gone from the site says when.

    Example:

    \b
        newsarchive show https://example.com/2024/05/council-budget/
    """
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
@db_option
def stats(db_path: str) -> None:
    """Summarise the archive: counts, date range, top authors and sections, last crawl.

    Example:

    \b
        newsarchive stats --db archive.db
    """
    with archive_errors(db_path):
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


@click.command()
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

    with archive_errors(db_path):
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
