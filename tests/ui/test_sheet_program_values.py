"""A value the program sets clears that field's note; the advisory and the buttons follow the text on show."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sheet_support import make_session, open_sheet, spin, type_into

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession


@pytest.fixture
def session(tmp_path) -> SiteSession:
    return make_session(tmp_path)


def _buttons(sheet) -> tuple[bool, bool]:
    return sheet.ok_button.isEnabled(), sheet.apply_button.isEnabled()


@pytest.mark.parametrize("typed", ["abc", "0", "150"])
def test_the_quick_fix_clears_the_fields_note_and_frees_ok_and_apply(qtbot, session, typed: str) -> None:
    sheet = open_sheet(qtbot, session, "LAB")  # SP3, delay 6: the advisory offers "Set to 5 minutes"
    page = sheet.advanced_page
    box = spin(sheet, "retry_delay_min")
    type_into(qtbot, box, typed)
    fix = page.advisory.fix_button
    assert not page.advisory.isHidden() or typed == "0"
    if typed == "0":  # "0" hides the advisory until it is committed; leaving the field brings it back
        spin(sheet, "retries").setFocus()
        QApplication.processEvents()
        assert box.lineEdit().text() == "6" and not page.advisory.isHidden()
    fix.setFocus()  # what a click does first: the field loses focus (and interprets its text)
    QApplication.processEvents()
    qtbot.mouseClick(fix, Qt.MouseButton.LeftButton)
    assert box.value() == 5 and page.advisory.isHidden()
    assert page.shown_notes() == {} and page.notes["retry_delay_min"].isHidden()
    assert _buttons(sheet) == (True, True)
    assert sheet.apply() and session.site("LAB").standard_sender.settings.retry_delay_min == 5


def test_any_value_the_program_sets_clears_the_note(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "retries")
    type_into(qtbot, box, "100")
    assert sheet.advanced_page.shown_notes()
    box.setValue(4)
    assert sheet.advanced_page.shown_notes() == {} and _buttons(sheet) == (True, True)


def test_settings_saved_elsewhere_clear_the_notes_of_an_untouched_sheet(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retries"), "2x")  # "2" is what is saved: the sheet is not dirty
    assert sheet.advanced_page.shown_notes() and not sheet.is_dirty()
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retries=3, retry_delay_min=6))
    assert spin(sheet, "retries").value() == 3 and sheet.advanced_page.shown_notes() == {}
    assert sheet.ok_button.isEnabled()


@pytest.mark.parametrize("typed", ["0", "00"])
def test_text_that_is_not_a_value_hides_the_advisory_and_holds_ok_and_apply(qtbot, session, typed: str) -> None:
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retry_delay_min=15))
    sheet = open_sheet(qtbot, session, "LAB")
    page = sheet.advanced_page
    assert "15-minute" in page.advisory.advisory.title + page.advisory.advisory.text
    box = spin(sheet, "retry_delay_min")
    type_into(qtbot, box, typed)
    assert box.lineEdit().text() == typed
    assert page.advisory.isHidden() and page.current_advisory() is None
    assert _buttons(sheet) == (False, False)
    assert sheet.ok_button.toolTip()  # says why
    qtbot.keyClicks(box.lineEdit(), "7")
    assert box.lineEdit().text() == typed + "7" and not page.advisory.isHidden()
    assert "7-minute" in page.advisory.advisory.title + page.advisory.advisory.text
    assert _buttons(sheet) == (True, True)


def test_a_value_being_typed_drives_the_advisory(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    box = spin(sheet, "retry_delay_min")
    type_into(qtbot, box, "1")
    assert sheet.advanced_page.advisory.isHidden() and _buttons(sheet) == (True, True)
    qtbot.keyClicks(box.lineEdit(), "5")
    assert not sheet.advanced_page.advisory.isHidden() and _buttons(sheet) == (True, True)
