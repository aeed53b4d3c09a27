"""The one write path, run on a thread of its own for the crawl.

A crawl's event loop must stay free for the next response: a chain hop waits for the
page before it, and every millisecond the loop spends elsewhere when that page arrives
is added to the hop. Writing an article (its row, comments, links, versions and full-text
indexes) costs about a millisecond, a batch of them tens of milliseconds, most of it in
SQLite, which runs without Python's GIL. :class:`WriterThread` gives those writes to a
thread that owns an :class:`~archive.writer.ArchiveWriter` (and its connection): the
loop only queues them.

- Writes (:meth:`write_article`, :meth:`write_capture`, :meth:`mark_removed`,
  :meth:`note_fetch`) are queued and return at once; they are applied in the order they
  were queued, so a page's results are still committed before the note that settles
  its frontier entry.
- The thread commits every ``batch_size`` articles, and whenever no write has come for
  :data:`IDLE_COMMIT` seconds. The frontier, which writes on the crawl's own thread,
  waits for a commit in progress through :func:`archive.db.write_lock`, not through
  SQLite's busy handler (which sleeps in steps of up to 100 ms).
- :meth:`start_crawl`, :meth:`finish_crawl`, :meth:`abandon_running_crawls`,
  :meth:`flush` and :meth:`close` wait for everything queued before them and return
  the result, or raise the error.
- A queued write that fails is logged in one line (its traceback at DEBUG), and the error is raised again
  by the next of those calls, so that it is reported, not lost. Later writes go on being
  queued and written: raising there would blame (and drop) an innocent item.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from archive.captures import Capture
from archive.db import ArchiveError
from archive.writer import ArchiveWriter
from scraper.items import Article, FetchNote

logger = logging.getLogger(__name__)

_STOP = object()
# Seconds without a new write after which the thread commits what it holds. A busy crawl
# fills batches of ARCHIVE_BATCH_SIZE articles (committing each article alone cost 2-3 ms
# of CPU a page, measured like bench/hops.py at latency 0); a quiet one (politeness delays, the
# end of a walk) has its pages committed, and visible to readers, soon after they arrive.
IDLE_COMMIT = 0.1


class WriterThread:
    """An :class:`ArchiveWriter` on its own thread (see the module docstring)."""

    def __init__(self, path: str | Path, batch_size: int = 50) -> None:
        self.path = Path(path)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._closed = False
        opened: Future[ArchiveWriter] = Future()
        self._thread = threading.Thread(
            target=self._run, args=(batch_size, opened), name="archive-writer", daemon=True
        )
        self._thread.start()
        opened.result()  # the archive's errors (not an archive, a directory) are raised here

    # -- the thread -------------------------------------------------------------------

    def _run(self, batch_size: int, opened: Future[ArchiveWriter]) -> None:
        try:
            writer = ArchiveWriter(self.path, batch_size=batch_size)
        except BaseException as exc:
            opened.set_exception(exc)
            return
        opened.set_result(writer)
        while True:
            try:
                job = self._queue.get(timeout=IDLE_COMMIT if writer.buffered else None)
            except queue.Empty:  # idle for a while: commit what is buffered
                try:
                    writer.flush()
                except BaseException as exc:
                    logger.error("archive write failed (flush): %s", exc)
                    logger.debug("the failed write", exc_info=exc)
                    self._error = self._error or exc
                continue
            if job is _STOP:
                return
            name, args, done = job
            try:
                result = getattr(writer, name)(*args)
            except BaseException as exc:
                if done is not None:
                    done.set_exception(exc)
                else:
                    logger.error("archive write failed (%s): %s", name, exc)
                    logger.debug("the failed write", exc_info=exc)
                    self._error = self._error or exc
            else:
                if done is not None:
                    done.set_result(result)

    def _submit(self, name: str, *args: Any) -> None:
        """Queue a write. An earlier write's failure is not raised here: it would be
        reported against this item, which is still written."""
        self._check_open()
        self._queue.put((name, args, None))

    def _call(self, name: str, *args: Any) -> Any:
        self._check_open()
        done: Future[Any] = Future()
        self._queue.put((name, args, done))
        result = done.result()
        self._raise_pending()
        return result

    def _check_open(self) -> None:
        if self._closed:
            raise ArchiveError(f"the writer for {self.path} is closed")

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise ArchiveError(f"an earlier archive write failed: {error}") from error

    # -- ArchiveWriter's interface --------------------------------------------------------

    def start_crawl(self, spider: str, args: dict[str, Any], start_urls: list[str]) -> int:
        crawl_id: int = self._call("start_crawl", spider, args, start_urls)
        return crawl_id

    def finish_crawl(self, crawl_id: int, status: str, stats: dict[str, Any]) -> None:
        self._call("finish_crawl", crawl_id, status, stats)

    def abandon_running_crawls(self, current_id: int) -> list[int]:
        ids: list[int] = self._call("abandon_running_crawls", current_id)
        return ids

    def previous_crawl_id(self, current_id: int, spider: str) -> int | None:
        found: int | None = self._call("previous_crawl_id", current_id, spider)
        return found

    def write_article(self, article: Article, crawl_id: int | None = None) -> None:
        self._submit("write_article", article, crawl_id)

    def write_capture(self, capture: Capture) -> None:
        self._submit("write_capture", capture)

    def mark_removed(self, url: str, removed_at: str | None = None) -> None:
        self._submit("mark_removed", url, removed_at)

    def note_fetch(self, note: FetchNote, crawl_id: int | None = None) -> None:
        self._submit("note_fetch", note, crawl_id)

    def flush(self) -> None:
        """Wait until everything queued so far is committed."""
        self._call("flush")

    def close(self) -> None:
        """Commit everything queued, close the archive and end the thread. Safe to call
        twice; raises an error a queued write met."""
        if self._closed:
            return
        try:
            self._call("close")
        finally:
            self._closed = True
            self._queue.put(_STOP)
            self._thread.join()
