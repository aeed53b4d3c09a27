"""Comments: every comment of every post of the WordPress capture (two themes), field by
field, plus small hand-written pages for the other markups."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scraper.extract import extract_article
from scraper.extract.comments import (
    CommentThread,
    comment_section_elements,
    extract_comments,
    merge_comment_pages,
)
from scraper.extract.dom import parse_html
from scraper.items import Comment

WORDPRESS = Path(__file__).parent / "fixtures" / "wordpress"
TRUTH = json.loads((WORDPRESS / "truth.json").read_text("utf-8"))
POSTS = {p["id"]: p for p in TRUTH["posts"]}
THEMES = ("twentytwentyone", "twentytwentytwo")
FIELDS = ("comment_id", "parent_id", "author", "published_at", "text", "depth")


@cache
def _manifest(theme: str) -> dict[int, list[tuple[str, str, str]]]:
    """post id -> [(kind, url, path)] for the post page and its comment pages."""
    pages: dict[int, list[tuple[str, str, str]]] = {}
    lines = (WORDPRESS / theme / "manifest.tsv").read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=True))
        if row["kind"] in ("post", "comment-page"):
            pages.setdefault(int(row["post_id"]), []).append((row["kind"], row["url"], row["path"]))
    return pages


@cache
def _threads(theme: str, post_id: int) -> tuple[tuple[str, str, CommentThread], ...]:
    out = []
    for kind, url, path in _manifest(theme)[post_id]:
        tree = parse_html((WORDPRESS / theme / path).read_bytes())
        out.append((kind, url, extract_comments(tree, url)))
    return tuple(out)


@cache
def _merged(theme: str, post_id: int) -> tuple[Comment, ...]:
    return tuple(merge_comment_pages([t for _, _, t in _threads(theme, post_id)]))


def _expected(theme: str, truth: dict[str, Any], field: str) -> Any:
    if field == "comment_id":
        return str(truth["id"])
    if field == "parent_id":
        return str(truth["parent_id"]) if truth["parent_id"] else None
    if field == "author":
        # the block theme prints the texturized name (O’Connor), the classic one O'Connor
        return truth["author" if theme == "twentytwentyone" else "author_texturized"]
    if field == "published_at":
        return truth["date"]
    return truth[field]


CASES = [(theme, pid) for theme in THEMES for pid in POSTS]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("theme", "post_id"), CASES)
def test_wordpress_comment_field(theme: str, post_id: int, field: str) -> None:
    # The truth lists comments oldest first; we keep document order (checked below).
    truth = POSTS[post_id]["comments"]
    got = {c.comment_id: getattr(c, field) for c in _merged(theme, post_id)}
    assert got == {str(c["id"]): _expected(theme, c, field) for c in truth}


@pytest.mark.parametrize(("theme", "post_id"), CASES)
def test_wordpress_comments_in_document_order(theme: str, post_id: int) -> None:
    merged = _merged(theme, post_id)
    position = {c.comment_id: i for i, c in enumerate(merged)}
    assert len(position) == len(merged) == len(POSTS[post_id]["comments"])
    for c in merged:
        if c.parent_id is not None:
            assert position[c.parent_id] < position[c.comment_id]
    # Top-level threads keep the site's order (oldest first, comment pages merged).
    top = [int(c.comment_id) for c in merged if c.parent_id is None]
    assert top == sorted(top)


@pytest.mark.parametrize(("theme", "post_id"), CASES)
def test_wordpress_author_url(theme: str, post_id: int) -> None:
    truth = POSTS[post_id]["comments"]
    got = {c.comment_id: c.author_url for c in _merged(theme, post_id)}
    assert got == {str(c["id"]): c["author_url"] for c in truth}


@pytest.mark.parametrize(("theme", "post_id"), CASES)
def test_wordpress_comment_count_and_source(theme: str, post_id: int) -> None:
    post = POSTS[post_id]
    for kind, _, thread in _threads(theme, post_id):
        if post["comments"]:
            # both themes state the count on every page ("23 comments", "One response to …")
            assert thread.comment_count == post["comment_count"], kind
            assert thread.comments_source == "html"
            assert thread.source == "cms"
        else:
            # An open thread with no comments yet: the reply form is there, the count is 0.
            assert post["comments_open"]
            assert thread.comments == []
            assert thread.comment_count == 0
            assert thread.comments_source == "html"


@pytest.mark.parametrize(("theme", "post_id"), CASES)
def test_wordpress_comment_pages(theme: str, post_id: int) -> None:
    post = POSTS[post_id]
    if not post["comments"]:
        ((_, _, thread),) = _threads(theme, post_id)
        assert (thread.page_number, thread.page_urls) == (1, [])
        return
    all_pages = {u.rstrip("/") for u in post["comment_page_urls"]} | {post["url"].rstrip("/")}
    for kind, url, thread in _threads(theme, post_id):
        if kind == "post":
            assert thread.page_number == post["comment_page_at_url"]
        else:
            assert thread.page_number == int(url.rstrip("/").rsplit("-", 1)[1])
        assert all("#" not in u for u in thread.page_urls)
        assert {u.rstrip("/") for u in thread.page_urls} <= all_pages - {url.rstrip("/")}
        if post["comment_pages"] > 1:
            assert thread.page_urls, url


def test_wordpress_pages_merge_in_thread_order_whatever_order_given() -> None:
    post_id = next(p["id"] for p in TRUTH["posts"] if p["comment_pages"] == 3)
    threads = [t for _, _, t in _threads("twentytwentyone", post_id)]
    forward = merge_comment_pages(threads)
    backward = merge_comment_pages(list(reversed(threads)))
    assert [c.comment_id for c in forward] == [c.comment_id for c in backward]
    assert len(forward) == len(POSTS[post_id]["comments"])


def test_wordpress_section_elements() -> None:
    _, _, path = next(x for x in _manifest("twentytwentyone")[6] if x[0] == "post")
    tree = parse_html((WORDPRESS / "twentytwentyone" / path).read_bytes())
    sections = comment_section_elements(tree)
    assert [el.get("id") for el in sections] == ["comments"]
    _, _, path = next(x for x in _manifest("twentytwentytwo")[6] if x[0] == "post")
    tree = parse_html((WORDPRESS / "twentytwentytwo" / path).read_bytes())
    classes = [el.get("class") for el in comment_section_elements(tree)]
    assert classes == ["wp-block-post-comments"]


# ---------------------------------------------------------------------------- hand-written

URL = "https://news.example.org/2024/03/a-story/"


def _thread(html: str, url: str = URL) -> CommentThread:
    return extract_comments(parse_html(html), url)


def test_disqus_only_page_has_no_comments() -> None:
    html = """<html><body><article><h1>T</h1><p>Body</p></article>
    <div id="disqus_thread"><p>Loading comments…</p></div>
    <script>var disqus_config = function () {};</script>
    <script src="https://example.disqus.com/embed.js"></script></body></html>"""
    thread = _thread(html)
    assert thread.comments == []
    assert thread.comments_source == "disqus"
    assert thread.page_number is None


@pytest.mark.parametrize(
    ("snippet", "name"),
    [
        ('<div class="fb-comments" data-href="x"></div>', "facebook"),
        ('<div class="viafoura"><vf-conversations></vf-conversations></div>', "viafoura"),
        ('<div data-spotim-module="conversation"></div>'
         '<script src="https://launcher.spot.im/spot/sp_1"></script>', "openweb"),
        ("<p>No comments here.</p>", "none"),
    ],
)  # fmt: skip
def test_widget_names(snippet: str, name: str) -> None:
    thread = _thread(f"<html><body><h1>T</h1><p>Body</p>{snippet}</body></html>")
    assert thread.comments == []
    assert thread.comments_source == name


MICRODATA = """<html><body><article itemscope itemtype="https://schema.org/NewsArticle">
<h1>T</h1><meta itemprop="commentCount" content="3">
<div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c-11">
  <span itemprop="author" itemscope itemtype="https://schema.org/Person">
    <span itemprop="name">Ana</span></span>
  <time itemprop="dateCreated" datetime="2024-03-01T10:00:00+01:00">1 March</time>
  <div itemprop="text"><p>First!</p><p>Second paragraph.</p></div>
  <a class="reply" href="#">Reply</a>
  <div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c-12">
    <span itemprop="author">Björn</span>
    <meta itemprop="dateCreated" content="2024-03-01T11:00:00+01:00">
    <div itemprop="text">Not so sure.</div>
  </div>
