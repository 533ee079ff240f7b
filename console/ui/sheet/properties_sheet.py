"""The SMS 2.0 "Standard Sender Properties" sheet (General + Advanced), with OK / Cancel / Apply / Help.

Semantics follow the Windows property-sheet convention (research/anchors-ui.md §E):

* Apply is enabled only while the values on the page differ from the *last saved* ones, so editing a
  value back to what is saved disables it again; after a successful Apply it is disabled.
* Cancel (or Escape) drops whatever was not applied; OK (or Enter) applies, then closes.
* Every save goes through ``SiteSession.update_sender_settings`` (validated by the model, written
  atomically, announced to listeners). If the write fails (``OSError``: read-only folder, full disk)
  the user gets a message naming the file, and the dialog stays open with the edits intact.
* Before a value is read for saving, every spin box re-interprets its text with its own range, so
  typed text that is not a valid value can never be saved (it reverts to the last valid value).
* Typing that a field refuses is never silent (``console.ui.common.range_spin_box``): "150" in a 1-99 field
  leaves "15" *and* a note under the field saying what it accepts; a typed "0" that goes back to the
  previous value gets one too. While any such note shows, Apply and OK are disabled and ``apply()``
  saves nothing, so a value the user did not type cannot be saved by an Enter pressed one keystroke
  too early. The note clears when the user edits that field again (see the spin box for the rule), or
  when the program sets the field's value (the advisory's quick fix, a reload).
* OK, Apply and the Q278357 advisory follow the text the user sees: while a field holds text that is not
  a value in its range yet ("0"), OK and Apply are disabled and the advisory speaks of no value. (An emptied
  field is the exception: it stands for the value it goes back to, so it blocks nothing.)

Mnemonic clash decided here: Windows reserves Alt+A for Apply in every property sheet, so the Advanced
tab is "A&dvanced" (Alt+D) rather than "&Advanced"; with both on A, Qt would make Alt+A ambiguous and
alternate between them on each press.
"""

from __future__ import annotations

import itertools

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWhatsThis,
    QWidget,
)

from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sender_types import SenderType
from console.model.site_merge import SaveConflict
from console.model.site_session import SiteChange, SiteSession
from console.model.sites import Sender, Site
from console.ui.common.help_viewer import HelpViewer, show_help
from console.ui.common.icons import app_icon
from console.ui.common.save_conflict import resolve_conflict
from console.ui.sheet.sender_advanced_page import SenderAdvancedPage
from console.ui.sheet.sender_general_page import SenderGeneralPage
from console.ui.sheet.sheet_buttons import sheet_buttons

HELP_PAGE = "sender-properties.html"
GENERAL_TAB_TEXT = "&General"
ADVANCED_TAB_TEXT = "A&dvanced"
NOTED_TOOLTIP = "A field shows a note about what it did not take; edit that value first."
UNFINISHED_TOOLTIP = "A field holds text that is not a value in its range yet; finish or correct it first."
SHEET_WIDTH_CHARS = 68
"""Width of the sheet in average characters: wide enough that the Q278357 advisory wraps to a readable
block beside the fields, narrow enough to look like the compact SMS 2.0 property sheet."""


def sheet_title(kind: SenderType) -> str:
    return f"{kind.display_name} Properties"


def _scope_label(text: str, parent: QWidget) -> QLabel:
    """One line above the tabs saying whose settings these are (word-wrapped to the sheet's fixed width)."""
    label = QLabel(text, parent)
    label.setObjectName("sheetScopeNote")
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setFixedWidth(parent.fontMetrics().averageCharWidth() * SHEET_WIDTH_CHARS)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _sender_of(site: Site, kind: SenderType) -> Sender:
    """The site's sender of this type; a sender not yet installed is shown with its defaults."""
    found = site.sender(kind)
    if found is not None:
        return found
    settings = SenderSettings.for_ras() if kind.is_ras else SenderSettings()
    return Sender(kind, site.server, settings)


