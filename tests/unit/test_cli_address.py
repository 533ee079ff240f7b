"""The address command: list, show, set (schedule, rate limit, server, substitute, priority), new, delete; the
sheet's validation; one-line errors with exit 2 and nothing saved; the sender command's forwarding warning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from console.__main__ import main
from console.model.addresses import Availability
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore


def run(capsys, cfg: Path, *argv: str) -> tuple[int, str, str]:
    code = main(["--config-dir", str(cfg), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _db(cfg: Path):
    return SiteSession.open(SiteStore(cfg / "sites.json"))[0].database


def test_list_and_list_json(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, tmp_path, "address", "nyc")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["Dest", "Pri", "Server", "Substitutes"]
    assert lines[1].startswith("BOS") and lines[1].endswith("Every day 08:00–17:00: 50 %; other times unlimited")
    code, out, _ = run(capsys, tmp_path, "address", "NYC", "--json")
    data = json.loads(out)
    assert data["site"] == "NYC" and [a["dest"] for a in data["addresses"]] == ["BOS", "CEN"]
    assert data["addresses"][0]["rate_limit"][1][8] == 50 and data["addresses"][1]["rate_limit"] is None


def test_show_one_with_its_week(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "address", "CEN", "LAB")
    assert code == 0
    assert "Standard Sender address of CEN to LAB - Training Lab, relative priority 1" in out
    assert "Mon  AAAAAAAAMMMMMMMMMAAAAAAA" in out and "Sun  " + "A" * 24 in out


def test_set_schedule_rate_limit_substitute_and_server(capsys, tmp_path: Path) -> None:
    code, out, _ = run(
        capsys,
        tmp_path,
        "address",
        "LAB",
        "CEN",
        "--schedule",
        "Mon-Fri",
        "08:00-17:00",
        "high",
        "--schedule",
        "Mon",
        "12:00-13:00",
        "closed",  # later wins
        "--rate-limit",
        "all",
        "00:00-24:00",
        "50",
        "--rate-limit",
        "Sat,Sun",
        "00:00-24:00",
        "unlimited",
        "--substitute",
        "no",
        "--server",
        "\\\\censrv02",
        "--json",
    )
    assert code == 0
    shown = json.loads(out)
    assert shown["server"] == "CENSRV02" and shown["substitute"] is False
    a = _db(tmp_path).address("LAB", "CEN")
    assert a.schedule.at(1, 9) is Availability.HIGH and a.schedule.at(1, 12) is Availability.CLOSED
    assert a.schedule.at(6, 9) is Availability.ALL
    assert a.rate_limit.at(1, 3) == 50 and a.rate_limit.at(0, 3) is None and a.rate_limit.at(6, 3) is None


def test_new_takes_the_next_free_priority_and_the_destinations_server_then_delete(capsys, tmp_path: Path) -> None:
    code, out, _ = run(capsys, tmp_path, "address", "CEN", "LAB", "--new")
    assert code == 0 and out.startswith("Created the address CEN → LAB (2).")
    assert _db(tmp_path).address("CEN", "LAB", 2).server == "LABSRV01"
    code, out, _ = run(capsys, tmp_path, "address", "CEN", "LAB", "--priority", "2", "--set-priority", "5")
    assert code == 0 and "relative priority 5" in out
    code, out, _ = run(capsys, tmp_path, "address", "CEN", "LAB", "--priority", "5", "--delete")
    assert code == 0 and out == "Deleted the address CEN → LAB (5).\n"
    assert len(_db(tmp_path).addresses) == 6


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["CEN", "LAB", "--server", "LAB/SRV"], "contains '/'"),
        (["CEN", "LAB", "--server", "A" * 16], "longer than 15 characters"),
        (["CEN", "LAB", "--schedule", "Mon-Fri", "08:30-17:00", "high"], "whole hours"),
        (["CEN", "LAB", "--schedule", "Funday", "08:00-17:00", "high"], "is not a day"),
        (["CEN", "LAB", "--schedule", "Mon", "08:00-17:00", "low"], 'availability must be "all"'),
        (["CEN", "LAB", "--rate-limit", "all", "08:00-17:00", "0"], "from 1 to 100"),
        (["CEN", "LAB", "--rate-limit", "all", "08:00-17:00", "half"], "not a percentage"),
        (["CEN", "LAB", "--new", "--priority", "1"], "already used"),
        (["CEN", "LAB", "--set-priority", "100"], "from 1 to 99"),
        (["CEN", "BOS"], "has no address to BOS"),
        (["CEN", "XYZ"], "no site 'XYZ'"),
        (["CEN", "CEN", "--new"], "cannot address itself"),
        (["CEN", "--server", "X"], "--server needs DEST"),
        (["CEN", "LAB", "--delete", "--server", "X"], "cannot be combined with --delete"),
    ],
)
def test_bad_values_are_one_line_exit_2_and_nothing_is_saved(capsys, tmp_path: Path, argv, message) -> None:
    run(capsys, tmp_path, "sites")
    before = (tmp_path / "sites.json").read_bytes()
    code, out, err = run(capsys, tmp_path, "address", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err
    assert (tmp_path / "sites.json").read_bytes() == before


def test_a_change_made_meanwhile_to_another_address_is_kept(capsys, tmp_path: Path) -> None:
    run(capsys, tmp_path, "sites")
    session = SiteSession.open(SiteStore(tmp_path / "sites.json"))[0]
    code, _, _ = run(capsys, tmp_path, "address", "CEN", "NYC", "--server", "NYC2")
    from dataclasses import replace

    a = session.database.address("CEN", "LAB")
    session.edit_address(("CEN", "LAB", 1), replace(a, server="LAB2"))  # this session never saw NYC2
    assert code == 0 and _db(tmp_path).address("CEN", "NYC").server == "NYC2"
    assert _db(tmp_path).address("CEN", "LAB").server == "LAB2"


def test_sender_warning_names_where_an_sp3_child_forwards(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, tmp_path, "sender", "LAB")
    assert code == 0 and err.startswith("warning: Q278357: ") and err.count("\n") == 1
    assert "LAB sends and forwards packages to CEN" in err and "even when the central site runs SP4" in err
    code, _, err = run(capsys, tmp_path, "sender", "CEN")
    assert code == 0 and err == ""
