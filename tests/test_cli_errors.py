"""Bad input to the ``newsarchive`` CLI: one clear line (exit status non-zero, no
traceback) and nothing lost; limits of ``query``."""

from __future__ import annotations

import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
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


# -- read-only and immutable archives; refusals named right --------------------------------


@contextmanager
def unwritable(archive: Path, how: str) -> Iterator[None]:
    """``archive`` and its directory made unwritable: ``chmod`` (file 444 in a 555
    directory) or ``chattr +i`` (immutable: not even root writes, needs root)."""
    folder = archive.parent
    if how == "chattr":
        if os.geteuid() != 0 or shutil.which("chattr") is None:
            pytest.skip("chattr +i needs root")
        done = subprocess.run(["chattr", "+i", str(archive), str(folder)], check=False)
        if done.returncode != 0:
            pytest.skip("this filesystem has no immutable attribute")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(archive), str(folder)], check=True)
    else:
        archive.chmod(0o444)
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)
            archive.chmod(0o644)


@pytest.mark.parametrize("how", ["chmod", "chattr"])
def test_unwritable_archive_is_read_by_every_read_command(filled_archive, tmp_path, how):
    folder = tmp_path / "shelf"
    folder.mkdir()
    archive = folder / "archive.db"
    shutil.copyfile(filled_archive, archive)  # closed cleanly: no -wal or -shm beside it
    db = str(archive)
    with unwritable(archive, how):
        counted = run("query", "SELECT count(*) FROM articles", "--format", "csv", "--db", db)
        assert counted.exit_code == 0, counted.output
        assert counted.output == "count(*)\n3\n"
        for args in (["stats"], ["search", "budget"], ["export"],
                     ["show", "https://news.example.org/2024/05/council-budget/"],
                     ["history", "https://news.example.org/2024/05/council-budget/"]):  # fmt: skip
            result = run(*args, "--db", db)
            assert result.exit_code == 0, (args, result.output)
            assert "not a newsarchive archive" not in result.output
        assert "Council approves budget" in run("search", "budget", "--db", db).output
        refused = run("query", "DELETE FROM articles", "--db", db)
        assert_one_line_error(refused, "query is read-only: DELETE is not allowed")
        if how == "chattr" or not os.access(folder, os.W_OK):  # root ignores chmod
            assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("VACUUM", "VACUUM (it rewrites the database file)"),
        ("  /* tidy */ vacuum main", "VACUUM (it rewrites the database file)"),
        ("VACUUM INTO 'copy.db'", "VACUUM INTO (it writes a copy of the database to a file)"),
        ("ATTACH DATABASE 'x.db' AS x", "ATTACH"),
        ("DETACH x", "DETACH"),
        ("REINDEX", "REINDEX"),
        ("ANALYZE", "ANALYZE"),
        ("BEGIN", "BEGIN"),
        ("SAVEPOINT s", "SAVEPOINT"),
        ("REPLACE INTO links VALUES (1, 2, 3, 4, 5)", "INSERT"),
        ("ALTER TABLE articles ADD COLUMN z", "ALTER TABLE"),
        ("CREATE TEMP TABLE t (x)", "CREATE TEMP TABLE"),
        ("CREATE VIRTUAL TABLE v USING fts5(x)", "CREATE VTABLE"),
        ("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')", "INSERT"),
        ("PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint"),
        ("PRAGMA journal_mode = delete", "PRAGMA journal_mode = delete"),
    ],
)
def test_query_refusal_names_the_statement(filled_archive, tmp_path, sql, refused):
    result = run("query", sql, "--db", str(filled_archive))
    assert_one_line_error(result, f"query is read-only: {refused} is not allowed")
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize("sql", ["", "   ", "\n\t", "-- nothing\n", "/* nothing */"])
def test_query_with_no_statement_is_an_error(filled_archive, sql):
    result = run("query", "--db", str(filled_archive), "--", sql)
    assert_one_line_error(result, "query is empty: give one SQL statement")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, process: subprocess.Popen[str], timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}: {process.stderr}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"serve did not answer at {url}")


