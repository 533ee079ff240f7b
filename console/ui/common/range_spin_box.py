"""A spin box that says so when it refuses what was typed, instead of dropping it without a trace.

Why: ``QSpinBox``'s validator silently refuses a keystroke that would leave the range or is not a digit, so
typing "150" into a 1-99 field leaves "15" and Apply would save 15; typing "0" (below the range) stays in
the field until focus leaves or Apply commits it, and then quietly goes back to the previous value. Both
are legal Qt behaviour and both let a setting be saved that the user never typed.

This subclass reports those two moments as a *note* (plain text, ``noteChanged`` carries it, "" when it
clears); the page shows it under the field and the sheet holds Apply and OK back while any note shows.

Facts about Qt 6.11 this relies on (checked with QTest.keyClicks, offscreen):
- a refused keystroke calls ``validate`` with the candidate text ("150") and gets ``Invalid``; the line edit
  then emits ``inputRejected`` with its text already back at "15";
- ``fixup`` is called with non-acceptable text only when the box *interprets* its text (focus out, Enter,
  ``interpretText``), right before it falls back to the previous value (``CorrectToPreviousValue``);
  it can be called twice for one Enter, so setting the note there must be idempotent;
  ``inputRejected`` fires while the line edit still holds the candidate; the undo (and the restored
  selection) follow it;
- the box updates its line edit with signals blocked, so ``textChanged`` means the user edited the text;
  arrow keys, the wheel and ``stepUp``/``stepDown`` all go through ``stepBy``;
- keys reach the line edit through the spin box's own ``event()`` call (no event filter on the line edit
  sees them), while ``QTest.keyClicks(box.lineEdit(), ...)`` sends them to the line edit directly; the
  filter is installed on both, and what it does is idempotent.

When a note clears (decided here): on the next accepted edit that is not simply the *same typing going
on*. Typing "4.5" refuses the "." and then accepts "5", leaving "45"; typing "-3" over a selected value
refuses the "-" and then "3" replaces the selection. Clearing on that next character would hide the
refusal one keystroke later and the user would save 45 or 3 believing they typed 4.5 or -3. So after a
refusal, further plain character keys keep the note; any other key (Backspace, Delete, arrows, Home,
Ctrl+A, a paste), a mouse press in the field, leaving the field or a step ends that run, and the next
accepted edit clears the note. A note from a revert (focus out, Enter) clears on the next accepted edit.
A value set by the program (``setValue``: the advisory's quick fix, settings reloaded or saved elsewhere)
clears it at once.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QValidator
from PySide6.QtWidgets import QSpinBox, QWidget

from console.model.sender_settings import Field

MAX_QUOTED_CHARS = 12
"""Longer refused text (a paste) is shortened in the note, so the note stays one or two lines."""


def range_text(field: Field) -> str:
    """``Delay before retrying accepts 1 to 99 minutes`` — the rule, from the model's one table."""
    unit = f" {field.unit}" if field.unit else ""
    return f"{field.label} accepts {field.minimum} to {field.maximum}{unit}"


def _quoted(text: str) -> str:
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "\u2026"
    return f"\u201c{text}\u201d"


def refused_note(field: Field, typed: str) -> str:
    return f"{range_text(field)}; {_quoted(typed)} was not taken. Edit the value to continue."


def reverted_note(field: Field, typed: str, kept: int) -> str:
    return (
        f"{range_text(field)}; {_quoted(typed)} was not taken and the field went back to {kept}. "
        "Edit the value to continue."
    )


_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def is_typing(event: QKeyEvent) -> bool:
    """A plain character key (what continues an entry), not an editing or command key."""
    text = event.text()
    return bool(text) and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS


class RangeSpinBox(QSpinBox):
    """A ``QSpinBox`` over ``field``'s range that emits ``noteChanged(text)`` (see the module docstring)."""

    noteChanged = Signal(str)

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self._note = ""
        self.setRange(field.minimum, field.maximum)
        self.setValue(field.default)
        self._refused = ""
        """The last candidate text ``validate`` called Invalid (the line edit reports only *that* it refused)."""
        self._typing_on = False
        """True from a refusal until a key or click that is not plain typing (see the module docstring)."""
        self.installEventFilter(self)
        self.lineEdit().installEventFilter(self)
        self.lineEdit().inputRejected.connect(self._on_rejected)
        self.lineEdit().textChanged.connect(self._on_text_changed)

    @property
    def note(self) -> str:
        return self._note

    def clear_note(self) -> None:
        """Drop the note (the page calls this when it sets the values itself)."""
        self._set_note("")

    def setValue(self, value: int) -> None:
        """A value the program sets (a quick fix, Cancel, a reload) replaces what was typed: its note goes too.

        Qt updates the line edit with its signals blocked, so without this the note of a refused entry would
        stay (and hold OK and Apply back) under a value the user never typed.
        """
        super().setValue(value)
        self.clear_note()

    # -- Qt overrides ---------------------------------------------------------------------------

    def validate(self, text: str, pos: int) -> object:
        result = super().validate(text, pos)
        if result[0] == QValidator.State.Invalid:
            self._refused = text
        return result

    def fixup(self, text: str) -> str:
        fixed = super().fixup(text)
        if text.strip() and self.correctionMode() == QSpinBox.CorrectionMode.CorrectToPreviousValue:
            # An empty field going back to its value is the expected "never mind"; a typed number is not.
            self._set_note(reverted_note(self.field, text, self.value()))
        return fixed

    def stepBy(self, steps: int) -> None:
        super().stepBy(steps)
        self.clear_note()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        editing_key = kind == QEvent.Type.KeyPress and not is_typing(event)  # type: ignore[arg-type]
        if editing_key or kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.FocusOut):
            self._typing_on = False
        return False

    # -- internals ------------------------------------------------------------------------------

    def _on_rejected(self) -> None:
        self._set_note(refused_note(self.field, self._refused or self.lineEdit().text()))
        self._typing_on = True

    def _on_text_changed(self, _text: str) -> None:
        if self._note and not self._typing_on:
            self._set_note("")

    def _set_note(self, note: str) -> None:
        self._typing_on = False
        if note != self._note:
            self._note = note
            self.noteChanged.emit(note)


__all__ = ["RangeSpinBox", "is_typing", "range_text", "refused_note", "reverted_note"]
