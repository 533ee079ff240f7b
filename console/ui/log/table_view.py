"""The table of log lines, CMTrace-style."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QTableView


class LogTableView(QTableView):
    """The lines, CMTrace-style; Ctrl+C copies whole selected lines as they stood in the log.

    QAbstractItemView's own Ctrl+C copies only the current cell's text, which is not what a person pasting
    a log excerpt into a ticket wants.

    A QTableView with a fixed-size vertical header, not a QTreeView: a tree re-lays out every row when its
    scroll bar moves while a layout is pending (after each insert), asking the Python model about each row.
    """

    copyRequested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copyRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)
