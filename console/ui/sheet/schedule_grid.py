"""A grid of hours (rows of 24) that a person selects by dragging, as on the SMS 2.0 Schedule tab.

One widget serves both address tabs: the Schedule tab's week (7 rows, Monday first, as people read a week; the
model stores Sunday first) and the Rate Limits tab's 24-hour strip (one row). What a value looks like comes from
``style_of`` (colour, fill pattern, text), so a cell reads in greyscale too: the pattern, not only the colour,
tells the values apart.

Selecting, always one rectangle (what a drag over the SMS grid selects):
- mouse: press on a cell and drag; press on a day's name to take whole days, on an hour's number to take that
  hour on every row, on the corner to take everything;
- keyboard: the arrow keys move the current cell, Shift+arrows stretch the selection from where it started,
  Home/End go to the first/last hour (with Shift: stretch), Ctrl+A selects all.
Custom-painted rather than a QTableView: 168 cells with one rectangle of selection need no model, and a table's
own extended selection would allow shapes the product's grid does not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

HOURS = 24


@dataclass(frozen=True)
class CellStyle:
    """How one value is drawn: a fill colour, a pattern over it (None: plain), a short text, a description."""

    colour: QColor
    pattern: Qt.BrushStyle | None
    text: str
    description: str


def hours_text(first: int, last: int) -> str:
    """``08:00–17:00`` for hours 8 to 16 (the end is where the last selected hour ends)."""
    return f"{first:02d}:00\u2013{last + 1:02d}:00"


class HourGrid(QWidget):
    """``selectionChanged`` after the selection moves; ``edited`` after ``set_selected_value`` changed cells."""

    selectionChanged = Signal()
    edited = Signal()

    def __init__(
        self,
        row_labels: Sequence[str],
        style_of: Callable[[Any], CellStyle],
        values: Sequence[Sequence[Any]],
        parent: QWidget | None = None,
        *,
        widest_text: str = "00",
        row_names: Sequence[str] | None = None,
    ) -> None:
        """``row_names`` are the long names for tooltips and descriptions (default: the labels)."""
        super().__init__(parent)
        self._labels = list(row_labels)
        self._names = list(row_names or row_labels)
        self._style_of = style_of
        self._values: list[list[Any]] = [list(r) for r in values]
        self._anchor = (0, 0)
        self._current = (0, 0)
        self._drag: str | None = None
        """What a press started: "cells", "rows", "hours" or None."""
        self._widest = widest_text
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self._layout_metrics()

    # -- geometry -------------------------------------------------------------------------------

    def _layout_metrics(self) -> None:
        fm = self.fontMetrics()
        self._left = max(fm.horizontalAdvance(t) for t in [*self._labels, "Wed"]) + 12
        self._top = fm.height() + 6
        self._cell_w = max(18, self._text_metrics().horizontalAdvance(self._widest) + 6)
        self._cell_h = max(18, fm.height() + 6)

    def _text_font(self) -> QFont:
        """Cell texts (a rate's percentage) in a slightly smaller font, so "100" fits a narrow cell."""
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
        return font

    def _text_metrics(self) -> QFontMetrics:
        return QFontMetrics(self._text_font())

    def sizeHint(self) -> QSize:
        return QSize(self._left + HOURS * self._cell_w + 2, self._top + len(self._labels) * self._cell_h + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def cell_rect(self, row: int, hour: int) -> QRect:
        return QRect(self._left + hour * self._cell_w, self._top + row * self._cell_h, self._cell_w, self._cell_h)

    def cell_at(self, pos: QPoint) -> tuple[int, int]:
        """The (row, hour) under ``pos``, clamped into the grid (a drag past the edge keeps the edge cell)."""
        row = (pos.y() - self._top) // self._cell_h
        hour = (pos.x() - self._left) // self._cell_w
        return min(max(row, 0), len(self._labels) - 1), min(max(hour, 0), HOURS - 1)

    # -- values and selection -------------------------------------------------------------------

    @property
    def rows(self) -> int:
        return len(self._labels)

    def values(self) -> list[list[Any]]:
        return [list(r) for r in self._values]

    def set_values(self, values: Sequence[Sequence[Any]]) -> None:
        self._values = [list(r) for r in values]
        self.update()

    def value_at(self, row: int, hour: int) -> Any:
        return self._values[row][hour]

    def selection(self) -> tuple[int, int, int, int]:
        """(first row, last row, first hour, last hour), inclusive."""
        (r0, h0), (r1, h1) = self._anchor, self._current
        return min(r0, r1), max(r0, r1), min(h0, h1), max(h0, h1)

    def selected_cells(self) -> list[tuple[int, int]]:
        r0, r1, h0, h1 = self.selection()
        return [(r, h) for r in range(r0, r1 + 1) for h in range(h0, h1 + 1)]

    def selected_values(self) -> set[Any]:
        return {self._values[r][h] for r, h in self.selected_cells()}

    def select(self, first: tuple[int, int], last: tuple[int, int]) -> None:
        """Select the rectangle from ``first`` (the anchor) to ``last`` (the current cell), both (row, hour)."""
        clamp = lambda c: (min(max(c[0], 0), self.rows - 1), min(max(c[1], 0), HOURS - 1))  # noqa: E731
        anchor, current = clamp(first), clamp(last)
        if (anchor, current) == (self._anchor, self._current):
            return
        self._anchor, self._current = anchor, current
        self.update()
        self.setAccessibleDescription(self.selection_text())
        self.selectionChanged.emit()

    def select_all(self) -> None:
        self.select((0, 0), (self.rows - 1, HOURS - 1))

    def set_selected_value(self, value: Any) -> bool:
        """Give every selected cell ``value``; True (and ``edited``) when a cell changed."""
        changed = False
        for r, h in self.selected_cells():
            if self._values[r][h] != value:
                self._values[r][h] = value
                changed = True
        if changed:
            self.update()
            self.edited.emit()
        return changed

    def selection_text(self) -> str:
        """``Mon–Fri, 08:00–17:00`` — what is selected, in the words a person would say it."""
        r0, r1, h0, h1 = self.selection()
        rows = self._labels[r0] if r0 == r1 else f"{self._labels[r0]}\u2013{self._labels[r1]}"
        if self.rows == 1:
            rows = self._names[0]
        return f"{rows}, {hours_text(h0, h1)}"

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        p = QPainter(self)
        pal = self.palette()
        enabled = self.isEnabled()
        text_pen = QPen(pal.color(pal.ColorGroup.Active if enabled else pal.ColorGroup.Disabled, pal.ColorRole.Text))
        small = self._text_font()
        p.setPen(text_pen)
        every = 1 if self.fontMetrics().horizontalAdvance("00") + 3 <= self._cell_w else 2
        for h in range(0, HOURS, every):
            rect = QRect(self._left + h * self._cell_w, 0, self._cell_w, self._top - 2)
            p.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom, f"{h:02d}")
        for r, label in enumerate(self._labels):
            rect = QRect(0, self._top + r * self._cell_h, self._left - 6, self._cell_h)
            p.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
        grid_pen = QPen(QColor(128, 128, 128))
        for r in range(self.rows):
            for h in range(HOURS):
                rect = self.cell_rect(r, h)
                style = self._style_of(self._values[r][h])
                colour = QColor(style.colour) if enabled else QColor(style.colour).lighter(115)
                p.fillRect(rect, colour)
                if style.pattern is not None:
                    p.fillRect(rect, QBrush(QColor(0, 0, 0, 150 if enabled else 70), style.pattern))
                if style.text:
                    p.setPen(text_pen)
                    p.setFont(small)
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, style.text)
                    p.setFont(self.font())
                p.setPen(grid_pen)
                p.drawRect(rect.adjusted(0, 0, -1, -1))
        if enabled:
            self._paint_selection(p)

    def _paint_selection(self, p: QPainter) -> None:
        r0, r1, h0, h1 = self.selection()
        area = self.cell_rect(r0, h0).united(self.cell_rect(r1, h1))
        highlight = QColor(self.palette().color(self.palette().ColorRole.Highlight))
        veil = QColor(highlight)
        veil.setAlpha(35)  # light: the selected cells' own fill and pattern must stay readable
        p.fillRect(area, veil)
        p.setBrush(Qt.BrushStyle.NoBrush)
        # A dark outline with a light line inside reads on every fill (the rate strip's cells are blue, like
        # the highlight colour, so a highlight-coloured outline vanished there).
        p.setPen(QPen(QColor(20, 20, 20), 3))
        p.drawRect(area.adjusted(1, 1, -2, -2))
        p.setPen(QPen(QColor(255, 255, 255), 1))
        p.drawRect(area.adjusted(3, 3, -4, -4))
        if self.hasFocus():
            p.setPen(QPen(self.palette().color(self.palette().ColorRole.Text), 1, Qt.PenStyle.DotLine))
            p.drawRect(self.cell_rect(*self._current).adjusted(3, 3, -4, -4))

    # -- input ----------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        row, hour = self.cell_at(pos)
        in_labels, in_header = pos.x() < self._left, pos.y() < self._top
        if in_labels and in_header:
            self._drag = None
            self.select_all()
        elif in_labels:
            self._drag = "rows"
            self.select((row, 0), (row, HOURS - 1))
        elif in_header:
            self._drag = "hours"
            self.select((0, hour), (self.rows - 1, hour))
        else:
            self._drag = "cells"
            extend = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.select(self._anchor if extend else (row, hour), (row, hour))
        event.accept()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        row, hour = self.cell_at(event.position().toPoint())
        if self._drag == "rows":
            self.select((self._anchor[0], 0), (row, HOURS - 1))
        elif self._drag == "hours":
            self.select((0, self._anchor[1]), (self.rows - 1, hour))
        else:
            self.select(self._anchor, (row, hour))
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        if key == Qt.Key.Key_A and mods & Qt.KeyboardModifier.ControlModifier:
            self.select_all()
            return
        moves = {
            Qt.Key.Key_Left: (0, -1),
            Qt.Key.Key_Right: (0, 1),
            Qt.Key.Key_Up: (-1, 0),
            Qt.Key.Key_Down: (1, 0),
        }
        row, hour = self._current
        if key in moves:
            dr, dh = moves[key]
            target = (row + dr, hour + dh)
        elif key == Qt.Key.Key_Home:
            target = (row, 0)
        elif key == Qt.Key.Key_End:
            target = (row, HOURS - 1)
        else:
            super().keyPressEvent(event)
            return
        extend = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        self.select(self._anchor if extend else target, target)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = event.pos()
            if pos.x() >= self._left and pos.y() >= self._top:
                row, hour = self.cell_at(pos)
                style = self._style_of(self._values[row][hour])
                QToolTip.showText(
                    event.globalPos(), f"{self._names[row]} {hours_text(hour, hour)}: {style.description}", self
                )
                return True
        return super().event(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._layout_metrics()
            self.updateGeometry()
        super().changeEvent(event)


__all__ = ["HOURS", "CellStyle", "HourGrid", "hours_text"]
