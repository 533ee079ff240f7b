"""The Outbox and Sender.log views of an interactive start wait for the paint after the Timers tab's
(``defer_hidden_views``, console.ui.window.live_console): the same tab bar throughout, nothing lost meanwhile."""

from __future__ import annotations

from live_support import FakeClock

from console.model.paths import AppPaths
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.live.outbox_view import OutboxView
from console.ui.log.log_view import SenderLogView
from console.ui.timers.timer_view import TimerView
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow

TITLES = ["Timers", "Outbox", "Sender.log"]


def open_console(qtbot, paths: AppPaths):
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    live = attach_live_engine(window, session, paths, speed=0.0, clock=FakeClock(), defer_hidden_views=True)
    return window, live


def pages(window: ConsoleMainWindow) -> list[type]:
    return [type(window.engine_tabs.widget(i)) for i in range(window.engine_tabs.count())]


def titles(window: ConsoleMainWindow) -> list[str]:
    return [window.engine_tabs.tabText(i) for i in range(window.engine_tabs.count())]


def test_the_views_come_after_the_next_paint_in_the_same_tabs(qtbot, tmp_path) -> None:
    window, live = open_console(qtbot, AppPaths.resolve(tmp_path / "cfg"))
    try:
        assert live._outbox_view is None and live._log_view is None
        assert titles(window) == TITLES and window.engine_tabs.currentIndex() == 0
        window.show()
        qtbot.waitUntil(lambda: live._outbox_view is not None)
        assert pages(window) == [TimerView, OutboxView, SenderLogView]
        assert titles(window) == TITLES and window.engine_tabs.currentIndex() == 0
    finally:
        live.close()


def test_asking_for_a_view_builds_it_at_once_with_the_log_lines_so_far(qtbot, tmp_path) -> None:
    window, live = open_console(qtbot, AppPaths.resolve(tmp_path / "cfg"))
    try:
        live.bridge.run_for(600.0)  # frames with log lines before the paint: the log view is built for them
        assert pages(window) == [TimerView, OutboxView, SenderLogView] and titles(window) == TITLES
        assert live.log_view.line_count() > 0
        assert live.outbox_view.model.rowCount() > 0
    finally:
        live.close()


def test_choosing_a_waiting_tab_shows_its_view(qtbot, tmp_path) -> None:
    window, live = open_console(qtbot, AppPaths.resolve(tmp_path / "cfg"))
    try:
        window.engine_tabs.setCurrentIndex(2)
        assert window.engine_tabs.currentWidget() is live.log_view and window.engine_tabs.currentIndex() == 2
        assert titles(window) == TITLES
    finally:
        live.close()


def test_a_remembered_hidden_tab_gets_its_view_at_once(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    window, _live = open_console(qtbot, paths)
    window.engine_tabs.setCurrentIndex(1)
    window.save_state_on_close = True
    window.close()
    assert window.ui_state.engine_tab == "Outbox"
    window2, live2 = open_console(qtbot, paths)
    try:
        assert live2._outbox_view is not None
        assert window2.engine_tabs.currentWidget() is live2.outbox_view
    finally:
        live2.close()
