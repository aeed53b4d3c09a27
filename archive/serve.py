"""``newsarchive serve``: Datasette on the archive, read-only, with our metadata (titles,
descriptions of every table and column) and stored queries with named parameters.

Datasette opens a mutable database file with a ``mode=ro`` URI, so it never writes and
keeps serving while a crawl writes (the archive is in WAL mode). An archive that cannot
be opened that way (a read-only directory or an immutable file) is served immutable.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
from importlib.resources import files
from pathlib import Path
from typing import Any

from archive.db import needs_immutable

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


def serve(db_path: str | Path, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Run Datasette on the archive until interrupted; return its exit code. Raises
    :class:`archive.db.ArchiveError` if ``db_path`` is not an archive."""
    immutable = needs_immutable(db_path)
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
