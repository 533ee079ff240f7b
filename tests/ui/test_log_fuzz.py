"""Fuzzing the log views: the live Sender.log view (``SenderLogView``, fed lines) and the log viewer window
(``LogViewerWindow``, loading files) take random text and bytes, 1 MB lines and a few MB of hostile log
(tests/hostile_log.py) without an exception and without losing a line: every line read becomes exactly one row.

pytest-qt fails a test when a slot raises, so "no exception" covers the loader's slots too. The 100 MB form, with
load times and the longest stall of the event loop, is tests/bench/bench_log_fuzz.py.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterable
from pathlib import Path

import pytest
from hostile_log import MEGA_LINE, hostile_bytes
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTimer

from console.logs.reader import MAX_LINE, read_records
from console.logs.viewer_rows import LINE, TEXT
from console.ui.log.log_model import DISPLAY_MAX_CHARS, TEXT_COLUMN
from console.ui.log.log_view import SenderLogView
from console.ui.log.viewer_window import LogViewerWindow

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
LOAD_TIMEOUT_MS = 60_000
_names = itertools.count()


def _file(folder: Path, data: bytes) -> Path:
    path = folder / f"fuzz-{next(_names)}.log"
    path.write_bytes(data)
    return path


def _check_viewer(qtbot, path: Path) -> LogViewerWindow:
    window = LogViewerWindow()
    qtbot.addWidget(window)
    tab = window.open_paths([path])
    assert tab is not None
    window.wait_loaded()
    assert tab.errors == []
    rows = [tab.model.row(i) for i in range(tab.model.total_count())]
    records = list(read_records(path))
    # Every line is there once, in order, whole. A line longer than the reader's cut comes in pieces, and where it is
    # cut depends on the read size (the viewer reads 64 KB first, then 1 MB), so compare lines and text, not pieces.
    assert _distinct(r[LINE] for r in rows) == _distinct(r.line for r in records)
    # A piece of a cut line inside a multi-line record is joined with a line break: compare the text without them.
    assert _text(r[TEXT] for r in rows) == _text(r.text for r in records)
    assert len(rows) - len(records) <= sum(len(r.text) for r in records) // MAX_LINE
    return window


def _text(texts: Iterable[str]) -> str:
    return "".join(texts).replace("\n", "")


def _distinct(numbers: Iterable[int]) -> list[int]:
    return [n for n, _ in itertools.groupby(numbers)]


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_open_in_the_log_viewer_without_losing_a_record(qtbot, tmp_path, raw: bytes) -> None:
    _check_viewer(qtbot, _file(tmp_path, raw)).close()


@FUZZ
@given(st.lists(st.text(max_size=300), max_size=30))
def test_any_text_appended_to_the_live_view_gives_one_row_per_line(qtbot, lines: list[str]) -> None:
    view = SenderLogView()
    qtbot.addWidget(view)
    view.show()
    view.append_lines(lines)
    assert view.line_count() == len(lines)
    view.close()


def test_a_line_of_one_megabyte_opens_in_the_viewer_and_shows_in_the_live_view(qtbot, tmp_path) -> None:
    good = hostile_bytes(2000, seed=1, mega_lines=0)
    mega = b"x" * MEGA_LINE
    path = _file(tmp_path, good + mega + b"  $$<SMS_LAN_SENDER><huge><thread=" + b"9" * 5000 + b">\r\n" + good)
    _check_viewer(qtbot, path).close()
    view = SenderLogView()
    qtbot.addWidget(view)
    view.append_lines(["before", mega.decode() + "  $$<SMS_LAN_SENDER><huge><thread=" + "9" * 5000 + ">", "after"])
    assert view.line_count() == 3
    model = view.model()
    index = model.index(1, TEXT_COLUMN)
    shown = model.data(index)
    assert len(shown) == DISPLAY_MAX_CHARS + 1 and shown.endswith("\u2026"), "the table shows the start of it"
    view.table().setCurrentIndex(index)
    assert len(view.detail_text()) >= MEGA_LINE, "the detail pane has all of it"
    view.close()


@pytest.mark.parametrize("seed", [7, 278357])
def test_a_few_megabytes_of_hostile_log_load_while_the_event_loop_runs(qtbot, tmp_path, seed: int) -> None:
    path = _file(tmp_path, hostile_bytes(3 * 1024 * 1024, seed=seed, mega_lines=2))
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    window = _check_viewer(qtbot, path)
    timer.stop()
    assert len(ticks) > 0, "the event loop ran between the slices of the load"
    window.close()
