"""EngineBridge: virtual time from an injected wall clock x speed, frames that batch events, sources, actions."""

from __future__ import annotations

from pathlib import Path

import pytest
from live_support import FakeClock

from console.engine.events import LogEvent, ThreadEvent, ThreadState
from console.model.demo import demo_database
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sender_settings import SenderSettings
from console.ui.live.engine_bridge import MAX_CATCHUP_S, EngineBridge


def scenario(name: str):
    return load_scenario(resource_path("scenarios", name))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def frames(qtbot):
    return []


def make_bridge(qtbot, clock: FakeClock, frames: list, source=None, **kw) -> EngineBridge:
    if source is None:
        bridge = EngineBridge.for_database(demo_database(), clock=clock, **kw)
    else:
        bridge = EngineBridge.for_scenario(source, clock=clock, **kw)
    bridge.frame.connect(frames.append)
    return bridge


def test_tick_advances_by_wall_time_times_speed(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, speed=60.0)
    clock.advance(0.5)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(30.0)
    bridge.set_speed(600.0)
    clock.advance(0.2)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(150.0)
    bridge.close()


def test_pause_stops_time_and_resuming_does_not_replay_the_pause(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, speed=10.0)
    clock.advance(0.3)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(3.0)
    with qtbot.waitSignal(bridge.speedChanged) as sig:
        bridge.set_speed(0.0)
    assert sig.args == [0.0]
    clock.advance(0.9)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(3.0)
    assert frames[-1] == []  # a paused frame still comes, empty, so countdowns can redraw
    bridge.set_speed(10.0)
    clock.advance(0.1)
    bridge.tick()
    assert bridge.engine.now == pytest.approx(4.0)
    bridge.close()


def test_a_stalled_machine_does_not_leap_the_clock(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, speed=600.0)
    clock.advance(3600.0)  # an hour suspended
    bridge.tick()
    assert bridge.engine.now == pytest.approx(MAX_CATCHUP_S * 600.0)
    bridge.close()


def test_speed_must_not_be_negative(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames)
    with pytest.raises(ValueError, match="speed"):
        bridge.set_speed(-1)
    with pytest.raises(ValueError, match="speed"):
        bridge.set_speed(float("nan"))
    assert bridge.speed == 0.0
    bridge.close()


def test_run_to_next_event_lands_exactly_on_it(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, source=scenario("q278357-sp3.toml"))
    bridge.run_for(10.0)
    expected = bridge.engine.next_event_time()
    assert expected is not None and expected > 10.0
    bridge.step_to_next_event()
    assert bridge.engine.now == expected
    assert frames[-1], "the step's events are shown at once"
    assert all(e.time == expected for e in frames[-1])
    bridge.close()


def test_many_engine_events_arrive_as_one_frame(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, source=scenario("q278357-sp3.toml"), speed=600.0)
    frames.clear()
    clock.advance(0.2)  # 120 s of simulated time: dozens of 256 KB blocks over 256 kbit/s
    bridge.tick()
    assert len(frames) == 1
    batch = frames[0]
    assert len(batch) > 20
    times = [e.time for e in batch]
    assert times == sorted(times)
    assert any(isinstance(e, LogEvent) for e in batch)
    bridge.close()


def test_clock_changed_once_per_frame_and_only_on_change(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, speed=1.0)
    seen: list[float] = []
    bridge.clockChanged.connect(seen.append)
    clock.advance(0.2)
    bridge.tick()
    bridge.tick()  # no wall time passed: no new clock value
    assert seen == [pytest.approx(0.2)]
    bridge.close()


def test_scenario_stops_at_its_duration_and_pauses(qtbot, clock, frames):
    sc = scenario("q278357-sp3.toml")
    bridge = make_bridge(qtbot, clock, frames, source=sc, speed=600.0)
    bridge.run_for(sc.duration_s + 500)
    assert bridge.engine.now == sc.duration_s
    assert bridge.speed == 0.0
    assert bridge.scenario_name == sc.name
    assert bridge.sending_site == "PRI"
    bridge.close()


