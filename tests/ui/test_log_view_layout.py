"""SenderLogView's bar keeps its layout however long the count line gets (a busy run: 3,000 sites at 600x
widened the window, squeezed the Filter box and moved the Pause button)."""

from __future__ import annotations

from log_samples import filler_lines
from log_view_support import run_row, shown_view
from PySide6.QtWidgets import QWidget

from console.ui.log.log_view import SenderLogView


def settle(view: SenderLogView) -> None:
    """Lay the view out now (what the next paint would do), so geometries can be compared."""
    view.layout().activate()


# --- 1. the status text never resizes the window ---------------------------------------------------------


def test_a_long_status_neither_widens_the_view_nor_moves_the_bar(qtbot) -> None:
    view = shown_view(qtbot, max_lines=200_000)
    view.append_console_rows([run_row("scenario \u201cBusy hierarchy\u201d")])
    view.append_lines(filler_lines(10))
    settle(view)
    minimum = view.minimumSizeHint().width()
    pause, edit = view.pause_button().geometry(), view.filter_edit().geometry()

    view.model().note_dropped(2_322_922)
    view.set_paused(True)
    view.append_console_rows([run_row("again")] * 200_000)
    settle(view)
    text = view.count_text()
    assert text.endswith("2,322,922 older dropped \u2014 paused, 200,000 new waiting")
    assert view.minimumSizeHint().width() <= minimum, "the status text must not widen the window"
    assert view.width() == 700
    assert view.pause_button().geometry().topLeft() == pause.topLeft(), "the Pause button stays where it was"
    assert view.filter_edit().geometry() == edit, "the Filter box keeps its place and width"
    label = view.findChild(QWidget, "countLabel")
    assert text in label.toolTip(), "the whole status is in the tooltip (the label may elide it)"


def test_the_filter_box_keeps_a_usable_width_when_the_run_box_appears(qtbot) -> None:
    view = shown_view(qtbot, max_lines=1000)
    view.append_console_rows([run_row("scenario \u201cBusy hierarchy\u201d (PRI sending, 3,000 sites)")])
    view.append_lines(filler_lines(10))
    settle(view)
    assert not view.run_combo().isHidden()
    edit = view.filter_edit()
    wanted = edit.fontMetrics().horizontalAdvance("Filter: text, component")
    assert edit.width() >= wanted
    assert edit.minimumSizeHint().width() >= wanted or edit.minimumWidth() >= wanted
