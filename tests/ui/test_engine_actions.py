"""Engine menu and toolbar: Queue Package, Inject Network Outage, Restart Server, Reset: dialogs and effects."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from console.engine.events import RequestStatus
from console.model.demo import demo_database
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sites import Site, SiteDatabase
from console.model.versions import SiteVersion
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.engine_dialogs import InjectOutageDialog, QueuePackageDialog, RestartServerDialog, next_package_id
from console.ui.live.outbox_view import COL_CONNECTS, COL_ID, COL_STATUS, OutboxView
from console.ui.window.engine_actions import EngineActions, engine_destinations, install_engine_actions
from console.ui.window.main_window import ConsoleMainWindow

PCK = "\\\\LABSRV\\SMS_SITE\\2_001PRI.PCK"


def kb_scenario(variant: str = "sp3"):
    return load_scenario(resource_path("scenarios", f"q278357-{variant}.toml"))


@pytest.fixture
def bridge(qtbot, paths):
    b = EngineBridge.for_scenario(kb_scenario(), log_path=paths.sender_log, clock=lambda: 0.0)
    yield b
    b.close()


@pytest.fixture
def lines(log_texts) -> list[str]:
    return log_texts


@pytest.fixture
def window(qtbot, session, paths, bridge):
    w = ConsoleMainWindow(session, paths)
    qtbot.addWidget(w)
    actions = install_engine_actions(w, bridge, session)
    outbox = OutboxView(bridge)
    w.add_engine_tab(outbox, "Outbox")
    w.show()
    qtbot.waitExposed(w)
    return w, actions, outbox


def status(outbox: OutboxView, request_id: str, col: int = COL_STATUS) -> str:
    row = outbox.model.row_of(request_id)
    assert row is not None, f"{request_id} is not in the outbox"
    return outbox.model.index(row, col).data()


def test_engine_menu_sits_before_help_with_its_actions(window) -> None:
    w, actions, _ = window
    assert isinstance(actions, EngineActions)
    titles = [a.text() for a in w.menuBar().actions()]
    assert titles.index("&Engine") == titles.index("&Help") - 1
    assert [a.text() if not a.isSeparator() else "-" for a in actions.menu.actions()] == [
        "Queue &Package\u2026",
        "Inject Network &Outage\u2026",
        "Restart &Server\u2026",
        "-",
        "R&eset",
        "-",
        "&Reproduce Q278357\u2026",
    ]
    assert actions.action_queue_package.shortcut() == QKeySequence("Ctrl+Shift+P")
    assert [a.text() for a in actions.toolbar.actions()] == [a.text() for a in actions.actions]
    assert all(not a.icon().isNull() for a in actions.actions)
    assert actions.toolbar.objectName() == "engineToolBar"
    assert w.toolBarBreak(actions.toolbar)  # a row of its own, so no action hides in an overflow menu
    assert actions.action_toggle_toolbar in w.menu_view.actions()


def test_ctrl_shift_p_opens_queue_package(qtbot, window) -> None:
    w, actions, _ = window
    w.activateWindow()
    qtbot.keyClick(w, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert isinstance(actions.dialog, QueuePackageDialog)
    actions.dialog.reject()
    assert actions.dialog is None


def test_queue_package_validates_inline_and_the_request_appears(qtbot, window, bridge) -> None:
    _w, actions, outbox = window
    bridge.run_for(0)
    dialog = actions.queue_package()
    assert dialog.isVisible()
    assert [dialog.dest_combo.itemData(i) for i in range(dialog.dest_combo.count())] == ["LAB"]  # not PRI
    assert dialog.package_edit.text() == "PRI00002"  # PRI00001 is taken by the scenario's send
    assert dialog.ok_button.isEnabled()

    for bad, why in [
        ("", "Enter a package ID"),
        ("PRI1", "8 letters or digits"),
        ("PRI0000-1", "8 letters"),
        ("PRI000001", "9 characters"),
    ]:
        dialog.package_edit.setText(bad)
        assert not dialog.ok_button.isEnabled(), bad
        assert dialog.message.kind == "error" and why in dialog.message.text, (bad, dialog.message.text)
    dialog.accept()  # Enter in a field while invalid: refused, dialog stays open
    assert dialog.isVisible() and actions.dialog is dialog

    dialog.package_edit.clear()
    qtbot.keyClicks(dialog.package_edit, "lab00007")
    assert dialog.ok_button.isEnabled() and dialog.message.kind == "info"
    dialog.size_spin.setValue(2048)
    dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findText("High"))
    assert "LAB00007 (2.0 MB) to LAB with high priority" in dialog.message.text
    assert (dialog.size_spin.minimum(), dialog.size_spin.maximum()) == (1, 4 * 1024 * 1024)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert actions.dialog is None
    assert actions.last_message == "Queued LAB00007 for LAB as send request 1_002PRI."
    bridge.flush()
    assert status(outbox, "1_002PRI", COL_ID) == "1_002PRI"
    request = next(r for r in bridge.engine.requests() if r.request_id == "1_002PRI")
    assert (request.package, request.dest, request.total_bytes, request.priority) == ("LAB00007", "LAB", 2 << 20, 1)


def test_inject_outage_shows_error_connects_and_retryable_in_log(qtbot, window, bridge, lines, paths) -> None:
    _w, actions, outbox = window
    bridge.run_for(30)
    dialog = actions.inject_outage()
    assert isinstance(dialog, InjectOutageDialog)
    assert dialog.duration_edit.text() == "90s" and dialog.ok_button.isEnabled()
    for bad, why in [
        ("soon", "not a duration"),
        ("0s", "longer than zero"),
        ("", "Enter how long"),
        ("31d", "at most"),
    ]:
        dialog.duration_edit.setText(bad)
        assert not dialog.ok_button.isEnabled(), bad
        assert why in dialog.message.text, (bad, dialog.message.text)
    dialog.duration_edit.setText("6m")
    assert dialog.ok_button.isEnabled()
    assert "goes down now for 6m" in dialog.message.text and "\\\\LABSRV\\SMS_SITE" in dialog.message.text
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert actions.last_message == (
        "Network outage injected: the link to LAB is down for 6m; it broke 1 transfer in flight."
    )
    assert bridge.engine.link_down_until("LAB") == pytest.approx(30 + 360)

    bridge.flush()
    assert status(outbox, "2_001PRI") == "SREQ_STATUS_ERROR"
    assert "Operation is retryable." in lines
    bridge.run_for(90)  # a 6-minute retry delay: still waiting, one connect so far
    assert status(outbox, "2_001PRI", COL_CONNECTS) == "1"
    assert "Operation is retryable." in paths.sender_log.read_text(encoding="utf-8")


def test_outage_during_connect_counts_connects(window, paths, qtbot, session) -> None:
    """On the site database engine (1-minute delay) a long outage makes the retry's reconnect fail; since turn 2
    (KB Q235753) a failed connect is given up at once rather than retried, so the count stops at 2."""
    _w, actions, outbox = window
    bridge = actions.bridge
    bridge.use_site_database(demo_database(), "CEN")
    bridge.run_for(0)
    dialog = actions.inject_outage()
    dialog.set_dest("LAB")
    dialog.duration_edit.setText("10m")
    dialog.accept()
    bridge.run_for(150)  # the retry, a minute on, meets the dead link: the address is given up
    row = next(r for r in bridge.engine.requests() if r.dest == "LAB")
    assert status(outbox, row.request_id) == "SREQ_STATUS_ERROR"
    assert status(outbox, row.request_id, COL_CONNECTS) == "2"


def test_restart_server_clears_the_stale_handle_and_the_next_attempt_delivers(qtbot, window, bridge, lines) -> None:
    _w, actions, outbox = window
    bridge.run_for(500)  # the KB case: expired at 8m, the .PCK left open on LABSRV
    assert "Heartbeat is expired." in lines
    assert bridge.engine.open_files("LAB") == {PCK: 200}

    dialog = actions.restart_server()
    assert isinstance(dialog, RestartServerDialog)
    assert dialog.ok_button.text() == "&Restart"
    assert "Restart LABSRV now?" in dialog.message.text
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert bridge.engine.open_files("LAB") == {}
    assert actions.last_message == "Server restart injected: LABSRV (LAB) restarted; 1 open file closed."

    del lines[:]
    bridge.run_for(1200)  # the re-offer at 18m opens the file and sends it all, long before the planned 1h restart
    assert status(outbox, "2_001PRI") == RequestStatus.OK.value
    assert not any("Win32 error = 32" in t for t in lines)
    assert "Sending completed successfully" in lines


def test_without_the_restart_the_next_attempt_meets_error_32(window, bridge, lines) -> None:
    bridge.run_for(1100)
    assert any(t.endswith("Win32 error = 32.") for t in lines)


def test_reset_starts_again_at_zero(window, bridge) -> None:
    _w, actions, outbox = window
    bridge.run_for(200)
    replaced: list[int] = []
    bridge.engineReplaced.connect(lambda: replaced.append(1))
    actions.action_reset.trigger()
    assert replaced and bridge.engine.now == 0
    assert outbox.model.rowCount() == 0
    assert actions.last_message == "Engine reset to t = 0: Q278357 on an SP3 site."


def test_an_open_dialog_closes_when_the_engine_is_replaced(window, bridge) -> None:
    _w, actions, _ = window
    dialog = actions.queue_package()
    bridge.load_scenario(kb_scenario("sp4"))
    assert not dialog.isVisible() and actions.dialog is None


def test_destinations_follow_the_source(window, bridge) -> None:
    _w, actions, _ = window
    assert [s.code for s in engine_destinations(bridge)] == ["LAB"]
    bridge.use_site_database(demo_database(), "LAB")
    assert [s.code for s in engine_destinations(bridge)] == ["CEN", "NYC", "BOS"]
    dialog = actions.restart_server()
    assert dialog.dest_combo.itemText(0) == "CEN - Central Site (CENSRV01, SMS 2.0 SP4)"
    dialog.reject()


def test_actions_disabled_when_there_is_nowhere_to_send(window, bridge) -> None:
    _w, actions, _ = window
    lone = SiteDatabase([Site("ONE", "Only Site", "ONESRV", SiteVersion.SP3)])
    bridge.use_site_database(lone, "ONE")
    assert not actions.action_queue_package.isEnabled()
    assert not actions.action_inject_outage.isEnabled()
    assert not actions.action_restart_server.isEnabled()
    assert actions.action_reset.isEnabled() and actions.action_reproduce.isEnabled()
    bridge.load_scenario(kb_scenario())
    assert actions.action_queue_package.isEnabled()


def test_a_refused_action_says_why_and_keeps_everything(window, bridge, monkeypatch) -> None:
    w, actions, _outbox = window
    bridge.run_for(0)

    def refuse(*_args):
        raise KeyError("no destination site 'LAB' (known: none)")

    monkeypatch.setattr(bridge, "queue_package", refuse)
    dialog = actions.queue_package()
    dialog.accept()
    assert actions.last_message == "The package was not queued: no destination site 'LAB' (known: none)"
    boxes = [b for b in w.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1 and "no destination site" in boxes[0].informativeText()
    boxes[0].accept()
    assert len(bridge.engine.requests()) == 1


def test_next_package_id() -> None:
    assert next_package_id("PRI", []) == "PRI00001"
    assert next_package_id("pri", ["PRI00001", "pri00002"]) == "PRI00003"