</div>
<div itemprop="comment" itemscope itemtype="https://schema.org/Comment" id="c-13">
  <span itemprop="author">Chloé</span>
  <div itemprop="text">Ça va.</div>
</div></article></body></html>"""


def test_microdata_comments_nested() -> None:
    thread = _thread(MICRODATA)
    assert thread.source == "microdata"
    assert thread.comments_source == "html"
    assert thread.comment_count == 3
    got = [(c.comment_id, c.parent_id, c.author, c.depth, c.text) for c in thread.comments]
    assert got == [
        ("11", None, "Ana", 1, "First!\n\nSecond paragraph."),
        ("12", "11", "Björn", 2, "Not so sure."),
        ("13", None, "Chloé", 1, "Ça va."),
    ]
    assert thread.comments[0].published_at == "2024-03-01T10:00:00+01:00"
    assert thread.comments[1].published_at == "2024-03-01T11:00:00+01:00"
    assert thread.comments[2].published_at is None


JSONLD = """<html><head><script type="application/ld+json">{"@context": "https://schema.org",
"@graph": [{"@type": "WebSite", "name": "x"}, {"@type": "NewsArticle", "headline": "T",
"commentCount": 2, "comment": [{"@type": "Comment", "@id": "https://news.example.org/a/#comment-5",
"author": {"@type": "Person", "name": "Ana", "url": "https://ana.example/"},
"dateCreated": "2024-03-01T10:00:00Z", "text": "Great  piece.",
"comment": [{"@type": "Comment", "@id": "#comment-6", "author": "Bo",
"dateCreated": "2024-03-01T12:00:00+02:00", "text": "Agreed."}]}]}]}</script></head>
<body><h1>T</h1><p>Body</p></body></html>"""


def test_jsonld_comments_in_graph() -> None:
    thread = _thread(JSONLD)
    assert thread.source == "jsonld"
    assert thread.comments_source == "html"
    assert thread.comment_count == 2
    first, second = thread.comments
    assert (first.comment_id, first.parent_id, first.author, first.depth) == ("5", None, "Ana", 1)
    assert first.author_url == "https://ana.example/"
    assert first.published_at == "2024-03-01T10:00:00+00:00"
    assert first.text == "Great piece."
    assert (second.comment_id, second.parent_id, second.depth) == ("6", "5", 2)
    assert second.published_at == "2024-03-01T12:00:00+02:00"


GENERIC = """<html><body><h1>T</h1><div class="article-body"><p>Body</p></div>
<section class="discussion"><h2>Reader responses (3)</h2>
<div class="thread">
  <div id="r101" class="entry">
    <span class="user-name">Ana</span><time datetime="2024-03-02T09:00:00-05:00">Mar 2</time>
    <div class="entry-text"><p>Top level.</p></div>
    <div class="replies">
      <div id="r102" class="entry">
        <span class="user-name">Bo</span><time datetime="2024-03-02T10:00:00-05:00">Mar 2</time>
        <div class="entry-text">A reply.</div>
      </div>
    </div>
  </div>
  <div id="r103" class="entry">
    <span class="user-name">Cy</span><span class="date">March 3, 2024 at 8:15 pm</span>
    <div class="entry-text">Another one.</div>
  </div>
