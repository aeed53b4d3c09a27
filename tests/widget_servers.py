"""Comment widget servers on 127.0.0.1 for the adapter tests, and the articles that embed
them.

:func:`seed_thread` makes a thread (the truth an archived thread is compared with):
top-level comments, replies to them and to replies, authors with and without websites,
times, Markdown-ish HTML and the text a reader sees of it, deleted comments.
:func:`json_server` answers each request with what a route function returns (the format
of one widget, written in its test); :func:`write_site` writes articles linked by
``rel=prev/next`` whose pages hold a given embed.
"""

from __future__ import annotations

import html
import http.server
import json
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from tests.generated_sites import free_port


@dataclass
class Seeded:
    """One comment as the widget's server stores it."""

    id: str
    parent: str | None
    author: str | None
    website: str | None
    created: datetime
    html: str  # what the server answers as the comment's text
    text: str  # what a reader sees of it
    deleted: bool = False


@dataclass
class SeededThread:
    path: str  # the article's path on the site
    key: str  # the widget's key of the thread (a path, a URL or an id)
    comments: list[Seeded] = field(default_factory=list)

    def top(self) -> list[Seeded]:
        return [c for c in self.comments if c.parent is None]

    def replies(self, parent: str) -> list[Seeded]:
        return [c for c in self.comments if c.parent == parent]


_TEXTS = [
    ("<p>First! Great piece.</p>", "First! Great piece."),
    (
        "<p>I disagree with the second point.</p>\n<p>The figures say otherwise.</p>",
        "I disagree with the second point.\n\nThe figures say otherwise.",
    ),
    ("<p>This is <em>really</em> important &amp; overdue.</p>", "This is really important & overdue."),
    ("<p>a &lt; b, but does b &gt; c? Nobody asks.</p>", "a < b, but does b > c? Nobody asks."),
    ("<p>Spasibo — спасибо за статью, très bien.</p>", "Spasibo — спасибо за статью, très bien."),
    ("<p>Line one<br>\nline two of the same paragraph.</p>", "Line one\nline two of the same paragraph."),
    ("<p><strong>Correction</strong>: the vote was on Tuesday.</p>", "Correction: the vote was on Tuesday."),
]  # fmt: skip
_AUTHORS = ["Ann Lee", "Bo Chen", "Chiara Rossi", "Dmitri", "Émile Zola"]
_START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def seed_thread(
    path: str, key: str, n_top: int, seed: int, make_id: Callable[[int], str]
) -> SeededThread:
    """``n_top`` top-level comments, each with 0-6 replies (to it or to one of its
    replies, so threads go three levels deep), one minute apart or more; every seventh
    comment with replies is deleted (kept for its replies)."""
    rng = random.Random(seed)
    thread = SeededThread(path, key)
    clock = _START + timedelta(days=seed % 20)
    serial = 0

    def add(parent: Seeded | None) -> Seeded:
        nonlocal clock, serial
        serial += 1
        clock += timedelta(minutes=rng.randint(1, 90), seconds=rng.randint(0, 59))
        raw, seen = rng.choice(_TEXTS)
        author = rng.choice(_AUTHORS)
        website = (
            f"https://{author.split()[0].lower()}.example.org/" if rng.random() < 0.3 else None
        )
        comment = Seeded(
            make_id(serial),
            None if parent is None else parent.id,
            author,
            website,
            clock,
            raw,
            seen,
        )
        thread.comments.append(comment)
        return comment

    tops = [add(None) for _ in range(n_top)]
    for top in tops:
        under = [top]
        for _ in range(rng.choice([0, 0, 1, 2, 3, 6])):
            parent = rng.choice(under[:3])  # a reply, or a reply to one of the first replies
            under.append(add(parent))
    with_replies = [c for c in thread.comments if thread.replies(c.id)]
    for comment in with_replies[::7]:
        comment.deleted = True
    thread.comments.sort(key=lambda c: c.created)
    return thread


