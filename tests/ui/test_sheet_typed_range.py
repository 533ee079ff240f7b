"""Typed input a field refuses is made visible: a note under the field, Apply/OK held back until it is dealt with."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication
from sheet_support import make_session, open_sheet, spin, type_into

from console.model.sender_settings import FIELD_BY_KEY
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.ui.common.field_note import FieldNote
from console.ui.common.range_spin_box import is_typing, range_text, refused_note, reverted_note
from console.ui.sheet.properties_sheet import NOTED_TOOLTIP

# (key, what is typed, what the field keeps): one key past the maximum for every spin box.
OVER_THE_TOP = [
    ("all_sites", "1000", "100"),
    ("per_site", "1000", "100"),
    ("retries", "100", "10"),
    ("retry_delay_min", "150", "15"),
]


@pytest.fixture
def session(tmp_path) -> SiteSession:
    return make_session(tmp_path)


def note_of(sheet, key: str) -> FieldNote:
    assert sheet.advanced_page is not None
    return sheet.advanced_page.notes[key]


def test_the_rule_text_comes_from_the_fields_table() -> None:
    assert range_text(FIELD_BY_KEY["retry_delay_min"]) == "Delay before retrying accepts 1 to 99 minutes"
    assert range_text(FIELD_BY_KEY["all_sites"]) == "All sites accepts 1 to 999"
    note = refused_note(FIELD_BY_KEY["retries"], "x" * 40)
    assert note.startswith("Number of retries accepts 1 to 99; \u201cxxxxxxxxxxx\u2026\u201d was not taken.")
    assert "went back to 2" in reverted_note(FIELD_BY_KEY["retries"], "0", 2)


@pytest.mark.parametrize(("key", "typed", "kept"), OVER_THE_TOP)
def test_a_refused_keystroke_shows_a_note_under_that_field_and_holds_apply_and_ok(
    qtbot, session, key, typed, kept
) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    height = sheet.height()
    box = spin(sheet, key)
    type_into(qtbot, box, typed)
    # Fitted at once (no event-loop pass needed): the note and, for the delay, LAB's advisory are whole.
    page = sheet.advanced_page
    shown = [page.notes[key]] + ([page.advisory] if not page.advisory.isHidden() else [])
    assert all(w.height() >= w.heightForWidth(w.width()) for w in shown)
    QApplication.processEvents()
    assert box.lineEdit().text() == kept
    note = note_of(sheet, key)
    field = FIELD_BY_KEY[key]
    expected = refused_note(field, typed)
    assert note.text == expected and expected.startswith(range_text(field) + ";")
    assert f"\u201c{typed}\u201d" in expected
    assert note.isVisible() and note.objectName() == f"{box.objectName()}Note"

    # Right under its own field, whole (not clipped), overlapping nothing below it, inside the sheet.
    def top(w) -> int:
        return w.mapTo(sheet, w.rect().topLeft()).y()

    def bottom(w) -> int:
        return w.mapTo(sheet, w.rect().bottomLeft()).y()

    assert top(note) > bottom(box)
    assert note.height() >= note.heightForWidth(note.width())
    below = {
        "all_sites": spin(sheet, "per_site"),
        "per_site": page.retry_group,
        "retries": spin(sheet, "retry_delay_min"),
        "retry_delay_min": page.advisory,
    }[key]
    assert bottom(note) < top(below)
    group = page.concurrency_group if key in ("all_sites", "per_site") else page.retry_group
    assert bottom(note) < bottom(group) < bottom(sheet.tabs) < bottom(sheet.ok_button) <= sheet.height()
    # Only that field has a note; nothing can be saved while it shows.
    assert sheet.advanced_page.shown_notes() == {key: expected}
    assert all(not n.isVisible() for k, n in sheet.advanced_page.notes.items() if k != key)
    assert not sheet.apply_button.isEnabled() and not sheet.ok_button.isEnabled()
    assert sheet.ok_button.toolTip() == NOTED_TOOLTIP
    sheet.accept()
    assert sheet.isVisible() and session.store.path.read_text() == before
    # The next real edit (Backspace) clears it; the sheet shrinks back and can save again.
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace)
    QApplication.processEvents()
    assert note.text == "" and not note.isVisible()
    assert sheet.advanced_page.shown_notes() == {}
    assert sheet.ok_button.isEnabled() and sheet.apply_button.isEnabled() and sheet.ok_button.toolTip() == ""
    if key == "retry_delay_min":  # "1" also ends the Q278357 advisory of LAB's 6 minutes: smaller still
        assert sheet.advanced_page.advisory.isHidden() and sheet.height() < height
    else:
        assert sheet.height() == height  # no band left where the note was
    assert sheet.apply()
    assert getattr(sheet.saved_settings, key) == int(kept[:-1])


@pytest.mark.parametrize(("typed", "shown"), [("-3", "3"), ("4.5", "45"), ("2e3", "23")])
def test_typing_on_after_a_refusal_keeps_the_note(qtbot, session, typed, shown) -> None:
    """The "-" of "-3" is refused and "3" replaces the selection: the user still meant -3, so the note stays."""
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "retries")
    type_into(qtbot, box, typed)
    assert box.lineEdit().text() == shown
    refused = typed[: next(i for i, ch in enumerate(typed) if not ch.isdigit()) + 1]
    assert sheet.advanced_page.shown_notes() == {"retries": refused_note(FIELD_BY_KEY["retries"], refused)}
    assert not sheet.ok_button.isEnabled()


def test_a_step_or_a_click_into_the_field_ends_the_refused_run(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "retry_delay_min")
    type_into(qtbot, box, "150")
    box.stepDown()
    assert box.value() == 14 and sheet.advanced_page.shown_notes() == {}
    type_into(qtbot, box, "9")
    qtbot.keyClicks(box.lineEdit(), "x")
    assert box.lineEdit().text() == "9" and sheet.advanced_page.shown_notes()
    qtbot.keyClicks(box.lineEdit(), "5")  # typing straight on: still the refused entry
    assert box.lineEdit().text() == "95" and sheet.advanced_page.shown_notes()
    qtbot.mouseClick(box.lineEdit(), Qt.MouseButton.LeftButton)  # the user clicks into the field ...
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Backspace if box.lineEdit().cursorPosition() else Qt.Key.Key_Delete)
    assert len(box.lineEdit().text()) == 1 and sheet.advanced_page.shown_notes() == {}  # ... and edits: gone


def test_a_fresh_accepted_edit_clears_the_note(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "retry_delay_min")
    type_into(qtbot, box, "abc")  # "6" stays, three refusals
    assert box.lineEdit().text() == "6" and sheet.advanced_page.shown_notes()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_End)  # moving the cursor ends the refused run
    qtbot.keyClicks(box.lineEdit(), "5")
    assert box.lineEdit().text() == "65" and sheet.advanced_page.shown_notes() == {}
    assert sheet.apply() and sheet.saved_settings.retry_delay_min == 65


def test_a_typed_number_below_the_range_goes_back_with_a_note_when_focus_leaves(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "all_sites")
    type_into(qtbot, box, "0")
    assert box.lineEdit().text() == "0" and sheet.advanced_page.shown_notes() == {}  # not a refusal yet
    spin(sheet, "retries").setFocus()
    QApplication.processEvents()
    assert box.lineEdit().text() == "5"
    assert sheet.advanced_page.shown_notes() == {"all_sites": reverted_note(FIELD_BY_KEY["all_sites"], "0", 5)}
    assert not sheet.ok_button.isEnabled()
    type_into(qtbot, box, "7")
    assert sheet.advanced_page.shown_notes() == {} and sheet.ok_button.isEnabled()


def test_values_set_by_the_sheet_clear_the_notes(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retry_delay_min"), "150")
    assert sheet.advanced_page.shown_notes()
    sheet.advanced_page.set_settings(sheet.saved_settings)
    assert sheet.advanced_page.shown_notes() == {} and sheet.ok_button.isEnabled()


def test_a_ras_sheet_has_notes_too(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB", SenderType.ASYNC_RAS)
    type_into(qtbot, spin(sheet, "retries"), "100")
    assert "Number of retries accepts 1 to 99" in sheet.advanced_page.shown_notes()["retries"]


def test_plain_typing_is_told_apart_from_editing_keys() -> None:
    def key(k: Qt.Key, text: str, mods=Qt.KeyboardModifier.NoModifier) -> QKeyEvent:
        return QKeyEvent(QKeyEvent.Type.KeyPress, k, mods, text)

    assert is_typing(key(Qt.Key.Key_5, "5"))
    assert is_typing(key(Qt.Key.Key_Minus, "-"))
    assert not is_typing(key(Qt.Key.Key_Backspace, "\b"))
    assert not is_typing(key(Qt.Key.Key_A, "a", Qt.KeyboardModifier.ControlModifier))
    assert not is_typing(key(Qt.Key.Key_Home, ""))