</div></section></body></html>"""


def test_generic_threaded_div_list() -> None:
    thread = _thread(GENERIC)
    assert thread.source == "heuristic"
    got = [(c.comment_id, c.parent_id, c.author, c.depth, c.text) for c in thread.comments]
    assert got == [
        ("r101", None, "Ana", 1, "Top level."),
        ("r102", "r101", "Bo", 2, "A reply."),
        ("r103", None, "Cy", 1, "Another one."),
    ]
    assert thread.comments[2].published_at == "2024-03-03T20:15:00"
    assert thread.comments[2].published_at_raw == "March 3, 2024 at 8:15 pm"
    assert thread.comment_count == 3


TAGDIV = """<html><body><h1>T</h1><div class="td-post-content"><p>Body</p></div>
<div class="comments" id="comments">
<div class="td-comments-title-wrap"><h4 class="block-title"><span>12 COMMENTS</span></h4></div>
<ol class="comment-list">
<li class="comment" id="li-comment-301"><article>
  <footer><img class="avatar" src="a.png"><cite><a href="https://ana.example/" class="url">Ana</a></cite>
  <a class="comment-link" href="https://news.example.org/2024/03/a-story/comment-page-2/#comment-301">
  <time pubdate datetime="2024-03-05T08:00:00+00:00">March 5, 2024 At 8:00 am</time></a></footer>
  <div class="comment-content"><p>Old news.</p></div>
  <div class="comment-meta" id="comment-301"><a class="comment-reply-link" href="?replytocom=301#respond">Reply</a></div>
