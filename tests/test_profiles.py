"""Site profiles: the shipped examples against the WordPress captures' and the demo site's
truth, a profile winning over generic extraction, and each kind of broken profile giving
one clear message, at load time and through a real ``scrapy crawl``."""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import subprocess
import textwrap
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env
from scraper.demosite import DemoServer, build_site, site_truth
from scraper.demosite.render import render_article
from scraper.extract import (
    extract_article,
    extract_thread,
    find_page_neighbours,
    merge_comment_pages,
    parse_html,
)
from scraper.extract.profiles import (
    Profile,
    ProfileError,
    builtin_profiles_dir,
    load_profile,
    load_profiles,
    parse_profile,
    pick_profile,
)
from scraper.extract.urls import canonicalize_url
from scraper.items import Article, Comment
from tests.crawling import run_crawl

PROFILES = builtin_profiles_dir()
WORDPRESS = Path(__file__).parent / "fixtures" / "wordpress"
TRUTH = json.loads((WORDPRESS / "truth.json").read_text("utf-8"))
THEME_PROFILES = {"twentytwentyone": "wordpress-classic", "twentytwentytwo": "wordpress-block"}


@cache
def _profile(name: str) -> Profile:
    return load_profile(PROFILES / f"{name}.toml")


# -- the shipped profiles -------------------------------------------------------------------


def test_every_shipped_profile_loads() -> None:
    names = sorted(p.name for p in load_profiles(PROFILES))
    assert names == ["chorus", "jnews", "tagdiv-newspaper", "wordpress-block", "wordpress-classic"]


@cache
def _wp_rows(theme: str) -> tuple[dict[str, str], ...]:
    with open(WORDPRESS / theme / "manifest.tsv", encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh, delimiter="\t"))


def _wp_page(theme: str, url: str) -> bytes:
    path = next(r["path"] for r in _wp_rows(theme) if r["url"] == url)
    return (WORDPRESS / theme / path).read_bytes()


def _comment_tuple(c: Comment) -> tuple[Any, ...]:
    return (c.comment_id, c.parent_id, c.author, c.author_url, c.published_at, c.text, c.depth)


POSTS = [(theme, post) for theme in THEME_PROFILES for post in TRUTH["posts"]]


@pytest.mark.parametrize(("theme", "post"), POSTS, ids=[f"{t}-{p['id']}" for t, p in POSTS])
def test_wordpress_profile_matches_truth_with_source_profile(theme: str, post: dict) -> None:
    profile = _profile(THEME_PROFILES[theme])
    a = extract_article(_wp_page(theme, post["url"]), post["url"], profile=profile)
    author = post["author"] if theme == "twentytwentyone" else post["author_texturized"]
    assert a.headline == post["title"]
    assert a.authors == [author]
    assert a.published_at == post["date_published"]
    assert a.canonical_url == canonicalize_url(post["url"])
    assert a.categories == [c["name"] for c in post["categories"]]
    assert a.section == post["categories"][0]["name"]
    assert a.tags == [t["name"] for t in post["tags"]]
    assert a.body_text is not None
    assert a.body_text.split("\n\n") == [
        b["text"] for b in post["blocks"] if b["type"] != "figcaption"
    ]
    assert [image.url for image in a.images] == post["images"]
    named = ["headline", "authors", "published_at", "canonical_url", "categories", "section"]
    named += ["tags", "body_text", "language"]
    assert {k: a.sources[k] for k in named} == dict.fromkeys(named, "profile")
    if theme == "twentytwentyone":
        for side, want in (("prev", post["previous"]), ("next", post["next"])):
            got = (getattr(a, f"{side}_url"), getattr(a, f"{side}_title"))
            assert got == ((want["url"], want["title"]) if want else (None, None))
            if want:
                assert a.sources[f"{side}_url"] == "profile"
    # the whole comment thread, all comment pages merged
    threads = [
        extract_thread(parse_html((WORDPRESS / theme / r["path"]).read_bytes()), r["url"], profile)
        for r in _wp_rows(theme)
        if r["post_id"] == str(post["id"]) and r["kind"] in ("post", "comment-page")
    ]
    merged = merge_comment_pages(threads)
    name = "author" if theme == "twentytwentyone" else "author_texturized"
    truth = [
        Comment(
            comment_id=str(c["id"]),
            parent_id=str(c["parent_id"]) if c["parent_id"] else None,
            author=c[name],
            author_url=c["author_url"],
            published_at=c["date"],
            text=c["text"],
            depth=c["depth"],
        )
        for c in post["comments"]
    ]
    # the truth lists comments oldest first; the thread keeps document order
    assert {c.comment_id: _comment_tuple(c) for c in merged} == {
        c.comment_id: _comment_tuple(c) for c in truth
    }
    assert len(merged) == len(truth)
    assert a.comment_count == (post["comment_count"] if post["comments"] else 0)
    if post["comments"]:
        assert a.sources["comments"] == "profile"
        assert all(t.source == "profile" for t in threads)


