"""Benchmark (not in CI): the live console under 200 concurrent sending threads at 600x, against a yardstick.

Measured in ONE process so the ratios cancel the machine's speed (research/baseline.md §4c):
- yardstick: a bare pyqtgraph window (50 curves x 600 points + one BarGraphItem of 500 bars, antialias off,
  fixed ranges) updated from a ``QTimer(0)``, as in research/probe/bench_plot.py;
- live: the real ``ConsoleMainWindow`` with ``attach_live_engine`` (Timers tab showing, Sender.log written to
  a temporary folder, log view and outbox fed) on a generated scenario with all_sites = 200, per_site = 20 and
  10 destinations over 1024 kbit/s links (the scenario default), so 200 threads send at once,
  plus a network outage on every link each 10 minutes.
  The bridge's frame timer is set to 33 ms (30 Hz asked) and the clock runs at 600x of the real wall clock.
  As in the app, the Outbox and Sender.log tabs are not showing: the outbox marks itself stale and the log view
  queues the lines; both catch up when their tab is shown (that cost is not in these figures).

Updates/s = TimerView repaints per wall second. GUI busy share = CPU time of the GUI thread
(``time.thread_time``) / wall time. Simulated seconds per wall second shows whether the engine kept 600x
(the bridge drops work past its per-frame budget rather than freezing the window). RSS from
/proc/self/status. Targets (issue 4): >= 30 updates/s with the GUI thread under half busy; RSS < 150 MB.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_live_view.py [--seconds 5]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from console.model.paths import AppPaths
from console.model.scenario import parse_scenario
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow

THREADS = 200
DESTS = 10


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


def run_for_wall(app: QApplication, seconds: float) -> None:
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


def yardstick(app: QApplication, meter: BusyMeter, seconds: float) -> tuple[float, float]:
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
    meter.reset()
    t0 = time.perf_counter()
    run_for_wall(app, seconds)
    wall = time.perf_counter() - t0
    busy = meter.share()
    timer.stop()
    w.close()
    return count / wall, busy


def busy_scenario() -> dict:
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


def live(app: QApplication, meter: BusyMeter, seconds: float, tmp: Path) -> dict[str, float]:
    paths = AppPaths.resolve(tmp / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    window.resize(1280, 860)
    scenario = parse_scenario(busy_scenario(), "<bench>")
    console = attach_live_engine(window, session, paths, speed=0.0, scenario=scenario)
    window.engine_tabs.setCurrentWidget(console.timer_view)
    window.show()
    bridge = console.bridge
    bridge.run_for(1.0)
    app.processEvents()
    threads = bridge.engine.active_threads
    bridge.set_frame_interval(33)
    repaints0 = console.timer_view.repaints
    events0 = bridge.engine.events_handled
    sim0 = bridge.engine.now
    bridge.set_speed(600.0)
    meter.reset()
    t0 = time.perf_counter()
    run_for_wall(app, seconds)
    wall = time.perf_counter() - t0
    busy = meter.share()
    bridge.set_speed(0.0)
    result = {
        "threads": float(threads),
        "updates_per_s": (console.timer_view.repaints - repaints0) / wall,
        "busy": busy,
        "sim_rate": (bridge.engine.now - sim0) / wall,
        "events_per_s": (bridge.engine.events_handled - events0) / wall,
        "lanes": float(len(console.timer_view.model.lanes)),
        "rss": rss_mb(),
    }
    window.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    meter = BusyMeter()
    with tempfile.TemporaryDirectory() as tmp:
        y_ups, y_busy = yardstick(app, meter, args.seconds)
        r = live(app, meter, args.seconds, Path(tmp))
    print(
        f"live console: {r['threads']:.0f} concurrent threads at 600x, {r['lanes']:.0f} lanes, "
        f"{r['sim_rate']:.0f} simulated s per wall s, {r['events_per_s']:.0f} engine events/s"
    )
    print(f"{'measure':<34}{'yardstick':>12}{'live':>12}{'ratio':>10}{'target':>16}")
    print(f"{'updates/s':<34}{y_ups:>12.1f}{r['updates_per_s']:>12.1f}{r['updates_per_s'] / y_ups:>10.2f}{'>= 30':>16}")
    print(f"{'GUI thread busy share':<34}{y_busy:>12.2f}{r['busy']:>12.2f}{r['busy'] / y_busy:>10.2f}{'< 0.50':>16}")
    print(f"{'RSS after the run (MB)':<34}{'':>12}{r['rss']:>12.1f}{'':>10}{'< 150':>16}")


if __name__ == "__main__":
    main()
