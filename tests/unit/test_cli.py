"""The command line: sites, sender, global options and the one-line errors of DESIGN.md §4."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console import __version__
from console.__main__ import main
from console.model.site_store import SiteStore


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"sender-console {__version__}"


def test_sites_table_and_json(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "--config-dir", str(tmp_path), "sites")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Server", "Version", "Parent"]
    assert lines[2].split()[:3] == ["LAB", "Training", "Lab"] and lines[2].endswith("CEN")
    code, out, _ = run(capsys, "sites", "--json", "--config-dir", str(tmp_path))
    rows = json.loads(out)
    assert rows[0] == {
        "code": "CEN",
        "name": "Central Site",
        "server": "CENSRV01",
        "version": "2.0 SP4",
        "build": "2.00.1493.4000",
        "parent": None,
    }


def test_config_dir_from_environment(capsys, config_dir: Path) -> None:
    run(capsys, "sites")
    assert (config_dir / "sites.json").is_file()


def test_sender_show_with_warning_on_pre_sp4(capsys, config_dir: Path) -> None:
    code, out, err = run(capsys, "sender", "LAB")
    assert code == 0
    assert "Delay before retrying (minutes):  6" in out and "SMS_LAN_SENDER" in out
    assert err.startswith("warning: Q278357: ") and err.count("\n") == 1


def test_sender_json_shape(capsys, config_dir: Path) -> None:
    code, out, err = run(capsys, "sender", "nyc", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data == {"site": "NYC", "all_sites": 5, "per_site": 3, "retries": 2, "retry_delay_min": 6, "advisories": []}


def test_sender_applies_and_saves(capsys, config_dir: Path) -> None:
    code, out, err = run(
        capsys,
        "sender",
        "LAB",
        "--retry-delay",
        "5",
        "--all-sites",
        "20",
        "--per-site",
        "4",
        "--retries",
        "9",
        "--json",
    )
    assert code == 0 and err == ""
    assert json.loads(out)["advisories"] == []
    saved = SiteStore(config_dir / "sites.json").load().database.get("LAB").standard_sender.settings
    assert saved.to_dict() == {"all_sites": 20, "per_site": 4, "retries": 9, "retry_delay_min": 5}


def test_sender_warning_after_applying_a_long_delay(capsys, config_dir: Path) -> None:
    code, out, err = run(capsys, "sender", "BOS", "--retry-delay", "7", "--json")
    data = json.loads(out)
    assert code == 0 and [a["kb"] for a in data["advisories"]] == ["Q278357"]
    assert "warning: Q278357" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--retry-delay", "100"],
            "--retry-delay: Delay before retrying must be from 1 to 99; got 100; nothing was saved",
        ),
        (["--all-sites", "0"], "--all-sites: All sites must be from 1 to 999"),
        (["--per-site", "1000"], "--per-site: Per site must be from 1 to 999"),
        (["--retries", "0"], "--retries: Number of retries must be from 1 to 99"),
        (["--retries", "two"], "argument --retries: invalid int value: 'two'"),
    ],
)
def test_sender_out_of_range_saves_nothing(capsys, config_dir: Path, args: list[str], message: str) -> None:
    run(capsys, "sites")
    before = (config_dir / "sites.json").read_bytes()
    code, out, err = run(capsys, "sender", "LAB", "--retry-delay", "3", *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("sender-console: error: ")
    assert (config_dir / "sites.json").read_bytes() == before


def test_unknown_site(capsys, config_dir: Path) -> None:
    code, _, err = run(capsys, "sender", "XYZ")
    assert code == 2
    assert err == "sender-console: error: no site 'XYZ' in the site database (known: CEN, LAB, NYC, BOS)\n"


@pytest.mark.parametrize("argv", [["--bogus"], ["sites", "--nope"], ["frobnicate"], ["sender"]])
def test_bad_arguments_are_one_line_exit_2(capsys, config_dir: Path, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and err.startswith("sender-console: error: ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--speed", "fast"], "--speed: 'fast' is not a number"),
        (["--speed", "-1"], "--speed: must be from 0"),
        (["--screenshot", "shot.jpg"], "must end in .png"),
        (["--screenshot", "/no/such/dir/x.png"], "does not exist"),
        (["--after", "10m"], "--after only works together with --screenshot"),
        (["--screenshot", "{tmp}/x.png", "--after", "soon"], "--after: 'soon' is not a duration"),
        (["--scenario", "/no/such.toml"], "--scenario: /no/such.toml: no such file"),
        (["properties", "LAB", "--sender", "SMS_FAX"], "--sender: unknown sender type"),
    ],
)
def test_window_options_are_checked_before_qt(
    capsys, config_dir: Path, tmp_path: Path, argv: list[str], message: str
) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err and err.count("\n") == 1


def test_properties_unknown_site_exits_2_without_qt(config_dir: Path) -> None:
    run_ = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from console.__main__ import main; "
            "rc = main(['properties', 'XYZ']); "
            "print(rc, any(m.startswith('PySide6') for m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert run_.stdout == "2 False\n"
    assert "no site 'XYZ'" in run_.stderr


def test_corrupt_site_file_notice_on_stderr(capsys, config_dir: Path) -> None:
    config_dir.mkdir(parents=True)
    (config_dir / "sites.json").write_text("[1, 2")
    code, out, err = run(capsys, "sites")
    assert code == 0 and "CEN" in out
    assert err.startswith("sender-console: notice: The site database") and "sites.json.bad-" in err
    assert len(list(config_dir.glob("sites.json.bad-*"))) == 1


@pytest.mark.parametrize("option", [["--screenshot", "x.png"], ["--speed", "10"], ["--scenario", "s.toml"]])
def test_window_options_before_another_command_are_refused(capsys, config_dir: Path, option: list[str]) -> None:
    code, out, err = run(capsys, *option, "sites")
    assert code == 2 and out == ""
    assert (
        err == f"sender-console: error: {option[0]} only applies to the console window or 'properties SITE', "
        "not to this command\n"
    )


def test_window_options_before_properties_are_kept(capsys, config_dir: Path, monkeypatch) -> None:
    from console.cli.main import main as cli_main
    from console.cli.window_cmd import GuiLaunch

    launch = cli_main(["--speed", "10", "properties", "LAB", "--after", "1m", "--screenshot", "/tmp/x.png"])
    assert isinstance(launch, GuiLaunch)
    request = launch.request
    assert request.speed == 10.0 and request.after_s == 60.0 and request.site == "LAB"


def test_config_dir_that_is_a_file(capsys, tmp_path: Path) -> None:
    afile = tmp_path / "cfg"
    afile.write_text("keep me")
    code, _, err = run(capsys, "--config-dir", str(afile), "sites")
    assert code == 2 and err == f"sender-console: error: --config-dir: {afile} exists but is not a folder\n"
    assert afile.read_text() == "keep me"


def test_a_closed_pipe_ends_quietly(config_dir: Path) -> None:
    """``sender-console sites | head -1``: the reader is gone before the child writes (it closes at once,
    the child needs a tenth of a second to start), so the write fails with EPIPE; that is not an error."""
    proc = subprocess.Popen([sys.executable, "-m", "console", "sites"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait() == 0 and err == ""


def test_properties_of_a_sender_the_site_lacks(capsys, config_dir: Path) -> None:
    code, _, err = run(capsys, "properties", "LAB", "--sender", "SMS_ISDN_RAS_SENDER")
    assert code == 2 and err == "sender-console: error: site LAB has no ISDN RAS Sender\n"


def test_config_dir_that_cannot_be_created_names_the_option(capsys, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run(capsys, "--config-dir", str(blocker / "sub"), "sites")
    assert code == 2 and err.startswith(f"sender-console: error: --config-dir: cannot use {blocker / 'sub'}: ")
    assert err.count("\n") == 1 and blocker.read_text() == "x"
