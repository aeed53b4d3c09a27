"""Scrapy settings for newsarchive. Each setting that differs from Scrapy's default says why.

Override any of them per run with ``scrapy crawl articles -s NAME=VALUE``.
"""

BOT_NAME = "newsarchive"
SPIDER_MODULES = ["scraper.spiders"]
NEWSPIDER_MODULE = "scraper.spiders"
# Scrapy's `crawl` with the archive's exit statuses (scraper/exitcodes.py).
COMMANDS_MODULE = "scraper.commands"

# Name the project, so site owners can tell who is crawling; fill in a contact with
# -s ARCHIVE_CONTACT=you@example.org (it is appended to the User-Agent).
USER_AGENT = "newsarchive/0.1 (news archiver; Scrapy)"
ARCHIVE_CONTACT = ""

# Politeness: obey robots.txt, one request at a time per site, AutoThrottle adapting the
# delay to the server's latency.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0.5
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# Scrapy parses robots.txt's Crawl-delay but never applies it; ours does (capped at
# ARCHIVE_MAX_CRAWL_DELAY seconds), and appends ARCHIVE_CONTACT to the User-Agent.
DOWNLOADER_MIDDLEWARES = {
    # Before robots.txt: a host the crawl must not visit is not asked for robots.txt either.
    "scraper.middlewares.CrawlHostsMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "scraper.middlewares.RobotsCrawlDelayMiddleware": 100,
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": None,
    "scraper.middlewares.ContactUserAgentMiddleware": 500,
}
ARCHIVE_MAX_CRAWL_DELAY = 60.0
# Retry what may recover (5xx, timeouts, dropped connections) twice, as Scrapy does;
# 404/410 are answers, not faults, and are never retried.
RETRY_TIMES = 2

# The one page cap, for the crawl and `newsarchive extract` (a URL or a file) alike: a page
# is buffered, decoded and parsed whole, and extraction peaks at about 25 times its size
# (a 30 MB page: 760 MB; `python bench/page_memory.py`, docs/benchmarks.md). The largest of
# 1,199 real pages in the test corpora is 5.3 MB: 32 MiB refuses no real page and keeps
# one page's extraction under about 0.8 GB.
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024

# Startup objects out of the garbage collector's sight, so that its full collections do
# not stall the crawl (scraper/extensions.py). ARCHIVE_GC_FREEZE = False turns it off.
EXTENSIONS = {"scraper.extensions.GcFreeze": 0, "scraper.progress.CrawlProgress": 0}
ARCHIVE_GC_FREEZE = True
# A progress line with rate and ETA when the crawl knows how many articles to expect
# (scraper/progress.py): in place on a terminal, in the log every LOGSTATS_INTERVAL.
ARCHIVE_PROGRESS = True

# Every article goes through the one write path into the archive (archive/pipeline.py,
# named here so that the Scrapy project never imports the archive package).
ITEM_PIPELINES = {"archive.pipeline.ArchivePipeline": 300}
# What the crawl plan reads and persists (lock, frontier, archived articles and links):
# any class with scraper.planstore.PlanStore's methods.
ARCHIVE_STORE = "archive.planstore.ArchiveStore"

# How long an article page's callback waits for its neighbour requests to reach the
# downloader before doing the page's heavy work (seconds; 0: no wait). The next hop of a
# prev/next chain then travels while this page is extracted (scraper/spiders/departures.py).
ARCHIVE_DEPARTURE_TIMEOUT = 0.01

# The SQLite archive (created on first use); relative paths are to the working directory.
ARCHIVE_DB = "archive.db"
# Articles written per transaction (at most: the writer also commits whenever it is idle).
ARCHIVE_BATCH_SIZE = 20
# Write the archive from a thread of its own, so that the crawl's event loop is free for
# the next response while SQLite works (archive/writer_thread.py). False: write inline.
ARCHIVE_WRITER_THREAD = True
# Keep every fetched response (status, headers, body zstd-compressed and stored once per
# digest) in the archive: the record `newsarchive reparse` and WARC export work from.
ARCHIVE_CAPTURES = True
# A folder of site profiles (*.toml, docs/profiles.md): each page uses the one whose
# `domains` hold its host; `-a profile=PATH` applies one profile to every page instead.
# Empty: generic extraction only. A broken profile stops the crawl before any request.
ARCHIVE_PROFILES = ""
# The built-in theme profiles (scraper/profiles/*.toml with a `detect` selector): on a
# page where one's selector matches, generic extraction also reads that theme's markup
# (its `[generic]` table). False: generic extraction knows WordPress core markup only.
ARCHIVE_THEME_PROFILES = True

# Incremental runs (the default; -a incremental=0 turns them off): how often to look at an archived article again, by
# its age (scraper/schedule.py): younger than a day every run, a week daily, a month
# weekly, older every 30 days.
ARCHIVE_REVISIT = "1d:0,7d:1d,30d:7d,*:30d"
# Pretend the crawl runs at this ISO 8601 instant (tests and benchmarks of the revisit
# schedule); empty: the clock.
ARCHIVE_NOW = ""

# Comment threads that only a script widget loads, read from the page rendered in a
# headless browser (scraper/render.py, docs/comments.md): "off", "auto" (pages with a
# detected widget no adapter reads) or "always" (every article page without comments).
# On, requests marked for the browser go through scrapy-playwright; the rest do not.
ARCHIVE_RENDER = "off"
# Debian's chromium (Playwright's own browsers are not needed).
ARCHIVE_RENDER_BROWSER = "/usr/bin/chromium"
# Milliseconds the browser waits for the page and for its thread to appear.
ARCHIVE_RENDER_TIMEOUT = 15000

# Disqus threads (scraper/extract/widgets/disqus.py, docs/comments.md): the embed's host
# when the page does not name it (tests point it at a local server), and a Disqus API
# application's public key for a thread's pages after the embed's first; empty: the
# first page only, and a longer thread is partial.
ARCHIVE_DISQUS_ORIGIN = "https://disqus.com"
ARCHIVE_DISQUS_API_KEY = ""

FEED_EXPORT_ENCODING = "utf-8"
