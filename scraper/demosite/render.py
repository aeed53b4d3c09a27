"""HTML of the demo site's article pages, in the markup of a commercial news theme.

The markup follows tagDiv's *Newspaper* WordPress theme (not WordPress's default themes):
``div.td-post-header``, ``div.td-post-content``, ``ul.td-tags``, the label-only
``div.td-post-next-prev`` block (no ``rel`` attributes) and the theme's comment list.
Every page is rendered on request from the content model; ``base`` is the server's
origin (``http://127.0.0.1:PORT``) so links, canonical URLs and JSON-LD are absolute.

Shared page chrome (head, header, sidebar, footer) lives here too; listings, feeds and
the small pages are in :mod:`scraper.demosite.pages`.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable
from urllib.parse import quote

from scraper.demosite import words as w
from scraper.demosite.content import (
    Block,
    BulletList,
    DemoArticle,
    DemoComment,
    Figure,
    Heading,
    Inline,
    Link,
    Paragraph,
    Quote,
    Site,
    Span,
    local_time,
    slugify,
)

THEME_VERSION = "12.6.5"
# WordPress's wptexturize writes typographic characters as numeric entities.
_TEXTURIZE = str.maketrans(
    {"’": "&#8217;", "‘": "&#8216;", "“": "&#8220;", "”": "&#8221;", "—": "&#8212;",
     "\u00a0": "&nbsp;"}
)  # fmt: skip


def text(s: str) -> str:
    """Escaped text content, typographic characters as WordPress writes them."""
    return html.escape(s, quote=False).translate(_TEXTURIZE)


def attr(s: str) -> str:
    return html.escape(s, quote=True)


def human_date(ts: int) -> str:
    t = local_time(ts)
    return f"{t:%B} {t.day}, {t.year}"


def human_datetime(ts: int) -> str:
    t = local_time(ts)
    hour = t.hour % 12 or 12
    return f"{human_date(ts)} At {hour}:{t:%M} {'am' if t.hour < 12 else 'pm'}"


def json_ld(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=None).replace("</", "<\\/")


def not_neighbour(
    article: DemoArticle | None, candidates: Iterable[DemoArticle]
) -> list[DemoArticle]:
    """Widgets never link the article itself nor its previous or next article."""
    if article is None:
        return list(candidates)
    return [c for c in candidates if abs(c.index - article.index) > 1]


# --------------------------------------------------------------------------------- chrome

_INLINE_STYLE = """
.td-header-wrap{position:relative;z-index:2000}.td-post-content p{margin-bottom:26px}
.td-post-content h2{font-size:27px;line-height:38px;margin-top:30px;margin-bottom:20px}
.td-post-content blockquote{margin:40px 5%;font-style:italic;text-align:center}
.td-a-rec{text-align:center;margin:0 auto 26px}.td-adspot-title{display:block;font-size:10px}
.td-post-next-prev-content span{display:block;font-size:12px;color:#767676;margin-bottom:7px}
.td-post-next-prev-content a{font-size:16px;font-weight:700;color:#222;line-height:23px}
.td-tags li{display:inline-block;margin-right:4px}.td-tags li:first-child span{background:#222}
.comment-list .children{padding-left:50px}.td-comments-title-wrap h4{font-size:17px}
.td-related-box{border-left:3px solid #4db2ec;padding:10px 16px;margin-bottom:26px}
.td-post-sharing{margin-bottom:35px}.td-social-but-text{display:inline-block;padding:0 12px}
@media (max-width:767px){.td-post-content blockquote{margin:30px 0}.td-main-sidebar{display:none}}
"""


def head(
    site: Site,
    base: str,
    *,
    title: str,
    description: str,
    canonical: str,
    og: list[tuple[str, str]],
    graph: list[dict[str, object]],
    extra: str = "",
) -> str:
    meta_og = "\n".join(f'<meta property="{k}" content="{attr(v)}" />' for k, v in og)
    schema = json_ld({"@context": "https://schema.org", "@graph": graph})
    return f"""<head>
<meta charset="UTF-8" />
<title>{text(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="pingback" href="{base}/xmlrpc.php" />
<meta name="robots" content="index, follow, max-image-preview:large, max-snippet:-1" />
<meta name="description" content="{attr(description)}" />
<link rel="canonical" href="{attr(canonical)}" />
{meta_og}
<meta name="twitter:card" content="summary_large_image" />
<meta name="twitter:site" content="@demogazette" />
<script type="application/ld+json" class="yoast-schema-graph">{schema}</script>
<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; Feed" href="{base}/feed/" />
<link rel="alternate" type="application/rss+xml" title="{attr(site.name)} &raquo; Comments Feed" href="{base}/comments/feed/" />
{extra}<link rel='stylesheet' id='td-theme-css' href='{base}/wp-content/themes/Newspaper/style.css?ver={THEME_VERSION}' type='text/css' media='all' />
<style id="td-theme-inline-css">{_INLINE_STYLE}</style>
<script>
var tdBlocksArray = [];
var tdLocalCache = {{}};
var td_viewport_interval_list = [{{"limitBottom":767,"sidebarWidth":228}},{{"limitBottom":1018,"sidebarWidth":300}}];
var tds_general_modal_image = "yes";
var tdAjaxUrl = "{base}/wp-admin/admin-ajax.php";
</script>
</head>"""


def header(site: Site, base: str, article: DemoArticle | None = None) -> str:
    newest = site.articles[-1]
    menu = "".join(
        f'<li class="menu-item menu-item-type-taxonomy menu-item-object-category">'
        f'<a href="{base}{s.path}">{text(s.name)}</a></li>'
        for s in site.sections
    )
    trending = "".join(
        f'<div class="tdb-trending-now-post"><a class="tdb-trending-now-title" '
        f'href="{base}{a.path}">{text(a.headline)}</a></div>'
        for a in not_neighbour(article, reversed(site.articles[-5:]))[:3]
    )
    return f"""<div class="td-header-wrap td-header-style-1">
<div class="td-header-top-menu-full td-container-wrap"><div class="td-container td-header-row td-header-top-menu">
<div class="top-bar-style-1"><div class="td-header-sp-top-menu"><div class="td_data_time">{local_time(newest.published_ts):%A}, {human_date(newest.published_ts)}</div>
<div class="menu-top-container"><ul id="menu-top-menu" class="top-header-menu"><li class="menu-item"><a href="{base}/about/">About us</a></li><li class="menu-item"><a href="{base}/contact/">Contact</a></li></ul></div></div>
<div class="td-header-sp-top-widget"><span class="td-social-icon-wrap"><a target="_blank" href="https://www.facebook.com/demogazette" title="Facebook"><i class="td-icon-font td-icon-facebook"></i></a></span><span class="td-social-icon-wrap"><a target="_blank" href="https://twitter.com/demogazette" title="Twitter"><i class="td-icon-font td-icon-twitter"></i></a></span></div></div>
</div></div>
<div class="td-banner-wrap-full td-container-wrap"><div class="td-container td-header-row td-header-header">
<div class="td-header-sp-logo"><div class="td-logo"><a class="td-main-logo" href="{base}/"><img class="td-retina-data" src="{base}/wp-content/uploads/logo.png" alt="{attr(site.name)}" width="272" height="90"/><span class="td-visual-hidden">{text(site.name)}</span></a></div></div>
<div class="td-header-sp-recs"><div class="td-header-rec-wrap"><div class="td-a-rec td-a-rec-id-header"><span class="td-adspot-title">- Advertisement -</span><a href="https://ads.example.com/click?slot=header"><img src="https://ads.example.com/banner-728x90.png" alt="" width="728" height="90"/></a></div></div></div>
</div></div>
<div class="td-header-menu-wrap-full td-container-wrap"><div class="td-header-menu-wrap td-header-gradient"><div class="td-container td-header-row td-header-main-menu">
<div id="td-header-menu" role="navigation"><div id="td-top-mobile-toggle"><a href="#"><i class="td-icon-font td-icon-mobile"></i></a></div>
<div class="menu-main-menu-container"><ul id="menu-main-menu" class="sf-menu"><li class="menu-item menu-item-type-custom menu-item-home"><a href="{base}/">Home</a></li>{menu}</ul></div></div>
<div class="header-search-wrap"><div class="td-search-btns-wrap"><a id="td-header-search-button" href="#" role="button" aria-label="Search"><i class="td-icon-search"></i></a></div></div>
</div></div></div>
<div class="td-container"><div class="tdb-trending-now-wrap"><span class="tdb-trending-now-label">Trending Now</span>{trending}</div></div>
</div>"""


def module_small(base: str, a: DemoArticle, href_suffix: str = "") -> str:
    """tagDiv's small list module (thumbnail, title, date) used by widgets."""
    href = f"{base}{a.path}{href_suffix}"
    return f"""<div class="td-block-span12"><div class="td_module_6 td_module_wrap td-animation-stack">
<div class="td-module-thumb"><a href="{attr(href)}" rel="bookmark" class="td-image-wrap" title="{attr(a.headline)}"><img width="100" height="70" class="entry-thumb" src="{base}{a.featured_image}" alt="" title="{attr(a.headline)}"/></a></div>
<div class="item-details"><h3 class="entry-title td-module-title"><a href="{attr(href)}" rel="bookmark" title="{attr(a.headline)}">{text(a.headline)}</a></h3>
<div class="td-module-meta-info"><span class="td-post-date"><time class="entry-date updated td-module-date" datetime="{a.published_at}">{human_date(a.published_ts)}</time></span></div></div>
</div></div>"""


def widget(title: str, inner: str, cls: str) -> str:
    return f"""<div class="td_block_wrap td_block_7 td_block_widget {cls} td-pb-border-top td_block_template_1">
<div class="td-block-title-wrap"><h4 class="block-title td-block-title"><span class="td-pulldown-size">{text(title)}</span></h4></div>
<div class="td_block_inner">{inner}</div></div>"""


def sidebar(site: Site, base: str, article: DemoArticle | None = None) -> str:
    popular = not_neighbour(article, site.most_commented)[:5]
    parts = [widget("Popular", "".join(module_small(base, a) for a in popular), "td-popular")]
    if article is not None:
        related = site.related(article)
        suffix = "?utm_source=related&utm_medium=sidebar"
        inner = "".join(module_small(base, a, suffix) for a in related)
        parts.append(widget("Related", inner, "td-related-widget"))
    parts.append(
        '<div class="td-a-rec td-a-rec-id-sidebar"><span class="td-adspot-title">- Advertisement -</span>'
        '<a href="https://ads.example.com/click?slot=sidebar"><img src="https://ads.example.com/banner-300x250.png" alt="" width="300" height="250"/></a></div>'
    )
    return (
        '<div class="td-pb-span4 td-main-sidebar" role="complementary">'
        f'<div class="td-ss-main-sidebar">{"".join(parts)}</div></div>'
    )


def footer(site: Site, base: str, article: DemoArticle | None = None) -> str:
    n = len(site.articles)
    picks = not_neighbour(article, [site.articles[i] for i in sorted({n // 4, n // 2, 3 * n // 4})])
    editor = "".join(module_small(base, a) for a in picks)
    sections = "".join(
        f'<li class="cat-item"><a href="{base}{s.path}">{text(s.name)}</a></li>'
        for s in site.sections
    )
    year = local_time(site.articles[-1].published_ts).year
    return f"""<div class="td-footer-wrapper td-container-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span4">{widget("Editor picks", editor, "td-editor-picks")}</div>
<div class="td-pb-span4"><div class="td_block_wrap td_block_popular_categories"><h4 class="block-title"><span>Popular category</span></h4><ul class="td-pb-padding-side">{sections}</ul></div></div>
<div class="td-pb-span4"><div class="td-footer-info"><div class="footer-text-wrap">{text(site.name)} is a fictional newspaper served by newsarchive for demos and tests. Contact us: <a href="mailto:desk@demo-gazette.invalid">desk@demo-gazette.invalid</a></div>
<div class="footer-social-wrap td-social-style-2"><span class="td-social-icon-wrap"><a target="_blank" href="https://www.facebook.com/demogazette" title="Facebook"><i class="td-icon-font td-icon-facebook"></i></a></span><span class="td-social-icon-wrap"><a target="_blank" href="https://www.instagram.com/demogazette" title="Instagram"><i class="td-icon-font td-icon-instagram"></i></a></span></div></div></div>
</div></div></div>
<div class="td-sub-footer-container td-container-wrap"><div class="td-container"><div class="td-pb-row">
<div class="td-pb-span td-sub-footer-menu"><div class="menu-footer-menu-container"><ul id="menu-footer-menu" class="td-subfooter-menu"><li class="menu-item"><a href="{base}/about/">About</a></li><li class="menu-item"><a href="{base}/contact/">Contact</a></li><li class="menu-item"><a href="{base}/privacy-policy/">Privacy policy</a></li><li class="menu-item"><a href="{base}/feed/">RSS</a></li></ul></div></div>
<div class="td-pb-span td-sub-footer-copy">&copy; {year} {text(site.name)}. All rights reserved.</div>
</div></div></div>"""


def page(
    site: Site,
    base: str,
    *,
    head_html: str,
    body_class: str,
    main: str,
    article: DemoArticle | None = None,
) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
{head_html}
<body class="{body_class} td-standard-pack global-block-template-1 td-full-layout">
<div class="td-scroll-up"><i class="td-icon-menu-up"></i></div>
<div id="td-outer-wrap" class="td-theme-wrap">
{header(site, base, article)}
<div class="td-main-content-wrap td-container-wrap"><div class="td-container">
<div class="td-pb-row">
<div class="td-pb-span8 td-main-content" role="main"><div class="td-ss-main-content">
{main}
</div></div>
{sidebar(site, base, article)}
</div></div></div>
{footer(site, base, article)}
</div>
<script type="text/javascript" src="{base}/wp-content/themes/Newspaper/js/tagdiv_theme.min.js?ver={THEME_VERSION}" id="td-site-min-js"></script>
<script>jQuery().ready(function(){{ tdSmartSidebar.init(); }});</script>
</body>
</html>
"""


# ------------------------------------------------------------------------------- article


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
