"""Start-up order (console/app.py): the console window paints first, its live engine is attached right after."""

from __future__ import annotations

import gc
import io

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from console import app
from console.cli.context import CliContext
from console.cli.window_cmd import WindowRequest
from console.model.paths import AppPaths
from console.ui.common.gc_pacing import PACER, hold_for_start_up
from console.ui.live.outbox_view import OutboxView
from console.ui.log.log_view import SenderLogView
from console.ui.timers.timer_view import TimerView


class Painted(QObject):
    def __init__(self, window: QMainWindow) -> None:
        super().__init__()
        self.window = window
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QLabel) and watched.window() is self.window:
            self.count += 1
        return False


def test_after_first_paint_calls_back_once_after_the_window_painted(qtbot) -> None:
    window = QMainWindow()
    window.setCentralWidget(QLabel("hello"))
    qtbot.addWidget(window)
    painted = Painted(window)
    QApplication.instance().installEventFilter(painted)
    seen: list[int] = []
    app.after_first_paint(window, lambda: seen.append(painted.count))
    qtbot.wait(20)
    assert seen == [], "nothing before the window is shown"
    window.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] >= 1, "called after a paint, not before"
    window.update()
    qtbot.wait(20)
    assert len(seen) == 1, "once"
    QApplication.instance().removeEventFilter(painted)


def test_interactive_console_window_gets_its_engine_after_the_first_paint(qtbot, tmp_path, monkeypatch) -> None:
    """run_gui through exec(): the window opens without engine tabs, then has them; closing it ends the run."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    ctx = CliContext(paths, io.StringIO(), io.StringIO())
    seen: dict[str, object] = {}
    before = set(QApplication.topLevelWidgets())  # windows of earlier tests may linger until deleted

    def ours() -> list:
        return [w for w in QApplication.topLevelWidgets() if w not in before and w.objectName() == "ConsoleMainWindow"]

    def inspect_then_close() -> None:
        window = ours()[0]
        live = getattr(window, "live_console", None)
        tabs = window.engine_tabs  # type: ignore[attr-defined]
        if live is None or live._outbox_view is None:
            if live is not None:
                seen.setdefault("titles while waiting", [tabs.tabText(i) for i in range(tabs.count())])
            QTimer.singleShot(10, inspect_then_close)
            return
        seen["tabs"] = [type(tabs.widget(i)) for i in range(tabs.count())]
        seen["titles"] = [tabs.tabText(i) for i in range(tabs.count())]
        seen["current"] = tabs.currentIndex()
        window.close()

    QTimer.singleShot(
        0,
        lambda: seen.setdefault(
            "tabs at first pass", [w for w in ours() if getattr(w, "live_console", None) is not None]
        ),
    )
    QTimer.singleShot(0, inspect_then_close)
    monkeypatch.setattr(app, "choose_platform", lambda screenshot: None)
    rc = app.run_gui(WindowRequest("console", speed=0.0), ctx)
    assert rc == 0
    assert seen["tabs at first pass"] == [], "the engine is not attached before the window has painted"
    assert seen["tabs"][:3] == [TimerView, OutboxView, SenderLogView], "the hidden tabs' views come after a paint"
    assert seen["titles"] == seen["titles while waiting"] == ["Timers", "Outbox", "Sender.log"], "the same tab bar"
    assert seen["current"] == 0


def test_collection_stays_off_from_the_entry_point_until_the_live_engine_is_attached(
    qtbot, tmp_path, monkeypatch
) -> None:
    """console.__main__ holds automatic collection (console.ui.common.gc_pacing); the app lets go once complete."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    ctx = CliContext(paths, io.StringIO(), io.StringIO())
    seen: dict[str, bool] = {}
    before = set(QApplication.topLevelWidgets())

    def check_then_close() -> None:
        window = next(
            w for w in QApplication.topLevelWidgets() if w not in before and w.objectName() == "ConsoleMainWindow"
        )
        if getattr(window, "live_console", None) is None:
            seen.setdefault("off before the engine", not gc.isenabled())
            QTimer.singleShot(10, check_then_close)
            return
        seen["on with the engine"] = gc.isenabled() and not PACER.held_for_start_up
        window.close()

    QTimer.singleShot(0, check_then_close)
    monkeypatch.setattr(app, "choose_platform", lambda screenshot: None)
    assert gc.isenabled()
    assert hold_for_start_up() is True
    try:
        assert app.run_gui(WindowRequest("console", speed=0.0), ctx) == 0
    finally:
        PACER.end_start_up()
        gc.enable()
    assert seen == {"off before the engine": True, "on with the engine": True}
    assert gc.isenabled()


def test_a_start_that_ends_early_switches_collection_back_on(tmp_path) -> None:
    """An unknown site (exit 2 before any window) must not leave the process without automatic collection."""
    ctx = CliContext(AppPaths.resolve(tmp_path / "cfg"), io.StringIO(), io.StringIO())
    assert hold_for_start_up() is True
    try:
        assert app.run_gui(WindowRequest("properties", site="NOPE", screenshot=tmp_path / "x.png"), ctx) == 2
        assert gc.isenabled() and not PACER.held_for_start_up
    finally:
        PACER.end_start_up()
        gc.enable()


def test_hold_leaves_a_collector_someone_else_switched_off_alone() -> None:
    gc.disable()
    try:
        assert hold_for_start_up() is False
        PACER.end_start_up()
        assert not gc.isenabled(), "not ours to switch on"
    finally:
        gc.enable()
