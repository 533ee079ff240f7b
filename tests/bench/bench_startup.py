"""Benchmark (not in CI): cold start to first paint of `sender-console` against a bare PySide6 + pyqtgraph window.

Both run as fresh processes in the same command, alternately, and leave the same way (``os._exit(0)`` right
after the first Paint event reached a widget of the main window, as research/baseline.md §4b's probe does), so the ratio
cancels the machine and the page cache. The console child calls the real entry point
``console.cli.main.main([...])`` with a prepared ``--config-dir`` (the first-start demo seeding is done once
before timing); a Paint event filter installed on the QApplication ends it. Each child also reports its
VmRSS at first paint. Target (issue 4): start-up within 1.25x of the bare window; RSS < 150 MB. Both read
bytecode from one cache the warm-up runs fill, whatever PYTHONDONTWRITEBYTECODE says (see ``run``).

The console window paints first and attaches its live engine on the next event-loop pass (console/app.py),
so a third child, run alternately with the others, waits for the first paint of the Timers tab's plots
(``timerGraphics``) instead: that row says when the live view is really on screen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

PAINT_EXIT = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

WANT = os.environ.get("BENCH_PAINT_OBJECT", "")

def wanted(obj):
    parent = obj.parent()  # None for the main window itself: the probe must never raise into the app's hooks
    return not WANT or obj.objectName() == WANT or (parent is not None and parent.objectName() == WANT)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and obj.isWidgetType() and isinstance(obj.window(), QMainWindow)
                and wanted(obj)):
            sys.stdout.write(f"{rss():.1f}\n"); sys.stdout.flush()
            os._exit(0)
        return False
"""

BARE = (
    PAINT_EXIT
    + r"""
import pyqtgraph as pg
app = QApplication([])
f = FirstPaint(); app.installEventFilter(f)
w = QMainWindow(); w.setCentralWidget(pg.PlotWidget()); w.resize(1280, 860); w.show()
app.exec()
"""
)

CONSOLE = (
    PAINT_EXIT
    + r"""
app = QApplication([])
f = FirstPaint(); app.installEventFilter(f)
from console.__main__ import main
main(["--config-dir", sys.argv[1]])
"""
)


PYCACHE = tempfile.mkdtemp(prefix="bench-startup-pyc-")
"""Bytecode cache for every child (removed at the end); see ``run``."""


def run(code: str, *args: str, paint_object: str = "") -> tuple[float, float]:
    """One child; wall time from spawn to its exit at the first paint (ms), and its RSS then (MB).

    Both children read bytecode from ``PYCACHE``, which the warm-up runs fill: with PYTHONDONTWRITEBYTECODE set
    (as on the build machine) the console's editable sources were compiled again in every run, ~50 modules and
    ~70 ms, while the bare window's pyqtgraph and numpy came precompiled from their wheels. An installed console
    has its bytecode too, so this compares like with like.
    """
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        BENCH_PAINT_OBJECT=paint_object,
        PYTHONPYCACHEPREFIX=PYCACHE,
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=60
    )
    wall = time.perf_counter() - t0
    lines = out.stdout.strip().splitlines()
    if "Traceback" in out.stderr:  # an error in the probe or the app is work the other child never does
        raise RuntimeError(f"child raised: {out.stderr.strip()[-400:]}")
    if not lines:
        raise RuntimeError(f"child never painted: {out.stderr.strip()[-400:]}")
    return wall * 1000, float(lines[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cfg:
        run(CONSOLE, cfg)  # seeds the demo site database; also warms the page cache and PYCACHE for both
        run(CONSOLE, cfg, paint_object="timerGraphics")  # the live console's modules too
        run(BARE)
        bare, console, timers = [], [], []
        for _ in range(args.runs):
            bare.append(run(BARE))
            console.append(run(CONSOLE, cfg))
            timers.append(run(CONSOLE, cfg, paint_object="timerGraphics"))
    b_ms = statistics.median(r[0] for r in bare)
    c_ms = statistics.median(r[0] for r in console)
    b_rss = statistics.median(r[1] for r in bare)
    c_rss = statistics.median(r[1] for r in console)
    t_ms = statistics.median(r[0] for r in timers)
    print(f"{args.runs} runs each, medians, offscreen")
    print(f"{'measure':<30}{'bare window':>14}{'sender-console':>16}{'ratio':>8}{'target':>10}")
    print(f"{'start to first paint (ms)':<30}{b_ms:>14.0f}{c_ms:>16.0f}{c_ms / b_ms:>8.2f}{'<= 1.25':>10}")
    print(f"{'  ... to Timers tab painted':<30}{'':>14}{t_ms:>16.0f}{t_ms / b_ms:>8.2f}{'':>10}")
    print(f"{'RSS at first paint (MB)':<30}{b_rss:>14.1f}{c_rss:>16.1f}{c_rss / b_rss:>8.2f}{'< 150':>10}")
    shutil.rmtree(PYCACHE, ignore_errors=True)


if __name__ == "__main__":
    main()
