"""Serving the demo site on 127.0.0.1, with latency and faults on demand.

    with DemoServer(build_site(), latency=0.01, faults={"/feed/": "503-once"}) as server:
        fetch(server.url + "/")
        assert "/private/secret-draft/" not in server.requested_paths()

Run it by hand: ``python -m scraper.demosite --port 8000 [--articles N] [--latency S]``.
"""

from __future__ import annotations

import argparse
import hashlib
import threading
import time
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

from scraper.demosite.build import build_site
from scraper.demosite.content import Site
from scraper.demosite.routes import HTML, PDF, Response, article_for, resolve

FAULT_KINDS = frozenset(
    {
        "500",
        "500-once",
        "503-once",
        "404",
        "redirect",
        "redirect-loop",
        "cycle",
        "huge",
        "gzip-bomb",
        "xml-bomb",
        "timeout",
        "truncated",
        "non-html",
        "bad-charset",
    }
)
HUGE_BYTES = 50 * 1024 * 1024  # the "huge" fault's page
BOMB_BYTES = 100 * 1024 * 1024  # what the "gzip-bomb" fault's body inflates to
BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol "lol">\n'
    + b"".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n'.encode()
        for i in range(1, 10)
    )
    + b']>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    + b"<url><loc>&lol9;</loc></url></urlset>\n"
)


