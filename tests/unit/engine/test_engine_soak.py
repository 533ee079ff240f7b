"""Engine soak, short form: six simulated hours of the busy scenario with random outages, server restarts, settings
changes, version upgrades and new sends, invariants checked after every event (see tests/soak_support.py). The long
form (7 simulated days, with RSS) is tests/bench/bench_soak.py. A second part shows the checker is not blind."""

from __future__ import annotations

import pytest
from soak_support import InvariantChecker, busy_scenario, soak

from console.engine.events import RequestEvent, RequestStatus, ThreadEvent, ThreadState
from console.model.sender_settings import SenderSettings


@pytest.fixture(scope="module")
def scenario():
    return busy_scenario()


@pytest.mark.parametrize("seed", [278357, 4, 2024])
def test_six_busy_hours_under_random_faults_keep_every_invariant(scenario, seed: int) -> None:
    report = soak(scenario, 6 * 3600.0, seed=seed, action_gap_s=120.0, snapshot_every_s=600.0)
    assert report.problems == []
    assert report.sim_s == 6 * 3600.0
    assert report.events > 100_000 and report.snapshots >= 36
    assert set(report.actions) == {"send", "outage", "restart", "settings", "version"}, report.actions
    assert report.states["delivered"] > 2000, report.states  # the run did real work, not just wait
    assert report.most_threads <= 80  # the highest all-sites limit the soak sets


class _FakeEngine:
    """Just the public face the checker reads."""

    now = 0.0
    active_threads = 0


def _checker(all_sites: int = 2, per_site: int = 1) -> InvariantChecker:
    return InvariantChecker(_FakeEngine(), SenderSettings(all_sites=all_sites, per_site=per_site))  # type: ignore[arg-type]


def _queue(c: InvariantChecker, rid: str, dest: str = "LAB", size: int = 100) -> None:
    c(RequestEvent(0.0, rid, dest, RequestStatus.NONE, 0, 0))
    c.queued(rid, size)


def test_the_checker_sees_a_limit_broken_and_a_thread_without_its_request() -> None:
    c = _checker(all_sites=2, per_site=1)
    for rid in ("A", "B", "C"):
        _queue(c, rid, dest=rid)
    c(ThreadEvent(1.0, 200, "A", "A", ThreadState.STARTED))
    c(ThreadEvent(1.0, 201, "B", "B", ThreadState.STARTED))
    assert c.problems == []
    c(ThreadEvent(1.0, 202, "C", "C", ThreadState.STARTED))
    assert any("> all sites 2" in p for p in c.problems)
    c.problems.clear()
    c(ThreadEvent(1.0, 203, "Z", "LAB", ThreadState.STARTED))
    assert any("request Z in state None" in p for p in c.problems)


def test_the_checker_sees_bytes_over_the_size_time_going_back_and_life_after_delivery() -> None:
    c = _checker()
    _queue(c, "A", size=100)
    c(ThreadEvent(2.0, 200, "A", "LAB", ThreadState.STARTED))
    c(RequestEvent(2.0, "A", "LAB", RequestStatus.SENDING, 150, 1))
    assert any("150 bytes sent of 100" in p for p in c.problems)
    c.problems.clear()
    c(RequestEvent(1.0, "A", "LAB", RequestStatus.SENDING, 50, 1))
    assert any("time went back" in p for p in c.problems)
    c.problems.clear()
    c(RequestEvent(3.0, "A", "LAB", RequestStatus.OK, 100, 1))
    c(ThreadEvent(3.0, 200, "A", "LAB", ThreadState.EXITED))
    assert c.problems == []
    c(RequestEvent(4.0, "A", "LAB", RequestStatus.CONNECTING, 100, 2))
    assert any("went from OK" in p for p in c.problems)


def test_a_lowered_limit_lets_running_threads_finish_but_starts_none_above_it() -> None:
    c = _checker(all_sites=3, per_site=3)
    for i in range(4):
        _queue(c, f"R{i}")
    for i in range(3):
        c(ThreadEvent(1.0, 200 + i, f"R{i}", "LAB", ThreadState.STARTED))
    c.settings_changed(SenderSettings(all_sites=1, per_site=1))
    c(ThreadEvent(2.0, 200, "R0", "LAB", ThreadState.EXITED))
    assert c.problems == [], "three were running; they may go on"
    c(ThreadEvent(2.0, 203, "R3", "LAB", ThreadState.STARTED))
    assert any("> all sites 1" in p for p in c.problems)
