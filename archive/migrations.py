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
