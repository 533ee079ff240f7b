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

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPicture

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
        tick_start = tick_stop = bounds.right()
        positions, tick_specs = self.place_ticks(
            [[v for v, _s in level] for level in levels],
            y_scale,
            offset,
            lambda y, tick_length: QLineF(tick_start, y, tick_stop - tick_length, y),
        )
        axis_spec = (self.pen(), span0, span1)
        if not self.style["showValues"]:
            return axis_spec, tick_specs, []
        label_offset = max(0, self.style["tickLength"]) + self.style["tickTextOffset"][0]
        strings = [
            [s if y is not None else None for (_v, s), y in zip(level, positions[i], strict=True)]
            for i, level in enumerate(levels[: self.style["maxTextLevel"] + 1])
        ]
        sizes = self._measure(strings)

        def rect_at(y: float, width: float, height: float) -> QRectF:
            return QRectF(tick_stop - label_offset - width, y - (height / 2), width, height)

        text_specs, last_size2 = self.place_labels(strings, positions, sizes, length, True, rect_at, _TEXT_FLAGS)
        self._note_text_size(last_size2)
        return axis_spec, tick_specs, text_specs

    def _note_text_size(self, size: float) -> None:
        """``_updateMaxTextSize``, called only when it changes the text width (it re-sets the axis's width)."""
        if size > self.textWidth or size < self.textWidth - 10:
            self._updateMaxTextSize(size)
