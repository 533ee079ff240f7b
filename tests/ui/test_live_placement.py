"""Help windows open beside the window that asked; countdown texts are never cut off or drawn over a marker."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF

from console.model.demo import demo_database
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.ui.common.help_viewer import GAP_PX, HELP_SIZE, place_beside
from console.ui.live.engine_bridge import EngineBridge
from console.ui.timers.timer_style import COUNTDOWN_OFFSET_PX
from console.ui.timers.timer_view import TimerView

SCREEN = QRect(0, 0, 1600, 900)


def test_help_goes_right_of_its_parent_else_left_else_over_its_middle() -> None:
    w, h = HELP_SIZE
    assert place_beside(HELP_SIZE, QRect(100, 100, 500, 400), SCREEN) == QPoint(600 + GAP_PX, 100)
    assert place_beside(HELP_SIZE, QRect(1000, 50, 500, 400), SCREEN) == QPoint(1000 - GAP_PX - w, 50)
    big = QRect(0, 0, 1600, 900)
    assert place_beside(HELP_SIZE, big, SCREEN) == QPoint(799 - w // 2, 449 - h // 2), "QRect.center() rounds down"
    assert place_beside(HELP_SIZE, QRect(100, 700, 500, 150), SCREEN).y() == 900 - h, "kept on the screen"


def test_the_console_help_window_opens_by_the_console(qtbot, window) -> None:
    window.resize(500, 400)
    window.move(40, 60)
    window.show()
    qtbot.waitExposed(window)
    viewer = window.show_help()
    qtbot.addWidget(viewer)
    frame = window.frameGeometry()
    assert viewer.pos() == place_beside(HELP_SIZE, frame, window.screen().availableGeometry())
    # The offscreen screen (800 px wide) has no room beside the window: the help goes over its middle.
    assert abs(viewer.geometry().center().x() - frame.center().x()) <= 1 and viewer.pos() != QPoint(0, 0)


def label_rect(view: TimerView, item) -> QRectF:
    """An ItemIgnoresTransformations label's rectangle in the graphics view's pixels."""
    gv = view.graphics
    return item.deviceTransform(gv.viewportTransform()).mapRect(item.boundingRect())


def vb_rect(view: TimerView) -> QRectF:
    vb = view.lanes_plot.vb
    return view.graphics.mapFromScene(vb.sceneBoundingRect()).boundingRect().toRectF()


@pytest.fixture
def kb(qtbot):
    bridge = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", "q278357-sp3.toml")), clock=lambda: 0.0)
    view = TimerView(bridge)
    qtbot.addWidget(view)
    view.resize(480, 420)  # the width the guided panel used to leave it
    view.show()
    qtbot.waitExposed(view)
    yield bridge, view
    bridge.close()


def test_a_countdown_starts_clear_of_the_error_marker(kb) -> None:
    bridge, view = kb
    bridge.run_for(121.0)  # the network error at 2m starts a 6-minute wait
    assert view.countdown_texts() == ["retry in 5m 59s"]
    item = view._countdown_texts[0]
    error_x = view.graphics.mapFromScene(view.lanes_plot.vb.mapViewToScene(QPoint(120, 0))).x()
    rect = label_rect(view, item)
    assert rect.left() >= error_x + COUNTDOWN_OFFSET_PX - 2, (rect, error_x)


def test_a_countdown_near_the_plot_edge_is_drawn_left_of_now_not_cut(qtbot) -> None:
    """Once the window scrolls, "now" sits two minutes from the right edge: a text too long for that goes left."""
    bridge = EngineBridge.for_database(demo_database(), "CEN", demo_traffic=False, clock=lambda: 0.0)
    view = TimerView(bridge)
    qtbot.addWidget(view)
    view.resize(480, 420)  # the width the guided panel used to leave the timers
    view.show()
    qtbot.waitExposed(view)
    try:
        bridge.run_for(1000.0)
        bridge.queue_package("CEN00001", "LAB", 20480, 2)
        bridge.run_for(10.0)
        bridge.inject_outage("LAB", 30.0)  # a 1-minute retry delay on the demo's central site
        sides = set()
        for _ in range(6):
            bridge.run_for(9.0)
            item = view._countdown_texts[0]
            rect, box = label_rect(view, item), vb_rect(view)
            assert item.isVisible() and box.left() <= rect.left() and rect.right() <= box.right() + 1, (rect, box)
            sides.add(item._anchor)
        assert (1, 0.5) in sides, "the text had to go left of now in this run"
    finally:
        bridge.close()
