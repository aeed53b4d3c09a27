"""``newsarchive demo``: serve the built-in demo news site on 127.0.0.1, crawl it with the
real ``scrapy crawl articles`` command into an archive, and show what landed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

# Politeness settings are for other people's servers; our own local demo needs none.
LOCAL_SETTINGS = {
    "DOWNLOAD_DELAY": "0",
    "AUTOTHROTTLE_ENABLED": "False",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
}

# The demo's default port: a fixed one, so that running the demo again into the same
# archive finds the same URLs (the archive's keys) instead of a second copy of the site.
DEMO_PORT = 8642

EXAMPLE_QUERY = (
    "select a.headline, count(c.comment_id) as comments from articles a "
    "left join comments c on c.article_url = a.canonical_url "
    "group by a.canonical_url order by comments desc limit 5"
)


def invoked_program(argv0: str | None = None) -> str:
    """How the user ran this program, as a shell word to paste: ``newsarchive`` when
    that name on ``PATH`` is this very script, else the path as typed
    (``.venv/bin/newsarchive``), or ``python -m archive.cli`` when run as a module."""
    argv0 = sys.argv[0] if argv0 is None else argv0
    if not argv0 or argv0.endswith(".py"):
        return shlex.join([sys.executable, "-m", "archive.cli"])
    found = shutil.which(Path(argv0).name)
    try:
        if found and os.path.samefile(found, argv0):
            return Path(argv0).name
    except OSError:
        pass
    return shlex.quote(argv0)


def try_lines(program: str, db_path: str | os.PathLike[str]) -> list[str]:
    """The demo's suggestions, each a command to paste from where the demo ran."""
    db = shlex.quote(os.fspath(db_path))
    return [
        f"  {program} query --db {db} {shlex.quote(EXAMPLE_QUERY)}",
        f"  {program} search --db {db} minister",
        f"  {program} stats --db {db}",
        "",
        "Browse and search it in Datasette (read-only), then open http://127.0.0.1:8001/:",
        f"  {program} serve --db {db}",
    ]


class CrawlFailed(RuntimeError):
    """The crawl subprocess exited with an error."""


def crawl_command(
    start_url: str,
    db_path: str | os.PathLike[str],
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
) -> list[str]:
    """The ``scrapy crawl articles`` command line, runnable from any directory."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", "articles", "-a", f"start_url={start_url}"]
    for name, value in (args or {}).items():
        cmd += ["-a", f"{name}={value}"]
    for name, value in {"ARCHIVE_DB": os.fspath(db_path), **(settings or {})}.items():
        cmd += ["-s", f"{name}={value}"]
    return cmd


def crawl_env() -> dict[str, str]:
    """The environment a crawl subprocess needs outside the project folder."""
    root = str(Path(__file__).resolve().parent.parent)
    pythonpath = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
    return {**os.environ, "SCRAPY_SETTINGS_MODULE": "scraper.settings", "PYTHONPATH": pythonpath}


def run_crawl(
    start_url: str,
    db_path: str | os.PathLike[str],
    args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run one crawl to its end; raises :class:`CrawlFailed` with the log's tail."""
    result = subprocess.run(
        crawl_command(start_url, db_path, args, settings),
        env=crawl_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise CrawlFailed(f"crawl exited with {result.returncode}:\n{tail}")
    return result


def run_demo(
    db_path: str = "archive.db",
    port: int = DEMO_PORT,
    echo: Callable[[str], object] = print,
    articles: int = 36,
    program: str = "newsarchive",
) -> None:
    """Serve the demo site, crawl it into ``db_path`` and ``echo`` what landed, with
    commands to try that start with ``program`` (the command line that ran the demo,
    shell-quoted: see :func:`invoked_program`)."""
    from scraper.demosite.build import build_site
    from scraper.demosite.server import DemoServer

    from .db import open_archive
    from .queries import run_readonly_query

    # The archive is checked (created if missing) before the site is served: a path that
    # is not an archive is one error line, the file left as it was, no crawl started.
    open_archive(db_path).close()
    site = build_site(articles)
    start = site.articles[len(site.articles) // 2]
    server = DemoServer(site, port=port)
    try:
        server.start()
    except OSError as exc:
        if port == 0:
            raise
        echo(f"Port {port} is taken ({exc.strerror}); serving the demo on a free port instead.")
        server = DemoServer(site, port=0)
        server.start()
    with server:
        start_url = server.url + start.path
        echo(f"Demo news site ({len(site.articles)} articles) serving at {server.url}/")
        echo(f"Crawling from the middle of its chain: {start_url}")
        began = time.perf_counter()
        run_crawl(start_url, db_path, settings=LOCAL_SETTINGS)
        elapsed = time.perf_counter() - began
    _, rows = run_readonly_query(
        db_path,
        "select (select count(*) from articles) as articles,"
        " (select count(*) from comments) as comments,"
        " (select count(*) from links) as links",
    )
    n_articles, n_comments, n_links = rows[0]
    echo(
        f"Archived {n_articles} articles, {n_comments} comments and {n_links} prev/next links "
        f"into {db_path} in {elapsed:.1f} s."
    )
    echo("")
    echo("Try:")
    for line in try_lines(program, db_path):
        echo(line)
