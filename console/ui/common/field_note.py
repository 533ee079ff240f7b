"""A one- or two-line note under a field: why what was typed was not taken (see ``range_spin_box``).

Smaller than ``AdvisoryBanner`` on purpose: it reports a typing slip, not a risk, so it has a small
information icon, no tint and no button. It shows with ``set_note(text)`` and hides with ``set_note("")``;
``shownChanged`` lets the fixed-size sheet re-fit itself, as it does for the banner.

Sizing: like the banner it reports the height its wrapped text needs at its real width (a fixed-size
dialog is sized from plain size hints, and a word-wrapped QLabel would otherwise guess its own width).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QStyle, QWidget

from console.ui.common.wrapped_text_fit import FitsWrappedText


class FieldNote(FitsWrappedText, QWidget):
    shownChanged = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        style = self.style()
        size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)
        self._icon = QLabel(self)
        self._icon.setPixmap(
            style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation, None, self).pixmap(size, size)
        )
        self._icon.setAccessibleName("Note")
        self._text = QLabel(self)
        self._text.setObjectName("fieldNoteText")
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._text, 1)
        self.setVisible(False)

    @property
    def text(self) -> str:
        """The note, or "" while it is hidden."""
        return self._text.text() if not self.isHidden() else ""

    def set_note(self, text: str) -> None:
        was_shown = not self.isHidden()
        self._text.setText(text)
        self.setAccessibleName("Input note" if text else "")
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))
        if was_shown != bool(text):
            self.shownChanged.emit(bool(text))


__all__ = ["FieldNote"]
