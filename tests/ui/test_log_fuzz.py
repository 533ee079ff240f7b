"""Fuzzing the log views: the live Sender.log view (``SenderLogView``, fed lines or loading a file) and the log
viewer window (``LogViewerWindow``) take random bytes, 1 MB lines and a few MB of hostile log (tests/hostile_log.py)
without an exception and without losing a line: every line the reader gives becomes exactly one row.

pytest-qt fails a test when a slot raises, so "no exception" covers the loaders' slots too. The 100 MB form, with
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

from console.logs.block_reader import MAX_LINE as MAX_VIEW_LINE
from console.logs.block_reader import LogFileError, read_log_blocks
from console.logs.reader import MAX_LINE, read_records
from console.logs.viewer_rows import LINE, TEXT
from console.ui.log.log_model import DISPLAY_MAX_CHARS, TEXT_COLUMN
from console.ui.log.log_view import FILE_MAX_LINES, SenderLogView
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


def _reader_lines(path: Path) -> list[str] | str:
    """What the view's reader yields: its lines, or the message of the error it stops with."""
    try:
        return [line for block in read_log_blocks(path) for line in block.lines]
    except LogFileError as exc:
        return str(exc)


def _load_in_file_view(qtbot, path: Path) -> tuple[SenderLogView, str | None]:
    view = SenderLogView(live=False, max_lines=FILE_MAX_LINES)
    qtbot.addWidget(view)
    outcome: list[str | None] = []
    view.fileLoaded.connect(lambda _p, _n: outcome.append(None))
    view.fileFailed.connect(lambda _p, message: outcome.append(message))
    view.load_file(path)
    qtbot.waitUntil(lambda: bool(outcome), timeout=LOAD_TIMEOUT_MS)
    return view, outcome[0]


def _check_file_view(qtbot, path: Path) -> SenderLogView:
    view, failed = _load_in_file_view(qtbot, path)
    expected = _reader_lines(path)
    if isinstance(expected, str):
        assert failed is not None and expected in failed and "\n" not in failed
    else:
        assert failed is None
        assert view.line_count() == len(expected), "one row per line the reader gave: none lost, none made up"
    return view


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
def test_random_bytes_load_in_the_file_view_without_losing_a_line(qtbot, tmp_path, raw: bytes) -> None:
    _check_file_view(qtbot, _file(tmp_path, raw)).close()


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


def test_a_line_of_one_megabyte_loads_in_both_views(qtbot, tmp_path) -> None:
    good = hostile_bytes(2000, seed=1, mega_lines=0)
    mega = b"x" * MEGA_LINE
    path = _file(tmp_path, good + mega + b"  $$<SMS_LAN_SENDER><huge><thread=" + b"9" * 5000 + b">\r\n" + good)
    view = _check_file_view(qtbot, path)
    assert view.line_count() > MEGA_LINE // MAX_VIEW_LINE, "the long line is cut into pieces, not dropped"
    model = view.model()
    long_row = next(i for i in range(model.rowCount()) if len(model.log_row(i).text) >= MAX_VIEW_LINE)
    index = model.index(long_row, TEXT_COLUMN)
    shown = model.data(index)
    assert len(shown) == DISPLAY_MAX_CHARS + 1 and shown.endswith("\u2026"), "the table shows the start of it"
    view.table().setCurrentIndex(index)
    assert len(view.detail_text()) >= MAX_VIEW_LINE, "the detail pane has all of it"
    window = _check_viewer(qtbot, path)
    window.close()
    view.close()


@pytest.mark.parametrize("seed", [7, 278357])
def test_a_few_megabytes_of_hostile_log_load_while_the_event_loop_runs(qtbot, tmp_path, seed: int) -> None:
    path = _file(tmp_path, hostile_bytes(3 * 1024 * 1024, seed=seed, mega_lines=2))
    ticks: list[int] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    view = _check_file_view(qtbot, path)
    during_file_view = len(ticks)
    window = _check_viewer(qtbot, path)
    timer.stop()
    assert during_file_view > 0 and len(ticks) > during_file_view, "the event loop ran between the slices of each load"
    window.close()
    view.close()
