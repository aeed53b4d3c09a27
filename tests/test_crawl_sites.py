"""``newsarchive crawl --sites``: several sites into one archive under one lock, one
exit status and one summary; the lock handed to each crawl; the progress line and the
summary line every crawl logs."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from archive.demo import LOCAL_SETTINGS, crawl_command, crawl_env
from archive.lock import LOCK_FD_ENV, ArchiveLock, ArchiveLocked
from archive.sites import Site, SitesError, exit_status, load_sites, run_sites
from scraper.demosite import build_site
from scraper.demosite.server import DemoServer
from scraper.exitcodes import EXIT_ARCHIVE_FAILED, EXIT_LOCKED
from scraper.progress import expected_articles, progress_line
from tests.crawling import db_rows


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sites.toml"
    path.write_text(text, "utf-8")
    return path


def test_load_sites_reads_every_key(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        """
[[sites]]
start_url = "https://a.example/"
profile = "profiles/a.toml"
discover = ["sitemap", "feed"]
max_articles = 50
args = { direction = "older", incremental = true }
settings = { DOWNLOAD_DELAY = 2 }

[[sites]]
start_url = "https://b.example/news/"
""",
    )
    a, b = load_sites(path)
    assert a == Site(
        "https://a.example/",
        {
            "direction": "older",
            "incremental": "1",
            "profile": "profiles/a.toml",
            "discover": "sitemap,feed",
            "max_articles": "50",
        },
        {"DOWNLOAD_DELAY": "2"},
    )
    assert b == Site("https://b.example/news/")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[sites]]\nstart_url = 'x'", "site 1: start_url must be an http(s) URL"),
        ("[[sites]]\nprofile = 'p'", "site 1: start_url must be an http(s) URL"),
        ("[[sites]]\nstart_url = 'https://a/'\nmax_pages = 3", "site 1: unknown key 'max_pages'"),
        ("[[sites]]\nstart_url = 'https://a/'\nargs = 3", "site 1: args must be a table"),
        ("[site]\nstart_url = 'https://a/'", "no [[sites]] entries"),
        ("[[sites]\n", "is not valid TOML"),
    ],
)
def test_bad_sites_file_is_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SitesError) as caught:
        load_sites(_write(tmp_path, text))
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_sites_file(tmp_path: Path) -> None:
    with pytest.raises(SitesError, match="sites file not found"):
        load_sites(tmp_path / "none.toml")


def test_exit_status_of_several_crawls() -> None:
    assert exit_status([0, 0]) == 0
    assert exit_status([0, 1, 2]) == 1
    assert exit_status([1, EXIT_ARCHIVE_FAILED, 0]) == EXIT_ARCHIVE_FAILED


def test_two_sites_into_one_archive(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    lines: list[str] = []
    one, two = build_site(8), build_site(6, seed=2)
    with DemoServer(one) as a, DemoServer(two) as b:
        sites = [
            Site(a.url + one.articles[4].path),
            Site(b.url + two.articles[0].path, {"direction": "newer"}),
        ]
        status = run_sites(sites, db, LOCAL_SETTINGS, echo=lines.append)
    assert status == 0
    crawls = db_rows(db, "select * from crawls order by id")
    assert [c["status"] for c in crawls] == ["finished", "finished"]
    assert [c["articles_new"] for c in crawls] == [8, 6]
    urls = {r["url"] for r in db_rows(db, "select url from articles")}
    assert len(urls) == 14
    assert {u.split("/")[2] for u in urls} == {a.url.split("/")[2], b.url.split("/")[2]}
    assert lines[-1] == (
        f"2 sites: 14 new, 0 updated, 0 unchanged, 0 not modified, 0 gone, 0 failed "
        f"into {db}; exit status 0"
    )
    assert f"[1/2] {sites[0].start_url}: finished, 8 new" in "\n".join(lines)
    ArchiveLock(db).acquire().release()  # the lock was let go: this does not raise


def test_one_failing_site_fails_the_run_and_costs_only_itself(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    lines: list[str] = []
    site = build_site(5)
    with DemoServer(site) as server:
        sites = [
            Site(server.url + site.articles[2].path, {"profile": str(tmp_path / "none.toml")}),
            Site(server.url + site.articles[2].path),
        ]
        status = run_sites(sites, db, LOCAL_SETTINGS, echo=lines.append)
    assert status == 1
    assert lines[1].endswith("did not start (exit status 1)")
    assert db_rows(db, "select count(*) from articles")[0][0] == 5
    assert "(1 failed)" in lines[-1] and lines[-1].endswith("exit status 1")


def test_a_crawl_adopts_the_lock_it_is_handed(tmp_path: Path) -> None:
    """While one process holds the archive's lock, a crawl handed that lock runs, and a
    crawl that is not handed it is refused (exit 75) before any request."""
    db = tmp_path / "news.db"
    site = build_site(4)
    with DemoServer(site) as server, ArchiveLock(db) as lock:
        cmd = crawl_command(server.url + site.articles[1].path, db, None, LOCAL_SETTINGS)
        refused = subprocess.run(cmd, env=crawl_env(), capture_output=True, text=True)
        assert refused.returncode == EXIT_LOCKED
        assert "another crawl is writing" in refused.stderr
        fd = lock.fileno()
        handed = subprocess.run(
            cmd,
            env={**crawl_env(), LOCK_FD_ENV: str(fd)},
            pass_fds=(fd,),
            capture_output=True,
            text=True,
        )
        assert handed.returncode == 0, handed.stderr[-2000:]
        assert lock.held
    assert db_rows(db, "select count(*) from articles")[0][0] == 4


def test_a_wrong_descriptor_is_not_adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "news.db"
    other = os.open(tmp_path / "other", os.O_RDWR | os.O_CREAT)
    monkeypatch.setenv(LOCK_FD_ENV, str(other))
    with ArchiveLock(db) as first:
        assert first.fileno() != other
        with pytest.raises(ArchiveLocked, match="another crawl is writing"):
            ArchiveLock(db).acquire()
    os.close(other)


def test_progress_line() -> None:
    assert expected_articles(None, None) is None
    assert expected_articles(50, None) == 50
    assert expected_articles(50, 120) == 50
    assert expected_articles(None, 120) == 120
    assert progress_line(120, 500, 40.0) == "120/500 articles (24 %), 3.0/s, ETA 2 min"
    assert progress_line(10, 10, 5.0) == "10/10 articles (100 %), 2.0/s"
    assert progress_line(0, 10, 0.0) == "0/10 articles (0 %), 0.0/s"
    assert progress_line(12, 10, 6.0).startswith("12/12 articles (100 %)")


def test_crawl_logs_progress_and_ends_with_a_summary(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    site = build_site(12)
    with DemoServer(site, latency=0.05) as server:
        cmd = crawl_command(
            server.url + site.articles[11].path,
            db,
            {"direction": "older", "max_articles": "10"},
            {**LOCAL_SETTINGS, "LOGSTATS_INTERVAL": "0.2", "LOG_LEVEL": "INFO"},
        )
        result = subprocess.run(cmd, env=crawl_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    progress = [line for line in result.stderr.splitlines() if "Progress: " in line]
    assert progress and "/10 articles (" in progress[-1]
    summary = [line for line in result.stderr.splitlines() if "Crawl 1 finished" in line]
    assert len(summary) == 1
    assert summary[0].endswith(
        f"10 new, 0 updated, 0 unchanged, 0 not modified, 0 gone, 0 failed into {db}"
    )


def test_newsarchive_crawl_command(tmp_path: Path) -> None:
    """`newsarchive crawl URL` and `--sites`, as a user types them."""
    from click.testing import CliRunner

    from archive.cli import cli

    db = tmp_path / "news.db"
    site = build_site(5)
    runner = CliRunner()
    local = [f"-s{name}={value}" for name, value in LOCAL_SETTINGS.items()]
    with DemoServer(site) as server:
        one = runner.invoke(
            cli, ["crawl", server.url + site.articles[2].path, "--db", str(db), *local]
        )
        assert one.exit_code == 0, one.output
        assert one.output.splitlines()[-1] == (
            f"1 site: 5 new, 0 updated, 0 unchanged, 0 not modified, 0 gone, 0 failed "
            f"into {db}; exit status 0"
        )
        sites = _write(tmp_path, f'[[sites]]\nstart_url = "{server.url + site.articles[0].path}"\n')
        again = runner.invoke(cli, ["crawl", "--sites", str(sites), "--db", str(db), *local])
        assert again.exit_code == 0, again.output
        assert "1 site: 0 new" in again.output.splitlines()[-1]
    assert db_rows(db, "select count(*) from crawls")[0][0] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give a start URL or --sites FILE"),
        (["https://a.example/", "--sites", "x.toml"], "give a start URL or --sites FILE"),
        (["https://a.example/", "-a", "direction"], "-a must be NAME=VALUE"),
        (["https://a.example/", "-s", "ARCHIVE_DB=x.db"], "the archive is --db"),
        (["ftp://a.example/"], "must be http(s)"),
        (["--sites", "missing.toml"], "sites file not found: missing.toml"),
    ],
)
def test_newsarchive_crawl_refuses_bad_input(
    tmp_path: Path, args: list[str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from archive.cli import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["crawl", *args])
    assert result.exit_code in (1, 2)
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "archive.db").exists()


def test_newsarchive_crawl_into_a_text_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from archive.cli import cli

    text = tmp_path / "notes.txt"
    text.write_text("not an archive\n")
    result = CliRunner().invoke(cli, ["crawl", "https://a.example/", "--db", str(text)])
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1
    assert text.read_text() == "not an archive\n"


def test_progress_is_redrawn_in_place_on_a_terminal() -> None:
    """On a terminal the line is redrawn in place (carriage return, erase line) and ends
    with a newline when the crawl closes; off a terminal it goes to the log."""
    import io
    from types import SimpleNamespace

    from scrapy.settings import Settings
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import MemoryStatsCollector

    from scraper.progress import CrawlProgress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    crawler = SimpleNamespace(signals=SignalManager(), settings=Settings())
    crawler.stats = MemoryStatsCollector(crawler)  # type: ignore[arg-type]
    stream = Tty()
    progress = CrawlProgress(crawler, stream, interval=60.0)
    assert progress.interval == 1.0  # redrawn every second on a terminal
    progress.spider = SimpleNamespace(max_articles=40, plan=None)
    crawler.stats.set_value("item_scraped_count", 8)
    crawler.stats.set_value("newsarchive/not_modified", 2)
    progress.show()
    assert stream.getvalue().startswith("\r\x1b[2K10/40 articles (25 %), ")
    progress.spider = SimpleNamespace(
        max_articles=None, plan=SimpleNamespace(discovered={"sitemap": 90, "chain": 10})
    )
    progress.show()
    assert "\r\x1b[2K10/100 articles (10 %)" in stream.getvalue()
    progress.spider_closed(progress.spider, "finished")
    assert stream.getvalue().endswith("\n")
    quiet = CrawlProgress(crawler, io.StringIO(), interval=30.0)
    assert quiet.interval == 30.0
    quiet.spider = SimpleNamespace(max_articles=None, plan=None)
    quiet.show()  # nothing expected: no line, no error
    assert quiet.stream.getvalue() == ""
