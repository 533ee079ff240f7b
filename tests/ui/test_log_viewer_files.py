"""Opening log files in the log viewer: big files load while the event loop runs, .lo_ files alone, missing files,
encodings, empty files, a read error midway, closing mid-load. (Decoding itself is tested in
tests/unit/logs/test_logs_reader.py.)"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from log_samples import filler_lines, story_lines
from PySide6.QtCore import QTimer

from console.logs.classify import Severity
from console.ui.log import viewer_loader
from console.ui.log.viewer_model import SEVERITY_ROLE
from console.ui.log.viewer_tab import LogTab
from console.ui.log.viewer_window import LogViewerWindow


def write_log(path: Path, lines: list[str], newline: str = "\n", encoding: str = "utf-8") -> Path:
    path.write_bytes((newline.join(lines) + newline).encode(encoding))
    return path


@pytest.fixture
def viewer(qtbot) -> LogViewerWindow:
    w = LogViewerWindow()
    qtbot.addWidget(w)
    w.resize(1000, 400)
    w.show()
    return w


def opened(viewer: LogViewerWindow, path: Path) -> LogTab:
    tab = viewer.open_paths([path])
    assert tab is not None
    viewer.wait_loaded()
    return tab


def texts(tab: LogTab) -> list[str]:
    return [tab.model.row(v)[0] for v in range(tab.model.rowCount())]


def test_twenty_megabytes_load_while_the_event_loop_keeps_running(tmp_path: Path, viewer: LogViewerWindow) -> None:
    lines = (story_lines() + filler_lines(500)) * 240
    path = write_log(tmp_path / "Sender.log", lines)
    assert path.stat().st_size > 20_000_000

    events: list[str] = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: events.append("tick"))
    progress_seen: list[bool] = []
    ticker.timeout.connect(lambda: progress_seen.append(viewer.progress_bar.isVisible()))
    ticker.start()
    tab = viewer.open_paths([path])
    assert tab is not None and tab.loading
    tab.model.rowsInserted.connect(lambda *_: events.append("rows"))
    viewer.wait_loaded()
    ticker.stop()

    assert tab.model.total_count() == len(lines) and tab.errors == []
    first, last = events.index("rows"), len(events) - 1 - events[::-1].index("rows")
    # The timer kept firing between the first and the last batch of rows: the window never froze for the load.
    assert events[first:last].count("tick") >= 5
    assert any(progress_seen)
    assert not viewer.progress_bar.isVisible()
    assert tab.model.row(15)[0] == "Heartbeat is expired."
    assert tab.model.index(15, 0).data(SEVERITY_ROLE) == Severity.ERROR


def test_a_lo_file_alone_opens_like_a_log(tmp_path: Path, viewer: LogViewerWindow) -> None:
    tab = opened(viewer, write_log(tmp_path / "Sender.lo_", story_lines(), newline="\r\n"))
    assert texts(tab) == [line.split("  $$")[0] for line in story_lines()]
    assert tab.model.index(0, 3).data() == "205 (0xCD)"


def test_a_missing_file_gives_a_message_and_leaves_other_tabs_alone(tmp_path: Path, viewer: LogViewerWindow) -> None:
    good = opened(viewer, write_log(tmp_path / "Sender.log", story_lines()))
    gone = opened(viewer, tmp_path / "gone" / "Sender.log")
    assert len(gone.errors) == 1 and gone.errors[0].startswith(f"Cannot read {tmp_path / 'gone' / 'Sender.log'}: ")
    assert "\n" not in gone.errors[0] and gone.model.total_count() == 0
    assert viewer.statusBar().currentMessage() == gone.errors[0]
    assert good.model.total_count() == len(story_lines())


def test_cp1252_bytes_decode(tmp_path: Path, viewer: LogViewerWindow) -> None:
    path = tmp_path / "Sender.log"
    path.write_bytes("Package für Zürich – 10 €\r\n".encode("cp1252") + "naïve UTF-8 line\r\n".encode())
    assert texts(opened(viewer, path)) == ["Package für Zürich – 10 €", "naïve UTF-8 line"]


def test_an_empty_file_loads_as_empty(tmp_path: Path, viewer: LogViewerWindow) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    tab = opened(viewer, empty)
    assert tab.model.total_count() == 0 and tab.errors == [] and not tab.loading


def test_a_read_error_midway_keeps_the_lines_read_and_says_so(
    tmp_path: Path, viewer: LogViewerWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = filler_lines(5000)
    path = write_log(tmp_path / "Sender.log", lines)
    assert path.stat().st_size > viewer_loader.FIRST_CHUNK_BYTES * 2
    real_open = open

    class FlakyShare(io.BufferedReader):
        def read(self, size: int = -1) -> bytes:
            if self.tell() >= viewer_loader.FIRST_CHUNK_BYTES:
                raise OSError(64, "The specified network name is no longer available")
            return super().read(size)

    monkeypatch.setattr(
        viewer_loader, "open", lambda p, mode: FlakyShare(real_open(p, mode, buffering=0)), raising=False
    )
    tab = opened(viewer, path)
    assert tab.errors == [f"Cannot read {path}: The specified network name is no longer available."]
    shown = texts(tab)
    assert 0 < len(shown) < len(lines) and shown == [line.split("  $$")[0] for line in lines[: len(shown)]]


def test_closing_the_window_mid_load_stops_the_reader(qtbot, tmp_path: Path, viewer: LogViewerWindow) -> None:
    tab = viewer.open_paths([write_log(tmp_path / "Sender.log", filler_lines(60_000))])
    assert tab is not None
    qtbot.waitUntil(lambda: tab.model.total_count() > 0, timeout=60_000)
    thread = tab.load._thread
    assert thread is not None and tab.loading
    viewer.close()
    assert tab.load.done and not thread.is_alive()
