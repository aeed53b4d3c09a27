"""The Waline adapter against a local server answering in the format Waline's server
source gives (``GET /api/comment?path=&page=&pageSize=&sortBy=``), and a whole crawl."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import WidgetFormatError, detect_widget
from scraper.extract.widgets import waline as adapter
from scraper.extract.widgets.base import timestamp_iso
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_site import article_urls, write_articles

PAGE = "https://news.example.org/2026/03/budget/"


def _embed(server: str, path: str | None = None) -> str:
    extra = f"\n    path: '{path}'," if path else ""
    return f"""<div id="waline"></div>
<script type="module">
  import {{ init }} from 'https://unpkg.com/@waline/client@v3/dist/waline.js';
  init({{
    el: '#waline',
    serverURL: '{server}',{extra}
    lang: 'en',
  }});
</script>"""


def test_detect_reads_the_init_call() -> None:
    ref = detect_widget(fromstring(f"<html><body>{_embed('https://w.example.net')}"), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread) == (
        "waline",
        "https://w.example.net/",
        "/2026/03/budget/",
    )
    assert adapter.first_request(ref) == (
        "https://w.example.net/api/comment?path=%2F2026%2F03%2Fbudget%2F&page=1&pageSize=50"
        "&sortBy=insertedAt_asc"
    )
    named = detect_widget(fromstring(f"<html><body>{_embed('/w/', '/p/7')}"), PAGE)
    assert named is not None and (named.api_base, named.thread) == (
        "https://news.example.org/w/",
        "/p/7",
    )


def test_other_init_calls_are_not_waline() -> None:
    html = "<html><body><script>app.init({serverURL: 'https://x.example'})</script>"
    assert detect_widget(fromstring(html), PAGE) is None


def test_parse_refuses_errors_and_other_shapes() -> None:
    ref = detect_widget(fromstring(f"<html><body>{_embed('https://w.example.net')}"), PAGE)
    assert ref is not None
    for body in (b"nope", b'{"errno": 1000, "errmsg": "forbidden"}', b'{"data": {"x": 1}}'):
        with pytest.raises(WidgetFormatError):
            adapter.parse(body, ref, adapter.first_request(ref))


# -- a local server answering in Waline's format ------------------------------------------

T0 = 1_772_442_000_000  # ms


def _comments(path: str, n_top: int, seed: int) -> list[dict[str, Any]]:
    """Flat approved comments: top-level ones and replies (to them and to replies)."""
    out: list[dict[str, Any]] = []

    def add(pid: str | None, rid: str | None, text: str) -> str:
        oid = f"{seed}{len(out):04d}abcdef"
        n = len(out)
        link = f"https://r{n}.example.org" if n % 2 == 0 else ""
        out.append(
            {"objectId": oid, "nick": f"Reader {n % 5}", "link": link,
             "comment": f"<p>{text}</p>\n", "time": T0 + 61_000 * n, "pid": pid, "rid": rid,
             "sticky": False, "like": 0, "url": path, "status": "approved"}
        )  # fmt: skip
        return oid

    for i in range(n_top):
        top = add(None, None, f"Top {i} &lt;3")
        for j in range(i % 4):
            reply = add(top, top, f"Reply {j}")
            if j == 2:
                add(reply, top, "Reply to a reply")
    return out


class _Waline(http.server.BaseHTTPRequestHandler):
    paths: ClassVar[dict[str, list[dict[str, Any]]]] = {}
    asked: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.asked.append(self.path)
        parts = urlsplit(self.path)
        if parts.path != "/api/comment":
            return self._send(404, {"errno": 404, "errmsg": "not found"})
        q = {k: v[0] for k, v in parse_qs(parts.query).items()}
        comments = self.paths.get(q.get("path", ""), [])
        page, size = int(q.get("page", "1")), int(q.get("pageSize", "10"))
        roots = [c for c in comments if not c["rid"]]
        if q.get("sortBy") != "insertedAt_asc":
            roots.reverse()
        shown = roots[(page - 1) * size : page * size]
        data = []
        for root in shown:
            children = [c for c in comments if c["rid"] == root["objectId"]]
            data.append({**root, "children": list(reversed(children))})
        body = {
            "page": page,
            "totalPages": -(-len(roots) // size),
            "pageSize": size,
            "count": len(comments),
            "data": data,
        }
        return self._send(200, {"errno": 0, "errmsg": "", "data": body})

    def _send(self, status: int, data: object) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def waline_server(paths: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Handler", (_Waline,), {"paths": paths, "asked": asked})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _expected(comments: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    depth: dict[str | None, int] = {None: 0}
    out: list[tuple[object, ...]] = []

    def walk(pid: str | None) -> None:
        for c in sorted((c for c in comments if c["pid"] == pid), key=lambda c: c["time"]):
            depth[c["objectId"]] = depth[pid] + 1
            text = c["comment"].strip().removeprefix("<p>").removesuffix("</p>")
            out.append(
                (
                    c["objectId"],
                    c["pid"],
                    c["nick"],
                    c["link"] or None,
                    timestamp_iso(c["time"] / 1000),
                    text.replace("&lt;", "<"),
                    depth[c["objectId"]],
                )
            )
            walk(c["objectId"])

    walk(None)
    return out


def test_crawl_archives_waline_threads_exactly_across_pages(tmp_path: Path) -> None:
    port = free_port()
    urls = article_urls(f"http://127.0.0.1:{port}", 3)
    paths = {urlsplit(u).path: _comments(urlsplit(u).path, n, i) for i, (u, n) in
             enumerate(zip(urls, [0, 120, 7], strict=True))}  # fmt: skip
    with waline_server(paths) as (api, asked):
        write_articles(tmp_path / "site", urls, lambda _: _embed(api))
        with serve(tmp_path / "site", port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sum("page=3" in p for p in asked) == 1  # 120 top-level comments, 50 a page
    for url in urls:
        comments = paths[urlsplit(url).path]
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(comments), url
        (article,) = db_rows(
            db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
        )
        assert tuple(article) == ("waline", len(comments))
