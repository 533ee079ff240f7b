"""The app's own help pages (resources/help/*.html) in a small, non-modal QTextBrowser window.

Non-modal on purpose: help is read *while* filling in the sheet, so it must not block the dialog.
The window is a child of the window that asked for it (``Qt.Window`` flag), so it closes with it and
stays on top of it on most window managers, yet takes no input away from it. Links to other local
pages stay inside the browser; web links go to the system browser.

Where it opens: beside the window that asked (to its right, else its left, so the sheet being filled in stays
visible), or over its middle when neither side has room, always on that window's screen. A child window with the
``Qt.Window`` flag and no position of its own would open wherever the window manager puts it (the screen's corner
on some), far from what the user was reading.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt, QUrl
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from console.model.resource_paths import resource_path
from console.ui.common.icons import app_icon

HELP_SIZE = (560, 520)
GAP_PX = 8


def place_beside(size: tuple[int, int], parent: QRect, screen: QRect) -> QPoint:
    """Top-left for a window of ``size`` next to ``parent`` (frame geometry) on ``screen`` (module docstring)."""
    w, h = size
    y = min(max(parent.top(), screen.top()), max(screen.top(), screen.bottom() + 1 - h))
    right = parent.right() + 1 + GAP_PX
    if right + w <= screen.right() + 1:
        return QPoint(right, y)
    left = parent.left() - GAP_PX - w
    if left >= screen.left():
        return QPoint(left, y)
    x = parent.center().x() - w // 2
    y = parent.center().y() - h // 2
    x = min(max(x, screen.left()), max(screen.left(), screen.right() + 1 - w))
    y = min(max(y, screen.top()), max(screen.top(), screen.bottom() + 1 - h))
    return QPoint(x, y)


def help_file(page: str) -> Path:
    return resource_path("help", page)


class HelpViewer(QWidget):
    """One help page; ``browser`` is exposed for tests and for following links."""

    def __init__(self, page: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("helpViewer")
        self.setWindowTitle(f"{title} - Sender Console Help")
        self.setWindowModality(Qt.WindowModality.NonModal)
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)
        self.browser = QTextBrowser(self)
        self.browser.setObjectName("helpBrowser")
        self.browser.setOpenExternalLinks(True)
        self.browser.setOpenLinks(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.resize(*HELP_SIZE)
        self.page = page
        self._load(page)

    def _load(self, page: str) -> None:
        path = help_file(page)
        if path.is_file():
            self.browser.setSearchPaths([str(path.parent)])
            self.browser.setSource(QUrl.fromLocalFile(str(path)))
        else:
            # A trimmed install must still answer the Help button with something that says what is wrong.
            self.browser.setHtml(
                f"<h2>Help page missing</h2><p>The help page <code>{html.escape(str(path))}"
                f"</code> is not installed. Reinstall Sender Console to restore it.</p>"
            )

    @property
    def loaded(self) -> bool:
        return not self.browser.source().isEmpty()


def show_help(page: str, title: str, parent: QWidget | None, existing: HelpViewer | None = None) -> HelpViewer:
    """Show (or raise) the help window for ``page``; pass the previous viewer back in to reuse it."""
    reuse = existing is not None and existing.page == page
    viewer = existing if reuse else HelpViewer(page, title, parent)
    if not reuse and parent is not None:
        host = parent.window()
        screen = host.screen() or viewer.screen()
        if screen is not None:
            viewer.move(place_beside(HELP_SIZE, host.frameGeometry(), screen.availableGeometry()))
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer
