"""TimerView and its Qt-free model: lanes, countdown bars, markers, heartbeat age, hover text, lane reuse."""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QGraphicsView

from console.engine.events import LogEvent, SiteEvent, ThreadEvent, ThreadState, TimerEvent, TimerKind
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario, parse_scenario
from console.ui.live.engine_bridge import EngineBridge
from console.ui.timers.timer_model import MarkerKind, Outage, SegmentKind, TimerModel, classify_marker
from console.ui.timers.timer_style import LANE_PITCH_PX, LEGEND_ENTRIES, MIN_LANES, OUTAGE_HEIGHT, decimate_polyline
from console.ui.timers.timer_view import TimerView


def bridge_for(name: str) -> EngineBridge:
    return EngineBridge.for_scenario(load_scenario(resource_path("scenarios", name)), clock=lambda: 0.0)


@pytest.fixture
def sp3(qtbot):
    bridge = bridge_for("q278357-sp3.toml")
    view = TimerView(bridge)
    qtbot.addWidget(view)
    yield bridge, view
    bridge.close()


def test_object_name_and_nothing_drawn_before_time_passes(sp3):
    _bridge, view = sp3
    assert view.objectName() == "TimerView"
    assert view.bar_data() == []
    assert view.empty_hint.toPlainText().startswith("No sending threads")


def test_plots_build_no_context_menus(qtbot, monkeypatch):
    """The view boxes are made without their right-click menus (start-up cost), and none can open later."""
    viewbox_module = sys.modules["pyqtgraph.graphicsItems.ViewBox.ViewBox"]  # the package name is the class
    built = []
    real = viewbox_module.ViewBoxMenu
    monkeypatch.setattr(viewbox_module, "ViewBoxMenu", lambda vb: built.append(vb) or real(vb))
    bridge = bridge_for("q278357-sp3.toml")
    view = TimerView(bridge)
    qtbot.addWidget(view)
    assert built == []
    for plot in (view.lanes_plot, view.age_plot):
        assert plot.getViewBox().menu is None
        assert not plot.getViewBox().menuEnabled()
        assert not plot.menuEnabled()
    bridge.close()


def test_retry_wait_is_a_countdown_ending_at_the_retry_time(sp3):
    bridge, view = sp3
    bridge.run_for(300.0)  # outage at 2m, 6-minute delay: waiting until 8m
    bars = view.bar_data()
    assert (0.0, 120.0, 0.0, "transfer") in bars
    assert (120.0, 300.0, 0.0, "waited") in bars
    assert (300.0, 480.0, 0.0, "countdown") in bars
    assert view.countdown_texts() == ["retry in 3m"]
    assert view.marker_data() == [(120.0, 0.0, "network error")]
    assert view.window_range[1] >= 480.0, "the retry time is inside the visible window"


def test_pre_sp4_heartbeat_crosses_the_time_out_and_expires(sp3):
    bridge, view = sp3
    bridge.run_for(600.0)
    track = view.model.tracks()[0]
    assert track.exited == 480.0
    assert (480.0, 0.0, "heartbeat expired") in view.marker_data()
    assert track.heartbeat_age_at(480.0) == pytest.approx(360.0)
    ages = [age for t, age in track.age_polyline(bridge.engine.now)]
    assert max(ages) == pytest.approx(360.0) and max(ages) > bridge.engine.heartbeat_timeout_s
    assert view.timeout_line.value() == 5.0
    assert view.countdown_texts() == []


def test_win32_error_32_is_marked_on_the_next_thread(sp3):
    bridge, view = sp3
    bridge.run_for(20 * 60.0)  # re-offer 10 minutes after the expiry: thread 201 meets the stale handle
    kinds = {k for _t, _y, k in view.marker_data()}
    assert MarkerKind.SHARING_VIOLATION.value in kinds
    assert view.model.track(201) is not None


