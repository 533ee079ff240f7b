"""Benchmark: this engine against the same model written with SimPy, and growth from 100 to 10,000 sites.

Not part of the test suite (DESIGN.md §6: speed is measured as ratios in one run, never asserted).

    .venv/bin/python tests/bench/bench_engine.py            # the full table (about a minute on 2 cores)
    .venv/bin/python tests/bench/bench_engine.py --quick    # smaller sizes, to check the script

Events are handled model events (block completions, retry wakes, arrivals, faults, outage ends,
busy-site ends, re-offers, 7-day timers), counted the same way in both models; both run the same
seeded workload (bench_workload.py) to the end, and their outcomes are compared.
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_workload import Workload, workload
from simpy_sender import SimPySender

from console.engine.sender import SenderEngine

OUTCOMES: dict[str, list[float | None]] = {}


def run_engine(w: Workload, *, with_log: bool = False) -> tuple[float, int, int, float]:
    lines = 0

    def sink(_line: str) -> None:
        nonlocal lines
        lines += 1

    engine = SenderEngine(w.sending_site, w.destinations, w.settings, sends=w.sends, faults=w.faults,
                          log_sink=sink if with_log else None)
    gc.collect()
    t0 = time.perf_counter()
    engine.run()
    wall = time.perf_counter() - t0
    OUTCOMES["engine"] = [r.delivered_at for r in engine.requests()]
    delivered = sum(1 for r in engine.requests() if r.delivered_at is not None)
    last = max(r.delivered_at for r in engine.requests() if r.delivered_at is not None)
    return wall, engine.events_handled, delivered, last


def run_simpy(w: Workload) -> tuple[float, int, int, float]:
    model = SimPySender(w)
    gc.collect()
    t0 = time.perf_counter()
    model.run()
    wall = time.perf_counter() - t0
    OUTCOMES["simpy"] = [r.delivered_at for r in model.requests]
    done = [r.delivered_at for r in model.requests if r.delivered_at is not None]
    return wall, model.events, len(done), max(done)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--blocks", type=int, default=20, help="blocks of 256 KB per package in the comparison")
    a = ap.parse_args()
    sites, packages = (100, 20) if a.quick else (1000, 20)
    print(f"Python {platform.python_version()}, {platform.machine()}; seed 1; 1 % outages; "
          f"all sites 999 / per site 3 / 2 retries / 1-minute delay; 768-1280 kbps links\n")

    w = workload(sites, packages, a.blocks)
    print(f"A. {sites:,} sites x {packages} packages x {a.blocks} blocks ({w.blocks:,} blocks, "
          f"{len(w.faults)} outages), run to the end")
    print("| model | wall s | events | events/s | delivered | last delivery (sim s) |")
    print("|---|---|---|---|---|---|")
    rows = {}
    for name, fn in (("this engine", lambda: run_engine(w)),
                     ("this engine + Sender.log lines formatted", lambda: run_engine(w, with_log=True)),
                     ("SimPy 4.1 (processes, interrupts)", lambda: run_simpy(w))):
        wall, events, delivered, last = fn()
        rows[name] = (wall, events)
        print(f"| {name} | {wall:.2f} | {events:,} | {events / wall:,.0f} | {delivered:,} | {last:,.1f} |",
              flush=True)
    differ = sum(1 for a, b in zip(OUTCOMES["engine"], OUTCOMES["simpy"], strict=True)
                 if (a is None) != (b is None) or (a is not None and abs(a - b) > 1e-6))
    print(f"\nRequests delivered at a different virtual time in the two models (beyond 1 us of float "
          f"rounding): {differ} of {len(OUTCOMES['engine']):,}")
    e_wall, e_events = rows["this engine"]
    s_wall, s_events = rows["SimPy 4.1 (processes, interrupts)"]
    print(f"Speed-up, same workload: {s_wall / e_wall:.2f}x wall time "
          f"({(e_events / e_wall) / (s_events / s_wall):.2f}x events/s)\n")

    sizes = (100, 300, 1000) if a.quick else (100, 300, 1000, 3000, 10000)
    growth_blocks = 5
    print(f"B. Growth: N sites x 20 packages x {growth_blocks} blocks, this engine")
    print("| sites | blocks | events | wall s | us/event | wall / (n log n), 100 sites = 1.00 |")
    print("|---|---|---|---|---|---|")
    base = None
    for n in sizes:
        gw = workload(n, 20, growth_blocks)
        wall, events, _d, _l = run_engine(gw)
        nlogn = events * math.log(events)
        norm = wall / nlogn
        base = base or norm
        print(f"| {n:,} | {gw.blocks:,} | {events:,} | {wall:.2f} | {wall / events * 1e6:.2f} | "
              f"{norm / base:.2f} |", flush=True)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole benchmark: {rss:.0f} MiB")


if __name__ == "__main__":
    main()
