"""A callback on the event-loop pass after a window's next paint (its first, when it has not painted yet).

The console window paints its shell before the live engine is attached, and the engine's hidden tabs (Outbox,
Sender.log) are built after the Timers tab has painted (console/app.py, console.ui.window.live_console): each
waits for a paint so the user sees something sooner, instead of a timer that might fire before the paint.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class _PaintWatch(QObject):
    """Calls back once, on the event-loop pass after the next Paint of ``window`` or a widget in it."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], None] | None = callback
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            self._callback is not None
            and event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.window() is self._window
        ):
            callback, self._callback = self._callback, None
            app = QCoreApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            QTimer.singleShot(0, self, callback)  # after this paint, not inside it
        return False


def after_next_paint(window: QWidget, callback: Callable[[], None]) -> QObject:
    """Run ``callback`` once ``window`` has painted again (for the first time, if it has not painted yet)."""
    return _PaintWatch(window, callback)
