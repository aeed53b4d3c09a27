"""More Remark42 cases (beside test_widgets_remark42.py): snippets with and without
site_id and url, Go's nanosecond times read as UTC, deleted comments kept without author
or text, and a crawl against a local server holding seeded threads (tests/widget_servers)."""

from __future__ import annotations

import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, timedelta, timezone
from pathlib import Path
from typing import NamedTuple

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import WidgetFormatError, WidgetRef, detect_widget, merge_widget_pages
from scraper.extract.widgets import remark42 as adapter
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_servers import (
    JsonServer,
    Seeded,
    SeededThread,
    depth_of,
    json_server,
    reading_order,
    seed_thread,
    write_site,
)

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x#comments"


def _embed(host: str, site: str | None = "gazette", url: str | None = None) -> str:
    settings = [f"host: '{host}'"]
    if site is not None:
        settings.append(f'site_id: "{site}"')
    if url is not None:
        settings.append(f"url: '{url}'")
    return (
        '<div id="remark42"></div>\n<script>\n  var remark_config = {\n    '
        + ",\n    ".join(settings)
        + ",\n    components: ['embed'],\n    theme: 'light'\n  };\n</script>\n"
        f'<script src="{host}/web/embed.js" defer></script>'
    )


def _page(embed: str) -> str:
    return f"<html><body><article><h1>T</h1><p>x</p></article>{embed}</body></html>"


# -- detect, first request, parse (pure) -----------------------------------------------


def test_detect_reads_remark_config() -> None:
    ref = detect_widget(fromstring(_page(_embed("https://remark.example.net"))), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("site")) == (
        "remark42",
        "https://remark.example.net/",
        "https://news.example.org/2026/03/budget/",  # origin + path, as the embed takes it
        "gazette",
    )
    assert adapter.first_request(ref) == (
        "https://remark.example.net/api/v1/find?site=gazette&"
        "url=https%3A%2F%2Fnews.example.org%2F2026%2F03%2Fbudget%2F&sort=time&format=tree"
    )


def test_detect_defaults_and_an_explicit_thread_url() -> None:
    html = _page(_embed("https://c.example.net/", site=None, url="https://old.example.org/p/1"))
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None
    assert (ref.option("site"), ref.thread) == ("remark", "https://old.example.org/p/1")


def test_no_holder_or_no_host_is_no_widget() -> None:
    no_holder = _page(_embed("https://c.example.net").replace('id="remark42"', 'id="other"'))
    assert detect_widget(fromstring(no_holder), PAGE) is None
    no_host = _page('<div id="remark42"></div><script>var remark_config = {site_id: "x"};</script>')
    assert detect_widget(fromstring(no_host), PAGE) is None


REF = WidgetRef("remark42", "https://c.example.net/", "https://n.example.org/a/", PAGE)


def _c(cid: str, pid: str, name: str, text: str, time: str, delete: bool = False) -> object:
    return {
        "id": cid,
        "pid": pid,
        "text": text,
        "user": {"name": name, "id": f"github_{name.lower()}", "picture": "", "admin": False},
        "locator": {"site": "remark", "url": "https://n.example.org/a/"},
        "score": 0,
        "vote": 0,
        "time": time,
        "pin": False,
        "delete": delete,
        "title": "A",
    }


def test_parse_a_tree_answer() -> None:
    body = {
        "comments": [
            {
                "comment": _c("a1", "", "Ann", "<p>One</p>", "2026-03-02T10:00:00.123456789-05:00"),
                "replies": [
                    {
                        "comment": _c("b2", "a1", "Bo", "", "2026-03-02T15:30:00Z", delete=True),
                        "replies": [
                            {
                                "comment": _c(
                                    "c3", "b2", "Cy", "<p>a &lt; b</p>", "2026-03-02T16:00:00Z"
                                )
                            }
                        ],
                    }
                ],
            },
            {"comment": _c("d4", "", "Di", "<p>Two<br>lines</p>", "2026-03-03T00:00:00+02:00")},
        ],
        "info": {"url": "https://n.example.org/a/", "count": 3, "read_only": False},
    }
    page = adapter.parse(json.dumps(body).encode(), REF, adapter.first_request(REF))
    assert page.stated_count == 3 and page.next_requests == []
    got = [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == [
        ("a1", None, "Ann", "2026-03-02T15:00:00+00:00", "One", 1),
        ("b2", "a1", None, "2026-03-02T15:30:00+00:00", "", 2),
        ("c3", "b2", "Cy", "2026-03-02T16:00:00+00:00", "a < b", 3),
        ("d4", None, "Di", "2026-03-02T22:00:00+00:00", "Two\nlines", 1),
    ]


def test_parse_refuses_what_remark42_does_not_answer() -> None:
    with pytest.raises(WidgetFormatError):
        adapter.parse(b"<html>502</html>", REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"error": "site not found"}', REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"comments": [{"comment": {"pid": ""}}]}', REF, "")


# -- a local server speaking Remark42's API ----------------------------------------------

SITE_ID = "gazette"
_OFFSET = timezone(timedelta(hours=-5))


