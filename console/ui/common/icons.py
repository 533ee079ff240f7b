"""The app icon, looked up through ``resource_path`` and tolerant of its absence.

The icon files are produced by another part of the build (resources/icons/); a source checkout in the
middle of a change, or a trimmed bundle, may lack them. A missing icon must never stop a window from
opening, so every caller gets a QIcon (possibly null) and decides what to show instead.
"""

from __future__ import annotations

from PySide6.QtGui import QIcon

from console.model.resource_paths import resource_path

ICON_FILES = ("sender-console.svg", "sender-console.png", "sender-console-64.png")


def app_icon() -> QIcon:
    """The Sender Console icon, or a null QIcon when no icon file is installed."""
    icon = QIcon()
    for name in ICON_FILES:
        path = resource_path("icons", name)
        if path.is_file():
            icon.addFile(str(path))
    return icon
