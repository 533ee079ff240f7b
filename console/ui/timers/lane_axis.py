"""The lanes' name axis: pyqtgraph's left ``AxisItem`` with explicit ticks, painted without its ``QPicture``.

The lane names are explicit ticks (``setTicks``), and a lane on screen changes on about half the frames at 3,000
busy sites (a thread starts, exits or folds), so ``AxisItem`` regenerated its picture that often: a ``Point`` and a
pen copy per tick, a font measurement per label, recording and replaying (0.35-0.97 ms each time). ``LaneAxis``
computes the same specs as ``AxisItem.generateDrawSpecs`` for a left axis with explicit ticks (same positions,
rectangles, density rule and float arithmetic), keeps each label's measured size (ScrollingAxis) and draws
straight into the scene's painter. Anything else goes through ``AxisItem.paint`` unchanged; tests/ui/
test_lane_axis.py compares specs and pixels with pyqtgraph's.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPicture

from console.ui.timers.scrolling_axis import ScrollingAxis, Specs

_TEXT_FLAGS = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextDontClip)


_KEPT = QPicture()
"""Stands in ``AxisItem.picture`` for specs kept: every change AxisItem knows of (ticks, range, size, style) sets
``picture`` to None, which is when the specs are computed again."""


class LaneAxis(ScrollingAxis):
    def __init__(self, **kwargs: object) -> None:
        super().__init__("left", **kwargs)
        self._kept: Specs | None = None

    def paint_specs(self) -> Specs | None:
        """The lanes' names change on some frames only, and nothing scrolls: specs are kept until invalidated."""
        if self.picture is not _KEPT:
            self._kept = self.fast_specs()
            self.picture = _KEPT
        return self._kept

    def paint(self, p: QPainter, opt: object, widget: object) -> None:
        if self.picture is _KEPT and not self.fast_path():
            self.picture = None  # AxisItem.paint would replay it: let it make its own
        super().paint(p, opt, widget)

    def fast_path(self) -> bool:
        style = self.style
        return (
            self.orientation == "left"
            and self.grid is False
            and not self.logMode
            and self._tickLevels is not None
            and style["tickAlpha"] is None
            and style["stopAxisAtTick"] == (False, False)
            and style["autoExpandTextSpace"]
            and style["autoReduceTextSpace"]
        )  # hideOverlappingLabels only widens boundingRect(), which the specs and the clip both use

    def fast_specs(self) -> Specs | None:
        """``generateDrawSpecs`` for a left axis with explicit ticks; ticks grouped per level (one pen each)."""
        bounds = self.mapRectFromParent(self.geometry())
        span0 = bounds.topRight() + QPointF(-1.0, -1.0)
        span1 = bounds.bottomRight() + QPointF(-1.0, 1.0)
        d0, d1 = self.mapToDevice(span0), self.mapToDevice(span1)
        if d0 is None or d1 is None:
            return None
        dx, dy = d1.x() - d0.x(), d1.y() - d0.y()
        length = (dx**2 + dy**2) ** 0.5
        if length == 0:
            return None
        levels = self._tickLevels or []
        r0, r1 = self.range
        dif = r1 - r0
        if dif == 0:
            y_scale, offset = 1.0, 0.0
        else:
            y_scale = -bounds.height() / dif
            offset = r0 * y_scale - bounds.height()
        y_range = [r0 * y_scale - offset, r1 * y_scale - offset]
        y_min, y_max = min(y_range), max(y_range)
        tick_start = tick_stop = bounds.right()
        positions: list[list[float | None]] = []
        tick_specs: list[tuple[QPen, list[QLineF]]] = []
        base = self.tickPen()
        for i, level in enumerate(levels):
            tick_length = self.style["tickLength"] / ((i * 0.5) + 1.0)
            pen = base
            if base.brush().style() == Qt.BrushStyle.SolidPattern:
                pen = QPen(base)
                color = QColor(pen.color())
                color.setAlpha(int(255 / (i + 1)))
                pen.setColor(color)
            level_pos: list[float | None] = []
            lines: list[QLineF] = []
            end = tick_stop - tick_length
            for v, _s in level:
                y = (v * y_scale) - offset
                if y < y_min or y > y_max:
                    level_pos.append(None)
                    continue
                level_pos.append(y)
                lines.append(QLineF(tick_start, y, end, y))
            positions.append(level_pos)
            tick_specs.append((pen, lines))
        axis_spec = (self.pen(), span0, span1)
        text_specs: list[tuple[QRectF, int, str]] = []
        if not self.style["showValues"]:
            return axis_spec, tick_specs, text_specs
        label_offset = max(0, self.style["tickLength"]) + self.style["tickTextOffset"][0]
        strings = [
            [s if y is not None else None for (_v, s), y in zip(level, positions[i], strict=True)]
            for i, level in enumerate(levels[: self.style["maxTextLevel"] + 1])
        ]
        sizes = self._measure(strings)
        text_widths: list[float] = []
        text_heights: list[float] = []
        last_size2: float = 0
        br = self.boundingRect()
        for i, level_strings in enumerate(strings):
            if len(level_strings) == 0:
                continue
            for s in level_strings:
                if s is not None:
                    width, height = sizes[s]
                    text_widths.append(width)
                    text_heights.append(height)
            if text_widths:  # over every level so far, as generateDrawSpecs sums them (numpy's sum, same rounding)
                text_size = float(np.sum(text_heights))
                text_size2 = float(np.max(text_widths))
            else:
                text_size = 0.0
                text_size2 = 0.0
            if i > 0 and any(
                len(text_specs) >= n and text_size / length >= limit for n, limit in self.style["textFillLimits"]
            ):
                break
            last_size2 = text_size2
            for j, s in enumerate(level_strings):
                if s is None:
                    continue
                y = positions[i][j]
                assert y is not None
                width, height = sizes[s]
                rect = QRectF(tick_stop - label_offset - width, y - (height / 2), width, height)
                if br & rect != rect:  # QRectF's fuzzy ==, as generateDrawSpecs compares
                    continue
                text_specs.append((rect, _TEXT_FLAGS, s))
        self._note_text_size(last_size2)
        return axis_spec, tick_specs, text_specs

    def _note_text_size(self, size: float) -> None:
        """``_updateMaxTextSize``, called only when it changes the text width (it re-sets the axis's width)."""
        if size > self.textWidth or size < self.textWidth - 10:
            self._updateMaxTextSize(size)
