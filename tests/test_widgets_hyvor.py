"""The Hyvor Talk adapter: detection on the current and the older embed, the Data API
requests, its answers read (replies nested, deleted and hidden comments, pages of 50,
refusals), and a crawl against a local server answering in the Data API's format."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml.html import fromstring

from archive.reparse import reparse
from scraper.extract.widgets import WidgetFormatError, WidgetRef, detect_widget, merge_widget_pages
from scraper.extract.widgets import hyvor as adapter
from tests.crawling import archive_content, db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_servers import (
    JsonServer,
    SeededThread,
    depth_of,
    json_server,
    reading_order,
    seed_thread,
    write_site,
)

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x"
CANONICAL = '<link rel="canonical" href="https://news.example.org/2026/03/budget/">'
EMBED_JS = '<script async src="https://talk.hyvor.com/embed/embed.js" type="module"></script>'


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body><article><h1>T</h1><p>x</p></article>{body}"


# -- detect and first_request (pure) -----------------------------------------------------


def test_detect_the_web_component_and_its_page_id() -> None:
    html = _page(
        CANONICAL,
        f'<hyvor-talk-comments website-id="8812" page-id="post-42"></hyvor-talk-comments>{EMBED_JS}',
    )
    ref = detect_widget(fromstring(html), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("website")) == (
        "hyvor",
        "https://talk.hyvor.com/",
        "post-42",
        "8812",
    )
    assert adapter.first_request(ref) == (
        "https://talk.hyvor.com/api/data/v1/pages?website_id=8812&identifier=post-42"
    )


def test_without_page_id_the_thread_is_the_canonical_url() -> None:
    element = '<hyvor-talk-comments website-id="8812"></hyvor-talk-comments>'
    ref = detect_widget(fromstring(_page(CANONICAL, element + EMBED_JS)), PAGE)
    assert ref is not None and ref.thread == "https://news.example.org/2026/03/budget/"
    bare = detect_widget(
        fromstring(_page("", element.replace('">', '" page-id="">') + EMBED_JS)), PAGE
    )
    assert bare is not None and bare.thread == "https://news.example.org/2026/03/budget/"


def test_a_self_hosted_instance_or_script_origin_is_the_api() -> None:
    own = (
        '<hyvor-talk-comments website-id="1" page-id="p" instance="https://talk.example.net">'
        "</hyvor-talk-comments>"
        '<script async src="https://talk.example.net/embed/embed.js" type="module"></script>'
    )
    ref = detect_widget(fromstring(_page("", own)), PAGE)
    assert ref is not None and ref.api_base == "https://talk.example.net/"
    served = own.replace(' instance="https://talk.example.net"', "").replace(
        "talk.example.net", "127.0.0.1:8123"
    )
    ref = detect_widget(fromstring(_page("", served)), PAGE)
    assert ref is not None and ref.api_base == "https://127.0.0.1:8123/"
    other = '<script src="https://video.example.com/embed/embed.js"></script>'
    element = '<hyvor-talk-comments website-id="1" page-id="p"></hyvor-talk-comments>'
    ref = detect_widget(fromstring(_page("", other + element + EMBED_JS)), PAGE)
    assert ref is not None and ref.api_base == "https://talk.hyvor.com/"


def test_detect_the_older_embed_settings() -> None:
    old = """<div id="hyvor-talk-view"></div>
<script type="text/javascript">
    var HYVOR_TALK_WEBSITE = 3377; // DO NOT CHANGE THIS
    var HYVOR_TALK_CONFIG = {
        url: "https://news.example.org/2026/03/budget/",
        id: "budget-2026",
        loadMode: "scroll"
    };
