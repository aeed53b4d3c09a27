"""Bad input to the ``newsarchive`` CLI: one clear line (exit status non-zero, no
traceback) and nothing lost; limits of ``query``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner, Result

from archive.cli import cli

ENDLESS = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) SELECT count(*) FROM c"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: {message}\n"
    assert isinstance(result.exception, SystemExit)  # a ClickException, not a traceback


def newsarchive(
    *args: str, cwd: Path | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """The CLI in its own process (a hang fails the test instead of the run)."""
    return subprocess.run(
        [sys.executable, "-m", "archive.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


# -- query: time and memory limits --------------------------------------------------------


def test_query_endless_recursion_stops_at_the_timeout(filled_archive):
    result = newsarchive("query", ENDLESS, "--timeout", "1", "--db", str(filled_archive))
    assert result.returncode == 1
    assert result.stderr == "Error: query exceeded 1 s (--timeout) and was stopped\n"
    assert result.stdout == ""


def test_query_timeout_is_in_help_with_its_default():
    result = run("query", "--help")
    assert "--timeout SECONDS" in result.output
    assert "[default: 30" in result.output
    assert "--max-memory MB" in result.output
    assert "SQLITE_LIMIT_LENGTH" in result.output


def test_query_value_over_the_memory_cap_is_stopped(filled_archive):
    sql = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 5000000) "
        "SELECT length(group_concat(x)) FROM c"
    )
    result = run("query", sql, "--max-memory", "16", "--db", str(filled_archive))
    assert_one_line_error(
        result, "query exceeded the memory cap of 16 MB (--max-memory) and was stopped"
    )
    # The cap is the query's connection's: nothing process-wide is left behind.
    assert sqlite3.connect(":memory:").execute("PRAGMA hard_heap_limit").fetchone() == (0,)
    ok = run(
        "query", "SELECT count(*) FROM articles", "--format", "csv", "--db", str(filled_archive)
    )
    assert ok.output == "count(*)\n3\n"


def test_query_rows_held_over_the_memory_cap_are_stopped(filled_archive):
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 2000000) SELECT x FROM c"
    result = run("query", sql, "--max-memory", "8", "--db", str(filled_archive))
    assert_one_line_error(
        result, "query exceeded the memory cap of 8 MB (--max-memory) and was stopped"
    )


def test_query_limits_off_with_zero(filled_archive):
    sql = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000) SELECT sum(x) FROM c"
    result = run(
        "query", sql, "--timeout", "0", "--max-memory", "0", "--format", "csv",
        "--db", str(filled_archive),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "500500"


def test_query_large_sort_spills_to_disk_under_the_memory_cap(filled_archive):
    sql = (
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c LIMIT 1000000) "
        "SELECT count(*) FROM (SELECT DISTINCT x FROM c ORDER BY random())"
    )
    result = run("query", sql, "--max-memory", "8", "--format", "csv", "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == "1000000"
