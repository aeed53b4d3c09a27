"""Page kinds on small pages: each piece of evidence alone."""

from __future__ import annotations

import json

from scraper.extract import PageHints, PageKind, classify_page, parse_html

PROSE = " ".join(
    f"<p>Paragraph {i} of the story tells what happened in the city council on Tuesday, "
    "who voted for the plan, who spoke against it and what it will cost the taxpayers "
    "over the next ten years of its life.</p>"
    for i in range(8)
)


def page(body: str, head: str = "") -> str:
    return f"<html><head><title>T</title>{head}</head><body>{body}</body></html>"


def teasers(n: int) -> str:
    return "".join(
        f'<article><h2><a href="/2024/05/story-{i}/">Story {i}</a></h2>'
        f"<p>A short teaser of story {i}.</p></article>"
        for i in range(n)
    )


def jsonld(node: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(node)}</script>'


def kind(html: str, url: str, hints: PageHints | None = None) -> PageKind:
    return classify_page(parse_html(html), url, hints)


def test_home_page_of_teasers_is_a_listing() -> None:
    found = kind(page(f"<main>{teasers(12)}</main>"), "https://news.example/")
    assert found == PageKind("listing", "site root")


def test_section_of_teasers_is_a_listing_by_its_teasers() -> None:
    found = kind(page(f"<main>{teasers(12)}</main>"), "https://news.example/world-news/")
    assert found.kind == "listing"
    assert found.reason == "repeated teasers (12)"


def test_tag_page_is_a_listing_by_its_address() -> None:
    found = kind(page(f"<main>{teasers(3)}</main>"), "https://news.example/tag/energy/")
    assert found == PageKind("listing", "archive address")


def test_paginated_lists_are_listings() -> None:
    html = page(f"<main>{teasers(3)}</main>")
    assert kind(html, "https://news.example/page/2/").kind == "listing"
    assert kind(html, "https://news.example/world/?page=3").kind == "listing"
    assert kind(html, "https://news.example/?s=budget").reason == "search address"
    assert kind(html, "https://news.example/2024/05/").reason == "date archive address"


def test_article_with_json_ld() -> None:
    html = page(f"<h1>Council votes</h1>{PROSE}", jsonld({"@type": "NewsArticle"}))
    found = kind(html, "https://news.example/council-votes")
    assert found == PageKind("article", "json-ld NewsArticle")


def test_article_in_a_graph_with_website_and_breadcrumbs() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [{"@type": "WebSite"}, {"@type": "BreadcrumbList"}, {"@type": "BlogPosting"}],
    }
    found = kind(page(f"<h1>Post</h1>{PROSE}", jsonld(graph)), "https://blog.example/post")
    assert found == PageKind("article", "json-ld BlogPosting")


def test_article_without_structured_data_by_its_prose() -> None:
    html = page(f"<header><nav>{teasers(8)}</nav></header><h1>Council votes</h1>{PROSE}")
    found = kind(html, "https://news.example/council-votes")
    assert found.kind == "article"
    assert found.reason.startswith("prose body")


def test_article_with_related_teasers_stays_an_article() -> None:
    html = page(f"<h1>Council votes</h1><div>{PROSE}</div><section>{teasers(8)}</section>")
    assert kind(html, "https://news.example/council-votes").kind == "article"


def test_og_type_article() -> None:
    html = page(
        "<h1>Short</h1><p>Only a few words here.</p>", '<meta property="og:type" content="article">'
    )
    assert kind(html, "https://news.example/short").reason == "og:type article"


def test_bare_root_with_is_start_is_a_listing() -> None:
    html = page("<p>Welcome.</p>")
    found = kind(html, "https://news.example/", PageHints(is_start=True))
    assert found == PageKind("listing", "site root (start)")
    assert kind(html, "https://news.example/index.html", PageHints(is_start=True)).kind == (
        "listing"
    )


def test_error_status_is_other_whatever_the_page_says() -> None:
    html = page(f"<h1>Council votes</h1>{PROSE}", jsonld({"@type": "NewsArticle"}))
    found = kind(html, "https://news.example/gone", PageHints(status=404))
    assert found == PageKind("other", "http status 404")


def test_non_html_is_other() -> None:
    found = kind(
        page(PROSE), "https://news.example/feed/", PageHints(content_type="application/rss+xml")
    )
    assert found == PageKind("other", "content type application/rss+xml")
    assert (
        kind(
            page(PROSE),
            "https://news.example/a",
            PageHints(content_type="text/html; charset=utf-8"),
        ).kind
        == "article"
    )


