"""The bottom-right pane of the console window, where the live engine's views go."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QTabWidget, QWidget

ENGINE_TABS_HINT = (
    "The live engine views (Timers, Outbox, Sender.log) appear here when the simulated sender engine is running."
)


class EngineTabs(QTabWidget):
    """The bottom-right pane. Empty until the engine bridge adds its views; while empty it says why.

    The hint is painted, not a page: a page would be counted, selected and saved like a real view.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("engineTabs")
        self.setDocumentMode(True)
        self.empty_hint = ENGINE_TABS_HINT

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if self.count() == 0 and self.empty_hint:
            painter = QPainter(self)
            painter.setPen(
                self.palette().color(self.palette().ColorGroup.Disabled, self.palette().ColorRole.WindowText)
            )
            painter.drawText(
                self.rect().adjusted(24, 12, -24, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.empty_hint,
            )
            painter.end()
