"""SenderLogView fed by the live engine: rows from LogEvent fields, and a hidden tab that queues and catches up."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from log_samples import story_lines
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from console.engine.events import LogEvent
from console.engine.log_format import format_line, parse_fields, parse_line
from console.logs.live_rows import original_line, rows_from_events, rows_from_lines
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.ui.live.engine_bridge import EngineBridge
from console.ui.log.log_view import SenderLogView


def engine_log_events(minutes: float = 20.0, start: str = "") -> tuple[list[LogEvent], dt.datetime]:
    scenario = load_scenario(resource_path("scenarios", "q278357-sp3.toml"))
    if start:
        scenario = dataclasses.replace(scenario, start=dt.datetime.fromisoformat(start))
    bridge = EngineBridge.for_scenario(scenario, clock=lambda: 0.0)
    events: list[LogEvent] = []
    bridge.frame.connect(lambda batch: events.extend(e for e in batch if isinstance(e, LogEvent)))
    bridge.run_for(minutes * 60.0)
    start = bridge.engine.start
    bridge.close()
    return events, start


def test_rows_from_events_equal_rows_parsed_from_the_lines(qtbot) -> None:
    events, start = engine_log_events()
    assert len(events) > 20
    from_events = rows_from_events(events, start)
    assert from_events == rows_from_lines([e.line for e in events])
    # Copy puts the exact line back, so the millisecond cut matches the written line.
    assert [original_line(r) for r in from_events] == [e.line for e in events]


def test_rows_from_events_take_each_events_zone_unless_one_is_forced(qtbot) -> None:
    events, start = engine_log_events(10.0, start="2001-10-28T01:55:00")  # back to Standard Time at 02:00
    rows = rows_from_events(events, start)
    assert rows == rows_from_lines([e.line for e in events])
    assert rows[0].zone == "Eastern Daylight Time" and rows[-1].zone == "Eastern Standard Time"
    forced = rows_from_events(events, start, "Pacific Standard Time")
    assert {r.zone for r in forced} == {"Pacific Standard Time"}
    assert [r._replace(zone="") for r in forced] == [r._replace(zone="") for r in rows]


def test_hidden_tab_keeps_each_events_zone_when_it_catches_up(tabs) -> None:
    events, start = engine_log_events(10.0, start="2001-04-01T01:55:00")
    tabs.log.append_events(events, start)
    assert tabs.log.queued_count() == len(events)
    tabs.tabs.setCurrentWidget(tabs.log)
    model = tabs.log.model()
    assert [model.log_row(i) for i in range(model.rowCount())] == rows_from_lines([e.line for e in events])
    assert {model.log_row(i).zone for i in range(model.rowCount())} == {
        "Eastern Standard Time",
        "Eastern Daylight Time",
    }


def test_rows_from_events_cut_the_time_to_milliseconds_as_the_line_prints_it() -> None:
    start = dt.datetime(2001, 3, 14, 9, 0, 0)
    events = [LogEvent(1.2345678, 205, "Sending completed successfully", "")]
    (row,) = rows_from_events(events, start)
    assert row.when == dt.datetime(2001, 3, 14, 9, 0, 1, 234_000)
    line = format_line(row.text, start + dt.timedelta(seconds=1.2345678), 205)
    assert rows_from_lines([line]) == [row]


def test_parse_fields_is_parse_line_as_a_tuple() -> None:
    for line in story_lines():
        parsed = parse_line(line)
        fields = parse_fields(line)
        assert parsed is not None and fields is not None
        assert fields == (parsed.text, parsed.component, parsed.when, parsed.zone, parsed.thread_id)
    bad_weekday = format_line("x", dt.datetime(2001, 3, 14, 9, 0, 0), 205).replace("<Wed ", "<Thu ")
    assert parse_fields(bad_weekday) is None and parse_line(bad_weekday) is None
    assert parse_fields("not a log line") is None


class Tabs(QMainWindow):
    """A shown window with the log view on a tab that is not current (the live console's layout)."""

    def __init__(self, max_lines: int = 200_000) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.other = QWidget()
        self.log = SenderLogView(max_lines=max_lines)
        self.tabs.addTab(self.other, "Timers")
        self.tabs.addTab(self.log, "Sender.log")
        self.setCentralWidget(self.tabs)


@pytest.fixture
def tabs(qtbot) -> Tabs:
    w = Tabs()
    qtbot.addWidget(w)
    w.resize(900, 400)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_hidden_tab_queues_without_building_rows_and_catches_up_when_shown(tabs: Tabs) -> None:
    lines = story_lines()
    tabs.log.append_lines(lines[:5])
    tabs.log.append_lines(lines[5:])
    assert tabs.log.queued_count() == len(lines)
    assert tabs.log._model.total_count() == 0, "no rows built while the tab is hidden"
    tabs.tabs.setCurrentWidget(tabs.log)
    assert tabs.log.queued_count() == 0
    assert tabs.log._model.total_count() == len(lines)
    assert [tabs.log._model.log_row(i) for i in range(len(lines))] == rows_from_lines(lines)
    assert tabs.log.is_following()
    bar = tabs.log.table().verticalScrollBar()
    assert bar.value() == bar.maximum()


def test_events_and_lines_queue_in_order_and_getters_catch_up(tabs: Tabs) -> None:
    events, start = engine_log_events(5.0)
    half = len(events) // 2
    tabs.log.append_events(events[:half], start)
    tabs.log.append_lines([e.line for e in events[half:]])
    assert tabs.log.queued_count() == len(events)
    assert tabs.log.line_count() == len(events), "asking for the count builds the rows"
    assert tabs.log.queued_count() == 0
    model = tabs.log.model()
    assert [model.log_row(i) for i in range(model.rowCount())] == rows_from_events(events, start)


def test_hidden_queue_keeps_at_most_max_lines_and_counts_the_rest_as_dropped(qtbot) -> None:
    w = Tabs(max_lines=10)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    lines = [format_line(f"line {i}", dt.datetime(2001, 3, 14, 9, 0, i % 60), 205) for i in range(25)]
    w.log.append_lines(lines[:8])
    w.log.append_lines(lines[8:])
    assert w.log.queued_count() == 10
    w.tabs.setCurrentWidget(w.log)
    assert [w.log.model().log_row(i).text for i in range(10)] == [f"line {i}" for i in range(15, 25)]
    assert w.log.dropped_count() == 15


def test_hidden_queue_of_engine_batches_keeps_exactly_the_last_max_lines(qtbot) -> None:
    """Packed (compressed) batches, the oldest one cut part-way: the rows are those of the last max_lines events."""
    events, start = engine_log_events()
    keep = len(events) // 2 + 3
    w = Tabs(max_lines=keep)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    for i in range(0, len(events), 7):
        w.log.append_events(events[i : i + 7], start)
    assert w.log.queued_count() == keep
    w.tabs.setCurrentWidget(w.log)
    model = w.log.model()
    assert [model.log_row(i) for i in range(model.rowCount())] == rows_from_events(events[-keep:], start)
    assert w.log.dropped_count() == len(events) - keep


def test_pause_set_while_hidden_shows_what_came_before_it(tabs: Tabs) -> None:
    lines = story_lines()
    tabs.log.append_lines(lines[:3])
    tabs.log.set_paused(True)
    tabs.log.append_lines(lines[3:])
    tabs.tabs.setCurrentWidget(tabs.log)
    assert tabs.log.line_count() == 3
    assert tabs.log.held_count() == len(lines) - 3
    tabs.log.set_paused(False)
    assert tabs.log.line_count() == len(lines)


def test_clear_drops_the_queue_too(tabs: Tabs) -> None:
    tabs.log.append_lines(story_lines())
    tabs.log.clear()
    assert tabs.log.queued_count() == 0
    tabs.tabs.setCurrentWidget(tabs.log)
    assert tabs.log.line_count() == 0


def test_a_view_that_was_never_shown_inserts_at_once(qtbot) -> None:
    view = SenderLogView()
    qtbot.addWidget(view)
    view.append_lines(story_lines())
    assert view.queued_count() == 0
    assert view._model.total_count() == len(story_lines())
