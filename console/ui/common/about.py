"""Help → About Sender Console: the version and what the app is for, in our own words.

A QDialog rather than ``QMessageBox.about``: the static helper runs its own event loop until closed,
which blocks tests and the ``--screenshot`` flow; this one is opened window-modal with ``open()``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from console import APP_NAME, __version__
from console.ui.common.icons import app_icon

DESCRIPTION = (
    "Sender Console rebuilds the Standard Sender Properties sheet of Microsoft Systems Management "
    "Server 2.0 and runs a simulated sender next to it, so you can watch its sending threads, retry "
    "waits and heartbeat at work. It warns as you type when a retry delay longer than the five-minute "
    "sender heartbeat would make a site older than SMS 2.0 SP4 give up on a package after a network "
    "error, the problem Microsoft described in Knowledge Base article Q278357."
)


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(f"About {APP_NAME}")
        icon = app_icon()
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
        picture = QLabel(self)
        picture.setPixmap(icon.pixmap(64, 64))
        picture.setAlignment(Qt.AlignmentFlag.AlignTop)

        self.title_label = QLabel(f"<b style='font-size: large'>{APP_NAME}</b>", self)
        self.version_label = QLabel(f"Version {__version__}", self)
        self.version_label.setObjectName("aboutVersion")
        self.version_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.description_label = QLabel(DESCRIPTION, self)
        self.description_label.setObjectName("aboutDescription")
        self.description_label.setWordWrap(True)
        self.description_label.setTextFormat(Qt.TextFormat.PlainText)
        note = QLabel("A teaching and testing replica; it does not connect to a real SMS site.", self)
        note.setWordWrap(True)
        note.setEnabled(False)

        text = QVBoxLayout()
        text.addWidget(self.title_label)
        text.addWidget(self.version_label)
        text.addSpacing(8)
        text.addWidget(self.description_label)
        text.addWidget(note)
        top = QHBoxLayout()
        top.addWidget(picture, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(12)
        top.addLayout(text, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
