"""Benchmark of the live Sender.log view (not part of the test suite; run by hand, figures are for this machine).

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_log_view.py [--lines 200000]

Prints: live append cost per 5,000-line batch (parse + one insert + the repaint that follows) at a full
view, filter time over the full view and memory held per row at the cap. Ratios between rows matter more than
absolute times. Loading a file (in the log viewer window) is measured by bench_log_viewer.py.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "ui"))

from log_samples import filler_lines, story_lines
from PySide6.QtWidgets import QApplication

from console.logs.live_rows import rows_from_lines
from console.ui.log.log_view import SenderLogView


def pump(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


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

    return 0


if __name__ == "__main__":
    raise SystemExit(main())
