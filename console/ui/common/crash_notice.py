"""The GUI's half of crash reporting: the crash log with Qt's versions in it, and a box that never blocks.

Shared by the exception hooks of ``console.app`` and the live console's engine-failure notice. The box is opened
with ``open()``, never ``exec()``: an error can come from inside any slot, and a nested event loop there would
let the same failing timer fire again underneath the box (and would hang a head-less test).
"""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6
import shiboken6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from console.model.crash_log import write_crash_log


def qt_versions() -> dict[str, str]:
    return {"qt": qVersion(), "pyside6": PySide6.__version__}


def write_gui_crash_log(log_dir: Path | None, traceback_text: str, where: str) -> Path | None:
    """``write_crash_log`` with the Qt versions; None without a folder or when it could not be written."""
    if log_dir is None:
        return None
    return write_crash_log(log_dir, traceback_text, where=where, argv=sys.argv, versions=qt_versions())


class ErrorBoxes:
    """At most one error box at a time: a failure that repeats adds a count to the open box, not a pile of boxes."""

    def __init__(self, object_name: str) -> None:
        self._object_name = object_name
        self._box: QMessageBox | None = None
        self._more = 0
        self.shown = 0
        """Errors reported through this object (for tests and the status line)."""

    @property
    def box(self) -> QMessageBox | None:
        box = self._box
        if box is not None and (not shiboken6.isValid(box) or not box.isVisible()):
            self._box = box = None
        return box

    def show(self, parent: QWidget | None, title: str, text: str, informative: str, details: str = "") -> QMessageBox:
        self.shown += 1
        box = self.box
        if box is not None:
            self._more += 1
            box.setInformativeText(f"{informative}\n\n{self._more} more error{'s' if self._more != 1 else ''} since.")
            return box
        self._more = 0
        box = QMessageBox(QMessageBox.Icon.Critical, title, text, QMessageBox.StandardButton.Close, parent)
        box.setObjectName(self._object_name)
        box.setInformativeText(informative)
        if details:
            box.setDetailedText(details)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._box = box
        return box
