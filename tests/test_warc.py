"""``newsarchive export --format warc``: WARC 1.1, read back with warcio, every digest
checked; unchanged re-fetches are revisit records."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.cli import cli
from archive.warc import payload_digest, warc_date
from scraper.demosite.server import DemoServer
from tests.demo_archive import crawl, small_site


@pytest.fixture(scope="module")
def warc_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("warc")
    db = tmp / "archive.db"
    with DemoServer(small_site()) as server:
        crawl(server, db)
        crawl(server, db)
    out = tmp / "archive.warc.gz"
    result = CliRunner().invoke(
        cli, ["export", "--format", "warc", "-o", str(out), "--db", str(db)]
    )
    assert result.exit_code == 0, result.output
    return db, out


def _records(path: Path) -> list[tuple[object, bytes]]:
    records = []
    with open(path, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            payload = record.content_stream().read()
            records.append((record, payload))
    return records


def test_every_record_is_warc_1_1_with_a_checked_digest(warc_file: tuple[Path, Path]) -> None:
    db, out = warc_file
    records = _records(out)
    conn = sqlite3.connect(db)
    captures, bodies = conn.execute(
        "select count(*), count(distinct digest) from captures"
    ).fetchone()
    conn.close()
    kinds = [r.rec_type for r, _ in records]  # type: ignore[attr-defined]
    assert kinds[0] == "warcinfo"
    assert kinds.count("response") == bodies
    assert kinds.count("revisit") == captures - bodies > 0
    responses: dict[str, tuple[str, str]] = {}
    for record, payload in records:
        headers = record.rec_headers  # type: ignore[attr-defined]
        assert headers.protocol == "WARC/1.1"
        if record.rec_type == "response":  # type: ignore[attr-defined]
            # warcio recomputed block and payload digests while reading: both match.
            assert record.digest_checker.passed is True, record.digest_checker.problems  # type: ignore[attr-defined]
            assert headers.get_header("WARC-Payload-Digest") == payload_digest(payload)
            responses[headers.get_header("WARC-Payload-Digest")] = (
                headers.get_header("WARC-Target-URI"),
                headers.get_header("WARC-Date"),
            )
    for record, _ in records:
        headers = record.rec_headers  # type: ignore[attr-defined]
        if record.rec_type == "revisit":  # type: ignore[attr-defined]
            # A revisit names the earlier response with the same payload digest.
            target = responses[headers.get_header("WARC-Payload-Digest")]
            assert (
                headers.get_header("WARC-Refers-To-Target-URI"),
                headers.get_header("WARC-Refers-To-Date"),
            ) == target
            assert "identical-payload-digest" in headers.get_header("WARC-Profile")


def test_responses_carry_the_stored_status_headers_and_body(warc_file: tuple[Path, Path]) -> None:
    db, out = warc_file
    conn = sqlite3.connect(db)
    first = conn.execute(
        "select url, status, fetched_at from captures where kind = 'article' order by id limit 1"
    ).fetchone()
    conn.close()
    record, payload = next(
        (r, p)
        for r, p in _records(out)
        if r.rec_type == "response"  # type: ignore[attr-defined]
        and r.rec_headers.get_header("WARC-Target-URI") == first[0]  # type: ignore[attr-defined]
    )
    assert record.http_headers.get_statuscode() == str(first[1])  # type: ignore[attr-defined]
    assert record.rec_headers.get_header("WARC-Date") == warc_date(first[2])  # type: ignore[attr-defined]
    assert b"<html" in payload[:500].lower()
    assert record.http_headers.get_header("Content-Length") == str(len(payload))  # type: ignore[attr-defined]


def test_warcio_check_passes(warc_file: tuple[Path, Path]) -> None:
    from warcio.checker import Checker

    args = SimpleNamespace(inputs=[str(warc_file[1])], verbose=False)
    assert Checker(args).process_all() == 0


def test_warc_date() -> None:
    assert warc_date("2024-05-03T08:00:00.123456+00:00") == "2024-05-03T08:00:00.123456Z"
    assert warc_date("2024-05-03T10:00:00+02:00") == "2024-05-03T08:00:00Z"
