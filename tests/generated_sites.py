"""News sites made by real static-site generators with the themes they ship, for the
end-to-end discovery tests (``tests/test_generated_sites.py``).

Each builder writes ~40 articles of deterministic prose (a seeded word list), runs the
generator into a folder and returns a :class:`BuiltSite`: the output folder, the URL paths
of the articles, and entry points (home, one article, one section/tag page). The site is
served on 127.0.0.1 by :func:`serve` (``http.server`` in a thread).

- Pelican (PyPI), theme ``notmyidea``: default URLs (``/slug.html``), pagination
  ``index2.html``, categories, tags, authors, Atom and RSS feeds, and a sitemap index that
  only robots.txt names (``Sitemap: /maps/index.xml``).
- Pelican, theme ``simple``: uncommon URL settings (``/posts/slug/`` without dates,
  sections under ``/rubrik/``, tags under ``/schlagwort/``), ``/page/N/`` pagination, an RSS
  feed of the 10 newest only, and no sitemap: the listings must carry discovery.
- MkDocs Material's blog plugin (PyPI): the blog at the site root, ``/page/N/``
  pagination, archive and category pages, MkDocs' ``/sitemap.xml``, no feed.
- Jekyll (Debian's ``/usr/bin/jekyll``) with minima, jekyll-feed and jekyll-sitemap:
  ``/:categories/:year/:month/:day/:title.html`` permalinks, ``/feed.xml`` (10 newest),
  ``/sitemap.xml`` named by the generated robots.txt, a section page of our own.
"""

from __future__ import annotations

import functools
import http.server
import random
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

N_ARTICLES = 40
SECTIONS = ("politics", "science", "culture", "sport")
TAGS = ("election", "climate", "music", "football", "budget", "space", "film", "health")
AUTHORS = ("Ada Lovelace", "Grace Hopper", "Alan Turing")
_WORDS = [
    "council",
    "river",
    "harbour",
    "budget",
    "school",
    "report",
    "minister",
    "vote",
    "season",
    "museum",
    "theatre",
    "orchestra",
    "league",
    "match",
    "coach",
    "striker",
    "planet",
    "telescope",
    "climate",
    "research",
    "vaccine",
    "hospital",
    "village",
    "railway",
    "bridge",
    "tenant",
    "market",
    "farmer",
    "harvest",
    "festival",
    "library",
    "engineer",
    "parliament",
    "committee",
    "survey",
    "teacher",
    "student",
    "election",
    "candidate",
    "referendum",
    "weather",
    "storm",
    "flood",
    "drought",
    "energy",
    "solar",
    "turbine",
    "battery",
    "factory",
    "worker",
    "union",
]
JEKYLL = "/usr/bin/jekyll"


@dataclass(frozen=True)
class Post:
    index: int
    slug: str
    title: str
    date: datetime
    section: str
    tags: tuple[str, ...]
    author: str
    paragraphs: tuple[str, ...]


@dataclass
class BuiltSite:
    name: str
    root: Path  # the generator's output folder, served as the site root
    article_paths: list[str]  # URL paths of every article
    entries: dict[str, str] = field(default_factory=dict)  # entry name -> URL path


def posts(n: int = N_ARTICLES, seed: int = 10) -> list[Post]:
    """``n`` posts, one a day from 2024-01-01, with 4-6 paragraphs of seeded prose."""
    rng = random.Random(seed)
    out = []
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    for i in range(n):
        words = rng.sample(_WORDS, 4)
        title = f"{words[0].title()} {words[1]} and the {words[2]} {words[3]} ({i + 1})"
        paragraphs = []
        for _ in range(rng.randint(4, 6)):
            sentences = []
            for _ in range(rng.randint(3, 5)):
                body = " ".join(rng.choice(_WORDS) for _ in range(rng.randint(9, 16)))
                sentences.append(body[0].upper() + body[1:] + ".")
            paragraphs.append(" ".join(sentences))
        out.append(
            Post(
                index=i,
                slug=f"story-{i + 1:02d}-{words[0]}-{words[1]}",
                title=title,
                date=start + timedelta(days=i),
                section=SECTIONS[i % len(SECTIONS)],
                tags=(TAGS[i % len(TAGS)], TAGS[(i * 3 + 1) % len(TAGS)]),
                author=AUTHORS[i % len(AUTHORS)],
                paragraphs=tuple(paragraphs),
            )
        )
    return out


