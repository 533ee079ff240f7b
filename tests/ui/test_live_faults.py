"""Engine dialogs pause the simulated clock while open; faults start now or later and always leave a trace."""

from __future__ import annotations

import pytest

from console.ui.live.engine_bridge import ConsoleNote
from console.ui.log.log_model import NOTE_COMPONENT


def note_rows(live) -> list[str]:
    model = live.log_view.model()
    return [model.log_row(i).text for i in range(model.rowCount()) if model.log_row(i).component == NOTE_COMPONENT]


def test_an_open_dialog_pauses_the_clock_and_says_so_then_resumes(console) -> None:
    _window, live, clock = console
    bridge = live.bridge
    bridge.set_speed(60.0)
    clock.advance(1.0)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(60.0)
    dialog = live.engine_actions.inject_outage()
    assert bridge.speed == 0.0
    note = dialog.clock_note.text()
    assert not dialog.clock_note.isHidden()
    assert "paused while this dialog is open" in note and "09:01:00" in note and "60\u00d7" in note
    clock.advance(30.0)  # half a minute of reading: at 60x that would have been 30 simulated minutes
    bridge.tick()
    assert bridge.engine.now == pytest.approx(60.0)
    dialog.reject()
    assert bridge.speed == 60.0
    assert live.controls.speed_actions[60.0].isChecked()
    clock.advance(1.0)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(120.0)


@pytest.mark.parametrize("chosen", [10.0, 0.0])
def test_a_speed_chosen_while_the_dialog_is_open_is_kept(console, chosen) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    bridge.set_speed(600.0)
    dialog = live.engine_actions.restart_server()
    assert bridge.speed == 0.0
    live.controls.speed_actions[chosen].trigger()
    dialog.reject()
    assert bridge.speed == chosen


def test_a_dialog_opened_while_paused_leaves_the_clock_paused(console) -> None:
    _window, live, _clock = console
    dialog = live.engine_actions.queue_package()
    assert "paused at 09:00:00" in dialog.clock_note.text()
    dialog.reject()
    assert live.bridge.speed == 0.0


def test_an_outage_planned_for_later_starts_then_and_leaves_its_traces(console) -> None:
    window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(30 * 60.0)  # 09:30: the demo's first round is over, nothing is sending
    assert not bridge.engine.threads()
    dialog = live.engine_actions.inject_outage()
    dialog.set_dest("NYC")
    dialog.duration_edit.setText("2m")
    dialog.set_start_in(10)
    assert dialog.start_in_s() == 600.0
    assert "goes down at 09:40:00 (in 10m) for 2m" in dialog.message.text
    dialog.accept()
    assert [(a.at_s, a.kind, a.dest) for a in bridge.planned_actions()] == [(2400.0, "outage", "NYC")]
    assert window.statusBar().currentMessage() == (
        "Network outage planned: the link to NYC goes down at 09:40:00 for 2m of simulated time."
    )
    bridge.run_for(599.0)
    assert bridge.engine.link_down_until("NYC") is None or bridge.engine.link_down_until("NYC") <= bridge.engine.now
    bridge.run_for(2.0)
    assert bridge.engine.link_down_until("NYC") == pytest.approx(2400.0 + 120.0)
    assert bridge.planned_actions() == []
    expected = "Network outage injected: the link to NYC is down for 2m; no thread was sending to NYC."
    assert window.statusBar().currentMessage() == f"09:40:00: {expected}"
    assert note_rows(live) == [expected]
    assert live.timer_view.outage_marks() == [(2400.0, "link to NYC down 2m")]
    assert "Network outage injected" not in live.bridge.log_path.read_text(encoding="utf-8"), "not Sender.log text"


def test_a_restart_at_a_clock_time_is_the_next_time_the_clock_shows_it(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(65.0)  # 09:01:05
    dialog = live.engine_actions.restart_server()
    dialog.set_dest("LAB")
    dialog.set_start_at(9, 3)
    assert dialog.start_in_s() == 115.0
    assert "Restart LABSRV01 at 09:03:00 (in 1m 55s)?" in dialog.message.text
    dialog.set_start_at(9, 0)
    assert dialog.start_in_s() == 24 * 3600 - 65.0 and "tomorrow" in dialog.message.text
    dialog.set_start_at(9, 3)
    dialog.accept()
    bridge.run_for(200.0)
    assert live.timer_view.model.restarts == [(180.0, "LAB")]
    assert note_rows(live)[-1].startswith("Server restart injected: LABSRV01 (LAB) restarted;")


def test_a_fault_that_hits_nothing_still_says_so_now(console) -> None:
    window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(30 * 60.0)
    dialog = live.engine_actions.inject_outage()
    dialog.set_dest("BOS")
    dialog.accept()
    text = "Network outage injected: the link to BOS is down for 1m 30s; no thread was sending to BOS."
    assert window.statusBar().currentMessage() == text
    assert note_rows(live) == [text], "shown at once, even while paused"
    assert live.timer_view.outage_marks() == [(1800.0, "link to BOS down 1m 30s")]


def test_planned_faults_are_dropped_with_their_engine(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    assert bridge.inject_outage("LAB", 60.0, at_s=600.0) is None
    live.engine_actions.reset()
    assert bridge.planned_actions() == []


def test_the_note_comes_before_the_lines_the_fault_caused(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(30.0)  # the demo is sending to LAB
    seen: list[object] = []
    bridge.frame.connect(seen.extend)
    note = bridge.inject_outage("LAB", 60.0)
    assert isinstance(note, ConsoleNote) and "it broke 1 transfer in flight" in note.text
    bridge.flush()
    assert seen[0] is note and len(seen) > 1
