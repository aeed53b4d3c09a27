"""WARC 1.1 export of the raw captures (warcio): one ``warcinfo`` record, then a
``response`` record per capture in fetch order, or a ``revisit`` record (profile
identical-payload-digest) when the same body was already written.

Bodies are stored as Scrapy delivered them: decoded from any ``Content-Encoding``. The
HTTP headers written say so: ``Content-Encoding`` and ``Transfer-Encoding`` are renamed
``X-Archive-Orig-*`` and ``Content-Length`` is the stored body's length, so a replay tool
reads the payload as it is.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from typing import BinaryIO

from sqlite_utils import Database
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.captures import Capture, iter_captures

WARC_VERSION = "1.1"
_RENAMED = ("content-encoding", "transfer-encoding")


@dataclass
class WarcSummary:
    records: Counter[str] = field(default_factory=Counter)
    payload_bytes: int = 0


@dataclass
class _Written:
    uri: str
    date: str
    record_id: str


def warc_date(fetched_at: str) -> str:
    """An ISO 8601 fetch time as a WARC-Date (UTC, ``Z``, microseconds kept)."""
    moment = datetime.fromisoformat(fetched_at)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond:06d}"
    return text + "Z"


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio writes: ``sha1:`` + base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def http_headers(capture: Capture) -> StatusAndHeaders:
    try:
        reason = HTTPStatus(capture.status).phrase
    except ValueError:
        reason = ""
    headers: list[tuple[str, str]] = []
    for name, value in capture.headers:
        lowered = name.lower()
        if lowered == "content-length":
            continue
        if lowered in _RENAMED:
            name = f"X-Archive-Orig-{name}"
        headers.append((name, value))
    headers.append(("Content-Length", str(len(capture.body))))
    return StatusAndHeaders(f"{capture.status} {reason}".strip(), headers, protocol="HTTP/1.1")


def write_warc(
    db: Database,
    out: BinaryIO,
    *,
    filename: str = "",
    info: dict[str, str] | None = None,
    urls: Collection[str] | None = None,
) -> WarcSummary:
    """Write every capture in ``db`` (only those of ``urls``, if given) to ``out`` as
    gzipped WARC 1.1; return the counts."""
    writer = WARCWriter(out, gzip=True, warc_version=WARC_VERSION)
    summary = WarcSummary()
    writer.write_record(
        writer.create_warcinfo_record(
            filename,
            {
                "software": "newsarchive (warcio)",
                "format": f"WARC File Format {WARC_VERSION}",
                "conformsTo": "https://iipc.github.io/warc-specifications/specifications/"
                "warc-format/warc-1.1/",
                **(info or {}),
            },
        )
    )
    summary.records["warcinfo"] += 1
    first_by_digest: dict[str, _Written] = {}
    for _, capture in iter_captures(db, urls):
        date = warc_date(capture.fetched_at)
        earlier = first_by_digest.get(capture.digest)
        if earlier is None:
            record = writer.create_warc_record(
                capture.url,
                "response",
                payload=BytesIO(capture.body),
                length=len(capture.body),
                http_headers=http_headers(capture),
                warc_headers_dict={"WARC-Date": date},
            )
            first_by_digest[capture.digest] = _Written(
                capture.url, date, record.rec_headers.get_header("WARC-Record-ID")
            )
            summary.payload_bytes += len(capture.body)
        else:
            record = writer.create_revisit_record(
                capture.url,
                payload_digest(capture.body),
                earlier.uri,
                earlier.date,
                http_headers=http_headers(capture),
                warc_headers_dict={"WARC-Date": date, "WARC-Refers-To": earlier.record_id},
            )
        writer.write_record(record)
        summary.records[record.rec_type] += 1
    return summary
