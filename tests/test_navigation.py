"""Previous/next neighbours: the WordPress capture (classic theme links every post, the
block theme none) and small hand-written pages for other markups and languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract.dom import parse_html
from scraper.extract.navigation import Neighbours, find_neighbours

WORDPRESS = Path(__file__).parent / "fixtures" / "wordpress"
TRUTH = json.loads((WORDPRESS / "truth.json").read_text("utf-8"))


def _post_pages(theme: str) -> dict[str, str]:
    lines = (WORDPRESS / theme / "manifest.tsv").read_text("utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    return {r["url"]: r["path"] for r in rows if r["kind"] == "post"}


TT1 = _post_pages("twentytwentyone")
TT2 = _post_pages("twentytwentytwo")
POSTS = TRUTH["posts"]


def _neighbours(theme: str, pages: dict[str, str], url: str) -> Neighbours:
    tree = parse_html((WORDPRESS / theme / pages[url]).read_bytes())
    return find_neighbours(tree, url)


@pytest.mark.parametrize("post", POSTS, ids=lambda p: str(p["id"]))
def test_twentytwentyone_prev_next(post: dict) -> None:
    got = _neighbours("twentytwentyone", TT1, post["url"])
    prev, nxt = post["previous"], post["next"]
    assert got.prev_url == (prev["url"] if prev else None)
    assert got.prev_title == (prev["title"] if prev else None)
    assert got.next_url == (nxt["url"] if nxt else None)
    assert got.next_title == (nxt["title"] if nxt else None)
    assert got.source == "rel"


@pytest.mark.parametrize("post", POSTS, ids=lambda p: str(p["id"]))
def test_twentytwentytwo_has_no_neighbours(post: dict) -> None:
    assert _neighbours("twentytwentytwo", TT2, post["url"]) == Neighbours()


# ---------------------------------------------------------------------------- hand-written

URL = "https://news.example.org/2024/03/this-story/"
OLDER = "https://news.example.org/2024/03/older-story/"
NEWER = "https://news.example.org/2024/03/newer-story/"

SIDEBAR = f"""<aside class="sidebar"><section class="widget widget_popular">
<h2>Popular</h2><ul><li><a href="{OLDER}x">Next story you will love →</a></li></ul></section>
<div class="related-posts"><h3>Related</h3><a href="{NEWER}y">Next article</a>
<a rel="next" href="{NEWER}z">Related next</a></div></aside>"""


def _page(inner: str, head: str = "", url: str = URL) -> Neighbours:
    html = f"""<html><head>{head}</head><body><header class="site-header"><nav class="menu">
    <a href="/">Home</a></nav></header><main><article><h1>This story</h1><p>Body text.</p>
    {inner}</article>{SIDEBAR}</main><footer class="site-footer">
    <a href="{OLDER}f">Previous post</a></footer></body></html>"""
    return find_neighbours(parse_html(html), url)


def test_rel_prev_next_links() -> None:
    got = _page(f'<div class="browse">« <a href="{OLDER}" rel="prev">Older one</a> '
                f'<a href="{NEWER}" rel="next">Newer one</a> »</div>')  # fmt: skip
    assert got == Neighbours(OLDER, "Older one", NEWER, "Newer one", "rel")


def test_head_link_rel_to_page_two_is_not_a_neighbour() -> None:
    head = f'<link rel="next" href="{URL}2/"><link rel="prev" href="{URL}?page=1">'
    assert _page("", head=head) == Neighbours()
    assert _page("", head='<link rel="next" href="/page/2/">') == Neighbours()


def test_head_link_rel_to_another_article() -> None:
    head = f'<link rel="prev" title="Older one" href="{OLDER}">'
    assert _page("", head=head) == Neighbours(OLDER, "Older one", None, None, "rel")


def test_tagdiv_labels() -> None:
    inner = f"""<div class="td-post-next-prev">
    <div class="td-block-span6 td-post-prev-post"><div class="td-post-next-prev-content">
    <span>Previous article</span><a href="{OLDER}">Older one</a></div></div>
    <div class="td-block-span6 td-post-next-post"><div class="td-post-next-prev-content">
    <span>Next article</span><a href="{NEWER}">Newer one</a></div></div></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "cms")


