"""SenderEngine.requests_since: the requests changed since a caller's mark bring a copy up to what requests() shows.

Checked after every engine step (each instant with events) and every frame, on the bundled scenarios, the busy
hierarchy, and a routed busy hierarchy with addresses closing and reopening, outages, restarts, new settings and
packages and a reset; a second caller that looks less often must see the same.
"""

from __future__ import annotations

import tomllib

import pytest
from outbox_support import BUNDLED, bundled, busy_routed_scenario, busy_scenario, engine_for, frames, routed_actions

from console.engine.events import RequestStatus, RequestView
from console.engine.request_changes import RequestDelta, RequestMark
from console.engine.sender import SenderEngine
from console.model.scenario import parse_scenario


class Copy:
    """A caller's copy of ``requests()``, kept only from ``requests_since``."""

    def __init__(self) -> None:
        self.views: list[RequestView] = []
        self.mark: RequestMark | None = None
        self.reported = 0

    def update(self, engine: SenderEngine) -> RequestDelta:
        delta = engine.requests_since(self.mark)
        self.mark = delta.mark
        if delta.full:
            self.views = []
        assert [i for i, _v in delta.changed] == sorted({i for i, _v in delta.changed})
        for i, v in delta.changed:
            if i == len(self.views):
                self.views.append(v)
            else:
                self.views[i] = v
        assert len(self.views) == delta.count
        self.reported += len(delta.changed)
        return delta


def _step_by_step(engine: SenderEngine, until: float, every: int = 5) -> int:
    """Handle one instant at a time; after each, the copy equals ``requests()`` (a second copy every ``every``)."""
    often, seldom = Copy(), Copy()
    steps = 0
    while (t := engine.next_event_time()) is not None and t <= until:
        engine.advance_to(t)
        steps += 1
        often.update(engine)
        assert often.views == engine.requests(), f"at {t}"
        if steps % every == 0:
            seldom.update(engine)
            assert seldom.views == engine.requests(), f"at {t} (the seldom caller)"
    assert steps > 0
    return steps


@pytest.mark.parametrize("name", [n for n in BUNDLED if n != "busy-hierarchy"])
def test_after_every_step_of_a_bundled_scenario(name: str) -> None:
    engine = engine_for(bundled(name))
    _step_by_step(engine, engine.end_s or 86400.0)


def test_after_every_step_of_a_busy_hierarchy() -> None:
    engine = engine_for(busy_scenario(sites=30, packages=3))
    _step_by_step(engine, 6 * 3600.0)
    assert engine.requests() and all(r.status is not RequestStatus.NONE for r in engine.requests())


def test_after_every_step_of_a_routed_hierarchy_with_closed_addresses() -> None:
    engine = engine_for(busy_routed_scenario(sites=30, packages=3))
    _step_by_step(engine, 10 * 3600.0)
    views = engine.requests()
    assert any(v.hop > 0 for v in views), "no request took a hop"
    assert any(v.waiting_s > 0 for v in views), "no request waited for a closed address"
    assert any(v.waiting is not None and v.waiting.reason == "no address" for v in views)


def test_after_every_frame_with_changes_made_between_frames() -> None:
    """Outages, a restart, settings, a package, addresses closed and reopened, a reset: two callers keep up."""
    scenario = busy_routed_scenario()
    engine = engine_for(scenario)
    often, seldom = Copy(), Copy()
    saw_full_after_reset = False
    for n in frames(engine, 60, 900.0, routed_actions(scenario)):
        delta = often.update(engine)
        assert often.views == engine.requests(), f"frame {n}"
        saw_full_after_reset |= n == 40 and delta.full
        if n % 4 == 3:
            seldom.update(engine)
            assert seldom.views == engine.requests(), f"frame {n} (the seldom caller)"
    assert saw_full_after_reset, "a reset engine must not take an old mark"
    assert often.reported < 60 * len(engine.requests()) // 4, "the changes were not fewer than the requests"


def test_a_first_call_and_a_foreign_mark_get_every_request() -> None:
    a, b = engine_for(bundled("q278357-intermediate")), engine_for(bundled("q278357-intermediate"))
    a.advance_to(900.0)
    b.advance_to(900.0)
    first = a.requests_since()
    assert first.full and [v for _i, v in first.changed] == a.requests() and first.count == 2
    foreign = b.requests_since(first.mark)
    assert foreign.full and [v for _i, v in foreign.changed] == b.requests()
    a.reset()
    after_reset = a.requests_since(first.mark)
    assert after_reset.full and after_reset.count == 0 and after_reset.changed == ()


