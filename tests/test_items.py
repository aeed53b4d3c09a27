"""``article_to_dict`` is ``dataclasses.asdict`` for our items, written out for speed."""

from __future__ import annotations

import dataclasses

from scraper.demosite import build_site, site_truth
from scraper.items import Article, article_from_dict, article_to_dict


def _demo_articles() -> list[Article]:
    site = build_site(12)
    return [article_from_dict(a) for a in site_truth(site, "http://demo.test")["articles"]]


def test_same_as_asdict(sample_articles: list[Article]) -> None:
    articles = [*sample_articles, *_demo_articles(), Article(url="u", canonical_url="u")]
    assert any(a.comments for a in articles) and any(a.images for a in articles)
    for article in articles:
        data = article_to_dict(article)
        assert data == dataclasses.asdict(article)
        assert list(data) == [f.name for f in dataclasses.fields(Article)]


def test_nothing_shared_with_the_article(sample_articles: list[Article]) -> None:
    article = sample_articles[0]
    data = article_to_dict(article)
    for name, value in data.items():
        if isinstance(value, list | dict):
            assert value is not getattr(article, name), name
    data["authors"].append("someone else")
    data["sources"]["headline"] = "changed"
    assert "someone else" not in article.authors
    assert article.sources.get("headline") != "changed"
    assert article_from_dict(article_to_dict(article)) == article
