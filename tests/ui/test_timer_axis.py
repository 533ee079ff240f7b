"""The time axes' fast paint (scrolling_axis.py) draws exactly what pyqtgraph's AxisItem would: same tick values,
positions and labels, same pixels, at ranges a live run scrolls through and at widths from narrow to wide."""

from __future__ import annotations

import datetime as dt

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPicture
from test_live_timer_view import busy_bridge, shown_view

from console.ui.timers.sim_clock_axis import SimClockAxis

START = dt.datetime(2001, 3, 5, 9, 0)
RANGES = [(0.0, 1500.0), (37.3, 1237.3), (1800.0, 7200.0), (3599.5, 33599.5), (86400 * 3 + 17.25, 86400 * 3 + 317.25)]


@pytest.fixture
def plot(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    axis = SimClockAxis(START)
    plot = widget.addPlot(axisItems={"bottom": axis})
    plot.setLabel("bottom", "simulated time", color="#202020")
    axis.setPen("#202020")
    axis.setTextPen("#202020")
    widget.resize(1200, 400)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, plot, axis


def pyqtgraph_specs(axis: SimClockAxis) -> tuple:
    picture = QPicture()
    painter = QPainter(picture)
    try:
        return pg.AxisItem.generateDrawSpecs(axis, painter)
    finally:
        painter.end()


def comparable(specs: tuple, grouped: bool) -> tuple:
    """(axis line, {tick alpha: tick lines}, [(text rect, flags, text)]) from either form of the specs."""
    (_pen, a, b), ticks, texts = specs
    lines: dict[int, list[tuple[float, ...]]] = {}
    if grouped:
        for pen, group in ticks:
            if group:
                lines[pen.color().alpha()] = [(ln.x1(), ln.y1(), ln.x2(), ln.y2()) for ln in group]
    else:
        for pen, p1, p2 in ticks:
            lines.setdefault(pen.color().alpha(), []).append((p1.x(), p1.y(), p2.x(), p2.y()))
    return (a.x(), a.y(), b.x(), b.y()), lines, [(r.getRect(), int(f), s) for r, f, s in texts]


def rendered(widget: pg.GraphicsLayoutWidget, axis: SimClockAxis, paint) -> QImage:
    image = QImage(widget.viewport().size(), QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setTransform(axis.sceneTransform() * widget.viewportTransform())
    paint(painter)
    painter.end()
    return image


def pyqtgraph_paint(axis: SimClockAxis):
    def paint(painter: QPainter) -> None:
        axis.picture = None
        pg.AxisItem.paint(axis, painter, None, None)

    return paint


@pytest.mark.parametrize("width", [420, 1200, 1900])
def test_the_fast_axis_has_pyqtgraphs_ticks_labels_and_pixels(qtbot, plot, width):
    widget, item, axis = plot
    widget.resize(width, 400)
    qtbot.wait(1)  # the layout settles on the next turn of the event loop
    for left, right in RANGES:
        item.setXRange(left, right, padding=0)
        item.vb.prepareForPaint()
        assert axis.fast_path()
        fast = axis.fast_specs()
        assert fast is not None
        assert comparable(fast, grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False), (left, right)
        texts = [text for _r, _f, text in fast[2]]
        assert texts and all(texts), "labels are drawn"
        fast_image = rendered(widget, axis, lambda p: axis.paint(p, None, None))
        assert fast_image == rendered(widget, axis, pyqtgraph_paint(axis)), (left, right)


def test_labels_keep_their_seconds_and_a_tick_font_is_honoured(qtbot, plot):
    widget, item, axis = plot
    item.setXRange(3600.0, 3900.0, padding=0)  # 5 minutes: labels with seconds
    item.vb.prepareForPaint()
    assert [t for _r, _f, t in axis.fast_specs()[2]][:2] == ["10:00:30", "10:01:00"]
    font = QFont()
    font.setPointSize(13)
    axis.setStyle(tickFont=font)
    qtbot.wait(1)
    assert comparable(axis.fast_specs(), grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False)
    assert rendered(widget, axis, lambda p: axis.paint(p, None, None)) == rendered(widget, axis, pyqtgraph_paint(axis))


def test_an_axis_without_values_draws_only_its_ticks(qtbot, plot):
    widget, item, axis = plot
    axis.setStyle(showValues=False)
    item.setXRange(1800.0, 7200.0, padding=0)
    item.vb.prepareForPaint()
    fast = axis.fast_specs()
    assert fast[2] == [] and fast[1][0][1]
    assert comparable(fast, grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False)
    assert rendered(widget, axis, lambda p: axis.paint(p, None, None)) == rendered(widget, axis, pyqtgraph_paint(axis))


def test_what_the_fast_path_does_not_reproduce_goes_through_pyqtgraph(qtbot, plot, monkeypatch):
    widget, item, axis = plot
    axis.setGrid(128)
    assert not axis.fast_path()
    monkeypatch.setattr(axis, "fast_specs", lambda: pytest.fail("a grid is pyqtgraph's to draw"))
    item.setXRange(1800.0, 7200.0, padding=0)
    item.vb.prepareForPaint()
    rendered(widget, axis, lambda p: axis.paint(p, None, None))
    assert axis.picture is not None  # AxisItem.paint's cached picture


def test_the_timer_views_time_axes_take_the_fast_path_and_its_hidden_axes_do_not_scroll(qtbot):
    bridge = busy_bridge(3)
    view = shown_view(qtbot, bridge)
    label = view.age_axis.label.toHtml()
    bridge.run_for(600.0)
    bridge.flush()
    bridge.run_for(600.0)
    bridge.flush()
    for axis in (view.lanes_plot.getAxis("bottom"), view.age_axis):
        assert isinstance(axis, SimClockAxis) and axis.fast_path() and not axis.autoSIPrefix
    assert view.age_axis.label.toHtml() == label
    for plot in (view.lanes_plot, view.age_plot):
        # The hidden top and right axes no longer follow the view (each followed it, re-setting its label).
        assert plot.getAxis("top").linkedView() is None and plot.getAxis("right").linkedView() is None
    bridge.close()
