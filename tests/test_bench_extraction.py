"""bench/extraction.py --profile runs (a smoke test: it times nothing it asserts on)."""

from __future__ import annotations

import pytest

from bench import extraction


def test_profile_prints_every_stage(capsys: pytest.CaptureFixture[str]) -> None:
    extraction.main(["--profile", "--repeat", "1"])
    out = capsys.readouterr().out
    for stage in extraction._STAGES:
        assert stage in out
    assert "whole `extract_article(tree)`" in out


def test_profile_restores_the_functions_it_times() -> None:
    before = {
        (module, name): getattr(module, name)
        for parts in extraction._STAGES.values()
        for module, names in parts
        for name in names
    }
    assert before
    with extraction._stage_timers({}):
        pass
    for (module, name), fn in before.items():
        assert getattr(module, name) is fn


def test_figures_score_each_kind_of_truth() -> None:
    from bench.scoring import Case, Output, figures

    cases = [
        Case("modern-dev", "a", "https://x.test/a", "", "article", "one two three four five",
             ["one two"], ["ad text"], "Title A", "Ann Lee", "2025-01-02"),
        Case("modern-dev", "b", "https://x.test/b", "", "listing", "six seven eight nine ten",
             ["seven"], [], None, None, None),
    ]  # fmt: skip
    outputs = [
        Output("one two three four five ad text", "Title A", ["Ann Lee"], "2025-01-02T10:00:00"),
        Output("   "),
    ]
    f = figures(cases, outputs)
    assert f["pages"] == 2
    assert f["empty"] == 1  # b has a reference text and got nothing
    assert f["with_found"] == 0.5 and f["without_leaked"] == 1.0
    assert (f["headline"], f["author"], f["date"]) == (1.0, 1.0, 1.0)  # only a states them
    assert f["body_recall"] == 0.5  # a fully, b not at all
    readability = figures([Case("readability", "r", "u", "")], [Output("")])
    assert readability["body_f1"] is None and readability["empty"] == 1
    assert readability["headline"] is None
