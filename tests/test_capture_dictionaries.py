"""Raw captures compressed with a zstd dictionary trained per site."""

from __future__ import annotations

import csv
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive.captures import DICT_SAMPLES, Capture, capture_stats, iter_captures
from archive.warc import payload_digest, write_warc
from archive.writer import ArchiveWriter

CAPTURE = Path(__file__).parent / "fixtures" / "wordpress" / "twentytwentyone"


def _pages() -> list[Capture]:
    with open(CAPTURE / "manifest.tsv", encoding="utf-8") as fh:
        rows = [
            r for r in csv.DictReader(fh, delimiter="\t") if r["kind"] in ("post", "comment-page")
        ]
    return [
        Capture(
            url=row["url"],
            status=200,
            headers=[("Content-Type", row["content_type"])],
            body=(CAPTURE / row["path"]).read_bytes(),
            fetched_at=f"2026-11-27T04:{i // 60:02d}:{i % 60:02d}.000000+00:00",
            kind="article",
        )
        for i, row in enumerate(rows)
    ]


def _write(db: Path, captures: list[Capture]) -> None:
    with ArchiveWriter(db) as writer:
        writer.start_crawl("test", {}, [])
        for capture in captures:
            writer.write_capture(capture)


def test_a_site_dictionary_is_trained_used_and_read_back(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    pages = _pages()
    first, later = pages[:40], pages[40:]
    _write(db, first)
    _write(db, later)  # a later run: the stored dictionary is loaded and used
    with ArchiveWriter(db) as writer:
        rows = writer.db.execute(
            "SELECT codec, count(*) FROM capture_bodies GROUP BY codec"
        ).fetchall()
        (n_dicts,) = writer.db.execute("SELECT count(*) FROM capture_dictionaries").fetchone()
        # Every body, the training samples included, ends up compressed with it.
        assert dict(rows) == {"zstd-dict": len(pages)} and n_dicts == 1
        read = {c.digest: c.body for _, c in iter_captures(writer.db)}
        assert read == {c.digest: c.body for c in pages}
        stats = capture_stats(writer.db)
    # Dictionary bytes count as stored; still far below plain zstd's ~0.2.
    assert stats["stored_bytes"] / stats["body_bytes"] < 0.12
    assert len(first) > DICT_SAMPLES


def test_warc_export_of_dictionary_bodies_keeps_every_digest(tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    pages = _pages()[:30]
    _write(db, pages)
    out = tmp_path / "out.warc.gz"
    with ArchiveWriter(db) as writer, open(out, "wb") as fh:
        write_warc(writer.db, fh)
    bodies = {}
    with open(out, "rb") as fh:
        for record in ArchiveIterator(fh, check_digests=True):
            if record.rec_type == "response":
                body = record.content_stream().read()
                assert record.rec_headers.get_header("WARC-Payload-Digest") == payload_digest(body)
                bodies[record.rec_headers.get_header("WARC-Target-URI")] = body
    assert bodies == {c.url: c.body for c in pages}
