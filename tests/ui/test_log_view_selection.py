"""The selected line stays selected while older lines are dropped, and is cleared (the detail pane saying so)
when it is dropped itself; before, the selection and detail pane followed a row number to other lines."""

from __future__ import annotations

from log_samples import filler_lines
from log_view_support import LATER, run_row, shown_view
from PySide6.QtCore import QItemSelectionModel

from console.logs.live_rows import rows_from_lines
from console.ui.log.log_model import TEXT_COLUMN
from console.ui.log.log_view import SenderLogView

# --- 3. the selection stays on its line while older lines are dropped ------------------------------------


def select(view: SenderLogView, row: int) -> None:
    index = view.model().index(row, TEXT_COLUMN)
    flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    view.table().selectionModel().setCurrentIndex(index, flags)


def selected_rows(view: SenderLogView) -> list[int]:
    return sorted(i.row() for i in view.table().selectionModel().selectedRows())


def test_the_selected_line_stays_selected_while_older_lines_drop(qtbot) -> None:
    view = shown_view(qtbot, max_lines=50)
    view.append_console_rows([run_row("first")])
    view.append_lines(filler_lines(39))
    select(view, 0)
    detail = view.detail_text()
    assert "Run 1: Engine started: first" in detail

    view.append_lines(filler_lines(5, start=LATER))  # 40 + 5: nothing dropped yet
    view.append_lines(filler_lines(5, start=LATER))  # 50
    assert view.table().currentIndex().row() == 0 and view.detail_text() == detail

    lines = filler_lines(40)
    view.append_lines(lines[:30])
    view.append_lines(lines[30:])  # the separator is dropped with the oldest rows
    assert view.dropped_count() == 40
    assert not view.table().currentIndex().isValid(), "no other line becomes current"
    assert selected_rows(view) == []
    assert "dropped" in view.detail_text() and "Engine started" not in view.detail_text()

    view.append_lines(filler_lines(10, start=LATER))
    assert not view.table().currentIndex().isValid() and selected_rows(view) == []


def test_a_selected_line_below_the_dropped_ones_moves_up_with_them(qtbot) -> None:
    view = shown_view(qtbot, max_lines=50)
    lines = filler_lines(50)
    view.append_lines(lines)
    select(view, 30)
    detail = view.detail_text()
    view.append_lines(filler_lines(20, start=LATER))
    assert view.table().currentIndex().row() == 10 and selected_rows(view) == [10]
    assert view.model().index(10, TEXT_COLUMN).data() == view.model().log_row(10).text
    assert view.detail_text() == detail and detail.startswith("Wrote 262144 bytes")
    assert view.model().log_row(10) == rows_from_lines(lines)[30]


def test_the_selected_line_stays_selected_when_a_new_run_starts_while_one_run_is_shown(qtbot) -> None:
    """Showing run 1, the start of run 2 rebuilds the model's rows; the selection must survive that."""
    view = shown_view(qtbot, max_lines=50)
    view.append_console_rows([run_row("first")])
    view.append_lines(filler_lines(10))
    view.set_run(0)
    select(view, 3)
    detail = view.detail_text()
    view.append_console_rows([run_row("second", LATER)])
    view.append_lines(filler_lines(3, start=LATER))
    assert view.table().currentIndex().row() == 3 and selected_rows(view) == [3]
    assert view.detail_text() == detail
