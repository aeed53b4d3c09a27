"""Theme profiles: a built-in profile with a ``detect`` selector adds its theme's markup to
generic extraction on the pages it detects, below a site profile, and only while
``ARCHIVE_THEME_PROFILES`` is on; generic code names no theme's classes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from scraper import settings
from scraper.demosite import DemoServer, build_site, site_truth
from scraper.extract import extract_article
from scraper.extract.profiles import builtin_themes, parse_profile
from scraper.spiders.articles import ArticlesSpider
from tests.crawling import db_rows, run_crawl

DEMO = build_site(12)

URL = "https://news.example.org/2024/05/01/council-vote/"
STORY = (
    "The council voted on Tuesday to rebuild the old bridge over the river, after two years "
    "of debate about its cost and about who should pay for the works."
)

ACME = parse_profile(
    """
name = "acme"
detect = "body.acme-theme"
[generic]
body = "div.acme-story"
tags = ".acme-tags a"
categories = "xpath://p[@class='acme-kicker']//a"
published_at = "xpath://span[@class='acme-when']/@data-iso"
noise = ".acme-promo"
""",
    "acme.toml",
)


def _page(body_class: str = "acme-theme") -> str:
    return f"""<html><head><title>Council votes | News</title></head>
<body class="{body_class}"><div class="wrap">
<h1>Council votes</h1>
<p class="acme-kicker"><a href="/c/politics/">Politics</a></p>
<span class="acme-when" data-iso="2024-05-01T09:30:00+02:00">yesterday</span>
<div class="acme-story"><p>{STORY}</p><div class="acme-promo"><p>Subscribe to our daily
letter and win a weekend for two at the seaside, with breakfast.</p></div><p>{STORY}</p></div>
<ul class="acme-tags"><li><a href="/t/bridge/">bridge</a></li><li><a href="/t/budget/">budget</a></li></ul>
</div></body></html>"""


def test_theme_profile_applies_by_its_detect_selector_without_a_host_match() -> None:
    assert not ACME.matches(URL)
    a = extract_article(_page(), URL, themes=[ACME])
    assert a.tags == ["bridge", "budget"]
    assert a.categories == ["Politics"]
    assert a.section == "Politics"
    assert a.published_at == "2024-05-01T09:30:00+02:00"
    assert a.body_text == f"{STORY}\n\n{STORY}"
    assert a.sources["body_text"] == "cms"
    assert a.sources["tags"] == "cms"


def test_theme_profile_does_not_apply_where_detect_does_not_match() -> None:
    a = extract_article(_page("other-theme"), URL, themes=[ACME])
    assert a.tags == []
    assert a.categories == []
    assert a.sources.get("body_text") != "cms"


def test_no_theme_profiles_gives_generic_extraction() -> None:
    a = extract_article(_page(), URL, themes=())
    assert a.tags == []
    assert a.categories == []
    assert a.sources.get("body_text") != "cms"
    assert a.published_at != "2024-05-01T09:30:00+02:00"


def test_site_profile_wins_over_theme_profile() -> None:
    site = parse_profile(
        'domains = ["news.example.org"]\n[fields]\ntags = "xpath://ul[@class=\'acme-tags\']//li[1]/a"\n',
        "site.toml",
    )
    a = extract_article(_page(), URL, profile=site, themes=[ACME])
    assert a.tags == ["bridge"]
    assert a.sources["tags"] == "profile"
    # the fields the site profile leaves to generic extraction still read the theme's markup
    assert a.categories == ["Politics"]
    assert a.sources["body_text"] == "cms"


JNEWS_PAGE = f"""<html><head><title>Bridge | Paper</title></head><body>
<div class="jeg_main"><div class="jeg_inner_content">
<h1 class="jeg_post_title">Bridge to be rebuilt</h1>
<div class="jeg_meta_category"><a href="/category/local/">Local</a></div>
<div class="jeg_meta_date"><a href="/2024/05/01/bridge/">May 1, 2024</a></div>
<div class="jeg_post_content"><div class="content-inner"><p>{STORY}</p><p>{STORY}</p>
<div class="jeg_post_tags"><span>Tags:</span><a href="/tag/bridge/">bridge</a></div>
</div></div></div></div></body></html>"""


def test_builtin_jnews_profile_is_consulted_by_default() -> None:
    assert {p.name for p in builtin_themes()} == {"chorus", "jnews", "tagdiv-newspaper"}
    a = extract_article(JNEWS_PAGE, "https://paper.example/bridge/")
    assert a.headline == "Bridge to be rebuilt"
    assert a.categories == ["Local"]
    assert a.tags == ["bridge"]
    assert a.published_at is not None and a.published_at.startswith("2024-05-01")
    assert a.body_text == f"{STORY}\n\n{STORY}"  # the tag box is left out
    plain = extract_article(JNEWS_PAGE, "https://paper.example/bridge/", themes=())
    assert plain.categories == [] and plain.tags == []


def test_the_setting_is_on_by_default_and_the_spider_uses_the_builtin_themes() -> None:
    assert settings.ARCHIVE_THEME_PROFILES is True
    spider = ArticlesSpider(start_url="https://paper.example/bridge/")
    assert spider.themes == builtin_themes()


# the class prefixes of tagDiv Newspaper (td-, td_, tdb) and JNews (jeg_), and the
# container of Vox Media's Chorus
_THEME_CLASSES = re.compile(r"""['"\s.(,\[|](?:td[-_]|tdb|jeg_)|c-entry-content""")


def test_generic_extraction_names_no_theme_classes() -> None:
    root = Path(__file__).resolve().parent.parent / "scraper" / "extract"
    found = [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py"))
        for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
        if _THEME_CLASSES.search(line)
    ]
    assert found == [], "theme classes belong in scraper/profiles/:\n" + "\n".join(found)


Crawled = tuple[dict[str, tuple[list[str], list[str]]], dict[str, dict[str, str]]]


def _crawled_categories(tmp_path: Path, extra: dict[str, str]) -> Crawled:
    """(url: (categories crawled, the truth's), url: sources) of a two-article demo crawl."""
    db = tmp_path / "archive.db"
    with DemoServer(DEMO) as server:
        run_crawl(server.url + DEMO.articles[5].path, db, "max_articles=2", settings=extra)
        truth = {a["url"]: a["categories"] for a in site_truth(DEMO, server.url)["articles"]}
    rows = db_rows(db, "select canonical_url, categories, sources from articles")
    assert len(rows) == 2
    got = {r["canonical_url"]: json.loads(r["categories"] or "[]") for r in rows}
    sources = {r["canonical_url"]: json.loads(r["sources"] or "{}") for r in rows}
    return {u: (got[u], truth[u]) for u in got}, sources


def test_the_crawl_reads_the_demo_theme_by_default_and_not_with_the_setting_off(
    tmp_path: Path,
) -> None:
    on, sources = _crawled_categories(tmp_path / "on", {})
    assert all(got == want and want for got, want in on.values())
    assert all(s["body_text"] == "cms" for s in sources.values())
    off, sources = _crawled_categories(tmp_path / "off", {"ARCHIVE_THEME_PROFILES": "False"})
    assert all(got == [] and want for got, want in off.values())
    assert all(s["body_text"] != "cms" for s in sources.values())
