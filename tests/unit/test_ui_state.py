"""The window-state store: round trip, defaults, and bad files kept aside (no QApplication needed)."""

from __future__ import annotations

import json
from dataclasses import fields

import pytest

from console.model import ui_state
from console.model.ui_state import UiState, UiStateError, UiStateStore


def test_missing_file_gives_defaults_without_notice(tmp_path) -> None:
    loaded = UiStateStore(tmp_path / "window-state.json").load()
    assert loaded.state == UiState()
    assert loaded.notice is None and loaded.moved_to is None


def test_every_field_is_serialised() -> None:
    names = {f.name for f in fields(UiState)}
    assert names == set(ui_state._BLOBS) | set(ui_state._TEXTS) | set(ui_state._NUMBERS)


def test_live_engine_fields_round_trip_and_a_bad_speed_is_refused(tmp_path) -> None:
    store = UiStateStore(tmp_path / "window-state.json")
    state = UiState(sending_site="NYC", speed=10.0, engine_tab="Sender.log")
    store.save(state)
    assert store.load().state == state
    assert json.loads(store.path.read_text(encoding="utf-8"))["speed"] == 10.0
    for bad in ('"fast"', "true", "NaN"):
        store.path.write_text(f'{{"schema": 1, "speed": {bad}}}', encoding="utf-8")
        loaded = store.load()
        assert loaded.state == UiState() and "'speed' must be a number" in (loaded.notice or ""), bad


def test_round_trip_keeps_blobs_byte_for_byte(tmp_path) -> None:
    store = UiStateStore(tmp_path / "sub" / "window-state.json")
    state = UiState(
        geometry=b"\x01\xd9\xd0\xcb\x00\x03\x00\x00\xff",
        window_state=b"\x00",
        main_splitter=b"abc",
        right_splitter=b"",
        senders_header=b"\x7f" * 40,
        selected_site="LAB",
        selected_node="senders",
        scenario_dir="/tmp/s",
        log_dir="/tmp/l",
    )
    store.save(state)
    assert store.load().state == state
    on_disk = json.loads(store.path.read_text(encoding="utf-8"))
    assert on_disk["schema"] == ui_state.SCHEMA_VERSION
    assert on_disk["main_splitter"] == "YWJj"  # base64, so the file stays readable JSON
    assert on_disk["selected_site"] == "LAB"


def test_none_fields_are_left_out_of_the_file(tmp_path) -> None:
    store = UiStateStore(tmp_path / "w.json")
    store.save(UiState(selected_site="CEN"))
    assert json.loads(store.path.read_text(encoding="utf-8")) == {"schema": 1, "selected_site": "CEN"}


def test_unknown_keys_are_ignored(tmp_path) -> None:
    path = tmp_path / "w.json"
    path.write_text(json.dumps({"schema": 1, "selected_site": "NYC", "from_a_newer_version": [1]}), encoding="utf-8")
    loaded = UiStateStore(path).load()
    assert loaded.state == UiState(selected_site="NYC")
    assert loaded.notice is None and path.exists()


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "JSON object"),
        ('{"schema": 99}', "schema version 99"),
        ('{"schema": 1, "geometry": "***"}', "'geometry' is not valid base64"),
        ('{"schema": 1, "main_splitter": 12}', "'main_splitter' must be a base64 string"),
        ('{"schema": 1, "selected_site": ["LAB"]}', "'selected_site' must be a string"),
    ],
)
def test_bad_file_is_moved_aside_and_defaults_used(tmp_path, content: str, says: str) -> None:
    path = tmp_path / "window-state.json"
    path.write_text(content, encoding="utf-8")
    loaded = UiStateStore(path).load()
    assert loaded.state == UiState()
    assert loaded.moved_to is not None and loaded.moved_to.name.startswith("window-state.json.bad-")
    assert loaded.moved_to.read_text(encoding="utf-8") == content  # kept as it was
    assert not path.exists()
    assert loaded.notice is not None and says in loaded.notice and loaded.moved_to.name in loaded.notice


def test_undecodable_bytes_are_moved_aside(tmp_path) -> None:
    path = tmp_path / "w.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded = UiStateStore(path).load()
    assert loaded.state == UiState() and loaded.moved_to is not None and loaded.moved_to.exists()


def test_from_json_names_the_key() -> None:
    with pytest.raises(UiStateError, match="'log_dir' must be a string"):
        UiState.from_json({"schema": 1, "log_dir": 3})
