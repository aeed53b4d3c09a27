"""sqlite-utils' output options for the row-printing commands (``query``, ``search``):
``--json``, ``--nl``, ``--arrays``, ``--json-cols``, ``--ascii``, ``--csv``, ``--tsv``,
``--no-headers``, ``-t/--table`` and ``--fmt``, printing byte for byte what
``sqlite-utils query`` prints for the same rows (tests/test_cli_formats.py checks it).

Without one of them a command prints as it always has: ``--format table|csv|json|jsonl``
(:func:`archive.cli.output.format_rows`), the table by default. Two output formats at
once, or a modifier without the format it modifies, is a usage error.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click
import tabulate
from click.core import ParameterSource

from archive.cli.options import FORMATS
from archive.cli.output import format_rows

F = TypeVar("F", bound=Callable[..., Any])

# The output options, in the order of the help text: (parameter name, flags, help).
_FLAGS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "json_",
        ("--json",),
        "Output JSON: a list of objects, one row a line (sqlite-utils' default).",
    ),
    ("nl", ("--nl",), "Output newline-delimited JSON: one object a line."),
    ("arrays", ("--arrays",), "Output rows as arrays instead of objects (JSON, --nl)."),
    ("json_cols", ("--json-cols",), "Output JSON text values (lists, objects) as JSON."),
    ("ascii_", ("--ascii",), "Escape non-ASCII characters in JSON output as \\uXXXX."),
    ("csv_", ("--csv",), "Output CSV."),
    ("tsv", ("--tsv",), "Output TSV."),
    ("no_headers", ("--no-headers",), "Omit headers from CSV, TSV and table output."),
    ("table", ("-t", "--table"), "Output as a formatted table (tabulate's 'simple')."),
)
_JSON_MODIFIERS = ("arrays", "json_cols", "ascii_")


@dataclass(frozen=True)
class Output:
    """How a command prints its rows: ``style`` is ``format`` (the ``--format`` option's
    ``legacy`` choice) or one of sqlite-utils' ``json``, ``nl``, ``csv``, ``tsv``,
    ``table`` with its modifiers."""

    style: str = "format"
    legacy: str = "table"
    arrays: bool = False
    json_cols: bool = False
    ascii: bool = False
    no_headers: bool = False
    tablefmt: str | None = None

    def render(self, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
        """``rows`` as text, ending with a newline."""
        if self.style == "format":
            return format_rows(columns, list(rows), self.legacy)
        if self.style in ("json", "nl"):
            lines = json_lines(
                columns, rows, nl=self.style == "nl", arrays=self.arrays,
                json_cols=self.json_cols, ascii=self.ascii,
            )  # fmt: skip
            return "".join(line + "\n" for line in lines)
        if self.style in ("csv", "tsv"):
            buffer = io.StringIO()
            writer = csv.writer(buffer, dialect="excel-tab" if self.style == "tsv" else "excel")
            if not self.no_headers:
                writer.writerow(columns)
            writer.writerows(rows)
            return buffer.getvalue()
        headers = () if self.no_headers else list(columns)
        return (
            tabulate.tabulate(list(rows), headers=headers, tablefmt=self.tablefmt or "simple")
            + "\n"
        )

    def emit(self, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        click.echo(self.render(columns, rows), nl=False)


def json_lines(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    nl: bool = False,
    arrays: bool = False,
    json_cols: bool = False,
    ascii: bool = False,
) -> Iterable[str]:
    """sqlite-utils' JSON (``output_rows``): ``[{…},`` then `` {…},`` a line, the last
    ending ``]``; ``[]`` for no rows (with ``nl`` too); one bare object a line with
    ``nl``. Later duplicate column names become ``name_2``, ``name_3``…; bytes become
    ``{"$base64": true, "encoded": …}``."""
    keys = dedupe_keys(columns)
    current, ahead = itertools.tee(rows, 2)
    next(ahead, None)
    first = True
    for row, following in itertools.zip_longest(current, ahead):
        last = following is None
        data: Any = [maybe_json(v) for v in row] if json_cols else row
        if not arrays:
            data = dict(zip(keys, data, strict=False))
        text = json.dumps(data, default=_json_binary, ensure_ascii=ascii)
        if nl:
            yield text
        else:
            yield ("[" if first else " ") + text + ("]" if last else ",")
        first = False
    if first:
        yield "[]"


def dedupe_keys(keys: Iterable[str]) -> list[str]:
    """``keys`` with later duplicates renamed ``key_2``, ``key_3``… (skipping a suffix
    that another key already has), as sqlite-utils names them."""
    keys = list(keys)
    taken = set(keys)
    seen: set[str] = set()
    result = []
    for key in keys:
        name, suffix = key, 2
        while name in seen or (name != key and name in taken):
            name = f"{key}_{suffix}"
            suffix += 1
        seen.add(name)
        result.append(name)
    return result


def maybe_json(value: Any) -> Any:
    """A text value that is a JSON object or list, parsed; anything else as it is."""
    if not isinstance(value, str):
        return value
    stripped = value.strip()
    if not stripped.startswith(("{", "[")):
        return value
    try:
        return json.loads(stripped)
    except ValueError:
        return value


def _json_binary(value: Any) -> Any:
    if isinstance(value, bytes):
        import base64

        return {"$base64": True, "encoded": base64.b64encode(value).decode("latin-1")}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def output_options(func: F) -> F:
    """Add ``--format`` and sqlite-utils' output options to a command; the command gets
    them as one ``output: Output`` argument."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = {name: kwargs.pop(name) for name, _, _ in _FLAGS}
        kwargs["output"] = _choose(kwargs.pop("fmt"), kwargs.pop("tablefmt"), flags)
        return func(*args, **kwargs)

    decorated: Any = wrapper
    options = [
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            default="table",
            show_default=True,
            help="Output format (or one of the sqlite-utils options below).",
        ),
        *(click.option(*names, name, is_flag=True, help=text) for name, names, text in _FLAGS),
        click.option(
            "--fmt",
            "tablefmt",
            type=click.Choice(tabulate.tabulate_formats),
            metavar="FORMAT",
            help="Table format, one of tabulate's: " + ", ".join(tabulate.tabulate_formats) + ".",
        ),
    ]
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def _choose(legacy: str, tablefmt: str | None, flags: dict[str, bool]) -> Output:
    ctx = click.get_current_context()
    styles = {
        "--format": ctx.get_parameter_source("fmt") != ParameterSource.DEFAULT,
        "--json": flags["json_"],
        "--nl": flags["nl"],
        "--csv": flags["csv_"],
        "--tsv": flags["tsv"],
        "-t/--fmt": flags["table"] or tablefmt is not None,
    }
    chosen = [name for name, given in styles.items() if given]
    if len(chosen) > 1:
        raise click.UsageError(f"choose one output format: {' and '.join(chosen)} given")
    json_modifiers = [f"--{n.strip('_').replace('_', '-')}" for n in _JSON_MODIFIERS if flags[n]]
    style = {
        "--json": "json",
        "--nl": "nl",
        "--csv": "csv",
        "--tsv": "tsv",
        "-t/--fmt": "table",
    }.get(chosen[0] if chosen else "", "json" if json_modifiers else "format")
    if json_modifiers and style not in ("json", "nl"):
        raise click.UsageError(f"{json_modifiers[0]} applies to JSON output (--json, --nl)")
    if flags["no_headers"] and style not in ("csv", "tsv", "table"):
        raise click.UsageError("--no-headers applies to --csv, --tsv and -t/--fmt output")
    return Output(
        style=style,
        legacy=legacy,
        arrays=flags["arrays"],
        json_cols=flags["json_cols"],
        ascii=flags["ascii_"],
        no_headers=flags["no_headers"],
        tablefmt=tablefmt,
    )
