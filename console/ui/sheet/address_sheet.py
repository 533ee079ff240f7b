"""The SMS 2.0 "Standard Sender Address Properties" sheet: General, Schedule and Rate Limits tabs.

The same rules as the sender sheet (``properties_sheet``):
* Apply is enabled only while what the tabs show differs from the last saved address (a new address counts as
  a change until it is created); editing a value back disables it again; after a successful Apply it is off.
* Cancel (or Escape) drops what was not applied; OK (or Enter) applies, then closes.
* Refused input shows a note under its field (a server name the rule refuses, a priority out of range or
  already used to that destination, a percentage out of range); while any note shows, OK and Apply are off
  and ``apply()`` saves nothing.
* Saves go through the ``SiteSession`` (``add_address``/``edit_address``): validated by the model, written
  atomically, merged with changes made elsewhere; a change to the same address made elsewhere is asked about
  (``resolve_conflict``), and a failed write keeps the edits in the sheet.
* The sheet follows the session: an address changed elsewhere becomes the new baseline for Apply and refills
  the tabs only if the user has not started editing.

A new address (``key`` None) opens the same sheet with the destination to choose, as SMS 2.0's New → Standard
Sender Address does; once it is created (Apply), the destination is fixed like any existing address's.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QMessageBox, QTabWidget, QVBoxLayout, QWidget

from console.model.addresses import Address, RateLimit, WeeklySchedule
from console.model.site_merge import SaveConflict
from console.model.site_session import SiteChange, SiteSession
from console.model.sites import AddressKey, address_key
from console.ui.common.help_viewer import HelpViewer, show_help
from console.ui.common.icons import app_icon
from console.ui.common.save_conflict import resolve_conflict
from console.ui.sheet.address_general_page import AddressGeneralPage
from console.ui.sheet.rate_limit_page import RateLimitPage
from console.ui.sheet.schedule_page import SchedulePage
from console.ui.sheet.sheet_buttons import sheet_buttons

TITLE = "Standard Sender Address Properties"
NEW_TITLE = "New Standard Sender Address"
HELP_PAGE = "address-properties.html"
NOTED_TOOLTIP = "A field shows a note about what it did not take; correct that value first."


class AddressPropertiesDialog(QDialog):
    """``addressApplied(Address)`` fires after each successful save."""

    addressApplied = Signal(object)

    def __init__(
        self, session: SiteSession, from_site: str, key: AddressKey | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AddressPropertiesDialog")
        self._session = session
        db = session.database
        self._from = db.get(from_site).code  # KeyError with a message for an unknown site
        self._saved: Address | None = db.address(*key) if key is not None else None
        self._help: HelpViewer | None = None
        self._applying = False
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

        saved = self._saved
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("addressTabs")
        self.general_page = AddressGeneralPage(
            db,
            self._from,
            saved.dest if saved else None,
            saved.priority if saved else 1,
            saved.server if saved else "",
            self.tabs,
        )
        self.schedule_page = SchedulePage(
            saved.schedule if saved else WeeklySchedule(), saved.substitute if saved else True, self.tabs
        )
        self.rate_page = RateLimitPage(saved.rate_limit if saved else RateLimit(), self.tabs)
        self.tabs.addTab(self.general_page, "&General")
        self.tabs.addTab(self.schedule_page, "&Schedule")
        self.tabs.addTab(self.rate_page, "&Rate Limits")

        buttons, self.ok_button, self.cancel_button, self.apply_button, self.help_button = sheet_buttons(
            self, self.apply, self.show_help
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)

        for page in (self.general_page, self.schedule_page, self.rate_page):
            page.edited.connect(self._update_buttons)
        self.general_page.notesChanged.connect(self._update_buttons)
        self.rate_page.notesChanged.connect(self._update_buttons)
        self._update_title()
        self._update_buttons()
        unsubscribe = session.subscribe(self._on_site_change)
        self.destroyed.connect(lambda *_: unsubscribe())

    # -- public ---------------------------------------------------------------------------------

    @property
    def from_site(self) -> str:
        return self._from

    @property
    def key(self) -> AddressKey | None:
        """The saved address's (from, destination, priority); None until a new address is created."""
        return address_key(self._saved) if self._saved is not None else None

    @property
    def saved_address(self) -> Address | None:
        return self._saved

    def notes(self) -> dict[str, str]:
        return {**self.general_page.notes(), **self.rate_page.notes()}

    def edited_address(self) -> Address:
        """What the tabs show, as an address; AddressError (or ValueError) when a field breaks a rule."""
        return Address(
            self._from,
            self.general_page.dest(),
            self.general_page.priority(),
            self.general_page.server(),
            substitute=self.schedule_page.substitute(),
            schedule=self.schedule_page.schedule(),
            rate_limit=self.rate_page.rate_limit(),
        )

    def is_dirty(self) -> bool:
        if self._saved is None:
            return True
        try:
            return self.edited_address() != self._saved
        except ValueError:
            return True  # a value the model refuses is an edit, not yet a valid one

    def apply(self) -> bool:
        """Save what the tabs show; True when saved (or nothing to save), False after a refusal or failure."""
        self.general_page.priority_spin.interpretText()
        self._update_buttons()
        if self.notes():
            self._show_first_note()
            return False
        if not self.is_dirty():
            return True
        try:
            address = self.edited_address()
        except ValueError as exc:
            self._report(f"The address could not be saved: {exc}.\n\nYour changes are still in the dialog.")
            return False
        try:
            self._applying = True
            if self._saved is None:
                stored = self._session.add_address(address)
            else:
                stored = self._session.edit_address(address_key(self._saved), address)
        except SaveConflict as conflict:
            self._applying = False
            if not resolve_conflict(self, self._session, conflict, TITLE):
                return False
            stored = self._session.database.address(*address_key(address))
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            self._report(
                f"The address could not be saved: {exc.strerror or exc}{where}.\n\n"
                "Your changes are still in the dialog. Fix the problem and click Apply again, "
                "or click Cancel to discard them."
            )
            return False
        except (KeyError, ValueError) as exc:
            message = exc.args[0] if exc.args else str(exc)
            self._report(f"The address could not be saved: {message}.\n\nYour changes are still in the dialog.")
            return False
        finally:
            self._applying = False
        self._adopt(stored, fields=True)
        self.addressApplied.emit(stored)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def show_help(self) -> HelpViewer:
        self._help = show_help(HELP_PAGE, TITLE, self, self._help)
        return self._help

    # -- internals ------------------------------------------------------------------------------

    def _adopt(self, address: Address, *, fields: bool) -> None:
        """Make ``address`` the saved baseline; ``fields`` refills the tabs with it."""
        self._saved = address
        self.general_page.set_database(self._session.database)
        self.general_page.set_saved(address.dest, address.priority, address.server, fields=fields)
        if fields:
            self.schedule_page.set_values(address.schedule, address.substitute)
            self.rate_page.set_rate_limit(address.rate_limit)
        self._update_title()
        self._update_buttons()

    def _on_site_change(self, change: SiteChange) -> None:
        """Follow the session: a changed address becomes the baseline; untouched tabs show it."""
        if not shiboken6.isValid(self) or self._applying:
            return
        self.general_page.set_database(self._session.database)
        key = self.key
        if key is not None and change.kind == "address-edited" and change.old_address == key and change.address:
            key = change.address
        if key is None or change.kind != "address-edited" or change.address != key:
            self._update_buttons()
            return
        try:
            now = self._session.database.address(*key)
        except KeyError:
            return
        untouched = not self.is_dirty()
        self._adopt(now, fields=untouched)

    def _update_title(self) -> None:
        if self._saved is None:
            self.setWindowTitle(f"{NEW_TITLE} \u2014 {self._from}")
        else:
            self.setWindowTitle(f"{TITLE} \u2014 {self._saved.title}")
        self.setAccessibleName(self.windowTitle())

    def _update_buttons(self) -> None:
        noted = bool(self.notes())
        self.apply_button.setEnabled(self.is_dirty() and not noted)
        self.ok_button.setEnabled(not noted)
        self.apply_button.setToolTip(NOTED_TOOLTIP if noted else "")
        self.ok_button.setToolTip(NOTED_TOOLTIP if noted else "")

    def _show_first_note(self) -> None:
        notes = self.notes()
        if "percent" in notes and len(notes) == 1:
            self.tabs.setCurrentWidget(self.rate_page)
            self.rate_page.percent_spin.setFocus()
            return
        self.tabs.setCurrentWidget(self.general_page)
        widget = self.general_page.priority_spin if "priority" in notes else self.general_page.server_edit
        widget.setFocus()

    def _report(self, text: str) -> None:
        QMessageBox.critical(self, TITLE, text)


__all__ = ["HELP_PAGE", "NEW_TITLE", "TITLE", "AddressPropertiesDialog"]
