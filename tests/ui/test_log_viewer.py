"""The log viewer window: tabs, merging, colours, find, next error, highlight, filters, error look-up, elapsed
time, the diagnosis banner, drag and drop. Offscreen and deterministic (loads are waited for with the event loop)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication
from PySide6.QtWidgets import QLineEdit
from real_logs import needs_real_logs
from viewer_support import REAL_LARGE, REAL_SMALL, engine_log, sms2, write_lines

from console.logs.classify import Severity
from console.ui.log.diagnosis_banner import DiagnosisBanner
from console.ui.log.viewer_model import (
    ERROR_BACKGROUND,
    ERROR_FOREGROUND,
    HIGHLIGHT_BACKGROUND,
    SEVERITY_ROLE,
    WARNING_BACKGROUND,
    WARNING_FOREGROUND,
)
from console.ui.log.viewer_window import LogViewerWindow

PCK = r"\\LABSRV\SMS_SITE\2_4O7PRI.PCK"
STORY = [
    sms2("Found send request. ID: 2_4O7PRI, Dest Site: LAB", thread=188),
    sms2("Created sending thread (Thread ID = 205)", thread=188),
    sms2(f"Attempt to create/open the remote file {PCK}", minutes=0.1),
    sms2(r"Error during WNetAddConnection2 to \\LABSRV\SMS_SITE (53).", minutes=1),
    sms2("Operation is retryable.", minutes=1),
    sms2("Heartbeat is expired.", minutes=7),
    sms2("Can't re-establish the connection.", minutes=7),
    sms2("Found send request. ID: 2_4O7PRI, Dest Site: LAB", thread=188, minutes=8),
    sms2("Created sending thread (Thread ID = 318)", thread=188, minutes=8),
    sms2(f"Cannot create/open the remote file {PCK}, Win32 error = 32.", thread=318, minutes=8.5),
    sms2("No (more) send requests found to process.", thread=188, minutes=9),
]


@pytest.fixture
def viewer(qtbot) -> LogViewerWindow:
    w = LogViewerWindow()
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    return w


@pytest.fixture
def story(tmp_path: Path) -> Path:
    return write_lines(tmp_path / "Sender.log", STORY)


def opened(viewer: LogViewerWindow, *paths: Path):
    tab = viewer.open_paths(paths)
    assert tab is not None
    viewer.wait_loaded()
    return tab


def texts(tab) -> list[str]:
    return [tab.model.row(v)[0] for v in range(tab.model.rowCount())]


def test_object_names_and_the_columns(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    assert viewer.objectName() == "LogViewerWindow"
    assert isinstance(viewer.findChild(QLineEdit, "logFindEdit"), QLineEdit)
    assert isinstance(viewer.findChild(DiagnosisBanner, "diagnosisBanner"), DiagnosisBanner)
    m = tab.model
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == [
        "Log Text",
        "Component",
        "Date/Time",
        "Thread",
    ]
    assert m.index(0, 2).data() == "Thu Nov 16 10:00:00.000 2000 Eastern Standard Time"  # as written
    assert m.index(0, 3).data() == "188 (0xBC)"
    assert viewer.tabs.tabText(0) == "Sender.log"


def test_errors_red_warnings_yellow_with_readable_text(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    m = tab.model
    err, warn = 3, 4
    assert m.index(err, 0).data(SEVERITY_ROLE) == Severity.ERROR
    assert m.index(err, 0).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert m.index(err, 0).data(Qt.ItemDataRole.ForegroundRole).color() == ERROR_FOREGROUND
    assert m.index(warn, 1).data(Qt.ItemDataRole.BackgroundRole).color() == WARNING_BACKGROUND
    assert m.index(warn, 1).data(Qt.ItemDataRole.ForegroundRole).color() == WARNING_FOREGROUND
    assert m.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None  # normal rows take the palette's colours

    def contrast(a, b) -> float:
        def lum(c) -> float:
            ch = [x / 255 for x in (c.red(), c.green(), c.blue())]
            ch = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
            return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]

        hi, lo = sorted((lum(a), lum(b)), reverse=True)
        return (hi + 0.05) / (lo + 0.05)

    assert contrast(ERROR_BACKGROUND, ERROR_FOREGROUND) >= 4.5
    assert contrast(WARNING_BACKGROUND, WARNING_FOREGROUND) >= 4.5
    assert "2 errors" not in viewer.count_label.text() and "4 errors · 1 warnings" in viewer.count_label.text()


def test_find_ctrl_f_f3_and_shift_f3(qtbot, viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    viewer.activateWindow()
    viewer.find_action.trigger()
    assert viewer.find_edit.hasFocus() or QGuiApplication.focusWindow() is None  # offscreen may not give focus
    viewer.find_edit.setText("found send request")
    viewer.find_next_action.trigger()  # F3
    assert tab.current_view_row() == 0
    viewer.find_next_action.trigger()
    assert tab.current_view_row() == 7
    viewer.find_next_action.trigger()  # wraps around
    assert tab.current_view_row() == 0
    viewer.find_prev_action.trigger()  # Shift+F3
    assert tab.current_view_row() == 7
    assert viewer.find_next_action.shortcut().toString() == "F3"
    assert viewer.find_prev_action.shortcut().toString() == "Shift+F3"
    viewer.find_edit.setText("nothing like this")
    assert not viewer.find_next()
    assert "not found" in viewer.statusBar().currentMessage()


def test_next_and_previous_error_or_warning(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    tab.select_view_row(0)
    seen = []
    while viewer.next_mark(True):
        seen.append(tab.current_view_row())
    assert seen == [3, 4, 5, 6, 9]
    assert viewer.next_mark(False) and tab.current_view_row() == 6
    assert viewer.next_mark_action.shortcut().toString() == "F8"
    assert "F8" in viewer.next_mark_action.toolTip() and "Shift+F8" in viewer.prev_mark_action.toolTip()


def test_highlight_text_or_a_thread_number(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    viewer.highlight_edit.setText("188")
    assert [v for v in range(tab.model.rowCount()) if tab.model.highlighted(v)] == [0, 1, 7, 8, 10]
    assert tab.model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == HIGHLIGHT_BACKGROUND
    viewer.highlight_edit.setText("0x13E")  # thread 318: its line is an error, which stays red and turns bold
    assert [v for v in range(tab.model.rowCount()) if tab.model.highlighted(v)] == [9]
    assert tab.model.index(9, 0).data(Qt.ItemDataRole.BackgroundRole).color() == ERROR_BACKGROUND
    assert tab.model.index(9, 0).data(Qt.ItemDataRole.FontRole).bold()
    viewer.highlight_edit.setText("created sending thread")
    assert [v for v in range(tab.model.rowCount()) if tab.model.highlighted(v)] == [1, 8]
    viewer.highlight_edit.clear()
    assert not any(tab.model.highlighted(v) for v in range(tab.model.rowCount()))


def test_column_filter_bar(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    tab.select_view_row(9)  # thread 318's error: the filter below hides it
    assert tab.details.toPlainText()
    viewer.filter_action.trigger()
    bar = tab.filter_bar
    assert bar.isVisible()
    bar.column_combo.setCurrentText("Thread")
    assert bar.op_combo.findText("before") == -1  # before/after only for the time column
    bar.op_combo.setCurrentText("is")
    bar.value_edit.setText("0xBC")
    bar.add_current()
    assert tab.model.visible_count() == 5
    assert tab.details.toPlainText() == ""  # no longer describes a line that is not shown
    assert bar.add("Date/Time", "after", "10:05") is not None
    assert tab.model.visible_count() == 3  # thread 188 after 10:05
    assert "of 11 lines" in viewer.count_label.text()
    assert bar.add("Thread", "before", "10:00") is None and "Date/Time" in bar.status.text()
    bar.clear()
    assert tab.model.visible_count() == 11


def test_error_lookup_in_the_details_pane(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    tab.select_view_row(9)
    details = tab.details.toPlainText()
    assert "Win32 error 32 ERROR_SHARING_VIOLATION" in details
    assert "line 10" in details and "thread 318 (0x13E)" in details
    tab.select_view_row(0)
    assert "no Win32 error code" in tab.details.toPlainText()


def test_elapsed_time_in_the_status_bar(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    tab.select_view_row(5)
    assert viewer.elapsed_label.text() == "Elapsed 0:07:00.000 since the first line"
    sel = tab.table.selectionModel()
    sel.select(tab.model.index(9, 0), sel.SelectionFlag.Select | sel.SelectionFlag.Rows)
    assert viewer.elapsed_label.text() == "Elapsed 0:01:30.000 across 2 selected lines"


def test_q278357_banner_jumps_to_the_heartbeat_line(tmp_path: Path, viewer: LogViewerWindow) -> None:
    log = engine_log(tmp_path, "q278357-sp3")
    tab = opened(viewer, log)
    banner = tab.banner
    assert banner.isVisibleTo(viewer)
    assert banner.summary_text().startswith("Q278357: request 2_001PRI stranded at 09:08")
    banner.findChild(object, "diagnosisShowButton").click()
    assert tab.model.row(tab.current_view_row())[0] == "Heartbeat is expired."
    assert tab.model.row(tab.current_view_row())[7] == banner.current.line


@needs_real_logs
def test_no_banner_without_findings(viewer: LogViewerWindow) -> None:
    tab = opened(viewer, REAL_SMALL)
    assert not tab.banner.isVisibleTo(viewer)


@needs_real_logs
def test_real_ccm_logs_read_with_their_multi_line_messages(viewer: LogViewerWindow) -> None:
    tab = opened(viewer, REAL_LARGE)
    m = tab.model
    assert m.total_count() > 5000
    assert m.errors > 0 and m.warnings > 0
    assert m.index(0, 1).data() == "TSMBootstrap" or m.index(0, 1).data()
    multi = next(v for v in range(m.rowCount()) if "\n" in m.row(v)[0])
    assert "\u23ce" in m.index(multi, 0).data()  # one row, its line breaks shown as a sign
    assert viewer.tabs.tabText(0) == REAL_LARGE.name


def test_a_log_and_its_lo_are_one_tab_several_logs_merge_by_time(tmp_path: Path, viewer: LogViewerWindow) -> None:
    write_lines(tmp_path / "a" / "Sender.lo_", [sms2("old", minutes=0)])
    a = write_lines(tmp_path / "a" / "Sender.log", [sms2("new", minutes=2)])
    tab = opened(viewer, a)
    assert texts(tab) == ["old", "new"] and viewer.tabs.tabText(0) == "Sender.log (+ .lo_)"
    b = write_lines(tmp_path / "b" / "Sender.log", [sms2("pacific", minutes=-179, zone="Pacific Standard Time")])
    merged = opened(viewer, a, b)
    assert viewer.tabs.count() == 2
    assert texts(merged) == ["old", "pacific", "new"]  # 07:01 PST is 10:01 EST: between 10:00 and 10:02
    assert merged.model.columnCount() == 5 and merged.model.index(1, 4).data() == "Sender.log:1"


def test_drag_and_drop_opens_the_files(qtbot, tmp_path: Path, viewer: LogViewerWindow, story: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(story))])
    drop = QDropEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    )
    viewer.dropEvent(drop)
    viewer.wait_loaded()
    assert viewer.tabs.count() == 1 and viewer.tab().model.total_count() == len(STORY)
    assert viewer.acceptDrops()


def test_copy_puts_the_selected_lines_on_the_clipboard(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    tab.select_view_row(5)
    assert tab.copy_selection().startswith("Heartbeat is expired.\tSMS_LAN_SENDER\tThu Nov 16 10:07:00.000")


def test_closing_a_tab_stops_following(viewer: LogViewerWindow, story: Path) -> None:
    tab = opened(viewer, story)
    assert tab.follow_timer.isActive() and tab.followers
    viewer.close_current()
    assert viewer.tabs.count() == 0 and not tab.follow_timer.isActive() and not tab.followers
