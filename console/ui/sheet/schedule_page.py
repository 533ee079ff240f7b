"""The Schedule tab of a Standard Sender address (research/sms-sender.md §8), in the manner of SMS 2.0.

A week grid (one row per day, one column per hour) that a person selects by dragging or with Shift+arrow keys;
the Availability list, under "Scheduled availability for selected time period", shows what the selection has
and gives every selected hour the value chosen; a legend says what each fill means; and the check box
"Unavailable to substitute for inoperative addresses". The four values carry a pattern as well as a colour, so
the grid reads on a greyscale printout or to a person who does not tell the colours apart.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from console.model.addresses import DAYS, Availability, WeeklySchedule
from console.ui.sheet.schedule_grid import CellStyle, HourGrid

DISPLAY_DAYS = (1, 2, 3, 4, 5, 6, 0)
"""Grid rows Monday first (as people read a week); the model stores Sunday first."""
DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
SUBSTITUTE_TEXT = "&Unavailable to substitute for inoperative addresses"
SUBSTITUTE_TOOLTIP = (
    "Checked: when another address to this site is out of service, this one is not used in its place "
    "outside its own schedule."
)
GRID_HINT = "Drag over the grid (or use Shift+arrow keys) to select a time period, then choose its availability."

STYLES = {
    Availability.ALL: CellStyle(QColor("#c8e6c9"), None, "", Availability.ALL.label),
    Availability.MEDIUM: CellStyle(
        QColor("#fff3b0"), Qt.BrushStyle.BDiagPattern, "", Availability.MEDIUM.label + " (low waits)"
    ),
    Availability.HIGH: CellStyle(
        QColor("#f7b267"), Qt.BrushStyle.DiagCrossPattern, "", Availability.HIGH.label + " (medium and low wait)"
    ),
    Availability.CLOSED: CellStyle(QColor("#616161"), None, "", Availability.CLOSED.label + " (nothing is sent)"),
}


def swatch(style: CellStyle, size: QSize) -> QPixmap:
    """A legend's sample of a cell, drawn the way the grid draws it."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor(0, 0, 0, 0))
    p = QPainter(pixmap)
    rect = QRect(0, 0, size.width(), size.height())
    p.fillRect(rect, style.colour)
    if style.pattern is not None:
        p.fillRect(rect, QBrush(QColor(0, 0, 0, 150), style.pattern))
    p.setPen(QPen(QColor(128, 128, 128)))
    p.drawRect(rect.adjusted(0, 0, -1, -1))
    p.end()
    return pixmap


def rows_of(schedule: WeeklySchedule) -> list[list[Availability]]:
    return [list(schedule.grid[d]) for d in DISPLAY_DAYS]


def schedule_of(rows: list[list[Availability]]) -> WeeklySchedule:
    stored: list[tuple[Availability, ...]] = [()] * 7
    for row, day in zip(rows, DISPLAY_DAYS, strict=True):
        stored[day] = tuple(row)
    return WeeklySchedule(tuple(stored))


class SchedulePage(QWidget):
    edited = Signal()

    def __init__(self, schedule: WeeklySchedule, substitute: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressScheduleTab")
        hint = QLabel(GRID_HINT, self)
        hint.setWordWrap(True)
        hint.setObjectName("scheduleHint")
        self.grid = HourGrid(
            [DAYS[d] for d in DISPLAY_DAYS],
            lambda v: STYLES[v],
            rows_of(schedule),
            self,
            row_names=[DAY_NAMES[d] for d in DISPLAY_DAYS],
        )
        self.grid.setObjectName("scheduleGrid")
        self.grid.setAccessibleName("Weekly schedule: days by hours")

        legend = QGridLayout()
        legend.setHorizontalSpacing(8)
        legend.setVerticalSpacing(4)
        size = QSize(22, 14)
        self.legend_labels: dict[Availability, QLabel] = {}
        for i, value in enumerate(Availability):
            sample = QLabel(self)
            sample.setPixmap(swatch(STYLES[value], size))
            text = QLabel(value.label, self)
            text.setObjectName(f"legend{value.name.title()}")
            self.legend_labels[value] = text
            legend.addWidget(sample, i // 2, (i % 2) * 2)
            legend.addWidget(text, i // 2, (i % 2) * 2 + 1)
        legend.setColumnStretch(1, 1)
        legend.setColumnStretch(3, 1)
        legend_box = QGroupBox("Legend", self)
        legend_box.setObjectName("scheduleLegend")
        legend_box.setLayout(legend)

        group = QGroupBox("Scheduled availability for selected time period", self)
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("scheduleSelection")
        self.combo = QComboBox(self)
        self.combo.setObjectName("availabilityCombo")
        self.combo.setAccessibleName("Availability")
        for value in Availability:
            self.combo.addItem(value.label, int(value))
        caption = QLabel("&Availability:", self)
        caption.setBuddy(self.combo)
        row = QHBoxLayout(group)
        row.addWidget(QLabel("Selected:", self))
        row.addWidget(self.selection_label, 1)
        row.addWidget(caption)
        row.addWidget(self.combo)

        self.substitute_check = QCheckBox(SUBSTITUTE_TEXT, self)
        self.substitute_check.setObjectName("substituteCheck")
        self.substitute_check.setToolTip(SUBSTITUTE_TOOLTIP)
        self.substitute_check.setChecked(not substitute)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(hint)
        layout.addWidget(self.grid, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(legend_box)
        layout.addWidget(group)
        layout.addWidget(self.substitute_check)
        layout.addStretch(1)

        self.grid.selectionChanged.connect(self._show_selection)
        self.grid.edited.connect(self.edited)
        self.combo.activated.connect(self._apply_choice)
        self.substitute_check.toggled.connect(lambda _on: self.edited.emit())
        self.grid.select((0, 0), (0, 0))
        self._show_selection()

    def schedule(self) -> WeeklySchedule:
        return schedule_of(self.grid.values())

    def substitute(self) -> bool:
        """The model's flag: True = may substitute (the box says the opposite, as in SMS 2.0)."""
        return not self.substitute_check.isChecked()

    def set_values(self, schedule: WeeklySchedule, substitute: bool) -> None:
        self.grid.set_values(rows_of(schedule))
        self.substitute_check.blockSignals(True)
        self.substitute_check.setChecked(not substitute)
        self.substitute_check.blockSignals(False)
        self._show_selection()

    def apply_availability(self, value: Availability) -> None:
        """Give the selected hours ``value`` (what choosing it in the list does)."""
        self.grid.set_selected_value(value)
        self._show_selection()

    def _apply_choice(self, index: int) -> None:
        value = self.combo.itemData(index)
        if isinstance(value, int):
            self.apply_availability(Availability(value))

    def _show_selection(self) -> None:
        """The list shows the selection's value; a blank entry when the selected hours differ."""
        self.selection_label.setText(self.grid.selection_text())
        values = self.grid.selected_values()
        self.combo.setCurrentIndex(self.combo.findData(int(next(iter(values)))) if len(values) == 1 else -1)


__all__ = ["DISPLAY_DAYS", "STYLES", "SchedulePage", "rows_of", "schedule_of", "swatch"]
