"""What the ``articles`` spider fetches, and why: the crawl's plan against the archive.

The spider routes pages; this module decides, for a run over an archive:

- **persistence** (always, when crawling into an archive): every request is written to the
  frontier first and settled only with its results (:mod:`archive.frontier`); a run that
  finds an unfinished frontier resumes it. One run per archive (:mod:`archive.lock`). The
  plan reaches the archive only through the store ``ARCHIVE_STORE`` names
  (:class:`scraper.planstore.PlanStore`).
- **discovery** (``-a discover=chain,sitemap,feed,listing``; default ``auto``): every
  fetched HTML page is classified (:func:`scraper.extract.classify_page`) and routed by
  :func:`page_route`: articles are archived, listings drive discovery and are never
  archived, other pages are counted in the crawl's ``skipped``. In ``auto`` mode, a start
  URL that is the site root or a listing (or any other non-article) starts discovery from
  everything the site has: sitemaps (robots.txt ``Sitemap:`` lines, else ``/sitemap.xml``,
  ``/sitemap_index.xml``, ``/wp-sitemap.xml``; indexes and news sitemaps followed), the
  feeds the page links (RSS, Atom, JSON Feed; else ``/feed/`` and ``/index.xml``), and the
  home page's listing links and pagination. From an article the prev/next chain is walked;
  when the start article has no neighbour, or (``direction=both``, the default) the chain
  ends with fewer than :data:`SHORT_CHAIN` articles, discovery starts as from the home
  page.
- **incremental runs** (the default; ``-a incremental=0`` fetches every page reached): a known
  article is fetched again only when due by the revisit policy (``ARCHIVE_REVISIT``), hinted
  (sitemap ``lastmod`` newer than the archived copy, a feed's comment count that differs, a
  neighbour that now links to it) or named as a start URL, and then with a conditional
  request (``If-Modified-Since``, else ``If-None-Match``); a 304 is counted as not
  modified. Walking older along the chain stops after K consecutive known, unchanged
  articles; known articles that are not due are stepped over using the links the archive
  already holds. ``-a full=1`` fetches everything again, unconditionally.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import scrapy
import scrapy.utils.misc
from lxml.html import HtmlElement
from scrapy.exceptions import CloseSpider

from . import decisions, discovery
from .decisions import (
    DIRECTION_REL,
    ROUTES,
    SHORT_CHAIN,
    SOURCES,
    page_route,
    short_chain,
    starts_discovery,
)
from .extract.urls import canonicalize_url, host_of
from .items import Article, FetchNote, content_hash
from .planoptions import PlanArgumentError, PlanOptions
from .planstore import EXIT_LOCKED, Entry, PlanStore, Resumed, StoreBusy, StoreError
from .schedule import DEFAULT_REVISIT, RevisitPolicy, ScheduleError, parse_time

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


logger = logging.getLogger(__name__)

MAX_FEEDS = 3  # article feeds taken from one page's <link rel=alternate>
META = "newsarchive"  # request.meta key of the plan's per-request state
# The store a crawl uses when ARCHIVE_STORE is not set (named, never imported here).
DEFAULT_STORE = "archive.planstore.ArchiveStore"


@dataclass(frozen=True)
class Known:
    """An archived article as the plan sees it."""

    url: str
    published: datetime | None
    modified: datetime | None
    checked: datetime | None
    content_hash: str
    comment_count: int | None
    etag: str | None
    last_modified: str | None


class CrawlPlan:
    """One run's plan: lock, frontier, archive lookups and the decisions above."""

    def __init__(
        self,
        db_path: str | Path,
        options: PlanOptions,
        policy: RevisitPolicy,
        now: datetime | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.options = options
        self.policy = policy
        self.fixed_now = now
        self.store: PlanStore | None = None
        self.failure: str | None = None  # the first frontier write the store refused
        self.resumed: Resumed | None = None
        self.discovered: Counter[str] = Counter()
        self.discovery_started: set[str] = set()  # hosts
        self.chain_start: bool = False  # auto mode, a start URL was an article
        self.robots_sitemaps: dict[str, list[str]] = {}  # netloc -> Sitemap: URLs
        self.hints: dict[str, str] = {}  # key -> why a known article is fetched again
        self.lacked: set[str] = set()  # article keys this run requested as not archived
        self.sitemap_listed: dict[str, set[str]] = {}  # host -> article keys sitemaps listed
        self.sitemap_failed: set[str] = set()  # hosts with a sitemap that failed this run
        self.departures_checked: set[str] = set()  # hosts

    # -- life cycle -----------------------------------------------------------------------

    @classmethod
    def from_crawler(cls, crawler: Crawler, options: PlanOptions) -> CrawlPlan:
        settings = crawler.settings
        try:
            policy = RevisitPolicy.parse(settings.get("ARCHIVE_REVISIT") or DEFAULT_REVISIT)
        except ScheduleError as exc:
            raise PlanArgumentError(f"ARCHIVE_REVISIT: {exc}") from exc
        now = parse_time(settings.get("ARCHIVE_NOW"))
        if settings.get("ARCHIVE_NOW") and now is None:
            raise PlanArgumentError(
                f"ARCHIVE_NOW is not an ISO 8601 time: {settings['ARCHIVE_NOW']!r}"
            )
        plan = cls(settings.get("ARCHIVE_DB", "archive.db"), options, policy, now)
        store_cls = scrapy.utils.misc.load_object(settings.get("ARCHIVE_STORE") or DEFAULT_STORE)
        try:
            plan.store = store_cls.open(plan.db_path)
        except StoreBusy as exc:
            # One clear line and a "try later" exit status, before any request.
            logger.error("%s", exc)
            sys.exit(EXIT_LOCKED)
        except StoreError as exc:
            # Not an archive, or one that cannot be opened: one line, nothing touched.
            logger.error("%s", exc)
            sys.exit(1)
        return plan

    def close(self) -> None:
        store, self.store = self.store, None
        if store is not None:
            store.close()

    def now(self) -> datetime:
        return self.fixed_now or datetime.now(UTC)

    def now_iso(self) -> str:
        return self.now().isoformat(timespec="seconds")

    # -- archive lookups ------------------------------------------------------------------

    def known(self, key: str) -> Known | None:
        row = self.store.known(key) if self.store is not None else None
        if row is None:
            return None
        return Known(
            url=row.url,
            published=parse_time(row.published_at),
            modified=parse_time(row.modified_at),
            # When the plan last looked (its clock: ARCHIVE_NOW in tests), else the fetch.
            checked=parse_time(row.checked_at) or parse_time(row.fetched_at),
            content_hash=row.content_hash,
            comment_count=row.comment_count,
            etag=row.etag,
            last_modified=row.last_modified,
        )

    def stored_link(self, key: str, rel: str) -> str | None:
        return self.store.stored_link(key, rel) if self.store is not None else None

    def neighbours(self, key: str) -> list[str]:
        """The archived previous/next neighbours of ``key`` (both link directions)."""
        return self.store.neighbours(key) if self.store is not None else []

    def listed_in_sitemap(self, key: str) -> None:
        self.sitemap_listed.setdefault(host_of(key), set()).add(key)

    def departed(self, host: str) -> list[str]:
        """Once per host, after its sitemaps are read: the archived articles of ``host``
        they no longer list, when they list the rest (:func:`decisions.sitemap_departures`)."""
        listed = self.sitemap_listed.get(host)
        if self.store is None or not listed or host in self.departures_checked:
            return []
        self.departures_checked.add(host)
        found = self.store.absent_articles(host, listed)
        failed = host in self.sitemap_failed
        if not decisions.sitemap_departures(found.archived, len(found.absent), failed=failed):
            return []
        return found.absent

    def departures(self, skip: set[str]) -> list[str]:
        """The archived articles that left the sitemaps this run read (:meth:`departed`,
        every host; not those in ``skip``, asked for already)."""
        out = []
        for host in sorted(self.sitemap_listed):
            departed = [url for url in self.departed(host) if url not in skip]
            if departed:
                logger.info("%d archived articles of %s left its sitemap", len(departed), host)
            out += departed
        return out

    def due_articles(self) -> list[str]:
        """Archived articles the revisit policy says to check on this run."""
        if self.store is None or not self.options.incremental:
            return []
        now = self.now()
        out = []
        for url in self.store.article_urls():
            known = self.known(url)
            if known is not None and (
                self.options.full or self.policy.due(known.published, known.checked, now)
            ):
                out.append(url)
        return out

    # -- the frontier ---------------------------------------------------------------------

    def begin(self) -> Resumed | None:
        assert self.store is not None
        self.resumed = self.store.begin()
        return self.resumed

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many frontier writes in one transaction (a sitemap's or a listing's requests)."""
        with self._writing(), self.store.batch() if self.store is not None else nullcontext():
            yield

    def lease(self, key: str) -> None:
        if self.store is not None:
            with self._writing():
                self.store.lease(key)

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """A frontier write the store refuses ends the run (``CloseSpider``): a request
        that is not persisted could not be resumed, and a full archive stores nothing."""
        try:
            yield
        except StoreError as exc:
            if self.failure is None:
                self.failure = str(exc)
                logger.error("%s; the crawl stops", exc)
            raise CloseSpider("archive write failed") from exc

    def settle_leftovers(self, reason: str) -> list[str]:
        return self.store.settle_leftovers(reason) if self.store is not None else []

    def persist(self, request: scrapy.Request, kind: str) -> bool:
        """Write ``request`` to the frontier (leased); ``False`` if it is already there."""
        if self.store is None:
            return True
        state = request.meta.setdefault(META, {})
        key = state.setdefault("key", canonicalize_url(request.url))
        meta = {k: v for k, v in state.items() if k != "key"}
        with self._writing():
            return self.store.add(Entry(key, request.url, kind, meta, request.priority))

    def settle(
        self, request: scrapy.Request, *, failed: str | None = None, also: tuple[str, ...] = ()
    ) -> FetchNote | None:
        """The note that settles ``request``'s frontier entry (and ``also`` keys)."""
        state = request.meta.get(META)
        if state is None or self.store is None:
            return None
        keys = tuple(dict.fromkeys((state["key"], *also)))
        return FetchNote(
            url=None,
            frontier_keys=keys,
            frontier_state="failed" if failed else "done",
            reason=failed,
            checked_at=self.now_iso(),
        )

    def article_note(self, key: str, origin: dict[str, Any]) -> FetchNote:
        """The note written after the article ``key`` (fetched for ``origin``'s entry)."""
        return FetchNote(
            url=key,
            frontier_keys=tuple(dict.fromkeys((origin["key"], key))),
            etag=origin.get("etag"),
            last_modified=origin.get("last_modified"),
            status=200,
            checked_at=self.now_iso(),
        )

    def not_modified_note(self, key: str) -> FetchNote:
        return FetchNote(
            url=key, frontier_keys=(key,), not_modified=True, status=304, checked_at=self.now_iso()
        )

    def gone_note(self, key: str, status: int, reason: str) -> FetchNote:
        return FetchNote(
            url=key,
            frontier_keys=(key,),
            frontier_state="failed",
            reason=reason,
            status=status,
            gone=True,
            checked_at=self.now_iso(),
        )

    def shutdown(self, reason: str | None, *, archive_failed: bool) -> None:
        """The crawl's engine stopped (``reason``: why the spider closed): settle what was
        dropped (:meth:`finish`), then release the archive."""
        try:
            dropped = self.finish(reason, archive_failed=archive_failed)
            if dropped:
                logger.warning("%d requests were dropped unanswered: %s", len(dropped), dropped[:5])
        except Exception as exc:  # the store is the archive's; its errors end here, in one line
            logger.error("could not settle the frontier: %s", exc)
        finally:
            self.close()

    def finish(self, reason: str | None, *, archive_failed: bool) -> list[str]:
        """After the pipeline's last commit. A finished crawl has no request in flight: an
        entry still leased was dropped unanswered somewhere in Scrapy; it is settled as
        failed so the next run starts afresh instead of resuming it forever. After a
        refused write, what is unsettled was fetched but not stored: it stays for the next
        run to fetch again. Returns the keys settled so."""
        if reason != "finished" or archive_failed or self.failure:
            return []
        return self.settle_leftovers("dropped unanswered")

    # -- incremental decisions ------------------------------------------------------------

    def admit(
        self, key: str, *, force: bool = False, source: str = "chain"
    ) -> tuple[str, Known | None]:
        """``("fetch", known)``, ``("conditional", known)`` or ``("skip", known)``
        (:func:`decisions.admit`)."""
        if not self.options.incremental:
            return "fetch", None
        known = self.known(key)
        hint = self.hints.get(key)
        due = known is not None and self.policy.due(known.published, known.checked, self.now())
        # The stored links are looked up only when nothing else decides.
        newest = (
            known is not None
            and not (force or hint or due)
            and decisions.newest_of_chain(
                self.stored_link(key, "prev"), self.stored_link(key, "next")
            )
        )
        decision = decisions.admit(
            incremental=True,
            full=self.options.full,
            known=known is not None,
            hint=hint,
            force=force,
            due=due,
            newest_of_chain=newest,
        )
        return decision, known

    @staticmethod
    def conditional_headers(known: Known) -> dict[str, str]:
        return decisions.conditional_headers(known.last_modified, known.etag)

    def hint(self, key: str, why: str) -> None:
        self.hints.setdefault(key, why)

    def unchanged(self, article: Article, known: Known | None) -> bool:
        return known is not None and content_hash(article) == known.content_hash

    @staticmethod
    def newer_than_check(stated: str | None, known: Known) -> bool:
        """A feed date (RFC 822 or ISO 8601) after the archive's last look at the article;
        unknown dates count as newer."""
        when = parse_time(stated)
        if when is None and stated:
            try:
                when = parsedate_to_datetime(stated)
            except (TypeError, ValueError, IndexError):
                when = None
        return decisions.newer_than_check(when, known.checked)

    def sitemap_newer(self, entry: discovery.SitemapEntry, known: Known) -> bool:
        stated = parse_time(entry.lastmod or entry.news_date)
        return decisions.sitemap_newer(stated, known.modified, known.published)

    # -- discovery ------------------------------------------------------------------------

    def sources(self, start_is_listing: bool) -> frozenset[str]:
        return decisions.sources(self.options.discover, start_is_listing=start_is_listing)

    @property
    def auto(self) -> bool:
        return self.options.discover is None

    def discovery_seeds(self, url: str, tree: HtmlElement | None) -> list[tuple[str, str]]:
        """``(kind, url)`` of the sitemaps, feeds and home page to fetch for the host of
        ``url`` (a page whose tree, when given, names its feeds), once per host."""
        host = host_of(url)
        if host in self.discovery_started:
            return []
        self.discovery_started.add(host)
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}/"
        seeds: list[tuple[str, str]] = []
        sources = self.sources(True)
        if "sitemap" in sources:
            sitemaps = self.robots_sitemaps.get(parts.netloc) or [
                base + "sitemap.xml",
                base + "sitemap_index.xml",
                base + "wp-sitemap.xml",
            ]
            seeds += [("sitemap", u) for u in sitemaps]
        if "feed" in sources:
            feeds = discovery.feed_links(tree, url) if tree is not None else []
            seeds += [
                ("feed", u) for u in (feeds[:MAX_FEEDS] or [base + "feed/", base + "index.xml"])
            ]
            if tree is not None:  # new comments on any article, newest first
                seeds += [("feed", u) for u in discovery.feed_links(tree, url, comments=True)[:1]]
        if "listing" in sources and self.auto:
            seeds.append(("listing", base))  # the home page: its teasers and pagination
        return seeds

    def discover_at_idle(self, reached: int, *, room: bool, host: str) -> bool:
        """Once, when a crawl started from an article goes idle in ``auto`` mode and its
        chain was short (:func:`short_chain`): start discovery for ``host``."""
        return (
            self.auto
            and self.chain_start
            and host not in self.discovery_started
            and short_chain(reached, room=room)
        )

    def robots_parsed(self, robotparser: Any, request: scrapy.Request) -> None:
        """Scrapy's ``robots_parsed`` signal: the host's ``Sitemap:`` lines."""
        self.on_robots(urlsplit(request.url).netloc, robotparser)

    def on_robots(self, netloc: str, robotparser: Any) -> None:
        inner = getattr(robotparser, "rp", None)
        urls = list(getattr(inner, "sitemaps", []) or [])
        self.robots_sitemaps[netloc] = [str(u) for u in urls]

    # -- the chain, as archived ------------------------------------------------------------

    def chain_report(self) -> dict[str, Any] | None:
        return self.store.chain_report() if self.store is not None else None


__all__ = [
    "DIRECTION_REL",
    "META",
    "ROUTES",
    "SHORT_CHAIN",
    "SOURCES",
    "CrawlPlan",
    "Known",
    "PlanArgumentError",
    "PlanOptions",
    "page_route",
    "short_chain",
    "starts_discovery",
]
