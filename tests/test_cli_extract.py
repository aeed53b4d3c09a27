"""``newsarchive extract``: one page from a file or a 127.0.0.1 URL, with and without a
profile, as a table and as JSON, and its one-line errors."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from archive.cli import cli
from scraper.demosite import DemoServer, build_site
from scraper.extract.profiles import builtin_profiles_dir
from scraper.settings import DOWNLOAD_MAXSIZE

WORDPRESS = Path(__file__).parent / "fixtures" / "wordpress" / "twentytwentyone"
POST_URL = (
    "http://127.0.0.1:8081/2024/01/eu-energy-ministers-agree-stopgap-plan-for-winter-gas-storage/"
)
POST_FILE = WORDPRESS / "site" / "2024" / "01" / POST_URL.split("/")[-2] / "index.html"
CLASSIC = builtin_profiles_dir() / "wordpress-classic.toml"
TAGDIV = builtin_profiles_dir() / "tagdiv-newspaper.toml"
SITE = build_site(36)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def rows(output: str) -> dict[str, tuple[str, str]]:
    """field -> (source, value) from the printed table (columns found by the header)."""
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith("field "))
    at_source, at_value = header.index("source"), header.index("value")
    table: dict[str, tuple[str, str]] = {}
    for line in lines[lines.index(header) + 2 :]:
        if not line.strip():
            break
        name = line[:at_source].strip()
        table[name] = (line[at_source:at_value].strip(), line[at_value:].strip())
    return table


def assert_one_line_error(result: Result, text: str) -> None:
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1, result.output
    assert text in result.output
    assert isinstance(result.exception, SystemExit)


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(SITE) as s:
        yield s


def test_help_has_an_example() -> None:
    result = run("extract", "-h")
    assert result.exit_code == 0
    assert "Example:" in result.output and "--profile" in result.output
    assert "extract" in run("--help").output


def test_file_without_profile_shows_generic_sources() -> None:
    result = run("extract", str(POST_FILE), "--url", POST_URL)
    assert result.exit_code == 0, result.output
    assert f"URL:     {POST_URL}" in result.output
    assert "Profile: none" in result.output
    table = rows(result.output)
    assert table["headline"][1] == "EU energy ministers agree stopgap plan for winter gas storage"
    assert table["headline"][0] != "profile"
    assert "Comments (14, source cms)" in result.output


def test_file_with_profile_shows_profile_sources() -> None:
    result = run("extract", str(POST_FILE), "--url", POST_URL, "--profile", str(CLASSIC))
    assert result.exit_code == 0, result.output
    assert f"Profile: wordpress-classic ({CLASSIC})" in result.output
    table = rows(result.output)
    assert table["headline"] == (
        "profile",
        "EU energy ministers agree stopgap plan for winter gas storage",
    )
    assert table["authors"] == ("profile", "Elena Markova")
    assert table["comments"] == ("profile", "14 comments")
    assert "[4 ↳1] Elena Markova — 2024-01-08T23:26:45-05:00: Thanks for reading." in result.output


def test_file_json_and_default_file_url() -> None:
    result = run("extract", str(POST_FILE), "--json", "--profile", str(CLASSIC))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["url"] == POST_FILE.resolve().as_uri()
    assert data["profile"] == str(CLASSIC)
    assert data["article"]["headline"].startswith("EU energy ministers")
    assert data["sources"]["headline"] == "profile"
    assert data["sources"]["description"] is None  # the page has none
    assert len(data["article"]["comments"]) == 14


@pytest.mark.parametrize("profile", [None, TAGDIV])
def test_url_on_127_0_0_1(server: DemoServer, profile: Path | None) -> None:
    article = SITE.articles[3]
    args = ["extract", server.url + article.path, "--json"]
    if profile is not None:
        args += ["--profile", str(profile)]
    result = run(*args)
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["url"] == server.url + article.path
    assert data["article"]["headline"] == article.headline
    assert data["article"]["authors"] == [a.name for a in article.authors]
    if profile is None:
        assert data["sources"]["headline"] not in (None, "profile")
    else:
        assert data["sources"]["headline"] == "profile"
    assert server.requests[-1].path == article.path


def test_url_table(server: DemoServer) -> None:
    article = SITE.articles[4]
    result = run("extract", server.url + article.path, "--profile", str(TAGDIV))
    assert result.exit_code == 0, result.output
    assert rows(result.output)["headline"] == ("profile", article.headline)


def test_url_obeys_robots_txt_and_names_the_project(server: DemoServer) -> None:
    """The fetch is the crawl's: robots.txt first (the demo site disallows /private/), the
    project's User-Agent on every request."""
    server.clear_requests()
    assert_one_line_error(run("extract", server.url + "/private/notes/"), "Forbidden by robots.txt")
    assert [r.path for r in server.requests] == ["/robots.txt"]
    article = SITE.articles[5]
    assert run("extract", server.url + article.path).exit_code == 0
    assert [r.path for r in server.requests][-1] == article.path
    agents = {r.headers.get("User-Agent", "") for r in server.requests}
    assert agents and all(a.startswith("newsarchive/") for a in agents), agents


def test_file_decoded_as_a_crawl_decodes_it(tmp_path: Path) -> None:
    """cp1252 bytes under a UTF-8 ``<meta>``: the text as written."""
    page = tmp_path / "latin.html"
    page.write_bytes(
        '<html><head><meta charset="utf-8"><title>Café naïve</title></head><body><article>'
        "<h1>Café naïve</h1><p>Un texte assez long pour être un article, vraiment.</p>"
        "</article></body></html>".encode("cp1252")
    )
    result = run("extract", str(page), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["article"]["headline"] == "Café naïve"


def test_file_over_the_page_cap_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as f:
        f.truncate(DOWNLOAD_MAXSIZE + 1)  # sparse: no 32 MiB written
    assert_one_line_error(run("extract", str(big)), "larger than 32 MiB")


def test_errors_are_one_line(server: DemoServer, tmp_path: Path) -> None:
    assert_one_line_error(run("extract", str(tmp_path / "nope.html")), "no such file")
    assert_one_line_error(run("extract", server.url + "/no/such/page/"), "HTTP 404")
    assert_one_line_error(run("extract", server.url + "/robots.txt"), "not an HTML page")
    assert_one_line_error(run("extract", "http://127.0.0.1:9/"), "cannot fetch")
    bad = tmp_path / "bad.toml"
    bad.write_text('[fields]\nheadline = "h1["\n', "utf-8")
    assert_one_line_error(
        run("extract", str(POST_FILE), "--profile", str(bad)),
        f"{bad}:2: fields.headline: bad CSS selector",
    )
    assert_one_line_error(
        run("extract", str(POST_FILE), "--profile", str(tmp_path / "none.toml")),
        "profile file not found",
    )
