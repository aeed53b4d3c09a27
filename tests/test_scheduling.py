"""docs/scheduling.md works as written: the cron line, the systemd unit files, the Scrapyd
``scrapy.cfg``, and the documented command run twice against the demo site."""

from __future__ import annotations

import configparser
import json
import os
import re
import shlex
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
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


def _sites_command() -> list[str]:
    """The documented ``newsarchive crawl --sites`` line."""
    (line,) = [
        line
        for kind, text in BLOCKS
        if kind == "sh"
        for line in text.splitlines()
        if line.startswith("newsarchive crawl --sites")
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
    assert command.startswith("cd /opt/newsarchive && .venv/bin/newsarchive crawl --sites ")
    documented = " ".join(_sites_command()[1:])
    run = command.split(".venv/bin/newsarchive", 1)[1].split(">>")[0]
    assert " ".join(shlex.split(run)).startswith(documented)


def test_unit_files_are_consistent() -> None:
    service = _ini(_unit("newsarchive-crawl.service"))
    timer = _ini(_unit("newsarchive-crawl.timer"))
    assert service["Service"]["Type"] == "oneshot"
    assert service["Service"]["SuccessExitStatus"] == "75"
    assert shlex.split(service["Service"]["ExecStart"])[1:] == [
        *_sites_command()[1:],
        "-s",
        "LOG_LEVEL=INFO",
    ]
    assert timer["Timer"]["Unit"] == "newsarchive-crawl.service"
    assert timer["Timer"]["OnCalendar"] == "hourly"
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_unit_files_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        if os.environ.get("CI"):
            pytest.fail("systemd-analyze is missing: .ci/run installs systemd")
        pytest.skip("systemd-analyze not installed (the structure is checked above)")
    program = Path(sys.executable).parent / "newsarchive"
    if not program.exists():
        program = Path(shutil.which("newsarchive") or "/usr/bin/env")
    for name in ("newsarchive-crawl.service", "newsarchive-crawl.timer"):
        text = (
            _unit(name)
            .replace("/opt/newsarchive/.venv/bin/newsarchive", str(program))
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


def test_the_documented_sites_file_twice(tmp_path: Path) -> None:
    """The documented sites.toml and `newsarchive crawl --sites` line, its two sites served
    by two demo sites: both archived into one archive, then the second run costs a
    fraction of the first; one summary line each."""
    sites_toml = _block("toml", "# /etc/newsarchive/sites.toml\n")
    db = tmp_path / "news.db"
    second_site = build_site(8, seed=3)
    requests, summaries = [], []
    with DemoServer(SITE) as one, DemoServer(second_site) as two:
        text = (
            sites_toml.replace("https://news.example.org/", one.url + "/")
            .replace("https://other.example.net/world/", two.url + second_site.articles[3].path)
            .replace("DOWNLOAD_DELAY = 2", "DOWNLOAD_DELAY = 0")
        )
        (tmp_path / "sites.toml").write_text(text, "utf-8")
        command = [
            arg.replace("/etc/newsarchive/sites.toml", str(tmp_path / "sites.toml"))
            .replace("/var/lib/newsarchive/news.db", str(db))
            .replace("you@example.org", "tests@example.org")
            for arg in _sites_command()[1:]
        ]
        for name, value in LOCAL_SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        for _ in range(2):
            one.clear_requests()
            two.clear_requests()
            result = subprocess.run(
                [sys.executable, "-m", "archive.cli", *command],
                cwd=tmp_path,
                env=crawl_env(),
                capture_output=True,
                text=True,
                timeout=300,
            )
            assert result.returncode == 0, result.stdout + result.stderr[-2000:]
            requests.append(len(one.requests) + len(two.requests))
            summaries.append(result.stdout.splitlines()[-1])
    total = len(SITE.articles) + len(second_site.articles)
    assert summaries[0].startswith(f"2 sites: {total} new, 0 updated")
    assert summaries[1].startswith("2 sites: 0 new, 0 updated")
    assert summaries[1].endswith(f"into {db}; exit status 0")
    assert requests[1] < requests[0] / 3


def _tool(name: str) -> str | None:
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get_json(url: str, data: dict[str, list[str]] | None = None) -> dict:  # type: ignore[type-arg]
    body = urllib.parse.urlencode(data, doseq=True).encode() if data else None
    with urllib.request.urlopen(url, data=body, timeout=30) as response:
        return json.loads(response.read())


def test_scrapyd_deploy_and_schedule(tmp_path: Path) -> None:
    """The Scrapyd recipe as written: scrapyd-deploy with the documented scrapy.cfg, then
    the documented schedule.json call, against a Scrapyd and the demo site on 127.0.0.1."""
    scrapyd, deploy = _tool("scrapyd"), _tool("scrapyd-deploy")
    if scrapyd is None or deploy is None:
        if os.environ.get("CI"):
            pytest.fail("scrapyd / scrapyd-client missing: they are in the test extra")
        pytest.skip("scrapyd and scrapyd-client are not installed (pip install -e '.[test]')")
    port = _free_port()
    project = tmp_path / "project"
    project.mkdir()
    for name in ("scraper", "archive"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    cfg = _block("ini", "# scrapy.cfg\n").replace(
        "http://localhost:6800/", f"http://127.0.0.1:{port}/"
    )
    (project / "scrapy.cfg").write_text(cfg, "utf-8")
    run = tmp_path / "scrapyd"
    run.mkdir()
    (run / "scrapyd.conf").write_text(
        f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = eggs\n"
        "logs_dir = logs\nitems_dir =\ndbs_dir = dbs\n",
        "utf-8",
    )
    server = subprocess.Popen(
        [scrapyd], cwd=run, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    db = tmp_path / "news.db"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _get_json(f"http://127.0.0.1:{port}/daemonstatus.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        deployed = subprocess.run(
            [deploy], cwd=project, capture_output=True, text=True, timeout=300
        )
        assert '"status": "ok"' in deployed.stdout, deployed.stdout + deployed.stderr
        (curl,) = [
            line
            for kind, text in BLOCKS
            if kind == "sh"
            for line in text.splitlines()
            if line.startswith("curl") and "schedule.json" in line
        ]
        words = shlex.split(curl)
        data: dict[str, list[str]] = {}
        for flag, pair in zip(words[2::2], words[3::2], strict=True):
            assert flag == "-d"
            key, value = pair.split("=", 1)
            data.setdefault(key, []).append(value)
        with DemoServer(SITE) as site:
            data["start_url"] = [site.url + "/"]
            data["setting"] = [
                s.replace("/var/lib/newsarchive/news.db", str(db)) for s in data["setting"]
            ] + [f"{k}={v}" for k, v in LOCAL_SETTINGS.items()]
            job = _get_json(f"http://127.0.0.1:{port}/schedule.json", data)
            assert job["status"] == "ok", job
            deadline = time.monotonic() + 180
            while True:
                jobs = _get_json(f"http://127.0.0.1:{port}/listjobs.json?project=newsarchive")
                if any(j["id"] == job["jobid"] for j in jobs["finished"]):
                    break
                assert time.monotonic() < deadline, jobs
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)
    conn = sqlite3.connect(db)
    try:
        crawls = conn.execute("select status, spider, args from crawls").fetchall()
        articles = conn.execute("select count(*) from articles").fetchone()[0]
    finally:
        conn.close()
    assert [(status, spider) for status, spider, _ in crawls] == [("finished", "articles")]
    assert json.loads(crawls[0][2])["incremental"] == 1
    assert articles == len(SITE.articles)
