"""Serve a saved WordPress capture (``tests/fixtures/wordpress/<theme>``) on 127.0.0.1.

The capture's pages link to ``http://127.0.0.1:8081``; the server rewrites that origin to
its own, so a crawl stays on this server whatever port it got. Every request is logged so
tests can assert what a crawl did and did not fetch.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"
WORDPRESS = FIXTURES / "wordpress"
CAPTURE_ORIGIN = "http://127.0.0.1:8081"


@dataclass
class CaptureSite:
    theme: str
    robots: str
    origin: str = ""
    requests: list[str] = field(default_factory=list)
    pages: dict[str, tuple[Path, str]] = field(default_factory=dict)  # path → (file, type)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, capture_url: str) -> str:
        """A capture URL (``http://127.0.0.1:8081/…``) as this server serves it."""
        return capture_url.replace(CAPTURE_ORIGIN, self.origin)


def _key(path: str) -> str:
    return unquote(urlsplit(path).path).lower()


def load_manifest(theme: str) -> dict[str, tuple[Path, str]]:
    root = WORDPRESS / theme
    pages: dict[str, tuple[Path, str]] = {}
    with open(root / "manifest.tsv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            pages[_key(row["url"].replace(CAPTURE_ORIGIN, ""))] = (
                root / row["path"],
                row["content_type"],
            )
    return pages


@contextmanager
def serve_capture(
    theme: str, robots: str = "User-agent: *\nDisallow: /wp-admin/\n"
) -> Iterator[CaptureSite]:
    site = CaptureSite(theme=theme, robots=robots, pages=load_manifest(theme))

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # no ~40 ms delayed-ACK stall between header and body

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            with site.lock:
                site.requests.append(self.path)
            if urlsplit(self.path).path == "/robots.txt":
                self._send(200, "text/plain; charset=utf-8", site.robots.encode())
                return
            found = site.pages.get(_key(self.path))
            if found is None or urlsplit(self.path).query:
                self._send(404, "text/html; charset=utf-8", b"<h1>Not found</h1>")
                return
            path, ctype = found
            body = path.read_bytes().replace(CAPTURE_ORIGIN.encode(), site.origin.encode())
            # JSON-escaped copies of the origin (in inline scripts) as well.
            body = body.replace(
                CAPTURE_ORIGIN.replace("/", "\\/").encode(),
                site.origin.replace("/", "\\/").encode(),
            )
            self._send(200, ctype, body)

        def _send(self, status: int, ctype: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    site.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
