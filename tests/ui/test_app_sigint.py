"""Ctrl+C (SIGINT) ends the app cleanly with status 130 (console/app.py's docstring says why 130).

The end-to-end tests run the real program in a child process, offscreen, and wait (bounded) for it to be in
its event loop before interrupting it: a signal that arrives while Python is still importing Qt would meet
Python's default handler instead, which is not what is being tested.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from console.app import EXIT_INTERRUPTED, SigintQuit
from console.model.paths import AppPaths

DEADLINE_S = 30.0


def child_env() -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("SENDER_CONSOLE_CONFIG_DIR", None)
    return env


def wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    """Poll until ``condition()``; fail (and end the child) if it exits or the deadline passes first."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"the app exited ({proc.returncode}) before {what}: {proc.stderr.read()[-600:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"no {what} within {DEADLINE_S:g} s")
        time.sleep(0.05)


def interrupt(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.wait(timeout=DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        pytest.fail(f"the app did not end within {DEADLINE_S:g} s of Ctrl+C")


def sender_console() -> list[str]:
    exe = Path(sys.executable).with_name("sender-console")
    return [str(exe)] if exe.exists() else [shutil.which("sender-console") or "sender-console"]


def test_ctrl_c_closes_the_console_window_cleanly(tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    paths = AppPaths.resolve(cfg)
    proc = subprocess.Popen(
        [*sender_console(), "--config-dir", str(cfg)],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # The live engine is attached from inside the event loop, after the first paint, and writes Sender.log
    # as its clock runs (60x): once lines are there, the app is in app.exec().
    wait_for(lambda: paths.sender_log.exists() and paths.sender_log.stat().st_size > 0, proc, "Sender.log lines")
    assert not paths.ui_state_file.exists()
    status = interrupt(proc)
    stderr = proc.stderr.read()
    assert status == EXIT_INTERRUPTED == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert paths.ui_state_file.exists(), "the window closed as usual and saved its layout"
    assert paths.sender_log.read_text().endswith("\n"), "Sender.log was flushed and closed on a whole line"


SHEET_DRIVER = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
QTimer.singleShot(0, lambda: print("in the event loop", flush=True))  # runs once run_gui's exec() has started
from console.__main__ import main
sys.exit(main(sys.argv[1:]))
"""


def test_ctrl_c_closes_the_properties_sheet_alone_too(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", SHEET_DRIVER, "--config-dir", str(tmp_path / "cfg"), "properties", "LAB"],
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the child prints or exits; the child's own timer bounds it
    if line.strip() != "in the event loop":
        proc.kill()
        pytest.fail(f"the sheet never reached its event loop: {proc.stderr.read()[-600:]}")
    status = interrupt(proc)
    stderr = proc.stderr.read()
    assert status == EXIT_INTERRUPTED, stderr
    assert "Traceback" not in stderr


class FakeApp:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int | None]] = []

    def quit(self) -> None:
        self.calls.append(("quit", None))

    def exit(self, status: int) -> None:
        self.calls.append(("exit", status))


def test_first_ctrl_c_quits_the_second_forces_and_the_old_handler_comes_back(qapp) -> None:
    before = signal.getsignal(signal.SIGINT)
    fake = FakeApp()
    with SigintQuit(fake) as sigint:  # type: ignore[arg-type]
        assert signal.getsignal(signal.SIGINT) != before
        assert sigint._poll.isActive(), "an idle timer lets Python run the handler inside Qt's event loop"
        signal.raise_signal(signal.SIGINT)
        assert fake.calls == [("quit", None)] and sigint.interrupted == 1
        signal.raise_signal(signal.SIGINT)
        assert fake.calls == [("quit", None), ("exit", EXIT_INTERRUPTED)]
    assert signal.getsignal(signal.SIGINT) == before
    assert not sigint._poll.isActive()
