"""The Coral adapter: found from Coral's embed snippet, GraphQL queries built from
Coral's public schema, answers read, and a whole ``scrapy crawl`` against a local server
answering those queries (cursor pagination of comments and of replies at every level)."""

from __future__ import annotations

import base64
import json
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from lxml.html import fromstring

from scraper.extract.widgets import (
    WidgetFormatError,
    WidgetRef,
    WidgetRequest,
    detect_widget,
    merge_widget_pages,
)
from scraper.extract.widgets import coral as adapter
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


def embed(root: str, story: str = "") -> str:
    """Coral's install snippet, its story settings commented out unless given."""
    settings = story or ("// storyID: '${storyID}',\n            // storyURL: '${storyURL}',")
    return f"""<div id="coral_thread"></div>
<script type="text/javascript">
  (function() {{
      var d = document, s = d.createElement('script');
      s.src = '{root}/assets/js/embed.js';
      s.async = false;
      s.defer = true;
      s.onload = function() {{
          Coral.createStreamEmbed({{
            id: "coral_thread",
            autoRender: true,
            rootURL: '{root}',
            // Uncomment these lines and replace with the ID of the story
            {settings}
          }});
      }};
      (d.head || d.body).appendChild(s);
  }})();
</script>"""


def _page(body: str, head: str = "") -> str:
    return (
        f"<html><head>{head}</head><body><article><h1>T</h1><p>x</p></article>{body}</body></html>"
    )


# -- detect, queries, parse (pure) -------------------------------------------------------


def _url(ask: str | WidgetRequest) -> str:
    return ask if isinstance(ask, str) else ask.url


def _query(ask: str | WidgetRequest) -> dict[str, Any]:
    """The GraphQL request a POST sends (Coral is always asked by POST, as JSON)."""
    assert isinstance(ask, WidgetRequest) and ask.body is not None
    assert ask.content_type == "application/json"
    return json.loads(ask.body)


def test_detect_the_install_snippet_story_from_the_canonical_url() -> None:
    head = '<link rel="canonical" href="https://news.example.org/2026/03/budget/">'
    ref = detect_widget(fromstring(_page(embed("https://coral.example.net"), head)), PAGE)
    assert ref is not None
    assert (ref.adapter, ref.api_base, ref.thread, ref.option("by")) == (
        "coral",
        "https://coral.example.net/",
        "https://news.example.org/2026/03/budget/",
        "url",
    )
    assert adapter.first_request(ref).url == "https://coral.example.net/api/graphql"
    body = _query(adapter.first_request(ref))
    assert "story(id: $id, url: $url)" in body["query"]
    assert body["variables"] == {
        "first": 50,
        "after": None,
        "url": "https://news.example.org/2026/03/budget/",
    }


def test_detect_story_id_and_story_url_settings() -> None:
    by_id = detect_widget(
        fromstring(_page(embed("https://c.example.net", "storyID: 'a-42',"))), PAGE
    )
    assert by_id is not None and (by_id.thread, by_id.option("by")) == ("a-42", "id")
    by_url = detect_widget(
        fromstring(_page(embed("https://c.example.net", "storyURL: 'https://n.example.org/p/1',"))),
        PAGE,
    )
    assert by_url is not None and by_url.thread == "https://n.example.org/p/1"
    bare = detect_widget(fromstring(_page(embed("https://c.example.net"))), PAGE)
    assert (
        bare is not None and bare.thread == "https://news.example.org/2026/03/budget/?utm_source=x"
    )


def test_no_element_or_no_root_is_no_widget() -> None:
    snippet = embed("https://c.example.net")
    assert (
        detect_widget(fromstring(_page(snippet.replace('<div id="coral_thread">', "<div>"))), PAGE)
        is None
    )
    assert detect_widget(fromstring(_page(snippet.replace("rootURL", "root"))), PAGE) is None


REF = WidgetRef(
    "coral", "https://c.example.net/", "https://n.example.org/a/", PAGE, (("by", "url"),)
)


def _node(
    cid: str, body: str | None, when: str, who: str | None, replies: int = 0, deleted: bool = False
) -> object:
    return {"node": {"id": cid, "body": body, "createdAt": when, "deleted": deleted or None, "replyCount": replies, "author": None if who is None else {"username": who}}}  # fmt: skip