DEMO = build_site(36)
DEMO_BASE = "http://127.0.0.1:8642"
DEMO_TRUTH = site_truth(DEMO, DEMO_BASE)
DEMO_FIELDS = (
    "canonical_url", "headline", "description", "authors", "published_at", "modified_at",
    "section", "categories", "tags", "language", "body_text", "prev_url", "prev_title",
    "next_url", "next_title", "comment_count", "comments_source", "comment_page_urls",
)  # fmt: skip
DEMO_PROFILED = ("headline", "authors", "published_at", "section", "categories", "tags")
DEMO_PROFILED += ("body_text", "comments")


@pytest.mark.parametrize(
    ("article", "want"),
    list(zip(DEMO.articles, DEMO_TRUTH["articles"], strict=True)),
    ids=[a.path.strip("/").split("/")[-1][:40] for a in DEMO.articles],
)
def test_tagdiv_profile_matches_the_demo_site(article: Any, want: dict) -> None:
    profile = _profile("tagdiv-newspaper")
    a = extract_article(render_article(DEMO, article, DEMO_BASE), want["url"], profile=profile)
    assert {f: getattr(a, f) for f in DEMO_FIELDS} == {f: want[f] for f in DEMO_FIELDS}
    assert [{"url": i.url, "caption": i.caption} for i in a.images] == want["images"]
    sources = {f: a.sources.get(f) for f in DEMO_PROFILED if f != "comments" or a.comments}
    assert set(sources.values()) == {"profile"}, sources
    threads = [
        extract_thread(
            parse_html(render_article(DEMO, article, DEMO_BASE, page)),
            DEMO_BASE + article.comment_page_path(page),
            profile,
        )
        for page in range(1, article.comment_pages + 1)
    ]
    got = [
        {
            "comment_id": c.comment_id,
            "parent_id": c.parent_id,
            "author": c.author,
            "author_url": c.author_url,
            "published_at": c.published_at,
            "text": c.text,
            "depth": c.depth,
        }
        for c in merge_comment_pages(threads)
    ]
    assert got == want["comments"]


# -- a profile wins over generic extraction --------------------------------------------------

