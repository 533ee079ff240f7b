"""Addresses in the console window: the details pane for Site Settings → Addresses, New Address…, Delete Address
and the Address Properties sheets.

The right pane shows the senders list or the addresses list, whichever the tree's selection is about; both sit
in one stacked widget, so the splitter holds what it always held and a saved layout still fits. Address sheets
are modeless like sender sheets: one per address (and one New Address sheet per site); asking again raises it.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMessageBox, QStackedWidget, QStyle

from console.model.addresses import Address
from console.model.sites import AddressKey, address_key
from console.ui.window.address_list import AddressesList
from console.ui.window.site_tree import NodeKind, NodeRef

SheetKey = tuple[str, str, int] | tuple[str, str]
"""An address's key, or ("new", site code) for a New Address sheet."""


class AddressCommandsMixin:
    """The address half of ``ConsoleMainWindow`` (mixed in before QMainWindow)."""

    def _build_details(self) -> QStackedWidget:
        """The right pane's upper part: the senders list, or the addresses list for an Addresses node."""
        self._address_sheets: dict[SheetKey, QDialog] = {}
        self.addresses = AddressesList(self)  # type: ignore[arg-type]
        # The pane's floor is the senders list's (the live console lowers it to give the plots room); the stack
        # takes the larger of its pages' minimums, so this page must not set one of its own.
        self.addresses.setMinimumHeight(1)
        self.details = QStackedWidget(self)  # type: ignore[arg-type]
        self.details.setObjectName("detailsPane")
        self.details.addWidget(self.senders)
        self.details.addWidget(self.addresses)
        self.addresses.addressActivated.connect(self.open_address_properties)
        self.addresses.view.selectionModel().currentChanged.connect(lambda *_: self._update_actions())
        return self.details

    def _build_address_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.action_new_address = QAction(self.style().standardIcon(sp.SP_FileIcon), "New &Address\u2026", self)
        self.action_new_address.setStatusTip("Add an address from the selected site to another site")
        self.action_new_address.triggered.connect(lambda _c=False: self.new_address())
        self.action_delete_address = QAction(self.style().standardIcon(sp.SP_TrashIcon), "Delete Add&ress", self)
        self.action_delete_address.setStatusTip("Remove the selected address")
        self.action_delete_address.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.action_delete_address.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_delete_address.triggered.connect(lambda _c=False: self.delete_address())
        self.addresses.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        separator = QAction(self)
        separator.setSeparator(True)
        self.addresses.view.addActions(
            [self.action_properties, separator, self.action_new_address, self.action_delete_address]
        )

    def _add_address_menus(self) -> None:
        self.menu_action.addSeparator()
        self.menu_action.addAction(self.action_new_address)
        self.menu_action.addAction(self.action_delete_address)

    def _show_details(self, ref: NodeRef | None) -> None:
        if ref is not None and ref.kind is NodeKind.ADDRESSES:
            self.addresses.show_site(self.session.database, self.selected_site())
            self.details.setCurrentWidget(self.addresses)
        else:
            self.details.setCurrentWidget(self.senders)

    def _showing_addresses(self) -> bool:
        return self.details.currentWidget() is self.addresses

    def _address_target(self) -> AddressKey | None:
        return self.addresses.current_address() if self._showing_addresses() else None

    def _update_address_actions(self) -> None:
        self.action_new_address.setEnabled(self.selected_site() is not None and len(self.session.database) > 1)
        self.action_delete_address.setEnabled(self._address_target() is not None)

    def properties_of_selection(self) -> QDialog | None:
        """Action → Properties: the selected address's sheet on an Addresses node, else the sender's."""
        key = self._address_target()
        return self.open_address_properties(key) if key is not None else self.open_properties()

    # ---------------------------------------------------------------------------------------- sheets

    def open_address_properties(self, key: AddressKey | None = None, from_site: str | None = None) -> QDialog | None:
        """Open (or raise) the sheet of address ``key``; without a key, a New Address sheet for ``from_site``."""
        from console.ui.sheet.address_sheet import AddressPropertiesDialog

        if key is None and from_site is None:
            return None
        sheet_key: SheetKey = key if key is not None else ("new", str(from_site))
        existing = self._address_sheets.get(sheet_key)
        if existing is not None and shiboken6.isValid(existing):
            existing.show()
            existing.raise_()
            existing.activateWindow()
            return existing
        try:
            sheet = AddressPropertiesDialog(self.session, key[0] if key else str(from_site), key, parent=self)
        except KeyError as exc:
            QMessageBox.warning(self, "Address Properties", str(exc.args[0] if exc.args else exc))
            return None
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.finished.connect(lambda _r, k=sheet_key: self._address_sheets.pop(k, None))
        sheet.addressApplied.connect(self._address_saved)
        self._address_sheets[sheet_key] = sheet
        sheet.show()
        return sheet

    def open_address_sheets(self) -> dict[SheetKey, QDialog]:
        return {k: v for k, v in self._address_sheets.items() if shiboken6.isValid(v)}

    def address_sheets_of(self, code: str) -> list[str]:
        """Titles of the open address sheets that involve site ``code`` (either end)."""
        return [
            sheet.windowTitle()
            for key, sheet in self.open_address_sheets().items()
            if code in (key[1:2] if key[0] == "new" else key[:2])
        ]

    def _address_saved(self, address: Address) -> None:
        """Say so, and select it in the list (a new address would otherwise sit unselected among the others)."""
        self.statusBar().showMessage(f"Saved the address {address.title}.", 5000)
        self.addresses.select_address(address_key(address))

    def new_address(self) -> QDialog | None:
        site = self.selected_site()
        if site is None:
            return None
        return self.open_address_properties(None, from_site=site.code)

    def delete_address(self) -> bool:
        key = self._address_target()
        if key is None:
            return False
        title = f"{key[0]} \u2192 {key[1]} ({key[2]})"
        if key in self.open_address_sheets():
            QMessageBox.information(
                self, "Delete Address", f"The properties of the address {title} are open. Close them first."
            )
            return False
        answer = QMessageBox.question(
            self,
            "Delete Address",
            f"Delete the address {title}? {key[0]} then sends to {key[1]} only through its other addresses, "
            f"or by way of another site.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not self._commit(lambda: self.session.remove_address(key), "Delete Address"):
            return False
        self.statusBar().showMessage(f"Deleted the address {title}.", 5000)
        return True


__all__ = ["AddressCommandsMixin"]
