"""One crawl at a time per archive: an exclusive ``flock`` on ``<archive>.lock``, keyed by
the archive's real path (symlinks resolved).

The kernel drops a ``flock`` when its process dies, however it dies (SIGKILL included), so
a killed crawl never leaves the archive locked. The lock file says who holds it (pid,
start time, command) so the refused run can say so in one line.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from scraper.planstore import EXIT_LOCKED, StoreBusy

__all__ = ["EXIT_LOCKED", "LOCK_FD_ENV", "ArchiveLock", "ArchiveLocked", "lock_path_for"]

# A process that holds an archive's lock and runs crawls into it one after another
# (``newsarchive crawl --sites``) passes its locked descriptor down and names it here:
# the crawl adopts that lock instead of taking a second one, which it could not.
LOCK_FD_ENV = "NEWSARCHIVE_LOCK_FD"


class ArchiveLocked(StoreBusy):
    """Another process is crawling into the same archive; ``str()`` is one line."""


def lock_path_for(db_path: str | os.PathLike[str]) -> Path:
    """``<db>.lock`` beside the archive's real file: an archive reached through a symlink
    (to the file or to a folder on its path) has the one lock of its target."""
    path = Path(os.path.realpath(db_path))
    return path.with_name(path.name + ".lock")


class ArchiveLock:
    """Hold ``<db>.lock`` exclusively while crawling into ``db``.

    ::

        with ArchiveLock("archive.db"):
            ...  # raises ArchiveLocked at once if another crawl holds it
    """

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self._fd: int | None = None
        self._adopted = False

    def _inherited(self) -> int | None:
        """The descriptor named by :data:`LOCK_FD_ENV`, when it is open on this archive's
        lock file (the parent holds the lock for us); None otherwise."""
        value = os.environ.get(LOCK_FD_ENV, "")
        if not value.isdigit():
            return None
        try:
            held, ours = os.fstat(int(value)), os.stat(self.path)
        except OSError:
            return None
        if (held.st_dev, held.st_ino) != (ours.st_dev, ours.st_ino):
            return None
        return int(value)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def fileno(self) -> int:
        """The locked descriptor (to pass to a child through :data:`LOCK_FD_ENV`)."""
        if self._fd is None:
            raise ValueError("the lock is not held")
        return self._fd

    def acquire(self) -> ArchiveLock:
        if self._fd is not None:
            return self
        inherited = self._inherited()
        if inherited is not None:
            self._fd, self._adopted = inherited, True
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            os.close(fd)
            raise ArchiveLocked(
                f"another crawl is writing {self.db_path} ({holder}); this run exits"
            ) from None
        except OSError:
            os.close(fd)
            raise
        info = {
            "pid": os.getpid(),
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(sys.argv),
        }
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(info).encode("utf-8") + b"\n", 0)
        self._fd = fd
        return self

    def release(self) -> None:
        """Unlock (the file stays: removing it could race with a new holder)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if self._adopted:  # the parent's lock: it stays held until the parent lets go
            self._adopted = False
            return
        try:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def __enter__(self) -> ArchiveLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def _read_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
    except (OSError, ValueError):
        info = {}
    if not info:
        return "holder unknown"
    return f"pid {info.get('pid')}, since {info.get('started_at')}"
