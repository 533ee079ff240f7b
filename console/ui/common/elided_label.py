"""A one-line status label that elides its text instead of asking the layout for room.

A plain QLabel's minimum width is its text's width: a busy run's count line in the Sender.log tab ("...2,322,922
older dropped — paused, 200,000 new waiting") or the Timers tab's hover line for a thread with many outages then
widens the whole window, squeezes its neighbours and moves the buttons under the user's pointer. This label takes
what room is left, draws as much of the text as fits with an ellipsis, and keeps the whole text in ``text()`` (the
views put it in the tooltip too).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """A QLabel whose text width never reaches the layout (module docstring)."""

    def __init__(self, parent: QWidget | None = None, text: str = "") -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def minimumSizeHint(self) -> QSize:
        """An ellipsis' width: the layout may shrink the label to nearly nothing, never the window for it."""
        return QSize(self.fontMetrics().horizontalAdvance("\u2026"), super().minimumSizeHint().height())

    def paintEvent(self, _event: QPaintEvent) -> None:
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter, rect, int(self.alignment()), self.palette(), self.isEnabled(), text, self.foregroundRole()
        )
