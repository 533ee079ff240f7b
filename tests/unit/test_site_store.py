"""The site database on disk: seeding, round trip, atomic writes, and every kind of bad file kept aside."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from console.model.atomic import atomic_write_text, move_aside
from console.model.demo import demo_database
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteChange, SiteSession
from console.model.site_store import SCHEMA_VERSION, SiteStore, database_to_json


def test_first_load_seeds_the_demo_and_writes_it(tmp_path: Path) -> None:
    store = SiteStore(tmp_path / "cfg" / "sites.json")
    result = store.load()
    assert result.seeded and result.notice is None
    assert [s.code for s in result.database] == ["CEN", "LAB", "NYC", "BOS"]
    data = json.loads(store.path.read_text())
    assert data["schema"] == SCHEMA_VERSION and data["sites"][1]["version"] == "2.0 SP3"
    again = SiteStore(store.path).load()
    assert not again.seeded and database_to_json(again.database) == database_to_json(result.database)


def test_the_file_is_human_readable_json(tmp_path: Path) -> None:
    store = SiteStore(tmp_path / "sites.json")
    store.load()
    text = store.path.read_text()
    assert text.startswith(f'{{\n  "schema": {SCHEMA_VERSION},') and '"type": "SMS_LAN_SENDER"' in text


def _write(path: Path, data: object) -> None:
    path.write_text(data if isinstance(data, str) else json.dumps(data))


def _good() -> dict:
    return database_to_json(demo_database())


def _case_not_json() -> str:
    return "{ this is not json"


def _case_schema() -> dict:
    return {**_good(), "schema": 99}


def _case_out_of_range() -> dict:
    d = _good()
    d["sites"][1]["senders"][0]["retry_delay_min"] = 120
    return d


def _case_bad_parent() -> dict:
    d = _good()
    d["sites"][1]["parent"] = "ZZZ"
    return d


def _case_unknown_key() -> dict:
    d = _good()
    d["sites"][0]["colour"] = "blue"
    return d


def _case_ras_per_site() -> dict:
    d = _good()
    d["sites"][0]["senders"][1]["per_site"] = 3
    return d


def _case_wrong_type() -> dict:
    d = _good()
    d["sites"] = {"CEN": {}}
    return d


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (_case_not_json, "not valid JSON"),
        (_case_schema, "schema version 99"),
        (_case_wrong_type, "'sites' must be a list"),
    ],
)
def test_an_unreadable_file_is_moved_aside_never_lost(tmp_path: Path, make, why: str) -> None:
    path = tmp_path / "sites.json"
    content = make()
    _write(path, content)
    original = path.read_bytes()
    result = SiteStore(path).load()
    assert result.seeded and result.moved_to is not None
    assert result.moved_to.read_bytes() == original
    assert result.moved_to.name.startswith("sites.json.bad-")
    assert result.notice is not None and str(result.moved_to.name) in result.notice
    import re

    assert re.search(why, result.notice), result.notice
    assert [s.code for s in SiteStore(path).load().database] == ["CEN", "LAB", "NYC", "BOS"]


@pytest.mark.parametrize(
    ("make", "why", "codes"),
    [
        (
            _case_out_of_range,
            r"sites\[1\].senders\[0\] of site LAB: Delay before retrying .* must be from 1 to 99; got 120; "
            r"that sender was not loaded",
            ["CEN", "LAB", "NYC", "BOS"],
        ),
        (_case_bad_parent, "parent ZZZ .* LAB was loaded as a top-level site", ["CEN", "LAB", "NYC", "BOS"]),
        (
            _case_unknown_key,
            r"sites\[0\] \(CEN\): unknown key 'colour'; that site was not loaded",
            ["LAB", "NYC", "BOS"],
        ),
        (
            _case_ras_per_site,
            r"sites\[0\].senders\[1\] of site CEN: .*RAS sender must be 1",
            ["CEN", "LAB", "NYC", "BOS"],
        ),
    ],
)
def test_a_partly_bad_file_is_kept_aside_and_every_valid_entry_loaded(tmp_path: Path, make, why: str, codes) -> None:
    path = tmp_path / "sites.json"
    _write(path, make())
    original = path.read_bytes()
    result = SiteStore(path).load()
    assert not result.seeded and result.moved_to is not None and result.moved_to.read_bytes() == original
    assert result.notice is not None and result.moved_to.name in result.notice
    import re

    assert re.search(why, result.notice), result.notice
    assert len(result.problems) >= 1 and all(p in result.notice for p in result.problems)
    reread = SiteStore(path).load()
    assert reread.notice is None and [s.code for s in reread.database] == codes


def test_move_aside_never_overwrites(tmp_path: Path) -> None:
    a = tmp_path / "x.json"
    names = set()
    for i in range(3):
        a.write_text(str(i))
        names.add(move_aside(a).name)
    assert len(names) == 3 and not a.exists()


def test_atomic_write_leaves_the_old_file_when_the_write_fails(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "sites.json"
    atomic_write_text(path, "old")

    def boom(*_a):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write_text(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["sites.json"]  # no temporary left behind


def test_session_saves_and_notifies(tmp_path: Path) -> None:
    session, _ = SiteSession.open(SiteStore(tmp_path / "sites.json"))
    seen: list[SiteChange] = []
    unsubscribe = session.subscribe(seen.append)
    session.update_sender_settings("lab", SenderType.STANDARD, SenderSettings(retry_delay_min=5))
    assert seen == [SiteChange("settings", "LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=5))]
    reread = SiteStore(tmp_path / "sites.json").load().database
    assert reread.get("LAB").standard_sender.settings.retry_delay_min == 5
    unsubscribe()
    session.remove_site("BOS")
    assert len(seen) == 1 and "BOS" not in SiteStore(tmp_path / "sites.json").load().database


def test_session_keeps_memory_unchanged_when_saving_fails(tmp_path: Path, monkeypatch) -> None:
    store = SiteStore(tmp_path / "sites.json")
    session, _ = SiteSession.open(store)
    monkeypatch.setattr(store, "save", lambda db: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    with pytest.raises(PermissionError):
        session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=2))
    assert session.site("LAB").standard_sender.settings.retry_delay_min == 6


def test_an_empty_site_list_is_a_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    path.write_text('{"schema": 1, "sites": []}')
    result = SiteStore(path).load()
    assert result.moved_to is not None and "lists no sites" in result.notice
    assert len(result.database) == 4


def test_notice_names_the_place_once(tmp_path: Path) -> None:
    path = tmp_path / "sites.json"
    _write(path, _case_out_of_range())
    notice = SiteStore(path).load().notice
    assert notice.count("sites[1]") == 1 and "sites[1].senders[0] of site LAB: Delay before retrying" in notice


def test_the_last_site_cannot_be_removed(tmp_path: Path) -> None:
    session, _ = SiteSession.open(SiteStore(tmp_path / "sites.json"))
    for code in ("BOS", "NYC", "LAB"):
        session.remove_site(code)
    with pytest.raises(ValueError, match="only site"):
        session.remove_site("CEN")
    assert [s.code for s in SiteStore(tmp_path / "sites.json").load().database] == ["CEN"]
