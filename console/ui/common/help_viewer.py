"""The app's own help pages (resources/help/*.html) in a small, non-modal QTextBrowser window.

Non-modal on purpose: help is read *while* filling in the sheet, so it must not block the dialog.
The window is a child of the window that asked for it (``Qt.Window`` flag), so it closes with it and
stays on top of it on most window managers, yet takes no input away from it. Links to other local
pages stay inside the browser; web links go to the system browser.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from console.model.resource_paths import resource_path
from console.ui.common.icons import app_icon

HELP_SIZE = (560, 520)


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
    viewer = existing if existing is not None and existing.page == page else HelpViewer(page, title, parent)
    viewer.show()
    viewer.raise_()
    viewer.activateWindow()
    return viewer
