"""Benchmark (not in CI): the live console at 600x on busy scenarios, each measure against a yardstick in one run.

Measured in ONE process per scenario so the ratios cancel the machine's speed (research/baseline.md §4c):
- yardstick: a bare pyqtgraph window (50 curves x 600 points + one BarGraphItem of 500 bars, antialias off,
  fixed ranges) updated from a ``QTimer(0)``, as in research/probe/bench_plot.py;
- live: the real ``ConsoleMainWindow`` with ``attach_live_engine`` (Timers tab showing, Sender.log written to
  a temporary folder, log view and outbox fed) on one of these scenarios:
  ``threads200``: all_sites = 200, per_site = 20 and 10 destinations over 1024 kbit/s links, so 200 threads
  send at once, plus a network outage on every link each 10 minutes;
  ``busy1000`` / ``busy3000``: tests/bench/make_busy_scenario.py's busy hierarchy with 1,000 / 3,000 sites and
  10 packages each (all_sites = 40: many short sends, so thousands of threads start and exit per simulated hour),
  run ``--warmup`` simulated seconds first so the views hold what a user who watched for a while has.
  The bridge's frame timer is set to 33 ms (30 Hz asked) and the clock runs at 600x of the real wall clock.
  As in the app, the Outbox and Sender.log tabs are not showing: the outbox marks itself stale and the log view
  queues the lines; both catch up when their tab is shown (that cost is not in these figures).

Updates/s = TimerView repaints per wall second. GUI busy share = CPU time of the GUI thread
(``time.thread_time``) / wall time. Longest stall = the worst gap between two ticks of a 20 ms ``QTimer`` (the
yardstick's own is one of its frames); the longest garbage collection is timed through ``gc.callbacks``.
RSS from /proc/self/status after the run; the yardstick's is the process's after its bare window ran.
Simulated seconds per wall second shows whether the engine kept 600x (the bridge drops work past its
per-frame budget rather than freezing the window). Targets (issue 11): busy share < 0.35, RSS < 150 MB,
longest stall < 50 ms.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_live_view.py [--seconds 5] [--runs 3]
        [--scenarios threads200,busy1000,busy3000]

Each scenario runs in a child process of its own (``--child``), ``--runs`` times; the best run (lowest busy share)
is shown, since other work on the machine only ever makes a run look worse.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from console.model.paths import AppPaths
from console.model.scenario import parse_scenario
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.common.gc_pacing import paced_collection
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_busy_scenario import build as build_busy

THREADS = 200
DESTS = 10
SCENARIOS = ("threads200", "busy1000", "busy3000")
GAP_TIMER_MS = 20


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class BusyMeter:
    """GUI-thread busy share: CPU seconds of this (the GUI) thread per wall second."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._cpu0 = time.thread_time()
        self._wall0 = time.perf_counter()

    def share(self) -> float:
        return (time.thread_time() - self._cpu0) / (time.perf_counter() - self._wall0)


