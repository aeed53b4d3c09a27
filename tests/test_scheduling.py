"""docs/scheduling.md works as written: the cron line, the systemd unit files, the Scrapyd
``scrapy.cfg``, and the documented command run twice against the demo site."""

from __future__ import annotations

import configparser
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from archive.demo import LOCAL_SETTINGS, crawl_env
from scraper.demosite import DemoServer, build_site

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "scheduling.md").read_text("utf-8")
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", DOC, re.DOTALL)
SITE = build_site(24)


def _block(lang: str, first_line: str | None = None) -> str:
    for kind, text in BLOCKS:
        if kind == lang and (first_line is None or text.startswith(first_line)):
            return text
    raise AssertionError(f"no {lang} block {first_line or ''} in docs/scheduling.md")


def _command() -> list[str]:
    (line,) = [
        line
        for line in _block("sh").splitlines()
        if line.startswith("scrapy crawl articles") and "incremental=1" in line
    ]
    return shlex.split(line)


def _unit(name: str) -> str:
    return _block("ini", f"# /etc/systemd/system/{name}\n")


def _ini(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_cron_line() -> None:
    (line,) = [x for x in _block("cron").splitlines() if x and not x.startswith("#")]
    minute, hour, day, month, weekday, command = line.split(maxsplit=5)
    assert (minute, hour, day, month, weekday) == ("17", "*", "*", "*", "*")
    assert "scrapy crawl articles" in command and "incremental=1" in command
    documented = " ".join(_command()[2:])
    assert " ".join(shlex.split(command.split("scrapy", 1)[1].split(">>")[0])[1:]).startswith(
        documented
    )


def test_unit_files_are_consistent() -> None:
    service = _ini(_unit("newsarchive-crawl.service"))
    timer = _ini(_unit("newsarchive-crawl.timer"))
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["SuccessExitStatus"] == "75"
    assert "incremental=1" in service["Service"]["ExecStart"]
    assert timer["Timer"]["Unit"] == "newsarchive-crawl.service"
    assert timer["Timer"]["OnCalendar"] == "hourly"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_unit_files_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing: .ci/run installs systemd")
        pytest.skip("systemd-analyze not installed (the structure is checked above)")
    scrapy = Path(sys.executable).parent / "scrapy"
    if not scrapy.exists():
        scrapy = Path(shutil.which("scrapy") or "/usr/bin/env")
    for name in ("newsarchive-crawl.service", "newsarchive-crawl.timer"):
        text = (
            _unit(name)
            .replace("/opt/newsarchive/.venv/bin/scrapy", str(scrapy))
            .replace("/opt/newsarchive", str(ROOT))
        )
        (tmp_path / name).write_text(text, "utf-8")
    result = subprocess.run(
        [analyze, "verify", "--man=no", "newsarchive-crawl.service", "newsarchive-crawl.timer"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        # Containers without systemd as PID 1 say so; that is about the host, not the files.
        if line.strip() and "newsarchive-crawl" in line
    ]
    assert result.returncode == 0 and not problems, result.stdout + result.stderr


def test_scrapy_cfg_for_scrapyd() -> None:
    documented = _ini(_block("ini", "# scrapy.cfg\n"))
    assert documented["deploy"]["url"].startswith("http://")
    project = _ini((ROOT / "scrapy.cfg").read_text("utf-8"))
    assert project["settings"]["default"] == "scraper.settings"
    assert project["deploy"]["project"] == documented["deploy"]["project"] == "newsarchive"


def test_the_documented_command_twice(tmp_path: Path) -> None:
    """The second run of the scheduled command costs a fraction of the first."""
    db = tmp_path / "news.db"
    counts = []
    with DemoServer(SITE) as server:
        for _ in range(2):
            server.clear_requests()
            command = [
                arg.replace("https://news.example.org/", server.url + "/")
                .replace("/var/lib/newsarchive/news.db", str(db))
                .replace("you@example.org", "tests@example.org")
                for arg in _command()
            ]
            for name, value in LOCAL_SETTINGS.items():
                command += ["-s", f"{name}={value}"]
            subprocess.run(
                [sys.executable, "-m", *command],
                cwd=ROOT,
                env=crawl_env(),
                capture_output=True,
                text=True,
                check=True,
                timeout=300,
            )
            counts.append(len(server.requests))
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute(
            "select requests_sent, articles_new, articles_not_modified, status from crawls"
            " order by id"
        ).fetchall()
    finally:
        conn.close()
    first, second = rows
    print(f"first run: {counts[0]} requests, second run: {counts[1]} requests")
    assert [r[0] for r in rows] == counts
    assert (first[1], first[3]) == (len(SITE.articles), "finished")
    assert (second[1], second[3]) == (0, "finished")
    assert counts[1] < counts[0] / 3
