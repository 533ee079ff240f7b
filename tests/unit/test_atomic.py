"""The shared file helpers: atomic writes (folder fsynced, stale temporaries cleared) and load-or-keep-aside."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

from console.model.atomic import atomic_write_text, clear_stale_temporaries, load_or_move_aside
from console.model.ui_state import UiState, UiStateStore


def test_deeply_nested_json_is_kept_aside_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    loaded = UiStateStore(path).load()
    assert loaded.state == UiState() and loaded.moved_to is not None and "nested too deeply" in loaded.notice


def test_an_integer_too_long_to_read_is_kept_aside(tmp_path: Path) -> None:
    path = tmp_path / "window-state.json"
    path.write_text('{"schema": ' + "9" * 5000 + "}", encoding="utf-8")
    loaded = UiStateStore(path).load()
    assert loaded.moved_to is not None and "not valid JSON" in loaded.notice


def test_load_or_move_aside_keeps_a_partly_bad_file_and_returns_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text("[1, 2]")
    loaded = load_or_move_aside(path, lambda data: (data[0], ["entry 2 was not loaded"]))
    assert loaded.value == 1 and loaded.problems == ("entry 2 was not loaded",)
    assert loaded.moved_to is not None and loaded.moved_to.read_text() == "[1, 2]" and not path.exists()
    assert load_or_move_aside(path, lambda data: (data, [])).missing


def test_the_folder_is_fsynced_after_the_rename(tmp_path: Path, monkeypatch) -> None:
    synced: list[bool] = []
    real = os.fsync

    def spy(fd: int) -> None:
        synced.append(stat.S_ISDIR(os.fstat(fd).st_mode))
        real(fd)

    monkeypatch.setattr(os, "fsync", spy)
    atomic_write_text(tmp_path / "sites.json", "{}")
    assert synced == [False, True]  # the file's data, then the folder's entry


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_save_clears_stale_temporaries_of_its_own_file_only(tmp_path: Path) -> None:
    target = tmp_path / "sites.json"
    dead = tmp_path / f".sites.json.{_dead_pid()}.abc123.tmp"  # its writer was killed between write and rename
    old = tmp_path / ".sites.json.k9x2.tmp"  # the pre-pid naming, two minutes old
    live = tmp_path / f".sites.json.{os.getppid()}.zz.tmp"  # a live writer, just now: in use
    other = tmp_path / f".window-state.json.{_dead_pid()}.q.tmp"  # another file's pattern
    for p in (dead, old, live, other):
        p.write_text("partial")
    two_minutes_ago = time.time() - 120
    os.utime(old, (two_minutes_ago, two_minutes_ago))
    atomic_write_text(target, "{}")
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == sorted([target.name, live.name, other.name])
    assert clear_stale_temporaries(target, now=time.time() + 61) == [live]  # a minute later it is stale too
