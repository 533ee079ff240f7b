"""A horizontal pyqtgraph axis that is cheap to repaint while its range scrolls every frame.

At 600x the time axes move 16 px a frame, so pyqtgraph's ``AxisItem`` throws its cached ``QPicture`` away and
regenerates it each paint: numpy ``isclose`` over the tick levels, a ``Point`` and a pen copy per tick, a font
measurement per label, recording into the picture and replaying it (1.2 ms a frame for the two time axes, ~18 % of
the GUI thread's busy time at 3,000 sites). ``ScrollingAxis.paint`` computes the same draw specs as
``AxisItem.generateDrawSpecs`` (same tick values, positions, labels, the same text-density and bounds rules, the
same float arithmetic) with plain Python, keeps each label's measured size, and draws straight into the scene's
painter with the picture's render hints, clip and fonts. Anything it does not reproduce (another orientation,
grid, log mode, explicit ticks, fixed text space, stopped axis ends) goes through ``AxisItem.paint`` unchanged;
lane_axis.py does the same for the lanes' names (a left axis with explicit ticks).
tests/ui/test_timer_axis.py compares both, spec by spec and pixel by pixel.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable
from math import ceil

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPicture

_ALIGN = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
_TEXT_FLAGS = int(_ALIGN | Qt.TextFlag.TextDontClip)
_MEASURE_RECT = QRectF(0, 0, 100, 100)
_MAX_SIZES = 4096

Specs = tuple[tuple[QPen, QPointF, QPointF], list[tuple[QPen, list[QLineF]]], list[tuple[QRectF, int, str]]]
"""(axis pen and ends, per tick level its pen and lines, per label its rectangle, flags and text)."""


def level_pen(base: QPen, level: int) -> QPen:
    """The pen of a tick level as ``generateDrawSpecs`` fades it: a solid pen's alpha 255 / (level + 1)."""
    if base.brush().style() != Qt.BrushStyle.SolidPattern:
        return base
    pen = QPen(base)
    color = QColor(pen.color())
    color.setAlpha(int(255 / (level + 1)))
    pen.setColor(color)
    return pen


