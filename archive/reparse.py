"""Offline re-extraction: run the current extractor over the stored raw pages.

``reparse`` replays each article's latest stored page, and the comment pages its thread
links to, through the ``articles`` spider's own callbacks (the same routing, decoding and
comment merging as a crawl) with no network: a request is answered from the captures or
not at all. The results go through the one write path (:class:`ArchiveWriter`) in a
transaction per batch, recorded as a crawl row with ``spider = 'reparse'``; an interrupted
run leaves every article either as it was or fully re-extracted.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Headers, Response
from scrapy.responsetypes import responsetypes
from sqlite_utils import Database
from twisted.python.failure import Failure

from archive.captures import Capture, latest_capture
from archive.lock import ArchiveLock
from archive.queries import ArticleNotFound, get_article
from archive.writer import ArchiveWriter
from scraper.extract.profiles import Profile, load_profile, load_profiles
from scraper.items import ARTICLE_FIELDS, Article, article_to_dict
from scraper.spiders.articles import ArticlesSpider

# Fields not compared: bookkeeping that reparse keeps as it was.
UNCOMPARED_FIELDS = frozenset({"fetched_at"})
REPARSE_SPIDER = "reparse"


@dataclass
class ReparseReport:
    """What a run did: articles re-extracted, how many changed, and per field how many
    articles got a different value."""

    articles: int = 0
    changed: int = 0
    unchanged: int = 0
    no_capture: list[str] = field(default_factory=list)
    not_article: list[str] = field(default_factory=list)
    fields: Counter[str] = field(default_factory=Counter)
    crawl_id: int | None = None


def capture_response(capture: Capture, request: scrapy.Request) -> Response:
    """The Scrapy response a crawl would have seen for ``capture``."""
    headers = Headers()
    for name, value in capture.headers:
        headers.appendlist(name, value)
    cls = responsetypes.from_args(headers=headers, url=capture.url, body=capture.body)
    return cls(
        url=capture.url,
        status=capture.status,
        headers=headers,
        body=capture.body,
        request=request,
    )


@dataclass
class SiteProfiles:
    """The profiles a crawl would use: ``-a profile`` (every page) or the
    ``ARCHIVE_PROFILES`` folder's (by domain)."""

    profile: Profile | None = None
    by_domain: list[Profile] = field(default_factory=list)

    profile_path: str | None = None
    folder: str | None = None

    @classmethod
    def load(cls, profile: str | None = None, folder: str | None = None) -> SiteProfiles:
        """Raises :class:`~scraper.extract.profiles.ProfileError` for a broken one."""
        return cls(
            load_profile(profile) if profile else None,
            load_profiles(folder) if folder else [],
            profile,
            folder,
        )

    def arguments(self) -> dict[str, str]:
        """For the run's ``crawls`` row."""
        out = {"profile": self.profile_path, "profiles": self.folder}
        return {k: v for k, v in out.items() if v}


def reextract(
    db: Database, capture: Capture, profiles: SiteProfiles | None = None
) -> Article | None:
    """The article the current spider and extractor make of ``capture`` and the comment
    pages stored for it (with the site's profile, as a crawl would); ``None`` if the page
    is not an article."""
    spider = ArticlesSpider(start_url=capture.url)
    if profiles is not None:
        spider.profile, spider.profiles = profiles.profile, profiles.by_domain
    # walk "none": the spider requests no neighbours; only comment pages are followed.
    request = scrapy.Request(capture.url, callback=spider.parse_article, meta={"walk": "none"})
    results: list[Article] = []
    _drain(db, spider.parse_article(capture_response(capture, request)), results)
    return results[0] if results else None


