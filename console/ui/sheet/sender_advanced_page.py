"""The Advanced tab: the four sender settings in two group boxes, and the inline Q278357 advisory.

Ranges, defaults and labels come from ``console.model.sender_settings.FIELDS`` (the one table); the
warning rule is ``console.model.advisories.q278357_advisory`` (the one rule). This page only wires
them to widgets.

Per keystroke: the advisory listens to the delay spin box's ``valueChanged`` *and* its line edit's
``textChanged``. ``valueChanged`` alone misses states the spin box has not committed (for example
text the validator calls Intermediate), and ``textChanged`` alone misses ``setValue`` calls that
produce the same text; listening to both and reading the text through the spin box's own validator
keeps the banner in step with what the field shows. Text that is not a value yet ("0", "00") shows no
advisory: the banner speaks about the value the user sees, and there is none.

Typed input a field refuses (a key that would leave the range, a letter, a sign) is made visible: each
spin box is a ``RangeSpinBox`` that reports it, and the page shows that note in a ``FieldNote`` on a
full-width form row right under the field (``QFormLayout.setRowVisible``, so a hidden note takes no room).

Mnemonics: the sheet's buttons own A (&Apply) and the tab bar owns G and D (&General, A&dvanced), so
the labels here use S, P, N and E; the banner's fix button uses the digit it sets.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from console.model.advisories import Advisory, q278357_advisory
from console.model.sender_settings import FIELD_BY_KEY, HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sender_types import SenderType
from console.model.versions import SiteVersion
from console.ui.common.field_note import FieldNote
from console.ui.common.range_spin_box import RangeSpinBox
from console.ui.sheet.advisory_banner import AdvisoryBanner

# (field key, object name, label with mnemonic, tooltip, What's This) — texts in our own words.
_SPINS: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "all_sites",
        "allSitesSpin",
        "All &sites:",
        "Most sending threads this sender runs at once, whatever the destinations.",
        "The largest number of sends this sender keeps going at the same time, to any mix of destination "
        "sites. Higher values can move more data at once but use more of the network.",
    ),
    (
        "per_site",
        "perSiteSpin",
        "&Per site:",
        "Most sending threads to any one destination site.",
        "The largest number of sends to a single destination site at the same time. A RAS sender dials one "
        "connection, so for RAS senders this is always 1.",
    ),
    (
        "retries",
        "retryCountSpin",
        "&Number of retries:",
        "How many more times a failed send is tried.",
        "After a send fails with a network error, the sender tries again this many times before it gives "
        "the request back to the scheduler.",
    ),
    (
        "retry_delay_min",
        "retryDelaySpin",
        "D&elay before retrying (minutes):",
        "Minutes to wait after a network error before the next try.",
        "How long the sending thread waits after a network error before it reconnects and carries on. "
        "Before SMS 2.0 SP4, a wait longer than the 5-minute sender heartbeat makes the thread give up "
        "instead (Microsoft Knowledge Base article Q278357).",
    ),
)
SPIN_WIDTH_CHARS = 7


class SenderAdvancedPage(QWidget):
    """Emits ``edited`` whenever any value (or its text) changes, for the sheet's Apply state, and
    ``notesChanged`` when a field's "not taken" note appears, changes or clears (``notes()``)."""

    edited = Signal()
    notesChanged = Signal()

    def __init__(
        self,
        kind: SenderType,
        version: SiteVersion,
        settings: SenderSettings,
        parent: QWidget | None = None,
        *,
        heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("advancedTab")
        self._kind = kind
        self._version = version
        self._heartbeat_timeout_min = heartbeat_timeout_min
        """The product's 5 minutes, or a scenario's what-if time-out when the sheet edits a scenario's sender."""
        self.spins: dict[str, RangeSpinBox] = {}
        self.labels: dict[str, QLabel] = {}
        self.notes: dict[str, FieldNote] = {}
        self._forms: dict[str, QFormLayout] = {}
        for key, name, caption, tip, whats_this in _SPINS:
            spin = self._make_spin(key, name, tip, whats_this)
            label = QLabel(caption, self)
            label.setBuddy(spin)
            label.setToolTip(tip)
            note = FieldNote(self)
            note.setObjectName(f"{name}Note")
            spin.noteChanged.connect(lambda text, k=key: self._show_note(k, text))
            self.spins[key] = spin
            self.labels[key] = label
            self.notes[key] = note

        self.advisory = AdvisoryBanner(self)
        self.advisory.setObjectName("retryDelayAdvisory")
        self.advisory.fixRequested.connect(self._apply_fix)

        self.concurrency_group = QGroupBox("Maximum concurrent sendings", self)
        self.concurrency_group.setObjectName("concurrencyGroup")
        form = self._form(self.concurrency_group)
        self._add_field(form, "all_sites")
        self._add_field(form, "per_site")
        QVBoxLayout(self.concurrency_group).addLayout(form)

        self.retry_group = QGroupBox("Retry settings", self)
        self.retry_group.setObjectName("retryGroup")
        form = self._form(self.retry_group)
        self._add_field(form, "retries")
        self._add_field(form, "retry_delay_min")
        retry_box = QVBoxLayout(self.retry_group)
        retry_box.addLayout(form)
        retry_box.addWidget(self.advisory)  # a box layout, not a form row: hidden means no gap

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(12)
        layout.addWidget(self.concurrency_group)
        layout.addWidget(self.retry_group)
        layout.addStretch(1)
        _align_label_columns(self.labels.values())

        if kind.is_ras:
            per_site = self.spins["per_site"]
            per_site.setEnabled(False)
            per_site.setToolTip("RAS senders make one connection at a time, so Per site is fixed at 1.")
        self.set_settings(settings)

        delay = self.spins["retry_delay_min"]
        delay.valueChanged.connect(self._refresh_advisory)
        delay.lineEdit().textChanged.connect(self._refresh_advisory)
        # Text that goes back to the value (focus out, Enter) is replaced with signals blocked: no textChanged.
        delay.editingFinished.connect(self._refresh_advisory)
        for spin in self.spins.values():
            spin.valueChanged.connect(self.edited)
            spin.lineEdit().textChanged.connect(self.edited)
            spin.editingFinished.connect(self.edited)
        self._refresh_advisory()

    # -- values ---------------------------------------------------------------------------------

    def set_settings(self, settings: SenderSettings) -> None:
        """Show ``settings``; any "not taken" note goes, since the fields no longer hold what was typed."""
        for key, spin in self.spins.items():
            spin.setValue(1 if key == "per_site" and self._kind.is_ras else getattr(settings, key))
            spin.clear_note()

    def shown_notes(self) -> dict[str, str]:
        """The "not taken" notes on show, by field key; while any shows the sheet saves nothing."""
        return {key: spin.note for key, spin in self.spins.items() if spin.note}

    def first_noted_spin(self) -> RangeSpinBox | None:
        return next((self.spins[key] for key in self.shown_notes()), None)

    def set_version(self, version: SiteVersion) -> None:
        """The sending site's version decides the advisory; it can change while the sheet is open."""
        self._version = version
        self._refresh_advisory()

    def commit_text(self) -> None:
        """Make every spin box take what its field shows; text that is not a valid value reverts.

        ``QAbstractSpinBox.interpretText`` validates with the box's own range: out-of-range or partial
        text is never turned into a value, it is replaced by the last valid one (and a typed number that
        goes back this way gets its note, see ``RangeSpinBox.fixup``).
        """
        for spin in self.spins.values():
            spin.interpretText()
        self._refresh_advisory()

    def settings(self) -> SenderSettings:
        values = {key: spin.value() for key, spin in self.spins.items()}
        if self._kind.is_ras:
            values["per_site"] = 1
        return SenderSettings(**values)

    def settings_as_shown(self) -> SenderSettings:
        """The settings the fields show right now, before any commit; ValueError while a field holds
        text that is not a valid value (empty, or a partial number the validator calls Intermediate)."""
        values: dict[str, int] = {}
        for key, spin in self.spins.items():
            text = spin.lineEdit().text()
            state, _, _ = spin.validate(text, len(text))
            if state != QValidator.State.Acceptable:
                raise ValueError(f"{FIELD_BY_KEY[key].label}: {text!r} is not a value yet")
            values[key] = spin.valueFromText(text)
        if self._kind.is_ras:
            values["per_site"] = 1
        return SenderSettings(**values)

    def unfinished_fields(self) -> list[str]:
        """Keys of the fields whose text is not a value in range yet ("0", "00"): OK and Apply wait for them."""
        return [key for key, spin in self.spins.items() if _shown_value(spin) is None]

    def shown_delay(self) -> int | None:
        """The delay the field shows, or None while its text is not a value (the advisory then hides)."""
        return _shown_value(self.spins["retry_delay_min"])

    def current_advisory(self) -> Advisory | None:
        delay = self.shown_delay()
        if delay is None:
            return None
        return q278357_advisory(self._version, delay, self._heartbeat_timeout_min)

    # -- internals ------------------------------------------------------------------------------

    def _make_spin(self, key: str, name: str, tip: str, whats_this: str) -> RangeSpinBox:
        field = FIELD_BY_KEY[key]
        spin = RangeSpinBox(field, self)
        spin.setObjectName(name)
        spin.setAlignment(Qt.AlignmentFlag.AlignRight)
        spin.setToolTip(f"{tip} ({field.minimum}–{field.maximum}, default {field.default})")
        spin.setWhatsThis(whats_this)
        spin.setAccessibleName(field.label)
        spin.setAccessibleDescription(tip)
        width = spin.fontMetrics().horizontalAdvance("9" * SPIN_WIDTH_CHARS)
        spin.setFixedWidth(width + 24)
        return spin

    def _add_field(self, form: QFormLayout, key: str) -> None:
        """The label and spin box on one row, the field's note on a full-width row right under it."""
        form.addRow(self.labels[key], self.spins[key])
        form.addRow(self.notes[key])
        form.setRowVisible(self.notes[key], False)  # a hidden row takes no space and no spacing
        self._forms[key] = form

    def _show_note(self, key: str, text: str) -> None:
        note, form = self.notes[key], self._forms[key]
        width = form.geometry().width()
        if text and width > 0:
            # The row spans the form: give the note that width now, so its first size hint already has the
            # wrapped height and the fixed-size sheet fits in one layout pass (not one too short, then right).
            note.resize(width, note.height())
        # Row first, then the note: the sheet re-fits on ``notesChanged``, when both agree on what shows.
        form.setRowVisible(note, bool(text))
        note.set_note(text)
        self.notesChanged.emit()

    @staticmethod
    def _form(parent: QWidget) -> QFormLayout:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        form.setHorizontalSpacing(16)
        form.setVerticalSpacing(8)
        return form

    def _refresh_advisory(self, *_: object) -> None:
        self.advisory.show_advisory(self.current_advisory())

    def _apply_fix(self, value: int) -> None:
        spin = self.spins["retry_delay_min"]
        spin.setValue(value)  # also clears the field's note (RangeSpinBox.setValue)
        spin.setFocus(Qt.FocusReason.OtherFocusReason)


def _shown_value(spin: RangeSpinBox) -> int | None:
    """The value the field's text stands for, or None when its validator does not accept the text.

    An empty field stands for its value: emptying it is the "never mind" that goes back to the value when
    the field is left (see ``RangeSpinBox.fixup``), not an unfinished entry.
    """
    text = spin.lineEdit().text()
    if not text.strip():
        return spin.value()
    state, _, _ = spin.validate(text, len(text))
    return spin.valueFromText(text) if state == QValidator.State.Acceptable else None


def _align_label_columns(labels: Iterable[QLabel]) -> None:
    """One caption width for both group boxes, so all four spin boxes sit in one column (as in the mock)."""
    items = list(labels)
    width = max(label.sizeHint().width() for label in items)
    for label in items:
        label.setMinimumWidth(width)
