"""HTML of the demo site's article pages, in the markup of a commercial news theme.

The markup follows tagDiv's *Newspaper* WordPress theme (not WordPress's default themes):
``div.td-post-header``, ``div.td-post-content``, ``ul.td-tags``, the label-only
``div.td-post-next-prev`` block (no ``rel`` attributes) and the theme's comment list.
Every page is rendered on request from the content model; ``base`` is the server's
origin (``http://127.0.0.1:PORT``) so links, canonical URLs and JSON-LD are absolute.

Shared page chrome (head, header, sidebar, footer) is in :mod:`scraper.demosite.chrome`,
the JSON-LD graph in :mod:`scraper.demosite.jsonld`; listings, feeds and the small pages
are in :mod:`scraper.demosite.pages`.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from scraper.demosite.blocks import (
    Block,
    BulletList,
    Figure,
    Heading,
    Inline,
    Link,
    Paragraph,
    Quote,
    Span,
)
from scraper.demosite.chrome import (
    attr,
    head,
    human_date,
    human_datetime,
    not_neighbour,
    page,
    text,
)
from scraper.demosite.content import DemoArticle, DemoComment, Site, slugify
from scraper.demosite.jsonld import article_graph


def inline_html(parts: tuple[Inline, ...], base: str) -> str:
    out = []
    for p in parts:
        if isinstance(p, Link):
            href = base + p.href if p.href.startswith("/") else p.href
            out.append(f'<a href="{attr(href)}">{text(p.text)}</a>')
        elif isinstance(p, Span):
            out.append(f"<{p.tag}>{text(p.text)}</{p.tag}>")
        else:
            out.append(text(p))
    return "".join(out)


def block_html(b: Block, base: str, post_id: int, n: int) -> str:
    if isinstance(b, Paragraph):
        return f"<p>{inline_html(b.parts, base)}</p>"
    if isinstance(b, Heading):
        return f"<h2>{text(b.text)}</h2>"
    if isinstance(b, Quote):
        lang = f' lang="{b.lang}"' if b.lang else ""
        return f"<blockquote{lang}>\n  <p>{text(b.text)}</p>\n</blockquote>"
    if isinstance(b, BulletList):
        return "<ul>\n" + "\n".join(f"  <li>{text(i)}</li>" for i in b.items) + "\n</ul>"
    assert isinstance(b, Figure)
    att = post_id * 10 + n
    src = base + b.src
    return (
        f'<figure id="attachment_{att}" aria-describedby="caption-attachment-{att}" '
        f'class="wp-caption aligncenter" style="width: {b.width}px">'
        f'<img decoding="async" class="size-full wp-image-{att}" src="{src}" alt="{attr(b.alt)}" '
        f'width="{b.width}" height="{b.height}" srcset="{src} {b.width}w, {src}?w=300 300w" '
        f'sizes="(max-width: {b.width}px) 100vw, {b.width}px" />'
        f'<figcaption id="caption-attachment-{att}" class="wp-caption-text">{text(b.caption)}</figcaption></figure>'
    )


def sharing(url: str, headline: str, where: str) -> str:
    u, t = quote(url, safe=""), quote(headline, safe="")
    buttons = (
        ("facebook", "Facebook", f"https://www.facebook.com/sharer.php?u={u}"),
        (
            "twitter",
            "Twitter",
            f"https://twitter.com/intent/tweet?text={t}&url={u}&via=demogazette",
        ),
        ("pinterest", "Pinterest", f"https://pinterest.com/pin/create/button/?url={u}"),
        ("whatsapp", "WhatsApp", f"https://api.whatsapp.com/send?text={t}%20%0A%0A%20{u}"),
        ("mail", "Email", f"mailto:?subject={t}&body={u}"),
    )
    links = "".join(
        f'<a class="td-social-sharing-button td-social-sharing-button-js td-social-network td-social-{k}" '
        f'href="{attr(h)}" title="{n}"><div class="td-social-but-icon"><i class="td-icon-{k}"></i></div>'
        f'<div class="td-social-but-text">{n}</div></a>'
        for k, n, h in buttons
    )
    return (
        f'<div class="td-post-sharing td-ps-bg td-ps-notext td-post-sharing-style1 td-post-sharing-{where}">'
        f'<div class="td-post-sharing-visible"><a class="td-social-sharing-button td-social-sharing-button-js '
        f'td-social-handler td-social-share-text" href="#"><div class="td-social-but-icon"><i class="td-icon-share">'
        f'</i></div><div class="td-social-but-text">Share</div></a>{links}</div></div>'
    )


def content_html(site: Site, a: DemoArticle, base: str, url: str) -> str:
    """``div.td-post-content``: featured image, blocks, and the theme's noise in between."""
    blocks = a.body
    read_also = (site.related(a, 1) or not_neighbour(a, site.articles[:4]) or [None])[0]
    out = [
        '<div class="td-post-content tagdiv-type">',
        sharing(url, a.headline, "top"),
        f'<div class="td-post-featured-image"><a href="{base}{a.featured_image}" data-caption="">'
        f'<img width="696" height="464" class="entry-thumb td-modal-image" src="{base}{a.featured_image}" '
        f'alt="" title="{attr(a.headline)}"/></a></div>',
    ]
    for n, b in enumerate(blocks):
        out.append(block_html(b, base, a.post_id, n))
        if n == 1:
            out.append(
                '<div class="td-a-rec td-a-rec-id-content_inline tdi_2 td_block_template_1">\n'
                '<span class="td-adspot-title">- Advertisement -</span>\n'
                '<div class="td-all-devices"><a href="https://ads.example.com/click?slot=inline">'
                '<img src="https://ads.example.com/banner-300x250.png" alt="" width="300" height="250"/></a></div>\n'
                "<script>window.tdAdsQueue = (window.tdAdsQueue || []).concat(['content_inline']);</script>\n"
                "</div>"
            )
        if isinstance(b, Quote) and read_also is not None:
            out.append(
                '<div class="td-related-box td_block_inline_text"><span class="td-related-title">Read also:</span> '
                f'<a href="{base}{read_also.path}">{text(read_also.headline)}</a></div>'
            )
    out.append("</div>")
    return "\n".join(out)


