"""The live views at scale (issue 11): lanes fold away, only what is on screen costs, arrays are reused, the hidden
log queue is packed, and garbage collection is paced. Deterministic: virtual time, a fake wall clock."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from test_live_timer_view import bridge_for, busy_bridge, exited, shown_view, started

from console.engine.events import LogEvent, ThreadEvent, ThreadState
from console.ui.common.gc_pacing import FREEZE_INTERVAL_S, GcPacer, paced_collection
from console.ui.log.live_tail import PackedEvents
from console.ui.timers.timer_model import GAP_ROW, TimerModel
from console.ui.timers.timer_style import FOLD_GRACE_S, HISTORY_S
from console.ui.timers.timer_view import TimerView

DELIVERED = "Sending completed successfully"


def delivered(t: float, tid: int) -> list:
    return [LogEvent(t, tid, DELIVERED, "x"), exited(t, tid)]


def thread_ids(model: TimerModel) -> list[int | None]:
    return [lane.track.thread_id if lane.track is not None else None for lane in model.lanes]


# -- lanes fold away -------------------------------------------------------------------------------------


def test_a_delivered_threads_lane_folds_after_the_grace_period():
    model = TimerModel()
    model.feed([started(0, 200), *delivered(10, 200)], now=10, reuse_before=0, fold_before=10 - FOLD_GRACE_S)
    assert thread_ids(model) == [200] and model.active == {}
    end = 10 + FOLD_GRACE_S  # exited at 10
    model.feed([], now=end - 1, reuse_before=0, fold_before=end - 1 - FOLD_GRACE_S)
    assert thread_ids(model) == [200]
    model.feed([], now=end + 1, reuse_before=0, fold_before=end + 1 - FOLD_GRACE_S)
    assert model.lanes == [] and model.track(200) is None


def test_a_failed_threads_lane_stays_until_it_has_scrolled_off():
    """No delivery: its markers (expired heartbeat, error 32) are what the user looks for, so no grace period."""
    model = TimerModel()
    expired = LogEvent(480, 200, "Heartbeat is expired.", "x")
    model.feed([started(0, 200), expired, exited(480, 200)], now=480, reuse_before=0, fold_before=0)
    model.feed([], now=1300, reuse_before=479, fold_before=1300 - FOLD_GRACE_S)
    assert thread_ids(model) == [200] and list(model.expired) == [(None, 200)]
    model.feed([], now=1400, reuse_before=481, fold_before=1400 - FOLD_GRACE_S)
    assert model.lanes == [] and model.expired == {}


def test_free_lanes_are_reused_lowest_first_and_only_trailing_ones_are_removed():
    model = TimerModel()
    model.feed([started(0, t) for t in (200, 201, 202)], now=0, reuse_before=0)
    model.feed(delivered(5, 201), now=5, reuse_before=0, fold_before=0)
    model.feed([], now=200, reuse_before=0, fold_before=100)
    assert thread_ids(model) == [200, None, 202], "a blank lane in the middle keeps the others in place"
    model.feed([started(201, 203), started(201, 204)], now=201, reuse_before=0, fold_before=100)
    assert thread_ids(model) == [200, 203, 202, 204]
    model.feed([*delivered(210, 202), *delivered(210, 204)], now=210, reuse_before=0, fold_before=100)
    model.feed([], now=400, reuse_before=0, fold_before=300)
    assert thread_ids(model) == [200, 203], "the free lanes at the bottom are gone"
    model.feed([started(401, 205)], now=401, reuse_before=0, fold_before=300)
    assert thread_ids(model) == [200, 203, 205]
    assert sorted(model.active) == [(None, 200), (None, 203), (None, 205)]


def test_without_fold_before_every_exited_thread_waits_for_the_left_edge():
    model = TimerModel()
    model.feed([started(0, 200), *delivered(10, 200)], now=10, reuse_before=0)
    model.feed([], now=500, reuse_before=9)
    assert thread_ids(model) == [200]


def test_busy_view_folds_its_lanes_once_the_threads_delivered(qtbot):
    bridge = busy_bridge(30)
    view = shown_view(qtbot, bridge, height=500)
    bridge.run_for(60.0)
    assert len(view.model.lanes) == 30
    while view.model.active:
        bridge.run_for(60.0)
    last_exit = bridge.engine.now
    bridge.run_for(FOLD_GRACE_S + 60.0)  # one frame past everyone's grace period
    bridge.run_for(1.0)
    assert view.model.lanes == [] and view.bar_data() == [], f"all delivered by {last_exit}"
    assert view.empty_hint.toPlainText() != ""
    assert not view.lane_scroll.isVisible()
    bridge.close()


# -- only what is on screen costs; arrays reused ---------------------------------------------------------


def test_off_screen_lanes_cost_no_bars_and_exited_polylines_are_built_once(qtbot):
    bridge = busy_bridge(30)
    view = shown_view(qtbot, bridge, height=500)
    bridge.run_for(120.0)
    shown = view._rows_shown
    assert {y for _a, _b, y, _k in view.bar_data()} == {float(i) for i in range(shown)}
    while view.model.active:
        bridge.run_for(30.0)
    tracks = view.model.tracks()
    assert tracks and all(t.exited is not None for t in tracks)
    finals = [t._final for t in tracks]
    assert all(f is not None for f in finals)
    bridge.run_for(5.0)
    assert [t._final for t in view.model.tracks()] == finals
    assert all(a is b for a, b in zip((t._final for t in view.model.tracks()), finals, strict=True))
    bridge.close()


def test_a_live_threads_buffer_is_reused_and_grows_only_when_full():
    model = TimerModel()
    model.feed([started(0, 200), ThreadEvent(0, 200, "r", "LAB", ThreadState.SENDING)], now=0, reuse_before=0)
    track = model.track(200)
    track.age_pieces(0.0)
    buffer = track._buf.arr
    for t in range(1, 20):
        track.beat(float(t))
        track.age_pieces(float(t))
    assert track._buf.arr is buffer, "39 points fit the first 64 rows"
    for t in range(20, 100):
        track.beat(float(t))
    pieces = track.age_pieces(100.0)
    assert track._buf.arr is not buffer
    assert np.array_equal(np.concatenate(pieces[:2]), np.array(track.age_polyline(100.0)))


@pytest.mark.parametrize("scenario", ["q278357-sp3.toml", "q278357-sp4.toml"])
def test_age_pieces_are_exactly_the_polyline_through_beats_waits_prunes_and_exit(qtbot, scenario):
    bridge = bridge_for(scenario)
    view = TimerView(bridge)
    qtbot.addWidget(view)
    checked = 0
    for _ in range(80):  # frames of 15 s: blocks, the outage, the wait (SP4 beats while waiting), the exit
        bridge.run_for(15.0)
        now = bridge.engine.now
        for track in view.model.tracks():
            checked += 1
            got = np.concatenate(track.age_pieces(now))
            want = np.array([*track.age_polyline(now), (np.nan, np.nan)])
            assert np.array_equal(got, want, equal_nan=True)
            assert np.array_equal(got[-1:], GAP_ROW, equal_nan=True)
    assert checked > 40
    bridge.close()


def test_history_window_is_longer_than_the_grace_period():
    assert 0 < FOLD_GRACE_S < HISTORY_S


# -- the hidden log view's queue -------------------------------------------------------------------------


def test_packed_events_give_back_the_same_events_and_drop_the_oldest():
    clock = object()
    events = [LogEvent(float(i), 200 + i, f"line {i}", None, clock) for i in range(5)]  # type: ignore[arg-type]
    packed = PackedEvents.pack(events)
    assert packed is not None and len(packed) == 5
    assert packed.events() == events
    assert packed[2:].events() == events[2:]
    odd = [LogEvent(0.5, 7, "Zürich \\\\ÜBER\\SMS_SITE", None, clock), LogEvent(-1e300, -1, "\ud800 lone", None, clock)]
    assert PackedEvents.pack(odd).events() == odd  # type: ignore[union-attr]
    many = [
        LogEvent(i * 0.001, 200 + i % 40, f"Wrote 262144 bytes to \\\\D{i % 40:02d}SRV\\SMS_SITE", None, clock)
        for i in range(5000)
    ]
    big = PackedEvents.pack(many)
    assert big is not None and big.events() == many and big[4321:].events() == many[4321:]
    assert len(big.texts) + len(big.numbers) < 5000 * 12, "compressed: the queue's ~100 bytes a line are ~12"
    assert PackedEvents.pack([LogEvent(0.0, 1, "a\x00b", None)]) is None, "the separator in a text: not packed"
    other = LogEvent(1.0, 1, "b", None, object())  # type: ignore[arg-type]
    assert PackedEvents.pack([events[0], other]) is None, "two engines' clocks: not packed"


# -- garbage collection ----------------------------------------------------------------------------------


class FakeClock:
    def __init__(self) -> None:
        self.t = 100.0

    def __call__(self) -> float:
        return self.t


def test_pacer_freezes_survivors_at_most_every_interval_and_only_while_enabled():
    clock = FakeClock()
    pacer = GcPacer(clock)
    try:
        pacer.pace()
        assert pacer.freezes == 0 and gc.get_freeze_count() == 0, "disabled: the test suite's default"
        with paced_collection(pacer):
            pacer.pace()
            assert pacer.freezes == 1 and gc.get_freeze_count() > 0
            clock.t += FREEZE_INTERVAL_S / 2
            pacer.pace([])  # a frame's events are ignored
            assert pacer.freezes == 1
            clock.t += FREEZE_INTERVAL_S
            pacer.pace()
            assert pacer.freezes == 2
            pacer.reclaim()
            assert pacer.reclaims == 1 and gc.get_freeze_count() > 0
        assert gc.get_freeze_count() == 0, "everything is collectable again afterwards"
    finally:
        gc.unfreeze()


def test_reclaim_frees_cyclic_garbage_that_was_frozen():
    pacer = GcPacer(FakeClock())

    class Node:
        pass

    with paced_collection(pacer):
        a, b = Node(), Node()
        a.other, b.other = b, a
        pacer.settle()
        count = gc.get_freeze_count()
        del a, b
        pacer.reclaim()
        assert gc.get_freeze_count() < count
