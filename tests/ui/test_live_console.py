"""attach_live_engine in the real console window, and the command line: --scenario, --speed, --screenshot."""

from __future__ import annotations

from pathlib import Path

from live_support import FakeClock
from PySide6.QtWidgets import QApplication

from console.__main__ import main
from console.logs.live_rows import rows_from_lines
from console.model.paths import AppPaths
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sender_types import SenderType
from console.model.sim_clock import clock_status
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.live.outbox_view import OutboxView
from console.ui.log.log_model import RUN_COMPONENT, is_console_row
from console.ui.log.log_view import SenderLogView
from console.ui.timers.timer_view import TimerView
from console.ui.window.live_console import DEFAULT_SPEED, attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow

KB_CASE = resource_path("scenarios", "q278357-sp3.toml")


def tab_titles(window: ConsoleMainWindow) -> list[str]:
    return [window.engine_tabs.tabText(i) for i in range(window.engine_tabs.count())]


def test_views_are_added_as_engine_tabs(console):
    window, live, _clock = console
    assert tab_titles(window)[-3:] == ["Timers", "Outbox", "Sender.log"]
    assert window.findChild(TimerView, "TimerView") is live.timer_view
    assert window.findChild(SenderLogView, "SenderLogView") is live.log_view
    assert isinstance(live.outbox_view, OutboxView)
    assert live.bridge.sending_site == "CEN"  # the central site of the demo hierarchy


def test_status_bar_shows_simulated_clock_and_speed(console):
    window, live, clock = console
    live.controls.speed_actions[60.0].trigger()
    assert window.speed_label.text() == "60\u00d7 \u00b7 site CEN"
    clock.t += 0.5
    live.bridge.tick()
    assert window.clock_label.text() == "Simulated 2001-03-14 09:00:30 \u00b7 t+30s"
    live.controls.speed_actions[0.0].trigger()
    assert window.speed_label.text().startswith("Paused")
    assert clock_status(live.bridge.engine.start, 750.0).endswith("t+12m 30s")
    assert clock_status(live.bridge.engine.start, 90061.0).endswith("t+1d 1h 01m")


def test_run_to_next_event_button(console):
    _window, live, _clock = console
    live.bridge.run_for(1.0)
    expected = live.bridge.engine.next_event_time()
    live.controls.step_action.trigger()
    assert live.bridge.engine.now == expected


def test_apply_in_the_sheet_reaches_new_threads_only(console):
    window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(5.0)
    running = {t.request_id: t.settings.retry_delay_min for t in bridge.engine.threads()}
    assert running and set(running.values()) == {1}
    cen = window.session.database.get("CEN")
    window.session.update_sender_settings(
        "CEN", SenderType.STANDARD, cen.standard_sender.settings.replace(retry_delay_min=4)
    )
    rid = bridge.queue_package("CEND9999", "LAB", 256, 1)
    bridge.run_for(1.0)
    now = {t.request_id: t.settings.retry_delay_min for t in bridge.engine.threads()}
    assert now[rid] == 4
    assert all(now[r] == 1 for r in running if r in now)
    # Another site's sheet does not touch the engine.
    lab = window.session.database.get("LAB")
    window.session.update_sender_settings(
        "LAB", SenderType.STANDARD, lab.standard_sender.settings.replace(retry_delay_min=9)
    )
    assert bridge.engine.settings.retry_delay_min == 4


def test_sending_site_combo_rebuilds_the_engine(console, qtbot):
    _window, live, _clock = console
    combo = live.controls.site_combo
    index = combo.findData("LAB")
    with qtbot.waitSignal(live.bridge.engineReplaced):
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    assert live.bridge.sending_site == "LAB"
    assert live.bridge.engine.settings.retry_delay_min == 6