def test_jnews() -> None:
    inner = f"""<div class="jeg_prevnext_post">
    <a href="{OLDER}" class="post prev-post"><span class="caption">Previous Post</span>
    <h3 class="post-title">Older one</h3></a>
    <a href="{NEWER}" class="post next-post"><span class="caption">Next Post</span>
    <h3 class="post-title">Newer one</h3></a></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "cms")


def test_blogger_older_is_previous() -> None:
    inner = f"""<div class="blog-pager" id="blog-pager">
    <span id="blog-pager-newer-link"><a class="blog-pager-newer-link" href="{NEWER}"
      title="Newer Post">Newer Post</a></span>
    <span id="blog-pager-older-link"><a class="blog-pager-older-link" href="{OLDER}"
      title="Older Post">Older Post</a></span>
    <a class="home-link" href="/">Home</a></div>"""
    assert _page(inner) == Neighbours(OLDER, None, NEWER, None, "cms")


def test_block_theme_post_navigation_link() -> None:
    inner = f"""<div class="wp-block-post-navigation-link post-navigation-link-previous">
    <span class="wp-block-post-navigation-link__arrow-previous">←</span>
    <a href="{OLDER}" rel="prev"><span class="post-navigation-link__label">Previous</span>
    <span class="post-navigation-link__title">Older one</span></a></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", None, None, "rel")


def test_label_in_sibling() -> None:
    inner = f"""<div class="after-post"><p><strong>Previous Post:</strong>
    <a href="{OLDER}">Older one</a></p><p><strong>Next Post:</strong>
    <a href="{NEWER}">Newer one</a></p></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "label")


def test_arrows_in_link() -> None:
    inner = f"""<div class="story-links"><a href="{OLDER}">← Previous Story</a>
    <a href="{NEWER}">Next →</a></div>"""
    assert _page(inner) == Neighbours(OLDER, None, NEWER, None, "label")


@pytest.mark.parametrize(
    ("prev_label", "next_label"),
    [
        ("Предыдущая статья", "Следующая статья"),
        ("Предыдущая запись", "Следующая запись"),
        ("Vorheriger Artikel", "Nächster Artikel"),
        ("Älterer Beitrag", "Neuerer Beitrag"),
        ("Article précédent", "Article suivant"),
        ("Artículo anterior", "Artículo siguiente"),
        ("Entrada anterior", "Entrada siguiente"),
        ("이전 글", "다음 글"),
        ("이전글", "다음글"),
        ("이전 기사", "다음 기사"),
    ],
)
def test_labels_in_other_languages(prev_label: str, next_label: str) -> None:
    inner = f"""<div class="story-links"><div><span>{prev_label}</span>
    <a href="{OLDER}">Старше</a></div><div><span>{next_label}</span>
    <a href="{NEWER}">다음 이야기</a></div></div>"""
    assert _page(inner) == Neighbours(OLDER, "Старше", NEWER, "다음 이야기", "label")


def test_sidebar_related_popular_and_footer_links_not_taken() -> None:
    assert _page("<p>No navigation here.</p>") == Neighbours()


def test_rejects_same_page_other_host_comments_anchors_and_listing() -> None:
    inner = f"""<div class="links">
    <a href="{URL}#respond">Next post</a>
    <a href="https://elsewhere.example/story/">Next article</a>
    <a href="{URL}comment-page-2/#comments">Next Post »</a>
    <a href="#top">Previous post</a>
    <a href="https://news.example.org/page/2/">Older posts</a>
    <a class="next page-numbers" href="https://news.example.org/page/3/">Next »</a></div>"""
    assert _page(inner) == Neighbours()


def test_wordpress_classic_nav_strips_meta_labels() -> None:
    inner = f"""<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">
    <div class="nav-previous"><a href="{OLDER}"><p class="meta-nav">Previous post</p>
    <p class="post-title">Older one</p></a></div>
    <div class="nav-next"><a href="{NEWER}"><span class="meta-nav">Next Post</span>
    <span class="nav-title">Newer one</span></a></div></div></nav>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "cms")


# (language, previous label, next label): a direction word alone, or with a noun before or
# after it, as sites print them
LABELS = [
    ("en", "Previous article", "Next article"),
    ("fr", "Précédent", "Suivant »"),
    ("de", "Vorheriger Artikel", "Nächster Artikel"),
    ("nl", "Vorige", "Volgende"),
    ("es", "Anterior", "Siguiente"),
    ("pt", "Artigo anterior", "Próximo artigo"),
    ("it", "Articolo precedente", "Articolo successivo"),
    ("pl", "Poprzedni artykuł", "Następny artykuł"),
    ("ru", "Предыдущая статья", "Следующая статья"),
    ("uk", "Попередня стаття", "Наступна стаття"),
    ("ja", "前の記事", "次の記事"),
    ("zh", "上一篇", "下一篇"),
    ("ko", "이전 글", "다음 글"),
    ("ar", "المقال السابق", "المقال التالي"),
    ("tr", "Önceki yazı", "Sonraki yazı"),
    ("sv", "Föregående inlägg", "Nästa inlägg"),
    ("da", "Forrige indlæg", "Næste indlæg"),
    ("no", "Forrige innlegg", "Neste innlegg"),
    ("fi", "Edellinen artikkeli", "Seuraava artikkeli"),
    ("cs", "Předchozí článek", "Následující článek"),
    ("sk", "Predchádzajúci článok", "Nasledujúci článok"),
    ("hu", "Előző cikk", "Következő cikk"),
    ("el", "Προηγούμενο άρθρο", "Επόμενο άρθρο"),
    ("he", "הכתבה הקודמת", "הכתבה הבאה"),
    ("id", "Artikel sebelumnya", "Artikel berikutnya"),
    ("ro", "Articolul anterior", "Articolul următor"),
    ("vi", "Bài trước", "Bài tiếp theo"),
]


