"""The log viewer on a generated 100 MB hostile log (not part of the test suite; run by hand).

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. .venv/bin/python tests/bench/bench_log_fuzz.py [--mb 100] [--seed 278357]

The file (tests/hostile_log.py) mixes good SMS 2.0 lines with random bytes, thread ids of thousands of digits, lines
of 1 MB, NUL runs, lone CRs, bad UTF-8 and broken trailers. It is loaded into ``LogViewerWindow`` (as File -> Open
Log does): whether it raised (a slot's exception is counted through sys.excepthook), lines shown against what the
reader gives (none lost), the load time and the longest gap of a 20 ms timer meanwhile (the longest the window did
not answer).
The suite runs the same on a few MB (tests/ui/test_log_fuzz.py).
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_log_viewer import Ticks, rss_mb
from hostile_log import write_hostile_log
from PySide6.QtWidgets import QApplication

from console.logs.reader import iter_record_blocks
from console.logs.viewer_rows import LINE, TEXT
from console.ui.log.viewer_window import LogViewerWindow


def viewer(app: QApplication, path: Path) -> dict[str, object]:
    window = LogViewerWindow()
    window.resize(1200, 760)
    window.show()
    ticks = Ticks()
    before = rss_mb()
    t = time.perf_counter()
    ticks.start()
    tab = window.open_paths([path])
    assert tab is not None
    while tab.loading and time.perf_counter() - t < 600:
        app.processEvents()
    end = time.perf_counter()
    rows = [tab.model.row(i) for i in range(tab.model.total_count())]
    lines = [n for n, _ in itertools.groupby(r[LINE] for r in rows)]
    chars = sum(len(r[TEXT]) - r[TEXT].count("\n") for r in rows)  # a cut line's pieces in a record get a "\n"
    ref_lines: list[int] = []
    ref_chars = 0
    for block in iter_record_blocks(path):
        for r in block:
            if not ref_lines or ref_lines[-1] != r.line:
                ref_lines.append(r.line)
            ref_chars += len(r.text) - r.text.count("\n")
    got = {"outcome": "loaded" if not tab.loading else "timed out", "rows": len(rows), "errors": tab.errors}
    got |= {"lines": len(lines), "expected": len(ref_lines), "same": lines == ref_lines and chars == ref_chars}
    got |= {"s": end - t, "gap": ticks.longest_gap(end), "mb": rss_mb() - before}
    window.close()
    return got


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--seed", type=int, default=278357)
    a = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    raised: list[str] = []
    sys.excepthook = lambda t, e, tb: raised.append(f"{t.__name__}: {e}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hostile.log"
        size = write_hostile_log(path, a.mb * 1024 * 1024, a.seed, mega_lines=1)
        vw = viewer(app, path)
    print(f"hostile log, {size / 2**20:.0f} MiB (seed {a.seed}); exceptions raised in slots: {len(raised)}")
    print("| view | outcome | rows | reader's lines | none lost | load | longest stall | RSS + |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| LogViewerWindow | {vw['outcome']} | {vw['rows']:,} ({vw['lines']:,} lines) | {vw['expected']:,} | "
        f"{'yes' if vw['same'] else 'NO'} | {vw['s']:.1f} s | {vw['gap'] * 1000:.0f} ms | {vw['mb']:.0f} MB |"
    )
    for r in raised[:10]:
        print("  raised: " + r)
    ok = not raised and vw["same"] and vw["outcome"] == "loaded"
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