def test_open_scenario_loads_it_and_a_bad_file_changes_nothing(console, tmp_path, monkeypatch):
    window, live, _clock = console
    warnings: list[str] = []
    monkeypatch.setattr(
        "console.ui.window.live_console.QMessageBox.warning", lambda _parent, _title, text: warnings.append(text)
    )
    bad = tmp_path / "bad.toml"
    bad.write_text("name = 3\n", encoding="utf-8")
    window.scenarioFileChosen.emit(bad)
    assert live.bridge.scenario_name == "" and warnings and "bad.toml" in warnings[0]
    window.scenarioFileChosen.emit(KB_CASE)
    assert live.bridge.scenario_name == "Q278357 on an SP3 site"
    assert not live.controls.site_combo.isEnabled()
    assert live.controls.site_combo.currentText() == "PRI \u00b7 scenario \u201cQ278357 on an SP3 site\u201d"
    assert "Q278357 on an SP3 site" in window.speed_label.text()


def test_injected_outage_shows_in_timers_outbox_and_log(console):
    window, live, _clock = console
    window.scenarioFileChosen.emit(KB_CASE)
    bridge = live.bridge
    bridge.run_for(30.0)
    bridge.inject_outage("LAB", 20.0)
    bridge.run_for(1.0)
    assert (30.0, 0.0, "network error") in live.timer_view.marker_data()
    assert any(kind == "countdown" for *_rest, kind in live.timer_view.bar_data())
    statuses = [r.status.value for r in bridge.engine.requests()]
    assert statuses == ["SREQ_STATUS_ERROR"]
    window.show()
    window.engine_tabs.setCurrentWidget(live.outbox_view)  # the outbox refreshes only while it is shown
    bridge.run_for(1.0)
    outbox_text = [live.outbox_view.model.index(0, c).data() for c in range(live.outbox_view.model.columnCount())]
    assert "2_001PRI" in outbox_text
    assert any(str(v).startswith("SREQ_STATUS_ERROR") or v == "Error" for v in outbox_text if v)
    texts = [live.log_view.model().index(r, 0).data() for r in range(live.log_view.model().rowCount())]
    assert any(t and "Win32 error = 64" in t for t in texts)
    assert any(t == "Operation is retryable." for t in texts)


def test_sender_log_file_is_written_under_the_log_dir(console):
    window, live, _clock = console
    live.bridge.run_for(60.0)
    text = window.paths.sender_log.read_text(encoding="utf-8")
    assert "$$<SMS_LAN_SENDER>" in text and "Created sending thread" in text