def _run(cmd: list[str], cwd: Path) -> None:
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )


# -- Pelican ----------------------------------------------------------------------------


def _pelican_sources(content: Path, items: list[Post]) -> None:
    content.mkdir(parents=True)
    for p in items:
        tags = ", ".join(p.tags)
        text = "\n\n".join(p.paragraphs)
        (content / f"{p.slug}.md").write_text(
            f"Title: {p.title}\nDate: {p.date:%Y-%m-%d %H:%M}\nCategory: {p.section}\n"
            f"Tags: {tags}\nAuthor: {p.author}\nSlug: {p.slug}\n"
            f"Summary: {p.paragraphs[0][:160]}\n\n{text}\n",
            encoding="utf-8",
        )
    pages = content / "pages"
    pages.mkdir()
    (pages / "about.md").write_text(
        "Title: About us\nSlug: about\n\nWe are a small newsroom. Write to us by post.\n",
        encoding="utf-8",
    )


def _pelican(out: Path, base: str, conf: str, items: list[Post]) -> None:
    work = out.parent / (out.name + "-src")
    _pelican_sources(work / "content", items)
    (work / "pelicanconf.py").write_text(f"SITEURL = {base!r}\n" + conf, encoding="utf-8")
    _run(
        [sys.executable, "-m", "pelican", "content", "-o", str(out), "-s", "pelicanconf.py"],
        work,
    )


_PELICAN_COMMON = """
AUTHOR = "Newsroom"
SITENAME = "The Generated Gazette"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
RELATIVE_URLS = False
DEFAULT_DATE_FORMAT = "%Y-%m-%d"
LINKS = ()
SOCIAL = ()
"""


def build_pelican_notmyidea(out: Path, base: str) -> BuiltSite:
    items = posts()
    conf = (
        _PELICAN_COMMON
        + """
THEME = "notmyidea"
DEFAULT_PAGINATION = 5
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
FEED_MAX_ITEMS = 10
"""
    )
    _pelican(out, base, conf, items)
    # A sitemap index that only robots.txt names, with one child sitemap of the articles.
    maps = out / "maps"
    maps.mkdir()
    urls = "".join(
        f"<url><loc>{base}/{p.slug}.html</loc><lastmod>{p.date:%Y-%m-%d}</lastmod></url>"
        for p in items
    )
    (maps / "posts.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>',
        encoding="utf-8",
    )
    (maps / "index.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{base}/maps/posts.xml</loc></sitemap></sitemapindex>",
        encoding="utf-8",
    )
    (out / "robots.txt").write_text(
        f"User-agent: *\nDisallow:\n\nSitemap: {base}/maps/index.xml\n", encoding="utf-8"
    )
    return BuiltSite(
        "pelican-notmyidea",
        out,
        [f"/{p.slug}.html" for p in items],
        {
            "home": "/",
            "article": f"/{items[17].slug}.html",
            "section": f"/category/{items[0].section}.html",
            "tag": f"/tag/{items[0].tags[0]}.html",
        },
    )


