"""A real Waline server (``@waline/vercel`` from npm, run by node) on 127.0.0.1 with a
SQLite database, for the Waline adapter's end-to-end test.

The server is installed by ``npm install --prefix .waline @waline/vercel`` (or where
``NEWSARCHIVE_WALINE`` points; ``.ci/run`` installs it there, its ``sqlite3`` linked against
Debian's libsqlite3); :func:`waline_available` says whether it is. The database
is created with the tables of Waline's ``assets/waline.sqlite.sql`` and the comments are
written into it directly (Waline's own POST API limits one comment a minute per address
and checks spam); the server reads them back through its own ``getCommentList``. Every
Waline request first asks ``OAUTH_URL`` (a host on the internet by default) for its OAuth
services: a local JSON server answers it with none.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.generated_sites import free_port
from tests.widget_servers import SeededThread, json_server

WALINE_DIR = Path(
    os.environ.get("NEWSARCHIVE_WALINE", Path(__file__).resolve().parents[1] / ".waline")
)
VANILLA = WALINE_DIR / "node_modules" / "@waline" / "vercel" / "vanilla.js"

# Waline's SQLite tables (assets/waline.sqlite.sql), the two the server reads here
_SCHEMA = """
CREATE TABLE IF NOT EXISTS "wl_Comment" (
  "id" INTEGER, "user_id" INTEGER, "comment" TEXT,
  "insertedAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  "ip" TEXT, "link" TEXT, "mail" TEXT, "nick" TEXT, "rid" INTEGER, "pid" INTEGER,
  "sticky" NUMERIC, "status" TEXT NOT NULL, "like" INTEGER, "ua" TEXT, "url" TEXT,
  "createdAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  "updatedAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  PRIMARY KEY("id" AUTOINCREMENT)
);
CREATE TABLE IF NOT EXISTS "wl_Counter" (
  "id" INTEGER, "time" INTEGER, "reaction0" INTEGER, "reaction1" INTEGER,
  "reaction2" INTEGER, "reaction3" INTEGER, "reaction4" INTEGER, "reaction5" INTEGER,
  "reaction6" INTEGER, "reaction7" INTEGER, "reaction8" INTEGER, "url" TEXT,
  "createdAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  "updatedAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  PRIMARY KEY("id" AUTOINCREMENT)
);
CREATE TABLE IF NOT EXISTS "wl_Users" (
  "id" INTEGER, "display_name" TEXT NOT NULL DEFAULT "", "email" TEXT NOT NULL DEFAULT "",
  "password" TEXT NOT NULL DEFAULT "", "type" TEXT NOT NULL DEFAULT "", "label" TEXT,
  "github" TEXT, "twitter" TEXT, "facebook" TEXT, "google" TEXT, "weibo" TEXT, "qq" TEXT,
  "oidc" TEXT, "huawei" TEXT, "2fa" TEXT, "avatar" TEXT, "url" TEXT,
  "createdAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  "updatedAt" DATETIME DEFAULT (datetime('now', 'localtime')),
  PRIMARY KEY("id" AUTOINCREMENT)
);
"""


def waline_available() -> bool:
    return VANILLA.exists() and shutil.which("node") is not None


@dataclass
class WalineServer:
    base: str  # http://127.0.0.1:PORT/ (the serverURL, with its slash)
    db: Path
    process: subprocess.Popen[bytes]


def write_database(db: Path, threads: list[SeededThread], markdown: dict[str, str]) -> None:
    """Every thread's comments as Waline stores them: ``rid`` the top-level comment,
    ``pid`` the comment replied to, ``insertedAt`` in UTC (the server runs with TZ=UTC),
    ``comment`` the Markdown the commenter wrote (``markdown`` by comment id)."""
    conn = sqlite3.connect(db)
    try:
        conn.executescript(_SCHEMA)
        for thread in threads:
            by_id = {c.id: c for c in thread.comments}
            for c in sorted(thread.comments, key=lambda c: int(c.id)):
                root = c
                while root.parent is not None:
                    root = by_id[root.parent]
                conn.execute(
                    "INSERT INTO wl_Comment (id, comment, insertedAt, ip, link, mail, nick, rid, "
                    'pid, sticky, status, "like", ua, url, createdAt, updatedAt) '
                    "VALUES (?, ?, ?, '127.0.0.1', ?, ?, ?, ?, ?, 0, 'approved', 0, ?, ?, ?, ?)",
                    [
                        int(c.id),
                        markdown[c.id],
                        c.created.strftime("%Y-%m-%d %H:%M:%S"),
                        c.website or "",
                        f"{(c.author or 'anon').split()[0].lower()}@example.org",
                        c.author,
                        None if c.parent is None else int(root.id),
                        None if c.parent is None else int(c.parent),
                        "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
                        thread.key,
                        c.created.strftime("%Y-%m-%d %H:%M:%S"),
                        c.created.strftime("%Y-%m-%d %H:%M:%S"),
                    ],
                )
        conn.commit()
    finally:
        conn.close()


@contextmanager
def waline_server(
    tmp: Path, threads: list[SeededThread], markdown: dict[str, str]
) -> Iterator[WalineServer]:
    """``node vanilla.js PORT`` with SQLite storage in ``tmp`` holding ``threads``, until
    the block ends."""
    with json_server(_no_oauth) as oauth:
        yield from _run(tmp, threads, markdown, oauth.base)


def _no_oauth(method: str, path: str, query: dict[str, str], body: bytes) -> tuple[int, object]:
    """The OAuth service list every Waline request asks for first (OAUTH_URL, by default
    a host on the internet): none."""
    return 200, {"services": []}


def _run(
    tmp: Path, threads: list[SeededThread], markdown: dict[str, str], oauth_url: str
) -> Iterator[WalineServer]:
    port = free_port()
    folder = tmp / "waline-db"
    folder.mkdir(exist_ok=True)
    db = folder / "waline.sqlite"
    write_database(db, threads, markdown)
    env = {
        **os.environ,
        "SQLITE_PATH": str(folder),
        "SQLITE_DB": "waline",
        "JWT_TOKEN": "newsarchive-tests",
        "TZ": "UTC",
        "DISABLE_REGION": "true",
        "DISABLE_USERAGENT": "true",
        "AKISMET_KEY": "false",
        "OAUTH_URL": oauth_url,
    }
    log = (tmp / "waline.log").open("wb")
    process = subprocess.Popen(
        ["node", str(VANILLA), str(port)],
        cwd=str(WALINE_DIR),
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its cluster worker goes with it (killpg below)
    )
    server = WalineServer(f"http://127.0.0.1:{port}/", db, process)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"{server.base}api/comment?path=%2F&pageSize=1&page=1"
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"waline did not start: {(tmp / 'waline.log').read_text()}")
            time.sleep(0.2)
        yield server
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)  # the server's own process group
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a worker left behind
        process.wait(timeout=10)
        log.close()
