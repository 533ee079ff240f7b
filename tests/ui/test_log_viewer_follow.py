"""Following a log in the viewer: new lines at the end, the user's place kept when scrolled up, Pause, rotation.

The follow timer's slot (``LogTab.poll``) is called directly: no waiting on the wall clock.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from viewer_support import sms2, write_lines

from console.ui.log.viewer_tab import FOLLOW_MS
from console.ui.log.viewer_window import LogViewerWindow


@pytest.fixture
def viewer(qtbot) -> LogViewerWindow:
    w = LogViewerWindow()
    qtbot.addWidget(w)
    w.resize(1000, 500)
    w.show()
    return w


def many(n: int, start: int = 0) -> list[str]:
    return [sms2(f"line {i}", minutes=i / 60) for i in range(start, start + n)]


def open_log(viewer: LogViewerWindow, path: Path):
    tab = viewer.open_paths([path])
    viewer.wait_loaded()
    return tab


def test_follows_the_end_every_half_second(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", many(300))
    tab = open_log(viewer, log)
    bar = tab.table.verticalScrollBar()
    assert tab.follow_timer.isActive() and tab.follow_timer.interval() == FOLLOW_MS == 500
    assert bar.value() == bar.maximum() > 0 and tab.following  # a loaded log opens at its end
    write_lines(log, many(50, 300), mode="a")
    assert tab.poll() == 50
    assert tab.model.total_count() == 350
    assert bar.value() == bar.maximum()
    assert tab.model.row(tab.model.rowCount() - 1)[0] == "line 349"
    assert tab.model.row(300)[7] == 301  # line numbers go on from the load


def test_keeps_the_users_place_when_scrolled_up(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", many(300))
    tab = open_log(viewer, log)
    bar = tab.table.verticalScrollBar()
    bar.setValue(10)
    assert not tab.following
    write_lines(log, many(40, 300), mode="a")
    assert tab.poll() == 40
    assert bar.value() == 10 and bar.maximum() > 10
    bar.setValue(bar.maximum())  # back at the end: following again
    assert tab.following
    write_lines(log, many(5, 340), mode="a")
    tab.poll()
    assert bar.value() == bar.maximum()


def test_pause_holds_new_lines_back_until_resumed(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", many(3))
    tab = open_log(viewer, log)
    viewer.pause_action.trigger()
    assert tab.paused and not tab.follow_timer.isActive()
    assert "paused" in viewer.count_label.text()
    write_lines(log, many(2, 3), mode="a")
    assert tab.poll() == 0 and tab.model.total_count() == 3
    viewer.pause_action.trigger()  # Resume reads what came meanwhile
    assert not tab.paused and tab.follow_timer.isActive()
    assert tab.model.total_count() == 5


def test_survives_rollover_to_lo_and_truncation(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", many(3))
    tab = open_log(viewer, log)
    messages: list[str] = []
    tab.message.connect(messages.append)
    write_lines(log, many(1, 3), mode="a")
    os.replace(log, tmp_path / "Sender.lo_")  # the 1 MB rollover
    write_lines(log, many(2, 4))
    tab.poll()
    assert [tab.model.row(v)[0] for v in range(tab.model.rowCount())][-3:] == ["line 3", "line 4", "line 5"]
    assert messages and "rolled over" in messages[0]
    log.write_bytes(b"")  # truncated
    tab.poll()
    write_lines(log, many(1, 6))
    tab.poll()
    assert tab.model.row(tab.model.rowCount() - 1)[0] == "line 6"


def test_a_last_line_without_a_line_break_shows(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = tmp_path / "Sender.log"
    log.write_bytes((sms2("first") + "\r\n" + sms2("last, still being written")).encode())
    tab = open_log(viewer, log)
    assert [tab.model.row(v)[0] for v in range(tab.model.rowCount())] == ["first", "last, still being written"]


def test_a_load_shows_rows_before_it_ends(viewer: LogViewerWindow, tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", many(20_000))
    tab = viewer.open_paths([log])
    first: list[tuple[int, bool]] = []
    tab.load.rowsReady.connect(lambda _rows: first or first.append((tab.model.total_count(), tab.loading)))
    viewer.wait_loaded()
    count, loading = first[0]
    assert 0 < count < 20_000 and loading  # the first block is small and shows at once
    assert tab.model.total_count() == 20_000 and not viewer.progress_bar.isVisible()
