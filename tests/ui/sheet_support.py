"""Helpers shared by the properties-sheet tests (plain functions, so no conftest is needed in tests/ui)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QSpinBox

from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.sheet.properties_sheet import SenderPropertiesDialog


def make_session(tmp_path: Path) -> SiteSession:
    """A session on a fresh demo site file under ``tmp_path`` (CEN SP4, LAB SP3 delay 6, NYC SP4, BOS RTM)."""
    return SiteSession.open(SiteStore(tmp_path / "config" / "sites.json"))[0]


def open_sheet(
    qtbot, session: SiteSession, code: str = "LAB", kind: SenderType = SenderType.STANDARD, *, advanced: bool = True
) -> SenderPropertiesDialog:
    sheet = SenderPropertiesDialog(session, code, kind)
    qtbot.addWidget(sheet)
    if advanced:
        sheet.show_advanced()
    with qtbot.waitExposed(sheet):
        sheet.show()
    return sheet


def spin(sheet: SenderPropertiesDialog, key: str) -> QSpinBox:
    assert sheet.advanced_page is not None
    return sheet.advanced_page.spins[key]


def type_into(qtbot, box: QSpinBox, text: str) -> None:
    """Replace the field's text the way a user does: select it all, then type key by key."""
    box.setFocus()
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), text)