</article>
<ul class="children"><li class="comment" id="li-comment-302"><article>
  <footer><cite>Bo</cite><a href="#comment-302"><time datetime="2024-03-05T09:00:00+00:00">x</time></a></footer>
  <div class="comment-content"><p>Indeed.</p><p class="comment-awaiting-moderation">Your comment is awaiting moderation.</p></div>
</article></li></ul></li>
</ol>
<div class="comment-pagination">
  <a class="prev page-numbers" href="https://news.example.org/2024/03/a-story/comment-page-1/#comments">Older Comments</a>
  <a class="next page-numbers" href="https://news.example.org/2024/03/a-story/comment-page-3/#comments">Newer Comments</a>
</div>
<div id="respond" class="comment-respond"><h3 class="comment-reply-title">Leave a Reply</h3>
<form><textarea></textarea></form></div></div></body></html>"""


def test_tagdiv_comments_with_pagination() -> None:
    thread = _thread(TAGDIV, URL + "comment-page-2/")
    got = [(c.comment_id, c.parent_id, c.author, c.depth, c.text) for c in thread.comments]
    assert got == [("301", None, "Ana", 1, "Old news."), ("302", "301", "Bo", 2, "Indeed.")]
    assert thread.comments[0].author_url == "https://ana.example/"
    assert thread.comments[0].published_at == "2024-03-05T08:00:00+00:00"
    assert thread.comment_count == 12
    assert thread.page_number == 2
    assert thread.page_urls == [URL + "comment-page-1/", URL + "comment-page-3/"]
    assert thread.source == "cms"


def test_bare_url_page_number_from_older_link() -> None:
    html = TAGDIV.replace(
        '<a class="next page-numbers" href="https://news.example.org/2024/03/a-story/'
        'comment-page-3/#comments">Newer Comments</a>',
        "",
    ).replace("comment-page-2/#comment-301", "#comment-301")
    thread = _thread(html)
    assert thread.page_number == 2
    assert thread.page_urls == [URL + "comment-page-1/"]


def test_cpage_query_pagination() -> None:
    html = TAGDIV.replace("comment-page-1/#comments", "?cpage=1#comments").replace(
        "comment-page-3/#comments", "?cpage=3#comments"
    )
    thread = _thread(html, URL + "?cpage=2")
    assert thread.page_number == 2
    assert thread.page_urls == [URL + "?cpage=1", URL + "?cpage=3"]


def test_block_theme_comment_template() -> None:
    html = """<html><body><h1>T</h1><div class="wp-block-comments">
    <h2 class="wp-block-comments-title">2 responses to “T”</h2>
    <ol class="wp-block-comment-template">
    <li id="comment-7" class="comment even thread-even depth-1">
      <div class="wp-block-group"><div class="wp-block-comment-author-name">
        <a rel="external nofollow ugc" href="https://ana.example/">Ana</a></div>
      <div class="wp-block-comment-date"><time datetime="2024-03-01T10:00:00+00:00">
        <a href="#comment-7">March 1, 2024</a></time></div>
      <div class="wp-block-comment-content"><p>Hello.</p></div>
      <div class="wp-block-comment-reply-link"><a href="#">Reply</a></div>
      <div class="wp-block-comment-edit-link"><a href="#">Edit</a></div></div>
      <ol class="children"><li id="comment-8" class="comment depth-2">
        <div class="wp-block-comment-author-name">Bo</div>
        <div class="wp-block-comment-content"><p>Hi.</p></div></li></ol>
    </li></ol>
    <div class="wp-block-comments-pagination">
      <a class="wp-block-comments-pagination-previous" href="?cpage=1#comments">Older Comments</a>
    </div></div></body></html>"""
    thread = _thread(html, URL + "?cpage=2")
    got = [(c.comment_id, c.parent_id, c.author, c.depth, c.text) for c in thread.comments]
    assert got == [("7", None, "Ana", 1, "Hello."), ("8", "7", "Bo", 2, "Hi.")]
    assert thread.comment_count == 2
    assert thread.page_urls == [URL + "?cpage=1"]


def test_pingback_kept_with_its_id() -> None:
    html = """<html><body><h1>T</h1><ol class="commentlist">
    <li class="pingback even depth-1" id="comment-55"><div class="comment-body">
    Pingback: <a href="https://other.example/p/" class="url">Other blog post</a>
    <span class="edit-link"><a href="#">Edit</a></span></div></li></ol></body></html>"""
    (comment,) = _thread(html).comments
    assert comment.comment_id == "55"
    assert comment.author == "Other blog post"
    assert comment.author_url == "https://other.example/p/"
    assert comment.text == "Pingback: Other blog post"


def test_merge_dedupes_and_orders_pages_oldest_first() -> None:
    def c(cid: str, when: str, parent: str | None = None) -> Comment:
        return Comment(cid, parent, "x", when, "t", depth=2 if parent else 1)

    newest = CommentThread([c("5", "2024-01-03T00:00:00+00:00")], page_number=2)
    oldest = CommentThread(
        [
            c("1", "2024-01-01T00:00:00+00:00"),
            c("3", "2024-01-02T12:00:00+00:00", parent="1"),
            c("2", "2024-01-02T00:00:00+00:00"),
        ],
        page_number=1,
    )
    again = CommentThread([c("5", "2024-01-03T00:00:00+00:00")], page_number=2)
    merged = merge_comment_pages([newest, again, oldest])
    assert [m.comment_id for m in merged] == ["1", "3", "2", "5"]


def test_merge_keeps_page_order_without_times() -> None:
    first = CommentThread([Comment("b", None, "x", None, "t")], page_number=1)
    second = CommentThread([Comment("a", None, "x", None, "t")], page_number=2)
    assert [m.comment_id for m in merge_comment_pages([second, first])] == ["b", "a"]


def test_merge_thread_order_keeps_replies_under_their_parent() -> None:
    post_id = 6
    threads = [t for _, _, t in _threads("twentytwentyone", post_id)]
    merged = merge_comment_pages(threads)
    ids = [c.comment_id for c in merged]
    assert ids[:3] == ["15", "17", "16"]  # 17 answers 15, 16 was written between them
    assert sorted(ids) == sorted(str(c["id"]) for c in POSTS[post_id]["comments"])


def test_twenty_thousand_threaded_comments_are_all_found() -> None:
    """bench/comments_scale.py's page (WordPress markup, threads 4 deep): every comment,
    with its parent. (Its time is the bench's to measure: it was quadratic in the number
    of comments, each one looking for its parent among a fresh copy of all before it.)"""
    from bench.comments_scale import URL, comments_page

    article = extract_article(comments_page(20_000).encode(), URL)
    assert len(article.comments) == 20_000
    assert [c.comment_id for c in article.comments[:5]] == ["1", "2", "3", "4", "5"]
    assert [c.parent_id for c in article.comments[:5]] == [None, "1", "2", "3", None]
    assert [c.depth for c in article.comments[:5]] == [1, 2, 3, 4, 1]


REPEATED = """<html><body><div id="content"><article><h1>Regen im Herbst</h1>
<p>Der Oktober war nass, und die Talsperren sind wieder voll. Mehr Text zum Artikel, damit
der Körper lang genug ist, um als Artikel erkannt zu werden, mit zwei Sätzen mehr.</p>
<p>Ein zweiter Absatz des Artikels mit weiteren Einzelheiten über das Wetter im Land.</p>
<div class="kommentare"><h3>Kommentare (2)</h3>
<div class="kommentar-item"><div class="kommentar-info"><div class="benutzer">Harzer66</div>
<div class="datum">31.10.2023, 19.18 Uhr</div></div>
<div class="kommentar-text">Es gab dieses Jahr echt Regen.</div>
<div class="vote"><a href="/login">Login für Vote</a></div></div>
<div class="kommentar-item"><div class="kommentar-info"><div class="benutzer">Leser</div>
<div class="datum">01.11.2023, 08.02 Uhr</div></div>
<div class="kommentar-text">So isses halt.</div></div>
</div></article></div></body></html>"""


def test_repeated_comment_items_without_cms_markup() -> None:
    """Items whose class names one comment and repeats are the thread; their author and
    date come from role words in German; the body leaves them out."""
    thread = _thread(REPEATED)
    assert [(c.author, c.text) for c in thread.comments] == [
        ("Harzer66", "Es gab dieses Jahr echt Regen."),
        ("Leser", "So isses halt."),
    ]
    assert [c.depth for c in thread.comments] == [1, 1]
    assert thread.comment_count == 2
    article = extract_article(REPEATED, URL)
    assert "Talsperren" in article.body_text
    assert "echt Regen" not in article.body_text
    assert "So isses halt" not in article.body_text


def test_repeated_comment_items_beside_a_widget_are_not_comments() -> None:
    """Entries classed like comments on a page whose comments a script widget loads (a
    live ticker's "match-comment" entries) are no reader comments."""
    entries = "".join(
        f'<div class="live-match-comment"><div class="live-match-comment-time">{m}\'</div>'
        f'<div class="live-match-comment-body">Tor in der {m}. Minute.</div></div>'
        for m in (12, 45, 88)
    )
    html = (
        f'<html><body><h1>Live</h1><div class="live-match-comments">{entries}</div>'
        '<div id="disqus_thread"></div></body></html>'
    )
    thread = _thread(html)
    assert thread.comments == []
    assert thread.comments_source == "disqus"


def test_responsive_layout_class_is_no_comment_region() -> None:
    """A lone dated record with an author (an author box) is no comment because <body>
    carries a "responsive" layout class: "respons" marks a region of responses only."""
    html = """<html><body class="single responsive-menu"><article><h1>T</h1>
    <p>Body text of the article.</p>
    <div id="after_section_1"><span class="author">Cornelius Karow</span>
    <time datetime="2022-12-06T08:45:00+01:00">6.12.2022</time>
    <div class="entry-text">Autor: Die Redaktion</div></div></article></body></html>"""
    assert _thread(html).comments == []


def test_review_body_is_the_comment_text() -> None:
    """A comment marked up as a schema.org Review: its reviewBody is the text."""
    html = """<html><body><h1>T</h1><p>Body.</p><div class="comment-list">
    <article class="comment" itemscope itemtype="http://schema.org/Review">
      <span class="comment-author" itemprop="author">Claire</span>
      <time datetime="2019-05-15T08:07:00+02:00">15 mai</time>
      <div class="comment-story description" itemprop="reviewBody">Quel enfumage !</div>
    </article></div></body></html>"""
    assert [(c.author, c.text) for c in _thread(html).comments] == [("Claire", "Quel enfumage !")]