def test_sp4_beats_while_waiting_and_delivers(qtbot):
    bridge = bridge_for("q278357-sp4.toml")
    view = TimerView(bridge)
    qtbot.addWidget(view)
    bridge.run_for(20 * 60.0)
    track = view.model.track(200)
    assert track is not None and track.beats_waiting
    wait = next(s for s in track.segments if s.kind is SegmentKind.RETRY_WAIT)
    ages_in_wait = [age for t, age in track.age_points if wait.start < t <= wait.end]
    assert ages_in_wait and max(ages_in_wait) <= 60.0  # beats every minute: never near the 5-minute line
    assert (track.exited, 0.0, "delivered") in view.marker_data()
    assert "heartbeat expired" not in {k for _t, _y, k in view.marker_data()}
    bridge.close()


def test_each_block_written_resets_the_heartbeat_age_without_transfer_timers(qtbot):
    bridge = bridge_for("q278357-sp4.toml")
    view = TimerView(bridge)
    qtbot.addWidget(view)
    seen: list = []
    bridge.frame.connect(seen.extend)
    bridge.run_for(100.0)  # 256 kbit/s: a 256 KB block every 8.192 s, no fault before 2m
    assert not [e for e in seen if isinstance(e, TimerEvent) and e.kind is TimerKind.TRANSFER], (
        "the bridge subscribes without the per-block TRANSFER timers"
    )
    blocks = [e.time for e in seen if isinstance(e, LogEvent) and e.thread_id == 200 and e.text.startswith("Wrote ")]
    assert len(blocks) == 12 and blocks[0] == pytest.approx(8.192)
    track = view.model.track(200)
    points = track.age_points
    previous = 0.0
    for t in blocks:  # the age climbs to the block time, then drops to zero at the block
        assert (t, pytest.approx(t - previous)) in points and (t, 0.0) in points
        previous = t
    assert track.heartbeat_age_at(blocks[-1] + 4.0) == pytest.approx(4.0)
    assert max(age for _t, age in track.age_polyline(bridge.engine.now)) < 8.2
    bridge.close()


def test_pre_sp4_age_keeps_rising_through_the_retry_wait(sp3):
    bridge, view = sp3
    bridge.run_for(300.0)  # the error at 2m (its beat), waiting until 8m, no beat meanwhile
    track = view.model.tracks()[0]
    assert [track.heartbeat_age_at(t) for t in (150.0, 200.0, 300.0)] == pytest.approx([30.0, 80.0, 180.0])
    assert track.age_polyline(300.0)[-1] == (300.0, pytest.approx(180.0))
    assert view.age_curve.yData[~np.isnan(view.age_curve.yData)].max() == pytest.approx(3.0)


def test_hover_details_name_thread_request_destination_state_and_retry(sp3):
    bridge, view = sp3
    bridge.run_for(300.0)
    text = view.details_at(300.0, 0.2)
    assert text is not None
    for part in (
        "Thread 200 (0xC8)",
        "request 2_001PRI",
        "to LAB",
        "state: retry wait",
        "heartbeat age at 09:05:00: 3m",
        "retry at 09:08:00 (in 3m)",
    ):
        assert part in text
    assert view.details_at(300.0, 5.0) is None


def test_injected_outage_appears_as_error_marker_and_countdown(qtbot):
    bridge = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", "q278357-sp4.toml")), clock=lambda: 0.0)
    view = TimerView(bridge)
    qtbot.addWidget(view)
    bridge.run_for(30.0)
    bridge.inject_outage("LAB", 45.0)
    bridge.run_for(1.0)
    assert (30.0, 0.0, "network error") in view.marker_data()
    assert any(kind == "countdown" and x1 == pytest.approx(30.0 + 6 * 60) for _x0, x1, _y, kind in view.bar_data())
    bridge.close()


