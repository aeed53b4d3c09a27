"""How the commands print: rows as a table, CSV, JSON or JSON lines; a comment thread
as indented text; any value as one short line."""

from __future__ import annotations

import base64
import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

import click
from tabulate import tabulate

from archive import queries
from scraper.items import Comment


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


def render_thread(
    comments: Sequence[Comment], indent: str = "    ", removed: Mapping[str, str] | None = None
) -> list[str]:
    """The comment thread as text: each comment's author and date, then its text, each
    reply indented one step under its parent; a comment in ``removed`` (id -> when it
    left its page) says so."""
    lines: list[str] = []
    for depth, comment in queries.thread_tree(comments):
        pad = indent * (depth - 1)
        when = comment.published_at or comment.published_at_raw
        gone = (removed or {}).get(comment.comment_id)
        lines.append("")
        lines.append(
            f"{pad}{comment.author or 'anonymous'}"
            + (f" — {when}" if when else "")
            + (f" [removed {gone}]" if gone else "")
        )
        lines += [f"{pad}  {line}" if line else "" for line in comment.text.splitlines()]
    return lines


def short(value: Any, width: int = 100) -> str:
    """One line of at most ``width`` characters; lists as their items (images as URLs,
    comments as a count)."""
    if isinstance(value, list):
        if value and isinstance(value[0], Comment):
            value = f"{len(value)} comments"
        else:
            value = "; ".join(getattr(v, "url", None) or str(v) for v in value)
    text = "" if value is None else " ".join(str(value).split())
    return text if len(text) <= width else f"{text[: width - 1]}… ({len(text)} chars)"