@lru_cache(maxsize=1)
def gzip_bomb() -> bytes:
    """``BOMB_BYTES`` of spaces, gzipped to about 100 KB."""
    out = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b" " * (1024 * 1024)
    return b"".join(out.compress(chunk) for _ in range(BOMB_BYTES // len(chunk))) + out.flush()


class FaultError(ValueError):
    """A ``faults`` mapping names a kind the server does not know."""


@dataclass(frozen=True)
class RequestRecord:
    method: str
    path: str  # as requested: path plus query string
    headers: dict[str, str]
    at: float = 0.0  # time.monotonic() on arrival


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    demo: DemoServer


class DemoServer:
    """The demo site on a ThreadingHTTPServer in a daemon thread.

    ``faults`` maps a request path (with or without its query string) to one of
    :data:`FAULT_KINDS`: ``"500"`` and ``"404"`` always; ``"503-once"`` the first time,
    then the page; ``"redirect"`` a 301 to the canonical URL of the page the path shows
    (for alias paths such as ``/?p=ID`` or ``…/?utm_source=x``); ``"timeout"`` sleeps
    ``stall_seconds`` before answering; ``"truncated"`` sends half the body under the full
    Content-Length, then closes; ``"non-html"`` a PDF; ``"bad-charset"`` UTF-8 bytes
    declared as ISO-8859-1 in the Content-Type header; ``"500-once"`` a 500 the first
    time, then the page; ``"redirect-loop"`` 302s between the path and ``path?loop=1``
    forever; ``"cycle"`` the article's previous link points to its next article (a chain
    cycle); ``"huge"`` a 50 MB page; ``"gzip-bomb"`` a gzip body inflating to 100 MB;
    ``"xml-bomb"`` an entity bomb (billion laughs) instead of the page, for a sitemap.

    ``crawl_delay`` adds a ``Crawl-delay`` line to robots.txt. :meth:`replace_site`
    swaps the site between crawls (see ``scraper/demosite/changes.py``).
    """

    def __init__(
        self,
        site: Site | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        latency: float = 0.0,
        faults: Mapping[str, str] | None = None,
        *,
        stall_seconds: float = 30.0,
        disallow: Sequence[str] = (),
        crawl_delay: float | None = None,
        cache_size: int | None = 256,
    ) -> None:
        self.site = site if site is not None else build_site()
        self.host = host
        self.port = port
        self.latency = latency
        self.faults = dict(faults or {})
        unknown = set(self.faults.values()) - FAULT_KINDS
        if unknown:
            known = ", ".join(sorted(FAULT_KINDS))
            raise FaultError(f"unknown fault kinds {sorted(unknown)}; known: {known}")
        self.stall_seconds = stall_seconds
        if "gzip-bomb" in self.faults.values():
            gzip_bomb()  # built before serving: it takes a moment
        # Extra robots.txt Disallow paths, for tests of a polite crawler.
        self.disallow = tuple(disallow)
        # Rendered responses kept (None: all, for benchmarks that must not time the
        # server's own rendering).
        self.cache_size = cache_size
        self.crawl_delay = crawl_delay
        self._lock = threading.Lock()
        self._requests: list[RequestRecord] = []
        self._faulted_once: set[str] = set()
        self._answers: list[tuple[str, int]] = []  # (path, status) as answered
        self._stopping = threading.Event()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    # -- lifecycle

    def start(self) -> DemoServer:
        if self._httpd is not None:
            return self
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.demo = self
        self.port = httpd.server_address[1]
        self.url = f"http://{self.host}:{self.port}"
        self._render = lru_cache(maxsize=self.cache_size)(self._resolve)
        self._httpd = httpd
        self._stopping.clear()
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- what tests read

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requested_paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self._answers.clear()

    @property
    def answers(self) -> list[tuple[str, int]]:
        """``(path, status)`` of every answer sent so far (304s included), in order."""
        with self._lock:
            return list(self._answers)

    def prerender(self) -> None:
        """Render every article page and comment page into the cache now."""
        for article in self.site.articles:
            self._render(article.path)
            for page in range(2, article.comment_pages + 1):
                self._render(article.comment_page_path(page))

    def url_for(self, path: str) -> str:
        return self.url + path

    def replace_site(self, site: Site) -> None:
        """Serve ``site`` from now on (a changed site between two crawls)."""
        with self._lock:
            self.site = site
            if self._httpd is not None:
                self._render = lru_cache(maxsize=self.cache_size)(self._resolve)

    # -- request handling (called from handler threads)

    def _record(self, method: str, path: str, headers: dict[str, str]) -> None:
        with self._lock:
            self._requests.append(RequestRecord(method, path, headers, time.monotonic()))

    def _resolve(self, target: str) -> Response:
        response = resolve(self.site, self.url, target)
        if (self.disallow or self.crawl_delay) and urlsplit(target).path == "/robots.txt":
            extra = "".join(f"Disallow: {path}\n" for path in self.disallow)
            if self.crawl_delay:
                extra += f"Crawl-delay: {self.crawl_delay:g}\n"
            body = response.body.replace(b"Disallow:", extra.encode() + b"Disallow:", 1)
            response = Response(response.status, response.content_type, body)
        return response

    def fault_for(self, target: str) -> str | None:
        """The fault configured for a request target; ``503-once`` only the first time."""
        key = target if target in self.faults else urlsplit(target).path
        kind = self.faults.get(key)
        if kind in ("503-once", "500-once"):
            with self._lock:
                if key in self._faulted_once:
                    return None
                self._faulted_once.add(key)
        return kind

    def respond(self, target: str) -> tuple[Response, str | None]:
        """The response for a target, faults applied (except those that need the socket)."""
        if self.latency > 0:
            self._stopping.wait(self.latency)
        fault = self.fault_for(target)
        if fault == "timeout":
            self._stopping.wait(self.stall_seconds)
        if fault in ("500", "500-once"):
            return Response(500, HTML, b"<h1>Internal Server Error</h1>"), fault
        if fault == "redirect-loop":
            parts = urlsplit(target)
            location = self.url + parts.path + ("" if parts.query else "?loop=1")
            return Response(302, HTML, b"", location=location), fault
        if fault == "xml-bomb":
            return Response(200, "application/xml; charset=UTF-8", BILLION_LAUGHS), fault
        if fault == "503-once":
            return Response(503, HTML, b"<h1>Service Temporarily Unavailable</h1>"), fault
        if fault == "404":
            return self._render("/__missing__/"), fault
        if fault == "redirect":
            parts = urlsplit(target)
            article = article_for(self.site, parts.path, parts.query)
            location = self.url + (article.path if article else parts.path)
            return Response(301, HTML, b"", location=location), fault
        response = self._render(target)
        if fault == "cycle":
            article = article_for(self.site, urlsplit(target).path)
            older = self.site.previous(article) if article else None
            newer = self.site.next(article) if article else None
            if older and newer:
                body = response.body.replace(
                    (self.url + older.path).encode(), (self.url + newer.path).encode()
                )
                response = Response(200, HTML, body, response.last_modified)
        if fault == "huge" and response.status == 200:
            pad = b"<!-- " + b"x" * (HUGE_BYTES - len(response.body)) + b" -->"
            body = response.body.replace(b"</body>", pad + b"</body>", 1)
            response = Response(200, HTML, body, response.last_modified)
        if fault == "non-html" and response.status == 200:
            response = Response(200, "application/pdf", PDF, response.last_modified)
        if fault == "bad-charset" and response.content_type.startswith("text/html"):
            response = Response(
                response.status,
                "text/html; charset=iso-8859-1",
                response.body,
                response.last_modified,
                response.location,
                response.links,
            )
        return response, fault


def http_date(ts: int) -> str:
    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body, usedforsecurity=False).hexdigest()[:20] + '"'


def not_modified(headers: Mapping[str, str], etag: str, last_modified: int | None) -> bool:
    inm = headers.get("If-None-Match")
    if inm is not None:
        tags = {t.strip().removeprefix("W/") for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = headers.get("If-Modified-Since")
    if ims and last_modified is not None:
        try:
            since = parsedate_to_datetime(ims)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and last_modified <= int(since.timestamp())
    return False


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, the body
    # would wait for the client's delayed ACK (~40 ms a response on Linux).
    disable_nagle_algorithm = True
    server_version = "DemoGazette/1.0"
    sys_version = ""
    timeout = 60

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the request log is :attr:`DemoServer.requests`."""

    def do_GET(self) -> None:
        self._serve(head_only=False)

    def do_HEAD(self) -> None:
        self._serve(head_only=True)

    def do_POST(self) -> None:
        demo = self.server.demo
        demo._record("POST", self.path, dict(self.headers.items()))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = b"<p>Comments are closed on the demo site.</p>"
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Type", HTML)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, *, head_only: bool) -> None:
        demo = self.server.demo
        demo._record(self.command, self.path, dict(self.headers.items()))
        response, fault = demo.respond(self.path)
        body = response.body
        etag = etag_of(body)
        status = response.status
        if status == 200 and not_modified(self.headers, etag, response.last_modified):
            status, body = 304, b""
        with demo._lock:
            demo._answers.append((self.path, status))
        try:
            self.send_response(status)
            if fault == "gzip-bomb":
                body = gzip_bomb()
                self.send_header("Content-Encoding", "gzip")
            if status != 304:
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(body)))
            if response.location:
                self.send_header("Location", response.location)
            if status in (200, 304):
                self.send_header("ETag", etag)
                if response.last_modified is not None:
                    self.send_header("Last-Modified", http_date(response.last_modified))
            for link in response.links:
                self.send_header("Link", link)
            if fault == "truncated":
                self.send_header("Connection", "close")
                self.close_connection = True
                body = body[: len(body) // 2]
            self.end_headers()
            if not head_only:
                self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client went away (timeouts, truncation tests)
            self.close_connection = True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m scraper.demosite", description="Serve the demo news site."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--articles", type=int, default=36, help="number of articles (36)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--latency", type=float, default=0.0, help="seconds per response")
    parser.add_argument(
        "--prerender",
        action="store_true",
        help="render every article and comment page before serving (benchmarks)",
    )
    args = parser.parse_args(argv)
    site = build_site(args.articles, args.seed)
    server = DemoServer(
        site,
        host=args.host,
        port=args.port,
        latency=args.latency,
        cache_size=None if args.prerender else 256,
    ).start()
    if args.prerender:
        server.prerender()
    print(f"{site.name}: {server.url}/ ({len(site.articles)} articles; newest: "
          f"{server.url}{site.articles[-1].path})", flush=True)  # fmt: skip
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