def build_pelican_simple(out: Path, base: str) -> BuiltSite:
    items = posts(seed=11)
    conf = (
        _PELICAN_COMMON
        + """
THEME = "simple"
DEFAULT_PAGINATION = 6
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
ARTICLE_URL = "posts/{slug}/"
ARTICLE_SAVE_AS = "posts/{slug}/index.html"
PAGE_URL = "seiten/{slug}/"
PAGE_SAVE_AS = "seiten/{slug}/index.html"
CATEGORY_URL = "rubrik/{slug}/"
CATEGORY_SAVE_AS = "rubrik/{slug}/index.html"
TAG_URL = "schlagwort/{slug}/"
TAG_SAVE_AS = "schlagwort/{slug}/index.html"
AUTHOR_URL = "von/{slug}/"
AUTHOR_SAVE_AS = "von/{slug}/index.html"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
FEED_ALL_RSS = "index.xml"
FEED_MAX_ITEMS = 10
"""
    )
    _pelican(out, base, conf, items)
    return BuiltSite(
        "pelican-simple",
        out,
        [f"/posts/{p.slug}/" for p in items],
        {
            "home": "/",
            "article": f"/posts/{items[5].slug}/",
            "section": f"/rubrik/{items[1].section}/",
            "tag": f"/schlagwort/{items[2].tags[1]}/",
        },
    )


# -- MkDocs Material blog -----------------------------------------------------------------


def build_mkdocs_material(out: Path, base: str) -> BuiltSite:
    items = posts(seed=12)
    work = out.parent / (out.name + "-src")
    docs = work / "docs"
    (docs / "posts").mkdir(parents=True)
    (docs / "index.md").write_text("# The Generated Gazette\n", encoding="utf-8")
    (docs / "about.md").write_text(
        "# About us\n\nWe are a small newsroom. Write to us by post.\n", encoding="utf-8"
    )
    for p in items:
        cats = f"categories:\n  - {p.section.title()}\n"
        (docs / "posts" / f"{p.slug}.md").write_text(
            f"---\ndate: {p.date:%Y-%m-%d}\nslug: {p.slug}\n{cats}authors:\n  - newsroom\n---\n\n"
            f"# {p.title}\n\n{p.paragraphs[0]}\n\n<!-- more -->\n\n"
            + "\n\n".join(p.paragraphs[1:])
            + "\n",
            encoding="utf-8",
        )
    (docs / ".authors.yml").write_text(
        "authors:\n  newsroom:\n    name: Newsroom\n    description: Staff\n"
        "    avatar: https://127.0.0.1/none.png\n",
        encoding="utf-8",
    )
    (work / "mkdocs.yml").write_text(
        "site_name: The Generated Gazette\n"
        f"site_url: {base}/\n"
        "theme:\n  name: material\n"
        "plugins:\n  - search\n  - blog:\n      blog_dir: .\n      post_url_format: "
        '"{date}/{slug}"\n      pagination_per_page: 8\n'
        "nav:\n  - index.md\n  - about.md\n",
        encoding="utf-8",
    )
    _run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out)], work)
    return BuiltSite(
        "mkdocs-material",
        out,
        [f"/{p.date:%Y/%m/%d}/{p.slug}/" for p in items],
        {
            "home": "/",
            "article": f"/{items[9].date:%Y/%m/%d}/{items[9].slug}/",
            "section": f"/category/{items[2].section}/",
        },
    )


# -- Jekyll ---------------------------------------------------------------------------------


def jekyll_available() -> bool:
    return Path(JEKYLL).exists() and shutil.which("jekyll") is not None