CUSTOM_URL = "https://paper.example.org/politics/2024/council-vote.html"
CUSTOM_PAGE = """<!doctype html><html lang="de"><head>
<title>Wrong title | Paper</title>
<meta name="description" content="The council voted on the budget.">
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Teaser headline",
 "author": {"@type": "Person", "name": "Desk Editor"}, "datePublished": "2020-01-01T00:00:00Z"}
</script></head><body>
<div class="story">
  <div class="kicker">Politik</div>
  <h2 class="story-title">Council passes the tram budget</h2>
  <p class="who">Reporting: Zoë Müller / Ana Ruiz</p>
  <span class="when">23/11/2024 14:05</span>
  <div class="story-text">
    <p>The council passed the budget on Thursday night after a long debate.</p>
    <div class="promo"><p>Subscribe to our newsletter for more news like this one.</p></div>
    <p>Work on the new tram line starts in the spring, the mayor said.</p>
  </div>
  <a class="go-back" href="/politics/2024/storm.html">Storm warning for the coast</a>
  <a class="go-on" href="/politics/2024/festival.html">River festival draws crowds</a>
</div>
<section class="talk">
  <div class="msg" data-id="m1" data-parent=""><b class="nick">Ana</b>
    <i class="stamp">23/11/2024 15:00</i><div class="said"><p>Finally.</p></div></div>
  <div class="msg" data-id="m2" data-parent="m1"><b class="nick">Björn</b>
    <i class="stamp">23/11/2024 15:30</i><div class="said"><p>Not so sure.</p>
    <p>Who pays for it?</p></div></div>
  <div class="msg" data-id="m3" data-parent="m2"><b class="nick">Chloé</b>
    <i class="stamp">24/11/2024 09:10</i><div class="said"><p>We all do.</p></div></div>
  <a class="more" href="?talk=2">more</a>
</section>
</body></html>"""
CUSTOM_PROFILE = r"""
name = "paper"
domains = ["paper.example.org"]
timezone = "Europe/Berlin"
date_format = "%d/%m/%Y %H:%M"

[fields]
headline = "h2.story-title"
authors = { css = "p.who", regex = '^Reporting:\s*(.+)$', split = '\s*/\s*' }
published_at = "span.when"
section = "xpath://div[@class='kicker']/text()"
body_text = { css = ".story-text", exclude = ".promo" }
prev_url = "a.go-back"
next_url = "a.go-on"

[comments]
container = "section.talk"
item = "div.msg"
id = { attr = "data-id" }
parent = { attr = "data-parent" }
author = ".nick"
date = ".stamp"
text = ".said"
pages = "a.more"
"""


def test_profile_wins_over_generic_extraction_field_by_field() -> None:
    generic = extract_article(CUSTOM_PAGE, CUSTOM_URL)
    assert generic.headline == "Teaser headline" and generic.authors == ["Desk Editor"]
    assert not generic.comments

    profile = parse_profile(CUSTOM_PROFILE, "paper.toml")
    a = extract_article(CUSTOM_PAGE, CUSTOM_URL, profile=profile)
    assert a.headline == "Council passes the tram budget"
    assert a.authors == ["Zoë Müller", "Ana Ruiz"]
    assert a.published_at == "2024-11-23T14:05:00+01:00"
    assert a.published_at_raw == "23/11/2024 14:05"
    assert a.section == "Politik"
    assert a.body_text == (
        "The council passed the budget on Thursday night after a long debate.\n\n"
        "Work on the new tram line starts in the spring, the mayor said."
    )
    assert a.prev_url == "https://paper.example.org/politics/2024/storm.html"
    assert a.prev_title == "Storm warning for the coast"
    assert a.next_url == "https://paper.example.org/politics/2024/festival.html"
    for name in ("headline", "authors", "published_at", "section", "body_text"):
        assert a.sources[name] == "profile", name
    assert a.sources["prev_url"] == a.sources["next_url"] == a.sources["comments"] == "profile"
    # fields the profile does not name come from generic extraction, with their source
    assert a.description == "The council voted on the budget."
    assert a.sources["description"] == "meta"
    assert a.language == "de" and a.sources["language"] != "profile"

    assert [(c.comment_id, c.parent_id, c.author, c.published_at, c.depth) for c in a.comments] == [
        ("m1", None, "Ana", "2024-11-23T15:00:00+01:00", 1),
        ("m2", "m1", "Björn", "2024-11-23T15:30:00+01:00", 2),
        ("m3", "m2", "Chloé", "2024-11-24T09:10:00+01:00", 3),
    ]
    assert a.comments[1].text == "Not so sure.\n\nWho pays for it?"
    assert a.comments_source == "html"
    assert a.comment_page_urls == [CUSTOM_URL + "?talk=2"]


