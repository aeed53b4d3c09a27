"""More Commento cases (beside test_widgets_commento.py): data-id-root and the hosted CDN,
commenters, deleted comments kept without author or text, and a crawl against a local
server holding seeded threads (tests/widget_servers), asked by POST."""

from __future__ import annotations

import hashlib
import json
import random
import urllib.request
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import NamedTuple

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import WidgetFormatError, WidgetRef, detect_widget, merge_widget_pages
from scraper.extract.widgets import commento as adapter
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

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x"


def _page(embed: str) -> str:
    return f"<html><body><article><h1>T</h1><p>x</p></article>{embed}</body></html>"


# -- detect, request, parse (pure) -------------------------------------------------------


def test_detect_self_hosted_and_page_id() -> None:
    html = _page(
        '<div id="commento"></div>'
        '<script defer src="https://talk.example.net/js/commento.js" data-page-id="/p/42"></script>'
    )
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("domain")) == (
        "commento",
        "https://talk.example.net/",
        "/p/42",
        "news.example.org",
    )
    assert adapter.first_request(ref).url == "https://talk.example.net/api/comment/list"
    assert json.loads(adapter.first_request(ref).body) == {
        "commenterToken": "anonymous",
        "domain": "news.example.org",
        "path": "/p/42",
    }


def test_detect_hosted_root_element_and_page_path() -> None:
    html = _page(
        '<div id="talk-here"></div>'
        '<script src="https://cdn.commento.io/js/commento.js" data-id-root="talk-here"></script>'
    )
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None and (ref.api_base, ref.thread) == (
        "https://commento.io/",
        "/2026/03/budget/",
    )
    # the script without the element it fills, or another script: no widget
    assert detect_widget(fromstring(html.replace('talk-here"></div>', 'x"></div>')), PAGE) is None
    assert (
        detect_widget(fromstring(_page('<div id="commento"></div><script src="/app.js">')), PAGE)
        is None
    )


REF = WidgetRef(
    "commento", "https://talk.example.net/", "/a/", PAGE, (("domain", "n.example.org"),)
)


def test_parse_orders_by_time_and_reads_commenters() -> None:
    body = {
        "success": True,
        "requireIdentification": False,
        "isModerator": False,
        "isFrozen": False,
        "attributes": {"isLocked": False, "stickyCommentHex": "none"},
        "comments": [
            {"commentHex": "c3", "commenterHex": "anonymous", "markdown": "x", "html": "<p>a &lt; b</p>", "parentHex": "a1", "score": 0, "state": "approved", "creationDate": "2026-03-02T16:00:00Z", "deleted": False},
            {"commentHex": "a1", "commenterHex": "f00", "markdown": "One", "html": "<p>One</p>", "parentHex": "root", "score": 2, "state": "approved", "creationDate": "2026-03-02T10:00:00.5-05:00", "deleted": False},
            {"commentHex": "b2", "commenterHex": "ba4", "markdown": "", "html": "", "parentHex": "root", "score": 0, "state": "approved", "creationDate": "2026-03-02T15:30:00Z", "deleted": True},
        ],
        "commenters": {
            "f00": {"commenterHex": "f00", "name": "Ann Lee", "link": "https://ann.example.org/", "photo": "undefined", "provider": "commento"},
            "ba4": {"commenterHex": "ba4", "name": "Bo", "link": "undefined", "photo": "undefined", "provider": "commento"},
        },
    }  # fmt: skip
    page = adapter.parse(json.dumps(body).encode(), REF, adapter.first_request(REF))
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == [
        ("a1", None, "Ann Lee", "https://ann.example.org/", "2026-03-02T15:00:00+00:00", "One", 1),
        ("c3", "a1", None, None, "2026-03-02T16:00:00+00:00", "a < b", 2),
        ("b2", None, None, None, "2026-03-02T15:30:00+00:00", "", 1),
    ]
    assert page.stated_count is None and page.next_requests == []


def test_parse_refuses_what_commento_does_not_answer() -> None:
    with pytest.raises(WidgetFormatError):
        adapter.parse(b"<html>502</html>", REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"success": false, "message": "This domain is not registered."}', REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'{"success": true, "comments": [{"html": "x"}], "commenters": {}}', REF, "")


# -- a local server speaking Commento's API ----------------------------------------------


