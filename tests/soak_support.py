"""Engine soak: the busy scenario under random outages, server restarts, settings changes, version upgrades and new
sends, with the engine's invariants checked after every event. Shared by tests/unit/engine/test_engine_soak.py (a
few simulated hours) and tests/bench/bench_soak.py (7 simulated days).

Only the engine's public face is used (``subscribe``, ``next_event_time``/``advance_to``, the actions, the
``threads()``/``requests()`` snapshots, ``active_threads``), never its private attributes, so the check survives a
rewrite of the engine's insides. Three layers:

- every event (the listener): virtual time never goes back; a thread starts only within both concurrency limits in
  force, for a known request that has no other thread and is not finished; a thread's events follow its life
  (started ... exited, never after); a request's status events start at NONE and stop at delivered/abandoned;
  bytes sent never go above the size; connects only grow; a delivered request sent all its bytes;
- every step (after each ``advance_to``): the engine's ``active_threads`` equals the threads the events started
  and not yet ended (no thread without its events, none lost);
- every ``snapshot_every_s`` of simulated time, after each action and at the end: ``threads()`` and ``requests()``
  agree with the events (each thread has its request and that request names it back; each request appears once
  and is in exactly one of waiting / active / delivered / abandoned; sync point within the size).

Lowered limits: a running thread keeps going when the limits drop (the engine's documented choice), so after a
change the count may stay above the new limit until enough threads end; it never rises above it again.
"""

from __future__ import annotations

import collections
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from console.engine.events import RequestEvent, RequestStatus, ThreadEvent, ThreadState
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.model.resource_paths import resource_path
from console.model.scenario import Scenario, load_scenario
from console.model.sender_settings import SenderSettings
from console.model.versions import SiteVersion

BUSY = resource_path("scenarios", "busy-hierarchy.toml")
FINAL = (RequestStatus.OK, RequestStatus.CANCELLED)
ACTIVE_STATUS = (RequestStatus.STARTED, RequestStatus.CONNECTING, RequestStatus.SENDING)
MB = 1024 * 1024


