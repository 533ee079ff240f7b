"""No lost updates: two stores (windows, processes, the sender command) saving the same sites.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SaveConflict, SiteChange, SiteSession
from console.model.site_store import SiteStore
from console.model.sites import Site
from console.model.versions import SiteVersion

ROOT = Path(__file__).resolve().parents[2]


def _two_sessions(tmp_path: Path) -> tuple[SiteSession, SiteSession, Path]:
    path = tmp_path / "sites.json"
    a, _ = SiteSession.open(SiteStore(path))
    b, _ = SiteSession.open(SiteStore(path))
    return a, b, path


def _on_disk(path: Path) -> SiteSession:
    return SiteSession.open(SiteStore(path))[0]


def _delay(session: SiteSession, code: str, kind: SenderType = SenderType.STANDARD) -> int:
    sender = session.site(code).sender(kind)
    assert sender is not None
    return sender.settings.retry_delay_min


def test_interleaved_saves_of_different_sites_both_survive(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    b.update_sender_settings("NYC", SenderType.STANDARD, SenderSettings(retry_delay_min=3))
    a.edit_site("BOS", a.site("BOS").replace(name="Boston"))
    b.add_site(Site("CHI", "Chicago", "CHISRV", SiteVersion.SP4, "CEN"))
    disk = _on_disk(path)
    assert (_delay(disk, "LAB"), _delay(disk, "NYC")) == (2, 3)
    assert disk.site("BOS").name == "Boston" and "CHI" in disk.database
    # Each session now also holds what the other saved before it (merged on save).
    assert _delay(b, "LAB") == 2 and a.database.codes == ["CEN", "LAB", "NYC", "BOS"]


def test_different_senders_of_one_site_merge(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.update_sender_settings("NYC", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    b.update_sender_settings("NYC", SenderType.ISDN_RAS, SenderSettings.for_ras(retry_delay_min=9))
    disk = _on_disk(path)
    assert _delay(disk, "NYC") == 2 and _delay(disk, "NYC", SenderType.ISDN_RAS) == 9


def test_a_save_announces_what_it_merged_in(tmp_path: Path) -> None:
    a, b, _ = _two_sessions(tmp_path)
    seen: list[SiteChange] = []
    b.subscribe(seen.append)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    b.update_sender_settings("NYC", SenderType.STANDARD, SenderSettings(retry_delay_min=3))
    assert [(c.kind, c.code) for c in seen] == [("settings", "NYC"), ("settings", "LAB")]
    assert seen[1].settings == SenderSettings(retry_delay_min=2)


def test_the_same_sender_changed_twice_is_a_conflict_and_nothing_is_written(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    before = path.read_bytes()
    with pytest.raises(SaveConflict) as caught:
        b.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=4))
    conflict = caught.value
    assert path.read_bytes() == before and _delay(b, "LAB") == 6  # nothing written, memory unchanged
    [unit] = conflict.conflicts
    assert (unit.code, unit.sender_type) == ("LAB", SenderType.STANDARD)
    assert unit.mine.settings.retry_delay_min == 4 and unit.theirs.settings.retry_delay_min == 2
    assert unit.base.settings.retry_delay_min == 6
    assert "the Standard Sender of LAB was changed here and changed elsewhere" in str(conflict)
    assert conflict.theirs.get("LAB").standard_sender.settings == SenderSettings(retry_delay_min=2)
    assert conflict.keep_mine.get("LAB").standard_sender.settings == SenderSettings(retry_delay_min=4)


def test_keep_mine_writes_over_the_conflict_and_keeps_other_changes(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    a.update_sender_settings("NYC", SenderType.STANDARD, SenderSettings(retry_delay_min=3))
    with pytest.raises(SaveConflict) as caught:
        b.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=4))
    changes = b.keep_mine(caught.value)
    disk = _on_disk(path)
    assert (_delay(disk, "LAB"), _delay(disk, "NYC")) == (4, 3)
    assert (_delay(b, "LAB"), _delay(b, "NYC")) == (4, 3)
    assert {(c.kind, c.code) for c in changes} == {("settings", "LAB"), ("settings", "NYC")}


def test_keep_mine_still_merges_a_change_made_after_the_conflict(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    with pytest.raises(SaveConflict) as caught:
        b.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=4))
    a.update_sender_settings("BOS", SenderType.STANDARD, SenderSettings(retry_delay_min=8))  # while b's user reads
    b.keep_mine(caught.value)
    disk = _on_disk(path)
    assert (_delay(disk, "LAB"), _delay(disk, "BOS")) == (4, 8)


def test_reload_reports_and_announces_what_changed(tmp_path: Path) -> None:
    a, b, _ = _two_sessions(tmp_path)
    assert b.reload() == []
    seen: list[SiteChange] = []
    b.subscribe(seen.append)
    a.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    a.remove_site("BOS")
    a.add_site(Site("CHI", "Chicago", "CHISRV", SiteVersion.SP4, "CEN"))
    a.edit_site("NYC", a.site("NYC").replace(version=SiteVersion.SP3))
    changes = b.reload()
    assert changes == seen
    assert sorted((c.kind, c.code) for c in changes) == [
        ("settings", "LAB"),
        ("site-added", "CHI"),
        ("site-edited", "NYC"),
        ("site-removed", "BOS"),
    ]
    assert b.database.codes == a.database.codes and b.reload() == []


@pytest.mark.parametrize("first", ["remove", "edit"])
def test_a_site_removed_on_one_side_and_changed_on_the_other_conflicts(tmp_path: Path, first: str) -> None:
    a, b, _ = _two_sessions(tmp_path)
    remove = lambda s: s.remove_site("BOS")  # noqa: E731
    edit = lambda s: s.update_sender_settings("BOS", SenderType.STANDARD, SenderSettings(retries=5))  # noqa: E731
    (remove if first == "remove" else edit)(a)
    with pytest.raises(SaveConflict) as caught:
        (edit if first == "remove" else remove)(b)
    assert [c.code for c in caught.value.conflicts] == ["BOS"]


def test_a_child_added_under_a_site_removed_elsewhere_is_refused(tmp_path: Path) -> None:
    a, b, path = _two_sessions(tmp_path)
    a.remove_site("BOS")
    a.remove_site("NYC")
    with pytest.raises(SaveConflict, match="NYC"):
        b.add_site(Site("QNS", "Queens", "QNSSRV", SiteVersion.SP4, "NYC"))
    assert "QNS" not in _on_disk(path).database


def test_the_sender_command_goes_through_the_same_merge(tmp_path: Path, capsys) -> None:
    from console.cli.main import main

    config = tmp_path / "cfg"
    window, _ = SiteSession.open(SiteStore(config / "sites.json"))
    other, _ = SiteSession.open(SiteStore(config / "sites.json"))
    assert main(["sender", "LAB", "--retry-delay", "7", "--config-dir", str(config)]) == 0
    window.update_sender_settings("NYC", SenderType.STANDARD, SenderSettings(retry_delay_min=3))
    disk = _on_disk(config / "sites.json")
    assert (_delay(disk, "LAB"), _delay(disk, "NYC")) == (7, 3)
    with pytest.raises(SaveConflict):  # a window that has not seen the command's change
        other.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=4))


def test_the_sender_command_refuses_to_write_over_a_change_it_has_not_seen(tmp_path: Path, monkeypatch, capsys) -> None:
    from console.cli.context import CliContext
    from console.cli.main import main

    config = tmp_path / "cfg"
    window, _ = SiteSession.open(SiteStore(config / "sites.json"))
    real = CliContext.load_sites

    def load_then_the_window_saves(ctx: CliContext):
        result = real(ctx)
        window.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=4))
        return result

    monkeypatch.setattr(CliContext, "load_sites", load_then_the_window_saves)
    assert main(["sender", "LAB", "--retry-delay", "7", "--config-dir", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "changed elsewhere" in err[0] and "nothing was saved" in err[0], err
    assert _delay(_on_disk(config / "sites.json"), "LAB") == 4


_WORKER = r"""
import sys
from pathlib import Path
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.model.sites import Site
from console.model.versions import SiteVersion

path, letter, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
own = {"A": "LAB", "B": "NYC", "C": "BOS"}[letter]
session, _ = SiteSession.open(SiteStore(path))
for i in range(rounds):
    session.add_site(Site(f"{letter}{i:02d}", "", f"{letter}SRV{i}", SiteVersion.SP4, "CEN"))
    session.update_sender_settings(own, SenderType.STANDARD, SenderSettings(retries=1 + i % 99))
"""


def test_processes_saving_at_the_same_moment_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    SiteStore(path).load()
    rounds = 40
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, str(path), letter, str(rounds)],
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        )
        for letter in "ABC"
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    disk = _on_disk(path)
    for letter in "ABC":
        assert all(f"{letter}{i:02d}" in disk.database for i in range(rounds)), letter
    for code in ("LAB", "NYC", "BOS"):
        assert disk.site(code).standard_sender.settings.retries == rounds
    assert len(json.loads(path.read_text())["sites"]) == 4 + 3 * rounds
