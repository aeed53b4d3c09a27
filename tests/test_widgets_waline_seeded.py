"""More Waline cases (beside test_widgets_waline.py): client v2 and v3 embeds (v2 asks
``/comment``, answered bare), integer ids of SQL storages, ``insertedAt`` dates, a crawl
against a local server holding seeded threads that pages by 4, and a crawl against a
real Waline server (``@waline/vercel`` from npm, skipped when it is not installed, failed
when it is not under CI=true) holding a thread of 56 top-level comments (two pages) and
one of 4."""

from __future__ import annotations

import json
import math
import os
import urllib.request
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import NamedTuple

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import WidgetFormatError, WidgetRef, detect_widget, merge_widget_pages
from scraper.extract.widgets import waline as adapter
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.waline_server import waline_available, waline_server
from tests.widget_servers import (
    JsonServer,
    Seeded,
    SeededThread,
    depth_of,
    json_server,
    seed_thread,
    write_site,
)

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x"


def v3_embed(server: str, extra: str = "") -> str:
    return (
        '<div id="waline"></div>\n<script type="module">\n'
        "  import { init } from 'https://unpkg.com/@waline/client@v3/dist/waline.js';\n"
        f"  init({{\n    el: '#waline',\n    serverURL: '{server}',{extra}\n  }});\n</script>"
    )


def v2_embed(server: str, extra: str = "") -> str:
    return (
        '<script src="https://unpkg.com/@waline/client@v2/dist/waline.js"></script>\n'
        '<div id="comments-here"></div>\n<script>\n  Waline.init({\n'
        f'    el: "#comments-here",\n    serverURL: "{server}",{extra}\n  }});\n</script>'
    )


def _page(embed: str) -> str:
    return f"<html><body><article><h1>T</h1><p>x</p></article>{embed}</body></html>"


# -- detect, requests, parse (pure) ------------------------------------------------------


def test_detect_a_v3_embed() -> None:
    ref = detect_widget(fromstring(_page(v3_embed("https://waline.example.net"))), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread) == (
        "waline",
        "https://waline.example.net/",
        "/2026/03/budget/",
    )
    assert adapter.first_request(ref) == (
        "https://waline.example.net/api/comment?path=%2F2026%2F03%2Fbudget%2F"
        "&page=1&pageSize=50&sortBy=insertedAt_asc"
    )


def test_detect_a_v2_embed_asks_the_v2_route() -> None:
    html = _page(v2_embed("https://w.example.net/", "\n    path: '/p/7',\n    pageSize: 4,"))
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None and ref.thread == "/p/7"
    assert adapter.first_request(ref) == (
        "https://w.example.net/comment?path=%2Fp%2F7&page=1&pageSize=50&sortBy=insertedAt_asc"
    )


def test_no_element_or_no_server_is_no_widget() -> None:
    no_el = _page(v3_embed("https://w.example.net").replace('id="waline"', 'id="x"'))
    assert detect_widget(fromstring(no_el), PAGE) is None
    no_server = _page(v3_embed("https://w.example.net").replace("serverURL", "server"))
    assert detect_widget(fromstring(no_server), PAGE) is None


REF = WidgetRef("waline", "https://w.example.net/", "/a/", PAGE, (("route", "api/comment"),))


def _w(
    oid: object,
    nick: str,
    html: str,
    time: int,
    pid: object = None,
    rid: object = None,
    **more: object,
) -> dict[str, object]:
    item: dict[str, object] = {
        "objectId": oid,
        "nick": nick,
        "link": "",
        "comment": html,
        "time": time,
        "status": "approved",
        "sticky": False,
        "like": 0,
        "browser": "Firefox 120",
        "os": "Linux",
        "avatar": "https://x/avatar",
    }
    if pid is not None:
        item.update(pid=pid, rid=rid, reply_user={"nick": "?", "link": ""})
    item.update(more)
    return item  # fmt: skip


def test_parse_a_v3_page_and_ask_for_the_next() -> None:
    data = {
        "page": 1,
        "totalPages": 3,
        "pageSize": 2,
        "count": 9,
        "data": [
            _w(11, "Ann", "<p>One</p>", 1772445600000, children=[
                _w(14, "Cy", "<p>Deeper</p>", 1772456400000, pid=13, rid=11),
                _w(13, "Bo", "<p>Reply</p>", 1772449200000, pid=11, rid=11, link="https://bo.example.org/"),
            ]),
            _w(12, "Di", "<p>Two<br>lines</p>", 1772452800000, children=[]),
        ],
    }  # fmt: skip
    body = json.dumps({"errno": 0, "errmsg": "", "data": data}).encode()
    page = adapter.parse(body, REF, adapter.first_request(REF))
    assert page.stated_count == 9
    assert [
        dict(x.split("=") for x in u.split("?")[1].split("&"))["page"] for u in page.next_requests
    ] == ["2"]
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == [
        ("11", None, "Ann", None, "2026-03-02T10:00:00+00:00", "One", 1),
        ("13", "11", "Bo", "https://bo.example.org/", "2026-03-02T11:00:00+00:00", "Reply", 2),
        ("14", "13", "Cy", None, "2026-03-02T13:00:00+00:00", "Deeper", 3),
        ("12", None, "Di", None, "2026-03-02T12:00:00+00:00", "Two\nlines", 1),
    ]
    # the last page states nothing and asks for nothing
    later = adapter.parse(body, REF, REF.api_base + "api/comment?path=%2Fa%2F&page=3")
    assert later.stated_count is None and later.next_requests == []


