"""The timer view repaints only the rectangle around what changed (BoundingRectViewportUpdate): what is on screen
after many scrolling frames (lanes starting, exiting and folding, the lanes scrolled, the window resized) is what
a full repaint draws. The screen is read from the window's backing store; ``grab`` renders afresh."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QGraphicsView
from test_live_timer_view import busy_bridge, shown_view


def on_screen(qtbot, view) -> QImage:
    qtbot.wait(1)  # let the posted update requests paint
    viewport = view.graphics.viewport()
    top_left = viewport.mapTo(view.window(), viewport.rect().topLeft())
    shot = QGuiApplication.primaryScreen().grabWindow(view.window().winId())
    return shot.toImage().copy(top_left.x(), top_left.y(), viewport.width(), viewport.height())


def fresh(view) -> QImage:
    return view.graphics.viewport().grab().toImage()


def frames(qtbot, view, bridge, count: int) -> None:
    for _ in range(count):
        bridge.run_for(20.0)
        qtbot.wait(1)


@pytest.mark.parametrize("mode", ["BoundingRectViewportUpdate", "NoViewportUpdate"])
def test_what_is_on_screen_is_what_a_full_repaint_draws(qtbot, mode):
    bridge = busy_bridge(30)
    view = shown_view(qtbot, bridge, height=520)
    view.graphics.setViewportUpdateMode(getattr(QGraphicsView.ViewportUpdateMode, mode))
    checked = 0
    for step in range(6):
        frames(qtbot, view, bridge, 8)
        if step == 2:
            view.lane_scroll.setValue(view.lane_scroll.maximum())  # the lanes scrolled
        if step == 4:
            view.resize(900, 480)
        screen, full = on_screen(qtbot, view), fresh(view)
        assert screen.size() == full.size()
        if mode == "NoViewportUpdate":
            if screen != full:
                return  # the control: without updates the screen goes stale, and the comparison sees it
            continue
        assert screen == full, step
        checked += 1
    assert mode != "NoViewportUpdate", "a stale screen must be detected"
    assert checked == 6 and view.lane_scroll.maximum() > 0
    bridge.close()
