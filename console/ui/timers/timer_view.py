"""The live timer view: one lane per sending thread over the simulated clock, and heartbeat age below it.

Encoding (what a newcomer needs to see Q278357 without reading the KB):
- Top plot, one lane per thread (label ``thread 201 -> LAB``): blue bars while a block is being written;
  during *Delay before retrying* an orange countdown bar from now to the retry time, with the time left
  written on it, the part already waited drawn faint; markers for a network error (x), heartbeat expired
  (star), Win32 error 32 (square) and delivery (circle).
- Destinations: where a network outage starts, a thick grey line labelled ``link to LAB down 1m 30s`` (also when no
  thread was sending there: an injected fault always leaves a trace). A server restart is a dash-dot vertical line
  through the lanes labelled ``LABSRV restarted`` (hover: "LABSRV restarted: open files cleared"). It gets a line
  rather than a lane marker because in the KB case no thread to that site is alive at the restart, yet it is what
  lets the next thread open the package: without it a newcomer sees error 32 and then a delivery with no visible
  cause. A network outage shades, faint grey behind the bars, the lanes of the threads sending to that destination,
  from the outage's start to the link's announced return (clipped to each thread's life); hover says when.
- Bottom plot, same time axis: each thread's heartbeat age in minutes against the dashed time-out line
  (5 min) with the area above it tinted. Before SP4 a waiting thread's line climbs straight through it;
  from SP4 it saws back to zero every minute.

Performance habits (research/baseline.md §4c, anchors-ui.md §B): every pyqtgraph item is created once and
updated with ``setOpts``/``setData``; all bars are ONE ``BarGraphItem``, all markers one ``ScatterPlotItem``,
all heartbeat lines one ``PlotDataItem`` (NaN-separated, ``connect="finite"``); antialiasing off; ranges are
set explicitly (never auto-range) and only when they change. Repaints happen only from the bridge's
``frame`` signal, and a frame that brings no events and no clock movement (paused) is skipped outright.

Why the drawing code is shaped as it is (measured): docs/design-notes.md.

Layout: lanes have a fixed pitch (``LANE_PITCH_PX``) and the lanes plot is exactly as tall as its lanes need
(at least ``MIN_LANES``), so one or two threads sit in normal-height lanes at the top and the heartbeat plot
gets the room. The lanes plot takes at most ``LANES_SHARE`` of the height; more lanes than fit scroll (a
scroll bar beside the plots, or the mouse wheel over the lanes). The heartbeat plot shows every thread
that has a lane: a thread scrolled out of the lanes can still be seen crossing the time-out. Lanes of threads that
delivered fold away soon after (timer_model's module docstring).
Colours are the Okabe-Ito palette (distinct for colour-blind readers and mid-toned, so
they read on light and dark backgrounds); axes and text follow the widget palette.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsView,
    QHBoxLayout,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from console.engine.events import EngineEvent
from console.model.durations import format_duration
from console.ui.common.elided_label import ElidedLabel
from console.ui.live.engine_bridge import EngineBridge
from console.ui.timers.lane_axis import LaneAxis
from console.ui.timers.plot_labels import PlotLabel
from console.ui.timers.sim_clock_axis import SimClockAxis
from console.ui.timers.timer_lanes import TimerLanesMixin, vertical_lines
from console.ui.timers.timer_model import MarkerKind, SegmentKind, TimerModel
from console.ui.timers.timer_readouts import HOVER_HINT, TimerReadoutsMixin
from console.ui.timers.timer_routes import TimerRoutesMixin
from console.ui.timers.timer_style import (
    AGE_COLOUR,
    AGE_MIN_PX,
    BAR_HEIGHT,
    FOLD_GRACE_S,
    HISTORY_S,
    LABEL_WIDTH,
    LEGEND_ENTRIES,
    LOOKAHEAD_MAX_S,
    LOOKAHEAD_MIN_S,
    MARKER_STYLE,
    MIN_LANES,
    OUTAGE_ALPHA,
    OUTAGE_HEIGHT,
    RESTART_STYLE,
    THIN_AGE_POINTS,
    TIMEOUT_COLOUR,
    TRANSFER_COLOUR,
    WAIT_COLOUR,
    blend,
    decimate_polyline,
    faint,
    server_names,
)
from console.ui.timers.view_items import ScrollingBars, ScrollingCurve, ScrollingLine, ScrollingScatter


class TimerView(TimerLanesMixin, TimerReadoutsMixin, TimerRoutesMixin, QWidget):
    """Live timers of the bridge's engine; ``objectName`` is ``TimerView`` (DESIGN.md §4)."""

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TimerView")
        self.bridge = bridge
        self.model = TimerModel(bridge.engine.sending_version.fixes_q278357)
        self.window_range = (0.0, HISTORY_S + LOOKAHEAD_MIN_S)
        self.repaints = 0
        self._lane_labels: list[tuple[float, str]] = []
        self._lane_span: tuple[float, float] | None = None
        self._age_top: float | None = None
        self._rendered_now: float | None = None
        self.skipped_frames = 0  # frames that changed nothing drawn (paused) and were not rendered
        self._lanes_height: float | None = None
        self._first_lane = 0
        self._rows_shown = MIN_LANES
        self._laid_out_for: int | None = None
        self._age_pen_thin = False
        self._markers_shown: tuple | None = None  # what the scatter items were last given: unchanged, not set again
        self._age_markers_shown: tuple | None = None
        self._servers: dict[str, str] = {}
        self._restart_shown: list[tuple[tuple[float, str], float] | None] = []  # per label: (spec, y)
        self._build()
        bridge.frame.connect(self.on_frame)
        bridge.engineReplaced.connect(self.on_engine_replaced)
        self.on_engine_replaced()

    # -- construction ---------------------------------------------------------------------------

    def _build(self) -> None:
        pal = self.palette()
        fg = pal.color(QPalette.ColorRole.WindowText)
        bg = pal.color(QPalette.ColorRole.Base)
        self._fg, self._bg = fg, bg
        start = self.bridge.engine.start

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setObjectName("timerGraphics")
        self.graphics.setBackground(bg)
        self.graphics.ci.setSpacing(2)
        # One rectangle around what changed: Qt's minimal updates clip every curve segment against a many-rectangle
        # region (design notes); the whole viewport repainted the still legend and title on every frame.
        self.graphics.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate)

        self.legend = pg.LegendItem(
            colCount=LEGEND_ENTRIES, labelTextColor=fg, labelTextSize="8pt", verSpacing=-6, horSpacing=6
        )
        self.graphics.addItem(self.legend, row=0, col=0)

        self.lane_axis = LaneAxis()
        # enableMenu=False at construction: the view boxes then never build their right-click menus (two
        # ViewBoxMenus, each with its axis forms: ~6 ms of start-up). Mouse input is off, so no menu is reachable.
        self.lanes_plot = self.graphics.addPlot(
            row=1, col=0, enableMenu=False, axisItems={"bottom": SimClockAxis(start), "left": self.lane_axis}
        )
        self.age_axis = SimClockAxis(start)
        self.age_plot = self.graphics.addPlot(row=2, col=0, enableMenu=False, axisItems={"bottom": self.age_axis})
        self.graphics.ci.layout.setRowStretchFactor(0, 0)
        self.graphics.ci.layout.setRowStretchFactor(1, 0)
        self.graphics.ci.layout.setRowStretchFactor(2, 1)
        self.lanes_plot.setMinimumHeight(60)
        self.age_plot.setMinimumHeight(AGE_MIN_PX)
        # The plots always fit the view: a scene taller than the view would be scrolled, plots out of sight.
        self.graphics.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.graphics.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for plot in (self.lanes_plot, self.age_plot):
            plot.setMenuEnabled(False)
            plot.setMouseEnabled(x=False, y=False)
            plot.hideButtons()
            plot.enableAutoRange(enable=False)
            for name in ("top", "right"):
                # Never shown, yet linked to the view: each scrolling frame re-set their label's HTML (0.5 ms).
                plot.getAxis(name).unlinkFromView()
            for name in ("left", "bottom"):
                axis = plot.getAxis(name)
                axis.setPen(fg)
                axis.setTextPen(fg)
        self.lanes_plot.getAxis("bottom").setStyle(showValues=False)
        self.lanes_plot.invertY(True)
        self._title = ""
        self._short = False
        self._set_title("Sending threads")
        self.age_plot.setXLink(self.lanes_plot)
        self.age_plot.setLabel("left", "heartbeat age (min)", color=fg.name())
        self.age_plot.setLabel("bottom", "simulated time", color=fg.name())
        self.lane_axis.setWidth(LABEL_WIDTH)
        self.age_plot.getAxis("left").setWidth(LABEL_WIDTH)

        self.bars = ScrollingBars(x0=[], x1=[], y=[], height=BAR_HEIGHT, pen=None, brushes=[])
        self.lanes_plot.addItem(self.bars)
        self.markers = ScrollingScatter(pxMode=True, pen=pg.mkPen(fg, width=1))
        self.lanes_plot.addItem(self.markers)
        self.now_line = ScrollingLine(angle=90, movable=False, pen=pg.mkPen(fg, style=Qt.PenStyle.DotLine))
        self.lanes_plot.addItem(self.now_line)
        self.age_now_line = ScrollingLine(angle=90, movable=False, pen=pg.mkPen(fg, style=Qt.PenStyle.DotLine))
        self.age_plot.addItem(self.age_now_line)

        self._age_pen = pg.mkPen(AGE_COLOUR, width=2)
        self._age_pen_1px = pg.mkPen(AGE_COLOUR, width=1)
        # A bare curve: a PlotDataItem around it re-sliced and re-checked the data on each frame's setData.
        self.age_curve = ScrollingCurve([], [], pen=self._age_pen, connect="finite", skipFiniteCheck=False)
        self.age_plot.addItem(self.age_curve)
        self.expired_region = pg.LinearRegionItem(
            values=(5, 1000),
            orientation="horizontal",
            movable=False,
            brush=faint(TIMEOUT_COLOUR, 40),
            pen=pg.mkPen(None),
        )
        self.age_plot.addItem(self.expired_region)
        for edge in self.expired_region.lines:
            edge.hide()  # drawn with no pen: hidden, they no longer compute their bounds every scrolling frame
        self.timeout_line = ScrollingLine(
            angle=0, movable=False, pen=pg.mkPen(TIMEOUT_COLOUR, width=2, style=Qt.PenStyle.DashLine)
        )
        self.timeout_label = PlotLabel(color=TIMEOUT_COLOUR, anchor=(0, 1))
        self.age_plot.addItem(self.timeout_label, ignoreBounds=True)
        self.age_plot.addItem(self.timeout_line)
        self.age_markers = ScrollingScatter(pxMode=True, pen=pg.mkPen(fg, width=1))
        self.age_plot.addItem(self.age_markers)

        self._brush_transfer = pg.mkBrush(TRANSFER_COLOUR)
        self._brush_wait = pg.mkBrush(WAIT_COLOUR)
        self._brush_waited = pg.mkBrush(faint(WAIT_COLOUR, 80))
        self._marker_brushes = {k: pg.mkBrush(c) for k, (_s, c, _z) in MARKER_STYLE.items()}
        self._countdown_texts: list[PlotLabel] = []
        self._countdown_shown: list[tuple[float, float, str] | None] = []
        self._brush_outage = pg.mkBrush(faint(fg.name(), OUTAGE_ALPHA))
        self._restart_pen = pg.mkPen(fg, width=2, style=RESTART_STYLE)
        self.restart_lines = vertical_lines(self._restart_pen)
        self.lanes_plot.addItem(self.restart_lines, ignoreBounds=True)
        self._restart_labels: list[PlotLabel] = []
        # Opaque: the lines lie behind everything, so fg at alpha 150 over the background is this colour exactly;
        # a translucent wide pen is stroked by QStroker (2-9 ms a frame for 30 lines), an opaque one is not.
        self._outage_pen = pg.mkPen(blend(fg, bg, 150), width=3)
        self.outage_lines = vertical_lines(self._outage_pen)
        self.outage_lines.setZValue(-5)  # behind the bars and the network-error marker it usually coincides with
        self.lanes_plot.addItem(self.outage_lines, ignoreBounds=True)
        self._outage_labels: list[PlotLabel] = []
        self._label_widths: dict[tuple, float] = {}  # a restart's or outage's label width in pixels (_uncrowded)
        self._outage_shown: list[tuple[tuple[float, str, float], float] | None] = []  # per label: (spec, y)

        legend_items = [
            (pg.BarGraphItem(x0=[0], x1=[1], y=[0], height=1, brush=self._brush_transfer, pen=None), "transfer"),
            (pg.BarGraphItem(x0=[0], x1=[1], y=[0], height=1, brush=self._brush_wait, pen=None), "retry countdown"),
            (pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(AGE_COLOUR, width=2)), "heartbeat age"),
            (
                pg.PlotDataItem([0, 1], [0, 0], pen=pg.mkPen(TIMEOUT_COLOUR, width=2, style=Qt.PenStyle.DashLine)),
                "time-out",
            ),
        ]
        for kind, (symbol, colour, size) in MARKER_STYLE.items():
            legend_items.append(
                (
                    pg.ScatterPlotItem(symbol=symbol, size=size, brush=pg.mkBrush(colour), pen=pg.mkPen(fg, width=1)),
                    kind.value,
                )
            )
        legend_items.append((pg.PlotDataItem([0, 1], [0, 0], pen=self._restart_pen), "server restart"))
        legend_items.append(
            (pg.BarGraphItem(x0=[0], x1=[1], y=[0], height=1, brush=self._brush_outage, pen=None), "link down")
        )
        legend_items += self._build_routes(fg, bg)
        for item, name in legend_items:
            self.legend.addItem(item, name)
        self._legend_one_row_px = self.legend.layout.preferredWidth() + 16
        # Static while the plots scroll, yet repainted every frame (the whole viewport is): kept as pixmaps.
        still = [self.legend, self.lanes_plot.titleLabel, self.age_plot.getAxis("left").label, self.age_axis.label]
        while still:
            item = still.pop()
            item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            still.extend(item.childItems())
        self.legend.setMaximumWidth(self._legend_one_row_px)
        self.graphics.ci.layout.setAlignment(self.legend, Qt.AlignmentFlag.AlignHCenter)

        self.details = ElidedLabel(text=HOVER_HINT)  # a thread with many outages must not widen the window
        self.details.setObjectName("timerDetails")
        self.empty_hint = PlotLabel("", color=fg, anchor=(0.5, 0.5))
        self.lanes_plot.addItem(self.empty_hint, ignoreBounds=True)

        self.lane_scroll = QScrollBar(Qt.Orientation.Vertical)
        self.lane_scroll.setObjectName("laneScroll")
        self.lane_scroll.setAccessibleName("Scroll the sending-thread lanes")
        self.lane_scroll.setVisible(False)
        self.lane_scroll.valueChanged.connect(self._on_lane_scroll)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        plots = QHBoxLayout()
        plots.setContentsMargins(0, 0, 0, 0)
        plots.setSpacing(0)
        plots.addWidget(self.graphics, 1)
        plots.addWidget(self.lane_scroll)
        layout.addLayout(plots, 1)
        layout.addWidget(self.details)
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.installEventFilter(self)
        self.graphics.viewport().installEventFilter(self)

    # -- updates --------------------------------------------------------------------------------

    def on_engine_replaced(self) -> None:
        engine = self.bridge.engine
        self.model.clear(engine.sending_version.fixes_q278357)
        self._routes_engine_replaced()
        self._servers = server_names(self.bridge.source)
        for axis in (self.lanes_plot.getAxis("bottom"), self.age_axis):
            axis.set_start(engine.start)  # type: ignore[attr-defined]
        self.timeout_line.setValue(engine.heartbeat_timeout_s / 60.0)
        self.timeout_label.setText(f"heartbeat time-out {engine.heartbeat_timeout_s / 60.0:g} min")
        self.expired_region.setRegion((engine.heartbeat_timeout_s / 60.0, 10_000.0))
        self._lane_labels = []
        self.lane_axis.setTicks([[], []])  # the old engine's lane names must not outlive it
        self._lane_span, self._age_top = None, None
        self.lane_scroll.setValue(0)
        self._forget_hover()  # the old engine's thread must not stay described
        self._layout_lanes()
        self._render(engine.now)

    def on_frame(self, events: list[EngineEvent]) -> None:
        engine = self.bridge.engine
        if not events and engine.now == self._rendered_now:
            # Paused (the bridge still ticks): the model, the window and every item would come out the same.
            self.skipped_frames += 1
            return
        # The version decides SP4's waiting beats for threads started in this frame (set_site_version is rare).
        self.model.beats_waiting_now = engine.sending_version.fixes_q278357
        left, _right = self._window(engine.now)
        self.model.feed(events, engine.now, reuse_before=left, fold_before=engine.now - FOLD_GRACE_S)
        self.model.prune(left - 60.0)
        self._sync_addresses(engine.now)
        self._render(engine.now)
        self._refresh_hover()

    def _window(self, now: float) -> tuple[float, float]:
        ahead = LOOKAHEAD_MIN_S
        for lane in self.model.active.values():
            track = lane.track
            seg = track.open_segment if track is not None else None
            if seg is not None and seg.planned_end is not None:
                ahead = max(ahead, seg.planned_end - now + 30.0)
        ahead = min(LOOKAHEAD_MAX_S, math.ceil(ahead / 60.0) * 60.0)  # whole minutes: no jitter frame to frame
        left = max(0.0, now - HISTORY_S)
        right = max(now + ahead, left + HISTORY_S + LOOKAHEAD_MIN_S)
        return left, right

    def _render(self, now: float) -> None:
        left, right = self._window(now)
        self.window_range = (left, right)
        x0: list[float] = []
        x1: list[float] = []
        ys: list[float] = []
        brushes: list[object] = []
        mx: list[float] = []
        my: list[float] = []
        msym: list[str] = []
        mbrush: list[object] = []
        msize: list[int] = []
        age_pieces: list[np.ndarray] = []
        emx: list[float] = []
        emy: list[float] = []
        countdowns: list[tuple[float, float, str]] = []
        labels: list[tuple[float, str]] = []
        if len(self.model.lanes) != self._laid_out_for:
            self._layout_lanes()
        first = self._first_lane
        span = (first - 0.6, first + self._rows_shown - 0.4)
        if span != self._lane_span:
            self._lane_span = span
            self.lanes_plot.setYRange(*span, padding=0)
        for lane in self.model.lanes:  # every thread on a lane, on screen or not (module docstring)
            if lane.track is not None and not lane.track.is_request:
                age_pieces.extend(lane.track.age_pieces(now))
        for track in self.model.expired.values():
            for t, kind in track.markers:
                if kind is MarkerKind.HEARTBEAT_EXPIRED:
                    emx.append(t)
                    emy.append(track.heartbeat_age_at(t) / 60.0)
        # Outage shading first: one BarGraphItem paints in list order, so the threads' bars come out on top.
        outages = self.model.outages
        bars = (x0, x1, ys, brushes)
        for lane in self.model.lanes[first : first + self._rows_shown]:
            track = lane.track
            if track is not None:
                self._route_bars(track, float(lane.index), now, left, right, bars)
            if track is None or not outages.get(track.dest):
                continue
            life_end = track.exited if track.exited is not None else math.inf
            for outage in outages[track.dest]:
                a, b = max(outage.start, track.started), min(outage.end, life_end)
                if b > a and b >= left:
                    x0.append(a)
                    x1.append(b)
                    ys.append(float(lane.index))
                    brushes.append(self._brush_outage)
        shaded = len(x0)
        for lane in self.model.lanes[first : first + self._rows_shown]:
            track = lane.track
            y = float(lane.index)
            if track is None:
                labels.append((y, ""))
                continue
            labels.append((y, self.lane_label(track)))
            wait = self._wait_text(track, now)
            if wait:
                countdowns.append((now, y, wait))
            for seg in track.segments:
                end = seg.end if seg.end is not None else now
                if end < left:
                    continue
                if seg.kind is SegmentKind.TRANSFER:
                    x0.append(seg.start)
                    x1.append(end)
                    ys.append(y)
                    brushes.append(self._brush_transfer)
                elif seg.end is None and seg.planned_end is not None:
                    x0.append(seg.start)
                    x1.append(now)
                    ys.append(y)
                    brushes.append(self._brush_waited)
                    x0.append(now)
                    x1.append(seg.planned_end)
                    ys.append(y)
                    brushes.append(self._brush_wait)
                    countdowns.append((now, y, "retry in " + format_duration(max(0.0, seg.planned_end - now))))
                else:
                    x0.append(seg.start)
                    x1.append(end)
                    ys.append(y)
                    brushes.append(self._brush_waited)
            self._pause_bars(track, y, left, bars)
            for t, kind in track.markers:
                symbol, _colour, size = MARKER_STYLE[kind]
                mx.append(t)
                my.append(y)
                msym.append(symbol)
                mbrush.append(self._marker_brushes[kind])
                msize.append(size)

        height: float | np.ndarray = BAR_HEIGHT
        if shaded:
            height = np.full(len(x0), BAR_HEIGHT)
            height[:shaded] = OUTAGE_HEIGHT
        self.bars.setOpts(
            x0=np.array(x0, dtype=float),
            x1=np.array(x1, dtype=float),
            y=np.array(ys, dtype=float),
            height=height,
            brushes=brushes,
        )
        if (mx, my, msym) != self._markers_shown:  # a symbol stands for its kind: brush and size follow
            self._markers_shown = (mx, my, msym)
            self.markers.setData(x=mx, y=my, symbol=msym, brush=mbrush, size=msize)
        if (emx, emy) != self._age_markers_shown:
            self._age_markers_shown = (emx, emy)
            self.age_markers.setData(
                x=emx, y=emy, symbol="star", size=16, brush=self._marker_brushes[MarkerKind.HEARTBEAT_EXPIRED]
            )
        age = np.concatenate(age_pieces) if age_pieces else np.empty((0, 2))
        ax, ay = age[:, 0], age[:, 1] / 60.0
        shown = ay[ax >= left]  # the gaps' NaN times compare False, so no NaN gets in
        top_age = float(shown.max()) * 60.0 if shown.size else 0.0
        px = self.age_plot.vb.width()
        if px > 0:
            ax, ay = decimate_polyline(ax, ay, left, (right - left) / px)
        thin = len(ax) > THIN_AGE_POINTS
        if thin != self._age_pen_thin:
            self._age_pen_thin = thin
            self.age_curve.setPen(self._age_pen_1px if thin else self._age_pen)
        self.age_curve.setData(ax, ay, connect="finite")
        self._place_countdowns(countdowns)
        self._place_hops({i: float(i) for i in range(first, first + self._rows_shown)}, left)
        self._place_restarts(left, right, span[0], span[1])
        self._place_outage_marks(left, right, span[0], span[1])
        self.now_line.setValue(now)
        self.age_now_line.setValue(now)

        if labels != self._lane_labels:
            self._lane_labels = labels
            self.lane_axis.setTicks([labels, []])
        span = self._lane_span
        assert span is not None
        timeout_min = self.bridge.engine.heartbeat_timeout_s / 60.0
        age_top = max(timeout_min * 1.5, math.ceil(top_age / 60.0 + 0.5))
        if age_top != self._age_top:
            self._age_top = age_top
            self.age_plot.setYRange(0, age_top, padding=0)
        self.lanes_plot.setXRange(left, right, padding=0)
        self.timeout_label.setPos(left + 0.02 * (right - left), timeout_min)
        for plot in (self.lanes_plot, self.age_plot):
            # pyqtgraph applies a new range lazily, from inside the next paint; the transform change then
            # schedules a second full paint. Applied here, the frame paints once.
            plot.vb.prepareForPaint()
        hint = self._idle_hint(now)
        # On the first free row under the lanes, never over one; in the middle when there are none.
        below = max((lane.index for lane in self.model.lanes), default=None)
        row = (span[0] + span[1]) / 2 if below is None else below + 1
        if hint and row > span[1] - 0.5:
            hint = ""  # every row shown holds a lane: the lanes speak for themselves
        self.empty_hint.setText(hint)
        if hint:
            self.empty_hint.setPos((left + right) / 2, row)
        self._rendered_now = now
        self.repaints += 1
