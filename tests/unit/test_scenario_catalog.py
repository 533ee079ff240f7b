"""Bundled scenarios by name: the ``scenarios`` command, ``simulate NAME`` and ``--scenario NAME`` (DESIGN.md §4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import main
from console.cli.main import main as cli_main
from console.cli.window_cmd import GuiLaunch
from console.model.scenario_catalog import bundled_names, bundled_scenarios, resolve_scenario


def test_the_bundled_scenarios_are_listed_with_their_titles(capsys) -> None:
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in out]
    assert names == bundled_names() and "q278357-sp3" in names
    assert any(line.startswith("q278357-sp3") and line.endswith("Q278357 on an SP3 site") for line in out)
    assert main(["scenarios", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["name"] for r in rows] == names and all(Path(r["path"]).is_file() for r in rows)
    assert {s.name: s.title for s in bundled_scenarios()}["q278357-sp4"].startswith("Q278357")


def test_simulate_by_name_from_another_folder(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--config-dir", str(tmp_path / "cfg"), "simulate", "q278357-sp3", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["scenario"] == "Q278357 on an SP3 site" and summary["sends"][0]["status"] == "delivered"
    assert main(["--config-dir", str(tmp_path / "cfg"), "simulate", "q278357-sp3.toml", "--json"]) == 0


def test_a_file_of_the_same_name_wins_over_the_bundled_one(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "q278357-sp3").write_text("mine")
    assert resolve_scenario("q278357-sp3") == Path("q278357-sp3")
    assert resolve_scenario("q278357-sp4").name == "q278357-sp4.toml"


def test_an_unknown_name_lists_what_is_bundled(capsys, tmp_path: Path) -> None:
    assert main(["--config-dir", str(tmp_path), "simulate", "q278357-sp9"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "q278357-sp9: no such file" in err and "q278357-sp3" in err
    with pytest.raises(FileNotFoundError):
        resolve_scenario("sub/q278357-sp3")  # a path with a folder is a path, never a bundled name


def test_window_scenario_by_name_is_read_before_any_window(tmp_path: Path, capsys) -> None:
    launch = cli_main(["--config-dir", str(tmp_path), "--scenario", "q278357-sp4", "--speed", "0"])
    assert isinstance(launch, GuiLaunch)
    assert launch.request.scenario is not None and launch.request.scenario.name.startswith("Q278357")
    assert cli_main(["--config-dir", str(tmp_path), "--scenario", "nope"]) == 2
    assert capsys.readouterr().err.startswith("sender-console: error: --scenario: nope: no such file")
