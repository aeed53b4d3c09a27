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
        (stage, name): getattr(module, name)
        for stage, (module, names) in extraction._STAGES.items()
        for name in names
    }
    with extraction._stage_timers({}):
        pass
    for (stage, name), fn in before.items():
        assert getattr(extraction._STAGES[stage][0], name) is fn
