"""The Rate Limits tab of a Standard Sender address (research/sms-sender.md §8; labels INFERRED from later products).

"Unlimited when sending to this address" (the default), or "Limited to specified maximum transfer rates by hour":
a 24-hour strip, one percentage per hour, the same every day (SMS stores 24 hourly values); select hours on the
strip by dragging or with Shift+arrow keys and set their percentage. 50 % means the sender sends in half of each
hour and pauses in the other half; bandwidth is not measured. Any limit also allows one sending thread to the site.

The model keeps a limit per day and hour (scenario files and the ``address`` command may set days apart). When the
days differ at an hour, the strip shows "≠" there and leaves those days as they are until the hour is set here.
Turning the limit on starts every unlimited hour at 100 %, as ConfigMgr does; Unlimited keeps the strip's values
in the page, so switching back shows them again until the sheet is closed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QGroupBox, QHBoxLayout, QLabel, QRadioButton, QVBoxLayout, QWidget

from console.model.addresses import RateLimit
from console.model.sender_settings import Field
from console.ui.common.field_note import FieldNote
from console.ui.common.range_spin_box import RangeSpinBox
from console.ui.sheet.schedule_grid import HOURS, CellStyle, HourGrid

UNLIMITED_TEXT = "U&nlimited when sending to this address"
LIMITED_TEXT = "&Limited to specified maximum transfer rates by hour"
PERCENT_FIELD = Field("percent", "Rate limit", 100, 1, 100, "%")
MIXED = "mixed"
"""A strip value: the days differ at this hour."""
STRIP_HINT = (
    "Drag over the strip (or use Shift+arrow keys) to select hours, then set their rate. "
    "\u2014 = unlimited in that hour; \u2260 = differs by day."
)
EXPLANATION = (
    "The rate is the share of each hour the sender may send to this site: at 50 % it sends half of each hour "
    "and pauses the other half. While any limit is set, one sending thread at a time serves this site."
)


def strip_style(value: object) -> CellStyle:
    if value is None:
        return CellStyle(QColor("#c8e6c9"), None, "\u2014", "unlimited in this hour")
    if value == MIXED:
        return CellStyle(QColor("#e0e0e0"), Qt.BrushStyle.BDiagPattern, "\u2260", "differs by day (set elsewhere)")
    percent = int(value)  # type: ignore[call-overload]
    shade = QColor.fromHsl(210, 140, 235 - int(percent * 0.9))
    return CellStyle(shade, None, str(percent), f"{percent} % of the hour")


def strip_of(limit: RateLimit) -> list[object]:
    """One value per hour: the percentage (or None) when every day agrees, else ``MIXED``."""
    out: list[object] = []
    for h in range(HOURS):
        values = {limit.grid[d][h] for d in range(7)}
        out.append(next(iter(values)) if len(values) == 1 else MIXED)
    return out


class RateLimitPage(QWidget):
    """``edited`` on every change; ``notesChanged`` when the percentage field's note appears or clears."""

    edited = Signal()
    notesChanged = Signal()

    def __init__(self, limit: RateLimit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressRateLimitsTab")
        self._original = limit
        self.unlimited_radio = QRadioButton(UNLIMITED_TEXT, self)
        self.unlimited_radio.setObjectName("unlimitedRadio")
        self.limited_radio = QRadioButton(LIMITED_TEXT, self)
        self.limited_radio.setObjectName("limitedRadio")
        buttons = QButtonGroup(self)
        buttons.addButton(self.unlimited_radio)
        buttons.addButton(self.limited_radio)

        self.box = QGroupBox("Rate limits by hour (every day)", self)
        hint = QLabel(STRIP_HINT, self.box)
        hint.setWordWrap(True)
        self.strip = HourGrid(
            [""], strip_style, [strip_of(limit)], self.box, widest_text="100", row_names=["Every day"]
        )
        self.strip.setObjectName("rateLimitStrip")
        self.strip.setAccessibleName("Rate limit by hour")
        self.selection_label = QLabel(self.box)
        self.selection_label.setObjectName("rateSelection")
        self.percent_spin = RangeSpinBox(PERCENT_FIELD, self.box)
        self.percent_spin.setObjectName("ratePercentSpin")
        self.percent_spin.setSuffix(" %")
        self.percent_spin.setAccessibleName("Rate limit for the selected hours, percent")
        caption = QLabel("&Rate for the selected hours:", self.box)
        caption.setBuddy(self.percent_spin)
        self.note = FieldNote(self.box)
        self.note.setObjectName("ratePercentNote")
        explanation = QLabel(EXPLANATION, self)
        explanation.setObjectName("rateExplanation")
        explanation.setWordWrap(True)

        row = QHBoxLayout()
        row.addWidget(QLabel("Selected:", self.box))
        row.addWidget(self.selection_label, 1)
        row.addWidget(caption)
        row.addWidget(self.percent_spin)
        inner = QVBoxLayout(self.box)
        inner.addWidget(hint)
        inner.addWidget(self.strip, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addLayout(row)
        inner.addWidget(self.note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.unlimited_radio)
        layout.addWidget(self.limited_radio)
        layout.addWidget(self.box)
        layout.addWidget(explanation)
        layout.addStretch(1)

        self._setting = False
        self.unlimited_radio.setChecked(limit.is_unlimited)
        self.limited_radio.setChecked(not limit.is_unlimited)
        self.box.setEnabled(not limit.is_unlimited)
        self.limited_radio.toggled.connect(self._on_mode)
        self.strip.selectionChanged.connect(self._show_selection)
        self.strip.edited.connect(self.edited)
        self.percent_spin.valueChanged.connect(self._on_percent)
        self.percent_spin.noteChanged.connect(self._on_note)
        self.strip.select((0, 8), (0, 16))
        self._show_selection()

    # -- values ---------------------------------------------------------------------------------

    @property
    def is_limited(self) -> bool:
        return self.limited_radio.isChecked()

    def rate_limit(self) -> RateLimit:
        """What the page shows, as the model's per-day grid (a ``MIXED`` hour keeps each day's stored value)."""
        if not self.is_limited:
            return RateLimit()
        strip = self.strip.values()[0]
        rows = [
            tuple(self._original.grid[d][h] if strip[h] == MIXED else strip[h] for h in range(HOURS)) for d in range(7)
        ]
        return RateLimit(tuple(rows))  # type: ignore[arg-type]

    def set_rate_limit(self, limit: RateLimit) -> None:
        self._setting = True
        try:
            self._original = limit
            self.strip.set_values([strip_of(limit)])
            self.limited_radio.setChecked(not limit.is_unlimited)
            self.unlimited_radio.setChecked(limit.is_unlimited)
            self.box.setEnabled(not limit.is_unlimited)
            self._show_selection()
        finally:
            self._setting = False

    def notes(self) -> dict[str, str]:
        return {"percent": self.note.text} if self.note.text else {}

    def set_selected_percent(self, percent: int) -> None:
        """Give the selected hours ``percent`` (what setting the field does)."""
        self.strip.set_selected_value(percent)

    # -- internals ------------------------------------------------------------------------------

    def _on_mode(self, limited: bool) -> None:
        self.box.setEnabled(limited)
        if self._setting:
            return
        if limited:
            values = self.strip.values()[0]
            if all(v is None for v in values):  # a first limit: every hour starts at 100 %
                self.strip.set_values([[100] * HOURS])
                self._show_selection()
        self.edited.emit()

    def _on_percent(self, value: int) -> None:
        if not self._setting and self.is_limited:
            self.strip.set_selected_value(value)

    def _on_note(self, text: str) -> None:
        self.note.set_note(text)
        self.notesChanged.emit()

    def _show_selection(self) -> None:
        """The field shows the selection's percentage when the selected hours agree."""
        self.selection_label.setText(self.strip.selection_text())
        values = self.strip.selected_values()
        value = next(iter(values)) if len(values) == 1 else None
        if isinstance(value, int):
            was, self._setting = self._setting, True
            self.percent_spin.setValue(value)
            self._setting = was


__all__ = ["MIXED", "PERCENT_FIELD", "RateLimitPage", "strip_of", "strip_style"]