def test_named_field_not_on_the_page_falls_back_to_generic() -> None:
    profile = parse_profile('[fields]\nheadline = "h1.nowhere"\n', "p.toml")
    a = extract_article(CUSTOM_PAGE, CUSTOM_URL, profile=profile)
    assert a.headline == "Teaser headline" and a.sources["headline"] == "jsonld"


def test_neighbours_and_threads_for_the_spider() -> None:
    profile = parse_profile(CUSTOM_PROFILE, "paper.toml")
    tree = parse_html(CUSTOM_PAGE)
    n = find_page_neighbours(tree, CUSTOM_URL, profile)
    assert (n.prev_url, n.next_url, n.source) == (
        "https://paper.example.org/politics/2024/storm.html",
        "https://paper.example.org/politics/2024/festival.html",
        "profile",
    )
    thread = extract_thread(tree, CUSTOM_URL, profile)
    assert [c.comment_id for c in thread.comments] == ["m1", "m2", "m3"]
    assert thread.source == "profile"
    assert thread.page_urls == [CUSTOM_URL + "?talk=2"]


def test_pick_profile_by_domain_and_subdomain() -> None:
    paper = parse_profile(CUSTOM_PROFILE, "paper.toml")
    other = parse_profile('domains = ["other.example"]', "other.toml")
    assert pick_profile([other, paper], CUSTOM_URL) is paper
    assert pick_profile([other, paper], "https://www.other.example/a") is other
    assert pick_profile([other, paper], "https://example.org/a") is None


# -- broken profiles -----------------------------------------------------------------------

BROKEN = {
    "invalid-toml": ('name = "x"\n[fields\nheadline = "h1"\n', ":2: invalid TOML"),
    "unknown-key": ('name = "x"\nselectors = 3\n', ":2: selectors: unknown key"),
    "unknown-field": (
        '[fields]\nheadline = "h1"\nbyline = ".by"\n',
        ":3: fields.byline: unknown field",
    ),
    "bad-css": (
        '[fields]\n\nheadline = "h1[class"\n',
        ":3: fields.headline: bad CSS selector 'h1[class'",
    ),
    "bad-xpath": (
        "[fields]\nauthors = \"xpath://a[@rel='author'\"\n",
        ":2: fields.authors: bad XPath",
    ),
    "unknown-xpath-function": (
        '[fields]\nauthors = { xpath = "//a[shout(.)]" }\n',
        ":2: fields.authors: bad XPath '//a[shout(.)]': unknown function shout()",
    ),
    "bad-regex": (
        '[fields]\nauthors = { css = ".by", regex = "By (.+" }\n',
        ":2: fields.authors.regex: bad regular expression",
    ),
    "bad-date-format": ('date_format = "%Y-%Q"\n', ":1: date_format: bad date format '%Y-%Q'"),
    "bad-timezone": (
        '[comments]\nitem = "li"\ndate = { css = "time", timezone = "Mars/Olympus" }\n',
        ":3: comments.date.timezone: unknown timezone 'Mars/Olympus'",
    ),
    "comments-without-item": ('[comments]\ntext = "p"\n', ":1: comments: needs item"),
    "bad-parent": (
        '[comments]\nitem = "li"\nparent = "siblings"\n',
        ':3: comments.parent: must be "nested"',
    ),
    "not-a-selector": ("[fields]\nheadline = 3\n", ":2: fields.headline: must be a selector"),
    "bad-detect": (
        'name = "theme"\ndetect = "div[class*=\'x\'"\n',
        ":2: detect: bad CSS selector",
    ),
    "bad-generic-selector": (
        '[generic]\nbody = ["div.a", "xpath://div["]\n',
        ":2: generic.body: bad XPath",
    ),
    "unknown-generic-key": ('[generic]\nfooter = ".f"\n', ":2: generic.footer: unknown key"),
}


