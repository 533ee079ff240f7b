"""The lanes of the timer view: their height and scrolling, the legend's rows, and the labels pooled on them.

Lanes have a fixed pitch (``LANE_PITCH_PX``) and the lanes plot is exactly as tall as its lanes need (at least
``MIN_LANES``), up to ``LANES_SHARE`` of the height; more lanes scroll. Text items are pooled and touched only
when their text or place changes, because ``setText`` re-lays out.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPen
from PySide6.QtWidgets import QApplication

from console.model.durations import format_duration
from console.ui.timers.plot_labels import PlotLabel
from console.ui.timers.timer_style import (
    COUNTDOWN_OFFSET_PX,
    LANE_PITCH_PX,
    LANES_CHROME_PX,
    LANES_SHARE,
    LANES_SHARE_SHORT,
    LEGEND_ENTRIES,
    LEGEND_MIN_GRAPHICS_PX,
    MIN_LANES,
)
from console.ui.timers.view_items import ScrollingCurve


def vertical_lines(pen: QPen) -> pg.PlotCurveItem:
    """One item for many vertical lines (``TimerLanesMixin._set_vertical_lines``)."""
    item = ScrollingCurve(pen=pen, connect="pairs")
    item.shown_xs = []
    item.shown_span = None
    return item


LABEL_GAP_PX = 6  # at least this much space between two labels of restarts or outages


class TimerLanesMixin:
    """The lane-layout half of ``TimerView`` (mixed in before QWidget)."""

    _label_metrics: QFontMetricsF | None = None
    _bg: QColor
    _label_widths: dict[tuple, float]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.graphics and event.type() == QEvent.Type.Resize:
            self._fit_legend()
            self._layout_lanes()
        elif watched is self.graphics.viewport() and event.type() == QEvent.Type.Wheel and self.lane_scroll.isVisible():
            pos = self.graphics.mapToScene(event.position().toPoint())  # type: ignore[attr-defined]
            if self.lanes_plot.sceneBoundingRect().contains(pos):
                QApplication.sendEvent(self.lane_scroll, event)
                return True
        return False

    def _on_lane_scroll(self, value: int) -> None:
        if value != self._first_lane:
            self._first_lane = value
            self._show_lane_window()
            self._render(self.bridge.engine.now)

    def _set_title(self, text: str) -> None:
        if text != self._title:  # setTitle re-lays out HTML: only on change
            self._title = text
            if self._short:
                self.lanes_plot.setTitle(None)
            else:
                self.lanes_plot.setTitle(text, color=self._fg, size="9pt")

    def _show_lane_window(self) -> None:
        lanes = len(self.model.lanes)
        if lanes > self._rows_shown:
            first = self._first_lane
            self._set_title(
                f"Sending threads: lanes {first + 1}\u2013{first + self._rows_shown} of {lanes} (scroll for more)"
            )
        else:
            self._set_title("Sending threads")

    def _fit_legend(self) -> None:
        """One row when it fits the width, else as few even rows as fit (seven and six, not eight and five); none at all
        when the view is short (the smallest window): the plots need the height more than the key does."""
        short = self.graphics.height() < LEGEND_MIN_GRAPHICS_PX
        if short != self._short:
            self._short = short
            layout = self.graphics.ci.layout
            if short:  # a hidden item still takes its room in a QGraphicsGridLayout: take it out
                layout.removeItem(self.legend)
                self.legend.hide()
                self.graphics.ci.setContentsMargins(0, 0, 0, 0)
            else:
                self.graphics.addItem(self.legend, row=0, col=0)
                layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignHCenter)
                self.legend.show()
                self.graphics.ci.setContentsMargins(9, 9, 9, 9)
            self.details.setVisible(not short)  # the hover line: the tooltip still says the same
            title, self._title = self._title, ""
            self._set_title(title)  # hidden while short
        width = max(1, self.graphics.width() - 24)
        if getattr(self, "_legend_fitting", False):
            return
        self._legend_fitting = True  # a new column count resizes the scene, which calls back here
        try:
            first = 1 if self.graphics.width() >= self._legend_one_row_px else 2
            for rows in range(first, 4):  # as few even rows as fit; columns align, so measure each try
                columns = -(-LEGEND_ENTRIES // rows)  # even rows: 7 and 6, 5, 5 and 3 ...
                if self.legend.columnCount != columns:
                    self.legend.setColumnCount(columns)
                if self.legend.layout.preferredWidth() <= width:
                    break
        finally:
            self._legend_fitting = False
        # At its own width, centred: a legend stretched over the row spreads its columns far apart.
        self.legend.setMaximumWidth(self.legend.layout.preferredWidth() + 8)

    def _layout_lanes(self) -> None:
        """Size the lanes plot to its lanes at ``LANE_PITCH_PX`` (capped; scroll beyond: module docstring)."""
        lanes = len(self.model.lanes)
        self._laid_out_for = lanes
        rows = max(lanes, MIN_LANES)
        plot_h, box_h = self.lanes_plot.geometry().height(), self.lanes_plot.vb.geometry().height()
        chrome = plot_h - box_h if box_h > 0 and plot_h > box_h else LANES_CHROME_PX
        available = self.graphics.height() - (self.legend.geometry().height() if self.legend.isVisible() else 0)
        share = LANES_SHARE_SHORT if self._short else LANES_SHARE
        cap = max(self.lanes_plot.minimumHeight(), share * available)
        fit = max(1, int((cap - chrome) // LANE_PITCH_PX))
        self._rows_shown = min(rows, fit)
        height = float(self._rows_shown * LANE_PITCH_PX + chrome)
        if height != self._lanes_height:
            self._lanes_height = height
            self.graphics.ci.layout.setRowFixedHeight(1, height)
        hidden = max(0, lanes - self._rows_shown)
        self.lane_scroll.blockSignals(True)
        self.lane_scroll.setRange(0, hidden)
        self.lane_scroll.setPageStep(self._rows_shown)
        self.lane_scroll.blockSignals(False)
        self.lane_scroll.setVisible(hidden > 0)
        self._first_lane = self.lane_scroll.value()
        self._show_lane_window()

    def _place_countdowns(self, countdowns: list[tuple[float, float, str]]) -> None:
        """Reuse a pool of TextItems; touch an item only when its text or place changed (setText re-lays out).

        Each text starts just right of "now", clear of the network-error marker the wait began with; when the
        plot has no room for it there (near the end of a wait the look-ahead is short), it ends just left of
        "now" instead, over the part already waited, so it is never cut at the plot's edge.
        """
        left, right = self.window_range
        px = self.lanes_plot.vb.width()
        per_px = (right - left) / px if px > 0 else 0.0
        while len(self._countdown_texts) < len(countdowns):
            item = PlotLabel("", color=self._fg, anchor=(0, 0.5))
            self.lanes_plot.addItem(item, ignoreBounds=True)
            self._countdown_texts.append(item)
            self._countdown_shown.append(None)
        for i, (item, (now, y, text)) in enumerate(zip(self._countdown_texts, countdowns, strict=False)):
            shown = self._countdown_shown[i]
            if shown is None or shown[2] != text:
                item.setText(text)
            width = item.boundingRect().width() * per_px
            offset = COUNTDOWN_OFFSET_PX * per_px
            fits_right = now + offset + width <= right
            item.set_anchor((0, 0.5) if fits_right else (1, 0.5))
            spec = (now + offset if fits_right else now - offset, y, text)
            if shown is None or shown[:2] != spec[:2]:
                item.setPos(spec[0], spec[1])
            if shown is None:
                item.setVisible(True)
            self._countdown_shown[i] = spec
        for i in range(len(countdowns), len(self._countdown_texts)):
            if self._countdown_shown[i] is not None:
                self._countdown_texts[i].setVisible(False)
                self._countdown_shown[i] = None

    def _place_restarts(self, left: float, right: float, top: float, bottom: float) -> None:
        """A labelled vertical line per server restart in the window (labels pooled; touched only on change)."""
        shown = [(t, dest) for t, dest in self.model.restarts if left <= t <= right]

        def text(spec: tuple) -> str:
            return f" {self._server(spec[1])} restarted"

        labelled = self._uncrowded(shown, text, left, right)
        self._restart_shown = self._place_labels(self._restart_labels, self._restart_shown, labelled, top, (0, 0), text)
        self._set_vertical_lines(self.restart_lines, [t for t, _d in shown], top, bottom)

    def _place_outage_marks(self, left: float, right: float, top: float, bottom: float) -> None:
        """A labelled line where each network outage in the window starts, whether or not a thread was there.

        The lanes' shading only shows an outage on threads to that site; an outage that hit nothing must still
        leave a trace (the user injected it and looks for it). Labels sit at the lanes' bottom, apart from the
        restart labels at the top. Pooled and touched only on change, like the restart labels.
        """
        shown = sorted(
            (o.start, o.dest, o.end) for spans in self.model.outages.values() for o in spans if left <= o.start <= right
        )

        def text(spec: tuple) -> str:
            return f" link to {spec[1]} down {format_duration(spec[2] - spec[0])}"

        labelled = self._uncrowded(shown, text, left, right)
        self._outage_shown = self._place_labels(self._outage_labels, self._outage_shown, labelled, bottom, (0, 1), text)
        self._set_vertical_lines(self.outage_lines, [start for start, _d, _e in shown], top, bottom)

    def _uncrowded(self, specs: list, text: Callable[[tuple], str], left: float, right: float) -> list:
        """The specs (by time) whose labels fit side by side in the window, each with whether its label must end at
        its line instead of starting there (no room before the window's right edge), the newest first: at
        thousands of sites dozens of outages start within minutes, and labels drawn over each other read as
        nothing. An unlabelled line still has its hover text (``details_at``). A label's width is measured once."""
        px = self.lanes_plot.vb.width()
        if px <= 0:
            return [(*spec, False) for spec in specs]
        per_px = (right - left) / px
        widths = self._label_widths
        if self._label_metrics is None:
            self._label_metrics = QFontMetricsF(PlotLabel("", color=self._fg).font())
        kept = []
        limit = right
        if len(widths) > 4096:  # specs seen long ago (their outages scrolled off)
            widths.clear()
        for spec in reversed(specs):
            width = widths.get(spec)
            if width is None:
                width = widths[spec] = self._label_metrics.horizontalAdvance(text(spec) + " ")
            span = (width + LABEL_GAP_PX) * per_px
            if spec[0] + span <= limit:
                kept.append((*spec, False))
                limit = spec[0]
            elif spec[0] - span >= left and spec[0] + LABEL_GAP_PX * per_px <= limit:
                kept.append((*spec, True))
                limit = spec[0] - span
        kept.reverse()
        return kept

    def _place_labels(self, pool: list[PlotLabel], was: list, specs: list, y: float, anchor: tuple, text) -> list:
        """Show ``text(spec)`` at (spec[0], y) for each spec, on labels of ``pool`` (grown on demand); a spec's last
        item (``_uncrowded``) says the label ends at the line rather than starts there.

        A spec keeps its label while it stays in the window, and a label is touched only when its place changes:
        with thirty outages in view, one entering the window no longer re-lays out every label after it.
        ``was`` and the result hold each label's ``(spec, y)``, or None for a hidden one.
        """
        wanted = set(specs)
        slot = {entry[0]: i for i, entry in enumerate(was) if entry is not None and entry[0] in wanted}
        free = [i for i, entry in enumerate(was) if entry is None or entry[0] not in wanted]
        new = [spec for spec in specs if spec not in slot]
        while len(free) < len(new):
            backdrop = QColor(self._bg)
            backdrop.setAlpha(215)
            label = PlotLabel("", color=self._fg, anchor=anchor, background=backdrop)
            self.lanes_plot.addItem(label, ignoreBounds=True)
            label.setVisible(False)
            pool.append(label)
            was.append(None)
            free.append(len(pool) - 1)
        for spec, i in zip(new, free, strict=False):
            slot[spec] = i
            pool[i].setText(text(spec) + " " if spec[-1] else text(spec))
            pool[i].set_anchor((1.0 - anchor[0], anchor[1]) if spec[-1] else anchor)
        now: list = [None] * len(pool)
        for spec, i in slot.items():
            now[i] = (spec, y)
            if was[i] is None or was[i][0] != spec or was[i][1] != y:
                pool[i].setPos(spec[0], y)  # the lanes' top and bottom move when they scroll
        for i, label in enumerate(pool):
            if (now[i] is None) != (was[i] is None):
                label.setVisible(now[i] is not None)
        return now

    @staticmethod
    def _set_vertical_lines(item: pg.PlotCurveItem, xs: list[float], top: float, bottom: float) -> None:
        """All the lines of one kind as one item (pairs of points): one path to paint, however many there are.

        An ``InfiniteLine`` each cost ~0.1 ms of Python per paint (its bounding rectangle is recomputed from the
        view's pixel vectors): a busy 3,000-site run has 30 outage starts in the window. Pens should be opaque (see
        ``TimerView._build``).
        """
        if xs == item.shown_xs:
            if xs and item.shown_span != (top, bottom):
                item.setData(np.repeat(xs, 2), np.tile((top, bottom), len(xs)), connect="pairs")
                item.shown_span = (top, bottom)
            return
        item.shown_xs = xs
        item.shown_span = (top, bottom)
        item.setData(np.repeat(xs, 2).astype(float), np.tile((top, bottom), len(xs)).astype(float), connect="pairs")
