"""Uncaught exceptions in a GUI run: crash log, traceback on stderr, a box naming the log; the app keeps running.

``run_gui`` runs in-process on the log viewer window (the lightest window) with timers that raise inside its
event loop; the box is found among the top-level widgets (it is opened, never exec'd, so nothing blocks).
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from console import app
from console.cli.context import CliContext
from console.cli.window_cmd import WindowRequest
from console.model.crash_log import crash_logs
from console.model.paths import AppPaths

DEADLINE_MS = 10_000


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if w.objectName() == "crashBox" and w.isVisible()]


def _run_viewer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, steps: list[Callable[[], bool]]
) -> tuple[int, AppPaths]:
    """Run the log viewer window; each step is polled until it returns True, then the next; then the window closes."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    ctx = CliContext(paths, io.StringIO(), io.StringIO())
    monkeypatch.setattr(app, "choose_platform", lambda screenshot: None)
    pending = list(steps)
    waited = [0]

    def poll() -> None:
        while pending and pending[0]():
            pending.pop(0)
        waited[0] += 10
        if pending and waited[0] < DEADLINE_MS:
            QTimer.singleShot(10, poll)
            return
        for box in _boxes():
            box.close()
        for w in QApplication.topLevelWidgets():
            if w.objectName() == "LogViewerWindow":
                w.close()

    QTimer.singleShot(0, poll)
    rc = app.run_gui(WindowRequest("log"), ctx)
    assert not pending, "a step did not come true in time"
    return rc, paths


def _raise_in_a_slot() -> bool:
    def boom() -> None:
        raise RuntimeError("a slot failed")

    QTimer.singleShot(0, boom)
    return True


@pytest.mark.qt_no_exception_capture
def test_a_slot_that_raises_writes_a_crash_log_and_shows_a_box(qtbot, tmp_path, monkeypatch, capsys) -> None:
    hooks_before = (sys.excepthook, threading.excepthook)
    seen: dict[str, object] = {}

    def box_shown() -> bool:
        boxes = _boxes()
        if boxes:
            seen["text"] = boxes[0].text() + "\n" + boxes[0].informativeText()
            seen["viewer still open"] = any(
                w.objectName() == "LogViewerWindow" and w.isVisible() for w in QApplication.topLevelWidgets()
            )
        return bool(boxes)

    def still_running() -> bool:  # the event loop goes on after the error: a later timer still fires
        QTimer.singleShot(0, lambda: seen.setdefault("later timer", True))
        return True

    rc, paths = _run_viewer(
        tmp_path, monkeypatch, [_raise_in_a_slot, box_shown, still_running, lambda: "later timer" in seen]
    )
    assert rc == 0
    (log,) = crash_logs(paths.log_dir)
    body = log.read_text()
    assert "RuntimeError: a slot failed" in body and "in boom" in body and "where: main thread" in body
    assert str(log) in str(seen["text"]) and "RuntimeError: a slot failed" in str(seen["text"])
    assert seen["viewer still open"] is True
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err and "RuntimeError: a slot failed" in err and str(log) in err
    assert (sys.excepthook, threading.excepthook) == hooks_before, "the previous hooks are back after the run"


@pytest.mark.qt_no_exception_capture
def test_a_worker_thread_error_is_logged_and_its_box_comes_on_the_gui_thread(
    qtbot, tmp_path, monkeypatch, capsys
) -> None:
    def start_worker() -> bool:
        def work() -> None:
            raise ValueError("worker failed")

        t = threading.Thread(target=work, name="fuzz-worker")
        t.start()
        t.join()
        return True

    rc, paths = _run_viewer(tmp_path, monkeypatch, [start_worker, lambda: bool(_boxes())])
    assert rc == 0
    (log,) = crash_logs(paths.log_dir)
    assert "ValueError: worker failed" in log.read_text() and "where: thread fuzz-worker" in log.read_text()
    assert "ValueError: worker failed" in capsys.readouterr().err


@pytest.mark.qt_no_exception_capture
def test_repeated_errors_keep_one_box_and_count_the_rest(qtbot, tmp_path, monkeypatch, capsys) -> None:
    def three() -> bool:
        for _ in range(3):
            _raise_in_a_slot()
        return True

    def counted() -> bool:
        boxes = _boxes()
        return len(boxes) == 1 and "2 more errors since" in boxes[0].informativeText()

    rc, paths = _run_viewer(tmp_path, monkeypatch, [three, counted])
    assert rc == 0
    assert len(crash_logs(paths.log_dir)) == 3, "each error has its own crash log"
    capsys.readouterr()


def test_screenshot_runs_print_and_log_but_show_no_box(qtbot, tmp_path) -> None:
    hooks = app.CrashHooks(tmp_path / "logs", show_box=False)
    err = io.StringIO()
    with hooks, pytest.MonkeyPatch.context() as mp:
        mp.setattr(sys, "stderr", err)
        try:
            raise KeyError("shot")
        except KeyError as exc:
            sys.excepthook(type(exc), exc, exc.__traceback__)
        qtbot.wait(10)
    assert hooks.boxes.shown == 0 and _boxes() == []
    (log,) = crash_logs(tmp_path / "logs")
    assert "KeyError: 'shot'" in err.getvalue() and str(log) in err.getvalue()


def test_an_error_that_escapes_the_run_leaves_a_crash_log_and_still_raises(qtbot, tmp_path, monkeypatch) -> None:
    def broken(*_args: object) -> object:
        raise RuntimeError("window could not be built")

    monkeypatch.setattr(app, "_open_log_viewer", broken)
    monkeypatch.setattr(app, "choose_platform", lambda screenshot: None)
    paths = AppPaths.resolve(tmp_path / "cfg")
    with pytest.raises(RuntimeError, match="could not be built"):
        app.run_gui(WindowRequest("log"), CliContext(paths, io.StringIO(), io.StringIO()))
    (log,) = crash_logs(paths.log_dir)
    assert "where: start-up" in log.read_text()
