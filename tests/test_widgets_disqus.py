"""The Disqus adapter: found from Disqus's install snippets (and its iframe), the embed
page's thread data read, later pages from ``threads/listPosts`` with a key, and a whole
``scrapy crawl`` against a local server speaking that format."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import (
    WidgetFormatError,
    WidgetRef,
    detect_widget,
    merge_widget_pages,
)
from scraper.extract.widgets import disqus as adapter
from tests.crawling import db_rows, run_crawl
from tests.generated_sites import free_port, serve
from tests.widget_servers import (
    JsonServer,
    Seeded,
    SeededThread,
    depth_of,
    raw_server,
    reading_order,
    seed_thread,
    write_site,
)

PAGE = "https://news.example.org/2026/03/budget/?utm_source=x#comments"
CANONICAL = '<link rel="canonical" href="https://news.example.org/2026/03/budget/">'


def universal(shortname: str, config: str = "") -> str:
    """Disqus's universal embed code, its configuration commented out unless given."""
    settings = config or (
        "/*\n    var disqus_config = function () {\n"
        "    this.page.url = PAGE_URL;\n    this.page.identifier = PAGE_IDENTIFIER;\n    };\n    */"
    )
    return f"""<div id="disqus_thread"></div>
<script>
    {settings}
    (function() {{ // DON'T EDIT BELOW THIS LINE
    var d = document, s = d.createElement('script');
    s.src = 'https://{shortname}.disqus.com/embed.js';
    s.setAttribute('data-timestamp', +new Date());
    (d.head || d.body).appendChild(s);
    }})();
</script>
<noscript>Please enable JavaScript to view the <a href="https://disqus.com/?ref_noscript">comments powered by Disqus.</a></noscript>"""


def legacy(shortname: str, identifier: str) -> str:
    """The older snippet: ``disqus_shortname`` and friends, the address built from them."""
    return f"""<div id="disqus_thread"></div>
<script type="text/javascript">
    var disqus_shortname = '{shortname}'; // required: replace example with your forum shortname
    var disqus_identifier = '{identifier}';
    var disqus_title = "Council debates budget";
    (function() {{
        var dsq = document.createElement('script'); dsq.type = 'text/javascript'; dsq.async = true;
        dsq.src = '//' + disqus_shortname + '.disqus.com/embed.js';
        (document.getElementsByTagName('head')[0] || document.getElementsByTagName('body')[0]).appendChild(dsq);
    }})();
</script>"""


def _page(body: str, head: str = CANONICAL) -> str:
    return (
        f"<html><head><title>Budget</title>{head}</head><body><article><h1>T</h1><p>x</p>"
        f"</article>{body}</body></html>"
    )


def _detect(body: str, head: str = CANONICAL) -> WidgetRef | None:
    return detect_widget(fromstring(_page(body, head)), PAGE)


# -- detect, requests, parse (pure) --------------------------------------------------------


def test_detect_the_universal_code_thread_from_the_canonical_url() -> None:
    ref = _detect(universal("gazette"))
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread) == (
        "disqus",
        "https://disqus.com/",
        "https://news.example.org/2026/03/budget/",
    )
    assert (ref.option("forum"), ref.option("host"), ref.option("identifier")) == (
        "gazette",
        "default",
        None,
    )
    asked = urlsplit(adapter.first_request(ref))
    assert f"{asked.scheme}://{asked.netloc}{asked.path}" == "https://disqus.com/embed/comments/"
    assert parse_qsl(asked.query) == [
        ("base", "default"),
        ("f", "gazette"),
        ("t_u", "https://news.example.org/2026/03/budget/"),
        ("s_o", "default"),
    ]


def test_detect_disqus_config_and_legacy_variables() -> None:
    config = (
        "var disqus_config = function () {\n"
        "  this.page.url = 'https://news.example.org/p/42/';\n"
        '  this.page.identifier = "article-42";\n'
        "  this.page.title = 'Council debates budget';\n};"
    )
    ref = _detect(universal("gazette", config))
    assert ref is not None and ref.thread == "article-42"
    assert parse_qsl(urlsplit(adapter.first_request(ref)).query) == [
        ("base", "default"),
        ("f", "gazette"),
        ("t_i", "article-42"),
        ("t_u", "https://news.example.org/p/42/"),
        ("t_t", "Council debates budget"),
        ("s_o", "default"),
    ]
    old = _detect(legacy("old-gazette", "123 https://news.example.org/?p=123"))
    assert old is not None
    assert (old.option("forum"), old.thread, old.option("title")) == (
        "old-gazette",
        "123 https://news.example.org/?p=123",
        "Council debates budget",
    )
    # the page's own API key (older snippets set disqus_api_key)
    keyed = legacy("old-gazette", "1").replace(
        "var disqus_title", "var disqus_api_key = 'AbCdEf0123456789AbCdEf';\n    var disqus_title"
    )
    found = _detect(keyed)
    assert found is not None and found.option("api_key") == "AbCdEf0123456789AbCdEf"


