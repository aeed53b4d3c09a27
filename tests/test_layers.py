"""The import contracts of ``pyproject.toml`` ([tool.importlinter], docs/architecture.md):
``archive`` may import ``scraper``, never the reverse; extraction imports no crawl, network
or database code; the model imports nothing of the project. Checked with import-linter on
the code as it is, and shown to fail on a copy with one reverse import added."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT = [
    sys.executable,
    "-c",
    "from importlinter.cli import lint_imports_command; lint_imports_command()",
]


def _lint(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*LINT, "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_import_contracts_hold() -> None:
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "4 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("scraper/crawlplan.py", "import archive.db", "scraper never imports archive"),
        ("scraper/extract/dates.py", "import sqlite3", "clean room"),
        ("scraper/items.py", "import scraper.extract", "the model"),
        ("scraper/decisions.py", "import sqlite3", "decisions are pure"),
        ("scraper/decisions.py", "import scrapy", "decisions are pure"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, line: str, contract: str
) -> None:
    for package in ("scraper", "archive"):
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    with (tmp_path / module).open("a", encoding="utf-8") as f:
        f.write(f"\n{line}  # noqa\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    broken = [row for row in result.stdout.splitlines() if row.endswith("BROKEN")]
    assert len(broken) == 1 and contract in broken[0], result.stdout[-3000:]