def _drain(db: Database, outputs: Iterable[Any], results: list[Article]) -> None:
    pending = [iter(outputs)]
    while pending:
        output = next(pending[-1], None)
        if output is None:
            pending.pop()
        elif isinstance(output, Article):
            results.append(output)
        elif isinstance(output, scrapy.Request) and output.callback is not None:
            # Captures are found by URL: a POST's answer depends on its body as well (one
            # widget API URL for every thread), so it is not taken from them.
            stored = latest_capture(db, output.url) if output.method == "GET" else None
            if stored is not None:
                pending.append(iter(output.callback(capture_response(stored, output))))
            elif output.errback is not None:
                failure = Failure(IgnoreRequest(f"no stored page for {output.url}"))
                failure.request = output  # type: ignore[attr-defined]
                pending.append(iter(output.errback(failure) or ()))


def _article_urls(db: Database, url: str | None) -> list[str]:
    if url is not None:
        return [get_article(db, url).canonical_url]
    return [row[0] for row in db.execute("SELECT canonical_url FROM articles ORDER BY rowid")]


def _compared(article: Article) -> dict[str, Any]:
    data = article_to_dict(article)
    return {k: data[k] for k in ARTICLE_FIELDS if k not in UNCOMPARED_FIELDS}


def reparse(
    db_path: str | Path,
    *,
    since: str | None = None,
    url: str | None = None,
    batch_size: int = 50,
    progress: Callable[[str], object] | None = None,
    profiles: SiteProfiles | None = None,
) -> ReparseReport:
    """Re-extract the archived articles (only ``url``'s, if given) from their latest stored
    page (fetched at or after ``since``, an ISO 8601 date or time, if given) and write
    what changed. ``profiles``: the site profiles to extract with (see
    :class:`SiteProfiles`; none by default). Raises :class:`ArticleNotFound` for an
    unknown ``url``."""
    report = ReparseReport()
    # One writing run at a time: a crawl (or another reparse) holding the archive makes this
    # one refuse at once (ArchiveLocked), and this one's own row is the only 'running' one.
    with ArchiveLock(db_path), ArchiveWriter(db_path, batch_size=batch_size) as writer:
        db = writer.db
        keys = _article_urls(db, url)
        report.crawl_id = writer.start_crawl(
            REPARSE_SPIDER,
            {"since": since, "url": url, **(profiles.arguments() if profiles else {})},
            [url] if url else [],
        )
        writer.abandon_running_crawls(report.crawl_id)  # killed crawls and reparses
        status = "failed"
        try:
            for key in keys:
                _reparse_one(db, writer, key, since, report, profiles)
                if progress is not None and report.articles % 100 == 0 and report.articles:
                    progress(f"{report.articles} articles re-extracted")
            status = "finished"
        finally:
            writer.finish_crawl(
                report.crawl_id,
                status,
                {"pages_fetched": 0, "skipped": {"no stored page": len(report.no_capture)}},
            )
    return report


def _reparse_one(
    db: Database,
    writer: ArchiveWriter,
    key: str,
    since: str | None,
    report: ReparseReport,
    profiles: SiteProfiles | None,
) -> None:
    stored = get_article(db, key)
    capture = latest_capture(db, stored.url, since=since) or latest_capture(db, key, since=since)
    if capture is None:
        report.no_capture.append(key)
        return
    article = reextract(db, capture, profiles)
    if article is None:
        report.not_article.append(key)
        return
    removed = {
        row[0]
        for row in db.execute(
            "SELECT comment_id FROM comments WHERE article_url = ? AND removed_at IS NOT NULL",
            [key],
        )
    }
    stored.comments = [c for c in stored.comments if c.comment_id not in removed]
    # The archive's key stays: a changed canonical URL is reported, not applied.
    article.fetched_at = stored.fetched_at
    before, after = _compared(stored), _compared(article)
    article.canonical_url = key
    changed = [name for name in before if before[name] != after[name]]
    report.articles += 1
    report.fields.update(changed)
    if changed:
        report.changed += 1
    else:
        report.unchanged += 1
    writer.write_article(article, track_presence=False)


__all__ = ["ArticleNotFound", "ReparseReport", "SiteProfiles", "reextract", "reparse"]
