from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner, Result

import archive.cli.commands.demo as demo_command
from archive.cli import cli
from archive.demo import CrawlFailed
from scraper.items import article_from_dict

BASE = "https://news.example.org/2024/05"
COMMANDS = ["query", "search", "show", "stats", "export", "demo"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_one_line_error(result: Result, message: str) -> None:
    assert result.exit_code == 1
    assert result.output == f"Error: {message}\n"
    assert isinstance(result.exception, SystemExit)  # a ClickException, not a traceback


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(command, "-h")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert "--db" in result.output


def test_group_help_and_version():
    result = run("--help")
    assert result.exit_code == 0
    for command in COMMANDS:
        assert command in result.output
    version = run("--version")
    assert version.exit_code == 0
    assert version.output.startswith("newsarchive, version ")


def test_query_table(filled_archive):
    result = run(
        "query",
        "SELECT section, count(*) AS n FROM articles GROUP BY section ORDER BY section",
        "--db",
        str(filled_archive),
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["section", "n"]
    assert lines[2].split() == ["Kultur", "1"]
    assert lines[3].split() == ["Politik", "2"]


def test_query_csv_json_jsonl_with_params(filled_archive):
    sql = "SELECT headline, comment_count FROM articles WHERE section = :s ORDER BY published_at"
    args = ["query", sql, "--param", "s", "Politik", "--db", str(filled_archive)]
    expected = [
        {"headline": "Spring storm warning — 暴风雨", "comment_count": None},
        {"headline": "Council approves budget for the Zürich tram", "comment_count": 4},
    ]
    as_json = run(*args, "--format", "json")
    assert json.loads(as_json.output) == expected
    assert "暴风雨" in as_json.output  # not \u-escaped
    as_jsonl = run(*args, "--format", "jsonl")
    assert [json.loads(line) for line in as_jsonl.output.splitlines()] == expected
    as_csv = run(*args, "--format", "csv")
    assert list(csv.reader(io.StringIO(as_csv.output))) == [
        ["headline", "comment_count"],
        ["Spring storm warning — 暴风雨", ""],
        ["Council approves budget for the Zürich tram", "4"],
    ]


@pytest.mark.parametrize(
    ("sql", "refused"),
    [
        ("INSERT INTO links (from_url, rel, to_url, first_seen_at) VALUES (1, 2, 3, 4)", "INSERT"),
        ("UPDATE articles SET headline = NULL", "UPDATE"),
        ("DELETE FROM articles", "DELETE"),
        ("DROP TABLE articles", "DROP TABLE"),
        ("ATTACH DATABASE 'x.db' AS x", "ATTACH"),
        ("PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = OFF"),
    ],
)
def test_query_refuses_writes_in_one_line(filled_archive, sql, refused):
    result = run("query", sql, "--db", str(filled_archive))
    assert_one_line_error(result, f"query is read-only: {refused} is not allowed")
    assert run("query", "SELECT count(*) FROM articles", "--db", str(filled_archive),
               "--format", "csv").output == "count(*)\n3\n"  # fmt: skip


def test_query_bad_sql(filled_archive):
    result = run("query", "SELEC 1", "--db", str(filled_archive))
    assert_one_line_error(result, 'query failed: near "SELEC": syntax error')


def test_missing_archive_is_one_clear_line(tmp_path):
    missing = tmp_path / "nope.db"
    for args in (["query", "SELECT 1"], ["search", "x"], ["show", "https://a/"], ["stats"],
                 ["export"]):  # fmt: skip
        result = run(*args, "--db", str(missing))
        assert_one_line_error(result, f"archive not found: {missing}")
    assert not missing.exists()


def test_search_ranks_and_formats(filled_archive):
    result = run("search", "budget", "--db", str(filled_archive), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert [h["canonical_url"] for h in hits] == [
        f"{BASE}/council-budget/",
        f"{BASE}/river-festival/",
    ]
    assert "[budget]" in hits[0]["snippet"]
    table = run("search", "budget", "--limit", "1", "--db", str(filled_archive))
    assert "council-budget" in table.output
    assert "river-festival" not in table.output


def test_search_comments_and_fts_syntax(filled_archive):
    result = run("search", "--comments", "ça", "--db", str(filled_archive), "--format", "json")
    assert [h["author"] for h in json.loads(result.output)] == ["Chloé"]
    odd = run("search", "--quote", '"budget', "AND", "NEAR(", "--db", str(filled_archive))
    assert odd.exit_code == 0, odd.output
    syntax = run("search", '"budget', "AND", "NEAR(", "--db", str(filled_archive))
    assert syntax.exit_code == 1
    assert "--quote" in syntax.output
    phrase = run("search", '"approves budget"', "--db", str(filled_archive), "--json")
    assert [h["canonical_url"] for h in json.loads(phrase.output)] == [f"{BASE}/council-budget/"]
    prefix = run("search", "budg*", "NOT", "tram", "--db", str(filled_archive), "--json")
    assert [h["canonical_url"] for h in json.loads(prefix.output)] == [f"{BASE}/river-festival/"]


def test_show_prints_article_and_indented_thread(filled_archive):
    result = run("show", f"{BASE}/council-budget/?utm_source=x", "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Council approves budget for the Zürich tram\nBy Zoë Müller, Ana Ruiz\n")
    assert "Published: 2024-05-02T09:00:00+02:00" in out
    assert f"Previous:  Spring storm warning <{BASE}/storm-warning/>" in out
    assert "Café owners on the Bahnhofstraße" in out
    thread = out[out.index("Comments (4)") :].splitlines()
    assert [line for line in thread if line.strip()] == [
        "Comments (4)",
        "Ana — 2024-05-02T10:00:00+02:00",
        "  Great news for the city.",
        "    Björn — 2024-05-02T10:05:00+02:00",
        "      Not so sure.",
        "        Chloé",
        "          Why not? Ça va aller.",
        "Dmitri — 2024-05-02T11:00:00+02:00",
        "  Where is the map?",
    ]


def test_show_unknown_url(filled_archive):
    result = run("show", "https://elsewhere.example/x", "--db", str(filled_archive))
    assert_one_line_error(result, "no archived article with URL https://elsewhere.example/x")


def test_stats(filled_archive):
    result = run("stats", "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    assert "articles:   3" in result.output
    assert "comments:   5" in result.output
    assert "Zoë Müller" in result.output
    assert "Last crawl #1 (articles): finished" in result.output
    assert "skipped 1: no body" in result.output


def test_export_jsonl_round_trips(filled_archive, sample_articles, tmp_path):
    result = run("export", "--format", "jsonl", "--db", str(filled_archive))
    assert result.exit_code == 0, result.output
    assert "Zoë Müller" in result.output
    exported = [article_from_dict(json.loads(line)) for line in result.output.splitlines()]
    assert exported == sorted(sample_articles, key=lambda a: a.published_at or "")
    out = tmp_path / "articles.jsonl"
    to_file = run("export", "-o", str(out), "--db", str(filled_archive))
    assert to_file.exit_code == 0
    assert to_file.output == ""
    assert out.read_text(encoding="utf-8") == result.output


def test_demo_calls_run_demo(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(demo_command, "run_demo", lambda **kwargs: calls.append(kwargs))
    result = run("demo", "--db", str(tmp_path / "demo.db"), "--port", "8123")
    assert result.exit_code == 0, result.output
    assert len(calls) == 1
    assert calls[0]["db_path"] == str(tmp_path / "demo.db")
    assert calls[0]["port"] == 8123
    assert callable(calls[0]["echo"])


def test_demo_failure_is_a_click_error(monkeypatch):
    def run_demo(**kwargs: object) -> None:
        raise CrawlFailed("crawl exited with 1")

    monkeypatch.setattr(demo_command, "run_demo", run_demo)
    assert_one_line_error(run("demo"), "crawl exited with 1")


def test_demo_suggestions_start_with_the_program_as_invoked(tmp_path, monkeypatch):
    from archive.demo import invoked_program, try_lines

    monkeypatch.setenv("PATH", str(tmp_path))  # no newsarchive on PATH
    assert invoked_program(".venv/bin/newsarchive") == ".venv/bin/newsarchive"
    assert invoked_program("my tools/newsarchive") == "'my tools/newsarchive'"
    assert invoked_program("/x/archive/cli/__main__.py").endswith(" -m archive.cli")
    script = tmp_path / "newsarchive"
    script.write_text("#!/bin/sh\n", "utf-8")
    script.chmod(0o755)
    assert invoked_program(str(script)) == "newsarchive"  # the same script is on PATH
    lines = try_lines(".venv/bin/newsarchive", "my demo.db")
    assert lines[0].startswith("  .venv/bin/newsarchive query --db 'my demo.db' 'select ")
    assert lines[-1] == "  .venv/bin/newsarchive serve --db 'my demo.db'"


def test_demo_passes_the_invoked_program(monkeypatch, tmp_path):
    calls = []
    monkeypatch.setattr(demo_command, "run_demo", lambda **kwargs: calls.append(kwargs))
    monkeypatch.setattr("sys.argv", [".venv/bin/newsarchive", "demo"])
    monkeypatch.setenv("PATH", str(tmp_path))
    assert run("demo", "--db", str(tmp_path / "demo.db")).exit_code == 0
    assert calls[0]["program"] == ".venv/bin/newsarchive"


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_registered_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert f"newsarchive {command}" in result.output


def test_the_split_cli_registers_every_command():
    assert sorted(cli.commands) == [
        "crawl", "demo", "export", "extract", "history", "query", "reparse", "search", "serve",
        "show", "stats",
    ]  # fmt: skip
