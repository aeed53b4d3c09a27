"""``newsarchive crawl``: ``scrapy crawl articles`` for one site, or for every site of a
``sites.toml`` one after another into one archive, under one lock, with one exit status
and one summary.

::

    # sites.toml
    [[sites]]
    start_url = "https://news.example.org/"
    profile = "profiles/example.toml"      # optional: -a profile=
    discover = "sitemap,feed"              # optional: -a discover=
    max_articles = 500                     # optional: -a max_articles=
    args = { direction = "older" }         # optional: any other -a argument
    settings = { DOWNLOAD_DELAY = 2 }      # optional: -s settings for this site only

Each site runs as its own ``scrapy crawl`` process (a crash or a bad profile costs that
site only). The command takes the archive's lock first and hands it to each crawl
(:data:`archive.lock.LOCK_FD_ENV`), so no other crawl can write between two sites.
"""

from __future__ import annotations

import os
import subprocess
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.demo import crawl_command, crawl_env
from archive.lock import LOCK_FD_ENV, ArchiveLock
from archive.summary import SUMMARY_COLUMNS, first_crawl_after, last_crawl_id, summary_line
from scraper.exitcodes import EXIT_ARCHIVE_FAILED

# The keys of a [[sites]] entry that become -a arguments as they are.
SPIDER_KEYS = ("profile", "discover", "max_articles")
SITE_KEYS = frozenset({"start_url", "args", "settings", *SPIDER_KEYS})


class SitesError(ValueError):
    """A sites file that cannot be run; ``str()`` is one line naming the entry."""


@dataclass(frozen=True)
class Site:
    start_url: str
    args: dict[str, str] = field(default_factory=dict)  # -a NAME=VALUE
    settings: dict[str, str] = field(default_factory=dict)  # -s NAME=VALUE, this site only


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)


def load_sites(path: str | os.PathLike[str]) -> list[Site]:
    """The ``[[sites]]`` of a TOML file; raises :class:`SitesError` (one line)."""
    try:
        data = tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise SitesError(f"sites file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SitesError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SitesError(f"{path} is not valid TOML: {exc}") from None
    entries = data.get("sites")
    if not isinstance(entries, list) or not entries:
        raise SitesError(f"{path}: no [[sites]] entries")
    sites = []
    for n, entry in enumerate(entries, 1):
        where = f"{path}: site {n}"
        if not isinstance(entry, dict):
            raise SitesError(f"{where} is not a table")
        unknown = sorted(set(entry) - SITE_KEYS)
        if unknown:
            raise SitesError(
                f"{where}: unknown key {unknown[0]!r} (known: {', '.join(sorted(SITE_KEYS))})"
            )
        start_url = entry.get("start_url")
        if not isinstance(start_url, str) or not start_url.startswith(("http://", "https://")):
            raise SitesError(f"{where}: start_url must be an http(s) URL")
        for key in ("args", "settings"):
            if not isinstance(entry.get(key, {}), dict):
                raise SitesError(f"{where}: {key} must be a table of NAME = value")
        args = {k: _text(v) for k, v in entry.get("args", {}).items()}
        args.update({k: _text(entry[k]) for k in SPIDER_KEYS if k in entry})
        if "start_url" in args:
            raise SitesError(f"{where}: start_url belongs outside args")
        settings = {k: _text(v) for k, v in entry.get("settings", {}).items()}
        sites.append(Site(start_url, args, settings))
    return sites


@dataclass
class SiteRun:
    site: Site
    returncode: int
    crawl: dict[str, Any] | None  # its crawls row


def exit_status(codes: Sequence[int]) -> int:
    """One status for several crawls: 0 when all ran; the archive's failure (74) before any
    other; else the first non-zero one."""
    if EXIT_ARCHIVE_FAILED in codes:
        return EXIT_ARCHIVE_FAILED
    return next((c for c in codes if c), 0)


def run_sites(
    sites: Sequence[Site],
    db_path: str | os.PathLike[str],
    settings: Mapping[str, str] | None = None,
    echo: Callable[[str], object] = print,
    timeout: float | None = None,
) -> int:
    """Crawl every site in turn into ``db_path``; print a line per site and a summary;
    return the run's exit status. Raises :class:`archive.lock.ArchiveLocked` when
    another crawl holds the archive."""
    runs: list[SiteRun] = []
    with ArchiveLock(db_path) as lock:
        fd = lock.fileno()
        env = {**crawl_env(), LOCK_FD_ENV: str(fd)}
        for n, site in enumerate(sites, 1):
            before = last_crawl_id(db_path)
            cmd = crawl_command(
                site.start_url, db_path, site.args, {**(settings or {}), **site.settings}
            )
            echo(f"[{n}/{len(sites)}] {site.start_url}")
            result = subprocess.run(cmd, env=env, pass_fds=(fd,), timeout=timeout, check=False)
            crawl = first_crawl_after(db_path, before)
            runs.append(SiteRun(site, result.returncode, crawl))
            echo(f"[{n}/{len(sites)}] {site.start_url}: " + _site_result(runs[-1], db_path))
    status = exit_status([r.returncode for r in runs])
    totals = {
        column: sum(int((r.crawl or {}).get(column) or 0) for r in runs)
        for column, _ in SUMMARY_COLUMNS
    }
    failed = sum(1 for r in runs if r.returncode)
    echo(
        f"{len(runs)} site{'s' if len(runs) != 1 else ''}"
        + (f" ({failed} failed)" if failed else "")
        + f": {summary_line(totals, db_path)}; exit status {status}"
    )
    return status


def _site_result(run: SiteRun, db_path: str | os.PathLike[str]) -> str:
    if run.crawl is None:
        return f"did not start (exit status {run.returncode})"
    line = f"{run.crawl['status']}, {summary_line(run.crawl, db_path)}"
    return line if not run.returncode else f"{line} (exit status {run.returncode})"