def test_detect_the_embed_iframe_takes_its_host_from_the_page() -> None:
    frame = (
        '<div id="disqus_thread"><iframe src="http://127.0.0.1:8123/embed/comments/'
        "?base=default&amp;f=gazette&amp;t_i=a-7&amp;t_u=https%3A%2F%2Fnews.example.org%2Fa%2F"
        '&amp;s_o=default#version=abc"></iframe></div>'
    )
    ref = _detect(frame, head="")
    assert ref is not None
    assert (ref.api_base, ref.thread, ref.option("host"), ref.option("url")) == (
        "http://127.0.0.1:8123/",
        "a-7",
        "page",
        "https://news.example.org/a/",
    )
    # the crawl's origin setting does not move a host the page names
    same = adapter.configure(ref, {"ARCHIVE_DISQUS_ORIGIN": "http://127.0.0.1:9/"}.get)
    assert same.api_base == "http://127.0.0.1:8123/"
    moved = adapter.configure(
        _detect(universal("gazette")) or ref,
        {"ARCHIVE_DISQUS_ORIGIN": "http://127.0.0.1:9", "ARCHIVE_DISQUS_API_KEY": "k1"}.get,
    )
    assert (moved.api_base, moved.option("api_key")) == ("http://127.0.0.1:9/", "k1")


def test_pages_that_only_mention_disqus_are_no_widget() -> None:
    # a link to Disqus, a template with its placeholder, an element without the embed
    assert _detect('<p>Comments by <a href="https://disqus.com/">Disqus</a></p>') is None
    assert _detect(universal("{{ site.disqus }}")) is None
    assert _detect('<div id="disqus_thread"></div>') is None
    assert _detect(universal("gazette").replace('id="disqus_thread"', 'id="x"')) is None


REF = WidgetRef(
    "disqus",
    "https://disqus.com/",
    "a-7",
    PAGE,
    (("forum", "gazette"), ("host", "default"), ("identifier", "a-7"), ("url", PAGE)),
)
EMBED_URL = adapter.first_request(REF)


def _post(pid: str, parent: str | None, who: str, when: str, message: str, **more: object) -> dict[str, object]:  # fmt: skip
    return {"id": pid, "parent": None if parent is None else int(parent), "thread": "9001", "forum": "gazette", "author": {"name": who, "username": who.lower().replace(" ", ""), "url": "", "isAnonymous": False}, "createdAt": when, "message": message, "raw_message": "raw", "isDeleted": False, "likes": 1, **more}  # fmt: skip


def embed_page(posts: list[dict[str, object]], count: int, cursor: dict[str, object]) -> bytes:
    """The embed's HTML page with its thread data, as the iframe loads it."""
    data = {
        "code": 0,
        "cursor": cursor,
        "response": {
            "thread": {"id": "9001", "forum": "gazette", "posts": count, "identifiers": ["a-7"]},
            "posts": posts,
            "lastModified": 1,
        },
    }
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Disqus Comments</title>'
        '<script type="text/json" id="disqus-threadData">'
        + json.dumps(data).replace("</", "<\\/")
        + '</script><script src="https://c.disquscdn.com/embed/lounge.bundle.js"></script>'
        '</head><body><div id="layout"></div></body></html>'
    ).encode("utf-8")


