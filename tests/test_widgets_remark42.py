"""The Remark42 adapter against a local server speaking Remark42's documented ``find``
format (``GET /api/v1/find?site=&url=&sort=&format=tree``), and a whole crawl."""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from lxml.html import fromstring

from scraper.extract.widgets import WidgetFormatError, detect_widget, merge_widget_pages
from scraper.extract.widgets import remark42 as adapter
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_site import article_urls, write_articles

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x"
_EMBED = """<script>
  var remark_config = {
    host: '{host}',
    site_id: "gazette",
    components: ['embed'],{url}
    max_shown_comments: 10,
  }
</script>
<script>!(function (e, n) {{ /* the loader from Remark42's docs */ }})(['embed'], document)</script>
"""


def _embed(host: str, url: str | None = None) -> str:
    line = f"\n    url: '{url}'," if url else ""
    return _EMBED.replace("{host}", host).replace("{url}", line)


def _page(script: str, node: str = '<div id="remark42"></div>') -> str:
    return f"<html><body><article><h1>T</h1><p>x</p></article>{node}{script}</body></html>"


def test_detect_reads_remark_config() -> None:
    ref = detect_widget(fromstring(_page(_embed("https://remark.example.net"))), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("site")) == (
        "remark42",
        "https://remark.example.net/",
        "https://news.example.org/2026/03/budget/",  # origin + pathname: no query
        "gazette",
    )
    assert adapter.first_request(ref) == (
        "https://remark.example.net/api/v1/find?site=gazette"
        "&url=https%3A%2F%2Fnews.example.org%2F2026%2F03%2Fbudget%2F&sort=time&format=tree"
    )


def test_detect_takes_the_page_url_the_config_names() -> None:
    html = _page(_embed("https://r.example.net/", "https://news.example.org/p/1"))
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None and ref.thread == "https://news.example.org/p/1"


def test_no_node_or_no_host_is_no_widget() -> None:
    assert detect_widget(fromstring(_page(_embed("https://r.example.net"), "")), PAGE) is None
    bare = _page("<script>var remark_config = {site_id: 'x'}</script>")
    assert detect_widget(fromstring(bare), PAGE) is None


def test_parse_refuses_other_answers() -> None:
    ref = detect_widget(fromstring(_page(_embed("https://r.example.net"))), PAGE)
    assert ref is not None
    for body in (b"not json", b'{"info": {}}', b'{"comments": [{"replies": []}]}'):
        try:
            adapter.parse(body, ref, adapter.first_request(ref))
        except WidgetFormatError:
            continue
        raise AssertionError(f"accepted {body!r}")


# -- a local server speaking the documented format ----------------------------------------

BASE_TIME = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _records(url: str, n_top: int, seed: int) -> list[dict[str, Any]]:
    """Flat comments of one post: top-level ones, replies, replies to replies (3 deep)."""
    out: list[dict[str, Any]] = []
    for i in range(n_top):
        top = f"{seed:02d}-{i:02d}-aaaa-4bcd"
        out.append(_record(top, "", url, len(out), f"Top comment {i} &amp; more"))
        for j in range(i % 3):
            reply = f"{top}-r{j}"
            out.append(_record(reply, top, url, len(out), f"Reply {j}<br>second line"))
            if j == 1:
                out.append(_record(f"{reply}-x", reply, url, len(out), "<p>Deep</p><p>two</p>"))
    return out


def _record(cid: str, pid: str, url: str, n: int, html: str) -> dict[str, Any]:
    moment = BASE_TIME + timedelta(minutes=7 * n, microseconds=123456)
    return {
        "id": cid,
        "pid": pid,
        "text": f"<p>{html}</p>" if not html.startswith("<p>") else html,
        "orig": "(markdown)",
        "user": {"name": f"User {n % 4}", "id": f"github_{n % 4}", "picture": ""},
        "locator": {"site": "gazette", "url": url},
        "score": 0,
        "vote": 0,
        "time": moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "pin": False,
        "delete": False,
        "title": "A post",
    }


class _Remark(http.server.BaseHTTPRequestHandler):
    posts: ClassVar[dict[str, list[dict[str, Any]]]] = {}
    asked: ClassVar[list[str]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self.asked.append(self.path)
        parts = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        if parts.path != "/api/v1/find":
            return self._send(404, {"error": "not found"})
        if query.get("site") != "gazette" or query.get("format") != "tree":
            return self._send(400, {"error": "bad request"})
        records = self.posts.get(query.get("url", ""), [])
        nodes: dict[str, dict[str, Any]] = {r["id"]: {"comment": r} for r in records}
        roots = []
        for r in sorted(records, key=lambda r: r["time"]):
            node = nodes[r["id"]]
            if r["pid"]:
                nodes[r["pid"]].setdefault("replies", []).append(node)
            else:
                roots.append(node)
        info = {"url": query.get("url"), "count": len(records)}
        return self._send(200, {"comments": roots, "info": info})

    def _send(self, status: int, data: object) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def remark_server(posts: dict[str, list[dict[str, Any]]]) -> Iterator[tuple[str, list[str]]]:
    asked: list[str] = []
    handler = type("Handler", (_Remark,), {"posts": posts, "asked": asked})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_crawl_archives_remark42_threads_exactly(tmp_path: Path) -> None:
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    urls = article_urls(site, 3)
    posts = {
        url: _records(url, n, i) for i, (url, n) in enumerate(zip(urls, [5, 0, 8], strict=True))
    }
    with remark_server(posts) as (api, asked):
        write_articles(tmp_path / "site", urls, lambda _: '<div id="remark42"></div>' + _embed(api))
        with serve(tmp_path / "site", port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sum(p.startswith("/api/v1/find?") for p in asked) == len(urls)
    for url in urls:
        expected = _expected(posts[url])
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == expected, url
        article = db_rows(
            db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
        )
        assert tuple(article[0]) == ("remark42", len(expected))


def _expected(records: list[dict[str, Any]]) -> list[tuple[object, ...]]:
    """(id, parent, author, date, text, depth) in reading order: depth first by time."""
    depth: dict[str, int] = {}
    out: list[tuple[object, ...]] = []

    def walk(pid: str) -> None:
        for r in sorted((r for r in records if r["pid"] == pid), key=lambda r: r["time"]):
            depth[r["id"]] = depth.get(pid, 0) + 1
            when = datetime.fromisoformat(r["time"]).replace(microsecond=0).isoformat()
            out.append(
                (r["id"], r["pid"] or None, r["user"]["name"], when, _text(r), depth[r["id"]])
            )
            walk(r["id"])

    walk("")
    return out


def _text(record: dict[str, Any]) -> str:
    html = record["text"]
    if "<br>" in html:
        return html.removeprefix("<p>").removesuffix("</p>").replace("<br>", "\n")
    if "Deep" in html:
        return "Deep\n\ntwo"
    return html.removeprefix("<p>").removesuffix("</p>").replace("&amp;", "&")


def test_merge_keeps_remark42_depths() -> None:
    url = "https://news.example.org/p/"
    records = _records(url, 4, 1)
    with remark_server({url: records}) as (api, _):
        html = _page(_embed(api, url))
        ref = detect_widget(fromstring(html), url)
        assert ref is not None
        first = adapter.first_request(ref)
        with urllib.request.urlopen(first, timeout=10) as answer:
            page = adapter.parse(answer.read(), ref, first)
    comments = merge_widget_pages([page])
    assert [(c.comment_id, c.depth) for c in comments] == [(e[0], e[5]) for e in _expected(records)]
    assert max(c.depth for c in comments) == 3 and page.stated_count == len(records)