def test_server_restart_is_a_labelled_line_with_hover_text_even_with_no_thread_alive(sp3):
    bridge, view = sp3
    bridge.run_for(65 * 60.0)  # the KB case: error 32 until the restart at 1h, thread 204 opens the file at 66m
    assert not [t for t in view.model.tracks() if t.exited is None], "no thread to LAB is alive at the restart"
    assert view.restart_marks() == [(3600.0, "LABSRV restarted")]
    text = view.details_at(3600.0, 10.0)  # below every lane: the restart alone
    assert text == "LABSRV restarted: open files cleared (10:00:00)"
    assert view.details_at(3300.0, 10.0) is None
    bridge.run_for(20 * 60.0)  # 85m: the window starts at 70m, the restart has scrolled off
    assert view.restart_marks() == []
    assert view.model.restarts == []
    assert view.details_at(3600.0, 10.0) is None


def test_network_outage_shades_the_lane_behind_its_bars_with_hover_text(sp3):
    bridge, view = sp3
    bridge.run_for(300.0)  # the link to LAB is down from 2m for 30 s while thread 200 waits
    bars = view.bar_data()
    assert bars[0] == (120.0, 150.0, 0.0, "link down"), "first: painted beneath the thread's bars"
    assert [b for b in bars if b[3] == "link down"] == [bars[0]]
    heights = view.bars.opts["height"]
    assert heights[0] == OUTAGE_HEIGHT and set(heights[1:]) == {0.55}
    assert "link to LAB down 09:02:00\u201309:02:30" in view.details_at(130.0, 0.0)
    assert "link to LAB" not in view.details_at(200.0, 0.0)


def test_restart_and_link_down_are_in_the_legend(sp3):
    _bridge, view = sp3
    names = [label.text for _sample, label in view.legend.items]
    assert names[-5:] == ["server restart", "link down", "address closed", "rate-limit pause", "hop forwarded"]
    assert len(names) == LEGEND_ENTRIES


def test_model_outages_extend_end_with_the_link_and_are_pruned():
    model = TimerModel()
    model.feed(
        [
            SiteEvent(10.0, "LAB", "outage", 40.0),
            SiteEvent(30.0, "LAB", "outage", 90.0),
            SiteEvent(20.0, "NYC", "outage", 25.0),
            SiteEvent(25.0, "NYC", "link up"),
            SiteEvent(50.0, "LAB", "restart"),
        ],
        now=50.0,
        reuse_before=0.0,
    )
    assert model.outages["LAB"] == [Outage("LAB", 10.0, 90.0)], "a second outage while down extends the first"
    assert model.outage_at("LAB", 89.9) is not None and model.outage_at("LAB", 90.0) is None
    assert model.outages["NYC"] == [Outage("NYC", 20.0, 25.0)]
    model.feed([SiteEvent(100.0, "NYC", "outage", 110.0)], now=100.0, reuse_before=0.0)
    assert model.outages["NYC"] == [Outage("NYC", 20.0, 25.0), Outage("NYC", 100.0, 110.0)]
    model.prune(60.0)
    assert model.outages["NYC"] == [Outage("NYC", 100.0, 110.0)] and model.restarts == []
    assert model.outages["LAB"] == [Outage("LAB", 10.0, 90.0)], "still in view until its end scrolls off"
    model.prune(95.0)  # LAB's outage has scrolled off: its site is no longer walked each frame
    assert list(model.outages) == ["NYC"] and model.outage_at("LAB", 50.0) is None
    model.feed(
        [SiteEvent(120.0, "LAB", "link up"), SiteEvent(130.0, "LAB", "outage", 150.0)], now=130.0, reuse_before=0.0
    )
    assert model.outages["LAB"] == [Outage("LAB", 130.0, 150.0)]
    model.clear(False)
    assert model.outages == {} and model.restarts == []


def test_view_repaints_only_on_frames(sp3):
    bridge, view = sp3
    before = view.repaints
    bridge.engine.advance_to(100.0)  # the engine moves, but no frame: nothing redrawn
    assert view.repaints == before
    bridge.flush()
    assert view.repaints == before + 1