def byline(a: DemoArticle, base: str) -> str:
    links = [f'<a href="{base}{x.path}">{text(x.name)}</a>' for x in a.authors]
    joined = " and ".join(links) if len(links) <= 2 else ", ".join(links[:-1]) + " and " + links[-1]
    return (
        f'<div class="td-post-author-name"><div class="td-author-by">By</div> {joined}'
        '<div class="td-author-line"> - </div></div>'
    )


def next_prev(site: Site, a: DemoArticle, base: str) -> str:
    prev, nxt = site.previous(a), site.next(a)

    def cell(other: DemoArticle | None, label: str, cls: str) -> str:
        if other is None:
            return f'<div class="td-block-span6 {cls}"></div>'
        return (
            f'<div class="td-block-span6 {cls}"><div class="td-post-next-prev-content">'
            f'<span>{label}</span><a href="{base}{other.path}">{text(other.headline)}</a></div></div>'
        )

    return (
        '<div class="td-block-row td-post-next-prev">'
        + cell(prev, "Previous article", "td-post-prev-post")
        + '<div class="td-next-prev-separator"></div>'
        + cell(nxt, "Next article", "td-post-next-post")
        + "</div>"
    )


def avatar(name: str) -> str:
    digest = hashlib.md5(name.encode(), usedforsecurity=False).hexdigest()
    return (
        f"<img alt='' src='https://secure.gravatar.com/avatar/{digest}?s=50&#038;d=mm&#038;r=g' "
        "class='avatar avatar-50 photo' height='50' width='50' loading='lazy' decoding='async'/>"
    )