def test_parse_a_v2_page() -> None:
    data = {"page": 1, "totalPages": 1, "pageSize": 10, "count": 1, "data": [
        {"objectId": "65f0c0ffee", "nick": "Ann", "link": "", "comment": "<p>One</p>", "insertedAt": "2026-03-02T10:00:00.000Z", "pid": None, "rid": None, "children": []}
    ]}  # fmt: skip
    page = adapter.parse(json.dumps(data).encode(), REF, adapter.first_request(REF))
    assert [(c.comment_id, c.published_at) for c in page.comments] == [
        ("65f0c0ffee", "2026-03-02T10:00:00+00:00")
    ]
    assert page.next_requests == []


def test_parse_refuses_what_waline_does_not_answer() -> None:
    with pytest.raises(WidgetFormatError):
        adapter.parse(b"<html>502</html>", REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"errno": 1000, "errmsg": "forbidden", "data": null}', REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"errno": 0, "data": {"data": [{"nick": "x"}]}}', REF, "")


# -- a local server speaking Waline's API ------------------------------------------------


def _root_of(thread: SeededThread, c: Seeded) -> Seeded:
    by_id = {x.id: x for x in thread.comments}
    while c.parent is not None:
        c = by_id[c.parent]
    return c


def _formatted(c: Seeded, root: Seeded | None) -> dict[str, object]:
    item: dict[str, object] = {
        "objectId": int(c.id),
        "nick": c.author,
        "link": c.website or "",
        "comment": c.html,
        "status": "approved",
        "sticky": False,
        "like": 0,
        "avatar": "https://seccdn.libravatar.org/avatar/x",
        "browser": "Firefox 120",
        "os": "Linux",
        "time": int(c.created.timestamp() * 1000),
        "insertedAt": c.created.isoformat().replace("+00:00", "Z"),
    }
    if root is not None:
        item.update(pid=int(c.parent or 0), rid=int(root.id))
    return item


def waline_route(threads: list[SeededThread], max_size: int | None = None) -> object:
    """``getCommentList`` of Waline's server: ``pageSize`` top-level comments a page (by
    time; at most ``max_size``, a server limiting its pages), every reply under its
    top-level comment as ``children`` (newest first, as the server reverses them), wrapped
    for ``/api/comment``, bare for ``/comment``."""
    by_path = {t.key: t for t in threads}

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "GET" or path not in ("/api/comment", "/comment"):
            return 404, {"errno": 404, "errmsg": "not found"}
        thread = by_path.get(query.get("path", ""), SeededThread("", ""))
        page, size = int(query.get("page", "1")), int(query.get("pageSize", "10"))
        size = min(size, max_size or size)
        tops = sorted(thread.top(), key=lambda c: c.created)
        if query.get("sortBy") == "insertedAt_desc":
            tops.reverse()
        shown = tops[(page - 1) * size : page * size]
        data = []
        for top in shown:
            item = _formatted(top, None)
            kids = [c for c in thread.comments if c.parent and _root_of(thread, c) is top]
            item["children"] = [_formatted(c, top) for c in reversed(kids)]
            data.append(item)
        answer = {
            "page": page,
            "totalPages": math.ceil(len(tops) / size),
            "pageSize": size,
            "count": len(thread.comments),
            "data": data,
        }
        if path == "/api/comment":
            return 200, {"errno": 0, "errmsg": "", "data": answer}
        return 200, answer

    return route


class WalineSite(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]


TOPS = [9, 0, 3, 14]
PAGE_LIMIT = 4  # the local server's largest page: 9 and 14 top-level comments take pages


@pytest.fixture(scope="module")
def waline_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WalineSite]:
    tmp = tmp_path_factory.mktemp("waline")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            "/threads/four" if i == 3 else f"/news/part-{i + 1}/",
            n_top,
            seed=80 + i,
            make_id=lambda n, i=i: str(1000 * (i + 1) + n),
        )
        for i, n_top in enumerate(TOPS)
    ]
    with json_server(waline_route(threads, PAGE_LIMIT)) as server:
        api = server.base.rstrip("/")
        pages = [
            (threads[0].path, v3_embed(api, "\n    pageSize: 4,")),
            (threads[1].path, v3_embed(api)),
            (threads[2].path, v2_embed(api)),
            (threads[3].path, v2_embed(api, "\n    path: '/threads/four',\n    pageSize: 5,")),
        ]
        urls = write_site(tmp / "site", site, pages)
        with serve(tmp / "site", site_port):
            yield WalineSite(server, threads, urls)


