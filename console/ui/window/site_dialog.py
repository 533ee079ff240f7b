"""New Site / Edit Site: a small form whose every check is the model's, shown inline as the user types.

The dialog never re-implements a rule. On each edit it builds the ``Site`` (which runs
``check_site_code`` and ``check_server_name``) and asks ``SiteDatabase.put`` whether the result fits
the hierarchy (code in use, parent missing, cycles); the first error is shown under the form and OK
stays disabled until there is none. Empty fields the user has not reached yet get a neutral prompt
rather than a red error, so a fresh dialog does not open by scolding.

A new site gets a Standard Sender and a Courier Sender with default settings (both are installed by
default at an SMS 2.0 site, research/sms-sender.md §2.1). Editing keeps the senders; those that ran
on the site's old server follow it to the new one. Changing the version can make an existing retry
delay trip Q278357: the dialog says so (a warning, never a block), using the model's rule.

The site name is the one rule kept here: the model fills an empty name with the code (a file may omit it),
but a user who clears the name in the form did not ask for that. A name cleared by the user (any name in
Edit Site, a typed-then-emptied one in New Site) gets a note under the field, as the properties sheet
notes a value it did not take, and OK stays disabled until there is a name again.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.sites import Sender, Site, SiteDatabase, check_site_code
from console.model.versions import SiteVersion
from console.ui.common.field_note import FieldNote
from console.ui.window.senders_list import sender_advisories

NO_PARENT = "(none \u2014 a central site)"
NAME_NOTE = "A site needs a name; the site code is not used in its place. Type a name to continue."


def _sentence(message: str) -> str:
    message = message.strip()
    return message[:1].upper() + message[1:] if message else message


def descendants(db: SiteDatabase, code: str) -> set[str]:
    """Codes of every site below ``code`` (its children, their children, ...)."""
    found: set[str] = set()
    todo = [code]
    while todo:
        for child in db.children(todo.pop()):
            if child.code not in found:
                found.add(child.code)
                todo.append(child.code)
    return found


class _Notice(QWidget):
    """Icon + word-wrapped text inside the layout; hidden without leaving a gap."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.PlainText)
        self._text.setObjectName(f"{object_name}Text")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str) -> None:
        """``kind`` is "error", "warning" or "info"; the icon says which (not colour alone)."""
        pixmap = {
            "error": QStyle.StandardPixmap.SP_MessageBoxCritical,
            "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
            "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
        }[kind]
        self._icon.setPixmap(self.style().standardIcon(pixmap).pixmap(16, 16))
        self._text.setText(text)
        self.setAccessibleName({"error": "Error", "warning": "Warning", "info": "Hint"}[kind])
        self.setAccessibleDescription(text)
        self.kind = kind
        self.show()

    def clear(self) -> None:
        self._text.clear()
        self.kind = ""
        self.hide()

    def text(self) -> str:
        return self._text.text() if not self.isHidden() else ""


