"""Runs keep the numbers they got when they started, after their lines are dropped (a busy run's first
million lines went while the Sender.log tab was hidden; the next run was then called Run 1)."""

from __future__ import annotations

import pytest
from log_samples import filler_lines
from log_view_support import LATER, run_row, shown_view
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from console.logs.live_rows import rows_from_lines
from console.ui.log.log_model import TEXT_COLUMN
from console.ui.log.log_view import SenderLogView

SEPARATOR = "\u2500\u2500\u2500"


# --- 2. runs keep their numbers when their lines are dropped ---------------------------------------------


class Tabs(QMainWindow):
    """A shown window with the log view on a tab that is not current (the live console's layout)."""

    def __init__(self, max_lines: int) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.log = SenderLogView(max_lines=max_lines)
        self.tabs.addTab(QWidget(), "Timers")
        self.tabs.addTab(self.log, "Sender.log")
        self.setCentralWidget(self.tabs)


def feed_two_runs(view: SenderLogView) -> None:
    """Run 1 (31 rows), then run 2 (6 rows): with a cap of 6, all of run 1 is dropped."""
    view.append_console_rows([run_row("first")])
    view.append_lines(filler_lines(30))
    view.append_console_rows([run_row("second", LATER)])
    view.append_lines(filler_lines(5, start=LATER))


def while_paused(qtbot, _owned: list[QMainWindow]) -> SenderLogView:
    view = shown_view(qtbot, max_lines=6)
    view.set_paused(True)
    feed_two_runs(view)
    view.set_paused(False)
    return view


@pytest.fixture
def owned():
    """Windows a feed opened: qtbot holds them weakly, so the test keeps them and closes them when it ends."""
    windows: list[QMainWindow] = []
    yield windows
    for w in windows:
        w.close()
        w.deleteLater()


def while_hidden(qtbot, owned: list[QMainWindow]) -> SenderLogView:
    w = Tabs(max_lines=6)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    feed_two_runs(w.log)
    w.tabs.setCurrentWidget(w.log)
    owned.append(w)  # the view must outlive this function
    return w.log


def in_one_batch(qtbot, _owned: list[QMainWindow]) -> SenderLogView:
    view = shown_view(qtbot, max_lines=6)
    rows = [run_row("first"), *rows_from_lines(filler_lines(30))]
    view.append_console_rows([*rows, run_row("second", LATER), *rows_from_lines(filler_lines(5, start=LATER))])
    return view


def on_screen(qtbot, _owned: list[QMainWindow]) -> SenderLogView:
    view = shown_view(qtbot, max_lines=6)
    feed_two_runs(view)
    return view


@pytest.mark.parametrize("feed", [on_screen, while_paused, while_hidden, in_one_batch])
def test_a_run_keeps_its_number_after_its_lines_are_dropped(qtbot, owned, feed) -> None:
    view = feed(qtbot, owned)
    model = view.model()
    assert view.dropped_count() == 31 and view.line_count() == 6
    first = model.index(0, TEXT_COLUMN).data()
    assert first == f"{SEPARATOR} Run 2: Engine started: second {SEPARATOR}"
    combo = view.run_combo()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All",
        "1: first (dropped)",
        "2: second",
        "Current (follows each new run)",
    ]
    view.set_run("current")
    assert view.visible_count() == 6 and combo.currentText().startswith("Current")
    view.set_run(0)
    assert view.visible_count() == 0, "run 1 is still run 1, and none of its lines are left"


def test_a_run_whose_separator_went_but_not_all_lines_says_so(qtbot) -> None:
    view = shown_view(qtbot, max_lines=6)
    view.append_console_rows([run_row("first")])
    view.append_lines(filler_lines(25))
    combo = view.run_combo()
    assert combo.itemText(1) == "1: first (partly dropped)"
    assert combo.itemData(1) == 0