def test_parse_the_embed_page_replies_deleted_and_count() -> None:
    posts = [
        _post("11", None, "Ann Lee", "2026-03-02T10:00:00", "<p>One &amp; only</p>"),
        _post("12", "11", "Bo Chen", "2026-03-02T10:05:09", "<p>a &lt; b</p><p>two</p>"),
        _post("13", "12", "Cy", "2026-03-02T10:06:00", "<p>deep</p>"),
        _post("14", None, "Dee", "2026-03-02T11:00:00", "", isDeleted=True),
        _post("15", "14", "Eve", "2026-03-02T11:30:00", "<p>under a deleted one</p>"),
    ]
    posts[0]["author"] = {"name": "Ann Lee", "url": "https://ann.example.org/"}
    body = embed_page(posts, 4, {"hasNext": False, "next": "1:0:0", "prev": None, "total": 5})
    page = adapter.parse(body, REF, EMBED_URL)
    assert page.stated_count == 4 and page.next_requests == [] and not page.incomplete
    got = [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text, c.depth, c.author_url)
        for c in merge_widget_pages([page])
    ]
    assert got == [
        ("11", None, "Ann Lee", "2026-03-02T10:00:00+00:00", "One & only", 1, "https://ann.example.org/"),
        ("12", "11", "Bo Chen", "2026-03-02T10:05:09+00:00", "a < b\n\ntwo", 2, None),
        ("13", "12", "Cy", "2026-03-02T10:06:00+00:00", "deep", 3, None),
        ("14", None, None, "2026-03-02T11:00:00+00:00", "", 1, None),
        ("15", "14", "Eve", "2026-03-02T11:30:00+00:00", "under a deleted one", 2, None),
    ]  # fmt: skip
    assert page.comments[1].published_at_raw == "2026-03-02T10:05:09"


def test_parse_pagination_with_and_without_a_key() -> None:
    posts = [_post("11", None, "Ann", "2026-03-02T10:00:00", "<p>One</p>")]
    body = embed_page(posts, 130, {"hasNext": True, "next": "1:0:0", "total": 130})
    # no key: the first page only, the thread partial
    bare = adapter.parse(body, REF, EMBED_URL)
    assert bare.incomplete and bare.next_requests == [] and bare.stated_count == 130
    keyed_ref = adapter.configure(REF, {"ARCHIVE_DISQUS_API_KEY": "pub-key"}.get)
    keyed = adapter.parse(body, keyed_ref, EMBED_URL)
    assert not keyed.incomplete
    assert keyed.next_requests == [
        "https://disqus.com/api/3.0/threads/listPosts.json?api_key=pub-key&forum=gazette"
        "&thread=9001&limit=100&order=asc"
    ]
    listing = {
        "code": 0,
        "cursor": {"hasNext": True, "next": "1680000000000000:0:0", "prev": None},
        "response": [
            _post("11", None, "Ann", "2026-03-02T10:00:00", "<p>One</p>"),
            _post("16", "11", "Fay", "2026-03-02T12:00:00", "<p>later</p>"),
        ],
    }
    url = str(keyed.next_requests[0])
    more = adapter.parse(json.dumps(listing).encode(), keyed_ref, url)
    assert more.stated_count is None
    assert more.next_requests == [url + "&cursor=1680000000000000%3A0%3A0"]
    listing["cursor"] = {"hasNext": False, "next": None}
    last = adapter.parse(json.dumps(listing).encode(), keyed_ref, str(more.next_requests[0]))
    assert last.next_requests == []
    merged = merge_widget_pages([keyed, more, last])
    assert [(c.comment_id, c.parent_id, c.depth) for c in merged] == [
        ("11", None, 1),
        ("16", "11", 2),
    ]


def test_malformed_answers_are_format_errors() -> None:
    listing_url = "https://disqus.com/api/3.0/threads/listPosts.json?thread=9001"
    bad = [
        (b"<html><body>no thread data</body></html>", EMBED_URL),
        (b'<script type="text/json" id="disqus-threadData">{"code": 0, "resp', EMBED_URL),
        (b'<script type="text/json" id="disqus-threadData">{"code": 0, "response": {}}</script>', EMBED_URL),
        (b'{"code": 2, "response": "Invalid argument, \'api_key\'"}', listing_url),
        (b'{"code": 0, "response": [{"message": "no id"}]}', listing_url),
        (b"<html>502 Bad Gateway</html>", listing_url),
    ]  # fmt: skip
    for body, url in bad:
        with pytest.raises(WidgetFormatError):
            adapter.parse(body, REF, url)


# -- a local server speaking the embed's and the API's format --------------------------------

KEY = "test-public-key"
EMBED_PAGE_SIZE = 50