def _remark_comment(thread: SeededThread, c: Seeded) -> dict[str, object]:
    stamp = c.created.astimezone(_OFFSET).isoformat(timespec="microseconds")
    return {
        "id": c.id,
        "pid": c.parent or "",
        "text": "" if c.deleted else c.html,
        "user": {"name": "deleted" if c.deleted else c.author, "id": "x", "picture": ""},
        "locator": {"site": SITE_ID, "url": thread.key},
        "score": 0,
        "vote": 0,
        "time": stamp,
        "pin": False,
        "delete": c.deleted,
        "title": "Council debates budget",
    }


def remark42_route(threads: list[SeededThread]) -> object:
    """``GET /api/v1/find`` as the documentation gives it: the tree (top level by time,
    replies by time) or the plain list, and the post's info."""
    by_key = {t.key: t for t in threads}

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "GET" or path != "/api/v1/find":
            return 404, {"error": "not found"}
        if query.get("site") != SITE_ID:
            return 400, {"code": 12, "error": "site not found"}
        thread = by_key.get(query.get("url", ""), SeededThread("", query.get("url", "")))

        def node(c: Seeded) -> dict[str, object]:
            kids = sorted(thread.replies(c.id), key=lambda k: k.created)
            out: dict[str, object] = {"comment": _remark_comment(thread, c)}
            if kids:
                out["replies"] = [node(k) for k in kids]
            return out

        info = {"url": thread.key, "count": sum(not c.deleted for c in thread.comments)}
        if query.get("format") == "plain":
            items = [_remark_comment(thread, c) for c in thread.comments]
            return 200, {"comments": items, "info": info}
        tops = sorted(thread.top(), key=lambda c: c.created)
        return 200, {"comments": [node(c) for c in tops], "info": info}

    return route


class Remark42Site(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]


TOPS = [0, 4, 12, 7]


@pytest.fixture(scope="module")
def remark_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Remark42Site]:
    tmp = tmp_path_factory.mktemp("remark42")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = []
    for i, n_top in enumerate(TOPS):
        path = f"/news/part-{i + 1}/"
        key = "https://gazette.example.org/old/7" if i == 3 else f"{site}{path}"
        threads.append(
            seed_thread(
                path, key, n_top, seed=40 + i, make_id=lambda n: str(uuid.UUID(int=n * 7919 + 1))
            )
        )
    with json_server(remark42_route(threads)) as server:
        host = server.base.rstrip("/")
        pages = [
            (t.path, _embed(host, url=t.key if i == 3 else None)) for i, t in enumerate(threads)
        ]
        urls = write_site(tmp / "site", site, pages)
        with serve(tmp / "site", site_port):
            yield Remark42Site(server, threads, urls)


def _expected(thread: SeededThread) -> list[tuple[object, ...]]:
    return [
        (
            c.id,
            c.parent,
            None if c.deleted else c.author,
            c.created.astimezone(UTC).isoformat(timespec="seconds"),
            "" if c.deleted else c.text,
            depth_of(thread, c),
        )
        for c in reading_order(thread)
    ]


def test_adapter_reads_a_thread_from_the_server(remark_site: Remark42Site) -> None:
    thread, url = remark_site.threads[2], remark_site.urls[2]
    with urllib.request.urlopen(url, timeout=10) as answer:
        ref = detect_widget(fromstring(answer.read()), url)
    assert ref is not None and ref.adapter == "remark42"
    api = adapter.first_request(ref)
    with urllib.request.urlopen(api, timeout=10) as answer:
        page = adapter.parse(answer.read(), ref, api)
    got = [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == _expected(thread)
    assert max(row[-1] for row in got) == 3  # replies to replies
    assert any(row[4] == "" for row in got)  # a deleted comment kept for its replies
    assert page.stated_count == sum(not c.deleted for c in thread.comments)


def test_crawl_archives_every_remark42_thread(remark_site: Remark42Site, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(remark_site.urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: r
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(remark_site.urls)
    for url, thread in zip(remark_site.urls, remark_site.threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        assert articles[url]["comments_source"] == "remark42", url
        assert articles[url]["comment_count"] == sum(not c.deleted for c in thread.comments), url
    asked = [path for method, path, _ in remark_site.server.asked if method == "GET"]
    assert "/robots.txt" in asked  # the API host's robots.txt, as for every host


def test_a_failed_remark42_api_leaves_the_thread_partial(
    remark_site: Remark42Site, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    url, thread = remark_site.urls[1], remark_site.threads[1]
    assert run_crawl(url, db, "max_articles=1").returncode == 0
    before = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(before) == len(thread.comments)
    # the same article again (its canonical URL), the API now answering 500
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")

    def broken(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        return 500, {"error": "store is down"}

    with json_server(broken) as down:
        page = page.replace(remark_site.server.base.rstrip("/"), down.base.rstrip("/"))
        moved = tmp_path / "site" / "news" / "part-2"
        moved.mkdir(parents=True)
        (moved / "index.html").write_text(page, "utf-8")
        with serve(tmp_path / "site", free_port()) as other:
            result = run_crawl(f"{other.base}/news/part-2/", db, "max_articles=1")
    assert result.returncode == 0, result.stderr[-3000:]
    row = db_rows(db, f"select comments_source from articles where canonical_url = '{url}'")
    assert row and row[0]["comments_source"] == "partial"
    after = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(after) == len(before)
