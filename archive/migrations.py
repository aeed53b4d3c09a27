"""The archive schema, as sqlite-utils ``Migrations`` steps.

Each step is applied once and recorded in ``_sqlite_migrations``; an applied step is
never edited. Change the schema by appending a new step.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

MIGRATION_SET = "newsarchive"

migrations = Migrations(MIGRATION_SET)

# JSON columns hold lists and dicts as JSON text (ensure_ascii=False).
_INITIAL_SCHEMA = (
    """
    CREATE TABLE crawls (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped', 'failed')),
        finish_reason TEXT,        -- Scrapy's close reason: finished, shutdown, closespider_...
        spider TEXT,
        args TEXT,                 -- JSON object
        start_urls TEXT,           -- JSON list
        articles_new INTEGER NOT NULL DEFAULT 0,
        articles_updated INTEGER NOT NULL DEFAULT 0,
        articles_unchanged INTEGER NOT NULL DEFAULT 0,
        comments_written INTEGER NOT NULL DEFAULT 0,
        pages_fetched INTEGER NOT NULL DEFAULT 0,
        requests_failed INTEGER NOT NULL DEFAULT 0,
        items_skipped INTEGER NOT NULL DEFAULT 0,
        skipped TEXT,              -- JSON object reason -> count
        errors TEXT                -- JSON list of {"url", "reason"}
    )
    """,
    """
    CREATE TABLE articles (
        canonical_url TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        headline TEXT,
        description TEXT,
        authors TEXT,              -- JSON list of names
        published_at TEXT,
        published_at_raw TEXT,
        modified_at TEXT,
        modified_at_raw TEXT,
        section TEXT,
        categories TEXT,           -- JSON list
        tags TEXT,                 -- JSON list
        language TEXT,
        body_text TEXT,
        body_html TEXT,
        images TEXT,               -- JSON list of {"url", "caption"}
        prev_url TEXT,
        prev_title TEXT,
        next_url TEXT,
        next_title TEXT,
        comment_count INTEGER,
        comments_source TEXT,
        comment_page_urls TEXT,    -- JSON list
        fetched_at TEXT,
        sources TEXT,              -- JSON object field -> source
        first_seen_at TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        crawl_id INTEGER REFERENCES crawls(id)
    )
    """,
    "CREATE INDEX idx_articles_published_at ON articles (published_at)",
    """
    CREATE TABLE comments (
        article_url TEXT NOT NULL REFERENCES articles(canonical_url),
        comment_id TEXT NOT NULL,
        parent_id TEXT,
        author TEXT,
        author_url TEXT,
        published_at TEXT,
        published_at_raw TEXT,
        text TEXT,
        depth INTEGER,
        position INTEGER,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (article_url, comment_id)
    )
    """,
    "CREATE INDEX idx_comments_article_url_position ON comments (article_url, position)",
    """
    CREATE TABLE links (
        from_url TEXT NOT NULL REFERENCES articles(canonical_url),
        rel TEXT NOT NULL CHECK (rel IN ('prev', 'next')),
        to_url TEXT NOT NULL,
        title TEXT,
        first_seen_at TEXT NOT NULL,
        PRIMARY KEY (from_url, rel)
    )
    """,
    "CREATE INDEX idx_links_to_url ON links (to_url)",
)


@migrations(name="m001_initial_schema")
def m001_initial_schema(db: Database) -> None:
    for statement in _INITIAL_SCHEMA:
        db.execute(statement)


@migrations(name="m002_full_text_search")
def m002_full_text_search(db: Database) -> None:
    # External-content FTS5 tables kept in sync by insert/update/delete triggers, which is
    # also what Datasette looks for to show a search box.
    db["articles"].enable_fts(["headline", "body_text"], fts_version="FTS5", create_triggers=True)
    db["comments"].enable_fts(["text"], fts_version="FTS5", create_triggers=True)


# Article fields stored as JSON text (lists and dicts); every other field is a scalar column.
ARTICLE_JSON_COLUMNS: tuple[str, ...] = (
    "authors",
    "categories",
    "tags",
    "images",
    "comment_page_urls",
    "sources",
)
# Comment fields stored in the comments table besides its key (article_url, comment_id).
COMMENT_COLUMNS: tuple[str, ...] = (
    "parent_id",
    "author",
    "author_url",
    "published_at",
    "published_at_raw",
    "text",
    "depth",
)


# -- issue #4: raw captures, revisions, removals (m1NN) ----------------------------------


@migrations(name="m101_raw_captures")
def m101_raw_captures(db: Database) -> None:
    # Response bodies, compressed, stored once per content digest ("sha256:<hex>" of the
    # body as received): an unchanged re-fetch costs a captures row and no new body.
    db.execute(
        """
        CREATE TABLE capture_bodies (
            digest TEXT PRIMARY KEY,
            codec TEXT NOT NULL,           -- 'zstd' or 'identity'
            size INTEGER NOT NULL,         -- bytes before compression
            stored_size INTEGER NOT NULL,  -- bytes of body as stored
            body BLOB NOT NULL
        )
        """
    )
    # One row per fetched response (article pages, comment pages, robots.txt, errors).
    db.execute(
        """
        CREATE TABLE captures (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL,             -- the response URL (after redirects)
            request_url TEXT,              -- the URL requested, when different
            status INTEGER NOT NULL,
            headers TEXT NOT NULL,         -- JSON list of [name, value] pairs, in order
            fetched_at TEXT NOT NULL,      -- UTC, ISO 8601 with microseconds
            kind TEXT,                     -- 'article', 'comment_page' or 'other'
            digest TEXT NOT NULL REFERENCES capture_bodies(digest),
            crawl_id INTEGER REFERENCES crawls(id)
        )
        """
    )
    db.execute("CREATE INDEX idx_captures_url_fetched_at ON captures (url, fetched_at)")
    db.execute("CREATE INDEX idx_captures_digest ON captures (digest)")


@migrations(name="m102_revisions_and_removals")
def m102_revisions_and_removals(db: Database) -> None:
    # Earlier states of an article; ``articles`` always holds the latest.
    db.execute(
        """
        CREATE TABLE article_versions (
            id INTEGER PRIMARY KEY,
            canonical_url TEXT NOT NULL REFERENCES articles(canonical_url),
            snapshot TEXT NOT NULL,        -- JSON: the articles row as it was
            content_hash TEXT NOT NULL,
            fetched_at TEXT,               -- when that state was fetched
            replaced_at TEXT NOT NULL,     -- when a newer state replaced it
            changed_fields TEXT NOT NULL,  -- JSON list: fields that differ in the newer state
            chars_added INTEGER NOT NULL,
            chars_removed INTEGER NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id)  -- the run that found the newer state
        )
        """
    )
    db.execute(
        "CREATE INDEX idx_article_versions_url ON article_versions (canonical_url, replaced_at)"
    )
    db.execute("ALTER TABLE articles ADD COLUMN removed_at TEXT")  # URL answered 404/410
    db.execute("ALTER TABLE comments ADD COLUMN last_seen_at TEXT")
    db.execute("ALTER TABLE comments ADD COLUMN removed_at TEXT")  # gone from a live page
    db.execute("UPDATE comments SET last_seen_at = first_seen_at")


# -- issue #5: persisted crawl frontier, conditional-request state, run counts (m2NN) ----


@migrations(name="m201_frontier")
def m201_frontier(db: Database) -> None:
    # The crawl frontier: every request a run means to make, persisted before it is made
    # and settled only once its results are committed, so a killed run is resumed by the
    # next one without losing or repeating anything (archive/frontier.py).
    db.execute(
        """
        CREATE TABLE frontier (
            key TEXT PRIMARY KEY,          -- canonical URL
            url TEXT NOT NULL,             -- the URL to request
            kind TEXT NOT NULL,            -- 'article', 'listing', 'sitemap' or 'feed'
            meta TEXT NOT NULL,            -- JSON: walk direction, discovery source, ...
            priority INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'leased', 'done', 'failed')),
            reason TEXT,                   -- why it failed or was skipped
            added_at TEXT NOT NULL,
            leased_at TEXT,
            settled_at TEXT,
            crawl_id INTEGER REFERENCES crawls(id)
        )
        """
    )
    db.execute("CREATE INDEX idx_frontier_state ON frontier (state)")
    # What the server said about an article page last time: validators for conditional
    # requests (If-None-Match / If-Modified-Since) and when it was last checked.
    db.execute(
        """
        CREATE TABLE fetch_state (
            url TEXT PRIMARY KEY,          -- canonical URL of the article
            etag TEXT,
            last_modified TEXT,            -- the Last-Modified header as sent
            status INTEGER,                -- 200, 304, 404, 410, ...
            checked_at TEXT NOT NULL,      -- UTC, ISO 8601
            crawl_id INTEGER REFERENCES crawls(id)
        )
        """
    )


@migrations(name="m202_crawl_counts")
def m202_crawl_counts(db: Database) -> None:
    for statement in (
        # 304 answers to conditional requests: known articles the server says are unchanged.
        "ALTER TABLE crawls ADD COLUMN articles_not_modified INTEGER NOT NULL DEFAULT 0",
        # Known articles that now answer 404/410.
        "ALTER TABLE crawls ADD COLUMN articles_gone INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE crawls ADD COLUMN requests_sent INTEGER NOT NULL DEFAULT 0",
        # JSON object: where article URLs came from (chain, sitemap, feed, listing) -> count.
        "ALTER TABLE crawls ADD COLUMN discovered TEXT",
        # JSON object: the prev/next chain as archived: segments, breaks, cycles.
        "ALTER TABLE crawls ADD COLUMN chain TEXT",
        # The crawl (killed or stopped) whose unfinished frontier this run resumed.
        "ALTER TABLE crawls ADD COLUMN resumed_crawl_id INTEGER",
    ):
        db.execute(statement)


@migrations(name="m301_capture_dictionaries")
def m301_capture_dictionaries(db: Database) -> None:
    # zstd dictionaries trained per site on its first pages: a news site's pages share
    # most of their markup, so bodies compressed with the site's dictionary store at a
    # fraction of plain zstd's size (bench/archive.py measures it).
    db.execute(
        """
        CREATE TABLE capture_dictionaries (
            id INTEGER PRIMARY KEY,
            host TEXT NOT NULL,
            trained_at TEXT NOT NULL,
            samples INTEGER NOT NULL,      -- bodies it was trained on
            dictionary BLOB NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX idx_capture_dictionaries_host ON capture_dictionaries (host)")
    # codec 'zstd-dict': body compressed with capture_dictionaries(dictionary_id).
    db.execute(
        "ALTER TABLE capture_bodies ADD COLUMN dictionary_id INTEGER "
        "REFERENCES capture_dictionaries(id)"
    )


# -- issue #10: URL keys in w3lib's canonical form (m4NN) ---------------------------------


def _rekey(db: Database, table: str, column: str, new_key: dict[str, str]) -> None:
    """Rewrite ``table.column`` to its new keys; where the new key is taken (two old
    forms of one URL), the row already under it stays and the other is dropped."""
    for old, new in new_key.items():
        db.execute(
            f"UPDATE OR IGNORE [{table}] SET [{column}] = ? WHERE [{column}] = ?", [new, old]
        )
        db.execute(f"DELETE FROM [{table}] WHERE [{column}] = ?", [old])


@migrations(name="m401_w3lib_url_keys")
def m401_w3lib_url_keys(db: Database) -> None:
    # Keys were canonicalised by hand (raw UTF-8 paths, percent-escapes as found); they
    # are now w3lib's canonical form (scraper/extract/urls.py), so the same article
    # linked percent-encoded and raw has one key. Two rows that now share a key are one
    # article: the one fetched last stays in ``articles``, the other becomes an earlier
    # version in ``article_versions`` (nothing is lost); their comments, links and
    # versions move to the shared key (a comment both hold is kept once).
    import json

    from scraper.extract.urls import canonicalize_url

    def changed(values: list[str | None]) -> dict[str, str]:
        out = {}
        for value in values:
            if value and canonicalize_url(value) != value:
                out[value] = canonicalize_url(value)
        return out

    columns = [c.name for c in db["articles"].columns]
    rows = [dict(zip(columns, r, strict=True)) for r in db.execute("SELECT * FROM articles")]
    groups: dict[str, list[dict[str, object]]] = {}
    for row in rows:
        groups.setdefault(canonicalize_url(str(row["canonical_url"])), []).append(row)
    now = db.execute("SELECT strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')").fetchone()[0]
    losers: list[str] = []
    for key, group in groups.items():
        group.sort(key=lambda r: (str(r.get("fetched_at") or ""), r["canonical_url"] == key))
        for loser in group[:-1]:
            losers.append(str(loser["canonical_url"]))
            db["article_versions"].insert(
                {
                    "canonical_url": group[-1]["canonical_url"],
                    "snapshot": json.dumps(loser, ensure_ascii=False),
                    "content_hash": loser["content_hash"],
                    "fetched_at": loser.get("fetched_at"),
                    "replaced_at": now,
                    "changed_fields": json.dumps(["canonical_url"]),
                    "chars_added": 0,
                    "chars_removed": 0,
                    "crawl_id": None,
                }
            )
    # rows move between keys before their articles row does: checked at commit
    db.execute("PRAGMA defer_foreign_keys = ON")
    article_keys = changed([str(r["canonical_url"]) for r in rows])
    for table, column in (
        ("comments", "article_url"),
        ("links", "from_url"),
        ("article_versions", "canonical_url"),
    ):
        _rekey(db, table, column, article_keys)
    for loser_key in losers:  # its state is in article_versions, its children moved
        db.execute("DELETE FROM articles WHERE canonical_url = ?", [loser_key])
    _rekey(db, "articles", "canonical_url", article_keys)
    # the chain joins on links.to_url; articles.prev_url/next_url stay as the page gave them
    values = [r[0] for r in db.execute("SELECT DISTINCT to_url FROM links")]
    for old, new in changed(values).items():
        db.execute("UPDATE links SET to_url = ? WHERE to_url = ?", [new, old])
    for table, column in (("frontier", "key"), ("fetch_state", "url")):
        values = [r[0] for r in db.execute(f"SELECT [{column}] FROM [{table}]")]
        _rekey(db, table, column, changed(values))
