"""The demo site's other pages: listings, robots.txt, sitemap, RSS feed and small pages."""

from __future__ import annotations

import html
from email.utils import format_datetime

from scraper.demosite import words as w
from scraper.demosite.chrome import attr, head, human_date, page, text
from scraper.demosite.content import DemoArticle, Site, local_time
from scraper.demosite.jsonld import organization_node, website_node

PER_PAGE = 10  # articles per listing page
FEED_ITEMS = 20


def module_list(base: str, a: DemoArticle) -> str:
    """tagDiv's list module (td_module_10): thumbnail, title, meta, excerpt."""
    url = base + a.path
    author = a.authors[0]
    return f"""<div class="td_module_10 td_module_wrap td-animation-stack">
<div class="td-module-thumb"><a href="{url}" rel="bookmark" class="td-image-wrap" title="{attr(a.headline)}"><img width="218" height="150" class="entry-thumb" src="{base}{a.featured_image}" alt="" title="{attr(a.headline)}"/></a></div>
<div class="item-details">
<h3 class="entry-title td-module-title"><a href="{url}" rel="bookmark" title="{attr(a.headline)}">{text(a.headline)}</a></h3>
<div class="td-module-meta-info"><a href="{base}{a.section.path}" class="td-post-category">{text(a.section.name)}</a> <span class="td-post-author-name"><a href="{base}{author.path}">{text(author.name)}</a> <span>-</span> </span> <span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{a.published_at}">{human_date(a.published_ts)}</time></span> <span class="td-module-comments"><a href="{url}#comments">{a.comment_count}</a></span></div>
<div class="td-excerpt">{text(a.description)}</div>
</div></div>"""


def page_path(prefix: str, n: int) -> str:
    return prefix if n <= 1 else f"{prefix}page/{n}/"


def page_nav(base: str, prefix: str, current: int, last: int) -> str:
    if last <= 1:
        return ""
    shown = sorted({1, last, *range(max(1, current - 2), min(last, current + 2) + 1)})
    parts: list[str] = []
    if current > 1:
        parts.append(
            f'<a href="{base}{page_path(prefix, current - 1)}"><i class="td-icon-menu-left"></i></a>'
        )
    previous = 0
    for n in shown:
        if n - previous > 1:
            parts.append('<span class="extend">...</span>')
        if n == current:
            parts.append(f'<span class="current">{n}</span>')
        else:
            cls = "last" if n == last else "page"
            parts.append(
                f'<a href="{base}{page_path(prefix, n)}" class="{cls}" title="{n}">{n}</a>'
            )
        previous = n
    if current < last:
        parts.append(
            f'<a href="{base}{page_path(prefix, current + 1)}"><i class="td-icon-menu-right"></i></a>'
        )
    parts.append(f'<span class="pages">Page {current} of {last}</span>')
    return f'<div class="page-nav td-pb-padding-side">{"".join(parts)}<div class="clearfix"></div></div>'