def test_parse_story_page_and_reply_page() -> None:
    first = {
        "data": {
            "story": {
                "id": "s1",
                "commentCounts": {"totalPublished": 4},
                "comments": {
                    "edges": [
                        _node("a1", "<p>One</p>", "2026-03-02T10:00:00.000Z", "ann", replies=1),
                        _node(
                            "b2", None, "2026-03-02T11:00:00.000Z", None, replies=0, deleted=True
                        ),
                    ],
                    "pageInfo": {"hasNextPage": True, "endCursor": "Y3Vyc29y"},
                },
            }
        }
    }
    page = adapter.parse(json.dumps(first).encode(), REF, adapter.first_request(REF).url)
    assert page.stated_count == 4
    assert [_url(r) for r in page.next_requests] == [
        "https://c.example.net/api/graphql?after=Y3Vyc29y",
        "https://c.example.net/api/graphql?parent=a1",
    ]
    replies_url = _url(page.next_requests[1])
    asked = _query(page.next_requests[1])
    assert "comment(id: $parent)" in asked["query"] and asked["variables"]["parent"] == "a1"
    replies = {
        "data": {
            "comment": {
                "id": "a1",
                "replies": {
                    "edges": [_node("c3", "<p>a &lt; b</p>", "2026-03-02T12:00:00+01:00", "cy")],
                    "pageInfo": {"hasNextPage": False, "endCursor": None},
                },
            }
        }
    }
    reply_page = adapter.parse(json.dumps(replies).encode(), REF, replies_url)
    got = [
        (c.comment_id, c.parent_id, c.author, c.published_at, c.text, c.depth)
        for c in merge_widget_pages([page, reply_page])
    ]
    assert got == [
        ("a1", None, "ann", "2026-03-02T10:00:00+00:00", "One", 1),
        ("c3", "a1", "cy", "2026-03-02T11:00:00+00:00", "a < b", 2),
        ("b2", None, None, "2026-03-02T11:00:00+00:00", "", 1),
    ]
    assert reply_page.stated_count is None and reply_page.next_requests == []
    replies["data"]["comment"]["replies"]["pageInfo"] = {"hasNextPage": True, "endCursor": "Mg=="}
    more = adapter.parse(json.dumps(replies).encode(), REF, replies_url)
    assert [_url(r) for r in more.next_requests] == [
        "https://c.example.net/api/graphql?parent=a1&after=Mg%3D%3D"
    ]
    asked = _query(more.next_requests[0])
    assert asked["variables"] == {"first": 50, "after": "Mg==", "parent": "a1"}


def test_parse_no_story_and_refusals() -> None:
    empty = adapter.parse(b'{"data": {"story": null}}', REF, adapter.first_request(REF).url)
    assert empty.comments == [] and empty.stated_count == 0
    refused = b'{"errors": [{"message": "raw queries not authorized", "extensions": {"code": "RAW_QUERY_NOT_AUTHORIZED"}}]}'
    with pytest.raises(WidgetFormatError):
        adapter.parse(refused, REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(b"<html>502</html>", REF, "")
    with pytest.raises(WidgetFormatError):
        adapter.parse(
            b'{"data": {"story": {"comments": {"edges": [{"node": {"body": "x"}}]}}}}', REF, ""
        )


# -- a local server answering Coral's GraphQL --------------------------------------------


def _cursor(n: int) -> str:
    return base64.b64encode(f"offset:{n}".encode()).decode()


def _offset(cursor: str | None) -> int:
    return int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0


def coral_route(threads: list[SeededThread], refuse: bool = False) -> object:
    """``story(url|id)`` → its comments oldest first, ``comment(id)`` → its replies
    oldest first, ``first`` a page with an offset cursor, as the schema describes them."""
    by_key = {t.key: t for t in threads}
    by_comment = {c.id: (t, c) for t in threads for c in t.comments}

    def node(thread: SeededThread, c: Seeded) -> dict[str, object]:
        return {
            "node": {
                "id": c.id,
                "body": None if c.deleted else c.html,
                "createdAt": c.created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "deleted": True if c.deleted else None,
                "replyCount": len(thread.replies(c.id)),
                "author": None if c.deleted else {"username": c.author},
            }
        }

    def connection(
        thread: SeededThread, items: list[Seeded], first: int, after: str | None
    ) -> object:
        start = _offset(after)
        shown = items[start : start + first]
        more = start + first < len(items)
        return {
            "edges": [node(thread, c) for c in shown],
            "pageInfo": {
                "hasNextPage": more,
                "endCursor": _cursor(start + len(shown)) if shown else None,
            },
        }

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "POST" or path != "/api/graphql":
            return 404, {"errors": [{"message": "not found"}]}
        if refuse:
            return 200, {
                "errors": [
                    {
                        "message": "Raw queries are not authorized",
                        "extensions": {"code": "RAW_QUERY_NOT_AUTHORIZED"},
                    }
                ]
            }
        asked = json.loads(body)
        q, v = asked["query"], asked["variables"]
        first, after = int(v["first"]), v.get("after")
        if "story(" in q:
            key = v.get("url") or v.get("id")
            thread = by_key.get(key)
            if thread is None:
                return 200, {"data": {"story": None}}
            tops = sorted(thread.top(), key=lambda c: c.created)
            story = {
                "id": f"story-{thread.path}",
                "commentCounts": {"totalPublished": sum(not c.deleted for c in thread.comments)},
                "comments": connection(thread, tops, first, after),
            }
            return 200, {"data": {"story": story}}
        if "comment(" in q:
            thread, parent = by_comment[v["parent"]]
            kids = sorted(thread.replies(parent.id), key=lambda c: c.created)
            return 200, {
                "data": {
                    "comment": {"id": parent.id, "replies": connection(thread, kids, first, after)}
                }
            }
        return 400, {"errors": [{"message": "unknown query"}]}  # fmt: skip

    return route


class CoralSite(NamedTuple):
    server: JsonServer
    threads: list[SeededThread]
    urls: list[str]


TOPS = [2, 0, 70, 8]  # 70 top-level comments: two pages of 50


@pytest.fixture(scope="module")
def coral_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoralSite]:
    tmp = tmp_path_factory.mktemp("coral")
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            "story-four" if i == 3 else f"{site}/news/part-{i + 1}/",
            n_top,
            seed=100 + i,
            make_id=lambda n, i=i: str(uuid.UUID(int=(i + 1) * 100_000 + n)),
        )
        for i, n_top in enumerate(TOPS)
    ]
    with json_server(coral_route(threads)) as server:
        root = server.base.rstrip("/")
        pages = [
            (t.path, embed(root, "storyID: 'story-four'," if i == 3 else ""))
            for i, t in enumerate(threads)
        ]
        urls = write_site(tmp / "site", site, pages)
        with serve(tmp / "site", site_port):
            yield CoralSite(server, threads, urls)


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


