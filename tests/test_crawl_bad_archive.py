"""``scrapy crawl … -s ARCHIVE_DB=PATH`` where PATH is not an archive (a text file,
another program's SQLite database, a folder that cannot exist) exits 1 with one line
naming it, before any request, and leaves the file as it was."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path

import pytest

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env


def _other_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("create table recipes (name text)")
        conn.execute("insert into recipes values ('soup')")
    conn.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_text("meeting notes\n", "utf-8"), "not a newsarchive archive"),
        (_other_sqlite, "not a newsarchive archive"),
        (None, "cannot lock"),
    ],
    ids=["text file", "other sqlite", "impossible folder"],
)
def test_a_bad_archive_db_is_refused_in_one_line(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    if make is None:
        (tmp_path / "file").write_text("x", "utf-8")
        db = tmp_path / "file" / "archive.db"  # a folder under a file
    else:
        db = tmp_path / "archive.db"
        make(db)
    before = db.read_bytes() if db.exists() else None
    result = subprocess.run(
        crawl_command("http://127.0.0.1:9/", db, {}, LOCAL_SETTINGS),
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if " ERROR: " in line]
    assert len(errors) == 1 and message in errors[0] and str(db) in errors[0], errors
    assert "Crawled" not in result.stderr  # no request was made
    assert (db.read_bytes() if db.exists() else None) == before
