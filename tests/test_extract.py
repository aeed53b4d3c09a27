"""``extract_article`` on small hand-written pages: sources, structured data, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract import extract_article
from scraper.extract.decode import decode_html
from scraper.extract.metadata_authors import split_authors

URL = "https://news.example.org/2024/05/a-story/"


def test_jsonld_graph_wins_over_the_seo_title() -> None:
    graph = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "@id": "#site", "name": "Example News"},
            {
                "@type": "NewsArticle",
                "headline": "Council approves the new bridge",
                "datePublished": "2024-05-02T09:30:00+02:00",
                "dateModified": "2024-05-03T10:00:00+02:00",
                "author": [{"@id": "#p1"}, {"@type": "Person", "name": "Ben Ortiz"}],
                "articleSection": "Local",
                "keywords": "bridge, council",
                "inLanguage": "en-GB",
            },
            {"@type": "Person", "@id": "#p1", "name": "Ana Lima"},
        ],
    }
    html = f"""<html><head><title>Bridge vote | Example News</title>
    <script type="application/ld+json">{json.dumps(graph)}</script></head>
    <body><article><h1>Council approves the new bridge</h1>
    <p>The council voted on Tuesday to approve the bridge, after a debate of six hours.</p>
    <p>Construction is due to begin next spring, the mayor said in a statement.</p>
    </article></body></html>"""
    a = extract_article(html, URL)
    assert a.headline == "Council approves the new bridge"
    assert a.authors == ["Ana Lima", "Ben Ortiz"]
    assert (a.published_at, a.modified_at) == (
        "2024-05-02T09:30:00+02:00",
        "2024-05-03T10:00:00+02:00",
    )
    assert (a.section, a.tags, a.language) == ("Local", ["bridge", "council"], "en-GB")
    assert a.sources["authors"] == "jsonld" and a.sources["published_at"] == "jsonld"
    assert a.body_text is not None and a.body_text.count("\n\n") == 1


def test_opengraph_and_meta_when_there_is_no_jsonld() -> None:
    html = """<html lang="de"><head>
    <meta property="og:title" content="Neue Brücke genehmigt">
    <meta property="article:published_time" content="2024-05-02T09:30:00Z">
    <meta property="article:section" content="Lokales">
    <meta property="article:tag" content="Brücke"><meta property="article:tag" content="Rat">
    <meta name="author" content="Jana Weiß und Uwe Kraus">
    <link rel="canonical" href="/2024/05/a-story/?utm_source=feed"></head>
    <body><div class="content"><p>Der Rat hat am Dienstag nach sechs Stunden Debatte zugestimmt.</p>
    <p>Der Bau soll im nächsten Frühjahr beginnen, sagte die Bürgermeisterin.</p></div></body></html>"""
    a = extract_article(html, URL + "?utm_medium=x")
    assert a.headline == "Neue Brücke genehmigt" and a.sources["headline"] == "opengraph"
    assert a.published_at == "2024-05-02T09:30:00+00:00"
    assert (a.section, a.tags, a.language) == ("Lokales", ["Brücke", "Rat"], "de")
    assert a.authors == ["Jana Weiß", "Uwe Kraus"]
    assert a.canonical_url == URL


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ("By Ana Lima and Ben Ortiz", ["Ana Lima", "Ben Ortiz"]),
        ("By Ana Lima, Ben Ortiz & Cy Park", ["Ana Lima", "Ben Ortiz", "Cy Park"]),
        ("von Jana Weiß", ["Jana Weiß"]),
        ("By Ana Lima | May 2, 2024", ["Ana Lima"]),
        ("View all posts by Ana", []),
        ("Geschrieben vonElisa Marvena", ["Elisa Marvena"]),
        ("Erstellt von Andri Bryner", ["Andri Bryner"]),
        ("Redaktion 23. Juli 2022", ["Redaktion"]),
        ("AFP/The Local - news@example.invalid Published", ["AFP/The Local"]),
    ],
)
def test_bylines_split_into_names(byline: str, names: list[str]) -> None:
    assert split_authors(byline) == names


_PROSE = "<p>" + "The council approved the new bridge after a long debate. " * 8 + "</p>"


@pytest.mark.parametrize(
    ("byline", "names"),
    [
        ('<div class="authorbox"><strong>von</strong> <span>Dennis Kochinky</span></div>',
         ["Dennis Kochinky"]),
        ('<section><div>Text: <span class="c-article-card__author">Ursula Eggers</span></div>'
         "</section>", ["Ursula Eggers"]),
        ('<ul class="author clipboard"><li>Stefan Loibl</li></ul>', ["Stefan Loibl"]),
        # what only looks like a byline is not one
        ('<div class="author-bio"><p>Ann writes about cities and more.</p></div>', []),
        ('<aside><span class="author">Sidebar Person</span></aside>', []),
        ('<div class="comments"><span class="comment-author">Rea Der</span></div>', []),
    ],
)  # fmt: skip
def test_a_class_token_of_any_theme_marks_the_byline(byline: str, names: list[str]) -> None:
    html = f"<html><body><article><h1>Bridge approved</h1>{byline}{_PROSE}</article></body></html>"
    assert extract_article(html, URL).authors == names


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        "<html><body><p>unclosed <b>bold <i>italic",
        "<<<>>>&&&;;;",
        "<?xml version='1.0' encoding='utf-8'?><html><body><h1>X</h1></body></html>",
        '<html><head><script type="application/ld+json">{not json</script></head></html>',
        '<html><head><script type="application/ld+json">[1, "a", null]</script></head></html>',
    ],
)
def test_bad_input_never_raises_and_invents_nothing(html: str | bytes) -> None:
    a = extract_article(html, URL)
    assert a.url == URL and a.canonical_url == URL
    assert a.authors == [] and a.published_at is None and a.comments == []


def test_truncated_real_page_keeps_what_it_has() -> None:
    page = (
        Path(__file__).parent
        / "fixtures/wordpress/twentytwentyone/site/2024/05"
        / "russia-north-korea-talks-ahead-of-putin-visit/index.html"
    )
    data = page.read_bytes()
    full = extract_article(data, URL)
    # Cut in the middle of the article's text: what came before is still extracted.
    half = extract_article(data[: data.index(b"entry-content") + 2000], URL)
    assert half.headline == full.headline and half.published_at is None
    assert half.body_text and full.body_text
    assert full.body_text.startswith(half.body_text.rsplit("\n\n", 1)[0])


def test_missing_or_wrong_charset() -> None:
    latin = "<html><body><h1>Café crème à Besançon</h1><p>Un texte assez long pour être un article, vraiment.</p></body></html>"
    assert extract_article(latin.encode("cp1252"), URL).headline == "Café crème à Besançon"
    utf8 = latin.encode("utf-8")
    assert extract_article(utf8, URL).headline == "Café crème à Besançon"
    # A server that labels a UTF-8 page ISO-8859-1 is caught when the page says UTF-8;
    # real Latin-1 bytes under that label are Latin-1, and under a UTF-8 label too.
    meta = latin.replace("<html>", '<html><meta charset="utf-8">')
    assert (
        extract_article(meta.encode(), URL, encoding="ISO-8859-1").headline
        == "Café crème à Besançon"
    )
    assert decode_html(meta.encode(), "ISO-8859-1") == (meta, "utf-8")
    assert decode_html(latin.encode("cp1252"), "iso-8859-1") == (latin, "cp1252")
    assert decode_html(latin.encode("cp1252"), "utf-8") == (latin, "cp1252")
    assert decode_html(utf8, "utf-8") == (latin, "utf-8")


def test_source_line_breaks_are_spaces_and_br_breaks_a_line() -> None:
    html = """<html><body><h1>Bridge</h1><div class="entry-content">
    <p>The council voted on Tuesday
    to approve the bridge,<br>after a debate of six hours.</p>
    <pre>line one