def comment_html(
    c: DemoComment, kids: dict[int, list[DemoComment]], page_url: str, post_id: int
) -> str:
    cite = (
        f'<a href="{attr(c.author_url)}" rel="external nofollow ugc" class="url">{text(c.author)}</a>'
        if c.author_url
        else text(c.author)
    )
    reply = ""
    if c.depth < 4:
        reply = (
            f"<a rel='nofollow' class='comment-reply-link' href='{page_url}?replytocom={c.id}#respond' "
            f'data-commentid="{c.id}" data-postid="{post_id}" data-belowelement="comment-{c.id}" '
            f"data-respondelement=\"respond\" aria-label='Reply to {attr(c.author)}'>Reply</a>"
        )
    parity = "even" if c.id % 2 == 0 else "odd"
    children = kids.get(c.id, [])
    inner = ""
    if children:
        inner = (
            '\n<ul class="children">\n'
            + "\n".join(comment_html(k, kids, page_url, post_id) for k in children)
            + "\n</ul>"
        )
    return f"""<li class="comment {parity} depth-{c.depth}" id="li-comment-{c.id}">
<article>
<footer>
{avatar(c.author)}
<cite>{cite}</cite>
<a class="comment-link" href="{page_url}#li-comment-{c.id}"><time pubdate="{c.published_ts}" datetime="{c.published_at}">{human_datetime(c.published_ts)}</time></a>
</footer>
<div class="comment-content">
<p>{text(c.text)}</p>
</div>
<div class="comment-meta" id="comment-{c.id}">{reply}</div>
</article>{inner}
</li>"""


def respond_form(base: str, url: str, post_id: int) -> str:
    return f"""<div id="respond" class="comment-respond">
<h3 id="reply-title" class="comment-reply-title">LEAVE A REPLY <small><a rel="nofollow" id="cancel-comment-reply-link" href="{url}#respond" style="display:none;">Cancel reply</a></small></h3>
<form action="{base}/wp-comments-post.php" method="post" id="commentform" class="comment-form" novalidate>
<div class="clearfix"></div>
<div class="comment-form-input-wrap td-form-comment"><textarea placeholder="Comment:" id="comment" name="comment" cols="45" rows="8" aria-required="true"></textarea><div class="td-warning-comment">Please enter your comment!</div></div>
<div class="comment-form-input-wrap td-form-author"><input class="" id="author" name="author" placeholder="Name:*" type="text" value="" size="30" aria-required='true' /><div class="td-warning-author">Please enter your name here</div></div>
<div class="comment-form-input-wrap td-form-email"><input class="" id="email" name="email" placeholder="Email:*" type="text" value="" size="30" aria-required='true' /><div class="td-warning-email-error">You have entered an incorrect email address!</div><div class="td-warning-email">Please enter your email address here</div></div>
<div class="comment-form-input-wrap td-form-url"><input class="" id="url" name="url" placeholder="Website:" type="text" value="" size="30" /></div>
<p class="comment-form-cookies-consent"><input id="wp-comment-cookies-consent" name="wp-comment-cookies-consent" type="checkbox" value="yes" /><label for="wp-comment-cookies-consent">Save my name, email, and website in this browser for the next time I comment.</label></p>
<p class="form-submit"><input name="submit" type="submit" id="submit" class="submit" value="Post Comment" /> <input type='hidden' name='comment_post_ID' value='{post_id}' id='comment_post_ID' />
<input type='hidden' name='comment_parent' id='comment_parent' value='0' /></p>
</form>
</div>"""


def comments_html(a: DemoArticle, base: str, page_no: int) -> str:
    url = base + a.path
    page_url = base + a.comment_page_path(page_no)
    parts = ['<div class="comments" id="comments">']
    if a.comment_count:
        shown = [c for c in a.comments if c.page == page_no]
        kids: dict[int, list[DemoComment]] = {}
        for c in shown:
            if c.parent_id is not None:
                kids.setdefault(c.parent_id, []).append(c)
        count = f"{a.comment_count} COMMENT{'S' if a.comment_count != 1 else ''}"
        parts.append(
            '<div class="td-comments-title-wrap td_block_template_1">'
            f'<h4 class="block-title"><span>{count}</span></h4></div>'
        )
        items = [comment_html(c, kids, page_url, a.post_id) for c in shown if c.parent_id is None]
        parts.append('<ol class="comment-list">\n' + "\n".join(items) + "\n</ol>")
        if a.comment_pages > 1:
            older = newer = ""
            if page_no > 1:
                older = f'<a href="{base}{a.comment_page_path(page_no - 1)}#comments">Older Comments</a>'
            if page_no < a.comment_pages:
                newer = f'<a href="{base}{a.comment_page_path(page_no + 1)}#comments">Newer Comments</a>'
            parts.append(
                f'<div class="comment-pagination"><div class="alignleft">{older}</div>'
                f'<div class="alignright">{newer}</div></div>'
            )
    parts.append(respond_form(base, url, a.post_id))
    parts.append("</div>")
    return "\n".join(parts)


