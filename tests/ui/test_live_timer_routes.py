"""Timer view, addresses and routes (issue 9): closures, rate-limit pauses, hop lines, sites kept apart."""

from __future__ import annotations

import pytest

from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.ui.live.engine_bridge import EngineBridge
from console.ui.timers.timer_view import TimerView


def view_for(qtbot, name: str) -> tuple[EngineBridge, TimerView]:
    bridge = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", name)), clock=lambda: 0.0)
    view = TimerView(bridge)
    qtbot.addWidget(view)
    return bridge, view


def test_a_waiting_request_lane_is_hatched_while_closed_and_not_once_open(qtbot):
    bridge, view = view_for(qtbot, "office-hours.toml")
    bridge.run_for(30 * 60.0)
    closed = [b for b in view.bar_data() if b[3] == "closed"]
    assert closed and closed[0][1] == pytest.approx(view.window_range[1])  # up to the edge: 17:00 is hours away
    waits = [t for t in view.model.lanes if t.track is not None and t.track.is_request]
    assert len(waits) == 1 and view.lane_label(waits[0].track) == "3_001PRI \u2192 CHI waits"
    assert view.countdown_texts() == ["address to CHI closed for low priority until 17:00:00 (in 7h 30m)"]
    text = view.details_at(bridge.engine.now, float(waits[0].index))
    assert "address to CHI closed for low priority until 17:00" in text
    bridge.run_for(7.5 * 3600.0 + 60.0)  # 17:01: the address opened at 17:00, the thread took over the lane
    track = view.model.tracks()[-1]
    assert track.request_id == "3_001PRI" and track.lane_from == 0.0 and track.started == pytest.approx(28800.0)
    assert all(b[1] <= 28800.0 + 1e-6 for b in view.bar_data() if b[3] == "closed")
    assert any(b[3] == "transfer" and b[0] >= 28800.0 for b in view.bar_data())
    bridge.close()


def test_rate_limit_pauses_are_drawn_at_the_engines_times(qtbot):
    bridge, view = view_for(qtbot, "rate-limit.toml")
    bridge.run_for(30.0)
    bridge.run_for(60.0)
    engine = bridge.engine
    lim = next(t for t in view.model.tracks() if t.dest == "LIM")
    expected = [(a, b) for a, b, sending in engine.transfer_segments(lim.thread_id, 0.0, engine.now) if not sending]
    lane = view.model.by_thread[lim.key].index
    drawn = [(a, b) for a, b, y, kind in view.bar_data() if kind == "paused" and y == lane]
    assert expected and [v for p in drawn for v in p] == pytest.approx([v for p in expected for v in p])
    unl = next(t for t in view.model.tracks() if t.dest == "UNL")
    assert not [b for b in view.bar_data() if b[3] == "paused" and b[2] == view.model.by_thread[unl.key].index]
    assert "rate-limited" in view.details_at(expected[0][0] + 1.0, float(lane))
    assert "rate-limit pause" in view.details_at(expected[0][0] + 1.0, float(lane))
    bridge.close()


def test_a_hop_is_a_line_from_the_delivery_to_the_forwarding_thread_and_ids_stay_per_site(qtbot):
    bridge, view = view_for(qtbot, "q278357-intermediate.toml")
    bridge.run_for(200.0)
    cen, chi = view.model.track(200, "CEN"), view.model.track(200, "CHI")
    assert cen is not None and chi is not None and cen is not chi  # thread 200 at two sites, two lanes
    assert (cen.dest, chi.dest) == ("CHI", "T30")
    lane_cen, lane_chi = view.model.by_thread[cen.key].index, view.model.by_thread[chi.key].index
    assert lane_cen != lane_chi
    assert view.hop_data() == [(pytest.approx(163.84), lane_cen, pytest.approx(163.84), lane_chi)]
    labels = dict(view._lane_labels)
    assert labels[float(lane_chi)] == "CHI: thread 200 \u2192 T30"
    assert labels[float(lane_cen)] == "CEN: thread 200 \u2192 CHI (exited)"
    assert not chi.beats_waiting and cen.beats_waiting is True  # CHI runs SP3, CEN SP4: each site's own version
    bridge.run_for(10 * 60.0)  # the CEN lane stays while the hop's line has somewhere to start
    assert view.model.track(200, "CEN") is not None and view.hop_data()
    assert "hop 2: forwards what CEN delivered (2_001CEN)" in view.details_at(200.0, float(lane_chi))
    bridge.close()


def test_the_idle_hint_never_covers_a_lane(qtbot):
    bridge, view = view_for(qtbot, "q278357-intermediate.toml")
    bridge.run_for(12 * 60.0)  # both threads have exited; the next event is minutes away
    assert view.empty_hint.toPlainText().startswith("No thread is sending")
    rows = {lane.index for lane in view.model.lanes}
    assert len(rows) == 2 and view.empty_hint.pos().y() == max(rows) + 1
    bridge.close()


def test_the_idle_hint_says_when_nothing_more_happens_before_the_end(qtbot):
    bridge, view = view_for(qtbot, "q278357-sp3.toml")
    bridge.run_for(bridge.end_s - 1.0)  # only the engine's 7-day limit lies ahead, far past the scenario's end
    assert view.empty_hint.toPlainText() == "No thread is sending, and nothing more happens before the scenario ends."
    bridge.close()
