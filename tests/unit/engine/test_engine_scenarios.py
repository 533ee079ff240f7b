"""The shipped scenarios do what their comments say; runs are deterministic and ``reset`` replays them."""

from __future__ import annotations

import pytest

from console.engine.events import LogEvent, ThreadEvent, TimerEvent, TimerKind
from console.engine.scenario_engine import engine_from_scenario
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario


def run(name: str, **kw):
    scenario = load_scenario(resource_path("scenarios", name))
    lines: list[str] = []
    engine = engine_from_scenario(scenario, lines.append)
    engine.run()
    return engine, lines


def outcome(engine) -> list[tuple[str, str, float | None, int]]:
    return [(s["package"], s["status"], s["delivered_s"], s["attempts"]) for s in engine.summary()["sends"]]


def test_sp3_delivers_only_after_the_restart() -> None:
    engine, lines = run("q278357-sp3.toml")
    assert outcome(engine) == [("PRI00001", "delivered", pytest.approx(4500.672), 5)]
    assert sum("Heartbeat is expired." in x for x in lines) == 4
    assert sum("Win32 error = 32." in x for x in lines) == 3


def test_sp4_delivers_after_one_retry() -> None:
    engine, lines = run("q278357-sp4.toml")
    assert outcome(engine) == [("PRI00001", "delivered", pytest.approx(1020.672), 2)]
    assert not any("Heartbeat is expired." in x or "Win32 error = 32." in x for x in lines)


def test_boundary_delivers_after_one_retry() -> None:
    engine, lines = run("boundary-5min.toml")
    assert outcome(engine) == [("PRI00001", "delivered", pytest.approx(960.672), 2)]
    assert not any("Heartbeat is expired." in x for x in lines)


def test_retries_exhausted_gives_up_each_failed_connect_and_delivers_after_the_outage() -> None:
    # Turn 2 (KB Q235753): a failed connect gives the address up at once (no retry in the thread), and an idle
    # sender forgets its busy sites, so NYC is tried at every re-offer (09:03, 09:13 ... 10:23: 9 busy-site lines,
    # 11 connects) and the send resumes at 10:33, the first re-offer after the link is back at 10:32. Before turn 2
    # each thread retried its connect twice and NYC was skipped for whole hours (2 lines, 7 connects, 2h06m).
    engine, lines = run("retries-exhausted.toml")
    skips = [x for x in lines if x.startswith("Cannot connect to server \\\\NYCSRV at remote site NYC")]
    assert len(skips) == 9
    (nyc, bos) = outcome(engine)
    assert nyc == ("CEN00001", "delivered", 5952.736, 11)
    assert bos == ("CEN00002", "delivered", pytest.approx(300 + 2048 * 1024 / 128000), 1)


def test_busy_hierarchy_runs_and_mostly_delivers() -> None:
    engine, _lines = run("busy-hierarchy.toml")
    statuses = [s["status"] for s in engine.summary()["sends"]]
    assert len(statuses) >= 2000
    assert statuses.count("delivered") > 0.95 * len(statuses)
    assert engine.active_threads <= engine.settings.all_sites


def test_identical_input_gives_identical_log_and_summary() -> None:
    a, lines_a = run("retries-exhausted.toml")
    b, lines_b = run("retries-exhausted.toml")
    assert lines_a == lines_b
    assert a.summary("x") == b.summary("x")


def test_reset_replays_the_scenario() -> None:
    scenario = load_scenario(resource_path("scenarios", "q278357-sp3.toml"))
    engine = engine_from_scenario(scenario)
    seen: list[str] = []
    engine.subscribe(lambda e: seen.append(e.line) if isinstance(e, LogEvent) else None)
    engine.advance_to(2000.0)
    engine.inject_outage("LAB", 60.0)
    first = engine.summary()
    engine.reset()
    assert (engine.now, engine.requests(), engine.threads(), engine.events_handled) == (0.0, [], [], 0)
    seen.clear()
    engine.advance_to(2000.0)
    engine.inject_outage("LAB", 60.0)
    assert engine.summary() == first
    assert seen  # listeners survive a reset


def test_listeners_do_not_change_the_outcome() -> None:
    scenario = load_scenario(resource_path("scenarios", "busy-hierarchy.toml"))
    quiet = engine_from_scenario(scenario)
    quiet.run_until(3 * 3600.0)
    loud = engine_from_scenario(scenario)
    events: list[object] = []
    loud.subscribe(events.append)
    loud.run_until(3 * 3600.0)
    quiet_summary, loud_summary = quiet.summary(), loud.summary()
    assert quiet_summary.pop("events") < loud_summary.pop("events")  # loud: one heap entry per block
    assert quiet_summary == loud_summary
    assert len(events) > loud.events_handled
    unsubscribe = loud.subscribe(events.append)
    unsubscribe()
    unsubscribe()  # twice is harmless


def test_next_event_time_walks_the_run() -> None:
    scenario = load_scenario(resource_path("scenarios", "q278357-sp4.toml"))
    engine = engine_from_scenario(scenario)
    engine.subscribe(lambda _e: None)  # a view is watching: one event per block
    steps = 0
    while (t := engine.next_event_time()) is not None and t <= scenario.duration_s:
        assert t >= engine.now
        assert engine.advance_to(t) >= 1
        steps += 1
    # 20 MB = 80 blocks written (the one in flight when the link fell failed and is sent again), plus the
    # send's arrival, the outage, its end, the retry wake and the server restart at 1 h: 85 entries.
    assert engine.blocks_written == 80
    assert steps == engine.events_handled == 85
    engine.advance_to(scenario.duration_s)
    assert engine.summary()["sends"][0]["status"] == "delivered"
    quiet = engine_from_scenario(scenario)  # nobody watching: a whole transfer is one heap entry
    quiet.run()
    # arrival, outage, outage end, retry wake, restart and the completion of the second transfer (the first
    # one's entry went stale when the outage broke it; stale entries are not counted)
    assert quiet.events_handled == 6
    assert quiet.blocks_written == engine.blocks_written
    quiet_summary, loud_summary = quiet.summary(), engine.summary()
    assert (quiet_summary.pop("events"), loud_summary.pop("events")) == (6, 85)
    assert quiet_summary == loud_summary


def test_a_listener_without_block_kinds_keeps_transfers_whole() -> None:
    """Thread states and retry timers do not need a heap entry per block; log lines and TRANSFER timers do."""
    scenario = load_scenario(resource_path("scenarios", "q278357-sp4.toml"))
    counts = {}
    for kinds in ([ThreadEvent, TimerKind.RETRY_WAIT], [LogEvent], [TimerKind.TRANSFER], None):
        engine = engine_from_scenario(scenario)
        got: list[object] = []
        engine.subscribe(got.append, kinds=kinds)
        engine.run()
        allowed = (ThreadEvent, TimerEvent) if kinds and kinds[0] is ThreadEvent else object
        assert got and all(isinstance(e, allowed) for e in got)
        counts[str(kinds)] = engine.events_handled
    assert list(counts.values()) == [6, 85, 85, 85]
