"""``sender-console simulate``: table, --json, --log, --until, and one-line errors with exit status 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import main
from console.engine.log_format import parse_line
from console.model.resource_paths import resource_path

SP3 = str(resource_path("scenarios", "q278357-sp3.toml"))


@pytest.fixture(autouse=True)
def _private_config(config_dir: Path) -> None:
    """simulate never touches the site database, but keep the user's folders out of reach anyway."""


def test_text_summary(capsys) -> None:
    assert main(["simulate", SP3]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Q278357 on an SP3 site: 2h 00m simulated, ")
    assert out[1].split() == ["REQUEST", "PACKAGE", "DEST", "STATUS", "DELIVERED", "ATTEMPTS", "SENT"]
    assert out[2].split() == ["2_001PRI", "PRI00001", "LAB", "delivered", "1h", "15m", "5", "100%"]
    assert out[3] == "1 delivered, 0 pending, 0 failed"


def test_json_summary_shape(capsys) -> None:
    assert main(["simulate", SP3, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"scenario", "events", "blocks", "sim_seconds", "sends"}
    assert data["scenario"] == "Q278357 on an SP3 site"
    # Heap entries handled, nothing counted arithmetically: with nobody watching, a transfer is one entry,
    # so far fewer events than the 80+ blocks written.
    assert isinstance(data["events"], int) and 0 < data["events"] < data["blocks"]
    assert data["blocks"] >= 80
    assert data["sim_seconds"] == 7200.0
    (send,) = data["sends"]
    assert set(send) == {
        "request_id",
        "package",
        "dest",
        "status",
        "delivered_s",
        "attempts",
        "bytes_sent",
        "size",
        "hops",
    }
    assert send["hops"] == [
        {"from": "PRI", "to": "LAB", "status": "delivered", "attempts": 5, "delivered_s": 4500.672, "waiting_s": 0.0}
    ]
    assert (send["request_id"], send["status"], send["attempts"]) == ("2_001PRI", "delivered", 5)
    assert send["delivered_s"] == 4500.672  # to the millisecond, as the log prints it; no float noise
    assert '"delivered_s": 4500.672,' in json.dumps(data)
    assert send["bytes_sent"] == send["size"] == 20480 * 1024


def test_json_is_deterministic(capsys) -> None:
    main(["simulate", SP3, "--json"])
    first = capsys.readouterr().out
    main(["simulate", SP3, "--json"])
    assert capsys.readouterr().out == first


def test_until_stops_early(capsys) -> None:
    assert main(["simulate", SP3, "--json", "--until", "30m"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sim_seconds"] == 1800.0
    assert data["sends"][0]["status"] == "pending"
    assert data["sends"][0]["delivered_s"] is None


def test_until_runs_past_the_scenario_duration(capsys, tmp_path: Path) -> None:
    """Past the 2 h of the file: nothing new is planned, but re-offers and retries go on."""
    cut = tmp_path / "cut.toml"
    cut.write_text(
        Path(SP3).read_text(encoding="utf-8").replace('duration = "2h"', 'duration = "70m"'), encoding="utf-8"
    )
    assert main(["simulate", str(cut), "--json"]) == 0
    short = json.loads(capsys.readouterr().out)
    assert (short["sim_seconds"], short["sends"][0]["status"]) == (4200.0, "pending")
    assert main(["simulate", str(cut), "--json", "--until", "2h"]) == 0
    longer = json.loads(capsys.readouterr().out)
    assert longer["sim_seconds"] == 7200.0
    assert longer["sends"][0]["status"] == "delivered"
    assert longer["sends"][0]["delivered_s"] == 4500.672
    assert "earlier or later" in " ".join(_help(capsys).split())


def test_until_past_the_thirty_day_limit_names_both_values(capsys) -> None:
    assert main(["simulate", SP3, "--until", "31d"]) == 2
    err = capsys.readouterr().err
    assert "--until: 31d is past the 30d 0h limit of a scenario (this one lasts 2h 00m)" in err


def _help(capsys) -> str:
    assert main(["simulate", "--help"]) == 0
    return capsys.readouterr().out


def test_log_file(tmp_path: Path, capsys) -> None:
    log = tmp_path / "Sender.log"
    assert main(["simulate", SP3, "--log", str(log)]) == 0
    lines = log.read_bytes().decode("utf-8").split("\r\n")
    assert lines[-1] == ""
    parsed = [parse_line(x) for x in lines[:-1]]
    assert all(parsed)
    texts = [p.text for p in parsed]
    assert texts.index("Heartbeat is expired.") + 1 == texts.index("Can't re-establish the connection.")
    assert any(t.endswith("Win32 error = 32.") for t in texts)
    assert texts[-2] == "Sending completed successfully"


def test_log_file_appends_and_says_so(tmp_path: Path, capsys) -> None:
    """A second run follows the first (the service's log accumulated across restarts); a cut line is ended."""
    log = tmp_path / "Sender.log"
    log.write_bytes(
        b"old line  $$<SMS_LAN_SENDER><Tue Mar 13 08:00:00.000 2001 Eastern Standard Time><thread=188 "
        b"(0xBC)>\r\npartial line with no end"
    )
    assert main(["simulate", SP3, "--log", str(log)]) == 0
    once = log.read_bytes()
    assert main(["simulate", SP3, "--log", str(log)]) == 0
    twice = log.read_bytes()
    assert twice.startswith(once)
    lines = twice.decode("utf-8").split("\r\n")
    assert lines[0].startswith("old line") and lines[1] == "partial line with no end"
    runs = lines[2:-1]
    assert len(runs) % 2 == 0 and runs[: len(runs) // 2] == runs[len(runs) // 2 :]
    assert all(parse_line(x) for x in runs)
    capsys.readouterr()
    assert "append the run's Sender.log lines to FILE" in " ".join(_help(capsys).split())


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["simulate", "nope.toml"], "nope.toml: no such file"),
        (["simulate", SP3, "--until", "soon"], "--until: 'soon' is not a duration"),
        (["simulate", SP3, "--log", "/no/such/dir/Sender.log"], "--log: folder /no/such/dir does not exist"),
    ],
)
def test_errors_are_one_line_and_exit_2(capsys, argv: list[str], message: str) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("sender-console: error: ")
    assert message in captured.err
    assert captured.err.count("\n") == 1


def test_bad_scenario_names_file_and_key(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(Path(SP3).read_text(encoding="utf-8").replace("size_kb = 20480", "size_kb = -1"), encoding="utf-8")
    assert main(["simulate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert (
        err == f"sender-console: error: {bad}: sends[1].size_kb: must be a whole number of kilobytes "
        f"from 1 to 4194304; got -1\n"
    )


def test_log_to_a_folder_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["simulate", SP3, "--log", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