def test_database_engine_runs_the_central_site_with_demo_traffic(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames)
    assert bridge.sending_site == "CEN"
    assert bridge.scenario_name == ""
    assert bridge.end_s is None
    bridge.run_for(60.0)
    started = {e.dest for b in frames for e in b if isinstance(e, ThreadEvent) and e.state is ThreadState.STARTED}
    assert started == {"LAB", "NYC"}  # BOS is NYC's child: its package goes through NYC (the demo's addresses)
    bridge.run_for(1800.0)
    forwarded = {
        (e.site, e.dest) for b in frames for e in b if isinstance(e, ThreadEvent) and e.state is ThreadState.STARTED
    }
    assert ("NYC", "BOS") in forwarded and ("CEN", "BOS") not in forwarded
    bridge.close()


def test_replacing_the_engine_tells_views_and_restarts_the_clock(qtbot, clock, frames):
    db = demo_database()
    bridge = make_bridge(qtbot, clock, frames)
    bridge.run_for(120.0)
    with qtbot.waitSignal(bridge.engineReplaced):
        bridge.use_site_database(db, "LAB")
    assert bridge.sending_site == "LAB"
    assert bridge.engine.now == 0.0
    assert bridge.engine.settings.retry_delay_min == 6  # LAB's own Standard Sender settings
    with pytest.raises(KeyError):
        bridge.use_site_database(db, "ZZZ")
    assert bridge.sending_site == "LAB"
    bridge.run_for(30.0)
    with qtbot.waitSignal(bridge.engineReplaced):
        bridge.reset()
    assert bridge.engine.now == 0.0 and bridge.sending_site == "LAB"
    bridge.close()


def test_applied_settings_reach_new_threads_only(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, source=scenario("q278357-sp3.toml"))
    bridge.run_for(1.0)
    (running,) = bridge.engine.threads()
    bridge.apply_sender_settings(SenderSettings(retry_delay_min=2))
    rid = bridge.queue_package("NEW00001", "LAB", 512, 1)
    bridge.run_for(1.0)
    by_request = {t.request_id: t for t in bridge.engine.threads()}
    assert by_request[running.request_id].settings.retry_delay_min == 6
    assert by_request[rid].settings.retry_delay_min == 2
    bridge.close()


def test_actions_pass_through_and_errors_name_the_problem(qtbot, clock, frames):
    bridge = make_bridge(qtbot, clock, frames, source=scenario("q278357-sp3.toml"))
    bridge.run_for(5.0)
    bridge.inject_outage("LAB", 30.0)
    assert bridge.engine.link_down_until("LAB") == pytest.approx(35.0)
    bridge.restart_server("LAB")
    with pytest.raises(KeyError, match="ZZZ"):
        bridge.queue_package("X", "ZZZ", 10, 2)
    bridge.close()


def test_sender_log_is_written_and_survives_an_engine_swap(qtbot, clock, frames, tmp_path: Path):
    log = tmp_path / "logs" / "Sender.log"
    bridge = make_bridge(qtbot, clock, frames, source=scenario("q278357-sp3.toml"), log_path=log)
    bridge.run_for(30.0)
    first = log.read_text(encoding="utf-8")
    assert "Created sending thread (Thread ID = 200)" in first
    bridge.reset()
    bridge.run_for(1.0)
    assert log.read_text(encoding="utf-8").count("Created sending thread (Thread ID = 200)") == 2
    bridge.close()
    assert bridge.log_path is None


def test_an_engine_that_cannot_keep_up_slows_the_clock_instead_of_freezing(qtbot, clock, frames, monkeypatch):
    bridge = make_bridge(qtbot, clock, frames, speed=600.0)
    ticks = iter(range(1000))
    monkeypatch.setattr("console.ui.live.engine_bridge.time.perf_counter", lambda: float(next(ticks)))  # 1 s per look
    clock.advance(0.8)  # asks for 480 simulated seconds
    bridge.tick()
    assert bridge.engine.now == pytest.approx(480.0 / 8)  # one slice, then the budget was spent
    assert bridge.lag_s == pytest.approx(480.0 - 60.0)
    assert len(frames) == 1, "the frame still comes"
    monkeypatch.undo()
    clock.advance(0.1)
    bridge.tick()
    assert bridge.lag_s == 0.0 and bridge.engine.now == pytest.approx(120.0)
    bridge.close()