</script>
<script async type="text/javascript" src="//talk.hyvor.com/web-api/embed.js"></script>"""
    ref = detect_widget(fromstring(_page("", old)), PAGE)
    assert ref is not None
    assert (ref.api_base, ref.thread, ref.option("website")) == (
        "https://talk.hyvor.com/",
        "budget-2026",
        "3377",
    )
    unset = old.replace('url: "https://news.example.org/2026/03/budget/",', "url: false,")
    unset = unset.replace('id: "budget-2026",', "id: false,")
    unset = unset.replace("};\n</script>", '};\ntrack({id: "x"});\n</script>', 1)
    ref = detect_widget(fromstring(_page(CANONICAL, unset)), PAGE)
    assert ref is not None and ref.thread == "https://news.example.org/2026/03/budget/"
    on_http = detect_widget(fromstring(_page("", old)), PAGE.replace("https:", "http:"))
    assert on_http is not None and on_http.api_base == "https://talk.hyvor.com/"
    by_url = detect_widget(fromstring(_page("", old.replace('id: "budget-2026",', ""))), PAGE)
    assert by_url is not None and by_url.thread == "https://news.example.org/2026/03/budget/"


def test_no_website_id_or_no_embed_is_no_hyvor() -> None:
    assert (
        detect_widget(fromstring(_page("", "<hyvor-talk-comments></hyvor-talk-comments>")), PAGE)
        is None
    )
    settings = "<script>var HYVOR_TALK_WEBSITE = 3377;</script>"
    assert detect_widget(fromstring(_page("", settings)), PAGE) is None  # no embed script
    assert detect_widget(fromstring(_page("", '<div class="hyvor-talk-view"></div>')), PAGE) is None


# -- parse (pure) ------------------------------------------------------------------------

REF = WidgetRef("hyvor", "https://talk.hyvor.com/", "post-42", PAGE, (("website", "8812"),))


def _comments_url(offset: int) -> str:
    return (
        "https://talk.hyvor.com/api/data/v1/comments?website_id=8812&page_id=901&sort=oldest"
        f"&limit=50&offset={offset}"
    )


def test_the_page_answer_gives_the_page_id_and_the_stated_count() -> None:
    body = [
        {"id": 900, "identifier": "post-41", "url": "https://n.example.org/41", "comments_count": 3},
        {"id": 901, "identifier": "post-42", "url": "https://n.example.org/42", "title": "Budget",
         "comments_count": 57, "is_closed": False, "created_at": 1772442000},
    ]  # fmt: skip
    page = adapter.parse(json.dumps(body).encode(), REF, adapter.first_request(REF))
    assert page.comments == [] and page.stated_count == 57
    assert page.next_requests == [_comments_url(0)]
    # the older API's wrapper; a thread without comments has no page yet
    wrapped = {"status": True, "data": body}
    assert (
        adapter.parse(json.dumps(wrapped).encode(), REF, adapter.first_request(REF)).stated_count
        == 57
    )
    empty = adapter.parse(b"[]", REF, adapter.first_request(REF))
    assert (empty.stated_count, empty.next_requests) == (0, [])


def _c(cid: int, parent: int | None, depth: int, t: int, **extra: Any) -> dict[str, Any]:
    return {"id": cid, "page_id": 901, "url": f"https://n.example.org/42#c{cid}",
            "parent_id": parent, "depth": depth, "created_at": t, "is_hidden": False,
            "body": "x", "body_html": f"<p>c{cid} &amp; more</p>", "is_featured": False,
            "upvotes": 0, "downvotes": 0, "status": "published",
            "user": {"name": f"User {cid}", "username": f"u{cid}", "picture_url": None,
                     "website_url": "https://u.example.org/" if cid == 1 else None}, **extra}  # fmt: skip


def test_comments_nested_deleted_hidden_and_not_public() -> None:
    body = [
        _c(1, None, 1, 1772442000),
        _c(2, 1, 2, 1772442060, status="deleted", body_html="", user=None),
        _c(3, 2, 3, 1772442120),
        _c(4, None, 1, 1772442180),
        {"id": 5, "page_id": 901, "url": "u", "parent_id": 4, "depth": 2,
         "created_at": 1772442240, "is_hidden": True},
        _c(6, 4, 2, 1772442300, status="pending"),
        _c(7, 4, 2, 1772442360, body_html=None, content_html="<p>from the embed's field</p>"),
    ]  # fmt: skip
    page = adapter.parse(json.dumps(body).encode(), REF, _comments_url(0))
    got = [
        (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page])
    ]
    assert got == [
        (
            "1",
            None,
            "User 1",
            "https://u.example.org/",
            "2026-03-02T09:00:00+00:00",
            "c1 & more",
            1,
        ),
        ("2", "1", None, None, "2026-03-02T09:01:00+00:00", "", 2),
        ("3", "2", "User 3", None, "2026-03-02T09:02:00+00:00", "c3 & more", 3),
        ("4", None, "User 4", None, "2026-03-02T09:03:00+00:00", "c4 & more", 1),
        ("5", "4", None, None, "2026-03-02T09:04:00+00:00", "", 2),
        ("7", "4", "User 7", None, "2026-03-02T09:06:00+00:00", "from the embed's field", 2),
    ]
    assert page.next_requests == [] and page.stated_count is None
    assert page.comments[0].published_at_raw == "1772442000"


def test_a_full_answer_asks_for_the_next_fifty() -> None:
    full = [_c(n, None, 1, 1772442000 + n) for n in range(1, 51)]
    page = adapter.parse(json.dumps(full).encode(), REF, _comments_url(50))
    assert len(page.comments) == 50 and page.next_requests == [_comments_url(100)]
    last = adapter.parse(json.dumps(full[:3]).encode(), REF, _comments_url(100))
    assert last.next_requests == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html>502 Bad Gateway</html>",
        b'{"comments": [',
        b'{"status": false, "error": "Public access is not enabled"}',
        b'{"error": "website not found"}',
        b'[{"page_id": 901, "body_html": "<p>no id</p>"}]',
        b"[1, 2]",
    ],
)
def test_parse_refuses_what_is_not_the_data_api(body: bytes) -> None:
    with pytest.raises(WidgetFormatError):
        adapter.parse(body, REF, _comments_url(0))


def test_parse_refuses_a_page_without_an_id() -> None:
    with pytest.raises(WidgetFormatError):
        adapter.parse(b'[{"identifier": "post-42"}]', REF, adapter.first_request(REF))


# -- a local server answering in the Data API's format ------------------------------------

WEBSITE = "4242"
FAIL_OFFSET = 50  # the failing thread's second page of comments answers 500


def hyvor_route(threads: list[SeededThread], failing: set[str]) -> Any:
    """``GET /api/data/v1/pages`` and ``/comments`` for one website: pages by identifier,
    comments of a page oldest first, 50 at most a request (Hyvor's limit); the threads in
    ``failing`` answer 500 from their second page of comments on."""
    pages = {t.key: (1000 + i, t) for i, t in enumerate(threads) if t.comments}

    def comment(thread: SeededThread, c: Any, page_id: int) -> dict[str, Any]:
        user = None if c.deleted else {
            "name": c.author, "username": c.author.lower().replace(" ", ""),
            "picture_url": None, "bio": None, "location": None,
            "website_url": c.website, "badges": [],
        }  # fmt: skip
        return {
            "id": int(c.id), "page_id": page_id, "url": f"{thread.key}#c{c.id}",
            "parent_id": None if c.parent is None else int(c.parent),
            "depth": depth_of(thread, c), "created_at": int(c.created.timestamp()),
            "is_hidden": False, "body": "" if c.deleted else c.text,
            "body_html": "" if c.deleted else c.html, "is_featured": False,
            "is_loved": False, "is_edited": False, "upvotes": 0, "downvotes": 0,
            "status": "deleted" if c.deleted else "published", "user": user,
        }  # fmt: skip

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "GET" or query.get("website_id") != WEBSITE:
            return 403, {"error": "Public access is not enabled for this website"}
        limit = min(int(query.get("limit", "10")), 50)
        offset = int(query.get("offset", "0"))
        if path == "/api/data/v1/pages":
            found = pages.get(query.get("identifier", ""))
            if found is None:
                return 200, []
            pid, thread = found
            published = sum(not c.deleted for c in thread.comments)
            return 200, [{"id": pid, "identifier": thread.key, "url": thread.key,
                          "title": thread.path, "comments_count": published,
                          "is_closed": False, "created_at": 1772400000}]  # fmt: skip
        if path == "/api/data/v1/comments":
            by_id = {str(pid): (pid, t) for pid, t in pages.values()}
            if query.get("page_id") not in by_id:
                return 200, []
            pid, thread = by_id[query["page_id"]]
            if thread.key in failing and offset >= FAIL_OFFSET:
                return 500, {"error": "Internal Server Error"}
            ordered = sorted(thread.comments, key=lambda c: c.created)
            if query.get("sort") != "oldest":
                ordered.reverse()
            return 200, [comment(thread, c, pid) for c in ordered[offset : offset + limit]]
        return 404, {"error": "Not found"}

    return route


class HyvorSite(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]
    failing: set[str]


TOPS = [32, 4, 0, 28]  # two threads over 50 comments; the last one's second page fails


@pytest.fixture(scope="module")
def hyvor_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HyvorSite]:
    tmp = tmp_path_factory.mktemp("hyvor")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    paths = [f"/news/part-{i + 1}/" for i in range(len(TOPS))]
    threads = [
        seed_thread(
            paths[i],
            f"{site}{paths[i]}" if i == 1 else f"article-{i + 1}",
            n_top,
            seed=80 + i,
            make_id=lambda n, i=i: str(7_000_000 + 1000 * i + n),
        )
        for i, n_top in enumerate(TOPS)
    ]
    failing = {threads[3].key}
    with json_server(hyvor_route(threads, failing)) as server:
        script = f'<script async src="{server.base}embed/embed.js" type="module"></script>'
        embeds = [
            f'<hyvor-talk-comments website-id="{WEBSITE}" page-id="{threads[0].key}">'
            f"</hyvor-talk-comments>\n{script}",
            # no page-id: the canonical URL
            f'<hyvor-talk-comments website-id="{WEBSITE}"></hyvor-talk-comments>\n{script}',
            # the older embed
            f'<div id="hyvor-talk-view"></div>\n<script>var HYVOR_TALK_WEBSITE = {WEBSITE};\n'
            f'var HYVOR_TALK_CONFIG = {{url: false, id: "{threads[2].key}"}};</script>\n'
            f'<script async src="{server.base}web-api/embed.js"></script>',
            # a self-hosted instance named by its attribute
            f'<hyvor-talk-comments website-id="{WEBSITE}" page-id="{threads[3].key}" '
            f'instance="{server.base.rstrip("/")}"></hyvor-talk-comments>\n{script}',
        ]
        urls = write_site(tmp / "site", site, list(zip(paths, embeds, strict=True)))
        with serve(tmp / "site", site_port):
            yield HyvorSite(server, threads, urls, failing)


def _expected(thread: SeededThread) -> list[tuple[object, ...]]:
    return [
        (
            c.id,
            c.parent,
            None if c.deleted else c.author,
            None if c.deleted else c.website,
            c.created.astimezone(UTC).isoformat(timespec="seconds"),
            "" if c.deleted else c.text,
            depth_of(thread, c),
        )
        for c in reading_order(thread)
    ]


def _rows(db: Path, url: str) -> list[tuple[object, ...]]:
    rows = db_rows(
        db,
        "select comment_id, parent_id, author, author_url, published_at, text, depth "
        f"from comments where article_url = '{url}' order by position",
    )
    return [tuple(r) for r in rows]


def test_the_seeded_threads_are_what_the_crawl_must_meet(hyvor_site: HyvorSite) -> None:
    big, small, none, failing = hyvor_site.threads
    assert len(big.comments) > 2 * 50 and len(failing.comments) > 50  # three pages, two
    assert max(depth_of(big, c) for c in big.comments) >= 3
    assert any(c.deleted for c in big.comments) and small.comments and not none.comments


def test_crawl_archives_hyvor_threads_exactly_and_a_failed_page_leaves_partial(
    hyvor_site: HyvorSite, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(hyvor_site.urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: (r["comments_source"], r["comment_count"])
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(hyvor_site.urls)
    for url, thread in zip(hyvor_site.urls[:3], hyvor_site.threads[:3], strict=True):
        assert _rows(db, url) == _expected(thread), url
        stated = sum(not c.deleted for c in thread.comments)
        assert articles[url] == ("hyvor", stated), url
    # the failing thread: its first 50 comments (oldest first) kept, the rest unread
    url, thread = hyvor_site.urls[3], hyvor_site.threads[3]
    read = SeededThread(
        thread.path, thread.key, sorted(thread.comments, key=lambda c: c.created)[:50]
    )
    assert _rows(db, url) == _expected(read)
    assert articles[url] == ("partial", sum(not c.deleted for c in thread.comments))
    asked = [
        (urlsplit(p).path, dict(parse_qsl(urlsplit(p).query)))
        for m, p, _ in hyvor_site.server.asked
        if m == "GET" and "/api/data/v1/" in p
    ]
    big = [
        q["offset"] for path, q in asked if path.endswith("/comments") and q["page_id"] == "1000"
    ]
    n = len(hyvor_site.threads[0].comments)
    assert big == [str(k) for k in range(0, n // 50 * 50 + 1, 50)] == ["0", "50", "100"]
    identifiers = {q["identifier"] for path, q in asked if path.endswith("/pages")}
    assert identifiers == {t.key for t in hyvor_site.threads}
    # the API's answers are stored as the thread's pages, and re-read from them alone
    kinds = db_rows(
        db, f"select distinct kind from captures where url like '{hyvor_site.server.base}api/%'"
    )
    assert [r["kind"] for r in kinds] == ["comment_page"]
    before = archive_content(db)
    report = reparse(db)
    assert report.articles == len(hyvor_site.urls) and report.changed == 0, report
    assert archive_content(db)["comments"] == before["comments"]


def test_a_thread_read_whole_then_partial_loses_nothing(
    hyvor_site: HyvorSite, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    url, thread = hyvor_site.urls[0], hyvor_site.threads[0]
    assert run_crawl(url, db, "max_articles=1").returncode == 0
    live = "select comment_id from comments where removed_at is null"
    assert len(db_rows(db, live)) == len(thread.comments)
    # the same article (its canonical URL) from another host: an answer of 304 would not
    # be parsed again; its API now fails from the second page of comments on
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    moved = tmp_path / "site" / "news" / "part-1"
    moved.mkdir(parents=True)
    (moved / "index.html").write_text(page, "utf-8")
    hyvor_site.failing.add(thread.key)
    try:
        with serve(tmp_path / "site", free_port()) as other:
            result = run_crawl(f"{other.base}/news/part-1/", db, "max_articles=1")
    finally:
        hyvor_site.failing.discard(thread.key)
    assert result.returncode == 0, result.stderr[-3000:]
    row = db_rows(db, f"select comments_source from articles where canonical_url = '{url}'")
    assert row[0]["comments_source"] == "partial"
    assert len(db_rows(db, live)) == len(thread.comments)  # the unread ones not removed
