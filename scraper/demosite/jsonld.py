"""The JSON-LD graph of the demo site's pages, as Yoast SEO writes it: the article, its web
page, image and breadcrumb, the website and the publishing organisation."""

from __future__ import annotations

from scraper.demosite import words as w
from scraper.demosite.content import DemoArticle, Site


def article_graph(site: Site, a: DemoArticle, base: str) -> list[dict[str, object]]:
    url = base + a.path
    image = base + a.featured_image
    news: dict[str, object] = {
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "isPartOf": {"@id": url},
        "author": [{"@type": "Person", "name": x.name, "url": base + x.path} for x in a.authors],
        "headline": a.headline,
        "datePublished": a.published_at,
        # Yoast states dateModified always; og:article:modified_time only once modified.
        "dateModified": a.modified_at or a.published_at,
        "mainEntityOfPage": {"@id": url},
        "commentCount": a.comment_count,
        "publisher": {"@id": f"{base}/#organization"},
        "image": {"@id": f"{url}#primaryimage"},
        "thumbnailUrl": image,
        "keywords": list(a.tags),
        "articleSection": [a.section.name],
        "inLanguage": "en",
    }
    return [
        news,
        {
            "@type": "WebPage",
            "@id": url,
            "url": url,
            "name": f"{a.headline} - {site.name}",
            "isPartOf": {"@id": f"{base}/#website"},
            "primaryImageOfPage": {"@id": f"{url}#primaryimage"},
            "datePublished": a.published_at,
            "description": a.description,
            "breadcrumb": {"@id": f"{url}#breadcrumb"},
            "inLanguage": "en",
        },
        {
            "@type": "ImageObject",
            "@id": f"{url}#primaryimage",
            "url": image,
            "contentUrl": image,
            "width": 696,
            "height": 464,
        },
        {
            "@type": "BreadcrumbList",
            "@id": f"{url}#breadcrumb",
            "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home", "item": f"{base}/"},
                {
                    "@type": "ListItem",
                    "position": 2,
                    "name": a.section.name,
                    "item": base + a.section.path,
                },
                {"@type": "ListItem", "position": 3, "name": a.headline},
            ],
        },
        website_node(site, base),
        organization_node(site, base),
    ]


def website_node(site: Site, base: str) -> dict[str, object]:
    return {
        "@type": "WebSite",
        "@id": f"{base}/#website",
        "url": f"{base}/",
        "name": site.name,
        "description": w.SITE_TAGLINE,
        "publisher": {"@id": f"{base}/#organization"},
        "inLanguage": "en",
    }


def organization_node(site: Site, base: str) -> dict[str, object]:
    return {
        "@type": "Organization",
        "@id": f"{base}/#organization",
        "name": site.name,
        "url": f"{base}/",
        "logo": {"@type": "ImageObject", "url": f"{base}/wp-content/uploads/logo.png"},
        "sameAs": ["https://www.facebook.com/demogazette", "https://twitter.com/demogazette"],
    }