def test_default_speed_without_speed_option(qtbot, tmp_path):
    paths = AppPaths.resolve(tmp_path / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    live = attach_live_engine(window, session, paths, clock=FakeClock())
    assert live.bridge.speed == DEFAULT_SPEED
    assert live.controls.speed_actions[DEFAULT_SPEED].isChecked()
    window.close()
    assert live.bridge.log_path is None, "closing the window closes Sender.log"


# -- command line ----------------------------------------------------------------------------------


def test_cli_screenshot_after_writes_png_and_sender_log(qtbot, tmp_path: Path):
    shot = tmp_path / "shot.png"
    cfg = tmp_path / "cfg"
    rc = main(
        [
            "--config-dir",
            str(cfg),
            "--scenario",
            str(KB_CASE),
            "--speed",
            "600",
            "--screenshot",
            str(shot),
            "--after",
            "10m",
        ]
    )
    assert rc == 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    log = (cfg / "logs" / "Sender.log").read_text(encoding="utf-8")
    assert "Heartbeat is expired." in log and "Can't re-establish the connection." in log
    assert not (cfg / "window-state.json").exists(), "a screenshot run leaves the user's layout alone"


def test_cli_bare_console_screenshot(qtbot, tmp_path: Path):
    shot = tmp_path / "console.png"
    assert main(["--config-dir", str(tmp_path / "cfg"), "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 1000


def test_cli_bad_scenario_exits_2_with_one_line(qtbot, tmp_path: Path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[sender]\nretry_delay_min = 500\n", encoding="utf-8")
    shot = tmp_path / "never.png"
    rc = main(["--config-dir", str(tmp_path / "cfg"), "--scenario", str(bad), "--screenshot", str(shot)])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "bad.toml" in err[0] and err[0].startswith("sender-console: error: --scenario:")
    assert not shot.exists()


def test_log_view_rows_take_each_lines_own_zone_across_a_dst_change(qtbot, tmp_path):
    """1 April 2001 was the first Sunday in April: at 02:00 the lines start saying Eastern Daylight Time."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    case = tmp_path / "dst.toml"
    case.write_text(KB_CASE.read_text().replace("start = 2001-03-14T09:00:00", "start = 2001-04-01T01:55:00"))
    live = attach_live_engine(window, session, paths, scenario=load_scenario(case), speed=0.0, clock=FakeClock())
    try:
        live.bridge.run_for(10 * 60.0)
        model = live.log_view.model()
        shown = [model.log_row(i) for i in range(model.rowCount())]
        assert is_console_row(shown[0]) and shown[0].component == RUN_COMPONENT, "the run's separator comes first"
        rows = [r for r in shown if not is_console_row(r)]
        zones = [r.zone for r in rows]
        assert zones[0] == "Eastern Standard Time" and zones[-1] == "Eastern Daylight Time"
        assert zones == sorted(zones, key=lambda z: z != "Eastern Standard Time"), "one change, in order"
        assert all((r.when.hour < 2) == (r.zone == "Eastern Standard Time") for r in rows)
        # The view shows exactly what the engine wrote to Sender.log, whose lines are the engine's own; the
        # console's separator row is not in the file.
        on_disk = paths.sender_log.read_text().splitlines()
        assert len(on_disk) == len(rows)
        assert rows == rows_from_lines(on_disk)
        assert {"Eastern Standard Time", "Eastern Daylight Time"} <= {r.zone for r in rows_from_lines(on_disk)}
    finally:
        live.close()


def test_the_end_of_a_scenario_says_so_and_is_not_a_pause(console):
    window, live, _clock = console
    window.scenarioFileChosen.emit(KB_CASE)
    live.bridge.set_speed(600.0)
    live.bridge.run_for(3 * 3600.0)  # past the scenario's 2 h
    assert live.bridge.speed == 0.0 and live.bridge.set_by == "end"
    assert window.speed_label.text() == "Scenario ended \u00b7 Q278357 on an SP3 site"
    assert window.statusBar().currentMessage() == (
        "Scenario \u201cQ278357 on an SP3 site\u201d ended after its full 2h 00m of simulated time; "
        "Reset runs it again."
    )
    assert not [a.text() for a in live.controls.group.actions() if a.isChecked()], "no speed button says Pause"
    assert live.timer_view.empty_hint.toPlainText().startswith("The scenario has run its full duration")
    view = live.timer_view
    view.resize(900, 500)
    view.details.setText("Thread 200 (0xC8) " + "link to LAB down 09:02:00\u201309:02:30 \u00b7 " * 40)
    assert view.details.minimumSizeHint().width() < 50, "a long hover line must not widen the window"
    live.bridge.set_speed(60.0)  # running again (after a Reset, say): the usual label
    assert window.speed_label.text() == "60\u00d7 \u00b7 Q278357 on an SP3 site"


def test_attaching_the_engine_after_the_first_paint_does_not_push_the_window_down(qtbot, tmp_path):
    """The console paints its shell first and attaches the engine a moment later: the engine's toolbar row is there
    from the start, so nothing below it jumps when its actions arrive (review: everything moved ~34 px)."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    top_before = window.centralWidget().geometry().top()
    live = attach_live_engine(window, session, paths, speed=0.0, clock=FakeClock())
    try:
        QApplication.processEvents()  # the layout takes the toolbars' actions
        window.layout().activate()
        assert window.engine_toolbar.actions(), "the engine's actions are in the row laid out before"
        assert window.centralWidget().geometry().top() == top_before
        assert live.controls.geometry().top() == window.toolbar.geometry().top(), "speed controls on the first row"
        assert window.engine_toolbar.geometry().top() > window.toolbar.geometry().top()
    finally:
        live.close()
