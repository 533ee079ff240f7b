"""The console window's layout: its default size and split, saved and restored state, and staying on a screen.

Window state (geometry, toolbar, both splitters, the list's columns, the selected node, last folders) is
saved on close through ``UiStateStore`` and restored on the next start. Without a saved layout the senders list
gets ``DEFAULT_SENDER_ROWS`` rows and the engine tabs the rest of the column (``showEvent``), because the timer
lanes need the height and a site has only a few senders.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QByteArray, QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent

from console.model.ui_state import UiState

DEFAULT_SIZE = QSize(1200, 800)
DEFAULT_MAIN_SPLIT = (300, 900)
DEFAULT_SENDER_ROWS = 4
"""Rows the senders list shows by default (no saved layout): a site has at most a handful of senders, and every
pixel the list does not need goes to the engine tabs below it, where the timer lanes are drawn."""


def clamp_to_screens(frame: QRect, screens: list[QRect]) -> QRect:
    """Return ``frame`` moved (and if need be shrunk) so that its title strip lies on a screen.

    A window is reachable when the top 30 pixels of its frame overlap some screen's available area by
    at least 100 pixels in width: that is where a user grabs it. Otherwise (a monitor was unplugged, the
    resolution dropped) it is put at the top-left of the first screen, no larger than that screen.
    """
    if not screens:
        return QRect(frame)
    strip = QRect(frame.left(), frame.top(), frame.width(), min(30, frame.height()))
    for area in screens:
        overlap = strip.intersected(area)
        if overlap.width() >= min(100, frame.width()) and overlap.height() > 0:
            return QRect(frame)
    area = screens[0]
    width = min(frame.width(), area.width())
    height = min(frame.height(), area.height())
    return QRect(area.left(), area.top(), width, height)


class WindowLayoutMixin:
    """The layout half of ``ConsoleMainWindow`` (mixed in before QMainWindow)."""

    def _restore_layout(self, state: UiState) -> None:
        restored = state.geometry is not None and self.restoreGeometry(QByteArray(state.geometry))
        if not restored:
            area = self._available_area()
            # 90 % of a small screen leaves room for the title bar and the panel/taskbar.
            size = DEFAULT_SIZE.boundedTo(area.size() * 0.9) if area is not None else DEFAULT_SIZE
            self.resize(size)
            if area is not None:
                self.move(area.center().x() - size.width() // 2, area.center().y() - size.height() // 2)
        if state.window_state is not None:
            self.restoreState(QByteArray(state.window_state))
        if state.main_splitter is None or not self.main_splitter.restoreState(QByteArray(state.main_splitter)):
            self.main_splitter.setSizes(list(DEFAULT_MAIN_SPLIT))
        self._default_right_split = state.right_splitter is None or not self.right_splitter.restoreState(
            QByteArray(state.right_splitter)
        )
        if self._default_right_split:
            self._apply_default_right_split()
        if state.senders_header is not None and self.senders.view.header().restoreState(
            QByteArray(state.senders_header)
        ):
            self.senders.grow_columns = False
        self.ensure_on_screen()

    def default_right_split(self) -> list[int]:
        """The senders list at ``DEFAULT_SENDER_ROWS`` rows; the engine tabs get the rest of the column."""
        total = sum(self.right_splitter.sizes()) or self.right_splitter.height()
        senders = min(self.senders.compact_height(DEFAULT_SENDER_ROWS), max(0, total // 2))
        return [senders, max(0, total - senders)]

    def _apply_default_right_split(self) -> None:
        self.right_splitter.setSizes(self.default_right_split())

    def showEvent(self, event: QShowEvent) -> None:
        """Apply the default split once more at the first show, when the column has its real height.

        Why here: before the first show the splitter has a provisional height and ``setSizes`` scales its
        values to whatever height comes later (the list would grow with the window). The layout is active by
        the time the show event arrives, so the list's height is exact from the first frame on. A restored
        layout is never touched.
        """
        super().showEvent(event)
        if self._default_right_split:
            self._default_right_split = False
            self._apply_default_right_split()

    @staticmethod
    def _available_area() -> QRect | None:
        screen = QGuiApplication.primaryScreen()
        return screen.availableGeometry() if screen is not None else None

    def ensure_on_screen(self) -> None:
        """Move the window back onto a screen if none of its title strip is on one (see ``clamp_to_screens``)."""
        if self.isMaximized() or self.isFullScreen():
            return
        frame = self.frameGeometry()
        clamped = clamp_to_screens(frame, [s.availableGeometry() for s in QGuiApplication.screens()])
        if clamped != frame:
            margins = frame.size() - self.geometry().size()
            self.resize(clamped.size() - margins)
            self.move(clamped.topLeft())

    def current_ui_state(self) -> UiState:
        ref = self.tree.current_node()
        return self.ui_state.replace(
            geometry=bytes(self.saveGeometry().data()),
            window_state=bytes(self.saveState().data()),
            main_splitter=bytes(self.main_splitter.saveState().data()),
            right_splitter=bytes(self.right_splitter.saveState().data()),
            senders_header=bytes(self.senders.view.header().saveState().data()),
            selected_site=ref.code if ref is not None else None,
            selected_node=ref.kind.value if ref is not None else None,
        )

    def save_ui_state(self) -> bool:
        """Write the window state; a failure is reported on stderr and never stops the window closing."""
        self.ui_state = self.current_ui_state()
        try:
            self.ui_store.save(self.ui_state)
        except OSError as exc:
            sys.stderr.write(
                f"sender-console: warning: window layout not saved to {self.ui_store.path}: {exc.strerror or exc}\n"
            )
            return False
        return True
