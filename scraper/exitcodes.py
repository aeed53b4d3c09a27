"""Exit statuses of ``scrapy crawl articles`` beyond Scrapy's own (0: the crawl ran; 1: it
could not start, e.g. a bad ``-a`` argument), from sysexits.h so that schedulers and
wrappers understand them (docs/scheduling.md)."""

from __future__ import annotations

# EX_IOERR: the archive could not store everything the run fetched (disk full, the file
# turned read-only, another program's lock held too long). The crawl's row says so when
# it can be written; what was not stored is fetched again by the next run.
EXIT_ARCHIVE_FAILED = 74
# EX_TEMPFAIL, "try again later": another crawl holds the archive; the run made no request.
EXIT_LOCKED = 75
# The crawler stat through which the archive's pipeline asks for a non-zero exit status
# (read by the project's `crawl` command, scraper/commands/crawl.py).
EXIT_STATUS_STAT = "newsarchive/exit_status"
