"""The guided panel and the engine views share the window; the smallest window still shows both timer plots."""

from __future__ import annotations

from live_support import FakeClock
from PySide6.QtCore import QCoreApplication

from console.model.paths import AppPaths
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.log.log_model import TEXT_COLUMN
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow
from console.ui.window.window_layout import DEFAULT_SIZE


def shown(qtbot, tmp_path, width: int, height: int):
    paths = AppPaths.resolve(tmp_path / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    live = attach_live_engine(window, session, paths, speed=0.0, clock=FakeClock())
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window, live


def settle(_qtbot) -> None:
    for _ in range(3):  # layouts and resize events are posted: a few event-loop passes, no waiting
        QCoreApplication.processEvents()


def test_the_guided_panel_takes_the_trees_room_not_the_plots(qtbot, tmp_path) -> None:
    window, live = shown(qtbot, tmp_path, DEFAULT_SIZE.width(), DEFAULT_SIZE.height())
    try:
        main_before, right_before = window.main_splitter.sizes(), window.right_splitter.sizes()
        panel = live.engine_actions.reproduce()
        live.bridge.run_for(9 * 60.0)
        settle(qtbot)
        assert window.tree.isHidden()
        assert window.right_splitter.sizes()[0] == window.senders.minimumHeight()
        view = live.timer_view
        assert view.age_plot.geometry().height() >= 150, view.age_plot.geometry()
        assert view.legend.isVisible()
        window.engine_tabs.setCurrentWidget(live.log_view)
        settle(qtbot)
        assert live.log_view.table().columnWidth(TEXT_COLUMN) >= 200
        panel.close()
        settle(qtbot)
        assert not window.tree.isHidden()
        assert window.main_splitter.sizes() == main_before and window.right_splitter.sizes() == right_before
    finally:
        live.close()


def test_the_smallest_window_shows_both_timer_plots(qtbot, tmp_path) -> None:
    window, live = shown(qtbot, tmp_path, 1008, 421)
    try:
        live.bridge.run_for(20 * 60.0)
        settle(qtbot)
        assert window.height() == 421
        view = live.timer_view
        assert not view.legend.isVisible(), "the legend gives way when the view is short"
        graphics = view.graphics
        assert graphics.verticalScrollBar().value() == 0
        for plot in (view.lanes_plot, view.age_plot):
            box = plot.vb.sceneBoundingRect()
            assert box.height() >= 25 and box.bottom() <= graphics.height(), (plot, box, graphics.height())
        window.resize(1200, 800)
        settle(qtbot)
        assert view.legend.isVisible(), "and comes back when there is room"
    finally:
        live.close()


def test_the_smallest_window_shows_both_timer_plots_with_a_scenario_too(qtbot, tmp_path) -> None:
    """A scenario adds the strip's warning and note rows: at the smallest size the strip goes compact."""
    from console.model.resource_paths import resource_path
    from console.model.scenario import load_scenario

    window, live = shown(qtbot, tmp_path, 1008, 421)
    try:
        live.bridge.load_scenario(load_scenario(resource_path("scenarios", "q278357-sp3.toml")))
        live.bridge.run_for(10 * 60.0)
        settle(qtbot)
        strip = live.context_strip
        assert strip.compact and strip.scenario_note == "" and strip.back_button.isVisible()
        assert strip.warning_text  # the Q278357 warning stays, whatever the size
        view = live.timer_view
        graphics = view.graphics
        for plot in (view.lanes_plot, view.age_plot):
            box = plot.vb.sceneBoundingRect()
            assert box.height() >= 25 and box.bottom() <= graphics.height(), (plot, box, graphics.height())
        window.resize(1200, 800)
        settle(qtbot)
        assert not strip.compact and strip.scenario_note, "the note comes back when there is room"
    finally:
        live.close()