line two</pre></div></body></html>"""
    a = extract_article(html, URL)
    assert a.body_text == (
        "The council voted on Tuesday to approve the bridge,\nafter a debate of six hours."
        "\n\nline one\nline two"
    )


def test_malformed_attribute_names_do_not_stop_extraction() -> None:
    """Template leftovers (``<div {{ x }}>``) and control characters in attribute names:
    the body is still extracted and its HTML keeps only the allowed attributes."""
    para = "A paragraph of the article body that is long enough to count as text. " * 4
    html = (
        "<html><body><article><h1>Title</h1><div {{ x }} class=a><p>" + para + "</p>"
        "<p on\x01click=1>" + para + "</p></div></article></body></html>"
    )
    article = extract_article(html, "https://example.invalid/a/")
    assert article.body_text and article.body_text.count("long enough") == 8
    assert "{{" not in (article.body_html or "")
    assert "\x01" not in (article.body_html or "")


_PROSE = (
    "The council met on Tuesday evening and voted, after a long debate, to keep the "
    "library open on Sundays through the winter, funded by a small levy on parking."
)


def test_body_only_in_noscript_is_read_there() -> None:
    html = (
        "<html><body><div id='app'></div><noscript><div class='wrap'>"
        f"<div class='post'><p>{_PROSE}</p><p>{_PROSE.upper()}</p></div>"
        "</div></noscript></body></html>"
    )
    art = extract_article(html, "https://forum.example/t/1")
    assert art.body_text == f"{_PROSE}\n\n{_PROSE.upper()}"


def test_jsonld_article_body_when_the_markup_holds_none() -> None:
    node = {"@type": "NewsArticle", "headline": "Library", "articleBody": f"{_PROSE}\n{_PROSE}"}
    html = (
        "<html><head><script type='application/ld+json'>"
        f"{json.dumps(node)}</script></head><body><div id='root'>Loading</div></body></html>"
    )
    art = extract_article(html, "https://news.example/library")
    assert art.body_text == f"{_PROSE}\n\n{_PROSE}"
    assert art.sources["body_text"] == "jsonld"


def test_jsonld_article_body_does_not_replace_a_full_body() -> None:
    node = {"@type": "NewsArticle", "headline": "Library", "articleBody": _PROSE}
    html = (
        "<html><head><script type='application/ld+json'>"
        f"{json.dumps(node)}</script></head><body><article>"
        f"<p>{_PROSE}</p><p>{_PROSE.lower()}</p></article></body></html>"
    )
    art = extract_article(html, "https://news.example/library")
    assert art.body_text == f"{_PROSE}\n\n{_PROSE.lower()}"


def test_a_class_token_ending_in_hidden_is_no_hidden_region() -> None:
    html = (
        "<html><body><main><div class='field field--label-hidden'>"
        f"<p>{_PROSE}</p><p>{_PROSE.lower()}</p></div>"
        f"<div class='hidden'><p>{_PROSE.upper()}</p></div></main></body></html>"
    )
    art = extract_article(html, "https://news.example/library")
    assert art.body_text == f"{_PROSE}\n\n{_PROSE.lower()}"


def test_link_blocks_inside_the_body_are_dropped() -> None:
    prose = "".join(
        f"<p>The council met on day {i} and the debate on the bridge went on for hours.</p>"
        for i in range(12)
    )
    related = (
        '<div class="more"><a href="/a/">Another story about trams</a> '
        '<a href="/b/">Yet another story about buses</a></div>'
    )
    html = f"<html><body><article><h1>Bridge</h1>{prose}{related}</article></body></html>"
    body = extract_article(html, URL).body_text or ""
    assert "debate on the bridge" in body and "story about trams" not in body