def render_article(site: Site, article: DemoArticle, base: str, comment_page: int = 1) -> str:
    """One article page; ``comment_page`` > 1 renders ``…/comment-page-N/``."""
    a = article
    url = base + a.path
    og = [
        ("og:locale", "en_US"),
        ("og:type", "article"),
        ("og:title", a.headline),
        ("og:description", a.description),
        ("og:url", url),
        ("og:site_name", site.name),
        ("article:publisher", "https://www.facebook.com/demogazette"),
        ("article:section", a.section.name),
        *(("article:tag", t) for t in a.tags),
        ("article:published_time", a.published_at),
        *((("article:modified_time", a.modified_at),) if a.modified_at else ()),
        ("og:image", base + a.featured_image),
        ("og:image:width", "696"),
        ("og:image:height", "464"),
        ("og:image:type", "image/png"),
    ]
    head_html = head(
        site,
        base,
        title=f"{a.headline} - {site.name}",
        description=a.description,
        canonical=url,
        og=og,
        graph=article_graph(site, a, base),
        extra=f'<link rel="shortlink" href="{base}/?p={a.post_id}" />\n',
    )
    tags = "".join(f'<li><a href="{base}/tag/{slugify(t)}/">{text(t)}</a></li>' for t in a.tags)
    first = a.authors[0]
    views = (a.post_id * 37) % 5000 + 120
    main = f"""<div class="td-crumb-container"><div class="entry-crumbs"><span><a title="" class="entry-crumb" href="{base}/">Home</a></span> <i class="td-icon-right td-bread-sep"></i> <span><a title="View all posts in {attr(a.section.name)}" class="entry-crumb" href="{base}{a.section.path}">{text(a.section.name)}</a></span> <i class="td-icon-right td-bread-sep td-bred-no-url-last"></i> <span class="td-bred-no-url-last">{text(a.headline)}</span></div></div>
<article id="post-{a.post_id}" class="post-{a.post_id} post type-post status-publish format-standard has-post-thumbnail category-{a.section.slug}">
<div class="td-post-header">
<ul class="td-category"><li class="entry-category"><a href="{base}{a.section.path}">{text(a.section.name)}</a></li></ul>
<header class="td-post-title">
<h1 class="entry-title">{text(a.headline)}</h1>
<div class="td-module-meta-info">
{byline(a, base)}
<span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{a.published_at}">{human_date(a.published_ts)}</time></span>
<div class="td-post-comments"><a href="{url}#comments"><i class="td-icon-comments"></i>{a.comment_count}</a></div>
<div class="td-post-views"><i class="td-icon-views"></i><span class="td-nr-views-{a.post_id}">{views:,}</span></div>
</div>
</header>
</div>
{content_html(site, a, base, url)}
<footer>
<div class="td-post-source-tags"><ul class="td-tags td-post-small-box clearfix"><li><span>TAGS</span></li>{tags}</ul></div>
{sharing(url, a.headline, "bottom")}
{next_prev(site, a, base)}
<div class="td-author-name vcard author" style="display: none"><span class="fn"><a href="{base}{first.path}">{text(first.name)}</a></span></div>
</footer>
</article>
{comments_html(a, base, comment_page)}"""
    return page(
        site,
        base,
        head_html=head_html,
        body_class=f"post-template-default single single-post postid-{a.post_id} single-format-standard",
        main=main,
        article=a,
    )
