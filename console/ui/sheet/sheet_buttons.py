"""The OK / Cancel / Apply / Help row of a property sheet, the same on every sheet."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton

Buttons = tuple[QDialogButtonBox, QPushButton, QPushButton, QPushButton, QPushButton]


def sheet_buttons(sheet: QDialog, apply: Callable[[], object], show_help: Callable[[], object]) -> Buttons:
    """The button box and its OK, Cancel, Apply and Help buttons, wired to the sheet's ``accept`` and ``reject``
    and to ``apply`` and ``show_help``; OK is the default."""
    buttons = QDialogButtonBox(sheet)
    buttons.setObjectName("buttonBox")
    sb = QDialogButtonBox.StandardButton
    buttons.setStandardButtons(sb.Ok | sb.Cancel | sb.Apply | sb.Help)
    ok, cancel, apply_, help_ = (buttons.button(b) for b in (sb.Ok, sb.Cancel, sb.Apply, sb.Help))
    # Set explicitly: the platform theme decides the defaults, and some add their own mnemonics.
    for button, text, name in (
        (ok, "OK", "okButton"),
        (cancel, "Cancel", "cancelButton"),
        (apply_, "&Apply", "applyButton"),
        (help_, "Help", "helpButton"),
    ):
        button.setText(text)
        button.setObjectName(name)
    ok.setDefault(True)
    buttons.accepted.connect(sheet.accept)
    buttons.rejected.connect(sheet.reject)
    apply_.clicked.connect(apply)
    buttons.helpRequested.connect(show_help)
    return buttons, ok, cancel, apply_, help_
