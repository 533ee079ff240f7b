"""A mixin for frames holding word-wrapped text: report the height the text needs at the frame's real width.

Why: a fixed-size dialog (``SetFixedSize``) or a splitter sizes a widget from plain size hints, and a
word-wrapped QLabel's size hint assumes a width of its own choosing; in a narrower column its last
lines would be clipped. Once laid out, the frame reports the height its text needs at its real width;
``resizeEvent`` asks for one more layout pass when that width changes, which then settles.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QResizeEvent


class FitsWrappedText:
    """Put before the Qt base class: ``class Banner(FitsWrappedText, QFrame)``."""

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()  # type: ignore[misc]
        if self.width() > 0 and self.hasHeightForWidth():  # type: ignore[attr-defined]
            hint.setHeight(self.heightForWidth(self.width()))  # type: ignore[attr-defined]
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # type: ignore[misc]
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # type: ignore[attr-defined]