def _stamp(c: Seeded) -> str:
    return c.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _as_post(thread_id: str, c: Seeded) -> dict[str, object]:
    return {
        "id": c.id,
        "parent": None if c.parent is None else int(c.parent),
        "thread": thread_id,
        "author": {
            "name": c.author,
            "username": (c.author or "").lower().replace(" ", ""),
            "url": c.website or "",
            "isAnonymous": False,
        },
        "createdAt": _stamp(c),
        "message": "" if c.deleted else c.html,
        "raw_message": "" if c.deleted else c.text,
        "isDeleted": c.deleted,
        "isApproved": True,
    }


def disqus_route(threads: list[SeededThread], fail_listing: set[str] | None = None) -> object:
    """``/embed/comments/?f&t_i|t_u`` -> the thread's oldest 50 posts in its thread data
    (deleted ones kept for their replies); ``/api/3.0/threads/listPosts.json`` -> its
    approved posts oldest first, ``limit`` a page, an offset cursor, the key checked."""
    by_key = {t.key: (str(9000 + i), t) for i, t in enumerate(threads)}
    by_id = dict(by_key.values())

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, str, bytes]:
        if path == "/embed/comments/":
            if query.get("f") != "gazette" or query.get("s_o") != "default":
                return 400, "text/html", b"bad embed request"
            thread_id, thread = by_key[query.get("t_i") or query["t_u"]]
            posts = sorted(thread.comments, key=lambda c: c.created)
            shown = posts[:EMBED_PAGE_SIZE]
            more = len(posts) > EMBED_PAGE_SIZE
            count = sum(not c.deleted for c in thread.comments)
            data = {
                "code": 0,
                "cursor": {"hasNext": more, "next": "1:0:0" if more else None, "total": count},
                "response": {
                    "thread": {"id": thread_id, "forum": "gazette", "posts": count},
                    "posts": [_as_post(thread_id, c) for c in shown],
                },
            }
            page = (
                '<!DOCTYPE html><html><head><script type="text/json" id="disqus-threadData">'
                + json.dumps(data).replace("</", "<\\/")
                + "</script></head><body></body></html>"
            )
            return 200, "text/html; charset=utf-8", page.encode("utf-8")
        if path == "/api/3.0/threads/listPosts.json":
            if query.get("api_key") != KEY:
                answer: object = {"code": 5, "response": "Invalid API key"}
                return 400, "application/json", json.dumps(answer).encode()
            thread_id = query["thread"]
            if fail_listing and thread_id in fail_listing and query.get("cursor"):
                return 500, "application/json", b'{"code": 15, "response": "Internal error"}'
            thread = by_id[thread_id]
            approved = sorted(
                (c for c in thread.comments if not c.deleted), key=lambda c: c.created
            )
            start = int(query.get("cursor", "0:0:0").split(":")[0])
            limit = min(int(query.get("limit", "25")), 100)
            shown = approved[start : start + limit]
            more = start + limit < len(approved)
            answer = {
                "code": 0,
                "cursor": {"hasNext": more, "next": f"{start + limit}:0:0" if more else None},
                "response": [_as_post(thread_id, c) for c in shown],
            }
            return 200, "application/json", json.dumps(answer).encode()
        return 404, "text/plain", b"not found"

    return route


class DisqusSite(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]


TOPS = [70, 6, 3]  # about 200 posts: the embed's 50, then listPosts pages of 100


def _threads(site: str) -> list[SeededThread]:
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            f"art-{i + 1}" if i != 1 else f"{site}/news/part-{i + 1}/",
            n_top,
            seed=200 + i,
            make_id=lambda n, i=i: str((i + 1) * 100_000 + n),
        )
        for i, n_top in enumerate(TOPS)
    ]
    for thread in threads:  # listPosts lists no deleted posts: only the embed page shows them
        for c in sorted(thread.comments, key=lambda c: c.created)[EMBED_PAGE_SIZE:]:
            c.deleted = False
    return threads


def _embeds(threads: list[SeededThread], root: str) -> list[tuple[str, str]]:
    config = "var disqus_config = function () {{ this.page.identifier = '{}'; }};"
    return [
        (threads[0].path, universal("gazette", config.format(threads[0].key))),
        (threads[1].path, legacy("gazette", "").replace("var disqus_identifier = '';", "")),
        (threads[2].path, universal("gazette", config.format(threads[2].key))),
    ]


