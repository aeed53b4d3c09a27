"""The demo site's shared page chrome, in tagDiv's *Newspaper* theme markup: the ``<head>``,
header, sidebar, footer and the page frame around every page's main column, and the text
helpers every page uses (escaping as WordPress writes it, dates as the theme prints them).
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable

from scraper.demosite.content import DemoArticle, Site, local_time

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