def test_engine_replacement_clears_the_lanes(sp3):
    bridge, view = sp3
    bridge.run_for(60.0)
    assert view.model.lanes
    assert view.lane_axis._tickLevels[0]  # the lane axis names the thread
    bridge.reset()
    assert view.model.lanes == [] and view.bar_data() == []
    assert view.lane_axis._tickLevels == [[], []]  # and no longer does once its engine is gone


# -- the model on its own ------------------------------------------------------------------------------


def started(t: float, tid: int) -> ThreadEvent:
    return ThreadEvent(t, tid, f"2_{tid}PRI", "LAB", ThreadState.STARTED)


def exited(t: float, tid: int) -> ThreadEvent:
    return ThreadEvent(t, tid, f"2_{tid}PRI", "LAB", ThreadState.EXITED)


def test_lanes_are_reused_only_after_the_exited_thread_scrolled_off():
    model = TimerModel()
    model.feed([started(0, 200), exited(10, 200)], now=10, reuse_before=0)
    model.feed([started(20, 201)], now=20, reuse_before=5)  # 200 exited at 10 > 5: still visible
    assert [lane.track.thread_id for lane in model.lanes] == [200, 201]
    model.feed([started(30, 202)], now=30, reuse_before=15)  # 200 has scrolled off: its lane is free
    assert [lane.track.thread_id for lane in model.lanes] == [202, 201]
    assert model.track(200) is None


def test_markers_come_from_the_product_wording():
    assert classify_marker("Heartbeat is expired.") is MarkerKind.HEARTBEAT_EXPIRED
    assert (
        classify_marker("Cannot create/open the remote file \\\\S\\SMS_SITE\\2_001PRI.PCK, Win32 error = 32.")
        is MarkerKind.SHARING_VIOLATION
    )
    assert classify_marker("Error during WNetAddConnection2 to \\\\S\\SMS_SITE (53).") is MarkerKind.NETWORK_ERROR
    assert classify_marker("Sending completed successfully") is MarkerKind.DELIVERED
    assert classify_marker("Operation is retryable.") is None
    model = TimerModel()
    model.feed(
        [
            started(0, 200),
            LogEvent(5, 200, "Sending completed successfully", "x"),
            LogEvent(6, 999, "Heartbeat is expired.", "x"),
        ],
        now=6,
        reuse_before=0,
    )
    assert model.track(200).markers == [(5, MarkerKind.DELIVERED)]


def test_old_history_is_pruned():
    model = TimerModel()
    events = [started(0, 200), ThreadEvent(0, 200, "r", "LAB", ThreadState.SENDING)]
    events += [
        LogEvent(float(t), 200, f"Wrote 262144 bytes to \\\\S\\SMS_SITE\\r.PCK at position {t * 262144}", "x")
        for t in range(1, 1000)
    ]
    model.feed(events, now=1000, reuse_before=0)
    track = model.track(200)
    assert len(track.age_points) > 1900
    model.prune(900)
    assert len(track.age_points) < 210
    assert track.age_points[1][0] >= 900


# -- load and layout ----------------------------------------------------------------


def busy_bridge(threads: int = 30) -> EngineBridge:
    sites = [{"code": "CEN", "name": "Central", "server": "CENSRV", "version": "2.0 SP3"}]
    sites += [{"code": f"D{i:02d}", "server": f"D{i:02d}SRV", "version": "2.0 SP3", "parent": "CEN"} for i in range(3)]
    sends = [{"at": "0s", "package": f"CEN{n:05d}", "dest": f"D{n % 3:02d}", "size_kb": 50_000} for n in range(threads)]
    scenario = parse_scenario(
        {
            "name": "busy",
            "duration": "2h",
            "sites": sites,
            "sends": sends,
            "sender": {"site": "CEN", "all_sites": threads, "per_site": threads},
        },
        "<test>",
    )
    return EngineBridge.for_scenario(scenario, clock=lambda: 0.0)


