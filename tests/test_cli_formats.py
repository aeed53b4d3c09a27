"""sqlite-utils' output options on ``query`` and ``search``, checked against the installed
``sqlite-utils`` itself: the same SQL on the same crawled demo archive prints the same
bytes; ``search`` reads FTS5 syntax as ``sqlite-utils search`` does (``--quote``: literally)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlite_utils.cli import cli as sqlite_utils_cli

from archive.cli import cli
from scraper.demosite.server import DemoServer
from tests.demo_archive import crawl, small_site

SQLITE_UTILS = str(Path(sys.executable).with_name("sqlite-utils"))
ARTICLES = (
    "select canonical_url, headline, authors, published_at, section "
    "from articles order by canonical_url limit 4"
)
# Non-ASCII text, JSON text columns, NULLs, numbers and floats, duplicate column names.
SQLS = {
    "articles": ARTICLES,
    "comments": "select comment_id, author, text, position from comments "
    "order by article_url, position limit 6",
    "empty": "select canonical_url, headline from articles where 0",
    "duplicates": "select a.canonical_url, a.headline, c.author, c.author, "
    "a.headline as headline_2, 1.5 as x, null as x from articles a "
    "join comments c on c.article_url = a.canonical_url order by c.rowid limit 3",
    "unicode": "select 'Zürich — “quoted”, a,b' as text, 'line\nbreak' as multi, 2 as n",
}
FLAGS = [
    ["--json"],
    ["--nl"],
    ["--arrays"],
    ["--nl", "--arrays"],
    ["--json-cols"],
    ["--json", "--json-cols", "--arrays"],
    ["--json", "--ascii"],
    ["--csv"],
    ["--tsv"],
    ["--csv", "--no-headers"],
    ["--tsv", "--no-headers"],
    ["-t"],
    ["--table", "--no-headers"],
    ["--fmt", "github"],
    ["-t", "--fmt", "grid"],
]


def theirs_flags(flags: list[str]) -> list[str]:
    """sqlite-utils prints JSON without an output flag (it has no --json); ours prints a
    table, so --json there."""
    return [flag for flag in flags if flag != "--json"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def reference(*args: str) -> bytes:
    """What the installed sqlite-utils prints (its click command, run in this process:
    the same code as the ``sqlite-utils`` script, much faster than a process a call)."""
    result = CliRunner().invoke(sqlite_utils_cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_the_reference_in_process_is_the_sqlite_utils_script(db: Path) -> None:
    for flags in (["--csv"], ["-t"], []):
        done = subprocess.run(
            [SQLITE_UTILS, "query", str(db), ARTICLES, *flags], capture_output=True, check=True
        )
        assert done.stdout == reference("query", str(db), ARTICLES, *flags)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("formats") / "archive.db"
    with DemoServer(small_site()) as server:
        crawl(server, path)
    return path


@pytest.mark.parametrize("flags", FLAGS, ids=" ".join)
@pytest.mark.parametrize("name", SQLS)
def test_query_prints_what_sqlite_utils_prints(db: Path, name: str, flags: list[str]) -> None:
    ours = run("query", SQLS[name], *flags, "--db", str(db))
    assert ours.exit_code == 0, ours.output
    theirs = reference("query", str(db), SQLS[name], *theirs_flags(flags))
    assert ours.stdout_bytes == theirs


def test_the_reference_rows_are_interesting(db: Path) -> None:
    """The archive has what the comparisons need: several rows, JSON lists, NULLs."""
    rows = json.loads(run("query", ARTICLES, "--json", "--db", str(db)).output)
    assert len(rows) == 4
    assert all(json.loads(row["authors"]) for row in rows)
    nulls = run("query", SQLS["duplicates"], "--nl", "--db", str(db)).output.splitlines()
    assert list(json.loads(nulls[0])) == [
        "canonical_url", "headline", "author", "author_2", "headline_2", "x", "x_2"
    ]  # fmt: skip


def test_format_keeps_its_output(db: Path) -> None:
    """--format is unchanged: pretty JSON, CSV with \\n line ends, the table by default."""
    pretty = run("query", ARTICLES, "--format", "json", "--db", str(db)).output
    assert pretty.startswith('[\n  {\n    "canonical_url": ')
    csv_text = run("query", ARTICLES, "--format", "csv", "--db", str(db)).stdout_bytes
    assert b"\r\n" not in csv_text
    assert csv_text.startswith(b"canonical_url,headline,authors,published_at,section\n")
    table = run("query", ARTICLES, "--db", str(db)).output
    assert table == run("query", ARTICLES, "--format", "table", "--db", str(db)).output
    assert table.splitlines()[0].split() == [
        "canonical_url", "headline", "authors", "published_at", "section"
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--json", "--csv"], "choose one output format: --json and --csv given"),
        (["--format", "csv", "--nl"], "choose one output format: --format and --nl given"),
        (["--tsv", "-t"], "choose one output format: --tsv and -t/--fmt given"),
        (["--csv", "--fmt", "github"], "choose one output format: --csv and -t/--fmt given"),
        (["--csv", "--arrays"], "--arrays applies to JSON output (--json, --nl)"),
        (["-t", "--json-cols"], "--json-cols applies to JSON output (--json, --nl)"),
        (["--json", "--no-headers"], "--no-headers applies to --csv, --tsv and -t/--fmt output"),
    ],
)
def test_two_output_formats_are_a_usage_error(db: Path, flags: list[str], message: str) -> None:
    result = run("query", "select 1", *flags, "--db", str(db))
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == f"Error: {message}"


def test_unknown_table_format_is_a_usage_error(db: Path) -> None:
    result = run("query", "select 1", "--fmt", "nope", "--db", str(db))
    assert result.exit_code == 2
    assert "'nope' is not one of" in result.output


def _our_urls(db: Path, *terms: str) -> list[str]:
    result = run("search", *terms, "--limit", "50", "--json", "--db", str(db))
    assert result.exit_code == 0, result.output
    return [hit["canonical_url"] for hit in json.loads(result.output)]


def _their_urls(db: Path, query: str, *flags: str) -> list[str]:
    out = reference(
        "search", str(db), "articles", query, "-c", "canonical_url", "--limit", "50", *flags
    )
    return [row["canonical_url"] for row in json.loads(out)]


def _words(db: Path) -> tuple[str, str]:
    """Two words of the first article's headline that do not match every article."""
    rows = json.loads(
        run("query", "select headline from articles", "--json", "--db", str(db)).output
    )
    headline_words = [w.strip(".,:;!?'\"").lower() for w in rows[0]["headline"].split()]
    everywhere = {w for w in headline_words if all(w in r["headline"].lower() for r in rows)}
    words = [w for w in headline_words if len(w) > 3 and w.isalpha() and w not in everywhere]
    return words[0], words[1]