def _hex(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def commento_route(threads: list[SeededThread], domain: list[str]) -> object:
    """``POST /api/comment/list`` as commento.js reads it; the thread's comments in a
    shuffled order, the commenters as a map, anonymous ones outside it."""
    by_path = {t.key: t for t in threads}

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "POST" or path != "/api/comment/list":
            return 404, {"success": False, "message": "not found"}
        asked = json.loads(body)
        if asked.get("domain") != domain[0] or asked.get("commenterToken") != "anonymous":
            return 200, {"success": False, "message": "This domain is not registered."}
        thread = by_path.get(asked.get("path"), SeededThread("", ""))
        comments, commenters = [], {}
        for c in thread.comments:
            who = "anonymous" if c.author == "Dmitri" else _hex(f"{c.author} {c.website}")
            if who != "anonymous":
                commenters[who] = {
                    "commenterHex": who,
                    "name": c.author,
                    "link": c.website or "undefined",
                    "photo": "undefined",
                    "provider": "commento",
                    "joinDate": "2026-01-01T00:00:00Z",
                    "isModerator": False,
                }
            comments.append(
                {
                    "commentHex": c.id,
                    "commenterHex": who,
                    "markdown": "" if c.deleted else c.text,
                    "html": "" if c.deleted else c.html,
                    "parentHex": c.parent or "root",
                    "score": 0,
                    "state": "approved",
                    "creationDate": c.created.isoformat().replace("+00:00", "Z"),
                    "direction": 0,
                    "deleted": c.deleted,
                }
            )
        random.Random(len(comments)).shuffle(comments)
        return 200, {
            "success": True,
            "requireIdentification": False,
            "isModerator": False,
            "isFrozen": False,
            "attributes": {"isLocked": False, "stickyCommentHex": "none"},
            "comments": comments,
            "commenters": commenters,
            "configuredOauths": {"commento": True},
        }

    return route


class CommentoSite(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]


TOPS = [3, 0, 10, 5]


@pytest.fixture(scope="module")
def commento_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CommentoSite]:
    tmp = tmp_path_factory.mktemp("commento")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            "/threads/budget-4" if i == 3 else f"/news/part-{i + 1}/",
            n_top,
            seed=60 + i,
            make_id=lambda n, i=i: _hex(f"comment {i} {n}"),
        )
        for i, n_top in enumerate(TOPS)
    ]
    domain = [f"127.0.0.1:{site_port}"]
    with json_server(commento_route(threads, domain)) as server:
        pages = []
        for i, t in enumerate(threads):
            page_id = f' data-page-id="{t.key}"' if i == 3 else ""
            pages.append(
                (
                    t.path,
                    f'<div id="commento"></div>\n<script defer src="{server.base}js/commento.js"'
                    f"{page_id}></script>",
                )
            )
        urls = write_site(tmp / "site", site, pages)
        with serve(tmp / "site", site_port):
            yield CommentoSite(server, threads, urls)


def _author(c: Seeded) -> str | None:
    return None if c.deleted or c.author == "Dmitri" else c.author


def _expected(thread: SeededThread) -> list[tuple[object, ...]]:
    return [
        (
            c.id,
            c.parent,
            _author(c),
            None if _author(c) is None else c.website,
            c.created.astimezone(UTC).isoformat(timespec="seconds"),
            "" if c.deleted else c.text,
            depth_of(thread, c),
        )
        for c in reading_order(thread)
    ]


def test_adapter_reads_a_thread_from_the_server(commento_site: CommentoSite) -> None:
    thread, url = commento_site.threads[2], commento_site.urls[2]
    with urllib.request.urlopen(url, timeout=10) as answer:
        ref = detect_widget(fromstring(answer.read()), url)
    assert ref is not None and ref.adapter == "commento"
    api = adapter.first_request(ref)
    request = urllib.request.Request(api.url, data=api.body, method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        page = adapter.parse(answer.read(), ref, api)
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == _expected(thread)
    assert max(row[-1] for row in got) == 3
    assert any(row[2] is None and row[5] for row in got)  # an anonymous comment


def test_crawl_archives_every_commento_thread(commento_site: CommentoSite, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(commento_site.urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: r
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(commento_site.urls)
    for url, thread in zip(commento_site.urls, commento_site.threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, author_url, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        assert articles[url]["comments_source"] == "commento", url
    posts = [body for method, _, body in commento_site.server.asked if method == "POST"]
    assert len(posts) >= len(commento_site.urls)
    assert {json.loads(b)["path"] for b in posts} == {t.key for t in commento_site.threads}


def test_a_refused_commento_answer_leaves_the_thread_partial(
    commento_site: CommentoSite, tmp_path: Path
) -> None:
    """The same article served from another host: Commento refuses the domain."""
    db = tmp_path / "archive.db"
    url, thread = commento_site.urls[0], commento_site.threads[0]
    assert run_crawl(url, db, "max_articles=1").returncode == 0
    before = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(before) == len(thread.comments) > 0
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    moved = tmp_path / "site" / "news" / "part-1"
    moved.mkdir(parents=True)
    (moved / "index.html").write_text(page, "utf-8")
    with serve(tmp_path / "site", free_port()) as other:
        result = run_crawl(f"{other.base}/news/part-1/", db, "max_articles=1")
    assert result.returncode == 0, result.stderr[-3000:]
    row = db_rows(db, f"select comments_source from articles where canonical_url = '{url}'")
    assert row and row[0]["comments_source"] == "partial"
    after = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(after) == len(before)
