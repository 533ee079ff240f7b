"""Benchmark (not in CI): the outbox's cost per frame, a full snapshot against the changes only, in one run.

The engine: make_busy_scenario's hierarchy with ``--sites`` x ``--packages`` requests (default 900 x 10), watched
as the bridge watches it (GUI_KINDS), run ``--warmup-h`` simulated hours first (by default 3.3 h of 9,000 packages
that arrive over 4 h: from about 7,400 requests to 9,000 over the frames, threads busy). Then each frame advances it
by ``--frame-s`` simulated seconds (0.2 s of wall time at 600x = 120 s) and both ways refresh a model of their own:
- full (before): ``outbox_rows(engine.requests(), ...)`` then the row-by-row comparison, as the view did;
- changes (after): ``OutboxRowCache.update`` (``engine.requests_since``), as the view does now.
Both feed the same ``OutboxModel.apply`` (its Qt signals), alternate which goes first, and must end equal. Printed:
medians and worst of each in ms and their ratio; the engine's own frame time is left out.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_outbox.py [--sites 900] [--packages 10] [--frames 40]

``--sort``: instead, a sorted outbox, the proxy (before) against ``SortedOutboxModel`` (after), each under a shown
``QTableView`` and fed the same ``OutboxRowCache`` changes: the time of a header click (``sortByColumn`` and the
events it posts) per column and order, then of a frame while sorted by ``--sort-column`` (``apply`` and the events).
Both must show the same rows in the same order.

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_outbox.py --sort --sites 3000 --warmup-h 3.9
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tomllib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QAbstractItemModel, QSortFilterProxyModel, Qt
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication, QTableView

from console.engine.events import GUI_KINDS
from console.engine.outbox_cache import OutboxRowCache, RowChanges
from console.engine.outbox_rows import OutboxRow, outbox_rows
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.model.scenario import parse_scenario
from console.ui.live.outbox_sorted import SortedOutboxModel
from console.ui.live.outbox_view import COL_DEST, COL_HOP, COL_PRIORITY, COL_STATUS, SORT_ROLE, OutboxModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_busy_scenario import build


def full_refresh(model: OutboxModel, engine: SenderEngine) -> None:
    """What the view did before: every request's view, every row made and compared."""
    rows = outbox_rows(engine.requests(), engine.has_addresses)
    old = model.rows()
    changed = tuple(i for i in range(min(len(old), len(rows))) if rows[i] != old[i])
    model.apply(rows, RowChanges(len(old), changed, reset=len(rows) < len(old)))


def _table(model: QAbstractItemModel) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.resize(1200, 600)
    table.show()
    QApplication.processEvents()
    return table


def _timed(work: object) -> float:
    t0 = time.perf_counter()
    work()  # type: ignore[operator]
    QApplication.processEvents()
    return (time.perf_counter() - t0) * 1000


def _shown(model: QAbstractItemModel, col: int) -> list[object]:
    """The sorted column's keys top to bottom (ties: the proxy keeps its previous order, ours arrival order)."""
    return [model.index(r, col).data(SORT_ROLE) for r in range(model.rowCount())]


