"""The Standard Sender Address Properties sheet: object names, drag and keyboard selection on the week grid,
the Availability list and legend, the substitute check box, the rate-limit strip, notes, and the Apply/OK/Cancel
rules shared with the sender sheet."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget
from sheet_support import make_session

from console.model.addresses import Availability
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.sheet.address_sheet import NEW_TITLE, TITLE, AddressPropertiesDialog
from console.ui.sheet.rate_limit_page import MIXED
from console.ui.sheet.schedule_grid import HourGrid
from console.ui.sheet.schedule_page import STYLES


def _open(qtbot, session: SiteSession, key=("CEN", "LAB", 1), from_site: str = "CEN") -> AddressPropertiesDialog:
    sheet = AddressPropertiesDialog(session, from_site, key)
    qtbot.addWidget(sheet)
    with qtbot.waitExposed(sheet):
        sheet.show()
    return sheet


def _centre(grid: HourGrid, row: int, hour: int) -> QPoint:
    return grid.cell_rect(row, hour).center()


def _drag(qtbot, grid: HourGrid, first: tuple[int, int], last: tuple[int, int]) -> None:
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=_centre(grid, *first))
    # QTest has no drag: a move event with the button held, as a real drag delivers
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    pos = _centre(grid, *last)
    move = QMouseEvent(
        QMouseEvent.Type.MouseMove,
        pos,
        grid.mapToGlobal(pos),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(grid, move)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=pos)


@pytest.fixture
def session(tmp_path: Path) -> SiteSession:
    return make_session(tmp_path)


def test_object_names_tabs_and_title(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    assert sheet.objectName() == "AddressPropertiesDialog"
    assert sheet.windowTitle() == f"{TITLE} \u2014 CEN \u2192 LAB (1)"
    names = [sheet.tabs.widget(i).objectName() for i in range(sheet.tabs.count())]
    assert names == ["addressGeneralTab", "addressScheduleTab", "addressRateLimitsTab"]
    assert [sheet.tabs.tabText(i) for i in range(3)] == ["&General", "&Schedule", "&Rate Limits"]
    assert isinstance(sheet.findChild(HourGrid, "scheduleGrid"), HourGrid)
    assert isinstance(sheet.findChild(QComboBox, "availabilityCombo"), QComboBox)
    assert isinstance(sheet.findChild(QCheckBox, "substituteCheck"), QCheckBox)
    assert not sheet.apply_button.isEnabled() and sheet.ok_button.isEnabled()


def test_grid_shows_the_demo_schedule_monday_first(qtbot, session) -> None:
    grid = _open(qtbot, session).schedule_page.grid
    assert grid.rows == 7 and grid.value_at(0, 9) is Availability.MEDIUM  # Monday 09:00
    assert grid.value_at(6, 9) is Availability.ALL and grid.value_at(0, 17) is Availability.ALL  # Sunday, 17:00


def test_drag_selects_a_rectangle_and_the_list_applies_to_it(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    sheet.tabs.setCurrentWidget(sheet.schedule_page)
    page = sheet.schedule_page
    _drag(qtbot, page.grid, (5, 20), (6, 23))  # Sat–Sun 20:00–24:00
    assert page.grid.selection() == (5, 6, 20, 23)
    assert page.selection_label.text() == "Sat\u2013Sun, 20:00\u201324:00"
    assert page.combo.currentText() == "Open for all priorities"
    page.combo.setCurrentIndex(3)
    page.combo.activated.emit(3)  # what a person's choice in the list sends
    assert {page.grid.value_at(r, h) for r in (5, 6) for h in range(20, 24)} == {Availability.CLOSED}
    assert page.grid.value_at(5, 19) is Availability.ALL and sheet.apply_button.isEnabled()
    assert page.schedule().at(0, 23) is Availability.CLOSED and page.schedule().at(6, 21) is Availability.CLOSED


def test_a_mixed_selection_leaves_the_list_blank(qtbot, session) -> None:
    page = _open(qtbot, session).schedule_page
    _drag(qtbot, page.grid, (0, 6), (0, 10))
    assert page.combo.currentIndex() == -1 and page.combo.currentText() == ""


def test_day_name_and_hour_number_take_a_row_or_a_column(qtbot, session) -> None:
    grid = _open(qtbot, session).schedule_page.grid
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(4, _centre(grid, 2, 0).y()))
    assert grid.selection() == (2, 2, 0, 23)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(_centre(grid, 0, 7).x(), 2))
    assert grid.selection() == (0, 6, 7, 7)
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=QPoint(2, 2))
    assert grid.selection() == (0, 6, 0, 23)


def test_keyboard_moves_and_shift_arrows_stretch_the_selection(qtbot, session) -> None:
    grid = _open(qtbot, session).schedule_page.grid
    grid.setFocus()
    grid.select((0, 8), (0, 8))
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.selection() == (0, 0, 9, 9)
    for _ in range(3):
        qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert grid.selection() == (0, 1, 9, 12) and grid.selection_text() == "Mon\u2013Tue, 09:00\u201313:00"
    qtbot.keyClick(grid, Qt.Key.Key_End, Qt.KeyboardModifier.ShiftModifier)
    assert grid.selection() == (0, 1, 9, 23)
    qtbot.keyClick(grid, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert grid.selection() == (0, 6, 0, 23)
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # a plain arrow collapses the selection to the moved cell
    assert grid.selection() == (6, 6, 22, 22)


def test_legend_names_each_value_and_values_differ_by_pattern_or_shade(qtbot, session) -> None:
    page = _open(qtbot, session).schedule_page
    assert [label.text() for label in page.legend_labels.values()] == [a.label for a in Availability]
    looks = {(s.pattern, s.colour.lightness() // 40) for s in STYLES.values()}
    assert len(looks) == 4  # distinct without colour: pattern and lightness band


def test_substitute_check_is_the_inverse_of_the_model_flag(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    check = sheet.schedule_page.substitute_check
    assert not check.isChecked() and sheet.schedule_page.substitute()
    check.setChecked(True)
    assert sheet.apply_button.isEnabled()
    assert sheet.apply()
    assert session.database.address("CEN", "LAB").substitute is False and not sheet.apply_button.isEnabled()
    check.setChecked(False)
    check.setChecked(True)  # back to the saved value: nothing to apply
    assert not sheet.apply_button.isEnabled()


def test_rate_strip_starts_at_100_and_sets_the_selected_hours(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    page = sheet.rate_page
    assert page.unlimited_radio.isChecked() and not page.box.isEnabled()
    page.limited_radio.setChecked(True)
    assert page.box.isEnabled() and page.strip.values()[0] == [100] * 24
    _drag(qtbot, page.strip, (0, 8), (0, 16))
    page.percent_spin.setValue(40)
    assert page.strip.values()[0][8:17] == [40] * 9 and page.strip.values()[0][7] == 100
    assert sheet.apply()
    limit = session.database.address("CEN", "LAB").rate_limit
    assert limit.at(3, 10) == 40 and limit.at(0, 20) == 100
    page.unlimited_radio.setChecked(True)
    assert sheet.apply() and session.database.address("CEN", "LAB").rate_limit.is_unlimited


def test_demo_rate_limit_shows_on_the_strip_and_days_that_differ_are_kept(qtbot, session) -> None:
    page = _open(qtbot, session, ("NYC", "BOS", 1), "NYC").rate_page
    strip = page.strip.values()[0]
    assert page.limited_radio.isChecked() and strip[8] == 50 and strip[7] is None
    from dataclasses import replace

    a = session.database.address("NYC", "BOS")
    session.edit_address(("NYC", "BOS", 1), replace(a, rate_limit=a.rate_limit.with_hours("Sat", "08:00-09:00", 10)))
    page.set_rate_limit(session.database.address("NYC", "BOS").rate_limit)
    assert page.strip.values()[0][8] == MIXED and page.rate_limit().at(6, 8) == 10 and page.rate_limit().at(1, 8) == 50


def test_a_refused_server_name_gets_a_note_and_blocks_ok_and_apply(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    edit = sheet.general_page.server_edit
    edit.selectAll()
    qtbot.keyClicks(edit, "LAB/SRV")
    assert "contains '/'" in sheet.general_page.server_note.text
    assert not sheet.ok_button.isEnabled() and not sheet.apply_button.isEnabled()
    assert not sheet.apply() and session.database.address("CEN", "LAB").server == "LABSRV01"
    edit.selectAll()
    qtbot.keyClicks(edit, "A" * 16)
    assert "longer than 15 characters" in sheet.general_page.server_note.text
    edit.clear()
    qtbot.keyClicks(edit, " ")
    assert "must not be empty" in sheet.general_page.server_note.text
    edit.selectAll()
    qtbot.keyClicks(edit, "labsrv02")
    assert sheet.general_page.server_note.text == "" and sheet.ok_button.isEnabled()
    sheet.accept()
    assert session.database.address("CEN", "LAB").server == "LABSRV02" and not sheet.isVisible()


def test_a_taken_priority_gets_a_note(qtbot, session) -> None:
    from console.model.addresses import Address

    session.add_address(Address("CEN", "LAB", 2, "LABBAK"))
    sheet = _open(qtbot, session)
    sheet.general_page.priority_spin.setValue(2)
    assert (
        "already used" in sheet.general_page.priority_note.text and "3 is free" in sheet.general_page.priority_note.text
    )
    assert not sheet.apply_button.isEnabled() and not sheet.apply()
    sheet.general_page.priority_spin.setValue(4)
    assert sheet.general_page.priority_note.text == "" and sheet.apply()
    assert [a.priority for a in session.database.addresses_from("CEN") if a.dest == "LAB"] == [2, 4]
    assert sheet.key == ("CEN", "LAB", 4) and sheet.windowTitle().endswith("(4)")


def test_cancel_drops_what_was_not_applied(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    sheet.schedule_page.grid.select_all()
    sheet.schedule_page.apply_availability(Availability.CLOSED)
    sheet.reject()
    assert session.database.address("CEN", "LAB").schedule.at(0, 0) is Availability.ALL


def test_new_address_defaults_to_the_next_free_priority_and_the_destination_server(qtbot, session) -> None:
    sheet = _open(qtbot, session, None, "LAB")
    page = sheet.general_page
    assert sheet.windowTitle() == f"{NEW_TITLE} \u2014 LAB" and sheet.apply_button.isEnabled()
    assert page.dest() == "CEN" and page.priority() == 2 and page.server() == "CENSRV01"
    page.dest_combo.setCurrentIndex(page.dest_combo.findData("BOS"))
    assert page.priority() == 1 and page.server() == "BOSSRV01"
    assert sheet.apply()
    assert session.database.address("LAB", "BOS").server == "BOSSRV01"
    assert page.dest_combo.isHidden() and not sheet.apply_button.isEnabled()
    assert sheet.windowTitle() == f"{TITLE} \u2014 LAB \u2192 BOS (1)"


def test_the_sheet_follows_an_edit_made_elsewhere_when_untouched(qtbot, session, tmp_path) -> None:
    from dataclasses import replace

    sheet = _open(qtbot, session)
    a = session.database.address("CEN", "LAB")
    session.edit_address(("CEN", "LAB", 1), replace(a, server="ELSEWHERE"))
    assert sheet.general_page.server() == "ELSEWHERE" and not sheet.apply_button.isEnabled()


def test_help_opens_our_own_page(qtbot, session) -> None:
    sheet = _open(qtbot, session)
    viewer = sheet.show_help()
    qtbot.addWidget(viewer)
    assert viewer.loaded


def test_screenshots_of_each_tab(qtbot, session, tmp_path) -> None:
    """Not a comparison: writes the three tabs (a person looks at them); each must show its own page."""
    sheet = _open(qtbot, session)
    for i, name in enumerate(("general", "schedule", "rate-limits")):
        sheet.tabs.setCurrentIndex(i)
        image = sheet.grab().toImage()
        assert not image.isNull() and image.width() >= 600
        image.save(str(tmp_path / f"address-{name}.png"))
        assert isinstance(sheet.tabs.currentWidget(), QWidget)


def test_two_sessions_same_address_asks_keep_mine(qtbot, tmp_path, monkeypatch) -> None:
    from dataclasses import replace

    path = tmp_path / "config" / "sites.json"
    mine = make_session(tmp_path)
    other = SiteSession.open(SiteStore(path))[0]
    sheet = _open(qtbot, mine)
    a = other.database.address("CEN", "LAB")
    other.edit_address(("CEN", "LAB", 1), replace(a, server="THEIRS"))
    asked: list[str] = []

    def keep(parent, session, conflict, doing):
        asked.append(doing)
        session.keep_mine(conflict)
        return True

    monkeypatch.setattr("console.ui.sheet.address_sheet.resolve_conflict", keep)
    sheet.general_page.server_edit.setText("MINE")
    sheet.general_page.server_edit.textEdited.emit("MINE")
    assert sheet.apply() and asked == [TITLE]
    assert SiteSession.open(SiteStore(path))[0].database.address("CEN", "LAB").server == "MINE"
