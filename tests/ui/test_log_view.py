"""SenderLogView live behaviour: columns, highlighting, batch inserts, follow/scroll, pause, filter, cap, copy."""

from __future__ import annotations

import datetime as dt

import pytest
from log_samples import PCK, START, filler_lines, story_lines
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLabel

from console.engine.log_format import format_line
from console.logs.classify import Severity
from console.logs.live_rows import rows_from_lines
from console.ui.log.log_model import (
    COLUMNS,
    ERROR_BACKGROUND,
    ERROR_FOREGROUND,
    LINE_ROLE,
    SEVERITY_ROLE,
    WARNING_BACKGROUND,
    LogTableModel,
)
from console.ui.log.log_view import SenderLogView


@pytest.fixture
def view(qtbot) -> SenderLogView:
    v = SenderLogView()
    qtbot.addWidget(v)
    v.resize(1000, 400)
    v.show()
    qtbot.waitExposed(v)
    return v


def texts(view: SenderLogView) -> list[str]:
    m = view.model()
    return [m.index(r, 0).data() for r in range(m.rowCount())]


def scroll(view: SenderLogView):
    return view.table().verticalScrollBar()


def test_object_name_and_columns(view: SenderLogView) -> None:
    assert view.objectName() == "SenderLogView"
    m = view.model()
    assert [m.headerData(c, Qt.Orientation.Horizontal) for c in range(m.columnCount())] == list(COLUMNS)
    assert COLUMNS == ("Log Text", "Component", "Date/Time", "Thread")


def test_sms_line_fills_all_four_columns(view: SenderLogView) -> None:
    line = format_line("Heartbeat is expired.", dt.datetime(2000, 11, 16, 10, 23, 45, 120_000), 205)
    view.append_lines([line + "\n"])
    m = view.model()
    row = [m.index(0, c).data() for c in range(4)]
    assert row == ["Heartbeat is expired.", "SMS_LAN_SENDER", "11/16/2000 10:23:45.120", "205 (0xCD)"]
    assert m.index(0, 2).data(Qt.ItemDataRole.ToolTipRole) == "11/16/2000 10:23:45.120 Eastern Standard Time"
    assert m.index(0, 0).data(LINE_ROLE) == line  # round-trips to the line as written


def test_foreign_line_is_shown_whole_with_empty_columns(view: SenderLogView) -> None:
    foreign = "Size mismatch in RoutingInfo record.  $$<SMS_SCHEDULER><Wed Nov 06 08:49:37 1996~><thread=D7>"
    view.append_lines([foreign, "", "just some text\r\n"])
    m = view.model()
    assert [m.index(r, 0).data() for r in range(3)] == [foreign, "", "just some text"]
    for r in range(3):
        assert [m.index(r, c).data() for c in (1, 2, 3)] == ["", "", ""]


def test_highlight_roles_follow_the_classification(view: SenderLogView) -> None:
    view.append_lines(story_lines())
    m = view.model()
    by_text = {m.index(r, 0).data(): r for r in range(m.rowCount())}

    def role(text: str, r: int, column: int = 0):
        return m.index(by_text[text], column).data(r)

    err = f"Cannot create/open the remote file {PCK}, Win32 error = 32."
    for text in ("Heartbeat is expired.", "Can't re-establish the connection.", err):
        assert role(text, SEVERITY_ROLE) == Severity.ERROR
        for column in range(4):  # the whole row, as CMTrace paints it
            assert role(text, Qt.ItemDataRole.BackgroundRole, column).color() == ERROR_BACKGROUND
            assert role(text, Qt.ItemDataRole.ForegroundRole, column).color() == ERROR_FOREGROUND
        assert not role(text, Qt.ItemDataRole.DecorationRole).isNull()
    assert role("Operation is retryable.", SEVERITY_ROLE) == Severity.WARNING
    assert role("Operation is retryable.", Qt.ItemDataRole.BackgroundRole).color() == WARNING_BACKGROUND
    ok = "There is no existing connection, Win32 error = 0"
    assert role(ok, SEVERITY_ROLE) == Severity.NORMAL
    assert role(ok, Qt.ItemDataRole.BackgroundRole) is None
    assert role(ok, Qt.ItemDataRole.ForegroundRole) is None
    assert "ERROR_SHARING_VIOLATION" in role(err, Qt.ItemDataRole.ToolTipRole)


def test_error_colours_contrast_enough() -> None:
    def luminance(c) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())

    hi, lo = sorted((luminance(ERROR_FOREGROUND), luminance(ERROR_BACKGROUND)), reverse=True)
    assert (hi + 0.05) / (lo + 0.05) >= 4.5


def test_a_batch_is_one_model_insert(view: SenderLogView) -> None:
    inserts: list[tuple[int, int]] = []
    view.model().rowsInserted.connect(lambda _p, first, last: inserts.append((first, last)))
    view.append_lines(filler_lines(5000))
    view.append_lines(story_lines())
    assert inserts == [(0, 4999), (5000, 5000 + len(story_lines()) - 1)]
    assert view.line_count() == 5000 + len(story_lines())
    view.append_lines([])
    assert len(inserts) == 2


