"""Benchmark of the Sender.log view (not part of the test suite; run by hand, figures are for this machine).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_log_view.py [--lines 200000]

Prints: live append cost per 5,000-line batch (parse + one insert + the repaint that follows) at a full
view, filter time over the full view, memory held per row at the cap, and a file load with the longest
gap seen by a 20 ms timer during it and the longest garbage collection, with the collector's defaults (the
yardstick) and paced as the app runs it (console.ui.common.gc_pacing). Ratios between rows matter more than
absolute times.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import itertools
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from log_samples import filler_lines, story_lines
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from console.logs.rows import rows_from_lines
from console.ui.common.gc_pacing import paced_collection
from console.ui.log.log_view import SenderLogView


def pump(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def load_once(app: QApplication, path: Path) -> tuple[float, int, int, float, float]:
    """Load ``path`` into a file view: (seconds, lines, timer ticks, longest 20 ms-timer gap, longest collection)."""
    file_view = SenderLogView(live=False)
    file_view.resize(1000, 500)
    file_view.show()
    ticks: list[float] = []
    collections: list[float] = []
    started = [0.0]

    def on_gc(phase: str, _info: dict) -> None:
        if phase == "start":
            started[0] = time.perf_counter()
        else:
            collections.append(time.perf_counter() - started[0])

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    gc.callbacks.append(on_gc)
    t = time.perf_counter()
    file_view.load_file(path)
    while file_view.is_loading():
        app.processEvents()
    took = time.perf_counter() - t
    gc.callbacks.remove(on_gc)
    timer.stop()
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    lines = file_view.line_count()
    file_view.close()
    return took, lines, len(ticks), max(gaps), max(collections, default=0.0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=200_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    block = story_lines() + filler_lines(500)
    batch = (block * (5000 // len(block) + 1))[:5000]

    view = SenderLogView(max_lines=args.lines)
    view.resize(1000, 500)
    view.show()
    pump(app)
    while view.line_count() < args.lines:
        view.append_lines(batch)
    pump(app)
    times = []
    for _ in range(10):
        t = time.perf_counter()
        view.append_lines(batch)
        pump(app)
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"append 5,000 lines at {view.line_count():,} rows (cap reached, trims too): "
        f"median {times[5] * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )

    t = time.perf_counter()
    view.set_filter_text("heartbeat")
    pump(app)
    t_filter = time.perf_counter() - t
    t = time.perf_counter()
    view.set_filter_text("")
    pump(app)
    print(
        f"filter over {view.line_count():,} rows: {t_filter * 1000:.0f} ms; "
        f"clear filter: {(time.perf_counter() - t) * 1000:.0f} ms"
    )
    view.close()

    gc.collect()
    tracemalloc.start()
    rows = rows_from_lines(block * (50_000 // len(block)))
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    print(
        f"memory per row: {held / len(rows):.0f} bytes -> {held / len(rows) * args.lines / 2**20:.0f} MiB "
        f"at {args.lines:,} rows"
    )
    del rows

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Sender.log"
        path.write_text("\n".join(block * 240) + "\n", encoding="utf-8")
        for paced in (False, True):
            # Unpaced (the collector's defaults) is the yardstick for the same load paced as the app runs it.
            with paced_collection() if paced else contextlib.nullcontext():
                took, lines, ticks, gap, worst_gc = load_once(app, path)
            print(
                f"load {path.stat().st_size / 1e6:.1f} MB ({lines:,} lines), {'paced' if paced else 'unpaced'}: "
                f"{took:.2f} s, 20 ms timer fired {ticks} times, longest gap {gap * 1000:.0f} ms, "
                f"longest collection {worst_gc * 1000:.0f} ms"
            )
            gc.unfreeze()
            gc.collect()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