def test_product_page_is_other() -> None:
    html = page("<h1>Kettle</h1><p>Boils water fast. 29.90</p>", jsonld({"@type": "Product"}))
    assert kind(html, "https://shop.example/kettle").reason == "json-ld Product"


def test_docs_page_is_other() -> None:
    html = page(f"<h1>API</h1>{PROSE}", jsonld({"@type": "TechArticle"}))
    assert kind(html, "https://docs.example/api").reason == "json-ld TechArticle"


def test_forum_thread_and_faq_are_other() -> None:
    for t in ("DiscussionForumPosting", "QAPage", "FAQPage"):
        html = page(f"<h1>Q</h1>{PROSE}", jsonld({"@type": t}))
        assert kind(html, "https://forum.example/t/1").kind == "other", t


def test_collection_page_is_a_listing() -> None:
    html = page(f"<h1>Energy</h1>{teasers(3)}", jsonld({"@type": "CollectionPage"}))
    assert kind(html, "https://news.example/energy").reason == "json-ld CollectionPage"


def test_legal_page_is_other() -> None:
    html = page("<h1>Privacy</h1><p>We store nothing.</p>")
    assert kind(html, "https://news.example/privacy-policy/").kind == "other"
    assert kind(html, "https://news.example/contact").kind == "other"


def test_page_with_little_text_is_other() -> None:
    assert kind(page("<h1>Hi</h1><p>Nothing here.</p>"), "https://x.example/thing").kind == "other"


def test_dated_slug_with_short_text_is_an_article() -> None:
    html = page("<h1>Brief</h1><p>One line of news.</p>")
    found = kind(html, "https://news.example/2024/05/brief-news/")
    assert found == PageKind("article", "dated address with a slug")
    assert kind(html, "https://news.example/2024/05/brief-news/comment-page-2/").kind == "article"


def test_odd_markup_never_raises() -> None:
    bad = '<script type="application/ld+json">{not json</script><p>x'
    assert kind(bad, "https://x.example/a").kind in ("article", "listing", "other")
    assert kind("", "https://x.example/").kind == "listing"


def test_forum_and_docs_addresses_are_other_despite_an_article_type() -> None:
    html = page(f"<h1>Q</h1>{PROSE}", jsonld({"@type": "Article"}))
    assert kind(html, "https://forum.example.org/t/some-question/123").reason == "forum address"
    assert kind(html, "https://www.example.org/threads/a-question.55/").reason == "forum address"
    assert kind(html, "https://docs.example.org/guide/intro").reason == "documentation address"
    assert kind(html, "https://example.org/docs/intro/").reason == "documentation address"
    # a dated story slug is no manual chapter
    assert kind(html, "https://example.org/docs/2024/05/new-release/").kind == "article"


def test_page_of_controls_without_a_date_is_other() -> None:
    buttons = "".join(f"<button>Option {i}</button>" for i in range(25))
    html = page(f"<h1>Pricing</h1><div>{PROSE}</div>{buttons}")
    assert kind(html, "https://saas.example/pricing-plans").reason.startswith("controls")
    dated = page(
        f"<h1>Story</h1><time datetime='2024-05-01'>May 1</time><div>{PROSE}</div>{buttons}"
    )
    assert kind(dated, "https://news.example/story").kind == "article"


def test_link_list_without_teaser_headings_is_a_listing() -> None:
    links = "".join(f'<li><a href="/item/{i}">A story title number {i}</a></li>' for i in range(30))
    html = page(f"<h1>Newest</h1><ul>{links}</ul>")
    assert kind(html, "https://news.example/newest").reason == "links outweigh text"


def test_malformed_link_addresses_are_skipped() -> None:
    bad = "".join(f'<h2><a href="http://[oops{i}/">Story {i}</a></h2>' for i in range(8))
    assert kind(page(f"<main>{bad}</main>"), "https://x.example/section").kind in (
        "listing",
        "other",
    )


def test_teasers_whose_headings_sit_in_their_own_article_header_are_a_listing() -> None:
    teasers = "".join(
        f'<article><header><h2><a href="/posts/story-{i}/">Story {i} of the week</a></h2>'
        f"</header><section><p>{'A short teaser about the story, its people. ' * 4}</p>"
        f'</section><footer><time datetime="2024-02-0{i}">2024-02-0{i}</time></footer></article>'
        for i in range(1, 7)
    )
    html = f"<html><body><header><h1>The Gazette</h1></header><main><h2>Science</h2>{teasers}</main></body></html>"
    verdict = classify_page(parse_html(html), "https://news.example/rubrik/science/")
    assert verdict.kind == "listing", verdict
