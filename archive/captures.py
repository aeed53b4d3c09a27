"""Raw captures: every fetched response kept as it was received.

A :class:`Capture` is plain data (URL, status, headers, body, fetch time). Bodies are
stored zstd-compressed in ``capture_bodies``, once per content digest, so an unchanged
re-fetch costs one ``captures`` row and no new body. Only :mod:`archive.writer` calls
:func:`insert_capture`; everything else here reads.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import zstandard
from sqlite_utils import Database

from archive.db import ArchiveError

# zstd level: 10 compresses HTML nearly as well as 19 at a fraction of the time.
ZSTD_LEVEL = 10
# With a site's dictionary, level 3 stores pages at about a quarter of plain level 10's
# size, ten times faster (measured on the WordPress captures: 0.048 vs 0.20 of the raw
# bytes, 0.07 vs 0.8 ms a page).
DICT_LEVEL = 3
DICT_SIZE = 64 * 1024
# A site's dictionary is trained once this many of its HTML bodies are stored.
DICT_SAMPLES = 24
CODECS = ("zstd", "zstd-dict", "identity")
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


def decompress(codec: str, stored: bytes, dictionary: bytes | None = None) -> bytes:
    if codec == "identity":
        return bytes(stored)
    if codec in ("zstd", "zstd-dict"):
        if codec == "zstd-dict" and dictionary is None:
            raise CaptureError("body compressed with a dictionary that is missing")
        try:
            if dictionary is None:
                return zstandard.ZstdDecompressor().decompress(stored)
            dict_data = zstandard.ZstdCompressionDict(dictionary)
            return zstandard.ZstdDecompressor(dict_data=dict_data).decompress(stored)
        except zstandard.ZstdError as exc:
            raise CaptureError(f"corrupt zstd body: {exc}") from exc
    raise CaptureError(f"unknown body codec {codec!r}")


def insert_capture(db: Database, capture: Capture) -> bool:
    """Store ``capture`` with plain zstd (inside the caller's transaction); return whether
    its body was new. :class:`CaptureStore` also trains and uses per-site dictionaries."""
    return CaptureStore(db, dictionaries=False).insert(capture)


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


class CaptureStore:
    """Stores captures in one archive, compressing each site's bodies with a zstd
    dictionary trained on its first :data:`DICT_SAMPLES` HTML bodies (which are then
    recompressed with it). Callers hold the transaction for :meth:`insert` and
    :meth:`install`; training (:meth:`train`, tens of milliseconds, without the GIL) needs
    none, so the writer runs it between its transactions."""

    def __init__(self, db: Database, *, dictionaries: bool = True) -> None:
        self.db = db
        self.dictionaries = dictionaries
        self._compressors: dict[str, tuple[int, zstandard.ZstdCompressor]] = {}
        # Bodies of sites without a dictionary yet: (digest, body, fetched_at).
        self._samples: dict[str, list[tuple[str, bytes, str]]] = {}
        if dictionaries:
            for dict_id, host, data in db.execute(
                "SELECT id, host, dictionary FROM capture_dictionaries ORDER BY id"
            ):
                self._compressors[host] = (dict_id, self._compressor(data))

    @staticmethod
    def _compressor(data: bytes) -> zstandard.ZstdCompressor:
        return zstandard.ZstdCompressor(
            level=DICT_LEVEL, dict_data=zstandard.ZstdCompressionDict(data)
        )

    def insert(self, capture: Capture) -> bool:
        new_body = (
            self.db.execute(
                "SELECT 1 FROM capture_bodies WHERE digest = ?", [capture.digest]
            ).fetchone()
            is None
        )
        if new_body:
            self._store_body(capture)
        self.db.execute(
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

    def _store_body(self, capture: Capture) -> None:
        body, host = capture.body, _host(capture.url)
        html = "html" in (capture.header("Content-Type") or "").lower()
        codec, stored, dict_id = "", b"", None
        if self.dictionaries and html and body:
            if host in self._compressors:
                dict_id, compressor = self._compressors[host]
                codec, stored = "zstd-dict", compressor.compress(body)
                if len(stored) >= len(body):
                    codec, stored, dict_id = "identity", body, None
            else:
                self._samples.setdefault(host, []).append(
                    (capture.digest, body, capture.fetched_at)
                )
        if not codec:
            codec, stored = compress(body)
        self.db.execute(
            "INSERT INTO capture_bodies (digest, codec, size, stored_size, body, dictionary_id) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [capture.digest, codec, len(body), len(stored), stored, dict_id],
        )

    def ready_to_train(self) -> list[str]:
        """Hosts with :data:`DICT_SAMPLES` stored bodies and no dictionary yet."""
        return [host for host, got in self._samples.items() if len(got) >= DICT_SAMPLES]

    def train(self, host: str) -> bytes | None:
        """A dictionary for ``host`` from its first :data:`DICT_SAMPLES` bodies (no
        database access); ``None`` if they have too little in common, in which case
        plain zstd stays and the samples are dropped (the next ones get another try)."""
        samples = self._samples[host][:DICT_SAMPLES]
        try:
            trained = zstandard.train_dictionary(DICT_SIZE, [body for _, body, _ in samples])
        except zstandard.ZstdError:
            del self._samples[host]
            return None
        return trained.as_bytes()

    def install(self, host: str, data: bytes) -> None:
        """Store ``host``'s dictionary, use it from now on and recompress the bodies kept
        as samples with it (inside the caller's transaction)."""
        samples = self._samples.pop(host)
        cursor = self.db.execute(
            "INSERT INTO capture_dictionaries (host, trained_at, samples, dictionary) "
            "VALUES (?, ?, ?, ?)",
            [host, samples[DICT_SAMPLES - 1][2], DICT_SAMPLES, data],
        )
        dict_id = cursor.lastrowid
        assert dict_id is not None
        compressor = self._compressor(data)
        self._compressors[host] = (dict_id, compressor)
        for digest, body, _ in samples:  # the samples themselves, smaller now
            packed = compressor.compress(body)
            self.db.execute(
                "UPDATE capture_bodies SET codec = 'zstd-dict', stored_size = ?, body = ?, "
                "dictionary_id = ? WHERE digest = ? AND stored_size > ?",
                [len(packed), packed, dict_id, digest, len(packed)],
            )


# -- reading ------------------------------------------------------------------------------

_SELECT = (
    "SELECT c.id, c.url, c.request_url, c.status, c.headers, c.fetched_at, c.kind, c.digest, "
    "c.crawl_id, b.codec, b.body, b.dictionary_id "
    "FROM captures c JOIN capture_bodies b ON b.digest = c.digest"
)


def _dictionary(db: Database, dict_id: int | None, cache: dict[int, bytes]) -> bytes | None:
    if dict_id is None:
        return None
    if dict_id not in cache:
        row = db.execute(
            "SELECT dictionary FROM capture_dictionaries WHERE id = ?", [dict_id]
        ).fetchone()
        if row is None:
            raise CaptureError(f"capture dictionary {dict_id} is missing")
        cache[dict_id] = row[0]
    return cache[dict_id]


def _from_row(db: Database, row: Sequence[Any], cache: dict[int, bytes]) -> tuple[int, Capture]:
    capture = Capture(
        url=row[1],
        request_url=row[2],
        status=row[3],
        headers=[(k, v) for k, v in json.loads(row[4])],
        fetched_at=row[5],
        kind=row[6],
        digest=row[7],
        crawl_id=row[8],
        body=decompress(row[9], row[10], _dictionary(db, row[11], cache)),
    )
    return row[0], capture


def iter_captures(
    db: Database, urls: Collection[str] | None = None
) -> Iterator[tuple[int, Capture]]:
    """Every capture as (id, capture), in fetch order; only those of ``urls`` (their
    response or requested URL), if given."""
    cache: dict[int, bytes] = {}
    where, params = "", []
    if urls is not None:
        where = (
            " WHERE c.url IN (SELECT value FROM json_each(?1))"
            " OR c.request_url IN (SELECT value FROM json_each(?1))"
        )
        params = [json.dumps(sorted(urls))]
    for row in db.execute(f"{_SELECT}{where} ORDER BY c.fetched_at, c.id", params):
        yield _from_row(db, row, cache)


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
    return None if row is None else _from_row(db, row, {})[1]


def capture_stats(db: Database) -> dict[str, int | float]:
    """Counts and sizes: captures, distinct bodies, raw bytes fetched, bytes of distinct
    bodies, bytes stored (the sites' dictionaries included), and the compression and
    overall ratios."""
    captures, fetched = db.execute(
        "SELECT count(*), coalesce(sum(b.size), 0) FROM captures c "
        "JOIN capture_bodies b ON b.digest = c.digest"
    ).fetchone()
    bodies, raw, stored = db.execute(
        "SELECT count(*), coalesce(sum(size), 0), coalesce(sum(stored_size), 0) FROM capture_bodies"
    ).fetchone()
    # The sites' dictionaries are part of what is stored.
    (dictionaries,) = db.execute(
        "SELECT coalesce(sum(length(dictionary)), 0) FROM capture_dictionaries"
    ).fetchone()
    stored += dictionaries
    return {
        "captures": captures,
        "bodies": bodies,
        "fetched_bytes": fetched,
        "body_bytes": raw,
        "stored_bytes": stored,
        "compression_ratio": raw / stored if stored else 0.0,
        "overall_ratio": fetched / stored if stored else 0.0,
    }
