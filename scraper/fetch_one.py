"""One page fetched as the crawl fetches it, for ``newsarchive extract URL``: through
Scrapy with the project's settings, so robots.txt is obeyed, the User-Agent names the
project (and ``ARCHIVE_CONTACT``), ``DOWNLOAD_MAXSIZE`` caps the body, and redirects,
retries and compression work as in a crawl. Nothing is archived (no item pipeline).

Scrapy's reactor starts once per process, so :func:`fetch_page` runs the fetch in a child
process (``python -m scraper.fetch_one URL OUT``) and reads what it wrote: one JSON line
(the final URL, status and headers, or the one-line error) and then the body's bytes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any

__all__ = ["FetchError", "FetchedPage", "fetch_page"]

# An interactive command: give up on a silent server sooner than a crawl does (180 s).
FETCH_TIMEOUT = 30
# The child's own start-up (Scrapy, the reactor) and retries on top of the fetch.
_CHILD_TIMEOUT = 5 * FETCH_TIMEOUT


class FetchError(RuntimeError):
    """The page could not be fetched (one line: refused by robots.txt, an HTTP error,
    too large, unreachable)."""


@dataclass
class FetchedPage:
    url: str  # after redirects
    status: int
    headers: list[tuple[str, str]]  # as sent, in order
    body: bytes

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (any case), or ``None``."""
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


def fetch_page(url: str, settings: Mapping[str, str] | None = None) -> FetchedPage:
    """``url`` fetched by Scrapy with the project's settings (``SCRAPY_SETTINGS_MODULE``,
    default ``scraper.settings``) and ``settings`` on top; raises :class:`FetchError`."""
    with tempfile.TemporaryDirectory(prefix="newsarchive-fetch-") as tmp:
        out = Path(tmp) / "page"
        command = [sys.executable, "-m", "scraper.fetch_one", url, str(out)]
        for name, value in (settings or {}).items():
            command += ["-s", f"{name}={value}"]
        try:
            child = subprocess.run(command, capture_output=True, text=True, timeout=_CHILD_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise FetchError(f"cannot fetch {url}: no answer in {_CHILD_TIMEOUT} s") from None
        if not out.exists():
            last = (child.stderr.strip().splitlines() or [f"exit status {child.returncode}"])[-1]
            raise FetchError(f"cannot fetch {url}: {last}")
        with out.open("rb") as f:
            meta = json.loads(f.readline())
            body = f.read()
    if meta.get("error"):
        raise FetchError(meta["error"])
    return FetchedPage(
        url=meta["url"],
        status=meta["status"],
        headers=[(k, v) for k, v in meta["headers"]],
        body=body,
    )


# -- the child process --------------------------------------------------------------------


def _reason(url: str, failure: Any) -> str:
    """A failed fetch in one line."""
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    if failure.check(HttpError):
        status = failure.value.response.status
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = ""
        return f"cannot fetch {url}: HTTP {status} {phrase}".rstrip()
    if failure.check(IgnoreRequest):
        return f"cannot fetch {url}: {failure.getErrorMessage() or 'request refused'}"
    message = failure.getErrorMessage() or failure.type.__name__
    return f"cannot fetch {url}: {message}"


def _write(out: Path, meta: dict[str, Any], body: bytes = b"") -> None:
    with out.open("wb") as f:
        f.write(json.dumps(meta).encode() + b"\n")
        f.write(body)


def _spider_class() -> type:
    import scrapy
    from scrapy.http import Response

    class OnePageSpider(scrapy.Spider):
        name = "fetch_one"

        def __init__(self, url: str, out: str, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.url, self.out = url, Path(out)

        async def start(self) -> AsyncIterator[Any]:
            yield scrapy.Request(self.url, self.got, errback=self.failed, dont_filter=True)

        def got(self, response: Response) -> None:
            headers = [
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, values in response.headers.items()
                for value in values
            ]
            meta = {"url": response.url, "status": response.status, "headers": headers}
            _write(self.out, meta, response.body)

        def failed(self, failure: Any) -> None:
            _write(self.out, {"error": _reason(self.url, failure)})

    return OnePageSpider


def main(argv: list[str]) -> int:
    import argparse

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    parser = argparse.ArgumentParser(prog="python -m scraper.fetch_one")
    parser.add_argument("url")
    parser.add_argument("out")
    parser.add_argument("-s", dest="settings", action="append", default=[], metavar="NAME=VALUE")
    opts = parser.parse_args(argv)
    settings = Settings()
    settings.setmodule(os.environ.get("SCRAPY_SETTINGS_MODULE", "scraper.settings"), "project")
    settings.setdict(
        {
            "ITEM_PIPELINES": {},  # nothing is archived
            "SPIDER_MODULES": [],
            "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "ERROR",
            "DOWNLOAD_TIMEOUT": FETCH_TIMEOUT,
            # AutoThrottle adapts a delay over many responses; for robots.txt and one page
            # it would only add its 1 s start delay. DOWNLOAD_DELAY still spaces the two.
            "AUTOTHROTTLE_ENABLED": False,
        },
        "cmdline",
    )
    for pair in opts.settings:
        name, _, value = pair.partition("=")
        settings.set(name, value, "cmdline")
    out = Path(opts.out)
    process = CrawlerProcess(settings, install_root_handler=True)
    process.crawl(_spider_class(), url=opts.url, out=opts.out)
    process.start()
    if not out.exists():
        _write(out, {"error": f"cannot fetch {opts.url}: no response"})
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
