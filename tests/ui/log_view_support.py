"""Helpers of the live Sender.log view's tests: a shown view, and the console's run-separator rows."""

from __future__ import annotations

import datetime as dt

from log_samples import START

from console.ui.log.log_model import console_row
from console.ui.log.log_view import SenderLogView

LATER = START + dt.timedelta(days=1)


def shown_view(qtbot, max_lines: int, width: int = 700) -> SenderLogView:
    """A SenderLogView keeping ``max_lines`` lines, shown and exposed (qtbot closes it)."""
    view = SenderLogView(max_lines=max_lines)
    qtbot.addWidget(view)
    view.resize(width, 300)
    view.show()
    qtbot.waitExposed(view)
    return view


def run_row(title: str, when: dt.datetime = START):
    """The row the console adds where an engine run starts."""
    return console_row(f"Engine started: {title}", when, run=True)