def test_follows_the_end_while_at_the_end(qtbot, view: SenderLogView) -> None:
    view.append_lines(filler_lines(500))
    qtbot.waitUntil(lambda: scroll(view).maximum() > 0 and scroll(view).value() == scroll(view).maximum())
    view.append_lines(filler_lines(300))
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum() and view.model().rowCount() == 800)
    assert view.is_following()
    assert view.jump_button().isHidden()


def test_scrolled_up_keeps_its_place_and_counts_new_lines(qtbot, view: SenderLogView) -> None:
    view.append_lines(filler_lines(500))
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum() > 0)
    scroll(view).setValue(40)  # the user scrolls up
    assert not view.is_following()
    view.append_lines(filler_lines(120))
    view.append_lines(story_lines())
    qtbot.waitUntil(lambda: scroll(view).maximum() >= 620)
    assert scroll(view).value() == 40
    assert view.unseen_count() == 120 + len(story_lines())
    jump = view.jump_button()
    assert not jump.isHidden()
    assert jump.text() == f"{120 + len(story_lines())} new lines — Jump to end"

    qtbot.mouseClick(jump, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum())
    assert view.is_following() and view.unseen_count() == 0 and jump.isHidden()


def test_scrolling_back_to_the_end_resumes_following(qtbot, view: SenderLogView) -> None:
    view.append_lines(filler_lines(500))
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum() > 0)
    first_max = scroll(view).maximum()
    scroll(view).setValue(10)
    view.append_lines(filler_lines(10))
    qtbot.waitUntil(lambda: scroll(view).maximum() == first_max + 10)
    assert scroll(view).value() == 10 and not view.is_following()
    scroll(view).setValue(scroll(view).maximum())
    assert view.is_following() and view.jump_button().isHidden()
    view.append_lines(filler_lines(50))
    qtbot.waitUntil(lambda: view.model().rowCount() == 560 and scroll(view).value() == scroll(view).maximum())


def test_pause_holds_lines_and_resume_shows_them_all(qtbot, view: SenderLogView) -> None:
    view.append_lines(story_lines()[:5])
    qtbot.mouseClick(view.pause_button(), Qt.MouseButton.LeftButton)
    assert view.is_paused() and view.pause_button().text() == "&Resume"
    view.append_lines(story_lines()[5:10])
    view.append_lines(story_lines()[10:])
    assert view.line_count() == 5 and view.held_count() == len(story_lines()) - 5
    assert "paused, 22 new waiting" in view.count_text()
    inserts: list[int] = []
    view.model().rowsInserted.connect(lambda *_: inserts.append(1))
    view.set_paused(False)
    assert not view.pause_button().isChecked()
    assert inserts == [1]  # all held lines in one batch
    assert texts(view) == [r.text for r in rows_from_lines(story_lines())]
    assert view.held_count() == 0 and "paused" not in view.count_text()


def test_filter_matches_text_component_or_thread_case_insensitively(view: SenderLogView) -> None:
    lines = [*story_lines(), format_line("Scheduler note", START, 77, component="SMS_SCHEDULER")]
    view.append_lines(lines)
    total = len(lines)
    view.set_filter_text("HEARTBEAT")
    assert texts(view) == ["Heartbeat is expired."]
    assert view.count_text() == f"Showing 1 of {total} lines"
    view.set_filter_text("sms_scheduler")
    assert texts(view) == ["Scheduler note"]
    view.set_filter_text("0x13E")  # thread 318
    assert view.visible_count() == sum(1 for line in lines if "thread=318 " in line)
    view.set_filter_text("eastern")  # the zone is not a filter field
    assert view.visible_count() == 0
    view.set_filter_text("")
    assert view.visible_count() == total
    assert view.count_text() == f"Showing {total} of {total} lines"


def test_new_lines_respect_the_filter(view: SenderLogView) -> None:
    view.append_lines(story_lines())
    view.set_filter_text("retryable")
    before = view.visible_count()
    view.append_lines([*filler_lines(100), format_line("Operation is retryable.", START, 5)])
    assert view.visible_count() == before + 1
    assert view.line_count() == len(story_lines()) + 101


def test_filter_box_applies_after_a_short_pause_in_typing(qtbot, view: SenderLogView) -> None:
    view.append_lines(story_lines())
    qtbot.keyClicks(view.filter_edit(), "expired")
    assert view.visible_count() == len(story_lines())  # debounced: not yet
    qtbot.waitUntil(lambda: view.visible_count() == 1)
    assert texts(view) == ["Heartbeat is expired."]


def test_filter_change_keeps_the_current_line_when_scrolled_up(qtbot, view: SenderLogView) -> None:
    view.append_lines(filler_lines(300) + story_lines() + filler_lines(300))
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum() > 0)
    target = view.model().index(300 + 15, 0)  # "Heartbeat is expired."
    assert target.data() == "Heartbeat is expired."
    view.table().scrollTo(target)
    view.table().setCurrentIndex(target)
    assert not view.is_following()
    view.set_filter_text("0xCD")
    current = view.table().currentIndex()
    assert current.data() == "Heartbeat is expired."
    view.set_filter_text("")
    assert view.table().currentIndex().data() == "Heartbeat is expired."
    assert view.table().currentIndex().row() == 315


