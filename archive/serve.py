"""``newsarchive serve``: Datasette on the archive, read-only, with our metadata (titles,
descriptions of every table and column) and stored queries with named parameters.

Datasette opens a mutable database file with a ``mode=ro`` URI, so it never writes and
keeps serving while a crawl writes (the archive is in WAL mode). An archive that cannot
be opened that way (a read-only directory or an immutable file) is served immutable.
"""

from __future__ import annotations

import errno
import json
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib.resources import files
from pathlib import Path
from typing import Any

from archive.db import ArchiveError, needs_immutable

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8001
METADATA_FILE = "datasette_metadata.json"
# Datasette settings: a little more time for FTS queries over a large archive.
DATASETTE_SETTINGS = {"sql_time_limit_ms": "3000", "max_returned_rows": "2000"}


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives the database: the file name without its extension."""
    return Path(db_path).stem


def datasette_metadata(db_path: str | Path) -> dict[str, Any]:
    """Our metadata with its database section under this archive's name."""
    metadata = json.loads(files("archive").joinpath(METADATA_FILE).read_text("utf-8"))
    metadata["databases"] = {database_name(db_path): metadata["databases"]["*"]}
    return metadata


def datasette_command(
    db_path: str | Path, metadata_path: Path, host: str, port: int, *, immutable: bool = False
) -> list[str]:
    """Datasette's command line; ``immutable``: the archive is served as an immutable
    file (``-i``), for one whose directory or file cannot be written."""
    cmd = [sys.executable, "-m", "datasette", "serve"]
    cmd += ["-i", str(db_path)] if immutable else [str(db_path)]
    cmd += ["--metadata", str(metadata_path), "--host", host, "--port", str(port)]
    for name, value in DATASETTE_SETTINGS.items():
        cmd += ["--setting", name, value]
    return cmd


class CannotServe(ArchiveError):
    """The address to serve on cannot be used (a port taken, an unknown host); one line."""


def listen_check(host: str, port: int) -> int:
    """The port Datasette will listen on at ``host``: ``port``, or a free one for 0.
    Binds a socket there the way Datasette's server does (``SO_REUSEADDR``) and closes
    it; raises :class:`CannotServe` naming the address if it cannot be bound."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise CannotServe(f"cannot serve on {host}: unknown host ({exc})") from None
    with socket.socket(family, kind, proto) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(address)
        except OSError as exc:
            where = f"{host}:{port}"
            if exc.errno == errno.EADDRINUSE:
                raise CannotServe(
                    f"cannot serve on {where}: port {port} is in use (give another with --port)"
                ) from None
            if exc.errno == errno.EACCES:
                raise CannotServe(f"cannot serve on {where}: permission denied") from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise CannotServe(
                    f"cannot serve on {where}: {host} is not an address of this machine"
                ) from None
            raise CannotServe(f"cannot serve on {where}: {exc.strerror or exc}") from None
        return int(sock.getsockname()[1])


def serve_url(db_path: str | Path, host: str, port: int) -> str:
    """Where the archive's database page is served."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/{database_name(db_path)}"


def serve(
    db_path: str | Path,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    announce: Callable[[str], object] | None = None,
) -> int:
    """Run Datasette on the archive until interrupted; return its exit code.

    The archive and the address are checked first: :class:`archive.db.ArchiveError` if
    ``db_path`` is not a readable archive, :class:`CannotServe` if ``host:port`` cannot
    be listened on (port 0: a free port is picked). Only then ``announce`` is called with
    the URL it will serve at."""
    immutable = needs_immutable(db_path)
    port = listen_check(host, port)
    if announce is not None:
        announce(serve_url(db_path, host, port))
    with tempfile.TemporaryDirectory(prefix="newsarchive-serve-") as tmp:
        metadata_path = Path(tmp) / "metadata.json"
        metadata_path.write_text(
            json.dumps(datasette_metadata(db_path), ensure_ascii=False), "utf-8"
        )
        process = subprocess.Popen(
            datasette_command(db_path, metadata_path, host, port, immutable=immutable)
        )
        # Stopped by a signal (Ctrl-C, or SIGTERM from a service manager): stop Datasette
        # too, and remove the metadata file.
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            return process.wait()
        finally:
            signal.signal(signal.SIGTERM, previous)
            if process.poll() is None:
                process.kill()
                process.wait()


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