def rss_mib() -> float:
    """Resident set size now (Linux /proc); elsewhere the peak, which is what getrusage offers."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() / MB
    except (OSError, ValueError, IndexError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (MB if sys.platform == "darwin" else 1024)


class InvariantChecker:
    """The engine listener and the step and snapshot checks of the module docstring; problems are collected."""

    def __init__(self, engine: SenderEngine, settings: SenderSettings, max_problems: int = 50) -> None:
        self.engine = engine
        self.limits = settings
        self.cap_all = settings.all_sites
        self.cap_per: dict[str, int] = {}  # destinations above a lowered per-site limit: their running count
        self.threads: dict[int, tuple[str, str, ThreadState]] = {}
        self.per_dest: collections.Counter[str] = collections.Counter()
        self.status: dict[str, RequestStatus] = {}
        self.thread_of: dict[str, int] = {}
        self.sent: dict[str, int] = {}
        self.connects: dict[str, int] = {}
        self.sizes: dict[str, int] = {}  # sent/connects/sizes are dropped once a request is final (memory stays flat)
        self.last_time = 0.0
        self.events = 0
        self.steps = 0
        self.snapshots = 0
        self.most_threads = 0
        self.problems: list[str] = []
        self._max_problems = max_problems

    def fail(self, what: str) -> None:
        if len(self.problems) < self._max_problems:
            self.problems.append(f"t={self.engine.now:.3f}: {what}")

    # -- every event ------------------------------------------------------------------------------------
    def __call__(self, event: object) -> None:
        self.events += 1
        t = event.time  # type: ignore[attr-defined]
        if t < self.last_time:
            self.fail(f"time went back from {self.last_time} to {t}: {event}")
        self.last_time = t
        cls = type(event)
        if cls is ThreadEvent:
            self._thread_event(event)  # type: ignore[arg-type]
        elif cls is RequestEvent:
            self._request_event(event)  # type: ignore[arg-type]

    def _thread_event(self, e: ThreadEvent) -> None:
        tid, rid = e.thread_id, e.request_id
        if e.state is ThreadState.STARTED:
            if tid in self.threads:
                self.fail(f"thread {tid} started twice")
            if self.status.get(rid) in (None, *FINAL):
                self.fail(f"thread {tid} started for request {rid} in state {self.status.get(rid)}")
            if rid in self.thread_of:
                self.fail(f"request {rid} got thread {tid} while thread {self.thread_of[rid]} runs")
            self.threads[tid] = (rid, e.dest, e.state)
            self.thread_of[rid] = tid
            self.per_dest[e.dest] += 1
            if len(self.threads) > self.limits.all_sites:
                self.fail(f"thread {tid} started with {len(self.threads)} running > all sites {self.limits.all_sites}")
            if self.per_dest[e.dest] > self.limits.per_site:
                self.fail(f"thread {tid} started with {self.per_dest[e.dest]} to {e.dest} > {self.limits.per_site}")
            self.most_threads = max(self.most_threads, len(self.threads))
        else:
            known = self.threads.get(tid)
            if known is None:
                self.fail(f"event {e.state.name} of thread {tid}, which is not running")
                return
            if known[0] != rid or known[1] != e.dest:
                self.fail(f"thread {tid} changed request/destination: {known[:2]} -> {(rid, e.dest)}")
            if e.state is ThreadState.EXITED:
                del self.threads[tid]
                self.per_dest[e.dest] -= 1
                if self.thread_of.get(rid) == tid:
                    del self.thread_of[rid]
                self._lower_caps(e.dest)
            else:
                self.threads[tid] = (rid, e.dest, e.state)
        if len(self.threads) > max(self.cap_all, self.limits.all_sites):
            self.fail(f"{len(self.threads)} threads running > all-sites limit {self.limits.all_sites}")
        if self.per_dest[e.dest] > max(self.cap_per.get(e.dest, 0), self.limits.per_site):
            self.fail(f"{self.per_dest[e.dest]} threads to {e.dest} > per-site limit {self.limits.per_site}")

    def _lower_caps(self, dest: str) -> None:
        if self.cap_all > self.limits.all_sites:
            self.cap_all = max(self.limits.all_sites, len(self.threads))
        if dest in self.cap_per:
            self.cap_per[dest] = self.per_dest[dest]
            if self.cap_per[dest] <= self.limits.per_site:
                del self.cap_per[dest]

    def _request_event(self, e: RequestEvent) -> None:
        rid, status = e.request_id, e.status
        before = self.status.get(rid)
        if before is None and status is not RequestStatus.NONE:
            self.fail(f"request {rid} first seen in {status.name}")
        if before in FINAL:
            self.fail(f"request {rid} went from {before.name} to {status.name}")  # type: ignore[union-attr]
        self.status[rid] = status
        size = self.sizes.get(rid)
        if e.bytes_sent < 0 or (size is not None and e.bytes_sent > size):
            self.fail(f"request {rid}: {e.bytes_sent} bytes sent of {size}")
        if e.bytes_sent > self.sent.get(rid, 0):
            self.sent[rid] = e.bytes_sent
        if e.attempts < self.connects.get(rid, 0):
            self.fail(f"request {rid}: connects went down to {e.attempts}")
        self.connects[rid] = e.attempts
        has_thread = rid in self.thread_of
        if status in ACTIVE_STATUS and not has_thread:
            self.fail(f"request {rid} is {status.name} without a thread")
        if status is RequestStatus.OK and (not has_thread or (size is not None and e.bytes_sent != size)):
            self.fail(f"request {rid} delivered with {e.bytes_sent} of {size} bytes, thread {has_thread}")
        if status is RequestStatus.CANCELLED and has_thread:
            self.fail(f"request {rid} abandoned while thread {self.thread_of[rid]} runs")
        if status in FINAL:
            self.sent.pop(rid, None)
            self.connects.pop(rid, None)
            self.sizes.pop(rid, None)

    # -- actions the driver takes -------------------------------------------------------------------------
    def settings_changed(self, settings: SenderSettings) -> None:
        self.limits = settings
        self.cap_all = max(settings.all_sites, len(self.threads))
        self.cap_per = {d: n for d, n in self.per_dest.items() if n > settings.per_site}

    def queued(self, rid: str, size: int) -> None:
        self.sizes[rid] = size
        if self.sent.get(rid, 0) > size:
            self.fail(f"request {rid}: {self.sent[rid]} bytes sent of {size}")

    # -- every step ---------------------------------------------------------------------------------------
    def after_step(self) -> None:
        self.steps += 1
        if self.engine.active_threads != len(self.threads):
            self.fail(f"engine has {self.engine.active_threads} threads; its events started {len(self.threads)}")

    # -- snapshots ----------------------------------------------------------------------------------------
    def snapshot(self) -> collections.Counter[str]:
        """Cross-check ``threads()`` and ``requests()`` against the events; returns requests per state."""
        self.snapshots += 1
        views = self.engine.threads()
        tids = [v.thread_id for v in views]
        if len(set(tids)) != len(tids) or set(tids) != set(self.threads):
            self.fail(f"threads() has {sorted(tids)}; the events say {sorted(self.threads)}")
        reqs = self.engine.requests()
        rids = [r.request_id for r in reqs]
        if len(set(rids)) != len(rids):
            self.fail("a request appears twice in requests()")
        if set(rids) != set(self.status):
            self.fail(f"requests() has {len(rids)} requests; the events announced {len(self.status)}")
        by_id = {r.request_id: r for r in reqs}
        for v in views:
            r = by_id.get(v.request_id)
            if r is None or r.thread_id != v.thread_id:
                self.fail(f"thread {v.thread_id} without its request {v.request_id} naming it back")
            if v.bytes_sent > v.total_bytes or v.heartbeat_deadline < v.heartbeat_at:
                self.fail(f"thread {v.thread_id}: {v.bytes_sent}/{v.total_bytes} bytes, heartbeat {v.heartbeat_at}")
            known = self.threads.get(v.thread_id)
            if known is not None and known[2] is not v.state:
                self.fail(f"thread {v.thread_id} is {v.state.name}; its last event said {known[2].name}")
        states: collections.Counter[str] = collections.Counter()
        live = set(tids)
        for r in reqs:
            rid = r.request_id
            if r.status not in FINAL:
                self.sizes.setdefault(rid, r.total_bytes)
            if not 0 <= r.sync_point <= r.total_bytes or r.bytes_left != r.total_bytes - r.sync_point:
                self.fail(f"request {rid}: sync {r.sync_point}, left {r.bytes_left}, size {r.total_bytes}")
            if self.sent.get(rid, 0) > r.total_bytes:
                self.fail(f"request {rid}: {self.sent[rid]} bytes sent of {r.total_bytes}")
            if r.status is not self.status.get(rid):
                self.fail(f"request {rid} is {r.status.name}; its last event said {self.status.get(rid)}")
            if r.thread_id != self.thread_of.get(rid) or (r.thread_id is not None and r.thread_id not in live):
                self.fail(f"request {rid} names thread {r.thread_id}; the events say {self.thread_of.get(rid)}")
            delivered = r.status is RequestStatus.OK
            abandoned = r.status is RequestStatus.CANCELLED
            active = r.thread_id is not None
            waiting = not (delivered or abandoned or active) and r.status in (RequestStatus.NONE, RequestStatus.ERROR)
            if delivered + abandoned + active + waiting != 1:
                self.fail(f"request {rid} is in {delivered + abandoned + active + waiting} states ({r.status.name})")
            if delivered and (r.delivered_at is None or r.bytes_left != 0):
                self.fail(f"request {rid} delivered without its time or with {r.bytes_left} bytes left")
            states["delivered" if delivered else "abandoned" if abandoned else "active" if active else "waiting"] += 1
        return states


@dataclass
class SoakReport:
    sim_s: float = 0.0
    wall_s: float = 0.0
    events: int = 0
    steps: int = 0
    snapshots: int = 0
    most_threads: int = 0
    actions: collections.Counter[str] = field(default_factory=collections.Counter)
    states: collections.Counter[str] = field(default_factory=collections.Counter)
    rss: list[tuple[str, float]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def busy_scenario() -> Scenario:
    return load_scenario(BUSY)


def soak(
    scenario: Scenario,
    sim_s: float,
    *,
    seed: int = 278357,
    action_gap_s: float = 300.0,
    snapshot_every_s: float = 3600.0,
    rss_marks: int = 0,
    new_sends: bool = True,
    progress: Callable[[SoakReport], None] | None = None,
) -> SoakReport:
    """Run ``scenario`` for ``sim_s`` simulated seconds with random actions every ``action_gap_s`` on average.

    ``rss_marks`` > 0 records the RSS at the start and at that many evenly spaced points (the last at the end).
    ``new_sends=False`` leaves out the random new packages, so that nothing but the scenario's own requests is kept.
    """
    engine = engine_from_scenario(scenario)
    checker = InvariantChecker(engine, scenario.settings)
    engine.subscribe(checker)
    rng = random.Random(seed)
    dests = sorted(s.site.code for s in scenario.sites if s.site.code != scenario.sending_site)
    report = SoakReport()
    began = time.perf_counter()
    if rss_marks:
        report.rss.append(("start", rss_mib()))
    marks = [sim_s * (i + 1) / rss_marks for i in range(rss_marks)] if rss_marks else []
    next_action = rng.expovariate(1.0 / action_gap_s)
    next_snapshot = snapshot_every_s
    sends = 0
    while engine.now < sim_s:
        t = engine.next_event_time()
        target = min(sim_s, next_action, next_snapshot, *(marks[:1]), *((t,) if t is not None else ()))
        engine.advance_to(target)
        checker.after_step()
        if target == next_action:
            sends = _act(engine, checker, rng, dests, report, sends, new_sends)
            checker.after_step()
            if report.actions.total() % 10 == 0:
                checker.snapshot()
            next_action += rng.expovariate(1.0 / action_gap_s)
        if target == next_snapshot:
            checker.snapshot()
            next_snapshot += snapshot_every_s
            if progress is not None:
                _fill(report, checker, engine, began)
                progress(report)
        if marks and target == marks[0]:
            marks.pop(0)
            report.rss.append((f"day {engine.now / 86400:.1f}", rss_mib()))
    report.states = checker.snapshot()
    _fill(report, checker, engine, began)
    return report


def _fill(report: SoakReport, checker: InvariantChecker, engine: SenderEngine, began: float) -> None:
    report.sim_s = engine.now
    report.wall_s = time.perf_counter() - began
    report.events, report.steps, report.snapshots = checker.events, checker.steps, checker.snapshots
    report.most_threads = checker.most_threads
    report.problems = list(checker.problems)


def _act(
    engine: SenderEngine,
    checker: InvariantChecker,
    rng: random.Random,
    dests: list[str],
    report: SoakReport,
    sends: int,
    new_sends: bool = True,
) -> int:
    """One random action through the public API; returns the number of packages queued so far."""
    weights = [40 if new_sends else 0, 30, 12, 15, 3]
    kind = rng.choices(["send", "outage", "restart", "settings", "version"], weights=weights)[0]
    report.actions[kind] += 1
    dest = rng.choice(dests)
    if kind == "send":
        for _ in range(rng.randint(1, 12)):
            sends += 1
            size = rng.randint(1, 40 * MB)
            rid = engine.queue_send(f"SOAK{sends:04X}", rng.choice(dests), size, rng.choice((1, 2, 2, 3)))
            checker.queued(rid, size)
    elif kind == "outage":
        engine.inject_outage(dest, min(6 * 3600.0, rng.lognormvariate(5.5, 1.3)))  # median ~4 min, up to hours
    elif kind == "restart":
        engine.restart_server(dest)
    elif kind == "settings":
        settings = SenderSettings(
            all_sites=rng.choice((1, 3, 5, 10, 20, 40, 80)),
            per_site=rng.randint(1, 5),
            retries=rng.randint(1, 5),
            retry_delay_min=rng.choice((1, 2, 4, 5, 6, 10)),
        )
        checker.settings_changed(settings)  # first: the engine starts threads under them within apply_settings
        engine.apply_settings(settings)
    else:
        version = rng.choice(list(SiteVersion))
        engine.set_site_version(rng.choice([*dests, engine.sending_site.code]), version)
    return sends
