"""MemoryStore keeps a session's changes in memory; scenario_database turns a scenario's sites into a database."""

from __future__ import annotations

import pytest

from console.model.memory_store import MemoryStore, scenario_database
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.versions import SiteVersion

KB_CASE = resource_path("scenarios", "q278357-sp3.toml")


def test_scenario_database_gives_the_sending_site_a_standard_sender_with_the_files_settings() -> None:
    scenario = load_scenario(KB_CASE)
    db = scenario_database(scenario)
    assert db.codes == [spec.site.code for spec in scenario.sites]
    pri = db.get("PRI")
    assert pri.version is SiteVersion.SP3 and pri.standard_sender.settings == scenario.settings
    assert pri.standard_sender.settings.retry_delay_min == 6
    assert db.get("LAB").parent == "PRI"


def test_scenario_database_takes_what_the_engine_runs_now() -> None:
    db = scenario_database(load_scenario(KB_CASE), settings=SenderSettings(retry_delay_min=5), version=SiteVersion.SP4)
    pri = db.get("PRI")
    assert pri.version is SiteVersion.SP4 and pri.standard_sender.settings.retry_delay_min == 5
    assert db.get("LAB").version is SiteVersion.SP3  # only the sending site follows the engine


def test_a_session_on_a_memory_store_saves_in_memory_and_announces_changes(tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = scenario_database(load_scenario(KB_CASE))
    store = MemoryStore(db)
    session, loaded = SiteSession.open(store)
    assert loaded.database is db and not loaded.seeded and loaded.notice is None and store.path is None
    seen = []
    session.subscribe(seen.append)
    session.update_sender_settings("PRI", SenderType.STANDARD, SenderSettings(retry_delay_min=5))
    assert store.saves == 1 and store.database is session.database
    assert store.load().database.get("PRI").standard_sender.settings.retry_delay_min == 5
    assert [(c.kind, c.code, c.settings.retry_delay_min) for c in seen] == [("settings", "PRI", 5)]
    assert list(tmp_path.iterdir()) == []  # no file anywhere
    with pytest.raises(KeyError):
        session.update_sender_settings("CEN", SenderType.STANDARD, SenderSettings())
    assert store.saves == 1
