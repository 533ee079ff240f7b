"""The sheet is modeless: it follows changes the console window makes to the same site meanwhile."""

from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QMessageBox
from sheet_support import make_session, open_sheet, spin, type_into

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.versions import SiteVersion
from console.ui.sheet.properties_sheet import SenderPropertiesDialog


@pytest.fixture
def session(tmp_path) -> SiteSession:
    return make_session(tmp_path)


def test_new_version_re_evaluates_the_advisory_and_the_general_tab(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")  # SP3, delay 6: warned
    assert sheet.advanced_page.advisory.isVisible()
    lab = session.site("LAB")
    session.edit_site("LAB", lab.replace(version=SiteVersion.SP4))
    assert not sheet.advanced_page.advisory.isVisible()
    assert sheet.general_page.values["senderVersion"].text() == "2.0 SP4 (2.00.1493.4000)"
    session.edit_site("LAB", lab.replace(version=SiteVersion.SP1))
    assert sheet.advanced_page.advisory.isVisible()


def test_rename_moves_the_sheet_to_the_new_code(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    session.edit_site("LAB", session.site("LAB").replace(code="TRN", name="Training"))
    assert sheet.site_code == "TRN"
    assert sheet.general_page.values["senderSite"].text() == "TRN - Training"
    type_into(qtbot, spin(sheet, "retry_delay_min"), "5")
    assert sheet.apply()
    assert session.site("TRN").standard_sender.settings.retry_delay_min == 5


def test_settings_saved_elsewhere_replace_untouched_fields(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retries=4, retry_delay_min=2))
    assert [spin(sheet, k).value() for k in ("retries", "retry_delay_min")] == [4, 2]
    assert not sheet.apply_button.isEnabled() and not sheet.advanced_page.advisory.isVisible()


def test_settings_saved_elsewhere_never_overwrite_the_users_edits(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "all_sites"), "9")
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(all_sites=7, retry_delay_min=6))
    assert spin(sheet, "all_sites").value() == 9 and sheet.apply_button.isEnabled()
    type_into(qtbot, spin(sheet, "all_sites"), "7")  # now equal to the new saved value
    assert not sheet.apply_button.isEnabled()


def test_other_sites_and_senders_are_ignored(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "CEN")
    session.update_sender_settings("CEN", SenderType.ASYNC_RAS, SenderSettings.for_ras(all_sites=9))
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(all_sites=8))
    assert spin(sheet, "all_sites").value() == 5


def test_removed_site_apply_says_so_and_keeps_the_edits(qtbot, session, monkeypatch) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda p, t, text, *a, **k: errors.append(text)))
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retries"), "3")
    session.remove_site("LAB")
    assert not sheet.apply()
    assert len(errors) == 1 and "no site 'LAB'" in errors[0]
    assert spin(sheet, "retries").value() == 3


def test_a_deleted_sheet_stops_listening(qtbot, session) -> None:
    sheet = SenderPropertiesDialog(session, "LAB")
    assert len(session._listeners) == 1
    sheet.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(sheet)
    session.update_sender_settings("LAB", SenderType.STANDARD, SenderSettings(retries=5))  # must not raise
    assert session._listeners == []