def bench_sort(engine: SenderEngine, events: list[object], a: argparse.Namespace) -> None:
    """Header clicks and frames while sorted, the proxy against SortedOutboxModel, on the same rows."""
    palette, icon = QPalette, lambda _tone: QIcon()
    cache = OutboxRowCache()
    cache.update(engine)
    models = {"proxy": OutboxModel(palette, icon), "sorted": OutboxModel(palette, icon)}
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(models["proxy"])
    proxy.setSortRole(SORT_ROLE)
    proxy.setDynamicSortFilter(True)
    shown: dict[str, QAbstractItemModel] = {"proxy": proxy, "sorted": SortedOutboxModel(models["sorted"])}
    for model in models.values():
        model.reset(cache.rows, engine.start)
    tables = {way: _table(m) for way, m in shown.items()}
    print(f"{len(cache.rows):,} requests")
    columns = {"Status": COL_STATUS, "Priority": COL_PRIORITY, "Destination": COL_DEST, "Hop": COL_HOP}
    for name, col in columns.items():
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            ms = {way: _timed(lambda t=t, c=col, o=order: t.sortByColumn(c, o)) for way, t in tables.items()}
            assert _shown(proxy, col) == _shown(shown["sorted"], col), f"{name}: the two sorts differ"
            arrow = "asc " if order == Qt.SortOrder.AscendingOrder else "desc"
            print(f"click {name:<11} {arrow}: proxy {ms['proxy']:8.1f} ms, sorted {ms['sorted']:6.1f} ms")
    for t in tables.values():
        t.sortByColumn(a.sort_column, Qt.SortOrder.AscendingOrder)
    frame_ms: dict[str, list[float]] = {"proxy": [], "sorted": []}
    for n in range(a.frames):
        engine.advance_to(engine.now + a.frame_s)
        events.clear()
        changes = cache.update(engine)
        for way in ("proxy", "sorted") if n % 2 == 0 else ("sorted", "proxy"):
            frame_ms[way].append(_timed(lambda m=models[way], c=changes: m.apply(cache.rows, c)))
        if n % 10 == 0 or n == a.frames - 1:
            assert _shown(proxy, a.sort_column) == _shown(shown["sorted"], a.sort_column), f"frame {n}: differ"
    print(f"{len(cache.rows):,} requests after {a.frames} frames sorted by column {a.sort_column}")
    for way, ms in frame_ms.items():
        print(f"frame while sorted, {way:<6}: median {statistics.median(ms):7.2f} ms, worst {max(ms):7.2f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=900)
    ap.add_argument("--packages", type=int, default=10)
    ap.add_argument("--frames", type=int, default=40)
    ap.add_argument("--frame-s", type=float, default=120.0)
    ap.add_argument("--warmup-h", type=float, default=3.3, help="simulated hours run first (sends arrive in 4 h)")
    ap.add_argument("--sort", action="store_true", help="header clicks and frames while sorted (see above)")
    ap.add_argument("--sort-column", type=int, default=COL_STATUS, help="the column frames are sorted by")
    a = ap.parse_args()
    app = QApplication.instance() or QApplication([])
    engine = engine_from_scenario(parse_scenario(tomllib.loads(build(a.sites, a.packages, 278357))))
    events: list[object] = []
    engine.subscribe(events.append, kinds=GUI_KINDS)
    engine.advance_to(a.warmup_h * 3600.0)
    events.clear()
    if a.sort:
        bench_sort(engine, events, a)
        return
    palette, icon = QPalette, lambda _tone: QIcon()
    before, after = OutboxModel(palette, icon), OutboxModel(palette, icon)
    cache = OutboxRowCache()
    full_refresh(before, engine)
    cache.update(engine)
    after.reset(cache.rows, engine.start)
    full_ms: list[float] = []
    delta_ms: list[float] = []
    changed: list[int] = []
    threads: list[int] = []
    first = len(before.rows())
    for n in range(a.frames):
        engine.advance_to(engine.now + a.frame_s)
        threads.append(engine.active_threads)
        events.clear()
        order = ("full", "delta") if n % 2 == 0 else ("delta", "full")
        for way in order:
            t0 = time.perf_counter()
            if way == "full":
                full_refresh(before, engine)
                full_ms.append((time.perf_counter() - t0) * 1000)
            else:
                changes = cache.update(engine)
                after.apply(cache.rows, changes)
                delta_ms.append((time.perf_counter() - t0) * 1000)
                changed.append(len(changes.changed) + len(cache.rows) - changes.old_count)
        assert after.rows() == before.rows(), f"frame {n}: the two ways differ"
    rows: list[OutboxRow] = list(after.rows())
    f, d = statistics.median(full_ms), statistics.median(delta_ms)
    print(f"{first:,} to {len(rows):,} requests, {a.frames} frames of {a.frame_s:g} s simulated")
    print(f"threads per frame: median {statistics.median(threads):g}, max {max(threads)}")
    print(f"rows changed or new per frame: median {statistics.median(changed):g}, max {max(changed)}")
    print(f"full snapshot + comparison : median {f:7.2f} ms, worst {max(full_ms):7.2f} ms")
    print(f"changes only               : median {d:7.2f} ms, worst {max(delta_ms):7.2f} ms")
    print(f"ratio (changes / full)     : {d / f:.3f} (median), {max(delta_ms) / max(full_ms):.3f} (worst)")
    del app


if __name__ == "__main__":
    main()
