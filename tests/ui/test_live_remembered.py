"""The sending site, the user's speed and the engine tab come back at the next start; an idle plot says why."""

from __future__ import annotations

from live_support import FakeClock

from console.model.paths import AppPaths
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.window.live_console import DEFAULT_SPEED, attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow


def open_console(qtbot, paths: AppPaths, **kwargs):
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    qtbot.addWidget(window)
    live = attach_live_engine(window, session, paths, clock=FakeClock(), **kwargs)
    return window, live


def test_site_speed_and_tab_are_restored_at_the_next_start(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    window, live = open_console(qtbot, paths)
    assert live.bridge.sending_site == "CEN" and live.bridge.speed == DEFAULT_SPEED
    live.controls.site_combo.setCurrentIndex(live.controls.site_combo.findData("NYC"))
    live.controls.site_combo.activated.emit(live.controls.site_combo.currentIndex())
    live.controls.speed_actions[10.0].trigger()
    window.engine_tabs.setCurrentWidget(live.log_view)
    window.close()
    assert window.ui_state.sending_site == "NYC" and window.ui_state.speed == 10.0
    assert window.ui_state.engine_tab == "Sender.log"

    window2, live2 = open_console(qtbot, paths)
    try:
        assert live2.bridge.sending_site == "NYC"
        assert live2.controls.site_combo.currentData() == "NYC"
        assert live2.bridge.speed == 10.0 and live2.controls.speed_actions[10.0].isChecked()
        assert window2.engine_tabs.currentWidget() is live2.log_view
    finally:
        window2.save_state_on_close = False
        live2.close()


def test_the_guided_pace_is_not_remembered_and_the_command_line_wins(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    window, live = open_console(qtbot, paths)
    live.controls.speed_actions[600.0].trigger()
    live.engine_actions.reproduce()  # odd paces, set by the story
    window.close()
    assert window.ui_state.speed == 600.0
    assert window.ui_state.sending_site == "CEN", "the scenario's site is not a database site"

    window2, live2 = open_console(qtbot, paths, speed=1.0)
    try:
        assert live2.bridge.speed == 1.0
    finally:
        window2.save_state_on_close = False
        live2.close()


def test_a_saved_site_that_is_gone_falls_back_to_the_central_site(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    window, live = open_console(qtbot, paths, speed=0.0)
    window.ui_state = window.ui_state.replace(sending_site="ZZZ", speed=7.0, engine_tab="Nope")
    window.save_ui_state()
    window.save_state_on_close = False
    live.close()
    window2, live2 = open_console(qtbot, paths)
    try:
        assert live2.bridge.sending_site == "CEN" and live2.bridge.speed == DEFAULT_SPEED
        assert window2.engine_tabs.currentIndex() == 0
    finally:
        window2.save_state_on_close = False
        live2.close()


def test_between_demo_rounds_the_idle_plot_says_when_the_next_round_starts(console) -> None:
    _window, live, _clock = console
    live.bridge.run_for(20 * 60.0)
    assert live.timer_view.empty_hint.toPlainText() == "Idle until the demo's next round at 10:00:00 (in 40m)"
    live.bridge.run_for(40 * 60.0 + 5)
    assert live.timer_view.empty_hint.toPlainText() == "", "the round is sending"
