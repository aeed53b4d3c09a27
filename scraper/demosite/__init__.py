"""The built-in demo news site: deterministic content, tagDiv-style markup, a local server.

    from scraper.demosite import DemoServer, build_site, site_truth

    site = build_site()                      # 36 articles, seed 7
    with DemoServer(site) as server:         # http://127.0.0.1:PORT
        truth = site_truth(site, server.url)

Modules: ``content`` (the model), ``blocks`` (an article body's blocks), ``build``
(:func:`build_site`), ``words`` (phrase banks),
``render`` (article pages), ``chrome`` (head, header, sidebar, footer, text helpers),
``jsonld`` (the JSON-LD graph), ``pages`` (listings, feed, sitemap, robots),
``routes`` (path → response), ``server`` (:class:`DemoServer`, CLI), ``truth``.
"""

from __future__ import annotations

from scraper.demosite.build import build_site
from scraper.demosite.content import DemoArticle, DemoComment, Site
from scraper.demosite.server import FAULT_KINDS, DemoServer, FaultError, RequestRecord
from scraper.demosite.truth import site_truth

__all__ = [
    "FAULT_KINDS",
    "DemoArticle",
    "DemoComment",
    "DemoServer",
    "FaultError",
    "RequestRecord",
    "Site",
    "build_site",
    "site_truth",
]
