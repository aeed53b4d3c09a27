"""Run the real ``scrapy crawl articles`` command in a subprocess, as a user would."""

from __future__ import annotations

import subprocess
from pathlib import Path

from archive.demo import LOCAL_SETTINGS
from archive.demo import run_crawl as _run_crawl


def run_crawl(
    start_url: str,
    db: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl articles -a start_url=… -a ARG…`` with local-server settings."""
    spider_args = dict(arg.split("=", 1) for arg in args)
    return _run_crawl(
        start_url,
        db,
        spider_args,
        {**LOCAL_SETTINGS, "LOG_LEVEL": "INFO", **(settings or {})},
        timeout=timeout,
    )
