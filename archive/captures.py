"""Raw captures: every fetched response kept as it was received.

A :class:`Capture` is plain data (URL, status, headers, body, fetch time). Bodies are
stored zstd-compressed in ``capture_bodies``, once per content digest, so an unchanged
re-fetch costs one ``captures`` row and no new body. Only :mod:`archive.writer` calls
:func:`insert_capture`; everything else here reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import zstandard
from sqlite_utils import Database

from archive.db import ArchiveError

# zstd level: 10 compresses HTML nearly as well as 19 at a fraction of the time.
ZSTD_LEVEL = 10
CODECS = ("zstd", "identity")
CAPTURE_KINDS = ("article", "comment_page", "other")


class CaptureError(ArchiveError):
    """A stored capture cannot be read back (unknown codec, corrupt body)."""


@dataclass
class Capture:
    """One HTTP response as received: ``headers`` keep their order and repeats."""

    url: str
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    fetched_at: str
    kind: str = "other"
    request_url: str | None = None
    crawl_id: int | None = None
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.digest:
            self.digest = body_digest(self.body)

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or ``None``."""
        lowered = name.lower()
        return next((v for k, v in self.headers if k.lower() == lowered), None)


def body_digest(body: bytes) -> str:
    """The content digest that deduplicates bodies: ``sha256:<hex>``."""
    return "sha256:" + hashlib.sha256(body).hexdigest()


def compress(body: bytes) -> tuple[str, bytes]:
    """(codec, stored bytes): zstd, unless that would not make the body smaller."""
    packed = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
    return ("zstd", packed) if len(packed) < len(body) else ("identity", body)


def decompress(codec: str, stored: bytes) -> bytes:
    if codec == "identity":
        return bytes(stored)
    if codec == "zstd":
        try:
            return zstandard.ZstdDecompressor().decompress(stored)
        except zstandard.ZstdError as exc:
            raise CaptureError(f"corrupt zstd body: {exc}") from exc
    raise CaptureError(f"unknown body codec {codec!r}")


def insert_capture(db: Database, capture: Capture) -> bool:
    """Store ``capture`` (inside the caller's transaction); return whether its body was new."""
    new_body = (
        db.execute("SELECT 1 FROM capture_bodies WHERE digest = ?", [capture.digest]).fetchone()
        is None
    )
    if new_body:
        codec, stored = compress(capture.body)
        db.execute(
            "INSERT INTO capture_bodies (digest, codec, size, stored_size, body) "
            "VALUES (?, ?, ?, ?, ?)",
            [capture.digest, codec, len(capture.body), len(stored), stored],
        )
    db.execute(
        "INSERT INTO captures (url, request_url, status, headers, fetched_at, kind, digest, "
        "crawl_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            capture.url,
            capture.request_url if capture.request_url != capture.url else None,
            capture.status,
            json.dumps([list(h) for h in capture.headers], ensure_ascii=False),
            capture.fetched_at,
            capture.kind,
            capture.digest,
            capture.crawl_id,
        ],
    )
    return new_body


# -- reading ------------------------------------------------------------------------------

_SELECT = (
    "SELECT c.id, c.url, c.request_url, c.status, c.headers, c.fetched_at, c.kind, c.digest, "
    "c.crawl_id, b.codec, b.body FROM captures c JOIN capture_bodies b ON b.digest = c.digest"
)


def _from_row(row: Sequence[Any]) -> tuple[int, Capture]:
    capture = Capture(
        url=row[1],
        request_url=row[2],
        status=row[3],
        headers=[(k, v) for k, v in json.loads(row[4])],
        fetched_at=row[5],
        kind=row[6],
        digest=row[7],
        crawl_id=row[8],
        body=decompress(row[9], row[10]),
    )
    return row[0], capture


def iter_captures(db: Database) -> Iterator[tuple[int, Capture]]:
    """Every capture as (id, capture), in fetch order."""
    for row in db.execute(f"{_SELECT} ORDER BY c.fetched_at, c.id"):
        yield _from_row(row)


def latest_capture(
    db: Database, url: str, *, status: int | None = 200, since: str | None = None
) -> Capture | None:
    """The most recent capture of ``url`` (response or requested URL), with ``status``
    (any, if ``None``) and fetched at or after ``since``."""
    sql = f"{_SELECT} WHERE (c.url = ? OR c.request_url = ?)"
    params: list[Any] = [url, url]
    if status is not None:
        sql += " AND c.status = ?"
        params.append(status)
    if since is not None:
        sql += " AND c.fetched_at >= ?"
        params.append(since)
    row = db.execute(sql + " ORDER BY c.fetched_at DESC, c.id DESC LIMIT 1", params).fetchone()
    return None if row is None else _from_row(row)[1]


def capture_stats(db: Database) -> dict[str, int | float]:
    """Counts and sizes: captures, distinct bodies, raw bytes fetched, bytes of distinct
    bodies, bytes stored, and the compression and overall ratios."""
    captures, fetched = db.execute(
        "SELECT count(*), coalesce(sum(b.size), 0) FROM captures c "
        "JOIN capture_bodies b ON b.digest = c.digest"
    ).fetchone()
    bodies, raw, stored = db.execute(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM capture_bodies"
    ).fetchone()
    return {
        "captures": captures,
        "bodies": bodies,
        "fetched_bytes": fetched,
        "body_bytes": raw,
        "stored_bytes": stored,
        "compression_ratio": raw / stored if stored else 0.0,
        "overall_ratio": fetched / stored if stored else 0.0,
    }