class SenderPropertiesDialog(QDialog):
    """``settingsApplied(site_code, SenderType, SenderSettings)`` fires after each successful save."""

    settingsApplied = Signal(str, object, object)

    def __init__(
        self,
        session: SiteSession,
        site_code: str,
        sender_type: SenderType = SenderType.STANDARD,
        parent: QWidget | None = None,
        *,
        scope_title: str = "",
        scope_note: str = "",
        heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN,
    ) -> None:
        """``scope_title`` is added to the window title and ``scope_note`` shown above the tabs when the
        sheet edits something other than the user's site database (the live console's scenario sender);
        ``heartbeat_timeout_min`` is that scenario's time-out, for the Q278357 advisory."""
        super().__init__(parent)
        self.setObjectName("SenderPropertiesDialog")
        self._session = session
        self._kind = sender_type
        site = session.site(site_code)  # KeyError with a message for an unknown code
        self._code = site.code
        sender = _sender_of(site, sender_type)
        self._saved = sender.settings
        self._help: HelpViewer | None = None

        self.setWindowTitle(sheet_title(sender_type) + (f" \u2014 {scope_title}" if scope_title else ""))
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("senderTabs")
        # One width whatever the page or the advisory shows: only the height follows the content.
        self.tabs.setFixedWidth(self.fontMetrics().averageCharWidth() * SHEET_WIDTH_CHARS)
        self.general_page = SenderGeneralPage(site, sender, self.tabs)
        self.tabs.addTab(self.general_page, GENERAL_TAB_TEXT)
        self.advanced_page: SenderAdvancedPage | None = None
        if sender_type.has_advanced_tab:
            self.advanced_page = SenderAdvancedPage(
                sender_type, site.version, sender.settings, self.tabs, heartbeat_timeout_min=heartbeat_timeout_min
            )
            self.tabs.addTab(self.advanced_page, ADVANCED_TAB_TEXT)
            self.advanced_page.edited.connect(self._update_apply)
            self.advanced_page.notesChanged.connect(self._update_apply)
            self.advanced_page.notesChanged.connect(self._refit)
            self.advanced_page.advisory.shownChanged.connect(self._refit)

        buttons, self.ok_button, self.cancel_button, self.apply_button, self.help_button = sheet_buttons(
            self, self.apply, self.show_help
        )
        self.buttons = buttons

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.setSpacing(10)
        self.scope_label: QLabel | None = None
        if scope_note:
            self.scope_label = _scope_label(scope_note, self)
            layout.addWidget(self.scope_label)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        # A property sheet has a fixed size that follows its content: it grows when the advisory shows
        # and shrinks back when it hides, with no gap and no manual resizing.
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        # Qt 6 dialogs have no title-bar "?" button; Shift+F1 is the other standard way into What's This.
        self.whats_this_action = QWhatsThis.createAction(self)
        self.addAction(self.whats_this_action)
        self.setAccessibleName(self.windowTitle())
        self.setAccessibleDescription(f"{sender.type.display_name} of site {site.title}")
        self._set_tab_order()
        self._update_apply()
        self._applying = False
        # Sheets are modeless: the console window can edit the same site meanwhile. Follow it.
        unsubscribe = session.subscribe(self._on_site_change)
        self.destroyed.connect(lambda *_: unsubscribe())

    # -- public ---------------------------------------------------------------------------------

    @property
    def site_code(self) -> str:
        return self._code

    @property
    def sender_type(self) -> SenderType:
        return self._kind

    @property
    def saved_settings(self) -> SenderSettings:
        return self._saved

    def show_advanced(self) -> None:
        """Open on the Advanced tab (where the command line's ``properties`` sheet starts); no-op for Courier."""
        if self.advanced_page is not None:
            self.tabs.setCurrentWidget(self.advanced_page)

    def edited_settings(self) -> SenderSettings:
        """What the page shows now, as settings (the saved ones when there is no Advanced tab)."""
        return self.advanced_page.settings() if self.advanced_page is not None else self._saved

    def is_dirty(self) -> bool:
        if self.advanced_page is None:
            return False
        try:
            shown = self.advanced_page.settings_as_shown()
        except ValueError:
            return True  # text that is not a value yet is still an edit the user has not finished
        return shown != self._saved

    def apply(self) -> bool:
        """Save the page's values; True when saved (or nothing to save), False after a reported failure."""
        if self.advanced_page is None:
            return True
        self.advanced_page.commit_text()
        noted = self.advanced_page.first_noted_spin()
        if noted is not None:  # what the field shows is not what was typed: the user decides first
            self._update_apply()
            self.show_advanced()
            noted.setFocus()
            return False
        settings = self.advanced_page.settings()
        if settings == self._saved:
            self._update_apply()
            return True
        try:
            self._applying = True
            site = self._session.update_sender_settings(self._code, self._kind, settings)
        except SaveConflict as conflict:
            self._applying = False
            if not resolve_conflict(self, self._session, conflict, sheet_title(self._kind)):
                self._on_site_change(SiteChange("settings", self._code, self._kind))  # show what is kept now
                return False
            site = self._session.site(self._code)
        except OSError as exc:
            where = f" ({exc.filename})" if exc.filename else ""
            self._report_failure(
                f"The sender settings could not be saved: {exc.strerror or exc}{where}.\n\n"
                "Your changes are still in the dialog. Fix the problem and click Apply again, "
                "or click Cancel to discard them."
            )
            return False
        except (KeyError, ValueError) as exc:
            message = exc.args[0] if exc.args else str(exc)
            self._report_failure(
                f"The sender settings could not be saved: {message}.\n\nYour changes are still in the dialog."
            )
            return False
        finally:
            self._applying = False
        stored = site.sender(self._kind)
        self._saved = stored.settings if stored is not None else settings
        self.advanced_page.set_settings(self._saved)
        self._update_apply()
        self.settingsApplied.emit(self._code, self._kind, self._saved)
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()

    def show_help(self) -> HelpViewer:
        self._help = show_help(HELP_PAGE, sheet_title(self._kind), self, self._help)
        return self._help

    # -- internals ------------------------------------------------------------------------------

    def _on_site_change(self, change: SiteChange) -> None:
        """Keep the sheet true to the session when the same site changes elsewhere.

        A rename moves the sheet to the new code; a new version re-evaluates the advisory; settings saved
        elsewhere become the new baseline for Apply, and replace the fields only if the user has not
        started editing them (their edits are never overwritten). A removed site is left alone here: Apply
        then says the site is gone, and Cancel still closes.
        """
        if not shiboken6.isValid(self) or self._applying:
            return
        if change.kind == "site-edited" and change.old_code == self._code:
            self._code = change.code
        if change.code != self._code or self._code not in self._session.database:
            return
        site = self._session.site(self._code)
        sender = _sender_of(site, self._kind)
        self.general_page.show_site(site, sender)
        self.setAccessibleDescription(f"{sender.type.display_name} of site {site.title}")
        if self.advanced_page is not None:
            self.advanced_page.set_version(site.version)
            if sender.settings != self._saved:
                untouched = not self.is_dirty()
                self._saved = sender.settings
                if untouched:
                    self.advanced_page.set_settings(self._saved)
        self._update_apply()

    def _report_failure(self, text: str) -> None:
        QMessageBox.critical(self, sheet_title(self._kind), text)

    def _update_apply(self) -> None:
        page = self.advanced_page
        noted = bool(page is not None and page.shown_notes())
        unfinished = bool(page is not None and page.unfinished_fields())
        self.apply_button.setEnabled(self.is_dirty() and not noted and not unfinished)
        self.ok_button.setEnabled(not noted and not unfinished)
        why = NOTED_TOOLTIP if noted else UNFINISHED_TOOLTIP if unfinished else ""
        self.apply_button.setToolTip(why)
        self.ok_button.setToolTip(why)

    def _refit(self, _shown: bool = False) -> None:
        """Re-fit the fixed-size sheet after the advisory or a field's note appears or disappears.

        Why: growing propagates by itself (the minimum size rises), but when the banner hides, the tab
        widget keeps the page's old size hint cached and the sheet would keep an empty band where the
        banner was. Invalidating each ancestor's layout and geometry, bottom up, drops those caches, and
        activating the sheet's layout applies the new fixed size at once (no event-loop round trip).
        """
        assert self.advanced_page is not None
        done: set[int] = set()
        for child in (self.advanced_page.advisory, *self.advanced_page.notes.values()):
            widget: QWidget | None = child.parentWidget()
            while widget is not None and id(widget) not in done:
                done.add(id(widget))
                if widget.layout() is not None:
                    widget.layout().invalidate()
                if widget is self:
                    break
                widget.updateGeometry()
                widget = widget.parentWidget()
        self.layout().activate()

    def _set_tab_order(self) -> None:
        """Reading order: tab bar, the fields top to bottom, the advisory's fix, then the buttons."""
        chain: list[QWidget] = [self.tabs.tabBar()]
        if self.advanced_page is not None:
            chain += list(self.advanced_page.spins.values())
            chain.append(self.advanced_page.advisory.fix_button)
        chain += [self.ok_button, self.cancel_button, self.apply_button, self.help_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
