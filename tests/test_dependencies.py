"""Every dependency pyproject.toml declares for the package is imported by it (or run as
``python -m MODULE``, as Datasette is)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Distribution name -> the module the code imports.
MODULES = {
    "scrapy": "scrapy",
    "lxml": "lxml",
    "sqlite-utils": "sqlite_utils",
    "click": "click",
    "w3lib": "w3lib",
    "cssselect": "cssselect",
    "zstandard": "zstandard",
    "warcio": "warcio",
    "datasette": "datasette",
    "nh3": "nh3",
    "tabulate": "tabulate",
}


def test_every_declared_dependency_is_imported() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = [re.split(r"[<>=!~\[; ]", d, maxsplit=1)[0].lower() for d in project["dependencies"]]
    unknown = [n for n in names if n not in MODULES]
    assert not unknown, f"say which module these provide: {unknown}"
    source = "\n".join(
        path.read_text("utf-8")
        for package in ("scraper", "archive")
        for path in (ROOT / package).rglob("*.py")
    )
    unused = [
        n
        for n in names
        if not re.search(rf"^\s*(?:from|import) {MODULES[n]}\b", source, re.M)
        and f'"-m", "{MODULES[n]}"' not in source
    ]
    assert not unused, f"declared, never imported: {unused}"