def test_search_reads_fts5_syntax_as_sqlite_utils_does(db: Path) -> None:
    first, second = _words(db)
    queries = [
        first,
        f'"{first} {second}"',
        f"{first[:3]}*",
        f"{first} OR {second}",
        f"{first} NOT {second}",
        f"{first} AND {second}",
        f"NEAR({first} {second}, 3)",
        f"({first} OR {second}) NOT {second}",
    ]
    for query in queries:
        ours = _our_urls(db, query)
        assert ours == _their_urls(db, query), query
        assert ours or query.endswith(f"NOT {second}"), f"{query} matched nothing"
    assert len(_our_urls(db, f"{first} OR {second}")) > len(_our_urls(db, first))


def test_search_quote_takes_the_terms_literally(db: Path) -> None:
    first, second = _words(db)
    for query in (f"{first} OR", f'"{first}', f"NEAR({first}", f"{first} {second}"):
        assert _our_urls(db, "--quote", query) == _their_urls(db, query, "--quote"), query
    assert _our_urls(db, "--quote", f"{first} {second}")


@pytest.mark.parametrize("query", ['"unclosed', "word AND", "NEAR(", "nope:word", "*x"])
def test_search_syntax_error_is_one_line_suggesting_quote(db: Path, query: str) -> None:
    result = run("search", query, "--db", str(db))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1
    assert result.output.startswith("Error: search failed: ")
    assert result.output.endswith("(FTS5 query syntax; --quote searches for the terms literally)\n")
    assert run("search", "--quote", query, "--db", str(db)).exit_code == 0


@pytest.mark.parametrize(
    "flags", [["--json"], ["--nl"], ["--csv"], ["--tsv"], ["-t"]], ids=" ".join
)
def test_search_rows_in_sqlite_utils_formats(db: Path, flags: list[str]) -> None:
    """The search's rows print as query prints the same rows."""
    first, _ = _words(db)
    hits = json.loads(run("search", first, "--json", "--db", str(db)).output)
    assert hits and set(hits[0]) == {"published_at", "headline", "canonical_url", "snippet"}
    ours = run("search", first, *flags, "--db", str(db))
    assert ours.exit_code == 0, ours.output
    values = " union all ".join(
        "select " + ", ".join(f"{_literal(v)} as {k}" for k, v in hit.items()) for hit in hits
    )
    theirs = reference("query", str(db), values, *theirs_flags(flags))
    assert ours.stdout_bytes == theirs


def _literal(value: object) -> str:
    if value is None:
        return "null"
    return "'" + str(value).replace("'", "''") + "'"