@pytest.fixture(scope="module")
def disqus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DisqusSite]:
    tmp = tmp_path_factory.mktemp("disqus")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = _threads(site)
    with raw_server(disqus_route(threads, fail_listing={"9002"})) as server:
        urls = write_site(tmp / "site", site, _embeds(threads, server.base))
        with serve(tmp / "site", site_port):
            yield DisqusSite(server, threads, urls)


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


def _comments(db: Path, url: str) -> list[tuple[object, ...]]:
    rows = db_rows(
        db,
        "select comment_id, parent_id, author, published_at, text, depth "
        f"from comments where article_url = '{url}' order by position",
    )
    return [tuple(r) for r in rows]


def _article(db: Path, url: str) -> tuple[object, ...]:
    rows = db_rows(
        db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
    )
    assert rows, url
    return tuple(rows[0])


def test_crawl_archives_every_disqus_thread(disqus_site: DisqusSite, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    origin = {"ARCHIVE_DISQUS_ORIGIN": disqus_site.server.base, "ARCHIVE_DISQUS_API_KEY": KEY}
    result = run_crawl(disqus_site.urls[0], db, "max_articles=2", settings=origin)
    assert result.returncode == 0, result.stderr[-3000:]
    for url, thread in zip(disqus_site.urls[:2], disqus_site.threads[:2], strict=True):
        assert _comments(db, url) == _expected(thread), url
        count = sum(not c.deleted for c in thread.comments)
        assert _article(db, url) == ("disqus", count), url
    big = disqus_site.threads[0]
    assert len(big.comments) > EMBED_PAGE_SIZE + 100  # the embed page and two listings
    assert max(depth_of(big, c) for c in big.comments) >= 3
    assert any(c.deleted for c in big.comments)
    listings = [p for _, p, _ in disqus_site.server.asked if "/threads/listPosts.json" in p]
    assert len(listings) == 3 and sum("cursor=" in p for p in listings) == 2
    assert all(f"api_key={KEY}" in p and "forum=gazette" in p for p in listings)


def test_without_a_key_a_long_thread_is_partial(disqus_site: DisqusSite, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    origin = {"ARCHIVE_DISQUS_ORIGIN": disqus_site.server.base}
    result = run_crawl(disqus_site.urls[0], db, "max_articles=2", settings=origin)
    assert result.returncode == 0, result.stderr[-3000:]
    big, small = disqus_site.threads[:2]
    count = sum(not c.deleted for c in big.comments)
    assert _article(db, disqus_site.urls[0]) == ("partial", count)
    first = sorted(big.comments, key=lambda c: c.created)[:EMBED_PAGE_SIZE]
    assert {r[0] for r in _comments(db, disqus_site.urls[0])} == {c.id for c in first}
    # a thread the embed page holds whole needs no key
    assert _comments(db, disqus_site.urls[1]) == _expected(small)
    assert _article(db, disqus_site.urls[1])[0] == "disqus"


def test_a_failing_listing_leaves_the_thread_partial(
    disqus_site: DisqusSite, tmp_path: Path
) -> None:
    # the third article's thread (id 9002) made longer than the embed's page; the server
    # fails on its listing's second page
    origin = {"ARCHIVE_DISQUS_ORIGIN": disqus_site.server.base, "ARCHIVE_DISQUS_API_KEY": KEY}
    url, thread = disqus_site.urls[2], disqus_site.threads[2]
    late = [
        Seeded(
            str(300_900 + n),
            None,
            "Late Reader",
            None,
            thread.comments[-1].created.replace(year=2027) + timedelta(minutes=n),
            "<p>late</p>",
            "late",
        )
        for n in range(EMBED_PAGE_SIZE + 100)
    ]
    thread.comments.extend(late)
    try:
        db = tmp_path / "archive.db"
        result = run_crawl(url, db, "max_articles=1", settings=origin)
        ordered = sorted(thread.comments, key=lambda c: c.created)
        approved = [c for c in ordered if not c.deleted]
        count = len(approved)
    finally:
        del thread.comments[-len(late) :]
    assert result.returncode == 0, result.stderr[-3000:]
    assert _article(db, url) == ("partial", count)
    # what was read is kept: the embed's page and the listing's first 100
    read = {c.id for c in ordered[:EMBED_PAGE_SIZE]} | {c.id for c in approved[:100]}
    assert {r[0] for r in _comments(db, url)} == read
    assert len(read) < count