def _expected(thread: SeededThread) -> list[tuple[object, ...]]:
    """Top level by time, each followed by its replies (by time, nested by ``pid``)."""
    out: list[Seeded] = []

    def place(c: Seeded) -> None:
        out.append(c)
        for kid in sorted(thread.replies(c.id), key=lambda k: k.created):
            place(kid)

    for top in sorted(thread.top(), key=lambda c: c.created):
        place(top)
    return [
        (
            c.id,
            c.parent,
            c.author,
            c.website,
            c.created.astimezone(UTC).isoformat(timespec="seconds"),
            c.text,
            depth_of(thread, c),
        )
        for c in out
    ]


def test_adapter_reads_every_page_from_the_server(waline_site: WalineSite) -> None:
    thread, url = waline_site.threads[3], waline_site.urls[3]  # 14 top level, pages of 4
    with urllib.request.urlopen(url, timeout=10) as answer:
        ref = detect_widget(fromstring(answer.read()), url)
    assert ref is not None and ref.adapter == "waline" and ref.thread == "/threads/four"
    queue, pages = [adapter.first_request(ref)], []
    while queue:
        api = queue.pop(0)
        with urllib.request.urlopen(api, timeout=10) as answer:
            pages.append(adapter.parse(answer.read(), ref, api))
        queue.extend(pages[-1].next_requests)
    assert len(pages) == 4
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in merge_widget_pages(pages)
    ]
    assert got == _expected(thread)
    assert max(row[-1] for row in got) >= 3  # replies to replies
    assert pages[0].stated_count == len(thread.comments)


def test_crawl_archives_every_waline_thread(waline_site: WalineSite, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(waline_site.urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: r
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(waline_site.urls)
    for url, thread in zip(waline_site.urls, waline_site.threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        assert articles[url]["comments_source"] == "waline", url
        assert articles[url]["comment_count"] == len(thread.comments), url
    asked = [path.split("?")[0] for _, path, _ in waline_site.server.asked]
    assert "/api/comment" in asked and "/comment" in asked  # v3 and v2 embeds


def test_a_failed_waline_page_leaves_the_thread_partial(
    waline_site: WalineSite, tmp_path: Path
) -> None:
    """The first page read, the second failing: what was read is kept, nothing removed."""
    db = tmp_path / "archive.db"
    url, thread = waline_site.urls[0], waline_site.threads[0]  # 9 top level, pages of 4
    assert run_crawl(url, db, "max_articles=1").returncode == 0
    before = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(before) == len(thread.comments)
    good = waline_route(waline_site.threads, PAGE_LIMIT)

    def flaky(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if query.get("page") == "2":
            return 500, {"errno": 500, "errmsg": "storage timeout"}
        return good(method, path, query, body)  # type: ignore[operator]

    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    with json_server(flaky) as down:
        page = page.replace(waline_site.server.base.rstrip("/"), down.base.rstrip("/"))
        moved = tmp_path / "site" / "news" / "part-1"
        moved.mkdir(parents=True)
        (moved / "index.html").write_text(page, "utf-8")
        with serve(tmp_path / "site", free_port()) as other:
            result = run_crawl(f"{other.base}/news/part-1/", db, "max_articles=1")
    assert result.returncode == 0, result.stderr[-3000:]
    row = db_rows(
        db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
    )
    assert row and row[0]["comments_source"] == "partial"
    assert row[0]["comment_count"] == len(thread.comments)  # the first page stated it
    after = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(after) == len(before)


# -- against a real Waline server (@waline/vercel from npm) ------------------------------

# the Markdown commenters wrote, where it differs from the text a reader sees
_MARKDOWN = {
    "This is really important & overdue.": "This is *really* important & overdue.",
    "Correction: the vote was on Tuesday.": "**Correction**: the vote was on Tuesday.",
}


def test_crawl_against_a_real_waline_server(tmp_path: Path) -> None:
    if not waline_available():
        message = (
            "@waline/vercel is not installed (npm install --prefix .waline @waline/vercel@1.39.3,"
            " or NEWSARCHIVE_WALINE=its directory; .ci/run installs it)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            f"/news/part-{i + 1}/",
            n_top,
            seed=140 + i,
            make_id=lambda n, i=i: str(1000 * (i + 1) + n),
        )
        for i, n_top in enumerate([56, 4])  # 56: two pages of the adapter's 50
    ]
    for thread in threads:  # Waline deletes a comment with its replies: none shown deleted
        for c in thread.comments:
            c.deleted = False
    markdown = {c.id: _MARKDOWN.get(c.text, c.text) for t in threads for c in t.comments}
    with waline_server(tmp_path, threads, markdown) as server:
        api = server.base.rstrip("/")
        pages = [
            (threads[0].path, v3_embed(api, "\n    pageSize: 5,")),
            (threads[1].path, v2_embed(api)),
        ]
        urls = write_site(tmp_path / "site", site, pages)
        with serve(tmp_path / "site", site_port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    for url, thread in zip(urls, threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        article = db_rows(
            db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
        )
        assert article and tuple(article[0]) == ("waline", len(thread.comments)), url
