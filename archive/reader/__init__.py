"""The archive's Datasette plugin: an article's row page as a reading page, compact
table cells, charts on the database page, and the archive's tables in a useful order
on the index. Datasette loads it through the ``datasette`` entry point in
pyproject.toml; its templates are in ``templates/``. It acts on databases that hold a
newsarchive ``articles`` table and leaves every other database as Datasette shows it."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from markupsafe import Markup, escape

from archive.reader.article_page import article_page, json_list
from archive.reader.charts import archive_charts

# The plugin's name: its entry point in pyproject.toml (its static files are served under it).
PLUGIN_NAME = "newsarchive"
# The index lists these first, in this order (the rest stay hidden or follow).
USEFUL_TABLES = ("articles", "comments", "article_versions", "links", "crawls", "captures")
# Columns holding JSON lists, shown as lists in table cells.
LIST_COLUMNS = {"authors", "tags", "categories", "changed_fields", "comment_page_urls"}
# Long text columns, shortened in table cells (the row page shows them whole).
LONG_COLUMNS = {"body_text", "body_html", "text", "description", "snapshot", "errors"}
CELL_CHARS = 140


async def _is_archive(datasette: Any, database: str | None) -> bool:
    """Whether ``database`` is a newsarchive archive (remembered once it is: an archive
    stays one)."""
    if not database:
        return False
    known: set[str] = datasette.__dict__.setdefault("_newsarchive_archives", set())
    if database in known:
        return True
    try:
        db = datasette.get_database(database)
    except KeyError:
        return False
    if await db.table_exists("articles") and await db.table_exists("comments"):
        known.add(database)
        return True
    return False


def article_path(datasette: Any, database: str, canonical_url: str) -> str:
    """The archive's page for an article (its Datasette row page)."""
    return datasette.urls.table(database, "articles") + "/" + tilde_encode(canonical_url)


@hookimpl
def extra_template_vars(
    template: str,
    database: str | None,
    table: str | None,
    view_name: str,
    request: Any,
    datasette: Any,
) -> Any:
    async def inner() -> dict[str, Any]:
        if view_name == "index":
            return {"newsarchive_index": await _index(datasette)}
        if not await _is_archive(datasette, database):
            return {}
        db = datasette.get_database(database)
        if view_name == "row" and table == "articles" and request is not None:
            key = urlsafe_components(request.url_vars["pks"])[0]
            page = await article_page(db, key)
            if page is None:
                return {}
            return {
                "newsarchive_article": page,
                "newsarchive_link": lambda url: article_path(datasette, database, url),
            }
        if view_name == "database":
            return {"newsarchive_charts": await archive_charts(db)}
        return {}

    return inner


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str | None, database: str | None, datasette: Any
) -> Any:
    if table not in USEFUL_TABLES or not isinstance(value, str):
        return None

    async def inner() -> Any:
        if not await _is_archive(datasette, database):
            return None
        return _cell(value, column)

    return inner


def _cell(value: str, column: str) -> Any:
    """A cell of one of the archive's tables, shortened or shown as a list; None leaves
    it to Datasette."""
    if column in LIST_COLUMNS:
        items = json_list(value)
        if not items and value != "[]":
            return None
        return Markup(", ".join(str(escape(str(i))) for i in items))
    if column == "sources" and value.startswith("{"):
        return _sources_summary(value)
    if column == "images":
        items = json_list(value)
        return Markup(f"{len(items)} image{'s' if len(items) != 1 else ''}")
    if column in LONG_COLUMNS and len(value) > CELL_CHARS:
        text = _strip_markup(value) if column == "body_html" else value
        short = " ".join(text[:CELL_CHARS].split())
        return Markup(
            f'<span class="newsarchive-short" title="{len(value):,} characters">'
            f"{escape(short)}…</span>"
        )
    return None


def _sources_summary(value: str) -> Any:
    """``{"headline": "jsonld", ...}`` as "jsonld 5, cms 3": which source filled how many
    fields (the row page shows the whole object)."""
    try:
        sources = json.loads(value)
    except ValueError:
        return None
    if not isinstance(sources, dict):
        return None
    counts = Counter(str(v) for v in sources.values())
    text = ", ".join(f"{name} {n}" for name, n in counts.most_common())
    return Markup(f'<span class="newsarchive-short" title="{escape(value)}">{escape(text)}</span>')


def _strip_markup(html_text: str) -> str:
    import lxml.html

    try:
        return lxml.html.fromstring(html_text).text_content()
    except (ValueError, lxml.etree.ParserError):
        return html_text


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    return [datasette.urls.static_plugins(PLUGIN_NAME, "newsarchive.css")]


async def _index(datasette: Any) -> dict[str, list[dict[str, Any]]]:
    """For each archive Datasette serves: its useful tables in order, with row counts
    where Datasette can count them in its time limit (None otherwise)."""
    out = {}
    for name, db in datasette.databases.items():
        if not await _is_archive(datasette, name):
            continue
        present = set(await db.table_names())
        counts = await db.table_counts(limit=50)
        out[name] = [{"name": t, "count": counts.get(t)} for t in USEFUL_TABLES if t in present]
    return out