def test_crawl_archives_every_coral_thread(coral_site: CoralSite, tmp_path: Path) -> None:
    db = tmp_path / "archive.db"
    result = run_crawl(coral_site.urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    articles = {
        r["canonical_url"]: r
        for r in db_rows(db, "select canonical_url, comments_source, comment_count from articles")
    }
    assert set(articles) == set(coral_site.urls)
    for url, thread in zip(coral_site.urls, coral_site.threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        assert articles[url]["comments_source"] == "coral", url
        assert articles[url]["comment_count"] == sum(not c.deleted for c in thread.comments), url
    bodies = [json.loads(b) for m, _, b in coral_site.server.asked if m == "POST"]
    story_pages = [b for b in bodies if "story(" in b["query"] and b["variables"].get("after")]
    assert story_pages  # the 70-comment story's second page, from its cursor
    assert max(len(t.comments) for t in coral_site.threads) > 70


def test_a_refusing_coral_server_leaves_the_thread_partial(
    coral_site: CoralSite, tmp_path: Path
) -> None:
    db = tmp_path / "archive.db"
    url, thread = coral_site.urls[0], coral_site.threads[0]
    assert run_crawl(url, db, "max_articles=1").returncode == 0
    before = db_rows(db, "select comment_id from comments where removed_at is null")
    assert len(before) == len(thread.comments) > 0
    with urllib.request.urlopen(url, timeout=10) as answer:
        page = answer.read().decode("utf-8")
    with json_server(coral_route(coral_site.threads, refuse=True)) as strict:
        page = page.replace(coral_site.server.base.rstrip("/"), strict.base.rstrip("/"))
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


# -- Coral Talk 4 ------------------------------------------------------------------------


def talk4_embed(root: str, settings: str = "") -> str:
    """Talk 4's install snippet: the render call in the embed script's onload."""
    return (
        '<div id="coral_talk_stream"></div>\n'
        f'<script src="{root}/static/embed.js" async onload="\n'
        "  Coral.Talk.render(document.getElementById('coral_talk_stream'), {\n"
        f"    talk: '{root}/'{settings}\n  }});\n\"></script>"
    )


def test_detect_talk4_snippets() -> None:
    head = '<link rel="canonical" href="https://news.example.org/2026/03/budget/">'
    ref = detect_widget(fromstring(_page(talk4_embed("https://talk.example.net"), head)), PAGE)
    assert ref is not None
    assert (ref.api_base, ref.thread, ref.option("api"), ref.option("by")) == (
        "https://talk.example.net/",
        "https://news.example.org/2026/03/budget/",
        "4",
        "url",
    )
    assert adapter.first_request(ref).url == "https://talk.example.net/api/v1/graph/ql"
    body = _query(adapter.first_request(ref))
    assert "asset(id: $id, url: $url)" in body["query"]
    assert body["variables"] == {
        "limit": 50,
        "cursor": None,
        "url": "https://news.example.org/2026/03/budget/",
    }
    # the settings built before the call, the asset named by its id
    inline = (
        '<section id="talk-here"></section><script>var config = {asset_id: "a-77", '
        "talk: 'https://talk.example.net/', lazy: false};\n"
        "Coral.Talk.render(document.getElementById('talk-here'), config);</script>"
    )
    by_id = detect_widget(fromstring(_page(inline)), PAGE)
    assert by_id is not None and (by_id.thread, by_id.option("by")) == ("a-77", "id")
    assert detect_widget(fromstring(_page(inline.replace('talk-here"', 'x"'))), PAGE) is None


def talk4_route(threads: list[SeededThread]) -> object:
    """Talk 4's ``asset(url|id) { totalCommentCount comments(query) }`` and
    ``comments(query: {parent_id})``, ``limit`` a page with an offset cursor."""
    by_key = {t.key: t for t in threads}
    by_comment = {c.id: (t, c) for t in threads for c in t.comments}

    def connection(
        thread: SeededThread, items: list[Seeded], limit: int, cursor: str | None
    ) -> object:
        start = _offset(cursor)
        shown = items[start : start + limit]
        return {
            "hasNextPage": start + limit < len(items),
            "endCursor": _cursor(start + len(shown)) if shown else None,
            "nodes": [
                {
                    "id": c.id,
                    "body": c.html,
                    "created_at": c.created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    "replyCount": len(thread.replies(c.id)),
                    "user": {"username": c.author},
                }
                for c in shown
            ],
        }  # fmt: skip

    def route(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
        if method != "POST" or path != "/api/v1/graph/ql":
            return 404, {"errors": [{"message": "not found"}]}
        asked = json.loads(body)
        q, v = asked["query"], asked["variables"]
        limit, cursor = int(v["limit"]), v.get("cursor")
        if "asset(" in q:
            thread = by_key.get(v.get("url") or v.get("id"))
            if thread is None:
                return 200, {"data": {"asset": None}}
            tops = sorted(thread.top(), key=lambda c: c.created)
            asset = {
                "id": thread.path,
                "totalCommentCount": len(thread.comments),
                "comments": connection(thread, tops, limit, cursor),
            }
            return 200, {"data": {"asset": asset}}
        thread, parent = by_comment[v["parent"]]
        kids = sorted(thread.replies(parent.id), key=lambda c: c.created)
        return 200, {"data": {"comments": connection(thread, kids, limit, cursor)}}

    return route


def test_crawl_archives_every_talk4_thread(tmp_path: Path) -> None:
    site_port = free_port()
    site = f"http://127.0.0.1:{site_port}"
    threads = [
        seed_thread(
            f"/news/part-{i + 1}/",
            "asset-2" if i == 1 else f"{site}/news/part-{i + 1}/",
            n_top,
            seed=120 + i,
            make_id=lambda n, i=i: f"{i}-{n:04d}",
        )
        for i, n_top in enumerate([55, 6])
    ]
    for thread in threads:  # Talk 4 shows no deleted comments
        for c in thread.comments:
            c.deleted = False
    with json_server(talk4_route(threads)) as server:
        root = server.base.rstrip("/")
        pages = [
            (threads[0].path, talk4_embed(root)),
            (threads[1].path, talk4_embed(root, ",\n    asset_id: 'asset-2'")),
        ]
        urls = write_site(tmp_path / "site", site, pages)
        with serve(tmp_path / "site", site_port):
            db = tmp_path / "archive.db"
            result = run_crawl(urls[0], db)
    assert result.returncode == 0, result.stderr[-3000:]
    for url, thread in zip(urls, threads, strict=True):
        rows = db_rows(
            db,
            "select comment_id, parent_id, author, published_at, text, depth "
            f"from comments where article_url = '{url}' order by position",
        )
        assert [tuple(r) for r in rows] == _expected(thread), url
        article = db_rows(
            db, f"select comments_source, comment_count from articles where canonical_url = '{url}'"
        )
        assert article and tuple(article[0]) == ("coral", len(thread.comments)), url
    cursors = [json.loads(b)["variables"].get("cursor") for m, _, b in server.asked if m == "POST"]
    assert any(cursors)  # the 55-comment asset's second page