def test_nothing_is_reported_when_nothing_moved() -> None:
    """All delivered: no thread, no wait, no change; a later call reports nothing, whatever the clock says."""
    engine = engine_for(bundled("q278357-sp4"))
    engine.run()
    assert {v.status for v in engine.requests()} == {RequestStatus.OK}
    mark = engine.requests_since().mark
    engine.advance_to(engine.now + 3600.0)
    delta = engine.requests_since(mark)
    assert not delta.full and delta.changed == () and delta.count == len(engine.requests())


def test_sending_and_closed_waits_are_reported_every_time() -> None:
    """Their views move with the clock without a stamp: a sending request's sync point, a wait's waiting_s."""
    engine = engine_for(bundled("office-hours"))  # low priority waits for 17:00; high priority sends at once
    engine.advance_to(60.0)
    mark = engine.requests_since().mark
    engine.advance_to(120.0)
    delta = engine.requests_since(mark)
    by_id = {v.request_id: v for _i, v in delta.changed}
    statuses = {v.status for v in by_id.values()}
    assert RequestStatus.SENDING in statuses, "the sending request is left out"
    waiting = [v for v in by_id.values() if v.waiting is not None and v.waiting.reason == "closed"]
    assert waiting and waiting[0].waiting_s == pytest.approx(120.0), "the waiting request is left out"
    assert by_id == {v.request_id: v for v in engine.requests()}


def test_a_request_is_reported_once_its_thread_ends() -> None:
    """Delivered between two calls: the status, the end of the thread and the delivery time come through."""
    engine = engine_for(bundled("q278357-sp4"))
    engine.advance_to(10.0)
    copy = Copy()
    copy.update(engine)
    assert copy.views[0].thread_id is not None
    engine.run()
    delta = copy.update(engine)
    assert [i for i, _v in delta.changed] == [0]
    (view,) = copy.views
    assert view.status is RequestStatus.OK and view.thread_id is None and view.delivered_at is not None


_STRANDED = """
name = "One thread, a dead site"
start = 2001-03-14T09:00:00
duration = "8d"
[sender]
site = "PRI"
all_sites = 1
per_site = 1
[[sites]]
code = "PRI"
server = "PRISRV"
version = "2.0 SP4"
[[sites]]
code = "DED"
server = "DEDSRV"
version = "2.0 SP4"
parent = "PRI"
link_kbps = 1024
[[sites]]
code = "SLO"
server = "SLOSRV"
version = "2.0 SP4"
parent = "PRI"
link_kbps = 64
[[sends]]
at = "1s"
package = "PRI00001"
dest = "DED"
size_kb = 64
priority = "high"
[[sends]]
at = "1s"
package = "PRI00002"
dest = "SLO"
size_kb = 20480
priority = "low"
[[faults]]
at = "0s"
dest = "DED"
kind = "network"
duration = "8d"
"""


def _stranded() -> SenderEngine:
    return engine_for(parse_scenario(tomllib.loads(_STRANDED)))


def test_a_request_offered_again_while_every_thread_is_busy_loses_its_restart_time() -> None:
    """DED's request fails to connect and is given back (restart at 09:10); at 09:10 the one thread still sends
    to SLO, so the re-offered request only waits in the queue: nothing but the re-offer changes its view."""
    engine = _stranded()
    copy = Copy()
    engine.advance_to(599.0)
    copy.update(engine)
    assert copy.views[0].restart_at == pytest.approx(601.0) and copy.views[1].status is RequestStatus.SENDING
    engine.advance_to(700.0)
    copy.update(engine)
    assert copy.views == engine.requests()
    assert copy.views[0].restart_at is None and copy.views[0].thread_id is None


def test_a_pending_request_abandoned_after_seven_days_reads_cancelled() -> None:
    engine = _stranded()
    copy = Copy()
    engine.advance_to(7 * 86400.0 - 1.0)
    copy.update(engine)
    assert copy.views[0].status is not RequestStatus.CANCELLED and copy.views[0].thread_id is None
    engine.advance_to(7 * 86400.0 + 2.0)
    copy.update(engine)
    assert copy.views == engine.requests() and copy.views[0].status is RequestStatus.CANCELLED


def test_a_run_nobody_asks_keeps_no_stamps_and_the_first_reader_sees_waits_already_begun() -> None:
    """Stamping starts with the first ``requests_since`` (``simulate`` never asks); waits begun before still count."""
    engine = engine_for(bundled("office-hours"))
    engine.advance_to(60.0)
    assert engine._changes is None
    first = engine.requests_since()
    assert first.full and engine._changes is not None
    engine.advance_to(120.0)
    waiting = [v for _i, v in engine.requests_since(first.mark).changed if v.waiting is not None]
    assert waiting and waiting[0].waiting_s == pytest.approx(120.0)
    engine.reset()
    assert engine._changes is None and engine.requests_since(first.mark).full