def test_clear_empties_everything(view: SenderLogView) -> None:
    view.append_lines(story_lines())
    view.set_paused(True)
    view.append_lines(story_lines())
    view.clear()
    assert view.line_count() == 0 and view.held_count() == 0 and view.model().rowCount() == 0
    view.set_paused(False)
    assert view.line_count() == 0
    view.append_lines(story_lines()[:2])
    assert view.line_count() == 2


def test_old_lines_are_dropped_past_the_cap_and_the_view_says_so(qtbot) -> None:
    view = SenderLogView(max_lines=100)
    qtbot.addWidget(view)
    view.append_lines(filler_lines(80))
    view.append_lines(story_lines())  # 27 more: 7 over the cap
    assert view.line_count() == 100 and view.dropped_count() == 7
    assert texts(view)[-1] == story_lines()[-1].split("  $$")[0]
    assert texts(view)[0] == rows_from_lines(filler_lines(80))[7].text
    assert "7 older dropped" in view.count_text()
    assert "last 100 lines" in view.findChild(QLabel, "countLabel").toolTip()
    view.append_lines(filler_lines(250))  # one batch larger than the cap
    assert view.line_count() == 100 and view.dropped_count() == 7 + 100 + 150


def test_cap_while_filtered_drops_the_right_visible_rows() -> None:
    model = LogTableModel(max_lines=10)
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.set_filter("retryable")
    model.append_rows(rows_from_lines(story_lines()[:20]))  # 10 dropped at once; "retryable" is row 13
    assert model.total_count() == 10 and model.visible_count() == 1
    model.append_rows(rows_from_lines(story_lines()[20:25]))  # drops 5 more, including the retryable line
    assert removed == [(0, 0)]
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == ["Operation is retryable."]
    model.set_filter("")
    assert model.rowCount() == 10
    assert model.index(0, 0).data() == rows_from_lines(story_lines())[15].text
    assert model.row_for_seq(model.seq_at(0)) == 0 and model.row_for_seq(0) is None


def test_paused_lines_beyond_the_cap_count_as_dropped(qtbot) -> None:
    view = SenderLogView(max_lines=50)
    qtbot.addWidget(view)
    view.set_paused(True)
    view.append_lines(filler_lines(70))
    assert view.held_count() == 50 and view.dropped_count() == 20
    view.set_paused(False)
    assert view.line_count() == 50 and view.dropped_count() == 20


def test_scrolled_up_view_keeps_its_lines_in_place_when_old_ones_drop(qtbot) -> None:
    view = SenderLogView(max_lines=1000)
    qtbot.addWidget(view)
    view.resize(1000, 400)
    view.show()
    view.append_lines(filler_lines(1000))
    qtbot.waitUntil(lambda: scroll(view).value() == scroll(view).maximum() > 0)
    scroll(view).setValue(500)
    top_text = view.model().index(500, 0).data()
    view.append_lines(filler_lines(100, start=START + dt.timedelta(days=1)))
    qtbot.waitUntil(lambda: scroll(view).value() == 400)
    assert view.model().index(400, 0).data() == top_text
    assert not view.is_following()


def test_ctrl_c_copies_selected_lines_as_written(qtbot, view: SenderLogView) -> None:
    lines = story_lines()
    view.append_lines(lines)
    table = view.table()
    sel = table.selectionModel()
    flags = sel.SelectionFlag.Select | sel.SelectionFlag.Rows
    sel.select(view.model().index(16, 0), flags)
    sel.select(view.model().index(15, 0), flags)
    table.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == lines[15] + "\n" + lines[16] + "\n"
    assert view.selected_text() == lines[15] + "\n" + lines[16]


def test_detail_pane_shows_the_whole_current_line(view: SenderLogView) -> None:
    view.append_lines(story_lines())
    assert view.detail_text() == ""
    view.table().setCurrentIndex(view.model().index(21, 0))
    detail = view.detail_text().splitlines()
    assert detail[0] == f"Cannot create/open the remote file {PCK}, Win32 error = 32."
    assert detail[1] == "SMS_LAN_SENDER  ·  03/14/2001 09:07:40.620 Eastern Standard Time  ·  thread 318 (0x13E)"
    assert detail[2].startswith("Win32 error 32 ERROR_SHARING_VIOLATION")
    view.table().setCurrentIndex(QModelIndex())
    assert view.detail_text() == ""


def test_model_rejects_a_zero_cap() -> None:
    with pytest.raises(ValueError, match="max_lines"):
        LogTableModel(max_lines=0)


def test_the_live_view_has_a_pause_button(qtbot) -> None:
    live = SenderLogView()
    qtbot.addWidget(live)
    assert not live.pause_button().isHidden()
    assert QApplication.instance() is not None