@pytest.mark.parametrize(("text", "expected"), BROKEN.values(), ids=BROKEN.keys())
def test_broken_profile_gives_one_clear_message(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "site.toml"
    path.write_text(text, "utf-8")
    with pytest.raises(ProfileError) as info:
        load_profile(path)
    message = str(info.value)
    assert message.startswith(f"{path}{expected}"), message
    assert "\n" not in message


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile file not found"):
        load_profile(tmp_path / "nope.toml")


def _crawl(
    server: DemoServer, tmp_path: Path, args: dict[str, str], settings: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    cmd = crawl_command(
        server.url + DEMO.articles[5].path,
        tmp_path / "archive.db",
        args,
        {**LOCAL_SETTINGS, "LOG_LEVEL": "INFO", **settings},
    )
    return subprocess.run(
        cmd, cwd=tmp_path, env=crawl_env(), capture_output=True, text=True, timeout=120
    )


CRAWL_BROKEN = ["invalid-toml", "unknown-field", "bad-css", "bad-timezone"]


@pytest.mark.parametrize("kind", CRAWL_BROKEN)
@pytest.mark.parametrize("how", ["argument", "folder"])
def test_broken_profile_stops_the_crawl_before_the_first_request(
    tmp_path: Path, kind: str, how: str
) -> None:
    text, expected = BROKEN[kind]
    folder = tmp_path / "profiles"
    folder.mkdir()
    path = folder / "site.toml"
    path.write_text(text, "utf-8")
    with DemoServer(DEMO) as server:
        if how == "argument":
            result = _crawl(server, tmp_path, {"profile": str(path)}, {})
        else:
            result = _crawl(server, tmp_path, {}, {"ARCHIVE_PROFILES": str(folder)})
        assert server.requests == []
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1, result.stderr
    assert f"{path}{expected}" in errors[0]
    assert "Traceback" not in result.stderr + result.stdout


def _articles(db: Path) -> list[Article]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("select canonical_url, headline, sources from articles").fetchall()
    finally:
        conn.close()
    return [
        Article(
            url=r["canonical_url"],
            canonical_url=r["canonical_url"],
            headline=r["headline"],
            sources=json.loads(r["sources"] or "{}"),
        )
        for r in rows
    ]


@pytest.mark.parametrize("how", ["argument", "folder"])
def test_crawl_applies_the_profile(tmp_path: Path, how: str) -> None:
    folder = tmp_path / "profiles"
    folder.mkdir()
    text = (PROFILES / "tagdiv-newspaper.toml").read_text("utf-8")
    (folder / "demo.toml").write_text(text.replace("domains = []", 'domains = ["127.0.0.1"]'))
    (folder / "other.toml").write_text('domains = ["example.org"]\n[fields]\nheadline = "p"\n')
    db = tmp_path / "archive.db"
    with DemoServer(DEMO) as server:
        start = server.url + DEMO.articles[5].path
        if how == "argument":
            run_crawl(start, db, f"profile={folder / 'demo.toml'}", "max_articles=3")
        else:
            run_crawl(start, db, "max_articles=3", settings={"ARCHIVE_PROFILES": str(folder)})
        truth = {a["url"]: a for a in site_truth(DEMO, server.url)["articles"]}
    articles = _articles(db)
    assert len(articles) == 3
    for a in articles:
        assert a.headline == truth[a.canonical_url]["headline"]
        assert a.sources["headline"] == a.sources["body_text"] == "profile"


def test_the_docs_profiles_load_and_the_full_example_reads_the_custom_page() -> None:
    docs = (Path(__file__).parent.parent / "docs" / "profiles.md").read_text("utf-8")
    blocks = re.findall(r"```toml\n(.*?)```", docs, re.S)
    assert len(blocks) >= 2
    profiles = [parse_profile(textwrap.dedent(b), "docs/profiles.md") for b in blocks]
    a = extract_article(CUSTOM_PAGE, CUSTOM_URL, profile=profiles[0])
    assert a.headline == "Council passes the tram budget"
    assert [c.author for c in a.comments] == ["Ana", "Björn", "Chloé"]