def render_listing(
    site: Site,
    base: str,
    *,
    articles: list[DemoArticle],
    prefix: str,
    page_no: int,
    title: str,
    body_class: str,
) -> str | None:
    """One page of a newest-first listing; ``None`` past the last page (a 404)."""
    last = max(1, -(-len(articles) // PER_PAGE))
    if page_no < 1 or page_no > last:
        return None
    chunk = articles[(page_no - 1) * PER_PAGE : page_no * PER_PAGE]
    suffix = f" - Page {page_no} of {last}" if page_no > 1 else ""
    full_title = f"{title}{suffix} - {site.name}"
    url = base + page_path(prefix, page_no)
    rel = ""
    if page_no > 1:
        rel += f'<link rel="prev" href="{base}{page_path(prefix, page_no - 1)}" />\n'
    if page_no < last:
        rel += f'<link rel="next" href="{base}{page_path(prefix, page_no + 1)}" />\n'
    graph = [
        {"@type": "CollectionPage", "@id": url, "url": url, "name": full_title,
         "isPartOf": {"@id": f"{base}/#website"}, "inLanguage": "en"},
        website_node(site, base),
        organization_node(site, base),
    ]  # fmt: skip
    head_html = head(
        site,
        base,
        title=full_title,
        description=w.SITE_TAGLINE,
        canonical=url,
        og=[("og:locale", "en_US"), ("og:type", "website"), ("og:title", full_title),
            ("og:url", url), ("og:site_name", site.name)],
        graph=graph,
        extra=rel,
    )  # fmt: skip
    heading = "" if prefix == "/" else f'<h1 class="entry-title td-page-title">{text(title)}</h1>'
    modules = "\n".join(module_list(base, a) for a in chunk)
    main = (
        f'<div class="td-category-header td-container-wrap">{heading}</div>\n'
        f'<div class="td-block-row">{modules}</div>\n{page_nav(base, prefix, page_no, last)}'
    )
    return page(site, base, head_html=head_html, body_class=body_class, main=main)


def render_simple(site: Site, base: str, path: str, title: str, body: str) -> str:
    url = base + path
    head_html = head(
        site,
        base,
        title=f"{title} - {site.name}",
        description=w.SITE_TAGLINE,
        canonical=url,
        og=[("og:locale", "en_US"), ("og:type", "website"), ("og:title", title), ("og:url", url)],
        graph=[website_node(site, base), organization_node(site, base)],
    )
    main = (
        f'<div class="td-page-header"><h1 class="entry-title td-page-title"><span>{text(title)}</span>'
        f'</h1></div><div class="td-page-content tagdiv-type">{body}</div>'
    )
    return page(site, base, head_html=head_html, body_class="page-template-default page", main=main)


STATIC_PAGES: dict[str, tuple[str, str]] = {
    "/about/": (
        "About us",
        "<p>The Demo Gazette is a fictional newspaper. Every story is generated.</p>",
    ),
    "/contact/": ("Contact", "<p>Write to the desk at desk@demo-gazette.invalid.</p>"),
    "/privacy-policy/": ("Privacy policy", "<p>This demo site stores nothing about you.</p>"),
}


def render_private(site: Site, base: str) -> str:
    """The draft robots.txt disallows: served when asked, never linked from a listing."""
    body = (
        "<p><strong>DRAFT — not for publication.</strong> This page is disallowed by robots.txt; "
        "a polite crawler never requests it.</p>"
    )
    html_text = render_simple(site, base, "/private/secret-draft/", "Secret draft", body)
    return html_text.replace(
        '<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1" />',
        '<meta name="robots" content="noindex, nofollow" />',
    )


def render_not_found(site: Site, base: str) -> str:
    body = "<p>Ooops... Error 404. Sorry, but the page you are looking for doesn't exist.</p>"
    return render_simple(site, base, "/404/", "Page not found", body)


def render_robots(base: str) -> str:
    return (
        "User-agent: *\n"
        "Disallow: /private/\n"
        "Disallow: /wp-admin/\n"
        "Allow: /wp-admin/admin-ajax.php\n"
        "\n"
        f"Sitemap: {base}/sitemap.xml\n"
    )


def render_sitemap(site: Site, base: str) -> str:
    rows = "\n".join(
        f"<url><loc>{html.escape(base + a.path)}</loc><lastmod>{a.modified_at or a.published_at}</lastmod></url>"
        for a in reversed(site.articles)
        if a.path not in site.gone
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"<url><loc>{html.escape(base)}/</loc><lastmod>{site.articles[-1].published_at}</lastmod></url>\n"
        f"{rows}\n</urlset>\n"
    )


def _rfc822(ts: int) -> str:
    return format_datetime(local_time(ts))


def render_feed(site: Site, base: str) -> str:
    newest = list(reversed(site.articles[-FEED_ITEMS:]))
    items = "\n".join(
        f"""\t<item>
\t\t<title>{html.escape(a.headline)}</title>
\t\t<link>{html.escape(base + a.path)}</link>
\t\t<comments>{html.escape(base + a.path)}#respond</comments>
\t\t<dc:creator>{html.escape(", ".join(x.name for x in a.authors))}</dc:creator>
\t\t<pubDate>{_rfc822(a.published_ts)}</pubDate>
\t\t<category>{html.escape(a.section.name)}</category>
{"".join(f"		<category>{html.escape(t)}</category>{chr(10)}" for t in a.tags)}\t\t<guid isPermaLink="false">{html.escape(base)}/?p={a.post_id}</guid>
\t\t<description>{html.escape(a.description)}</description>
\t\t<slash:comments>{a.comment_count}</slash:comments>
\t</item>"""
        for a in newest
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:content="http://purl.org/rss/1.0/modules/content/"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom"
\txmlns:sy="http://purl.org/rss/1.0/modules/syndication/"
\txmlns:slash="http://purl.org/rss/1.0/modules/slash/">
<channel>
\t<title>{html.escape(site.name)}</title>
\t<atom:link href="{html.escape(base)}/feed/" rel="self" type="application/rss+xml" />
\t<link>{html.escape(base)}/</link>
\t<description>{html.escape(w.SITE_TAGLINE)}</description>
\t<lastBuildDate>{_rfc822(site.articles[-1].last_modified_ts)}</lastBuildDate>
\t<language>en-US</language>
\t<sy:updatePeriod>hourly</sy:updatePeriod>
\t<sy:updateFrequency>1</sy:updateFrequency>
\t<generator>https://wordpress.org/?v=6.4.2</generator>
{items}
</channel>
</rss>
"""


def render_comments_feed(site: Site, base: str) -> str:
    """WordPress's ``/comments/feed/``: the newest comments of the whole site, each linking
    to its article."""
    stubs = sorted(
        (
            (s.ts, s.id, a)
            for a in site.articles
            if a.path not in site.gone
            for s in a.comment_stubs
        ),
        key=lambda t: (t[0], t[1]),
        reverse=True,
    )[:FEED_ITEMS]
    items = []
    for ts, comment_id, a in stubs:
        comment = next(c for c in a.comments if c.id == comment_id)
        link = f"{base}{a.comment_page_path(comment.page)}#comment-{comment_id}"
        items.append(
            f"""\t<item>
\t\t<title>Comment on {html.escape(a.headline)} by {html.escape(comment.author)}</title>
\t\t<link>{html.escape(link)}</link>
\t\t<dc:creator>{html.escape(comment.author)}</dc:creator>
\t\t<pubDate>{_rfc822(ts)}</pubDate>
\t\t<guid isPermaLink="false">{html.escape(base)}/?p={a.post_id}#comment-{comment_id}</guid>
\t\t<description>{html.escape(comment.text)}</description>
\t</item>"""
        )
    body = "\n".join(items)
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
\txmlns:dc="http://purl.org/dc/elements/1.1/"
\txmlns:atom="http://www.w3.org/2005/Atom">
<channel>
\t<title>Comments for {html.escape(site.name)}</title>
\t<atom:link href="{html.escape(base)}/comments/feed/" rel="self" type="application/rss+xml" />
\t<link>{html.escape(base)}/</link>
\t<description>{html.escape(w.SITE_TAGLINE)}</description>
{body}
</channel>
</rss>
"""
