"""The details pane for Site Settings → Addresses: the addresses of the selected site's senders.

Columns as an administrator scans them: Destination, Type (the sender the address is for), Priority (the order
the sender tries addresses to one destination), Server, a one-line Schedule summary and the Rate limit
(``WeeklySchedule.summary`` and ``RateLimit.summary``: the model's words, never re-derived here). An address
that holds some packages back (a schedule that is not open all week, or a rate limit) shows the standard
information icon, so the teaching cases of the demo stand out. A site without addresses says how to add one
instead of showing an empty grid, because a site without addresses sends nothing.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QStackedWidget,
    QStyle,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from console.model.addresses import Address
from console.model.sites import AddressKey, Site, SiteDatabase, address_key
from console.ui.window.list_pane import pane_hint, pane_title, pane_view

COLUMNS = ("Destination", "Type", "Priority", "Server", "Schedule", "Rate limit")
_COLUMN_TIPS = (
    "The site this address sends to",
    "The sender that uses this address",
    "Relative address priority: 1 is tried first, the next when it fails",
    "The destination's site server the sender connects to",
    "When the address is open, and for which data priorities",
    "The share of each hour the sender may use on this address",
)
NO_ADDRESSES = (
    "{title} has no addresses, so its sender sends nothing. Use Action \u25b8 New Address\u2026 to add one "
    "(SMS 2.0 adds one each way between a parent and its child)."
)


class AddressesModel(QAbstractTableModel):
    """One row per address of one site, in the order the sender tries them per destination."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Address] = []
        self._titles: dict[str, str] = {}

    def set_addresses(self, db: SiteDatabase | None, code: str | None) -> None:
        self.beginResetModel()
        self._rows = db.addresses_from(code) if db is not None and code is not None else []
        self._titles = {s.code: s.title for s in db} if db is not None else {}
        self.endResetModel()

    def address_at(self, row: int) -> Address | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: AddressKey) -> int:
        return next((i for i, a in enumerate(self._rows) if address_key(a) == key), -1)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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
        a = self.address_at(index.row()) if index.isValid() else None
        if a is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                self._titles.get(a.dest, a.dest),
                a.sender_type.display_name,
                str(a.priority),
                a.server,
                a.schedule.summary(),
                a.rate_limit.summary(),
            )[index.column()]
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 0:
            limited = not a.schedule.is_always_open or not a.rate_limit.is_unlimited
            pixmap = (
                QStyle.StandardPixmap.SP_MessageBoxInformation if limited else QStyle.StandardPixmap.SP_DriveNetIcon
            )
            return QApplication.style().standardIcon(pixmap)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"Address of {a.from_site} to {a.dest}, relative priority {a.priority}, server {a.server}"]
            if not a.schedule.is_always_open or not a.rate_limit.is_unlimited:
                lines.append("(The information icon marks an address with a schedule or a rate limit.)")
            lines.append(f"Schedule: {a.schedule.summary()}")
            lines.append(f"Rate limit: {a.rate_limit.summary()}")
            if not a.substitute:
                lines.append("Unavailable to substitute for inoperative addresses")
            lines.append("Double-click or press Alt+Enter for its properties.")
            return "\n".join(lines)
        return None


SCHEDULE_COLUMN = 4
SUMMARY_MAX_PX = 260


class AddressesList(QWidget):
    """Header line + the list, or a hint. ``addressActivated(key)`` on double-click or Enter on a row."""

    addressActivated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("addressesList")
        self._code: str | None = None
        self._model = AddressesModel(self)
        self._header = pane_title(self, "addressesHeader", "Addresses")
        self._view = pane_view(self, "addressesView", self._model, "Addresses")
        self._view.activated.connect(self._on_activated)
        self._hint = pane_hint(self, "addressesEmptyHint")
        self._stack = QStackedWidget(self)
        self._stack.addWidget(self._hint)
        self._stack.addWidget(self._view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self._stack, 1)

    @property
    def view(self) -> QTreeView:
        return self._view

    @property
    def model(self) -> AddressesModel:
        return self._model

    @property
    def site_code(self) -> str | None:
        return self._code

    @property
    def header_text(self) -> str:
        return self._header.text()

    @property
    def hint_text(self) -> str:
        return self._hint.text() if self._stack.currentWidget() is self._hint else ""

    def show_site(self, db: SiteDatabase, site: Site | None) -> None:
        """List ``site``'s addresses, keeping the selected one when it is still there."""
        keep = self.current_address() if site is not None and site.code == self._code else None
        self._code = site.code if site is not None else None
        self._model.set_addresses(db, self._code)
        if site is None:
            self._header.setText("Addresses")
            self._hint.setText("Select a site's Site Settings \u25b8 Addresses folder to list its addresses.")
            self._stack.setCurrentWidget(self._hint)
            return
        self._header.setText(f"Addresses of {site.title}  \u2014  where its sender sends and forwards packages")
        if not self._model.rowCount():
            self._hint.setText(NO_ADDRESSES.format(title=site.title))
            self._stack.setCurrentWidget(self._hint)
            return
        self._stack.setCurrentWidget(self._view)
        header = self._view.header()
        for column in range(len(COLUMNS) - 1):
            wanted = max(header.sectionSize(column), self._view.sizeHintForColumn(column) + 16)
            # A long schedule summary is cut (its tooltip has it whole) so the rate limit stays in view.
            header.resizeSection(column, min(wanted, SUMMARY_MAX_PX) if column == SCHEDULE_COLUMN else wanted)
        if keep is None or not self.select_address(keep):
            self._view.setCurrentIndex(self._model.index(0, 0))

    def current_address(self) -> AddressKey | None:
        index = self._view.currentIndex()
        if not index.isValid() or self._stack.currentWidget() is not self._view:
            return None
        a = self._model.address_at(index.row())
        return address_key(a) if a is not None else None

    def select_address(self, key: AddressKey) -> bool:
        row = self._model.row_of(key)
        if row < 0:
            return False
        self._view.setCurrentIndex(self._model.index(row, 0))
        return True

    def _on_activated(self, index: QModelIndex) -> None:
        a = self._model.address_at(index.row())
        if a is not None:
            self.addressActivated.emit(address_key(a))


__all__ = ["COLUMNS", "AddressesList", "AddressesModel"]
