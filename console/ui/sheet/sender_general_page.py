"""The General tab of a sender's properties: read-only facts, laid out like an MMC property page.

MMC pages open with the item's icon and name on top, a rule, then label/value pairs. Values are
selectable labels rather than read-only line edits so that Tab skips them (nothing here can change)
while an administrator can still copy a server name or build number.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QHBoxLayout, QLabel, QStyle, QVBoxLayout, QWidget

from console.model.sender_types import SenderType
from console.model.sites import Sender, Site
from console.ui.common.icons import app_icon

HEADER_ICON_SIZE = 32


def _rule(parent: QWidget) -> QFrame:
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Sunken)
    return line


def _value(text: str, name: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def log_description(kind: SenderType) -> str:
    """Where the sender writes its log, in our words (the file names are the product's). One line on
    purpose: a word-wrapped label would make the fixed-size sheet guess its height."""
    return f"{kind.log_name}, in SMS\\Logs on the site server"


LOG_TOOLTIP = "SMS 2.0 writes this log only while logging is turned on for the sender in SMS Service Manager."


class SenderGeneralPage(QWidget):
    def __init__(self, site: Site, sender: Sender, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("generalTab")

        icon = app_icon()
        if icon.isNull():
            icon = self.style().standardIcon(QStyle.StandardPixmap.SP_DriveNetIcon, None, self)
        self.icon_label = QLabel(self)
        self.icon_label.setObjectName("senderIcon")
        self.icon_label.setPixmap(icon.pixmap(HEADER_ICON_SIZE, HEADER_ICON_SIZE))
        self.icon_label.setFixedSize(HEADER_ICON_SIZE, HEADER_ICON_SIZE)
        self.name_label = _value(sender.type.display_name, "senderName", self)

        header = QHBoxLayout()
        header.setSpacing(12)
        header.addWidget(self.icon_label)
        header.addWidget(self.name_label, 1)

        facts = QFormLayout()
        facts.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        facts.setHorizontalSpacing(16)
        facts.setVerticalSpacing(8)
        self.values: dict[str, QLabel] = {}
        for caption, name in (
            ("Type:", "senderComponent"),
            ("Site:", "senderSite"),
            ("Server:", "senderServer"),
            ("SMS version:", "senderVersion"),
        ):
            self.values[name] = _value("", name, self)
            facts.addRow(caption, self.values[name])

        log_form = QFormLayout()
        log_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
        log_form.setHorizontalSpacing(16)
        self.values["senderLog"] = _value("", "senderLog", self)
        self.values["senderLog"].setToolTip(LOG_TOOLTIP)
        log_form.addRow("Log file:", self.values["senderLog"])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addWidget(_rule(self))
        layout.addLayout(facts)
        layout.addWidget(_rule(self))
        layout.addLayout(log_form)
        layout.addStretch(1)
        _align_label_columns(facts, log_form)
        self.show_site(site, sender)

    def show_site(self, site: Site, sender: Sender) -> None:
        """(Re)fill the facts; the sheet calls this when the site is edited while the sheet is open."""
        self.name_label.setText(sender.type.display_name)
        self.values["senderComponent"].setText(sender.type.component)
        self.values["senderSite"].setText(site.title)
        self.values["senderServer"].setText(sender.server)
        self.values["senderVersion"].setText(f"{site.version.label} ({site.version.build})")
        self.values["senderLog"].setText(log_description(sender.type))


def _align_label_columns(*forms: QFormLayout) -> None:
    """Give the caption columns of stacked forms one width, so the values line up across the rule."""
    labels = [f.itemAt(r, QFormLayout.ItemRole.LabelRole).widget() for f in forms for r in range(f.rowCount())]
    width = max(label.sizeHint().width() for label in labels)
    for label in labels:
        label.setMinimumWidth(width)
