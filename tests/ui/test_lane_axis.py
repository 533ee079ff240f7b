"""The lanes' name axis (lane_axis.py) draws exactly what pyqtgraph's AxisItem draws for the same explicit ticks:
same tick lines, label rectangles and texts, same pixels, with lanes scrolled, crowded, empty and long-named."""

from __future__ import annotations

import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFont
from test_live_timer_view import busy_bridge, shown_view
from test_timer_axis import comparable, pyqtgraph_paint, pyqtgraph_specs, rendered

from console.ui.timers import lane_axis
from console.ui.timers.lane_axis import LaneAxis

LABELS = [
    [(0.0, "thread 201 → LAB"), (1.0, ""), (2.0, "CHI: thread 200 → T30 (exited)"), (3.0, "thread 7 → D01")],
    [(float(i), f"thread {300 + i} → D{i % 10:02d}") for i in range(5, 45)],  # more lanes than rows: crowded
    [(12.0, "thread 1 → X"), (13.0, "a name far too long for the axis: it runs out of the plot on the left")],
]
SPANS = [(-0.6, 3.6), (4.4, 14.6), (11.4, 14.6), (-0.6, 40.6)]


@pytest.fixture
def plot(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    axis = LaneAxis()
    plot = widget.addPlot(axisItems={"left": axis})
    plot.invertY(True)
    axis.setPen("#202020")
    axis.setTextPen("#202020")
    axis.setWidth(210)
    widget.resize(1000, 420)
    widget.show()
    qtbot.waitExposed(widget)
    return widget, plot, axis


@pytest.mark.parametrize("height", [160, 420, 900])
def test_the_lane_axis_has_pyqtgraphs_ticks_labels_and_pixels(qtbot, plot, height):
    widget, item, axis = plot
    widget.resize(1000, height)
    qtbot.wait(1)  # the layout settles on the next turn of the event loop
    drawn = 0
    for labels in LABELS:
        axis.setTicks([labels, []])
        for top, bottom in SPANS:
            item.setYRange(top, bottom, padding=0)
            item.vb.prepareForPaint()
            assert axis.fast_path()
            fast = axis.fast_specs()
            assert fast is not None
            assert comparable(fast, grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False), (labels, top)
            drawn += sum(1 for _r, _f, text in fast[2] if text)
            image = rendered(widget, axis, lambda p: axis.paint(p, None, None))
            assert image == rendered(widget, axis, pyqtgraph_paint(axis)), (labels[0], top, bottom)
    assert drawn > 20, "labels are drawn"


def test_a_tick_font_and_a_second_level_are_honoured(qtbot, plot):
    widget, item, axis = plot
    font = QFont()
    font.setPointSize(13)
    axis.setStyle(tickFont=font)
    axis.setTicks([LABELS[0], [(0.5, "half"), (1.5, "one and a half")]])
    item.setYRange(-0.6, 3.6, padding=0)
    item.vb.prepareForPaint()
    qtbot.wait(1)
    fast = axis.fast_specs()
    assert comparable(fast, grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False)
    assert "half" in [t for _r, _f, t in fast[2]]
    assert rendered(widget, axis, lambda p: axis.paint(p, None, None)) == rendered(widget, axis, pyqtgraph_paint(axis))


def test_without_explicit_ticks_the_lane_axis_is_pyqtgraphs(qtbot, plot, monkeypatch):
    widget, item, axis = plot
    axis.setTicks(None)
    assert not axis.fast_path()
    monkeypatch.setattr(axis, "fast_specs", lambda: pytest.fail("automatic ticks are pyqtgraph's to draw"))
    item.setYRange(0.0, 10.0, padding=0)
    item.vb.prepareForPaint()
    rendered(widget, axis, lambda p: axis.paint(p, None, None))
    assert axis.picture is not None  # AxisItem.paint's cached picture


def test_the_timer_views_lane_axis_takes_the_fast_path_with_the_lanes_names(qtbot):
    bridge = busy_bridge(6)
    view = shown_view(qtbot, bridge)
    bridge.run_for(120.0)
    bridge.flush()
    axis = view.lane_axis
    assert isinstance(axis, LaneAxis) and axis.fast_path()
    texts = [t for _r, _f, t in axis.fast_specs()[2]]
    assert texts == [label for _y, label in view._lane_labels if label] and len(texts) >= 4
    assert comparable(axis.fast_specs(), grouped=True) == comparable(pyqtgraph_specs(axis), grouped=False)
    bridge.close()


def test_the_specs_are_kept_until_pyqtgraph_invalidates_them(qtbot, plot, monkeypatch):
    widget, item, axis = plot
    axis.setTicks([LABELS[0], []])
    item.setYRange(-0.6, 3.6, padding=0)
    item.vb.prepareForPaint()
    computed = []
    fast_specs = axis.fast_specs
    monkeypatch.setattr(axis, "fast_specs", lambda: computed.append(1) or fast_specs())

    def texts() -> list[str]:
        image = rendered(widget, axis, lambda p: axis.paint(p, None, None))
        assert image == rendered(widget, axis, pyqtgraph_paint(axis))
        axis.picture = axis._kept and lane_axis._KEPT  # pyqtgraph's paint above replaced it
        return [t for _r, _f, t in axis._kept[2]]

    first = texts()
    texts()
    assert len(computed) == 1 and "thread 201 → LAB" in first
    axis.setTicks([[(0.0, "thread 9 → NEW")], []])  # a lane changed
    assert texts() == ["thread 9 → NEW"] and len(computed) == 2
    item.setYRange(0.4, 4.6, padding=0)  # the lanes scrolled
    item.vb.prepareForPaint()
    texts()
    widget.resize(900, 300)
    qtbot.wait(1)
    texts()
    assert len(computed) == 4
