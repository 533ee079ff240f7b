"""Benchmark: this engine against the same model written with SimPy, and growth from 100 to 10,000 sites.

Not part of the test suite (DESIGN.md §6: speed is measured as ratios in one run, never asserted).

    .venv/bin/python tests/bench/bench_engine.py            # the full table (a few minutes on 2 cores)
    .venv/bin/python tests/bench/bench_engine.py --quick    # smaller sizes, to check the script

What is compared (A): WALL TIME on one seeded workload (bench_workload.py) run to the end, the best of
``--repeat`` runs, every run checked to deliver every request at the same virtual time as the SimPy model. The
engine runs it four ways:

- unobserved: no listener, no log (``sender-console simulate`` without ``--log``): a transfer is one heap entry;
- GUI kinds alone: a do-nothing listener for ``events.GUI_KINDS`` (thread states, request status, log lines,
  site events, retry/heartbeat/busy/re-offer timers; no per-block TRANSFER timers): one entry per block;
- every kind: the same with TRANSFER timers too (what ``subscribe(listener)`` without kinds gets, a reference);
- the console's real path: GUI kinds plus a Sender.log sink that receives every line (the live console always
  attaches its log file); its Sender.log is also compared with the digest recorded before issue 11's rework.

D: ``simulate --log`` (lines written to a file) against ``simulate``, the engine run alone and the whole
command. E: the link-sharing cliff (bench_workload.cliff_engine), with the work it cost counted.

"handled events" are heap entries that did work, counted by the engine itself (``events_handled``); nothing
is added arithmetically, so the unobserved path handles far fewer events than the observed ones for the same
blocks. For SimPy two counts are shown: the model's own (blocks, wakes, arrivals, faults, ends, re-offers:
what the engine's per-block paths handle) and SimPy's kernel events (every scheduled Event: timeouts,
process starts and resumptions, interrupts).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_workload import AddressWorkload, Workload, address_workload, cliff_engine, workload
from simpy_sender import SimPySender

from console.engine.events import GUI_KINDS
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.engine.sender_log import SenderLogFile
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]

UNOBSERVED = "unobserved (CLI simulate)"
GUI = "GUI kinds alone (no TRANSFER timers, no log sink)"
EVERY = "observed, every kind (reference)"
LOGGED = "the console's real path: GUI kinds + Sender.log sink"
SIMPY = "SimPy 4.1 model (processes, interrupts)"
TARGETS = {UNOBSERVED: 3.0, GUI: 1.0, EVERY: 1.0, LOGGED: 3.0}
# Sender.log of workload(1000, 20, 20), recorded before issue 11's rework: sha256 of the lines, each + "\n"
FULL_LOG_DIGEST = ("cdf9b6eedef2663762d937408d42e83db3ebd5b3560375863cfd26a512809f15", 1_024_048)


class Run:
    def __init__(
        self, wall: float, events: int, blocks: int, delivered: list[float | None], note: str = "", log: str = ""
    ) -> None:
        self.log = log  # sha256 of the Sender.log lines, when checked
        self.wall = wall
        self.events = events
        self.blocks = blocks
        self.delivered = delivered
        self.note = note


def run_engine(w: Workload, how: str, check_log: bool = False) -> Run:
    lines = 0
    digest = hashlib.sha256()

    def sink(_line: str) -> None:
        nonlocal lines
        lines += 1

    def digest_sink(line: str) -> None:
        nonlocal lines
        lines += 1
        digest.update(line.encode())
        digest.update(b"\n")

    def nothing(_event: object) -> None:
        pass

    engine = SenderEngine(
        w.sending_site,
        w.destinations,
        w.settings,
        sends=w.sends,
        faults=w.faults,
        log_sink=(digest_sink if check_log else sink) if how == LOGGED else None,
    )
    if how in (GUI, LOGGED):
        engine.subscribe(nothing, kinds=GUI_KINDS)
    elif how == EVERY:
        engine.subscribe(nothing)
    gc.collect()
    t0 = time.perf_counter()
    engine.run()
    wall = time.perf_counter() - t0
    return Run(
        wall,
        engine.events_handled,
        engine.blocks_written,
        [r.delivered_at for r in engine.requests()],
        f"{lines:,} lines" if how == LOGGED else "",
        digest.hexdigest() if check_log else "",
    )


def run_addressed(w: AddressWorkload, how: str) -> tuple[Run, dict]:
    lines = 0

    def sink(*_line: str) -> None:
        nonlocal lines
        lines += 1

    engine = SenderEngine(
        w.sending_site,
        w.destinations,
        w.settings,
        sends=w.sends,
        addresses=w.addresses,
        log_sink=sink if how == LOGGED else None,
        site_log_sink=sink if how == LOGGED else None,
    )
    if how in (GUI, LOGGED):
        engine.subscribe(lambda _e: None, kinds=GUI_KINDS)
    gc.collect()
    t0 = time.perf_counter()
    engine.run()
    wall = time.perf_counter() - t0
    return Run(wall, engine.events_handled, engine.blocks_written, []), engine.summary()


def run_simpy(w: Workload) -> Run:
    model = SimPySender(w)
    gc.collect()
    t0 = time.perf_counter()
    model.run()
    wall = time.perf_counter() - t0
    blocks = model.blocks
    return Run(
        wall,
        model.events,
        blocks,
        [r.delivered_at for r in model.requests],
        f"{model.kernel_events:,} SimPy kernel events",
    )


def differ(a: list[float | None], b: list[float | None]) -> int:
    return sum(
        1
        for x, y in zip(a, b, strict=True)
        if (x is None) != (y is None) or (x is not None and y is not None and abs(x - y) > 1e-6)
    )


def _best(fn: Callable[[], float], repeat: int) -> float:
    return min(fn() for _ in range(repeat))


def _timed_run(build: Callable[..., SenderEngine], logged: bool) -> float:
    """Wall time of ``engine.run()``, with Sender.log written to a file as ``simulate --log`` does (and closed)."""
    with tempfile.TemporaryDirectory() as tmp:
        log = SenderLogFile(Path(tmp) / "Sender.log") if logged else None
        site_logs: dict[str, SenderLogFile] = {}

        def site_line(site: str, line: str) -> None:
            f = site_logs.get(site) or site_logs.setdefault(site, SenderLogFile(Path(tmp) / f"Sender-{site}.log"))
            f.write_line(line)

        engine = build(log.write_line if log else None, site_line if log else None)
        gc.collect()
        t0 = time.perf_counter()
        engine.run()
        for f in [log, *site_logs.values()]:
            if f is not None:
                f.close()
        return time.perf_counter() - t0


def _cli(args: list[str], repeat: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def once() -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "console", *args], check=True, env=env, stdout=subprocess.DEVNULL)
        return time.perf_counter() - t0

    return _best(once, repeat)


def log_vs_quiet(w: Workload, quick: bool, repeat: int) -> None:
    """D. ``simulate --log`` against ``simulate`` on the same scenario: the yardstick is the quiet run."""
    scenario = load_scenario(resource_path("scenarios", "busy-hierarchy.toml"))

    def bh(sink, site_sink):
        return engine_from_scenario(scenario, sink, site_sink)

    def bench(sink, site_sink):
        return SenderEngine(w.sending_site, w.destinations, w.settings, sends=w.sends, faults=w.faults, log_sink=sink)

    print("\nD. simulate --log (Sender.log written to a file) against simulate, best of", repeat)
    print("| run | simulate s | simulate --log s | --log / simulate | target |")
    print("|---|---|---|---|---|")
    for name, build in (("busy-hierarchy, engine run", bh), ("bench workload of A, engine run", bench)):
        quiet = _best(lambda b=build: _timed_run(b, False), repeat)
        logged = _best(lambda b=build: _timed_run(b, True), repeat)
        print(f"| {name} | {quiet:.3f} | {logged:.3f} | {logged / quiet:.2f}x | <= 2x |", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        log = str(Path(tmp) / "Sender.log")
        quiet = _cli(["simulate", "busy-hierarchy"], repeat)
        logged = _cli(["simulate", "busy-hierarchy", "--log", log], repeat)
    print(f"| busy-hierarchy, whole command | {quiet:.3f} | {logged:.3f} | {logged / quiet:.2f}x | <= 2x |")


def sharing_cliff(quick: bool, repeat: int) -> None:
    """E. Thousands of 1 MB sends queued at once to one site, both limits 999 (bench_workload.cliff_engine)."""
    print("\nE. The link-sharing cliff: N sends of 1 MB at once to one site, all sites = per site = 999")
    print("| sends | simulate s | simulate --log s | --log / simulate | re-planned transfers | stale entries |")
    print("|---|---|---|---|---|---|")
    for n in (500, 1000) if quick else (2000, 5000):

        def build(sink, site_sink, n=n):
            return cliff_engine(n, staggered=False, log_sink=sink)

        quiet = _best(lambda b=build: _timed_run(b, False), repeat)
        logged = _best(lambda b=build: _timed_run(b, True), repeat)
        e = cliff_engine(n, staggered=False)
        e.run()
        print(
            f"| {n:,} | {quiet:.3f} | {logged:.3f} | {logged / quiet:.2f}x | {e.replanned} | {e.stale_dropped} |",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--blocks", type=int, default=20, help="blocks of 256 KB per package in the comparison")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each path in A; the best wall time counts")
    ap.add_argument("--skip-cliff", action="store_true", help="leave out E (minutes on engines before issue 11)")
    a = ap.parse_args()
    sites, packages = (100, 20) if a.quick else (1000, 20)
    print(
        f"Python {platform.python_version()}, {platform.machine()}; seed 1; 1 % outages; "
        f"all sites 999 / per site 3 / 2 retries / 1-minute delay; 768-1280 kbps links\n"
    )

    w = workload(sites, packages, a.blocks)
    print(
        f"A. {sites:,} sites x {packages} packages x {a.blocks} blocks ({w.blocks:,} blocks, "
        f"{len(w.faults)} outages), run to the end; every path against the SimPy model of the same run"
    )
    runs: dict[str, Run] = {}
    order: list[tuple[str, Callable[[], Run]]] = [
        (SIMPY, lambda: run_simpy(w)),
        (UNOBSERVED, lambda: run_engine(w, UNOBSERVED)),
        (GUI, lambda: run_engine(w, GUI)),
        (EVERY, lambda: run_engine(w, EVERY)),
        (LOGGED, lambda: run_engine(w, LOGGED)),
    ]
    for _ in range(a.repeat):  # best of several runs: the machine is shared
        for name, fn in order:
            r = fn()
            if name not in runs or r.wall < runs[name].wall:
                runs[name] = r
    if not a.quick and a.blocks == 20:
        logged = run_engine(w, LOGGED, check_log=True)
        same = (logged.log, int(logged.note.split()[0].replace(",", ""))) == FULL_LOG_DIGEST
        print(f"Sender.log of the console's path: {'identical to' if same else 'DIFFERENT from'} the recorded one")
    simpy = runs[SIMPY]
    print(
        "| path | wall s | SimPy wall / this wall | target | met | handled events | handled events/s "
        "| blocks | outcome vs SimPy | note |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, _fn in order:
        r = runs[name]
        if name == SIMPY:
            ratio, target, met, outcome = "1.00x", "-", "-", "-"
        else:
            x = simpy.wall / r.wall
            ratio = f"{x:.2f}x"
            target = f">= {TARGETS[name]:.0f}x"
            met = "yes" if x >= TARGETS[name] else "NO"
            n = differ(r.delivered, simpy.delivered)
            outcome = "identical" if n == 0 else f"{n} differ"
        print(
            f"| {name} | {r.wall:.2f} | {ratio} | {target} | {met} | {r.events:,} | {r.events / r.wall:,.0f} "
            f"| {r.blocks:,} | {outcome} | {r.note} |",
            flush=True,
        )
    print()
    for name, _fn in order[1:]:
        x = simpy.wall / runs[name].wall
        verdict = "meets" if x >= TARGETS[name] else "does NOT meet"
        print(f"- {name}: {x:.2f}x SimPy's speed in wall time; {verdict} its target of {TARGETS[name]:.0f}x.")
    print('("outcome": requests delivered at a different virtual time than in SimPy, beyond 1 us of float rounding.)\n')

    sizes = (100, 300, 1000) if a.quick else (100, 300, 1000, 3000, 10000)
    growth_blocks = 5
    print(f"B. Growth: N sites x 20 packages x {growth_blocks} blocks, the unobserved path")
    print("| sites | blocks | handled events | wall s | us/event | wall / (n log n), 100 sites = 1.00 |")
    print("|---|---|---|---|---|---|")
    base = None
    for n in sizes:
        gw = workload(n, 20, growth_blocks)
        r = run_engine(gw, UNOBSERVED)
        nlogn = r.events * math.log(r.events)
        norm = r.wall / nlogn
        base = base or norm
        print(
            f"| {n:,} | {gw.blocks:,} | {r.events:,} | {r.wall:.2f} | {r.wall / r.events * 1e6:.2f} | "
            f"{norm / base:.2f} |",
            flush=True,
        )
    regions, leaves = (4, 5) if a.quick else (20, 10)
    aw = address_workload(regions, leaves, 5, a.blocks)
    print(
        f"\nC. With addresses (reported, no SimPy model): a sender at region R00 of {regions} regions x {leaves} "
        f"leaves, {len(aw.sends):,} packages x {a.blocks} blocks ({aw.blocks:,} blocks per hop) routed R00 -> CEN -> "
        f"region -> leaf; half the CEN -> region addresses closed to low priority 08:00-18:00 on weekdays, "
        f"one 50 % rate limit"
    )
    print("| path | wall s | handled events | us/event | blocks written | sends delivered | hops | waiting s (sum) |")
    print("|---|---|---|---|---|---|---|---|")
    for how in (UNOBSERVED, GUI, LOGGED):
        r, summary = run_addressed(aw, how)
        sends = summary["sends"]
        delivered = sum(1 for x in sends if x["status"] == "delivered")
        hops = sum(len(x["hops"]) for x in sends)
        waited = sum(h["waiting_s"] for x in sends for h in x["hops"])
        print(
            f"| {how} | {r.wall:.2f} | {r.events:,} | {r.wall / r.events * 1e6:.2f} | {r.blocks:,} | "
            f"{delivered:,} of {len(sends):,} | {hops:,} | {waited:,.0f} |",
            flush=True,
        )
    log_vs_quiet(w, a.quick, a.repeat)
    if not a.skip_cliff:
        sharing_cliff(a.quick, a.repeat)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole benchmark: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
