"""The details pane: the senders of the selected site, as the MMC result pane lists them.

Columns: Name, Type (the component name an administrator greps Sender.log for), Server, and for the
senders with retry settings a one-glance summary "5 / 3, 2 retries every 1 min" (all sites / per site,
retries, delay). A sender whose settings trip the Q278357 rule on this site's version gets the standard
warning icon and the advisory as its tooltip; the rule is the model's (``advise``), never re-derived here.

When nothing is selected (the two top nodes of the tree) the pane says how to pick a site instead of
showing an empty grid, because an empty grid reads as "this site has no senders".

The sender the live engine runs (the Standard Sender of the sending site, when the engine runs from the site
database) is drawn in bold and says so in its tooltip, as its site is in the tree (``set_live_sender``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.model.advisories import Advisory, advise
from console.model.sender_types import SenderType
from console.model.sites import Sender, Site
from console.ui.window.list_pane import pane_hint, pane_title, pane_view

SENDER_TYPE_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = ("Name", "Type", "Server", "Settings (all sites / per site, retries)")
_COLUMN_TIPS = (
    "The sender's name as the SMS Administrator console shows it",
    "The sender's component name; the Standard and RAS senders write it into Sender.log",
    "The server the sender runs on",
    "Maximum concurrent sendings (all sites / per site), number of retries and delay before retrying",
)

LIVE_NOTE = "This sender runs in the live engine: the Timers, Outbox and Sender.log tabs below are about it."

EMPTY_HINT = (
    "Select a site in the tree on the left, or its Site Settings \u25b8 Senders folder, "
    "to list the senders installed at that site."
)


def settings_summary(sender: Sender) -> str:
    """ "5 / 3, 2 retries every 1 min"; an em dash for the Courier Sender, which has no retry settings."""
    if not sender.type.has_advanced_tab:
        return "\u2014"
    s = sender.settings
    retries = "1 retry" if s.retries == 1 else f"{s.retries} retries"
    return f"{s.all_sites} / {s.per_site}, {retries} every {s.retry_delay_min} min"


def sender_advisories(site: Site, sender: Sender) -> list[Advisory]:
    return advise(sender.settings, site.version) if sender.type.has_advanced_tab else []


class SendersModel(QAbstractTableModel):
    """One row per sender of one site; ``set_site(None)`` empties it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._site: Site | None = None
        self._live_site: str | None = None

    @property
    def site(self) -> Site | None:
        return self._site

    def set_live_site(self, code: str | None) -> None:
        """The site whose Standard Sender runs in the live engine (None: none of the database's senders)."""
        if code == self._live_site:
            return
        self._live_site = code
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def is_live(self, sender: Sender) -> bool:
        return self._site is not None and self._site.code == self._live_site and sender.type is SenderType.STANDARD

    def set_site(self, site: Site | None) -> None:
        self.beginResetModel()
        self._site = site
        self.endResetModel()

    def sender_at(self, row: int) -> Sender | None:
        if self._site is None or not 0 <= row < len(self._site.senders):
            return None
        return self._site.senders[row]

    def row_of(self, kind: SenderType) -> int:
        if self._site is None:
            return -1
        return next((i for i, s in enumerate(self._site.senders) if s.type is kind), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._site is None else len(self._site.senders)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return _COLUMN_TIPS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        sender = self.sender_at(index.row()) if index.isValid() else None
        if sender is None or self._site is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (sender.name, sender.type.component, sender.server, settings_summary(sender))[column]
        if role == SENDER_TYPE_ROLE:
            return sender.type
        if role == Qt.ItemDataRole.FontRole:
            if not self.is_live(sender):
                return None
            font = QFont()
            font.setBold(True)
            return font
        advisories = sender_advisories(self._site, sender)
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            pixmap = QStyle.StandardPixmap.SP_MessageBoxWarning if advisories else QStyle.StandardPixmap.SP_DriveNetIcon
            return QApplication.style().standardIcon(pixmap)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = self._tooltip(sender, advisories)
            return f"{LIVE_NOTE}\n\n{tip}" if self.is_live(sender) else tip
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            parts = ([LIVE_NOTE] if self.is_live(sender) else []) + ([advisories[0].one_line] if advisories else [])
            return " ".join(parts) or None
        return None

    def _tooltip(self, sender: Sender, advisories: list[Advisory]) -> str:
        assert self._site is not None
        if advisories:
            return "\n\n".join(f"Warning \u2014 {a.kb}: {a.title}\n{a.text}" for a in advisories)
        if not sender.type.has_advanced_tab:
            return "The Courier Sender carries packages on removable media; it has no retry settings."
        return f"{sender.name} at {self._site.title}. Double-click or press Alt+Enter for its properties."


class SendersList(QWidget):
    """Header line + the list, or a hint when no site is selected.

    ``senderActivated(site_code, SenderType)`` fires on double-click or Enter on a row.
    """

    senderActivated = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendersList")
        self._model = SendersModel(self)
        self._header = pane_title(self, "sendersHeader")

        self._view = pane_view(self, "sendersView", self._model, "Senders")
        self._view.activated.connect(self._on_activated)
        header = self._view.header()
        for column, width in enumerate((190, 190, 110)):
            header.resizeSection(column, width)
        self.grow_columns = True
        """Widen Name/Type/Server to fit each site's text (never narrower); the window turns this off
        when it restored the user's own column widths, and a drag on a column edge turns it off too."""
        self._growing = False
        header.sectionResized.connect(self._on_section_resized)

        self._hint = pane_hint(self, "sendersEmptyHint", EMPTY_HINT)

        self._advisory = QLabel(self)
        self._advisory.setObjectName("sendersAdvisory")
        self._advisory.setTextFormat(Qt.TextFormat.PlainText)
        self._advisory.setWordWrap(True)
        self._advisory.setContentsMargins(4, 4, 4, 4)
        self._advisory_icon = QLabel(self)
        self._advisory_icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(16, 16)
        )
        self._advisory_row = QWidget(self)
        row = QHBoxLayout(self._advisory_row)
        row.setContentsMargins(4, 0, 4, 0)
        row.addWidget(self._advisory_icon, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self._advisory, 1)
        self._advisory_row.hide()

        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self._view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self._stack, 1)
        layout.addWidget(self._advisory_row)
        self.show_site(None)

    @property
    def view(self) -> QTreeView:
        return self._view

    @property
    def model(self) -> SendersModel:
        return self._model

    def set_live_sender(self, site_code: str | None) -> None:
        """Mark the Standard Sender of ``site_code`` as the one the live engine runs (None: no mark)."""
        self._model.set_live_site(site_code)

    def compact_height(self, rows: int) -> int:
        """The pane's height when the list shows ``rows`` rows: title, column header, rows, frame.

        Measured from this widget's own fonts and style (not a pixel constant), so the default split
        suits any font size or DPI.
        """
        row = max(self._view.sizeHintForRow(0), self._view.fontMetrics().height() + 6)
        frame = 2 * self._view.frameWidth()
        return self._header.sizeHint().height() + self._view.header().sizeHint().height() + rows * row + frame

    @property
    def hint_text(self) -> str:
        """What the pane says instead of the list, or "" while the list shows."""
        return self._hint.text() if self._stack.currentWidget() is self._hint else ""

    @property
    def advisory_text(self) -> str:
        """The warning line under the list ("" while no sender of the site trips an advisory)."""
        return self._advisory.text() if not self._advisory_row.isHidden() else ""

    @property
    def header_text(self) -> str:
        return self._header.text()

    def show_site(self, site: Site | None) -> None:
        """List ``site``'s senders, keeping the selected sender when the site stays the same."""
        keep = (
            self.current_sender()
            if site is not None and self._model.site is not None and self._model.site.code == site.code
            else None
        )
        self._model.set_site(site)
        self._show_advisories(site)
        if site is None:
            self._header.setText("Senders")
            self._hint.setText(EMPTY_HINT)
            self._stack.setCurrentWidget(self._hint)
            return
        self._header.setText(f"Senders at {site.title}  \u2014  {site.server}, SMS {site.version.label}")
        if not site.senders:
            self._hint.setText(f"{site.title} has no senders installed.")
            self._stack.setCurrentWidget(self._hint)
            return
        self._stack.setCurrentWidget(self._view)
        if self.grow_columns:
            header = self._view.header()
            self._growing = True
            try:
                for column in range(len(COLUMNS) - 1):
                    wanted = self._view.sizeHintForColumn(column) + 16
                    if wanted > header.sectionSize(column):
                        header.resizeSection(column, wanted)
            finally:
                self._growing = False
        if keep is not None:
            self.select_sender(keep)

    def _show_advisories(self, site: Site | None) -> None:
        """One line per advisory, so the reason for a warning icon is readable without hovering."""
        lines = (
            []
            if site is None
            else [
                f"{sender.name}: {a.title} See {a.kb}; open its properties to change the delay."
                for sender in site.senders
                for a in sender_advisories(site, sender)
            ]
        )
        self._advisory.setText("\n".join(lines))
        self._advisory_row.setAccessibleName("Warning" if lines else "")
        self._advisory_row.setVisible(bool(lines))

    def _on_section_resized(self, column: int, _old: int, _new: int) -> None:
        if not self._growing and column < len(COLUMNS) - 1 and self._view.isVisible():
            self.grow_columns = False  # the user sized it; keep their width

    def current_sender(self) -> SenderType | None:
        index = self._view.currentIndex()
        if not index.isValid() or self._stack.currentWidget() is not self._view:
            return None
        sender = self._model.sender_at(index.row())
        return sender.type if sender is not None else None

    def select_sender(self, kind: SenderType) -> bool:
        row = self._model.row_of(kind)
        if row < 0:
            return False
        self._view.setCurrentIndex(self._model.index(row, 0))
        return True

    def _on_activated(self, index: QModelIndex) -> None:
        sender = self._model.sender_at(index.row())
        site = self._model.site
        if sender is not None and site is not None:
            self.senderActivated.emit(site.code, sender.type)
