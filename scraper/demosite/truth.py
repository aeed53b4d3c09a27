"""What a correct extractor must yield for every demo article, in the items' field names.

:func:`site_truth` is JSON-ready. Each article's keys are :class:`scraper.items.Article`
fields and each comment's keys :class:`scraper.items.Comment` fields, plus two helpers
that are not item fields: ``body_blocks`` (the blocks ``body_text`` joins) and
``comment_pages`` (which comment ids each comment page shows).

Text is what a reader sees: whitespace (no-break spaces included) collapsed to single
spaces, entities decoded. The body holds paragraphs, subheadings, the quote and each list
item as its own block; never the featured image, captions, the ad slot, the "Read also:"
box or the share buttons.
"""

from __future__ import annotations

from typing import Any

from scraper.demosite.blocks import BulletList, Figure, Heading, Paragraph, Quote, inline_text
from scraper.demosite.content import DemoArticle, Site


def collapse(text: str) -> str:
    return " ".join(text.split())


def body_blocks(article: DemoArticle) -> list[str]:
    out: list[str] = []
    for b in article.body:
        if isinstance(b, Paragraph):
            out.append(collapse(inline_text(b.parts)))
        elif isinstance(b, Heading | Quote):
            out.append(collapse(b.text))
        elif isinstance(b, BulletList):
            out.extend(collapse(i) for i in b.items)
    return out


def article_truth(site: Site, a: DemoArticle, base_url: str = "") -> dict[str, Any]:
    url = base_url + a.path
    prev, nxt = site.previous(a), site.next(a)
    blocks = body_blocks(a)
    images: list[dict[str, str | None]] = [{"url": base_url + a.featured_image, "caption": None}]
    images += [
        {"url": base_url + b.src, "caption": collapse(b.caption)}
        for b in a.body
        if isinstance(b, Figure)
    ]
    return {
        "url": url,
        "canonical_url": url,
        "headline": collapse(a.headline),
        "description": collapse(a.description),
        "authors": [collapse(x.name) for x in a.authors],
        "published_at": a.published_at,
        # JSON-LD states dateModified on every article: the published date until modified.
        "modified_at": a.modified_at or a.published_at,
        "section": a.section.name,
        "categories": [a.section.name],
        "tags": list(a.tags),
        "language": "en",
        "body_text": "\n\n".join(blocks),
        "body_blocks": blocks,
        "images": images,
        "prev_url": base_url + prev.path if prev else None,
        "prev_title": collapse(prev.headline) if prev else None,
        "next_url": base_url + nxt.path if nxt else None,
        "next_title": collapse(nxt.headline) if nxt else None,
        "comment_count": a.comment_count,
        "comments_source": "html",
        # As linked from the article URL (comment page 1): only the next page, "Newer
        # Comments"; ``comment_pages`` lists them all.
        "comment_page_urls": [base_url + a.comment_page_path(2)] if a.comment_pages > 1 else [],
        "comments": [
            {
                "comment_id": str(c.id),
                "parent_id": None if c.parent_id is None else str(c.parent_id),
                "author": collapse(c.author),
                "author_url": c.author_url,
                "published_at": c.published_at,
                "text": collapse(c.text),
                "depth": c.depth,
            }
            for c in a.comments
        ],
        "comment_pages": [
            {
                "url": base_url + a.comment_page_path(p),
                "comment_ids": [str(c.id) for c in a.comments if c.page == p],
            }
            for p in range(1, a.comment_pages + 1)
        ],
    }


def site_truth(site: Site, base_url: str = "") -> dict[str, Any]:
    """Every article oldest → newest; URLs are paths unless ``base_url`` is given."""
    sp = site.specials
    return {
        "site": site.name,
        "seed": site.seed,
        "base_url": base_url,
        "start_url": base_url + site.articles[-1].path,
        "special": {
            "zero_comments": base_url + site.articles[sp.zero_comments].path,
            "paginated_comments": base_url + site.articles[sp.paginated_comments].path,
            "private_link": base_url + site.articles[sp.private_link].path,
        },
        "disallowed": [base_url + "/private/secret-draft/"],
        "articles": [article_truth(site, a, base_url) for a in site.articles],
    }
