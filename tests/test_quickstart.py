"""The README's quick start: its two commands, and ``newsarchive demo`` in a fresh folder."""

from __future__ import annotations

import os
import re
import shlex
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _quick_start() -> list[str]:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return block.group(1).strip().splitlines()


def test_readme_quick_start_is_two_commands_and_ci_runs_the_test_one() -> None:
    install_demo, install_test = _quick_start()
    assert install_demo.endswith("newsarchive demo")
    assert install_test.endswith("python -m pytest")
    assert install_test in (REPO / ".ci" / "run").read_text("utf-8").splitlines()


def test_demo_in_a_fresh_folder(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "newsarchive"
    assert script.exists(), "the package is installed (pip install -e .) with its script"
    # Run as the quick start does: `.venv/bin/newsarchive demo`, the venv's folder not on PATH.
    (tmp_path / ".venv").symlink_to(script.parent.parent, target_is_directory=True)
    env = {**os.environ, "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [".venv/bin/newsarchive", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert re.search(r"Archived 36 articles, \d+ comments and 70 prev/next links", result.stdout)
    # Its suggestions paste as they are, from where the quick start leaves you.
    suggested = [line.strip() for line in result.stdout.split("Try:\n", 1)[1].splitlines()]
    commands = [line for line in suggested if line.startswith(".venv/bin/newsarchive ")]
    assert [shlex.split(c)[1] for c in commands] == ["query", "search", "stats", "serve"]
    for command in commands[:3]:
        done = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and done.stdout.strip(), (command, done.stderr)
    again = subprocess.run(
        [str(script), "demo"], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert again.returncode == 0, again.stderr
    conn = sqlite3.connect(tmp_path / "archive.db")
    try:
        # The demo serves on a fixed port, so the second run finds the same articles.
        assert conn.execute("select count(*) from articles").fetchone() == (36,)
        rows = conn.execute("select articles_new, articles_updated from crawls").fetchall()
        assert rows == [(36, 0), (0, 0)]
        assert conn.execute("select count(*) from comments").fetchone()[0] > 200
    finally:
        conn.close()
    # The commands it suggests work on what it made.
    shown = subprocess.run(
        [str(script), "stats"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0 and "36" in shown.stdout
