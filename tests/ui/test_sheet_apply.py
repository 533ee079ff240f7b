"""OK / Cancel / Apply / Help: what gets saved, when Apply is available, failures, garbage input, help window."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QTextBrowser
from sheet_support import make_session, open_sheet, spin, type_into

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.common.help_viewer import HelpViewer


@pytest.fixture
def session(tmp_path) -> SiteSession:
    return make_session(tmp_path)


@pytest.fixture
def errors(monkeypatch) -> list[str]:
    """Every QMessageBox.critical the sheet raises, recorded instead of shown (a modal would block)."""
    seen: list[str] = []

    def record(parent, title, text, *args, **kwargs):
        seen.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", staticmethod(record))
    return seen


def _stored(session: SiteSession, code: str = "LAB", kind: SenderType = SenderType.STANDARD) -> SenderSettings:
    """What is on disk, read through a fresh store (not the session's memory)."""
    sender = SiteStore(session.store.path).load().database.get(code).sender(kind)
    assert sender is not None
    return sender.settings


def test_apply_starts_disabled_enables_on_edit_and_disables_after_applying(qtbot, session, errors) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    assert not sheet.apply_button.isEnabled()
    type_into(qtbot, spin(sheet, "retries"), "4")
    assert sheet.apply_button.isEnabled()
    with qtbot.waitSignal(sheet.settingsApplied) as applied:
        qtbot.mouseClick(sheet.apply_button, Qt.MouseButton.LeftButton)
    expected = SenderSettings(retries=4, retry_delay_min=6)
    assert applied.args == ["LAB", SenderType.STANDARD, expected]
    assert not sheet.apply_button.isEnabled()
    assert sheet.isVisible() and sheet.saved_settings == expected
    assert session.site("LAB").standard_sender.settings == expected == _stored(session)
    assert errors == []


def test_editing_back_to_the_saved_value_disables_apply(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    delay = spin(sheet, "retry_delay_min")
    type_into(qtbot, delay, "5")
    assert sheet.apply_button.isEnabled()
    type_into(qtbot, delay, "6")
    assert not sheet.apply_button.isEnabled()
    delay.stepUp()
    assert sheet.apply_button.isEnabled()
    delay.stepDown()
    assert not sheet.apply_button.isEnabled()


def test_cleared_field_counts_as_an_edit_but_saves_nothing(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    delay = spin(sheet, "retry_delay_min")
    type_into(qtbot, delay, "")
    qtbot.keyClick(delay.lineEdit(), Qt.Key.Key_Backspace)
    assert delay.lineEdit().text() == "" and sheet.apply_button.isEnabled()
    assert sheet.apply()
    assert delay.value() == 6 and delay.lineEdit().text() == "6"  # the field shows the saved value again
    assert not sheet.apply_button.isEnabled()
    assert session.store.path.read_text() == before


def test_cancel_discards_unapplied_edits(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    type_into(qtbot, spin(sheet, "all_sites"), "12")
    emitted = []
    sheet.settingsApplied.connect(lambda *a: emitted.append(a))
    qtbot.mouseClick(sheet.cancel_button, Qt.MouseButton.LeftButton)
    assert sheet.result() == sheet.DialogCode.Rejected and not sheet.isVisible()
    assert session.store.path.read_text() == before and emitted == []
    assert session.site("LAB").standard_sender.settings.all_sites == 5


def test_cancel_after_apply_keeps_what_was_applied(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "all_sites"), "12")
    assert sheet.apply()
    type_into(qtbot, spin(sheet, "all_sites"), "20")
    sheet.reject()
    assert _stored(session).all_sites == 12


def test_escape_cancels(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retries"), "9")
    qtbot.keyClick(spin(sheet, "retries"), Qt.Key.Key_Escape)
    assert sheet.result() == sheet.DialogCode.Rejected
    assert _stored(session).retries == 2


def test_ok_applies_and_closes(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retry_delay_min"), "5")
    with qtbot.waitSignal(sheet.settingsApplied):
        qtbot.mouseClick(sheet.ok_button, Qt.MouseButton.LeftButton)
    assert sheet.result() == sheet.DialogCode.Accepted and not sheet.isVisible()
    assert _stored(session).retry_delay_min == 5


def test_enter_in_a_field_means_ok(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    delay = spin(sheet, "retry_delay_min")
    type_into(qtbot, delay, "3")
    qtbot.keyClick(delay.lineEdit(), Qt.Key.Key_Return)
    assert sheet.result() == sheet.DialogCode.Accepted
    assert _stored(session).retry_delay_min == 3


def test_ok_without_changes_writes_nothing(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.stat().st_mtime_ns, session.store.path.read_text()
    emitted = []
    sheet.settingsApplied.connect(lambda *a: emitted.append(a))
    sheet.accept()
    assert sheet.result() == sheet.DialogCode.Accepted and emitted == []
    assert (session.store.path.stat().st_mtime_ns, session.store.path.read_text()) == before


def test_applied_values_survive_a_restart(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "CEN", SenderType.ASYNC_RAS)
    for key, text in (("all_sites", "40"), ("retries", "7"), ("retry_delay_min", "15")):
        type_into(qtbot, spin(sheet, key), text)
    sheet.accept()
    reopened, _ = SiteSession.open(SiteStore(session.store.path))
    assert reopened.site("CEN").sender(SenderType.ASYNC_RAS).settings == SenderSettings(40, 1, 7, 15)
    again = open_sheet(qtbot, reopened, "CEN", SenderType.ASYNC_RAS)
    assert [spin(again, k).value() for k in ("all_sites", "per_site", "retries", "retry_delay_min")] == [40, 1, 7, 15]
    assert not again.apply_button.isEnabled()


def test_save_failure_keeps_the_edits_and_says_why(qtbot, session, errors, monkeypatch) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retry_delay_min"), "5")

    def refuse(db):
        raise PermissionError(13, "Permission denied", str(session.store.path))

    monkeypatch.setattr(session.store, "save", refuse)
    emitted = []
    sheet.settingsApplied.connect(lambda *a: emitted.append(a))
    qtbot.mouseClick(sheet.ok_button, Qt.MouseButton.LeftButton)
    assert len(errors) == 1
    assert "could not be saved: Permission denied" in errors[0] and str(session.store.path) in errors[0]
    assert "still in the dialog" in errors[0]
    assert sheet.isVisible() and sheet.result() != sheet.DialogCode.Accepted
    assert spin(sheet, "retry_delay_min").value() == 5 and sheet.apply_button.isEnabled()
    assert emitted == [] and session.site("LAB").standard_sender.settings.retry_delay_min == 6
    monkeypatch.undo()  # the disk is writable again: the same edits go through
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: pytest.fail("no error expected")))
    sheet.ok_button.click()
    assert sheet.result() == sheet.DialogCode.Accepted and _stored(session).retry_delay_min == 5


def test_read_only_folder_is_reported(qtbot, session, errors, tmp_path) -> None:
    folder = session.store.path.parent
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retries"), "3")
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:  # running as root: permissions do not stop us, so this case cannot be made here
            probe.unlink()
            pytest.skip("file permissions are not enforced for this user")
        assert not sheet.apply()
    finally:
        folder.chmod(0o755)
    assert len(errors) == 1 and "could not be saved" in errors[0]
    assert spin(sheet, "retries").value() == 3 and sheet.apply_button.isEnabled()


@pytest.mark.parametrize(
    ("key", "typed", "shown"),
    [
        ("retry_delay_min", "abc", "6"),  # letters never enter the field
        ("retry_delay_min", "-3", "3"),  # no sign
        ("retry_delay_min", "150", "15"),  # a key that would leave the range is refused
        ("all_sites", "1000", "100"),
        ("retries", "4.5", "45"),
        ("retries", "2e3", "23"),
    ],
)
def test_typed_garbage_never_becomes_a_value(qtbot, session, key, typed, shown) -> None:
    """The refused keys never enter the field, and what is left is not saved until the user has seen it."""
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    box = spin(sheet, key)
    type_into(qtbot, box, typed)
    assert box.lineEdit().text() == shown
    assert sheet.advanced_page.shown_notes()[key].startswith(f"{box.accessibleName()} accepts {box.minimum()} to ")
    assert not sheet.apply() and not sheet.ok_button.isEnabled()
    assert session.store.path.read_text() == before
    # Selecting the text and typing the value the field shows is the user's own choice: the note goes.
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(box.lineEdit(), shown)
    assert sheet.advanced_page.shown_notes() == {}
    assert sheet.apply()
    saved = _stored(session)
    assert getattr(saved, key) == int(shown)
    assert box.minimum() <= getattr(saved, key) <= box.maximum()


@pytest.mark.parametrize("typed", ["0", "00"])
def test_text_below_the_range_reverts_with_a_note_and_saves_nothing(qtbot, session, typed) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    box = spin(sheet, "retries")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)
    qtbot.keyClicks(box.lineEdit(), typed)
    assert box.lineEdit().text() == typed
    sheet.accept()
    assert sheet.isVisible()  # OK did not close: the field went back to 2 and says so
    assert box.value() == 2 and box.lineEdit().text() == "2"
    assert "went back to 2" in sheet.advanced_page.shown_notes()["retries"]
    assert session.store.path.read_text() == before


def test_an_emptied_field_reverts_quietly_on_ok(qtbot, session) -> None:
    """Clearing a field and leaving it empty is "never mind", not a typed value: it reverts without a note."""
    sheet = open_sheet(qtbot, session, "LAB")
    before = session.store.path.read_text()
    box = spin(sheet, "retries")
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Delete)
    sheet.accept()
    assert not sheet.isVisible() and box.value() == 2
    assert json.loads(before) == json.loads(session.store.path.read_text())


@pytest.mark.qt_log_ignore("does not support raise", "does not support activat")
def test_help_opens_our_page_in_a_window_that_does_not_block(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    qtbot.mouseClick(sheet.help_button, Qt.MouseButton.LeftButton)
    viewer = sheet.findChild(HelpViewer, "helpViewer")
    assert viewer is not None and viewer.isVisible() and viewer.isWindow()
    assert not viewer.isModal() and not sheet.isModal()
    assert viewer.loaded and viewer.browser.source().fileName() == "sender-properties.html"
    text = viewer.findChild(QTextBrowser).toPlainText()
    assert "Q278357" in text and "Delay before retrying" in text and "Per site" in text
    assert viewer.windowTitle() == "Standard Sender Properties - Sender Console Help"
    # the sheet still takes input while help is open
    type_into(qtbot, spin(sheet, "retries"), "5")
    assert sheet.apply_button.isEnabled()
    # a second click reuses the window
    assert sheet.show_help() is viewer


@pytest.mark.qt_log_ignore("does not support raise", "does not support activat")
def test_help_says_so_when_the_page_is_missing(qtbot, session, monkeypatch, tmp_path) -> None:
    import console.ui.common.help_viewer as help_viewer

    monkeypatch.setattr(help_viewer, "help_file", lambda page: tmp_path / "missing" / page)
    sheet = open_sheet(qtbot, session, "LAB")
    viewer = sheet.show_help()
    assert not viewer.loaded
    assert "Help page missing" in viewer.browser.toPlainText()