def shown_view(qtbot, bridge: EngineBridge, width: int = 1000, height: int = 600) -> TimerView:
    view = TimerView(bridge)
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_paused_frames_are_skipped(sp3):
    bridge, view = sp3
    bridge.run_for(60.0)
    before, skipped = view.repaints, view.skipped_frames
    bridge.flush()  # the bridge ticks while paused: no events, same clock
    bridge.flush()
    assert (view.repaints, view.skipped_frames) == (before, skipped + 2)
    bridge.run_for(1.0)
    assert view.repaints == before + 1


def test_one_lane_keeps_its_pitch_and_the_heartbeat_plot_gets_the_room(qtbot):
    bridge = bridge_for("q278357-sp3.toml")
    view = shown_view(qtbot, bridge)
    bridge.run_for(60.0)
    qtbot.wait(1)
    assert len(view.model.lanes) == 1
    lane_px = view.lanes_plot.vb.height() / MIN_LANES
    assert lane_px == pytest.approx(LANE_PITCH_PX, abs=1)
    assert view.age_plot.vb.height() > view.lanes_plot.vb.height()
    assert view.lanes_plot.vb.viewRange()[1] == pytest.approx([-0.6, MIN_LANES - 0.4])
    assert not view.lane_scroll.isVisible()
    assert view.lanes_plot.titleLabel.text == "Sending threads"
    # Qt's minimal updates would clip thousands of curve segments against a many-rectangle region.
    assert view.graphics.viewportUpdateMode() is QGraphicsView.ViewportUpdateMode.BoundingRectViewportUpdate
    bridge.close()


def test_more_lanes_than_fit_scroll_and_only_those_on_screen_are_drawn(qtbot):
    bridge = busy_bridge(30)
    view = shown_view(qtbot, bridge, height=500)
    bridge.run_for(120.0)
    qtbot.wait(1)
    lanes = len(view.model.lanes)
    assert lanes == 30
    assert view.lane_scroll.isVisible()
    shown = view._rows_shown
    assert 0 < shown < lanes
    assert view.lanes_plot.vb.height() / shown == pytest.approx(LANE_PITCH_PX, abs=1)
    assert {y for _a, _b, y, _k in view.bar_data()} == {float(i) for i in range(shown)}
    assert view.lane_scroll.maximum() == lanes - shown
    assert f"lanes 1\u2013{shown} of 30" in view.lanes_plot.titleLabel.text
    view.lane_scroll.setValue(lanes - shown)
    assert f"lanes {lanes - shown + 1}\u201330 of 30" in view.lanes_plot.titleLabel.text
    assert {y for _a, _b, y, _k in view.bar_data()} == {float(i) for i in range(lanes - shown, lanes)}
    low, high = view.lanes_plot.vb.viewRange()[1]
    assert (low, high) == pytest.approx((lanes - shown - 0.6, lanes - 0.4))
    # The heartbeat plot still has every thread: 30 polylines, 29 gaps between them plus the last.
    ys = view.age_curve.yData
    assert int(np.isnan(ys).sum()) == lanes
    bridge.close()


def test_legend_is_one_row_when_it_fits_and_two_even_rows_when_not(qtbot):
    bridge = bridge_for("q278357-sp3.toml")
    view = shown_view(qtbot, bridge, width=1800)
    assert view.legend.columnCount == LEGEND_ENTRIES == 13
    view.resize(640, 600)
    qtbot.wait(1)
    assert view.legend.columnCount in (5, 7)  # two or three even rows, as few as fit
    assert view.legend.boundingRect().width() <= view.graphics.width()
    bridge.close()