class StallMeter:
    """The worst gap between ticks of a 20 ms timer, and the longest garbage collection (and its generation)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(GAP_TIMER_MS)
        self.timer.timeout.connect(self._tick)
        self._gc_t0 = 0.0
        gc.callbacks.append(self._on_gc)
        self.reset()

    def reset(self) -> None:
        self._last = time.perf_counter()
        self.worst_gap = 0.0
        self.worst_gc = 0.0
        self.worst_gc_gen = -1
        self.gcs = [0, 0, 0]
        self.running = True
        self.timer.start()

    def _tick(self) -> None:
        t = time.perf_counter()
        self.worst_gap = max(self.worst_gap, t - self._last)
        self._last = t

    def _on_gc(self, phase: str, info: dict) -> None:
        if not self.running:
            return
        if phase == "start":
            self._gc_t0 = time.perf_counter()
            return
        d = time.perf_counter() - self._gc_t0
        self.gcs[info["generation"]] += 1
        if d > self.worst_gc:
            self.worst_gc, self.worst_gc_gen = d, info["generation"]

    def stop(self) -> None:
        self.running = False
        self.timer.stop()


def run_for_wall(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def yardstick(app: QApplication, meter: BusyMeter, stalls: StallMeter, seconds: float) -> dict[str, float]:
    pg.setConfigOptions(antialias=False)
    w = pg.PlotWidget()
    w.resize(1200, 800)
    w.setXRange(0, 600, padding=0)
    w.setYRange(-1, 51, padding=0)
    w.show()
    rng = np.random.default_rng(1)
    curves = [w.plot(pen=(i, 50)) for i in range(50)]
    bars = pg.BarGraphItem(x0=np.zeros(500), width=np.ones(500), y=np.arange(500) % 50, height=0.5, brush="b")
    w.addItem(bars)
    x = np.arange(600, dtype=float)
    count = 0

    def update() -> None:
        nonlocal count
        for i, c in enumerate(curves):
            c.setData(x, i + rng.random(600))
        bars.setOpts(x0=rng.random(500) * 500, width=rng.random(500) * 100 + 1)
        w.viewport().repaint()
        count += 1

    timer = QTimer()
    timer.timeout.connect(update)
    timer.start(0)
    run_for_wall(app, 0.5)  # the first paints set up pyqtgraph's items: not what is measured
    meter.reset()
    stalls.reset()
    t0 = time.perf_counter()
    run_for_wall(app, seconds)
    wall = time.perf_counter() - t0
    busy = meter.share()
    stalls.stop()
    timer.stop()
    w.close()
    return {"updates_per_s": count / wall, "busy": busy, "gap_ms": stalls.worst_gap * 1000, "rss": rss_mb()}


def threads_scenario() -> dict:
    sites = [{"code": "CEN", "name": "Central", "server": "CENSRV", "version": "2.0 SP3"}]
    sites += [
        {"code": f"D{i:02d}", "server": f"D{i:02d}SRV", "version": "2.0 SP3", "parent": "CEN", "link_kbps": 1024}
        for i in range(DESTS)
    ]
    sends = [
        {"at": "0s", "package": f"CEN{n:05d}", "dest": f"D{n % DESTS:02d}", "size_kb": 200_000, "priority": "medium"}
        for n in range(THREADS * 2)
    ]
    faults = [
        {"at": f"{m}m", "dest": f"D{(m // 10) % DESTS:02d}", "kind": "network", "duration": "30s"}
        for m in range(5, 600, 10)
    ]
    return {
        "name": "Bench: 200 threads",
        "duration": "12h",
        "sender": {
            "site": "CEN",
            "all_sites": THREADS,
            "per_site": THREADS // DESTS,
            "retries": 2,
            "retry_delay_min": 6,
        },
        "sites": sites,
        "sends": sends,
        "faults": faults,
    }


def scenario_data(name: str) -> dict:
    if name == "threads200":
        return threads_scenario()
    sites = int(name.removeprefix("busy"))
    return tomllib.loads(build_busy(sites, 10, 278357))


def live(
    app: QApplication, meter: BusyMeter, stalls: StallMeter, seconds: float, tmp: Path, name: str, warmup: float
) -> dict[str, float]:
    paths = AppPaths.resolve(tmp / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    window.resize(1280, 860)
    scenario = parse_scenario(scenario_data(name), f"<bench {name}>")
    console = attach_live_engine(window, session, paths, speed=0.0, scenario=scenario)
    window.engine_tabs.setCurrentWidget(console.timer_view)
    window.show()
    bridge = console.bridge
    bridge.run_for(1.0)
    app.processEvents()
    bridge.set_frame_interval(33)
    if name != "threads200":
        # Warm up in frame-sized steps, as a run at 600x would feed the views (one huge frame would not).
        step = 600.0 * 0.033
        t_end = bridge.engine.now + warmup
        while bridge.engine.now < t_end:
            bridge.run_for(step)
        app.processEvents()
    threads = bridge.engine.active_threads
    repaints0 = console.timer_view.repaints
    events0 = bridge.engine.events_handled
    sim0 = bridge.engine.now
    bridge.set_speed(600.0)
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    meter.reset()
    stalls.reset()
    t0 = time.perf_counter()
    run_for_wall(app, seconds)
    wall = time.perf_counter() - t0
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(os.environ["BENCH_PROFILE"])
    busy = meter.share()
    stalls.stop()
    bridge.set_speed(0.0)
    result = {
        "threads": float(threads),
        "updates_per_s": (console.timer_view.repaints - repaints0) / wall,
        "busy": busy,
        "gap_ms": stalls.worst_gap * 1000,
        "gc_ms": stalls.worst_gc * 1000,
        "gc_gen": float(stalls.worst_gc_gen),
        "gen2": float(stalls.gcs[2]),
        "sim_rate": (bridge.engine.now - sim0) / wall,
        "events_per_s": (bridge.engine.events_handled - events0) / wall,
        "lanes": float(len(console.timer_view.model.lanes)),
        "tracked": float(len(gc.get_objects()) + gc.get_freeze_count()),
        "frozen": float(gc.get_freeze_count()),
        "rss": rss_mb(),
    }
    if os.environ.get("BENCH_CENSUS"):
        from collections import Counter

        census = Counter(type(o).__name__ for o in gc.get_objects())
        print(census.most_common(25), file=sys.stderr)
    window.close()
    return result


def child(name: str, seconds: float, warmup: float) -> None:
    app = QApplication.instance() or QApplication([])
    meter = BusyMeter()
    stalls = StallMeter()
    with tempfile.TemporaryDirectory() as tmp:
        y = yardstick(app, meter, stalls, seconds)
        with paced_collection():  # as console.app.run_gui runs the console
            r = live(app, meter, stalls, seconds, Path(tmp), name, warmup)
    print(json.dumps({"yardstick": y, "live": r}))


def run_child(name: str, seconds: float, warmup: float) -> dict[str, dict[str, float]]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", name, "--seconds", str(seconds), "--warmup", str(warmup)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, res: dict[str, dict[str, float]]) -> None:
    y, r = res["yardstick"], res["live"]
    print(
        f"\n{name}: {r['threads']:.0f} threads at the start, {r['lanes']:.0f} lanes, "
        f"{r['sim_rate']:.0f} simulated s per wall s, {r['events_per_s']:.0f} engine events/s, "
        f"{r['tracked'] / 1000:.0f}k objects tracked by gc ({r.get('frozen', 0) / 1000:.0f}k frozen), "
        f"{r['gen2']:.0f} gen-2 collections "
        f"(longest collection {r['gc_ms']:.0f} ms, gen {r['gc_gen']:.0f})"
    )
    print(f"{'measure':<34}{'yardstick':>12}{'live':>12}{'ratio':>10}{'target':>16}")
    rows = (
        ("updates/s", "updates_per_s", ".1f", ">= 30"),
        ("GUI thread busy share", "busy", ".2f", "< 0.35"),
        ("longest 20 ms-timer gap (ms)", "gap_ms", ".0f", "< 50"),
        ("RSS after the run (MB)", "rss", ".0f", "< 150"),
    )
    for label, key, fmt, target in rows:
        print(f"{label:<34}{y[key]:>12{fmt}}{r[key]:>12{fmt}}{r[key] / y[key]:>10.2f}{target:>16}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--warmup", type=float, default=1800.0, help="simulated seconds before measuring (busy*)")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.seconds, args.warmup)
        return
    for name in args.scenarios.split(","):
        runs = [run_child(name, args.seconds, args.warmup) for _ in range(args.runs)]
        report(name, min(runs, key=lambda res: res["live"]["busy"]))


if __name__ == "__main__":
    main()
