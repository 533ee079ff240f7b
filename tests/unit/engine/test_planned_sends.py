"""Planned sends enter the heap one at a time, yet arrive in the order all-at-once pushing gave (issue 11: memory).

A busy scenario plans tens of thousands of sends; each used to hold a heap entry from the start. The heap now
holds only the earliest waiting one, with the sequence number it had before (its place in the file), so sends
arrive by time and, at one time, in file order, before anything else scheduled for that instant.
"""

from __future__ import annotations

from console.engine.scenario_engine import engine_from_scenario
from console.engine.scheduler import SEND
from console.model.scenario import parse_scenario


def scenario(sends: list[tuple[str, str]]) -> dict:
    return {
        "name": "order",
        "duration": "2h",
        "sender": {"site": "CEN"},
        "sites": [
            {"code": "CEN", "name": "Central", "server": "CENSRV", "version": "2.0 SP4"},
            {"code": "AAA", "name": "A", "server": "AAASRV", "version": "2.0 SP4", "parent": "CEN"},
            {"code": "BBB", "name": "B", "server": "BBBSRV", "version": "2.0 SP4", "parent": "CEN"},
        ],
        "sends": [{"at": at, "package": pkg, "dest": "AAA", "size_kb": 100} for at, pkg in sends],
        "faults": [{"at": "10m", "dest": "BBB", "kind": "network", "duration": "1m"}],
    }


def planned_in_heap(engine) -> int:
    return sum(1 for e in engine._heap if e[2] == SEND)


def test_sends_listed_out_of_time_order_arrive_by_time_then_file_order() -> None:
    sends = [("30m", "PKG00001"), ("10m", "PKG00002"), ("10m", "PKG00003"), ("20m", "PKG00004"), ("0s", "PKG00005")]
    engine = engine_from_scenario(parse_scenario(scenario(sends)))
    assert planned_in_heap(engine) == 1
    arrived = []
    for t in (0.0, 600.0, 1200.0, 1800.0):
        engine.advance_to(t)
        assert planned_in_heap(engine) <= 1
        arrived.append([r.package for r in engine.requests()])
    assert arrived == [
        ["PKG00005"],
        ["PKG00005", "PKG00002", "PKG00003"],
        ["PKG00005", "PKG00002", "PKG00003", "PKG00004"],
        ["PKG00005", "PKG00002", "PKG00003", "PKG00004", "PKG00001"],
    ]
    assert planned_in_heap(engine) == 0


def test_a_send_comes_before_a_fault_planned_for_the_same_instant_and_reset_plans_again() -> None:
    engine = engine_from_scenario(parse_scenario(scenario([("10m", "PKG00001"), ("1m", "PKG00002")])))
    seen: list[tuple[float, str]] = []
    engine.subscribe(lambda e: seen.append((e.time, type(e).__name__ + ":" + str(getattr(e, "what", "")))))
    engine.advance_to(600.0)
    # at 10 minutes the send was pushed after the fault yet keeps its place before it (its file sequence number)
    assert [r.package for r in engine.requests()] == ["PKG00002", "PKG00001"]
    at_ten = [what for t, what in seen if t == 600.0]
    assert at_ten.index("RequestEvent:") < at_ten.index("SiteEvent:outage")
    engine.reset()
    assert planned_in_heap(engine) == 1
    engine.advance_to(600.0)
    assert [r.package for r in engine.requests()] == ["PKG00002", "PKG00001"]