def test_decimate_keeps_each_pixel_columns_extent_and_the_gaps():
    # One polyline with 100 teeth in 1 s (one pixel column at step 1), then a gap, then a sparse one.
    t = np.repeat(np.linspace(0.0, 0.99, 100), 2)
    y = np.tile([0.3, 0.0], 100)
    y[50] = 0.9
    x = np.concatenate([t, [np.nan], [5.0, 6.0, 7.0]])
    yy = np.concatenate([y, [np.nan], [1.0, 2.0, 3.0]])
    dx, dy = decimate_polyline(x, yy, 0.0, 1.0)
    assert len(dx) < len(x) / 10
    first = ~np.isnan(dy) & (dx < 1.0)
    assert dy[first].max() == 0.9 and dy[first].min() == 0.0
    assert dx[first][0] == 0.0 and dx[first][-1] == pytest.approx(0.99)
    assert int(np.isnan(dx).sum()) >= 1
    tail = dx > 4.0
    assert sorted(set(zip(dx[tail], dy[tail], strict=True))) == [(5.0, 1.0), (6.0, 2.0), (7.0, 3.0)]


def test_decimate_leaves_sparse_polylines_alone():
    x = np.array([0.0, 10.0, 20.0, np.nan, 5.0, 15.0, 25.0, 35.0, 45.0])
    y = np.array([1.0, 2.0, 3.0, np.nan, 1.0, 2.0, 3.0, 4.0, 5.0])
    dx, dy = decimate_polyline(x, y, 0.0, 1.0)
    assert dx is x and dy is y


def test_crowded_outage_labels_do_not_cover_each_other_and_stay_inside_the_plot(qtbot):
    """Dozens of outages within minutes (a busy hierarchy): every start keeps its line, labels only fit side by side,
    the newest is labelled, and a label with no room before the right edge ends at its line instead."""
    bridge = bridge_for("q278357-sp4.toml")
    view = TimerView(bridge)
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    bridge.run_for(200.0)  # past the scenario's own outage at 2m
    starts = []
    for _ in range(20):
        starts.append(bridge.engine.now)
        bridge.inject_outage("LAB", 10.0)
        bridge.run_for(30.0)
    assert view.outage_line_times() == pytest.approx([120.0, *starts])  # with the scenario's own
    marks = view.outage_marks()
    assert 1 < len(marks) < len(starts)
    assert marks[-1] == (pytest.approx(starts[-1]), "link to LAB down 10s")
    shown = [label for label in view._outage_labels if label.isVisible()]
    rects = sorted((label.sceneBoundingRect() for label in shown), key=lambda r: r.left())
    assert all(a.right() <= b.left() for a, b in itertools.pairwise(rects)), "labels overlap"
    plot = view.lanes_plot.vb.sceneBoundingRect()
    assert all(plot.left() <= r.left() and r.right() <= plot.right() + 1 for r in rects), "a label is cut"
    bridge.close()


def test_hover_text_follows_the_lanes_under_a_still_pointer_and_is_cleared_by_a_reset(sp3, monkeypatch):
    """Lanes scroll and fold under a pointer that does not move: the hover line describes what is under it now,
    and a new run does not inherit a thread of the old one."""
    from PySide6.QtCore import QPointF

    from console.ui.timers.timer_readouts import HOVER_HINT

    bridge, view = sp3
    view.resize(1000, 700)
    bridge.run_for(60.0)  # thread 200 sends to LAB on lane 0
    monkeypatch.setattr(view.graphics, "underMouse", lambda: True)
    pos = view.lanes_plot.vb.mapViewToScene(QPointF(50.0, 0.0))
    view._on_mouse_moved(pos)
    first = view.details.text()
    assert first.startswith("Thread 200")
    bridge.run_for(25 * 60.0)  # the window has scrolled by 25 minutes: x = 50 s is history, then off the plot
    p = view.lanes_plot.vb.mapSceneToView(pos)
    assert view.details.text() == (view.details_at(p.x(), p.y()) or HOVER_HINT)
    assert view.details.text() != first
    view._on_mouse_moved(pos)
    bridge.reset()
    assert view.details.text() == HOVER_HINT
    bridge.run_for(60.0)
    view._on_mouse_moved(pos)
    assert view.details.text().startswith("Thread 200")
    monkeypatch.setattr(view.graphics, "underMouse", lambda: False)  # the pointer leaves the plot
    bridge.run_for(10.0)
    assert view.details.text() == HOVER_HINT