def build_jekyll_minima(out: Path, base: str) -> BuiltSite:
    items = posts(seed=13)
    work = out.parent / (out.name + "-src")
    (work / "_posts").mkdir(parents=True)
    for p in items:
        tags = " ".join(p.tags)
        (work / "_posts" / f"{p.date:%Y-%m-%d}-{p.slug}.md").write_text(
            f'---\nlayout: post\ntitle: "{p.title}"\ndate: {p.date:%Y-%m-%d %H:%M:%S} +0000\n'
            f"categories: {p.section}\ntags: {tags}\nauthor: {p.author}\n---\n\n"
            + "\n\n".join(p.paragraphs)
            + "\n",
            encoding="utf-8",
        )
    (work / "about.md").write_text(
        "---\nlayout: page\ntitle: About\npermalink: /about/\n---\n\n"
        "We are a small newsroom. Write to us by post.\n",
        encoding="utf-8",
    )
    (work / "index.md").write_text("---\nlayout: home\n---\n", encoding="utf-8")
    # A section page of our own: minima has none; the posts of one category, as a list.
    (work / "sections").mkdir()
    for section in SECTIONS:
        (work / "sections" / f"{section}.html").write_text(
            f"---\nlayout: page\ntitle: {section.title()}\npermalink: /sections/{section}/\n---\n"
            f'<ul class="post-list">{{% for post in site.categories.{section} %}}'
            '<li><span class="post-meta">{{ post.date | date: "%b %-d, %Y" }}</span>'
            '<h3><a class="post-link" href="{{ post.url | relative_url }}">{{ post.title }}</a>'
            "</h3>{{ post.excerpt }}</li>{% endfor %}</ul>\n",
            encoding="utf-8",
        )
    (work / "_config.yml").write_text(
        "title: The Generated Gazette\ndescription: News from nowhere\n"
        f'url: "{base}"\nbaseurl: ""\ntheme: minima\n'
        "plugins:\n  - jekyll-feed\n  - jekyll-sitemap\n"
        "feed:\n  posts_limit: 10\n",
        encoding="utf-8",
    )
    _run([JEKYLL, "build", "-q", "-s", str(work), "-d", str(out)], work)
    return BuiltSite(
        "jekyll-minima",
        out,
        [f"/{p.section}/{p.date:%Y/%m/%d}/{p.slug}.html" for p in items],
        {
            "home": "/",
            "article": f"/{items[21].section}/{items[21].date:%Y/%m/%d}/{items[21].slug}.html",
            "section": f"/sections/{SECTIONS[3]}/",
        },
    )


BUILDERS = {
    "pelican-notmyidea": build_pelican_notmyidea,
    "pelican-simple": build_pelican_simple,
    "mkdocs-material": build_mkdocs_material,
    "jekyll-minima": build_jekyll_minima,
}


# -- serving ----------------------------------------------------------------------------


class _Recording(http.server.SimpleHTTPRequestHandler):
    """Serves the folder quietly and notes ``(path, status)`` of every answer."""

    served: list[tuple[str, int]]

    def log_message(self, format: str, *args: object) -> None:
        pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.served.append((self.path, int(code) if str(code).isdigit() else 0))

    redirects: ClassVar[dict[str, str]] = {}

    def do_GET(self) -> None:
        target = self.redirects.get(self.path)
        if target is None:
            super().do_GET()
            return
        self.send_response(302)
        self.send_header("Location", target)
        self.send_header("Content-Length", "0")
        self.end_headers()


@dataclass
class Served:
    base: str  # http://127.0.0.1:PORT, no slash
    served: list[tuple[str, int]]  # (path, status) of every request answered


def free_port() -> int:
    """A port free on 127.0.0.1 now: the site is built for its final address (absolute
    URLs in feeds and sitemaps, as deployed sites have), then served there."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve(
    root: Path,
    port: int,
    host: str = "127.0.0.1",
    redirects: dict[str, str] | None = None,
    content_types: dict[str, str] | None = None,
) -> Iterator[Served]:
    """The folder ``root`` on ``http://HOST:PORT``; a path in ``redirects`` answers 302
    to its target; ``content_types`` maps a file suffix (``".html"``) to the
    ``Content-Type`` it is served with."""
    log: list[tuple[str, int]] = []
    attrs: dict[str, object] = {"served": log, "redirects": redirects or {}}
    if content_types:
        attrs["extensions_map"] = {**_Recording.extensions_map, **content_types}
    handler_class = type("Handler", (_Recording,), attrs)
    handler = functools.partial(handler_class, directory=str(root))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://{host}:{server.server_address[1]}", log)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