@pytest.mark.parametrize(("lang", "prev_label", "next_label"), LABELS, ids=[x[0] for x in LABELS])
def test_label_beside_the_link(lang: str, prev_label: str, next_label: str) -> None:
    inner = f"""<div class="story-links"><div><span>{prev_label}</span>
    <a href="{OLDER}">Older one</a></div><div><span>{next_label}</span>
    <a href="{NEWER}">Newer one</a></div></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "label")


@pytest.mark.parametrize(("lang", "prev_label", "next_label"), LABELS, ids=[x[0] for x in LABELS])
def test_label_inside_the_link_stays_out_of_the_title(
    lang: str, prev_label: str, next_label: str
) -> None:
    inner = f"""<div class="story-links"><a href="{OLDER}"><span>{prev_label}</span>
    <span>Older one</span></a> <a href="{NEWER}"><span>{next_label}</span>
    <span>Newer one</span></a></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "label")


@pytest.mark.parametrize(("lang", "prev_label", "next_label"), LABELS, ids=[x[0] for x in LABELS])
def test_label_and_title_in_one_text(lang: str, prev_label: str, next_label: str) -> None:
    inner = f"""<p><a href="{OLDER}">« {prev_label.rstrip(" »")}: Older one</a></p>
    <p><a href="{NEWER}">{next_label.rstrip(" »")}: Newer one »</a></p>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "label")


@pytest.mark.parametrize(("lang", "prev_label", "next_label"), LABELS, ids=[x[0] for x in LABELS])
def test_aria_label_marks_the_link(lang: str, prev_label: str, next_label: str) -> None:
    inner = f"""<div class="pager"><a aria-label="{prev_label}" href="{OLDER}">Older one</a>
    <a aria-label="{next_label}" href="{NEWER}">Newer one</a></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "cms")


@pytest.mark.parametrize(
    "text", ["Précédent", "« Précédent", "Suivant »", "←", "Next →", "‹ Vorige", "下一篇 »"]
)
def test_a_link_that_shows_only_a_label_has_no_title(text: str) -> None:
    inner = f'<nav class="post-links"><a rel="next" href="{NEWER}">{text}</a></nav>'
    assert _page(inner) == Neighbours(None, None, NEWER, None, "rel")


def test_class_tokens_mark_the_links_of_any_theme() -> None:
    inner = f"""<div class="pager-x"><div class="box older-entry"><div class="inner">
    <small>Older</small><a href="{OLDER}"><b class="entry-title">Older one</b></a></div></div>
    <div class="box newer-entry"><div class="inner"><small>Newer</small>
    <a href="{NEWER}"><b class="entry-title">Newer one</b></a></div></div></div>"""
    assert _page(inner) == Neighbours(OLDER, "Older one", NEWER, "Newer one", "cms")


def test_words_that_only_look_like_labels_are_not_labels() -> None:
    inner = f"""<p><a href="{OLDER}">Anterioridad de la ley</a> and
    <a href="{NEWER}">Nextdoor opens an office</a>, <a href="{NEWER}x">Previously on Earth</a></p>"""
    assert _page(inner) == Neighbours()


def test_one_address_both_ways_is_no_chain() -> None:
    inner = f"""<div class="stories"><a class="prev-arrow" href="{NEWER}">‹</a>
    <a class="next-arrow" href="{NEWER}">›</a></div>"""
    assert _page(inner) == Neighbours()


def test_one_titled_address_both_ways_is_still_a_chain() -> None:
    inner = f"""<nav><a rel="prev" href="{NEWER}">The council meets</a>
    <a rel="next" href="{NEWER}">The council meets</a></nav>"""
    found = _page(inner)
    assert (found.prev_url, found.next_url) == (NEWER, NEWER)
