"""Comment records found by general evidence where no class names a comment's text: an
attribute naming a record's id (a review widget), a dated and signed record in a comment
region whose text sits in an unclassed block, and what must not be taken for one (an
opinion piece classed "commentary", teaser cards with an author and a date)."""

from __future__ import annotations

from scraper.extract import extract_article

_PRODUCT_TEXT = (
    "Our single-origin beans come from a cooperative of smallholders in the highlands. "
    "They are washed, dried on raised beds and roasted in small batches every week, so "
    "the cup keeps its notes of bergamot, peach and dark honey. Grind just before brewing."
)

_REVIEWS = [
    ("r-1a", "Sam", "Best beans I have tried in years, the peach note is really there."),
    ("r-2b", "Alex", "Arrived fresh and well packed. A bit pricey but worth every cent."),
    ("r-3c", "Kim", "Too light a roast for my espresso machine, fine as filter coffee."),
]


def _product_page(with_product_data: bool = True) -> str:
    reviews = "".join(
        f"<div class='rv' data-review-id='{rid}'><div class='rv__head'>"
        f"<span class='rv__author'>{who}</span>"
        f"<span class='rv__timestamp' data-content='2024-02-0{i + 1} 10:00:00 UTC'></span>"
        f"</div><div class='rv__content'><b class='rv__title'>Title {i}</b>"
        f"<div class='rv__body'><p>{text}</p></div></div></div>"
        for i, (rid, who, text) in enumerate(_REVIEWS)
    )
    product = " itemscope itemtype='https://schema.org/Product'" if with_product_data else ""
    return (
        "<html><head><title>Highland beans</title></head><body>"
        "<nav><a href='/'>Shop</a> <a href='/coffee'>Coffee</a></nav>"
        f"<main><div class='product'{product}><h1 itemprop='name'>Highland beans</h1>"
        f"<div class='product__description'><p>{_PRODUCT_TEXT}</p></div></div>"
        f"<div class='reviews-widget'><div class='rv-list'>{reviews}</div></div></main>"
        "</body></html>"
    )


def test_review_records_named_by_their_id_attribute_are_comments() -> None:
    article = extract_article(_product_page(), "https://shop.example/products/beans")
    assert [c.comment_id for c in article.comments] == ["r-1a", "r-2b", "r-3c"]
    assert [c.author for c in article.comments] == ["Sam", "Alex", "Kim"]
    for comment, (_, _, text) in zip(article.comments, _REVIEWS, strict=True):
        assert text in comment.text
        assert comment.parent_id is None
    assert article.comments_source == "html"


def test_a_product_pages_body_is_its_description_not_its_reviews() -> None:
    article = extract_article(_product_page(), "https://shop.example/products/beans")
    assert _PRODUCT_TEXT in article.body_text
    for _, _, text in _REVIEWS:
        assert text not in article.body_text


def test_one_record_id_attribute_alone_is_no_thread() -> None:
    page = _product_page().replace("data-review-id='r-2b'", "").replace("data-review-id='r-3c'", "")
    assert extract_article(page, "https://shop.example/products/beans").comments == []


def _member(mid: int, who: str, when: str, text: str, replies: str = "") -> str:
    return (
        f"<li class='member' id='msg_{mid}'><a class='author person' href='/u/{mid}'>"
        f"<h4>{who}</h4></a><time datetime='{when}'>{when[:10]}</time>"
        f"<div class='objlink'><p>{text}</p></div>"
        "<ul class='toolbar'><li><a>reply</a></li><li><a>report</a></li></ul>"
        f"{f'<ul class={chr(39)}thread{chr(39)}>{replies}</ul>' if replies else ''}</li>"
    )


def _forum_like_thread_page() -> str:
    thread = _member(
        101,
        "Martha",
        "2020-01-14T13:47:02+01:00",
        "The figures in the third paragraph leave out the export credits entirely.",
        _member(
            102,
            "Jon",
            "2020-01-14T20:29:22+01:00",
            "They are in the linked report, on page four, if you look closely.",
        ),
    ) + _member(
        103,
        "Ute",
        "2020-01-14T13:29:55+01:00",
        "A fair piece, though the headline promises more than the text delivers.",
    )
    article = " ".join(
        f"Paragraph {i} of the opinion piece argues its case at some length." for i in range(12)
    )
    return (
        "<html><head><title>On coal</title></head><body>"
        "<div class='sect sect_article subjective commentary'><h1>On coal</h1>"
        f"<p>{article}</p></div>"
        f"<div class='sect sect_commentlinks'><h2>Reader posts</h2><ul class='sectbody'>{thread}"
        "</ul></div></body></html>"
    )


def test_signed_dated_records_in_a_comment_region_read_their_unclassed_text() -> None:
    article = extract_article(_forum_like_thread_page(), "https://news.example/on-coal")
    got = [(c.comment_id, c.parent_id, c.author, c.depth) for c in article.comments]
    assert got == [
        ("msg_101", None, "Martha", 1),
        ("msg_102", "msg_101", "Jon", 2),
        ("msg_103", None, "Ute", 1),
    ]
    first = article.comments[0]
    assert first.text == "The figures in the third paragraph leave out the export credits entirely."
    assert first.published_at is not None and first.published_at.startswith("2020-01-14T13:47")
    assert "reply" not in article.comments[1].text


def test_an_opinion_piece_classed_commentary_is_no_comment() -> None:
    article = extract_article(_forum_like_thread_page(), "https://news.example/on-coal")
    assert all("Paragraph 3 of the opinion piece" not in c.text for c in article.comments)
    assert "Paragraph 3 of the opinion piece" in article.body_text


def test_teaser_cards_with_author_and_date_are_no_comments() -> None:
    cards = "".join(
        f"<article id='post-{n}' class='post-box'><a href='/blog/story-{n}/'>Story {n}</a>"
        f"<p class='except'>A teaser of story {n}, which is about something else.</p>"
        f"<div class='author'><span class='author__name'>Writer {n}</span></div>"
        f"<span class='date'>July {n}, 2025</span></article>"
        for n in range(1, 6)
    )
    body = " ".join(f"Sentence {i} of the article body." for i in range(40))
    page = (
        "<html><head><title>Guide</title></head><body><article><h1>Guide</h1>"
        f"<p>{body}</p></article><section class='related'>{cards}</section></body></html>"
    )
    assert extract_article(page, "https://blog.example/guide/").comments == []
