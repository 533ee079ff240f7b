"""The General tab of a Standard Sender address (research/sms-sender.md §1.5, §8): where it goes and how.

Fields as in SMS 2.0: Destination site code (a list for a new address, fixed once the address exists),
Relative address priority (1 is tried first; a number is used once per destination), and the Destination
access group with the Site server name (1 to 15 characters, none of " / \\ [ ] : ; | = + * ? , < >) and the
Windows NT account. The account is shown but not modelled: the simulation connects without one.

Refused input is never silent (the sheet's rule): a server name the rule refuses, and a priority that is out
of range or already taken, each get a note under the field, and the sheet holds OK and Apply back while any
note shows. Typing is kept as typed; nothing here corrects it behind the user's back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.model.addresses import MAX_ADDRESS_PRIORITY
from console.model.sender_settings import Field
from console.model.site_names import SERVER_FORBIDDEN, ServerNameError, check_server_name
from console.model.sites import SiteDatabase
from console.ui.common.field_note import FieldNote
from console.ui.common.range_spin_box import RangeSpinBox

PRIORITY_FIELD = Field("priority", "Relative address priority", 1, 1, MAX_ADDRESS_PRIORITY)
PRIORITY_HINT = "1 is tried first; if it fails, the next is used. Each number is used once per destination."
SERVER_HINT = f"1 to 15 characters, none of {' '.join(SERVER_FORBIDDEN)}"
ACCOUNT_TOOLTIP = "Sender Console does not model accounts: the simulated sender connects without one."


def server_note(text: str) -> str:
    """The note under Site server name for ``text`` ("" when the name is acceptable)."""
    try:
        check_server_name(text)
    except ServerNameError as exc:
        return f"{str(exc)[0].upper()}{str(exc)[1:]}. A site server name is {SERVER_HINT}."
    return ""


class AddressGeneralPage(QWidget):
    """``edited`` on every change of a field; ``notesChanged`` when a note appears, changes or clears."""

    edited = Signal()
    notesChanged = Signal()

    def __init__(
        self, db: SiteDatabase, from_site: str, dest: str | None, priority: int, server: str, parent: QWidget | None
    ) -> None:
        """``dest`` None: a new address, whose destination is chosen here."""
        super().__init__(parent)
        self.setObjectName("addressGeneralTab")
        self._db = db
        self._from = from_site
        self._key_priority: int | None = priority if dest is not None else None
        """The priority the saved address has (its own number is never "taken")."""
        self._server_touched = dest is not None
        self._priority_touched = dest is not None

        self.sending_label = QLabel(db.get(from_site).title, self)
        self.sending_label.setObjectName("addressSendingSite")
        self.dest_combo = QComboBox(self)
        self.dest_combo.setObjectName("destinationCombo")
        self.dest_label = QLabel(self)
        self.dest_label.setObjectName("destinationLabel")
        self.dest_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        for site in db:
            if site.code != from_site:
                self.dest_combo.addItem(site.title, site.code)
        self.dest_combo.setAccessibleName("Destination site code")

        self.priority_spin = RangeSpinBox(PRIORITY_FIELD, self)
        self.priority_spin.setObjectName("addressPrioritySpin")
        self.priority_spin.setAccessibleName(PRIORITY_FIELD.label)
        self.priority_spin.setValue(priority)
        self.priority_spin.setFixedWidth(self.fontMetrics().horizontalAdvance("999") + 48)
        self.priority_note = FieldNote(self)
        self.priority_note.setObjectName("priorityNote")
        priority_hint = QLabel(PRIORITY_HINT, self)
        priority_hint.setObjectName("priorityHint")
        priority_hint.setWordWrap(True)
        priority_hint.setEnabled(False)

        self.server_edit = QLineEdit(server, self)
        self.server_edit.setObjectName("siteServerEdit")
        self.server_edit.setAccessibleName("Site server name")
        self.server_edit.setFixedWidth(self.fontMetrics().averageCharWidth() * 24)
        self.server_edit.setToolTip(f"The destination site server's name: {SERVER_HINT}.")
        self.server_note = FieldNote(self)
        self.server_note.setObjectName("serverNote")
        account_row = QHBoxLayout()
        self.account_label = QLabel("(the site server's connection account)", self)
        self.account_label.setEnabled(False)
        self.account_button = QPushButton("Set\u2026", self)
        self.account_button.setObjectName("accountSetButton")
        self.account_button.setEnabled(False)
        self.account_button.setToolTip(ACCOUNT_TOOLTIP)
        self.account_label.setToolTip(ACCOUNT_TOOLTIP)
        account_row.addWidget(self.account_label, 1)
        account_row.addWidget(self.account_button)

        form = QFormLayout()
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        form.addRow("Sending site:", self.sending_label)
        dest_row = QHBoxLayout()
        dest_row.setContentsMargins(0, 0, 0, 0)
        dest_row.addWidget(self.dest_combo, 1)
        dest_row.addWidget(self.dest_label, 1)
        dest_caption = QLabel("&Destination site code:", self)
        dest_caption.setBuddy(self.dest_combo)
        form.addRow(dest_caption, dest_row)
        self._dest_fixed = dest or ""
        if dest is None:
            self.dest_label.hide()
        else:
            self.dest_combo.hide()
            self.dest_label.setText(db.get(dest).title)
        form.addRow("Relative address &priority:", self.priority_spin)
        form.addRow("", priority_hint)
        form.addRow(self.priority_note)
        access = QGroupBox("Destination access", self)
        access_form = QFormLayout(access)
        access_form.setHorizontalSpacing(16)
        access_form.addRow("Site &server name:", self.server_edit)
        access_form.addRow(self.server_note)
        access_form.addRow("Windows NT account:", account_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(form)
        layout.addWidget(access)
        layout.addStretch(1)

        self.dest_combo.currentIndexChanged.connect(self._on_dest_changed)
        self.priority_spin.valueChanged.connect(self._on_priority_edited)
        self.priority_spin.noteChanged.connect(lambda _n: self._check())
        self.server_edit.textEdited.connect(self._on_server_edited)
        if dest is None:
            self._on_dest_changed()
        self._check()

    # -- what the page holds --------------------------------------------------------------------

    @property
    def is_new(self) -> bool:
        return self._key_priority is None and not self.dest_combo.isHidden()

    def dest(self) -> str:
        return str(self.dest_combo.currentData()) if not self.dest_combo.isHidden() else self._dest_fixed

    def priority(self) -> int:
        return self.priority_spin.value()

    def server(self) -> str:
        return self.server_edit.text()

    def notes(self) -> dict[str, str]:
        """The notes on show, by field ("priority", "server")."""
        shown = {"priority": self.priority_note.text, "server": self.server_note.text}
        return {k: v for k, v in shown.items() if v}

    def set_database(self, db: SiteDatabase) -> None:
        """Re-check against a database changed elsewhere (a priority may have been taken meanwhile)."""
        self._db = db
        self._check()

    def set_saved(self, dest: str, priority: int, server: str, *, fields: bool) -> None:
        """After a save (or a change elsewhere): the destination is fixed; ``fields`` also refills the fields."""
        self._dest_fixed = dest
        self._key_priority = priority
        self.dest_combo.hide()
        self.dest_label.setText(self._db.get(dest).title if dest in self._db else dest)
        self.dest_label.show()
        if fields:
            self.priority_spin.setValue(priority)
            self.server_edit.setText(server)
        self._check()

    # -- internals ------------------------------------------------------------------------------

    def _taken_by(self, priority: int) -> bool:
        if priority == self._key_priority:
            return False
        dest = self.dest()
        return any(a.priority == priority for a in self._db.addresses_from(self._from) if a.dest == dest)

    def _on_dest_changed(self, _index: int = -1) -> None:
        """A new address follows its destination: its server and the next free priority, until typed over."""
        dest = self.dest()
        if dest not in self._db:
            return
        if not self._server_touched:
            self.server_edit.setText(self._db.get(dest).server)
        if not self._priority_touched:
            self.priority_spin.blockSignals(True)
            self.priority_spin.setValue(self._db.next_free_priority(self._from, dest))
            self.priority_spin.blockSignals(False)
        self._check()
        self.edited.emit()

    def _on_priority_edited(self, _value: int) -> None:
        self._priority_touched = True
        self._check()
        self.edited.emit()

    def _on_server_edited(self, _text: str) -> None:
        self._server_touched = True
        self._check()
        self.edited.emit()

    def _check(self) -> None:
        before = self.notes()
        priority = self.priority_spin.value()
        note = self.priority_spin.note
        if not note and self._taken_by(priority):
            free = self._db.next_free_priority(self._from, self.dest())
            note = (
                f"Relative address priority {priority} is already used by another address from {self._from} to "
                f"{self.dest()}; each priority is used once per destination. {free} is free."
            )
        self.priority_note.set_note(note)
        self.server_note.set_note(server_note(self.server_edit.text()))
        if self.notes() != before:
            self.notesChanged.emit()


__all__ = ["PRIORITY_FIELD", "AddressGeneralPage", "server_note"]
