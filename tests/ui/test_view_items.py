"""ScrollingLine (view_items.py) has InfiniteLine's bounds and draws InfiniteLine's pixels, at scrolled ranges,
both angles, inverted and not; the timer view's lines are ScrollingLines and its expired region's edges hidden."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from test_live_timer_view import busy_bridge, shown_view

from console.ui.timers.view_items import ScrollingBars, ScrollingCurve, ScrollingLine, ScrollingScatter

RANGES = [((0.0, 1020.0), (-0.6, 3.6)), ((37.3, 1237.3), (0.0, 7.5)), ((86417.25, 92417.25), (-3.4, 12.25))]


def lines_plot(qtbot, inverted: bool, angle: int, value: float):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    plot.invertY(inverted)
    pen = pg.mkPen("#202020", width=2, style=Qt.PenStyle.DotLine)
    ours = ScrollingLine(angle=angle, movable=False, pen=pen, pos=value)
    theirs = pg.InfiniteLine(angle=angle, movable=False, pen=pen, pos=value)
    plot.addItem(ours)
    plot.addItem(theirs)
    widget.resize(900, 380)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, plot, ours, theirs


def render(widget: pg.GraphicsLayoutWidget, line: pg.InfiniteLine) -> QImage:
    image = QImage(widget.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setTransform(line.sceneTransform() * widget.viewportTransform())
    line.paint(painter, None, None)
    painter.end()
    return image


@pytest.mark.parametrize("inverted", [False, True])
@pytest.mark.parametrize("angle", [0, 90])
def test_a_scrolling_line_has_infinite_lines_bounds_and_pixels(qtbot, inverted, angle):
    value = 1.5 if angle == 0 else 500.0
    widget, plot, ours, theirs = lines_plot(qtbot, inverted, angle, value)
    for xr, yr in RANGES:
        if angle == 90:
            ours.setValue(xr[0] + 0.6 * (xr[1] - xr[0]))
            theirs.setValue(ours.value())
        plot.setRange(xRange=xr, yRange=yr, padding=0)
        plot.vb.prepareForPaint()
        a, b = ours.boundingRect(), theirs.boundingRect()
        for got, want in zip(a.getCoords(), b.getCoords(), strict=True):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (xr, yr)
        assert ours._endPoints == pytest.approx(theirs._endPoints, rel=1e-12), (xr, yr)
        assert render(widget, ours) == render(widget, theirs), (xr, yr)
    blank = QImage(widget.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    blank.fill(QColor("white"))
    assert render(widget, ours) != blank, "the line is drawn"


def test_a_line_outside_a_view_box_is_infinite_lines(qtbot):
    line = ScrollingLine(angle=45, pos=(1.0, 1.0))
    assert line._computeBoundingRect() == pg.InfiniteLine(angle=45, pos=(1.0, 1.0))._computeBoundingRect()


def test_the_timer_views_lines_are_scrolling_lines(qtbot):
    bridge = busy_bridge(3)
    view = shown_view(qtbot, bridge)
    bridge.run_for(600.0)
    bridge.flush()
    for line in (view.now_line, view.age_now_line, view.timeout_line):
        assert isinstance(line, ScrollingLine)
    assert view.now_line.boundingRect().contains(0.0, bridge.engine.now - view.now_line.value())
    assert not any(edge.isVisible() for edge in view.expired_region.lines)
    assert all(edge.pen.style() == Qt.PenStyle.NoPen for edge in view.expired_region.lines)  # nothing lost
    bridge.close()


def scatter_plot(qtbot, inverted: bool):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    plot.invertY(inverted)
    spots = dict(
        x=[10.0, 400.0, 515.5, 999.0, 1300.0, 86450.0],
        y=[0.0, 1.0, 2.0, 3.0, 1.0, 2.0],
        symbol=["x", "star", "s", "o", "x", "o"],
        size=[14, 16, 11, 11, 14, 11],
        brush=["#D55E00", "#CC79A7", "#E41A1C", "#009E73", "#D55E00", "#009E73"],
    )
    pen = pg.mkPen("#202020", width=1)
    ours, theirs = ScrollingScatter(pxMode=True, pen=pen), pg.ScatterPlotItem(pxMode=True, pen=pen)
    for item in (ours, theirs):
        item.setData(**spots)
        plot.addItem(item)
    widget.resize(900, 380)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, plot, ours, theirs


def render_item(widget: pg.GraphicsLayoutWidget, item) -> QImage:
    image = QImage(widget.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setTransform(item.sceneTransform() * widget.viewportTransform())
    item.paint(painter, None, None)
    painter.end()
    return image


@pytest.mark.parametrize("inverted", [False, True])
def test_scrolling_markers_cull_bound_and_draw_as_pyqtgraphs(qtbot, inverted):
    widget, plot, ours, theirs = scatter_plot(qtbot, inverted)
    blank = QImage(widget.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    blank.fill(QColor("white"))
    shown = set()
    edge = ((407.0, 1407.0), (0.9, 2.1))  # the star at 400 s lies ~6 px left of the view, its edge inside
    for xr, yr in [*RANGES, ((2000.0, 3000.0), (-0.6, 3.6)), edge]:
        plot.setRange(xRange=xr, yRange=yr, padding=0)
        plot.vb.prepareForPaint()
        mask = ours.view_mask()
        assert mask is not None and list(mask) == list(theirs._maskAt(theirs.viewRect())), (xr, yr)
        shown.add(int(mask.sum()))
        a, b = ours.boundingRect(), theirs.boundingRect()
        for got, want in zip(a.getCoords(), b.getCoords(), strict=True):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (xr, yr)
        image = render_item(widget, ours)
        assert image == render_item(widget, theirs), (xr, yr)
        assert (image != blank) == bool(mask.any())
    assert 0 in shown and max(shown) >= 4 and len(shown) >= 3


def test_the_timer_views_markers_are_scrolling_scatters(qtbot):
    bridge = busy_bridge(3)
    view = shown_view(qtbot, bridge)
    bridge.run_for(600.0)
    bridge.flush()
    assert isinstance(view.markers, ScrollingScatter) and isinstance(view.age_markers, ScrollingScatter)
    assert view.markers.view_mask() is not None
    bridge.close()


@pytest.mark.parametrize("width", [1, 2, 3])
def test_a_scrolling_curve_keeps_its_data_bounds_and_has_pyqtgraphs_bounds_and_pixels(qtbot, width):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    pen = pg.mkPen("#56B4E9", width=width)
    x = np.array([10.0, 200.0, 400.0, np.nan, 380.0, 900.0, 1200.0, np.nan, 86420.0, 86480.0])
    y = np.array([0.0, 4.5, 0.2, np.nan, 1.0, 6.0, 0.0, np.nan, 2.0, 0.5])
    ours = ScrollingCurve(x, y, pen=pen, connect="finite", skipFiniteCheck=False)
    theirs = pg.PlotCurveItem(x, y, pen=pen, connect="finite", skipFiniteCheck=False)
    plot.addItem(ours)
    plot.addItem(theirs)
    widget.resize(900, 380)
    widget.show()
    qtbot.waitExposed(widget)
    kept = None
    for xr, yr in RANGES:
        plot.setRange(xRange=xr, yRange=(yr[0], yr[1] + 3), padding=0)
        plot.vb.prepareForPaint()
        a, b = ours.boundingRect(), theirs.boundingRect()
        for got, want in zip(a.getCoords(), b.getCoords(), strict=True):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (xr, yr)
        assert render_item(widget, ours) == render_item(widget, theirs), (xr, yr)
        if kept is None:
            kept = list(ours._boundsCache)
            assert kept[0] is not None and kept[1] is not None
        else:  # the same tuples: measured once, not per scrolled frame (pyqtgraph's own are dropped each time)
            assert ours._boundsCache[0] is kept[0] and ours._boundsCache[1] is kept[1]
    ours.setData(x * 2, y, connect="finite")  # new data: bounds measured afresh
    assert ours._boundsCache == [None, None] and ours.boundingRect().right() > 2 * 86480.0


def test_the_timer_views_curves_are_scrolling_curves(qtbot):
    bridge = busy_bridge(3)
    view = shown_view(qtbot, bridge)
    bridge.run_for(600.0)
    bridge.flush()
    assert isinstance(view.bars, ScrollingBars)
    for item in (view.age_curve, view.outage_lines, view.restart_lines, view.hop_lines):
        assert isinstance(item, ScrollingCurve)
    assert view.age_curve.opts["connect"] == "finite" and len(view.age_curve.xData) > 0
    bridge.close()


def test_scrolling_bars_have_pyqtgraphs_bounds_and_pixels(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    plot = widget.addPlot()
    plot.invertY(True)
    spec = dict(x0=[10.0, 300.0, 950.0, 86400.0], x1=[250.0, 420.0, 1300.0, 86500.0], y=[0.0, 1.0, 2.0, 3.0])
    brushes = ["#0072B2", "#E69F00", "#0072B2", "#E69F00"]
    ours = ScrollingBars(**spec, height=0.55, pen=None, brushes=brushes)
    theirs = pg.BarGraphItem(**spec, height=0.55, pen=None, brushes=brushes)
    plot.addItem(ours)
    plot.addItem(theirs)
    widget.resize(900, 380)
    widget.show()
    qtbot.waitExposed(widget)
    for xr, yr in RANGES:
        plot.setRange(xRange=xr, yRange=yr, padding=0)
        plot.vb.prepareForPaint()
        a, b = ours.boundingRect(), theirs.boundingRect()
        assert a.width() > 0
        for got, want in zip(a.getCoords(), b.getCoords(), strict=True):
            assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (xr, yr)
        assert render_item(widget, ours) == render_item(widget, theirs), (xr, yr)
    ours.setOpts(x0=[], x1=[], y=[], brushes=[])
    assert ours.boundingRect().isNull()
