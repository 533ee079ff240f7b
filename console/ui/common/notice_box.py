"""The message shown when the site database file could not be (wholly) loaded: what was kept aside and why,
with a button that opens the folder holding the kept file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from console import APP_NAME


def load_notice_box(parent: QWidget | None, notice: str, kept: Path | None) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("loadNoticeBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(f"{APP_NAME} - site database")
    box.setText(notice)
    box.addButton(QMessageBox.StandardButton.Ok)
    if kept is not None:
        folder = box.addButton("Open Folder", QMessageBox.ButtonRole.ActionRole)
        folder.setToolTip(str(kept.parent))
        # An action button would close the box; open the folder and leave the box up.
        folder.clicked.disconnect()
        folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(kept.parent))))
    return box