def test_serve_reads_an_immutable_archive(filled_archive, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    archive = folder / "news.db"
    shutil.copyfile(filled_archive, archive)
    port = _free_port()
    with unwritable(archive, "chattr"):
        process = subprocess.Popen(
            [sys.executable, "-m", "archive.cli", "serve", "--db", str(archive),
             "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        try:
            rows = _get_json(
                f"http://127.0.0.1:{port}/news.json?sql=select+count(*)+as+n+from+articles"
                "&_shape=array",
                process,
            )
        finally:
            process.terminate()
            process.communicate(timeout=10)
    assert rows == [{"n": 3}]


# -- bad paths and arguments: one line, nothing lost ---------------------------------------


@pytest.mark.parametrize("fmt", ["jsonl", "warc"])
def test_export_to_a_missing_folder_is_one_line(filled_archive, tmp_path, fmt):
    target = tmp_path / "missing" / "dir" / f"x.{fmt}"
    result = run("export", "--format", fmt, "-o", str(target), "--db", str(filled_archive))
    assert_one_line_error(result, f"cannot write {target}: no folder {target.parent}")
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("fmt", ["jsonl", "warc"])
def test_export_under_a_file_is_one_line(filled_archive, tmp_path, fmt):
    (tmp_path / "notes.txt").write_text("mine\n", "utf-8")
    target = tmp_path / "notes.txt" / "x.out"
    result = run("export", "--format", fmt, "-o", str(target), "--db", str(filled_archive))
    assert_one_line_error(result, f"cannot write {target}: {target.parent} is not a folder")
    assert (tmp_path / "notes.txt").read_text("utf-8") == "mine\n"


def test_failed_export_leaves_the_existing_file(tmp_path):
    out = tmp_path / "articles.jsonl"
    out.write_text("last week's export\n", "utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes\n", "utf-8")
    result = run("export", "-o", str(out), "--db", str(notes))
    assert_one_line_error(result, f"not a newsarchive archive: {notes} (file is not a database)")
    assert out.read_text("utf-8") == "last week's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["articles.jsonl", "notes.txt"]


def test_export_replaces_the_file_whole(filled_archive, tmp_path):
    out = tmp_path / "articles.jsonl"
    out.write_text("x" * 100_000, "utf-8")
    result = run("export", "-o", str(out), "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    lines = out.read_text("utf-8").splitlines()
    assert [json.loads(line)["headline"][:6] for line in lines] == ["Spring", "Counci", "Rivers"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_demo_into_a_text_file_is_one_line_and_starts_nothing(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes\n", "utf-8")
    result = newsarchive("demo", "--db", str(notes), "--port", "0", timeout=60)
    assert result.returncode == 1
    assert result.stderr == f"Error: not a newsarchive archive: {notes} (file is not a database)\n"
    assert result.stdout == ""  # no site served, no crawl started
    assert notes.read_text("utf-8") == "meeting notes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


@pytest.mark.parametrize("since", ["garbage", "2024-13-01", "yesterday", "2024-05-01T25:00"])
def test_reparse_since_garbage_is_refused_before_anything_runs(filled_archive, since):
    before = filled_archive.read_bytes()
    result = run("reparse", "--since", since, "--db", str(filled_archive))
    assert result.exit_code == 2, result.output  # a usage error, at parse time
    last = result.output.splitlines()[-1]
    assert last == (
        f"Error: Invalid value for '--since': {since!r} is not a date or time; give "
        "YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with an optional Z or +HH:MM offset"
    )
    assert "Re-extracted" not in result.output
    assert filled_archive.read_bytes() == before


@pytest.mark.parametrize(
    ("since", "stored_as"),
    [
        ("2024-05-01", "2024-05-01"),
        ("2024-05-01T10:00", "2024-05-01T10:00:00+00:00"),
        ("2024-05-01T10:00:30Z", "2024-05-01T10:00:30+00:00"),
        ("2024-05-01T10:00+02:00", "2024-05-01T08:00:00+00:00"),
    ],
)
def test_reparse_since_is_compared_as_the_archive_stores_times(since, stored_as):
    from archive.cli.commands.reparse import SinceDate

    assert SinceDate().convert(since, None, None) == stored_as


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (bytes(range(256)) * 8, "is binary data"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "is binary data"),
        (b'{"headline": "<b>not a page</b>", "items": [1, 2]}', "is JSON"),
        (b"[1, 2, 3]\n", "is JSON"),
        (b"", "is empty"),
        (b" \n\t\n", "is empty"),
        (b"just a line of text\n", "has no HTML markup"),
    ],
    ids=["binary", "png", "json", "json list", "empty", "blank", "plain text"],
)
def test_extract_of_a_file_that_is_not_html_is_one_line(tmp_path, content, reason):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    result = run("extract", str(page))
    assert_one_line_error(result, f"not an HTML page: {page} {reason}")


@pytest.mark.parametrize(
    "content",
    [b"<p>One paragraph.</p>", "\ufeff<p>Café</p>".encode(), "<p>Café</p>".encode("utf-16")],
    ids=["fragment", "utf-8 bom", "utf-16"],
)
def test_extract_still_reads_small_html_files(tmp_path, content):
    page = tmp_path / "page.html"
    page.write_bytes(content)
    result = run("extract", str(page))
    assert result.exit_code == 0, result.output


# -- SQLite's errors told apart -------------------------------------------------------------


def test_damaged_archive_is_named_damaged(filled_archive, tmp_path):
    damaged = tmp_path / "damaged.db"
    data = bytearray(filled_archive.read_bytes())
    data[100:] = b"A" * (len(data) - 100)  # the header kept, every page overwritten
    damaged.write_bytes(bytes(data))
    for args in (["stats"], ["export"], ["query", "SELECT 1"]):
        result = run(*args, "--db", str(damaged))
        assert_one_line_error(
            result, f"archive is damaged: {damaged} (database disk image is malformed)"
        )


def test_locked_archive_is_named_locked(filled_archive, monkeypatch):
    import archive.db

    monkeypatch.setattr(archive.db, "BUSY_TIMEOUT_MS", 200)
    holder = sqlite3.connect(filled_archive, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("CREATE TABLE held (x)")
        result = run("stats", "--db", str(filled_archive))
        assert_one_line_error(
            result,
            f"archive is locked: {filled_archive} (another connection held it for 0.2 s; "
            "try again when it is done)",
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run("stats", "--db", str(filled_archive)).exit_code == 0


def test_writing_an_unwritable_archive_says_so(filled_archive, tmp_path):
    from archive.db import ArchiveError, open_archive

    folder = tmp_path / "shelf"
    folder.mkdir()
    archive = folder / "archive.db"
    shutil.copyfile(filled_archive, archive)
    with unwritable(archive, "chattr"):
        with pytest.raises(ArchiveError) as raised:
            open_archive(archive)
        assert str(raised.value).startswith(f"cannot write archive: {archive} (")
        assert "not a newsarchive archive" not in str(raised.value)
        assert run("stats", "--db", str(archive)).exit_code == 0


def test_archive_under_a_file_is_one_line(tmp_path):
    from archive.db import ArchiveError, open_archive

    (tmp_path / "notes.txt").write_text("x", "utf-8")
    with pytest.raises(ArchiveError, match=r"notes\.txt is not a folder"):
        open_archive(tmp_path / "notes.txt" / "archive.db")


# -- serve: the archive and the port checked before "Serving …" -----------------------------


def test_serve_of_a_missing_or_foreign_archive_is_one_line(tmp_path):
    missing = tmp_path / "none.db"
    assert_one_line_error(run("serve", "--db", str(missing)), f"archive not found: {missing}")
    notes = tmp_path / "notes.txt"
    notes.write_text("meeting notes\n", "utf-8")
    assert_one_line_error(
        run("serve", "--db", str(notes)),
        f"not a newsarchive archive: {notes} (file is not a database)",
    )


def test_serve_on_a_port_in_use_is_one_line(filled_archive):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--db", str(filled_archive), "--port", str(port))
    assert_one_line_error(
        result,
        f"cannot serve on 127.0.0.1:{port}: port {port} is in use (give another with --port)",
    )


def test_serve_on_an_address_not_of_this_machine_is_one_line(filled_archive):
    result = run("serve", "--db", str(filled_archive), "--host", "192.0.2.1", "--port", "8001")
    assert_one_line_error(
        result, "cannot serve on 192.0.2.1:8001: 192.0.2.1 is not an address of this machine"
    )


def test_serve_on_port_zero_says_the_port_it_serves_on(filled_archive):
    process = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "serve", "--db", str(filled_archive),
         "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        prefix = f"Serving {filled_archive} read-only at http://127.0.0.1:"
        assert line.startswith(prefix) and line.endswith("/archive\n"), line
        port = int(line[len(prefix) :].split("/")[0])
        assert port > 0
        rows = _get_json(
            f"http://127.0.0.1:{port}/archive.json?sql=select+count(*)+as+n+from+articles"
            "&_shape=array",
            process,
        )
    finally:
        process.terminate()
        process.communicate(timeout=10)
    assert rows == [{"n": 3}]


def test_reparse_of_an_unwritable_archive_is_one_line(filled_archive, tmp_path):
    folder = tmp_path / "shelf"
    folder.mkdir()
    archive = folder / "archive.db"
    shutil.copyfile(filled_archive, archive)
    before = archive.read_bytes()
    with unwritable(archive, "chattr"):
        result = run("reparse", "--db", str(archive))
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)
        assert result.output.startswith(f"Error: cannot write archive: {archive} (")
        assert result.output.count("\n") == 1
    assert archive.read_bytes() == before
    assert sorted(p.name for p in folder.iterdir()) == ["archive.db"]