class SiteDialog(QDialog):
    """Add a site (``site=None``) or edit one. After ``accept()``, ``result_site`` is the validated site."""

    def __init__(
        self,
        database: SiteDatabase,
        site: Site | None = None,
        *,
        default_parent: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("SiteDialog")
        self._db = database
        self._original = site
        self._result: Site | None = None
        self._touched: set[str] = set()
        self.setWindowTitle("New Site" if site is None else f"Edit Site \u2014 {site.title}")

        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("siteCodeEdit")
        self.code_edit.setMaxLength(3)
        self.code_edit.setPlaceholderText("e.g. PRI")
        self.code_edit.setToolTip("Three letters or digits; it names the site everywhere, including request IDs.")
        self.name_edit = QLineEdit(self)
        self.name_edit.setObjectName("siteNameEdit")
        self.name_edit.setPlaceholderText("e.g. Primary Site")
        self.server_edit = QLineEdit(self)
        self.server_edit.setObjectName("siteServerEdit")
        self.server_edit.setMaxLength(17)  # room for a pasted leading \\ that the model strips
        self.server_edit.setPlaceholderText("e.g. PRISRV01")
        self.server_edit.setToolTip("The site server's NetBIOS name: at most 15 characters, no \\ / : * ? \" < > |.")
        self.version_combo = QComboBox(self)
        self.version_combo.setObjectName("siteVersionCombo")
        for version in SiteVersion:
            self.version_combo.addItem(f"SMS {version.label} ({version.build})", version)
        self.version_combo.setToolTip("The SMS 2.0 release installed at the site. Q278357 is fixed from SP4 on.")
        self.parent_combo = QComboBox(self)
        self.parent_combo.setObjectName("siteParentCombo")
        self.parent_combo.setToolTip("The site this site reports to; child sites nest under it in the tree.")

        self.name_note = FieldNote(self)
        self.name_note.setObjectName("siteNameNote")

        form = QFormLayout()
        form.addRow("Site &code:", self.code_edit)
        form.addRow("Site &name:", self.name_edit)
        form.addRow(self.name_note)
        form.setRowVisible(self.name_note, False)
        self._form = form
        form.addRow("Site &server:", self.server_edit)
        form.addRow("SMS &version:", self.version_combo)
        form.addRow("&Parent site:", self.parent_combo)

        self.error = _Notice("siteDialogError", self)
        self.advisory = _Notice("siteDialogAdvisory", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.advisory)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self._fill(site, default_parent)
        self.code_edit.textEdited.connect(self._upper_code)
        for edit, key in ((self.code_edit, "code"), (self.name_edit, "name"), (self.server_edit, "server")):
            edit.textEdited.connect(lambda _t, k=key: self._touched.add(k))
            edit.textChanged.connect(self._validate)
        self.name_edit.textEdited.connect(self._validate)  # after it is marked touched, whatever the signal order
        self.version_combo.currentIndexChanged.connect(self._validate)
        self.parent_combo.currentIndexChanged.connect(self._validate)
        self._validate()
        self.setMinimumWidth(460)

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def result_site(self) -> Site | None:
        """The site to save (set once the form is valid; final after ``accept()``)."""
        return self._result

    @property
    def original_code(self) -> str | None:
        return self._original.code if self._original is not None else None

    def error_text(self) -> str:
        return self.error.text()

    def _fill(self, site: Site | None, default_parent: str | None) -> None:
        excluded: set[str] = set()
        if site is not None:
            excluded = {site.code} | descendants(self._db, site.code)
        self.parent_combo.addItem(NO_PARENT, None)
        for other in self._db:
            if other.code not in excluded:
                self.parent_combo.addItem(other.title, other.code)
        if site is None:
            self.version_combo.setCurrentIndex(self.version_combo.findData(SiteVersion.SP4))
            wanted = default_parent if default_parent in self._db else None
            if wanted is None and self._db.roots():
                wanted = self._db.roots()[0].code
            self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(wanted)))
            return
        self.code_edit.setText(site.code)
        self.name_edit.setText(site.name)
        self.server_edit.setText(site.server)
        self.version_combo.setCurrentIndex(self.version_combo.findData(site.version))
        self.parent_combo.setCurrentIndex(max(0, self.parent_combo.findData(site.parent)))

    def _upper_code(self, text: str) -> None:
        if text != text.upper():
            pos = self.code_edit.cursorPosition()
            self.code_edit.setText(text.upper())
            self.code_edit.setCursorPosition(pos)

    def _candidate(self) -> Site:
        code = self.code_edit.text()
        server = self.server_edit.text()
        version = self.version_combo.currentData()
        parent = self.parent_combo.currentData()
        if self._original is None:
            probe = Site(code, self.name_edit.text(), server, version, parent)
            senders = (
                Sender(SenderType.STANDARD, probe.server, SenderSettings()),
                Sender(SenderType.COURIER, probe.server),
            )
            return replace(probe, senders=senders)
        old = self._original
        probe = Site(code, self.name_edit.text(), server, version, parent)
        senders = tuple(replace(s, server=probe.server) if s.server == old.server else s for s in old.senders)
        return replace(probe, senders=senders)

    def _name_cleared(self) -> bool:
        if self.name_edit.text().strip():
            return False
        return self._original is not None or "name" in self._touched

    def _show_name_note(self, show: bool) -> None:
        self._form.setRowVisible(self.name_note, show)
        self.name_note.set_note(NAME_NOTE if show else "")

    def _validate(self) -> None:
        self._result = None
        name_cleared = self._name_cleared()
        self._show_name_note(name_cleared)
        prompt = self._prompt()
        if prompt:
            self.error.show_message(prompt, "info")
            self.advisory.clear()
            self.ok_button.setEnabled(False)
            return
        try:
            site = self._candidate()
            self._db.put(site, replacing=self.original_code)
        except KeyError as exc:
            self._fail(str(exc.args[0]) if exc.args else str(exc))
            return
        except ValueError as exc:
            self._fail(str(exc))
            return
        self.error.clear()
        self._show_advisories(site)
        if name_cleared:
            self.ok_button.setEnabled(False)
            return
        self._result = site
        self.ok_button.setEnabled(True)

    def _prompt(self) -> str:
        """A neutral "what to enter" line for required fields still empty and not yet typed into.

        A code already typed is checked first, so "AB" is flagged at once rather than after the
        server name has been filled in too.
        """
        code = self.code_edit.text().strip()
        if not code and "code" not in self._touched:
            return "Enter a site code: three letters or digits, e.g. PRI."
        if code and not self.server_edit.text().strip() and "server" not in self._touched:
            try:
                check_site_code(code)
            except ValueError:
                return ""  # let _validate show the model's error for the code
            return "Enter the name of the site server, e.g. PRISRV01."
        return ""

    def _fail(self, message: str) -> None:
        self.error.show_message(_sentence(message) + ("" if message.rstrip().endswith(".") else "."), "error")
        self.advisory.clear()
        self.ok_button.setEnabled(False)

    def _show_advisories(self, site: Site) -> None:
        lines = [
            f"{sender.name}: {a.title} See {a.kb}." for sender in site.senders for a in sender_advisories(site, sender)
        ]
        if lines:
            self.advisory.show_message("\n".join(lines), "warning")
        else:
            self.advisory.clear()

    def accept(self) -> None:
        self._validate()
        if self._result is None:
            return
        super().accept()
