"""Opening an archive: read-write (migrations applied) or read-only (``mode=ro``, or
``immutable=1`` where the archive's directory or file cannot be written)."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

from sqlite_utils import Database

from archive.migrations import MIGRATION_SET, migrations

# How long a connection waits for another writer's lock before giving up.
BUSY_TIMEOUT_MS = 5000


class ArchiveError(Exception):
    """Something is wrong with an archive or a request against it; ``str()`` is one line."""


class ArchiveNotFound(ArchiveError):
    """The archive file does not exist."""


class NotAnArchive(ArchiveError):
    """The file exists but is not a newsarchive archive."""


_write_locks: dict[str, threading.RLock] = {}
_write_locks_guard = threading.Lock()


def write_lock(path: str | Path) -> threading.RLock:
    """This process's lock for write transactions on the archive at ``path``.

    A crawl writes one archive from two threads (the frontier on the crawl's own thread,
    everything else on the writer's, :mod:`archive.writer_thread`), each on its own
    connection. Holding this lock around each write transaction makes one thread wait for
    the other's commit directly, instead of through SQLite's busy handler, which sleeps
    in steps of 1 to 100 ms. Other processes are still kept out by SQLite's own locking."""
    key = os.path.realpath(path)
    with _write_locks_guard:
        lock = _write_locks.get(key)
        if lock is None:
            lock = _write_locks[key] = threading.RLock()
        return lock


def open_archive(path: str | Path) -> Database:
    """Open (creating if needed) the archive at ``path`` for writing: WAL journal
    (``synchronous = NORMAL``), foreign keys enforced, a busy timeout, and every pending
    migration applied."""
    path = Path(path)
    if path.is_dir():
        raise ArchiveError(f"archive path is a directory: {path}")
    blocking = next((p for p in path.parents if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        raise ArchiveError(f"cannot create archive: {path} ({blocking} is not a folder)")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ArchiveError(
            f"cannot create the archive's folder {path.parent}: {exc.strerror or exc}"
        ) from None
    db = Database(path)
    try:
        _configure(db.conn)
        if not migrations.applied(db) and db.table_names():
            # Never write our schema into somebody else's database.
            raise NotAnArchive(f"not a newsarchive archive: {path}")
        db.enable_wal()
        # In WAL mode NORMAL syncs at checkpoints, not at every commit: a committed
        # transaction survives the process being killed (the crash-safety the crawl
        # needs); only a power cut can lose the last few.
        db.conn.execute("PRAGMA synchronous = NORMAL")
        migrations.apply(db)
    except sqlite3.Error as exc:
        db.close()
        raise sqlite_failure(path, exc, writing=True) from exc
    except NotAnArchive:
        db.close()
        raise
    return db


def sqlite_failure(path: str | Path, exc: sqlite3.Error, *, writing: bool = False) -> ArchiveError:
    """The one-line :class:`ArchiveError` for SQLite's ``exc`` on the archive at ``path``,
    told apart by its error code: not a database (:class:`NotAnArchive`), damaged,
    read-only, cannot be opened, locked by another connection, disk full, I/O error.
    ``writing``: the archive was being opened or changed, not only read."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    detail = " ".join(str(exc).split())
    if name.startswith("SQLITE_NOTADB"):
        return NotAnArchive(f"not a newsarchive archive: {path} ({detail})")
    if name.startswith("SQLITE_CORRUPT"):
        return ArchiveError(f"archive is damaged: {path} ({detail})")
    if name.startswith("SQLITE_READONLY"):
        return ArchiveError(
            f"cannot write archive: {path} is read-only (its file, folder or medium; "
            "the reading commands still work)"
        )
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return ArchiveError(
            f"archive is locked: {path} (another connection held it for "
            f"{BUSY_TIMEOUT_MS / 1000:g} s; try again when it is done)"
        )
    if name.startswith(("SQLITE_PERM", "SQLITE_AUTH")):
        verb = "write" if writing else "read"
        return ArchiveError(f"cannot {verb} archive: {path} (permission denied)")
    if name.startswith("SQLITE_FULL"):
        return ArchiveError(f"cannot write archive: {path} (the disk is full)")
    if name.startswith("SQLITE_CANTOPEN"):
        if writing:
            return ArchiveError(
                f"cannot write archive: {path} (SQLite cannot open it, or create its -wal "
                "and -shm files beside it, for writing: the file or its folder is read-only)"
            )
        return ArchiveError(f"cannot open archive: {path} ({detail})")
    if name.startswith("SQLITE_IOERR"):
        return ArchiveError(f"cannot {'write' if writing else 'read'} archive: {path} ({detail})")
    return ArchiveError(f"archive error: {path} ({detail})")


def open_readonly(path: str | Path) -> Database:
    """Open an existing archive read-only (a ``file:PATH?mode=ro`` URI connection).

    An archive that SQLite cannot open that way because it cannot create the
    write-ahead log's index file (``PATH-shm``) beside it (a read-only directory or
    medium, an immutable file) is opened with ``immutable=1`` instead, when no
    write-ahead log holds committed data that would then be missed.

    Raises :class:`ArchiveNotFound` if there is no such file, :class:`NotAnArchive` if it
    is not a newsarchive archive, and :class:`ArchiveError` if it cannot be read.
    """
    return Database(_connect_readonly(Path(path))[0])


def needs_immutable(path: str | Path) -> bool:
    """Whether the archive at ``path`` can only be read as an immutable file (see
    :func:`open_readonly`, which raises the same errors)."""
    conn, immutable = _connect_readonly(Path(path))
    conn.close()
    return immutable


def _connect_readonly(path: Path) -> tuple[sqlite3.Connection, bool]:
    if not path.exists():
        raise ArchiveNotFound(f"archive not found: {path}")
    if not path.is_file():
        raise NotAnArchive(f"not a newsarchive archive (not a file): {path}")
    if not os.access(path, os.R_OK):
        raise ArchiveError(f"cannot read archive: {path} (permission denied)")
    try:
        return _probe(path, immutable=False), False
    except sqlite3.Error as exc:
        if getattr(exc, "sqlite_errorname", "") != "SQLITE_CANTOPEN":
            raise sqlite_failure(path, exc) from exc
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise ArchiveError(
                f"cannot read archive: {path} (its write-ahead log {wal.name} holds "
                f"changes, and {path.name}-shm cannot be opened or created beside it)"
            ) from exc
    try:
        return _probe(path, immutable=True), True
    except sqlite3.Error as exc:
        raise sqlite_failure(path, exc) from exc


def _probe(path: str | Path, *, immutable: bool) -> sqlite3.Connection:
    """A read-only connection to ``path`` once it is known to hold our migrations;
    :class:`NotAnArchive` if it does not, ``sqlite3.Error`` if SQLite cannot read it."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    conn = sqlite3.connect(uri, uri=True)
    try:
        _configure(conn)
        applied = conn.execute(
            f"SELECT count(*) FROM {migrations.migrations_table} WHERE migration_set = ?",
            [MIGRATION_SET],
        ).fetchone()[0]
    except sqlite3.Error as exc:
        conn.close()
        if getattr(exc, "sqlite_errorname", "") == "SQLITE_ERROR":  # no migrations table
            raise NotAnArchive(f"not a newsarchive archive: {path}") from exc
        raise
    if not applied:
        conn.close()
        raise NotAnArchive(f"not a newsarchive archive: {path}")
    return conn


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
