"""``sender-console diagnose FILE... [--json]`` (DESIGN.md §4): JSON shape, text report, exit statuses."""

from __future__ import annotations

import json
import os

import pytest
from logtest_helpers import REAL_LOGS, sms2, write_lines
from real_logs import needs_real_logs

from console.__main__ import main

SMALL = REAL_LOGS / "github-maxmoonACR-MDTLOGFiles-smsts.log"


@pytest.fixture(autouse=True)
def _private_config(config_dir) -> None:
    """diagnose never touches the site database; keep the user's folders out of reach anyway."""


def test_json_shape_on_the_engine_sp3_log(engine_log, capsys) -> None:
    path = engine_log("q278357-sp3")
    assert main(["diagnose", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["files", "records", "formats", "errors", "warnings", "findings"]
    assert data["files"] == [str(path)]
    assert list(data["formats"]) == ["sms2", "sms1", "cm-server", "ccm", "unparsed"]
    assert data["records"] == data["formats"]["sms2"] == len(path.read_bytes().splitlines())
    assert data["errors"] > 0 and data["warnings"] > 0
    (finding,) = data["findings"]
    assert list(finding) == ["kb", "title", "file", "line", "time", "thread", "request", "server", "text"]
    assert (finding["kb"], finding["request"], finding["server"], finding["thread"]) == (
        "Q278357",
        "2_001PRI",
        "LABSRV",
        200,
    )
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[finding["line"] - 1].startswith("Heartbeat is expired.  $$<")
    assert finding["time"] in lines[finding["line"] - 1]


def test_text_report_puts_findings_first(engine_log, capsys) -> None:
    path = engine_log("q278357-sp3")
    assert main(["diagnose", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "1 finding:"
    assert out[2].startswith("Q278357  ")
    assert any(line.startswith("219 records in 1 file: sms2 219") for line in out[4:])
    assert out.index(next(line for line in out if "records in" in line)) > 2


def test_a_log_brings_its_lo_and_no_findings_is_exit_0(tmp_path, capsys) -> None:
    rolled = write_lines(tmp_path / "Sender.lo_", [sms2("old")])
    log = write_lines(tmp_path / "Sender.log", [sms2("new"), "not a log line"])
    assert main(["diagnose", str(log), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files"] == [str(rolled), str(log)]
    assert (data["records"], data["formats"]["sms2"], data["formats"]["unparsed"]) == (3, 2, 1)
    assert data["findings"] == []
    assert main(["diagnose", str(log)]) == 0
    assert capsys.readouterr().out.startswith("0 findings.\n")


@needs_real_logs
def test_real_log_through_the_command(capsys) -> None:
    assert main(["diagnose", str(SMALL), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["records"], data["formats"]["ccm"], data["errors"], data["warnings"]) == (894, 894, 7, 21)


def test_missing_file_is_one_line_and_exit_2(tmp_path, capsys) -> None:
    good = write_lines(tmp_path / "Sender.log", [sms2("x")])
    assert main(["diagnose", str(good), str(tmp_path / "nope.log")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "nope.log" in captured.err and captured.err.startswith("sender-console:")


def test_folder_is_exit_2(tmp_path, capsys) -> None:
    assert main(["diagnose", str(tmp_path)]) == 2
    assert "folder" in capsys.readouterr().err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs a user that file modes apply to")
def test_unreadable_file_is_exit_2(tmp_path, capsys) -> None:
    path = write_lines(tmp_path / "Sender.log", [sms2("x")])
    path.chmod(0)
    try:
        assert main(["diagnose", str(path)]) == 2
    finally:
        path.chmod(0o644)
    assert "cannot read" in capsys.readouterr().err


def test_no_file_is_a_usage_error(capsys) -> None:
    assert main(["diagnose"]) == 2
    assert capsys.readouterr().err.count("\n") == 1


def test_a_read_error_midway_is_exit_2(tmp_path, capsys, monkeypatch) -> None:
    from console.logs import report

    def failing(path, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))
        yield  # pragma: no cover - a generator, as the real one

    monkeypatch.setattr(report, "iter_record_blocks", failing)
    path = write_lines(tmp_path / "Sender.log", [sms2("x")])
    assert main(["diagnose", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Permission denied" in err and "Sender.log" in err
