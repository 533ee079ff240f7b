"""Benchmark of the log viewer window on a generated 100 MB log (not part of the test suite; run by hand).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python tests/bench/bench_log_viewer.py [--mb 100] [--format sms2]

Times, in one run, for the same file:

- the yardstick: a bare QTableView over the file's lines as plain strings (read, split, one model, first paint:
  the least a table of these lines can cost; it blocks the GUI thread for all of it);
- ``LogViewerWindow``: time to the first rows on screen, to the whole file loaded (parsed, coloured, diagnosed),
  and the longest gap of a 20 ms QTimer meanwhile (the longest the window did not answer);
- a full garbage collection with the viewer's rows held, against the same number of ``LogRecord`` NamedTuples
  (what the rows would cost the collector if they were kept as records);
- resident memory added by each.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_log_reader import write_log
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QTimer
from PySide6.QtWidgets import QApplication, QTableView

from console.logs.reader import iter_record_blocks
from console.ui.log.viewer_window import LogViewerWindow


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class StringsModel(QAbstractTableModel):
    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: QModelIndex, role: int = 0) -> object:
        return self.lines[index.row()] if role == 0 else None


class Ticks:
    """A 20 ms timer's firings: the longest gap is the longest stall of the GUI thread."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(20)
        self.timer.timeout.connect(lambda: self.times.append(time.perf_counter()))

    def start(self) -> None:
        self.times = [time.perf_counter()]
        self.timer.start()

    def longest_gap(self, end: float) -> float:
        self.timer.stop()
        return max(b - a for a, b in itertools.pairwise([*self.times, end]))


def pump(app: QApplication, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def yardstick(app: QApplication, path: Path) -> tuple[float, float, int]:
    t = time.perf_counter()
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        lines = f.read().splitlines()
    view = QTableView()
    model = StringsModel(lines)
    view.setModel(model)
    view.resize(1200, 700)
    view.show()
    pump(app)
    took = time.perf_counter() - t
    count = len(lines)
    view.close()
    del view, model, lines
    gc.collect()
    return took, took, count


def viewer(app: QApplication, path: Path) -> dict[str, float]:
    window = LogViewerWindow()
    window.resize(1200, 760)
    window.show()
    pump(app)
    ticks = Ticks()
    before = rss_mb()
    first: list[float] = []
    t = time.perf_counter()
    ticks.start()
    tab = window.open_paths([path])
    assert tab is not None
    tab.load.rowsReady.connect(lambda _rows: first or first.append(time.perf_counter()))
    while tab.loading:
        app.processEvents()
    pump(app)
    end = time.perf_counter()
    gap = ticks.longest_gap(end)
    out = {
        "first": first[0] - t,
        "total": end - t,
        "gap": gap,
        "rows": tab.model.total_count(),
        "mb": rss_mb() - before,
    }
    g = time.perf_counter()
    gc.collect()
    out["gc"] = time.perf_counter() - g
    window.close()
    return out


def records_gc(path: Path) -> tuple[float, int]:
    """A full collection with the file's records held as LogRecords (the form the viewer avoids)."""
    records = [r for block in iter_record_blocks(path) for r in block]
    gc.collect()
    t = time.perf_counter()
    gc.collect()
    took = time.perf_counter() - t
    n = len(records)
    del records
    gc.collect()
    return took, n


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--format", choices=("sms2", "ccm", "mixed"), default="sms2")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Sender.log"
        size = write_log(path, args.mb, args.format)
        yard_total, yard_gap, yard_lines = yardstick(app, path)
        got = viewer(app, path)
        rec_gc, rec_n = records_gc(path)
    print(f"{args.format} log, {size / 2**20:.0f} MB, {yard_lines:,} lines ({got['rows']:,.0f} records)")
    print(f"{'':<46} {'first rows':>10} {'loaded':>9} {'longest stall':>14} {'full gc':>9} {'RSS +MB':>8}")
    name = "yardstick: bare QTableView over plain strings"
    print(f"{name:<46} {yard_total:>9.2f}s {yard_total:>8.2f}s {yard_gap * 1000:>12.0f}ms")
    print(
        f"{'LogViewerWindow':<46} {got['first']:>9.2f}s {got['total']:>8.2f}s {got['gap'] * 1000:>12.0f}ms "
        f"{got['gc'] * 1000:>7.0f}ms {got['mb']:>8.0f}"
    )
    print(f"{'same records kept as LogRecord NamedTuples':<46} {'':>10} {'':>9} {'':>14} {rec_gc * 1000:>7.0f}ms")
    print(f"(ratio loaded/yardstick: {got['total'] / yard_total:.1f}x; {rec_n:,} LogRecords)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
