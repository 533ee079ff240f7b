"""The live console when the engine raises: shown, paused, logged; nothing else lost, and it can run again.

The engine's ``advance_to`` is monkeypatched to do its work and then raise (a bug deep in an event handler), so
the lines it wrote before failing are there to be checked.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from console.engine.events import LogEvent
from console.model.crash_log import crash_logs


def _break_engine(monkeypatch: pytest.MonkeyPatch, engine: object, after_work: bool = True) -> list[float]:
    """``advance_to`` raises from now on (after doing its work when ``after_work``); returns the times asked for."""
    real = engine.advance_to  # type: ignore[attr-defined]
    asked: list[float] = []

    def failing(t: float) -> int:
        asked.append(t)
        if after_work:
            real(t)
        raise RuntimeError("handler bug")

    monkeypatch.setattr(engine, "advance_to", failing)
    return asked


def _box(window) -> QMessageBox | None:
    boxes = [b for b in window.findChildren(QMessageBox, "engineFailedBox") if b.isVisible()]
    assert len(boxes) <= 1, "one box at a time"
    return boxes[0] if boxes else None


def test_a_failing_tick_pauses_shows_logs_and_keeps_the_lines(console, monkeypatch, qtbot) -> None:
    window, live, clock = console
    bridge = live.bridge
    bridge.set_speed(60.0)
    clock.advance(1.0)
    bridge.tick()
    lines_before = live.log_view.line_count()
    failed: list[str] = []
    frames: list[list] = []
    bridge.engineFailed.connect(failed.append)
    bridge.frame.connect(frames.append)
    _break_engine(monkeypatch, bridge.engine)
    clock.advance(1.0)
    bridge.tick()

    assert failed == ["RuntimeError: handler bug"]
    assert bridge.speed == 0.0 and bridge.set_by == "error" and bridge.failures == 1
    assert bridge.user_speed == 60.0, "the user's speed is what a restart or the next start comes back to"
    written = [e for f in frames for e in f if isinstance(e, LogEvent)]
    assert written, "what the engine wrote before failing still reached the views"
    assert live.log_view.line_count() >= lines_before + len(written)
    assert bridge.log_path is not None and written[-1].text in bridge.log_path.read_text(), "and Sender.log"
    (log,) = crash_logs(bridge.log_path.parent)
    assert bridge.failure_log == log
    body = log.read_text()
    assert "RuntimeError: handler bug" in body and "where: live engine" in body and "in failing" in body
    assert "engine error" in window.speed_label.text()
    assert "handler bug" in window.statusBar().currentMessage()
    box = _box(window)
    assert box is not None and "handler bug" in box.text() and str(log) in box.informativeText()

    # Paused: further ticks do not touch the engine, and the window's other parts still work.
    clock.advance(5.0)
    bridge.tick()
    assert bridge.failures == 1
    rid = bridge.queue_package("PKG00001", "LAB", 100, 2)
    assert any(r.request_id == rid for r in bridge.engine.requests())
    sheet = window.open_properties("LAB")  # the sheet opens as ever
    assert sheet is not None and sheet.isVisible()
    sheet.close()

    # The bug goes away (undo the patch): a speed button runs the same engine on.
    monkeypatch.undo()
    now = bridge.engine.now
    live.controls.speed_actions[60.0].trigger()
    clock.advance(1.0)
    bridge.tick()
    assert bridge.engine.now > now and bridge.set_by == "user"
    assert "engine error" not in window.speed_label.text()
    box.close()


def test_repeated_failures_count_in_one_box(console, monkeypatch) -> None:
    window, live, clock = console
    bridge = live.bridge
    _break_engine(monkeypatch, bridge.engine, after_work=False)
    for _ in range(3):
        bridge.set_speed(60.0)
        clock.advance(1.0)
        bridge.tick()
    assert bridge.failures == 3 and live.failure_boxes.shown == 3
    box = _box(window)
    assert box is not None and "2 more errors since" in box.informativeText()
    assert len(crash_logs(bridge.log_path.parent)) == 3  # type: ignore[union-attr]
    box.close()


def test_step_and_run_for_are_guarded_too_and_reset_starts_clean(console, monkeypatch) -> None:
    window, live, _clock = console
    bridge = live.bridge
    failed: list[str] = []
    bridge.engineFailed.connect(failed.append)
    asked = _break_engine(monkeypatch, bridge.engine, after_work=False)
    live.controls.step_action.trigger()
    bridge.run_for(30.0)
    assert len(failed) == 2 and len(asked) == 2
    live.engine_actions.reset()  # a new engine object: the patched method went with the old one
    before = bridge.engine.now
    bridge.run_for(30.0)
    assert bridge.engine.now == before + 30.0 and len(failed) == 2
    box = _box(window)
    assert box is not None
    box.close()
