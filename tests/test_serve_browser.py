"""``newsarchive serve`` tested in a real browser: headless Chromium (Debian's, through
its chromedriver) against Datasette serving a crawled demo archive on 127.0.0.1.

CI installs chromium and chromium-driver (.ci/run); there a missing browser fails the
test. Elsewhere it is skipped when the browser is not installed.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from datasette.utils import tilde_encode

from archive.cli import cli
from archive.serve import datasette_metadata
from scraper.demosite.server import DemoServer
from tests.demo_archive import crawl, edit_article, small_site

EDITED = 5  # the known article: its headline and body change between the two crawls

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,1600",
)


def _browser_or_fail() -> None:
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not Path(p).exists()]
    if missing:
        message = (
            f"headless browser not installed ({', '.join(missing)}): "
            "apt-get install chromium chromium-driver (.ci/run does)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"newsarchive serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"newsarchive serve did not answer at {url}")


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, object]]]:
    """``newsarchive serve`` on a crawled demo archive; yields (base URL, a known article
    with its comments)."""
    db = tmp_path_factory.mktemp("serve") / "news.db"
    site = small_site()
    with DemoServer(site) as server:
        crawl(server, db)
        known = site.articles[EDITED]
        article = {
            "url": server.url + known.path,
            "headline": known.headline,
            "comments": [(c.author, c.text) for c in known.comments],
            "depths": [c.depth for c in known.comments],
        }
        # A second crawl after an edit: the article gets a second version (the headline
        # only: its body and thread stay as the first crawl found them).
        edit_article(server, EDITED, headline="A corrected headline")
        crawl(server, db, "full=1")
        article["headline"] = "A corrected headline"
        article["db"] = str(db)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "archive.cli", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/news.json", process)
        yield base, article
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _browser_or_fail()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def test_search_page_finds_a_known_article(served, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, article = served
    browser.get(f"{base}/news/articles")
    assert "articles" in browser.title
    box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
    # Two words of its headline, typed as a person would.
    words = [w for w in article["headline"].split() if len(w) > 4][:2]
    box.send_keys(" ".join(words))
    box.submit()
    assert "_search=" in browser.current_url
    rows = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert article["headline"] in rows
    assert "where search matches" in browser.title


def test_thread_query_shows_the_comments(served, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, article = served
    browser.get(f"{base}/news/article_thread?url={quote(article['url'], safe='')}")
    assert "An article with its comment thread" in browser.page_source
    table = browser.find_element(By.CSS_SELECTOR, "table.rows-and-columns").text
    assert article["headline"] in table
    assert article["comments"]
    for author, text in article["comments"]:
        assert author in table
        assert " ".join(text.split())[:60] in " ".join(table.split())
    shots = os.environ.get("NEWSARCHIVE_SCREENSHOTS")
    if shots:  # to look at the page: NEWSARCHIVE_SCREENSHOTS=DIR pytest …
        browser.save_screenshot(str(Path(shots) / "newsarchive-thread.png"))


def _screenshot(browser: Any, name: str) -> Path:
    """Save the page as ``name``.png where a reviewer can open it: the directory named by
    NEWSARCHIVE_SCREENSHOTS (docs/screenshots holds the committed ones), else pytest's
    temporary directory."""
    directory = Path(os.environ.get("NEWSARCHIVE_SCREENSHOTS") or _SHOTS_FALLBACK[0])
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(max(int(height), 800), 6000))
    assert browser.save_screenshot(str(path))
    browser.set_window_size(1280, 1600)
    return path


_SHOTS_FALLBACK: list[Path] = []


@pytest.fixture(scope="module", autouse=True)
def _screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    _SHOTS_FALLBACK[:] = [tmp_path_factory.mktemp("screenshots")]


def test_article_page_reads_as_an_article(served, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, article = served
    from sqlite_utils import Database

    row = Database(article["db"])["articles"].get(article["url"])
    browser.get(f"{base}/news/articles/{tilde_encode(article['url'])}")
    assert browser.title == article["headline"]
    page = browser.find_element(By.CSS_SELECTOR, "article.newsarchive-article")
    assert page.find_element(By.TAG_NAME, "h1").text == article["headline"]
    body = page.find_element(By.CSS_SELECTOR, ".newsarchive-body")
    shown = " ".join(body.text.split())
    for paragraph in row["body_text"].split("\n\n"):
        assert " ".join(paragraph.split()) in shown
    assert body.size["width"] >= 700  # full width, not a narrow table column
    items = page.find_elements(By.CSS_SELECTOR, "li.newsarchive-comment")
    assert len(items) == len(article["comments"])
    left = {1: items[0].location["x"]}
    for item, (author, text), depth in zip(
        items, article["comments"], article["depths"], strict=True
    ):
        assert author in item.text
        assert " ".join(text.split()) in " ".join(item.text.split())
        left.setdefault(depth, item.location["x"])
        assert item.location["x"] == left[depth]  # replies visibly nested, by depth
    assert len(left) > 1 and sorted(left.values()) == [left[d] for d in sorted(left)]
    versions = page.find_element(By.CSS_SELECTOR, "#versions")
    assert "headline" in versions.text
    _screenshot(browser, "article-page")
    # The previous article's link leads to its page in the archive.
    link = page.find_element(By.CSS_SELECTOR, "a[rel=prev]")
    assert link.get_attribute("href").startswith(f"{base}/news/articles/")
    link.click()
    assert browser.find_element(By.CSS_SELECTOR, "article.newsarchive-article h1").text


def test_table_page_with_a_search_and_a_facet(served, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, _ = served
    browser.get(f"{base}/news/articles")
    box = browser.find_element(By.CSS_SELECTOR, "input[name=_search]")
    box.send_keys("minister")
    box.submit()
    rows = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns tbody tr")
    assert rows
    for row in rows:
        assert row.size["height"] < 400  # compact: long text cut short
    facet = browser.find_element(By.CSS_SELECTOR, ".facet-info[data-column=section] li a")
    section = facet.text
    facet.click()
    assert "section=" in browser.current_url and "_search=minister" in browser.current_url
    cells = browser.find_elements(By.CSS_SELECTOR, "table.rows-and-columns td.col-section")
    assert cells and {c.text for c in cells} == {section}
    _screenshot(browser, "articles-search-facet")


def test_charts_page_has_data(served, browser) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base, _ = served
    browser.get(f"{base}/news")
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.newsarchive-chart")
    assert {c.get_attribute("data-chart") for c in charts} == {
        "articles-per-day",
        "comments-per-day",
        "articles-per-section",
        "crawl-runs",
    }
    for chart in charts:
        bars = chart.find_elements(By.CSS_SELECTOR, "rect.bar")
        assert bars and any(b.size["height"] > 2 for b in bars)
    captions = browser.find_element(By.CSS_SELECTOR, "#charts").text
    assert "Articles per day (published): 12 in all" in captions
    _screenshot(browser, "charts")


def test_stored_queries_and_descriptions_are_served(served) -> None:  # type: ignore[no-untyped-def]
    base, article = served
    with urllib.request.urlopen(f"{base}/news.json") as response:
        data = json.load(response)
    names = {q["name"] for q in data["queries"]}
    assert names == set(datasette_metadata("news.db")["databases"]["news"]["queries"])
    url = quote(article["url"], safe="")
    with urllib.request.urlopen(f"{base}/news/chain.json?url={url}&_shape=array") as response:
        steps = [row["step"] for row in json.load(response)]
    assert steps == list(range(-5, 6))
    with urllib.request.urlopen(f"{base}/news/search.json?q=minister&_shape=array") as response:
        kinds = {row["kind"].split()[0] for row in json.load(response)}
    assert "article" in kinds


def test_serve_refuses_a_missing_archive(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1
    assert result.output.endswith(f"Error: archive not found: {tmp_path / 'none.db'}\n")