class ScrollingAxis(pg.AxisItem):
    def __init__(self, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self._sizes: dict[tuple[str, str], tuple[float, float]] = {}
        """(font, text) -> (width, 0.8 x height) as ``generateDrawSpecs`` measures it: labels recur each frame."""

    # -- which axes the fast path covers ------------------------------------------------------------------

    def fast_path(self) -> bool:
        style = self.style
        return (
            self.orientation == "bottom"
            and self.grid is False
            and not self.logMode
            and self._tickLevels is None
            and style["tickAlpha"] is None
            and style["stopAxisAtTick"] == (False, False)
            and style["autoExpandTextSpace"]
            and style["autoReduceTextSpace"]
            and style["hideOverlappingLabels"] is True
        )

    def paint(self, p: QPainter, opt: object, widget: object) -> None:
        if not self.fast_path():
            super().paint(p, opt, widget)
            return
        specs = self.paint_specs()
        if specs is None:
            return
        axis_spec, tick_specs, text_specs = specs
        p.save()
        try:
            p.setFont(self._tick_font())
            p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            pen, p1, p2 = axis_spec
            p.setPen(pen)
            p.drawLine(p1, p2)
            for pen, lines in tick_specs:
                p.setPen(pen)
                p.drawLines(lines)
            p.setPen(self.textPen())
            p.setClipRect(self.boundingRect().toAlignedRect())
            for rect, flags, text in text_specs:
                p.drawText(rect, flags, text)
        finally:
            p.restore()

    def paint_specs(self) -> Specs | None:
        """The specs to draw: a scrolling axis's change every frame, so they are computed every time."""
        self.picture = None  # nothing of AxisItem's caching applies to a picture it never made
        return self.fast_specs()

    def _tick_font(self) -> QFont:
        font = self.style["tickFont"]
        return QFont(font) if font is not None else QFont()

    # -- the specs ----------------------------------------------------------------------------------------

    def fast_specs(self) -> Specs | None:
        """``generateDrawSpecs`` for a plain bottom axis; ticks grouped per level (one pen each)."""
        bounds = self.mapRectFromParent(self.geometry())
        span0 = bounds.topLeft() + QPointF(-1.0, 1.0)
        span1 = bounds.topRight() + QPointF(1.0, 1.0)
        d0, d1 = self.mapToDevice(span0), self.mapToDevice(span1)
        if d0 is None or d1 is None:
            return None
        dx, dy = d1.x() - d0.x(), d1.y() - d0.y()
        length = (dx**2 + dy**2) ** 0.5
        if length == 0:
            return None
        levels = self.fast_tick_values(self.range[0], self.range[1], length)
        r0, r1 = self.range
        dif = r1 - r0
        if dif == 0:
            x_scale, offset = 1, 0
        else:
            x_scale = bounds.width() / dif
            offset = r0 * x_scale
        tick_start = tick_stop = bounds.top()
        positions, tick_specs = self.place_ticks(
            [values for _spacing, values in levels],
            x_scale,
            offset,
            lambda x, tick_length: QLineF(x, tick_start, x, tick_stop + tick_length),
        )
        axis_spec = (self.pen(), span0, span1)
        if not self.style["showValues"]:
            return axis_spec, tick_specs, []
        text_offset = self.style["tickTextOffset"][1]
        label_offset = max(0, self.style["tickLength"]) + text_offset
        scale = self.autoSIPrefixScale * self.scale
        strings = [
            [
                s if x is not None else None
                for s, x in zip(self.tickStrings(values, scale, spacing), positions[i], strict=True)
            ]
            for i, (spacing, values) in enumerate(levels[: self.style["maxTextLevel"] + 1])
        ]
        sizes = self._measure(strings)

        def rect_at(x: float, width: float, height: float) -> QRectF:
            return QRectF(x - width / 2.0, tick_stop + label_offset, width, height)

        text_specs, last_size2 = self.place_labels(strings, positions, sizes, length, False, rect_at, _TEXT_FLAGS)
        self._note_text_size(last_size2)
        return axis_spec, tick_specs, text_specs

    def place_ticks(
        self, levels: list[list[float]], scale: float, offset: float, line_at: Callable[[float, float], QLineF]
    ) -> tuple[list[list[float | None]], list[tuple[QPen, list[QLineF]]]]:
        """``generateDrawSpecs``'s tick pass for either orientation: each value's position (None outside the range)
        and per level its faded pen and lines; ``line_at(position, tick length)``, shorter by half per level."""
        r0, r1 = self.range
        ends = (r0 * scale - offset, r1 * scale - offset)
        lo, hi = min(ends), max(ends)
        positions: list[list[float | None]] = []
        tick_specs: list[tuple[QPen, list[QLineF]]] = []
        base = self.tickPen()
        for i, values in enumerate(levels):
            tick_length = self.style["tickLength"] / ((i * 0.5) + 1.0)
            level_pos: list[float | None] = []
            lines: list[QLineF] = []
            for v in values:
                at = (v * scale) - offset
                if at < lo or at > hi:
                    level_pos.append(None)
                    continue
                level_pos.append(at)
                lines.append(line_at(at, tick_length))
            positions.append(level_pos)
            tick_specs.append((level_pen(base, i), lines))
        return positions, tick_specs

    def place_labels(
        self,
        strings: list[list[str | None]],
        positions: list[list[float | None]],
        sizes: dict[str, tuple[float, float]],
        length: float,
        vertical: bool,
        rect_at: Callable[[float, float, float], QRectF],
        flags: int,
    ) -> tuple[list[tuple[QRectF, int, str]], float]:
        """``generateDrawSpecs``'s label pass for either orientation: levels are taken while their labels, summed
        along the axis over every level so far (numpy's sum, the same rounding), stay within ``textFillLimits``; a
        label outside the bounding rectangle is left out. Returns the labels and the largest size across the axis of
        the last level taken (what ``_updateMaxTextSize`` gets)."""
        text_specs: list[tuple[QRectF, int, str]] = []
        along: list[float] = []
        across: list[float] = []
        last_size2 = 0.0
        br = self.boundingRect()
        for i, level in enumerate(strings):
            if len(level) == 0:
                continue
            for s in level:
                if s is not None:
                    width, height = sizes[s]
                    along.append(height if vertical else width)
                    across.append(width if vertical else height)
            text_size = float(np.sum(along)) if along else 0.0
            text_size2 = float(np.max(across)) if across else 0.0
            if i > 0 and any(
                len(text_specs) >= n and text_size / length >= limit for n, limit in self.style["textFillLimits"]
            ):
                break
            last_size2 = text_size2
            for j, s in enumerate(level):
                if s is None:
                    continue
                pos = positions[i][j]
                assert pos is not None
                rect = rect_at(pos, *sizes[s])
                if br & rect != rect:  # QRectF's fuzzy ==, as generateDrawSpecs compares
                    continue
                text_specs.append((rect, flags, s))
        return text_specs, last_size2

    def fast_tick_values(self, min_val: float, max_val: float, size: float) -> list[tuple[float, list[float]]]:
        """``AxisItem.tickValues`` without numpy: a tick within 1 % of a step of a higher level's is dropped."""
        min_val, max_val = sorted((min_val, max_val))
        scale = self.scale
        min_val *= scale
        max_val *= scale
        ticks: list[tuple[float, list[float]]] = []
        seen: list[float] = []
        for spacing, offset in self.tickSpacing(min_val, max_val, size):
            start = (ceil((min_val - offset) / spacing) * spacing) + offset
            num = int((max_val - start) / spacing) + 1
            atol = spacing / scale * 0.01
            values = []
            for k in range(num):
                v = (k * spacing + start) / scale
                at = bisect_left(seen, v - atol)  # np.isclose(rtol=0): |a - v| <= atol
                if at < len(seen) and abs(seen[at] - v) <= atol:
                    continue
                if at > 0 and abs(seen[at - 1] - v) <= atol:
                    continue
                values.append(v)
            seen = sorted(seen + values)
            ticks.append((spacing / scale, values))
        return ticks

    def _measure(self, strings: list[list[str | None]]) -> dict[str, tuple[float, float]]:
        """Each shown label's size, measured once per font the way ``generateDrawSpecs`` does (on a QPicture)."""
        font = self.style["tickFont"]
        key = (font if font is not None else QFont()).toString()  # the application font may change
        sizes = self._sizes
        if len(sizes) > _MAX_SIZES:
            sizes.clear()
        out: dict[str, tuple[float, float]] = {}
        missing: list[str] = []
        for level in strings:
            for s in level:
                if s is None or s in out:
                    continue
                size = sizes.get((key, s))
                if size is None:
                    missing.append(s)
                    out[s] = (0.0, 0.0)
                else:
                    out[s] = size
        if missing:
            picture = QPicture()
            painter = QPainter(picture)
            try:
                if font is not None:
                    painter.setFont(font)
                for s in missing:
                    r = painter.boundingRect(_MEASURE_RECT, Qt.AlignmentFlag.AlignCenter, s)
                    r.setHeight(r.height() * 0.8)
                    sizes[(key, s)] = out[s] = (r.width(), r.height())
            finally:
                painter.end()
        return out

    def _note_text_size(self, size: float) -> None:
        """``_updateMaxTextSize``, called only when it changes the text height (it re-sets the axis's height)."""
        if size > self.textHeight or size < self.textHeight - 10:
            self._updateMaxTextSize(size)
