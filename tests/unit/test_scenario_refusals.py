"""Scenario files that used to end in a traceback: each is now one clear line on stderr and exit 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from console.cli.main import main
from console.engine.request_ids import MAX_SEQUENCE
from console.model.scenario import MAX_SENDS, ScenarioError, load_scenario, parse_scenario

BASE = """name = "x"
duration = "2h"
[sender]
site = "PRI"
[[sites]]
code = "PRI"
server = "PRISRV"
version = "2.0 SP3"
[[sites]]
code = "LAB"
server = "LABSRV"
version = "2.0 SP3"
parent = "PRI"
"""
SEND = '[[sends]]\nat = "0s"\npackage = "{package}"\ndest = "LAB"\nsize_kb = 100\n'


def _simulate(tmp_path: Path, text: str | bytes, *extra: str, capsys) -> tuple[int, list[str]]:
    path = tmp_path / "s.toml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    status = main(["simulate", str(path), "--config-dir", str(tmp_path / "cfg"), *extra])
    return status, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("x = " + "[" * 600 + "]" * 600, "nested too deeply"),
        ("x = " + "9" * 5000, "is not valid TOML (Exceeds the limit (4300 digits)"),
        ("start = 9999-12-31T23:00:00\n" + BASE, "start: must be from 1601-01-01 to 9998-12-31"),
        ("start = 1600-12-31\n" + BASE, "start: must be from 1601-01-01"),
        (BASE.replace('version = "2.0 SP3"\n[[sites]]', 'version = "2.0 SP3"\nparent = "LAB"\n[[sites]]', 1), "cycle"),
        (BASE + SEND.format(package="ßßßßßßßß"), "8 ASCII letters or digits"),
        (BASE + SEND.format(package="PRI0000\u0661"), "8 ASCII letters or digits"),  # an Arabic-Indic digit
    ],
    ids=["deep-nesting", "huge-integer", "start-9999", "start-1600", "parent-cycle", "eszett", "non-ascii-digit"],
)
def test_a_bad_scenario_is_one_line_and_exit_2(tmp_path: Path, capsys, text: str, says: str) -> None:
    status, err = _simulate(tmp_path, text, "--log", str(tmp_path / "Sender.log"), capsys=capsys)
    assert status == 2 and len(err) == 1, err
    assert err[0].startswith(f"sender-console: error: {tmp_path / 's.toml'}") and says in err[0], err[0]


def test_the_last_start_that_is_allowed_runs_with_a_log_for_thirty_days(tmp_path: Path, capsys) -> None:
    text = "start = 9998-12-31T23:59:59\n" + BASE + SEND.format(package="PRI00001")
    status, err = _simulate(tmp_path, text, "--log", str(tmp_path / "Sender.log"), "--until", "30d", capsys=capsys)
    assert status == 0 and err == []
    assert " 9998 Eastern Standard Time>" in (tmp_path / "Sender.log").read_text(encoding="utf-8")


def test_the_sends_limit_is_the_request_id_space() -> None:
    assert MAX_SENDS == MAX_SEQUENCE


def test_too_many_sends_are_refused_before_the_file_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "many.toml"
    path.write_bytes(BASE.encode() + b"[[sends]]\n" * (MAX_SENDS + 1))
    with pytest.raises(ScenarioError, match=r"sends: has 1,679,616 entries; at most 1,679,615 fit"):
        load_scenario(path)


def test_too_many_sends_in_an_inline_array_are_refused_before_any_is_read() -> None:
    import tomllib

    data = tomllib.loads(BASE)
    data["sends"] = [{}] * (MAX_SENDS + 1)  # refused on the count, not after validating 1.7 million entries
    with pytest.raises(ScenarioError, match="at most 1,679,615"):
        parse_scenario(data, "inline.toml")


def test_a_package_id_stays_8_characters_after_upper_casing(tmp_path: Path) -> None:
    path = tmp_path / "ok.toml"
    path.write_text(BASE + SEND.format(package="pri0000a"), encoding="utf-8")
    assert load_scenario(path).sends[0].package == "PRI0000A"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_disk_for_the_log_names_the_option(tmp_path: Path, capsys) -> None:
    status, err = _simulate(tmp_path, BASE + SEND.format(package="PRI00001"), "--log", "/dev/full", capsys=capsys)
    assert status == 2 and err == ["sender-console: error: --log: cannot write /dev/full: No space left on device"]