def reading_order(thread: SeededThread, children_newest_first: bool = False) -> list[Seeded]:
    """Each top-level comment (oldest first) followed by its replies, depth first, in the
    order the widget lists them (by time)."""
    out: list[Seeded] = []

    def place(comment: Seeded) -> None:
        out.append(comment)
        kids = sorted(thread.replies(comment.id), key=lambda c: c.created)
        for kid in reversed(kids) if children_newest_first else kids:
            place(kid)

    for top in sorted(thread.top(), key=lambda c: c.created):
        place(top)
    return out


def depth_of(thread: SeededThread, comment: Seeded) -> int:
    by_id = {c.id: c for c in thread.comments}
    depth, node = 1, comment
    while node.parent is not None:
        depth, node = depth + 1, by_id[node.parent]
    return depth


# -- a JSON API on 127.0.0.1 ---------------------------------------------------------------

# (method, path, query, body) -> (status, JSON-able answer)
Route = Callable[[str, str, dict[str, str], bytes], tuple[int, object]]


@dataclass
class JsonServer:
    base: str  # http://127.0.0.1:PORT/ (with its slash)
    asked: list[tuple[str, str, bytes]]  # (method, path?query, body) of every request


@contextmanager
def json_server(route: Route, port: int | None = None) -> Iterator[JsonServer]:
    """``route`` answering HTTP on 127.0.0.1 until the block ends (``robots.txt`` is a
    404, as on most API hosts)."""

    def raw(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        status, answer = route(method, path, query, body)
        return status, "application/json; charset=utf-8", json.dumps(answer).encode("utf-8")

    with raw_server(raw, port) as server:
        yield server


# -- the articles ------------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Widget Gazette</title>
<link rel="canonical" href="{url}">
{links}
</head><body>
<header><a href="/">Widget Gazette</a></header>
<main><article>
<h1>{title}</h1>
<p class="byline">By <span class="author">Ruth Marsh</span>,
<time datetime="2026-03-{day:02d}T09:00:00+00:00">March {day}, 2026</time></p>
{body}
</article>
<nav>{nav}</nav>
{embed}
</main></body></html>
"""


def write_site(root: Path, site: str, pages: list[tuple[str, str]]) -> list[str]:
    """One article per ``(path, embed HTML)``, in a prev/next chain; the article URLs."""
    urls = [f"{site}{path}" for path, _ in pages]
    for i, (path, embed) in enumerate(pages):
        title = f"Council debates budget, part {i + 1}"
        links, nav = [], []
        if i > 0:
            links.append(f'<link rel="prev" href="{urls[i - 1]}">')
            nav.append(f'<a rel="prev" href="{urls[i - 1]}">Previous article</a>')
        if i + 1 < len(pages):
            links.append(f'<link rel="next" href="{urls[i + 1]}">')
            nav.append(f'<a rel="next" href="{urls[i + 1]}">Next article</a>')
        body = "\n".join(
            f"<p>Paragraph {n} of part {i + 1}: the council met on Monday to weigh the "
            f"budget, and members argued over schools, roads and the library for hours "
            f"before a vote that surprised nobody in the chamber.</p>"
            for n in range(1, 6)
        )
        page = _PAGE.format(
            title=html.escape(title),
            url=urls[i],
            links="\n".join(links),
            day=i + 1,
            body=body,
            nav=" ".join(nav),
            embed=embed,
        )
        out = root / path.strip("/") / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page, "utf-8")
    return urls


# -- an API answering other than JSON (an embed's HTML page) -------------------------------

# (method, path, query, body) -> (status, content type, body)
RawRoute = Callable[[str, str, dict[str, str], bytes], tuple[int, str, bytes]]


@contextmanager
def raw_server(route: RawRoute, port: int | None = None) -> Iterator[JsonServer]:
    """:func:`json_server`, with ``route`` giving each answer's content type and bytes."""
    asked: list[tuple[str, str, bytes]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _answer(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            asked.append((method, self.path, body))
            parts = urlsplit(self.path)
            if parts.path == "/robots.txt":
                status, kind, data = 404, "text/plain", b"not found"
            else:
                status, kind, data = route(method, parts.path, dict(parse_qsl(parts.query)), body)
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            self._answer("POST")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port or free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield JsonServer(f"http://127.0.0.1:{server.server_address[1]}/", asked)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
