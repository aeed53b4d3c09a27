"""The Commento adapter against a local server answering ``POST /api/comment/list`` in the
format Commento's source gives, and a whole crawl."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlsplit

import pytest
from lxml.html import fromstring

from archive.reparse import reparse
from scraper.extract.widgets import WidgetFormatError, WidgetRequest, detect_widget
from scraper.extract.widgets import commento as adapter
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_site import article_urls, write_articles

PAGE = "https://news.example.org:8443/2026/03/budget/?x=1"


def _embed(origin: str, page_id: str | None = None) -> str:
    extra = f' data-page-id="{page_id}"' if page_id else ""
    return f'<div id="commento"></div><script defer src="{origin}/js/commento.js"{extra}></script>'


def test_detect_reads_the_script_and_the_page() -> None:
    ref = detect_widget(fromstring(f"<html><body>{_embed('https://c.example.net')}"), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("domain")) == (
        "commento",
        "https://c.example.net/",
        "/2026/03/budget/",
        "news.example.org:8443",  # location.host: the port too
    )
    ask = adapter.first_request(ref)
    assert isinstance(ask, WidgetRequest)
    assert ask.url == "https://c.example.net/api/comment/list"
    assert json.loads(ask.body or b"") == {
        "commenterToken": "anonymous",
        "domain": "news.example.org:8443",
        "path": "/2026/03/budget/",
    }


def test_detect_page_id_and_the_hosted_cdn() -> None:
    html = f"<html><body>{_embed('https://cdn.commento.example', '/story/7')}"
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None
    assert (ref.api_base, ref.thread) == ("https://commento.example/", "/story/7")


def test_no_element_or_no_script_is_no_widget() -> None:
    script = '<script src="https://c.example.net/js/commento.js"></script>'
    assert detect_widget(fromstring(f"<html><body>{script}"), PAGE) is None
    assert detect_widget(fromstring('<html><body><div id="commento"></div>'), PAGE) is None


def test_parse_refuses_failures() -> None:
    ref = detect_widget(fromstring(f"<html><body>{_embed('https://c.example.net')}"), PAGE)
    assert ref is not None
    for body in (b"x", b'{"success": false, "message": "no such domain"}', b'{"success": 1}'):
        with pytest.raises(WidgetFormatError):
            adapter.parse(body, ref, "https://c.example.net/api/comment/list")


# -- a local server answering in Commento's format ----------------------------------------

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _thread(path: str, n_top: int, seed: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []

    def add(parent: str, text: str) -> str:
        n = len(out)
        hex_id = f"{seed:02x}{n:06x}" + "ab" * 28
        moment = T0 + timedelta(minutes=13 * n, microseconds=250_000 * (n % 3))
        stamp = moment.isoformat().replace("+00:00", "Z")
        out.append(
            {"commentHex": hex_id, "commenterHex": "anonymous" if n % 3 == 0 else f"c{n % 4}",
             "markdown": "", "html": f"<p>{text}</p>\n", "parentHex": parent, "score": n % 5,
             "creationDate": stamp, "direction": 0, "deleted": False, "url": path}
        )  # fmt: skip
        return hex_id

    for i in range(n_top):
        top = add("root", f"Top {i}: <em>yes</em> &amp; no")
        for j in range(i % 3):
            reply = add(top, f"Reply {j}")
            if j == 1:
                add(reply, "Reply to the reply")
    return out


COMMENTERS = {
    "anonymous": {"commenterHex": "anonymous", "name": "Anonymous", "link": "undefined",
                  "photo": "undefined", "provider": "undefined", "isModerator": False},
    **{f"c{k}": {"commenterHex": f"c{k}", "name": f"Commenter {k}",
                 "link": f"https://c{k}.example.org" if k % 2 else "undefined",
                 "photo": "undefined", "provider": "commento", "isModerator": False}
       for k in range(4)},
}  # fmt: skip


class _Commento(http.server.BaseHTTPRequestHandler):
    threads: ClassVar[dict[tuple[str, str], list[dict[str, Any]]]] = {}
    asked: ClassVar[list[dict[str, Any]]] = []

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        if self.path != "/api/comment/list":
            return self._send(404, {"success": False, "message": "not found"})
        query = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.asked.append(query)
        key = (query.get("domain", ""), query.get("path", ""))
        if query.get("commenterToken") != "anonymous" or key not in self.threads:
            return self._send(200, {"success": False, "message": "no such domain"})
        comments = list(reversed(self.threads[key]))  # the database's order, not time's
        used = {c["commenterHex"] for c in comments}
        page = {"domain": key[0], "path": key[1], "isLocked": False,
                "commentCount": len(comments), "stickyCommentHex": "none", "title": ""}  # fmt: skip
        return self._send(
            200,
            {"success": True, "domain": key[0], "comments": comments,
             "commenters": {h: COMMENTERS[h] for h in used}, "requireModeration": False,
             "requireIdentification": False, "isFrozen": False, "isModerator": False,
             "defaultSortPolicy": "score-desc", "attributes": page,
             "configuredOauths": {"commento": True}},
        )  # fmt: skip

    def _send(self, status: int, data: object) -> None:
        body = json.dumps(data).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def commento_server(
    threads: dict[tuple[str, str], list[dict[str, Any]]],
) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    asked: list[dict[str, Any]] = []
    handler = type("Handler", (_Commento,), {"threads": threads, "asked": asked})
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
    depth: dict[str, int] = {"root": 0}
    out: list[tuple[object, ...]] = []

    def walk(parent: str) -> None:
        kids = [c for c in comments if c["parentHex"] == parent]
        for c in sorted(kids, key=lambda c: datetime.fromisoformat(c["creationDate"])):
            depth[c["commentHex"]] = depth[parent] + 1
            person = COMMENTERS[c["commenterHex"]]
            moment = datetime.fromisoformat(c["creationDate"]).replace(microsecond=0)
            text = c["html"].strip().removeprefix("<p>").removesuffix("</p>")
            out.append(
                (
                    c["commentHex"],
                    None if parent == "root" else parent,
                    person["name"],
                    None if person["link"] == "undefined" else person["link"],
                    moment.isoformat(),
                    text.replace("<em>", "").replace("</em>", "").replace("&amp;", "&"),
                    depth[c["commentHex"]],
                )
            )
            walk(c["commentHex"])

    walk("root")
    return out


def test_crawl_archives_commento_threads_exactly(tmp_path: Path) -> None:
    port = free_port()
    urls = article_urls(f"http://127.0.0.1:{port}", 2)
    host = f"127.0.0.1:{port}"
    threads = {(host, urlsplit(u).path): _thread(urlsplit(u).path, n, i)
               for i, (u, n) in enumerate(zip(urls, [9, 0], strict=True))}  # fmt: skip
    with commento_server(threads) as (origin, asked):
        write_articles(tmp_path / "site", urls, lambda _: _embed(origin))
        with serve(tmp_path / "site", port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(q["path"] for q in asked) == sorted(urlsplit(u).path for u in urls)
    for url in urls:
        comments = threads[(host, urlsplit(url).path)]
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(comments), url
        (article,) = db_rows(
            db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
        )
        assert tuple(article) == ("commento", len(comments))


def test_reparse_does_not_take_a_post_answer_from_another_thread(tmp_path: Path) -> None:
    """Every Commento thread is asked at one URL: re-extraction must not give an article
    the stored answer of another article's thread."""
    port = free_port()
    urls = article_urls(f"http://127.0.0.1:{port}", 2)
    host = f"127.0.0.1:{port}"
    threads = {(host, urlsplit(u).path): _thread(urlsplit(u).path, n, i)
               for i, (u, n) in enumerate(zip(urls, [4, 6], strict=True))}  # fmt: skip
    with commento_server(threads) as (origin, _):
        write_articles(tmp_path / "site", urls, lambda _: _embed(origin))
        with serve(tmp_path / "site", port):
            db = tmp_path / "archive.db"
            assert run_crawl(urls[0], db).returncode == 0
    reparse(db)
    for url in urls:
        comments = threads[(host, urlsplit(url).path)]
        rows = db_rows(db, f"select comment_id from comments where article_url = '{url}'")
        assert sorted(r[0] for r in rows) == sorted(c["commentHex"] for c in comments), url
