"""Loading one viewer tab: bytes on a worker thread, records on the GUI thread in slices of a few milliseconds.

Why the split: a worker thread that runs Python makes each of the GUI thread's short calls into Python (the
model's ``data`` while painting) wait for the GIL, so a paint would cost seconds (docs/design-notes.md). The worker
therefore only reads and decodes (``LineDecoder``: C code) and the records are parsed on the GUI thread,
``SLICE_BUDGET_S`` of work per turn of a short timer, so the window answers between slices. The first block is
small, so the first rows show at once; later blocks are large. Back-pressure: at most ``MAX_IN_FLIGHT`` blocks wait.

A tab is one or more timelines (a ``.log`` with its ``.lo_``). One timeline's rows go to the table as they are
parsed. Several timelines are merged by time (UTC where the file says its zone), which needs all their records
first, so their rows show once the merge begins; the merge itself also runs in slices.

Following: the worker leaves each timeline's last file open at its end and hands the handle, decoder and head
bytes over; with the parser they make a ``LogFollower`` that goes on from there (``followers``). Each timeline
gets its own ``Diagnoser`` (thread ids belong to one timeline); ``findings`` is ready when ``finished`` comes.
"""

from __future__ import annotations

import collections
import datetime as _dt
import heapq
import itertools
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from console.logs.diagnosis import Diagnoser, Finding
from console.logs.reader import LineDecoder, NumberedLine, RecordParser
from console.logs.timeline import LogFollower
from console.logs.viewer_rows import Row, to_row
from console.ui.common.gc_pacing import PACER

FIRST_CHUNK_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
MAX_IN_FLIGHT = 4
SLICE_BUDGET_S = 0.008
"""Parsing per turn of the event loop. Small, because Qt runs the window's due timers only between turns, and not
after every turn."""
FLUSH_S = 0.1
"""New rows reach the table at most this often while loading (each insert costs a repaint of the rows)."""
SUB_SLICE_LINES = 200


@dataclass
class _Block:
    timeline: int
    file: int
    lines: list[NumberedLine]
    final: bool
    """The last block of its file: the parser's held lines go out after it."""
    bytes_done: int
    handover: tuple[BinaryIO, LineDecoder, bytes] | None = None
    """For a timeline's last file: the open handle at its end, the decoder and the first bytes, to follow on."""


class _Relay(QObject):
    block = Signal(object)
    failed = Signal(str)
    done = Signal()


def _read_error(path: Path, exc: OSError) -> str:
    return f"Cannot read {path}: {exc.strerror or exc}."


class ViewerLoad(QObject):
    """One load of one tab's timelines; signals arrive on the GUI thread.

    ``rowsReady(list)`` rows to append, in display order; ``progress(float)`` 0..1; ``failed(str)`` a message
    ready to show (rows delivered before it are good; the load goes on with the other files); ``finished()``
    once, after the last rows.
    """

    rowsReady = Signal(object)  # a list; Signal(list) would convert every row to a QVariant and back
    progress = Signal(float)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, timelines: list[list[Path]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timelines = timelines
        self.merging = len(timelines) > 1
        self.findings: list[Finding] = []
        self.followers: list[LogFollower] = []
        self.done = False
        self._cancel = threading.Event()
        self._slots = threading.Semaphore(MAX_IN_FLIGHT)
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.block.connect(self._on_block, queued)
        self._relay.failed.connect(self.failed, queued)
        self._relay.done.connect(self._on_worker_done, queued)
        self._thread: threading.Thread | None = None
        self._worker_done = False
        self._total = sum(_size(p) for files in timelines for p in files) or 1
        self._bytes = 0
        self._pending: collections.deque[_Block] = collections.deque()
        self._offset = 0
        self._parsers = [[RecordParser(str(p)) for p in files] for files in timelines]
        self._diagnosers = [Diagnoser() for _ in timelines]
        self._rows: list[list[Row]] = [[] for _ in timelines]  # merging: each timeline's rows until the merge
        self._keys: list[list[_dt.datetime]] = [[] for _ in timelines]
        self._last_key = [_dt.datetime.min for _ in timelines]
        self._merge: Iterator[tuple[_dt.datetime, int, int, Row]] | None = None
        self._out: list[Row] = []
        self._shown = False
        self._flushed = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(1)  # not 0: Qt runs a zero timer ahead of due timers, starving the window's own
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)

    # --- control ----------------------------------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a ViewerLoad runs once")
        self._thread = threading.Thread(target=self._work, name="log-viewer loader", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop at once (the worker notices within one block); no further signals. Open handles are closed."""
        self._cancel.set()
        self._slots.release()
        self._timer.stop()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=1.0)
        for block in self._pending:
            if block.handover is not None:
                block.handover[0].close()
        self._pending.clear()
        self.done = True

    # --- worker thread ----------------------------------------------------------------------------------------
    def _work(self) -> None:
        done = 0
        for t, files in enumerate(self.timelines):
            for f, path in enumerate(files):
                last = f == len(files) - 1
                try:
                    done = self._read_file(t, f, path, last, done)
                except OSError as exc:
                    if not self._cancel.is_set():
                        self._relay.failed.emit(_read_error(path, exc))
                if self._cancel.is_set():
                    return
        self._relay.done.emit()

    def _read_file(self, t: int, f: int, path: Path, last: bool, done: int) -> int:
        fh = open(path, "rb")  # noqa: SIM115 - the last file of a timeline stays open for the follower
        decoder = LineDecoder()
        head = b""
        size = FIRST_CHUNK_BYTES
        try:
            while True:
                data = fh.read(size)
                size = CHUNK_BYTES
                if len(head) < 256:
                    head += data[: 256 - len(head)]
                done += len(data)
                if not data:
                    lines = decoder.finish()
                    handover = (fh, decoder, head) if last else None
                    if not self._emit(_Block(t, f, lines, True, done, handover)) or handover is None:
                        fh.close()
                    return done
                lines = decoder.feed(data)
                if lines and not self._emit(_Block(t, f, lines, False, done)):
                    fh.close()
                    return done
        except BaseException:
            fh.close()
            raise

    def _emit(self, block: _Block) -> bool:
        while not self._slots.acquire(timeout=0.05):
            if self._cancel.is_set():
                return False
        if self._cancel.is_set():
            return False
        self._relay.block.emit(block)
        return True

    # --- GUI thread -------------------------------------------------------------------------------------------
    @Slot(object)
    def _on_block(self, block: _Block) -> None:
        if self._cancel.is_set():
            if block.handover is not None:
                block.handover[0].close()
            return
        self._pending.append(block)
        self._timer.start()

    @Slot()
    def _on_worker_done(self) -> None:
        if not self._cancel.is_set():
            self._worker_done = True
            self._timer.start()

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        deadline = now + SLICE_BUDGET_S
        out = self._out
        while self._pending and time.perf_counter() < deadline:
            self._parse_some(out)
        PACER.pace()  # the rows stay: keep full collections from walking them again and again (gc_pacing)
        if self._merge is None and not self._pending and self._worker_done and self.merging:
            self._merge = self._start_merge()
        if self._merge is not None:
            self._merge_some(out, deadline)
        ending = not self._pending and self._worker_done and (not self.merging or self._merge is None)
        if out and (ending or not self._shown or now - self._flushed >= FLUSH_S):
            # The first rows at once; then at most every FLUSH_S, since each insert costs a repaint.
            self._out = []
            self._shown = True
            self._flushed = now
            self.rowsReady.emit(out)
            self.progress.emit(min(1.0, self._bytes / self._total))
        if ending:
            self._timer.stop()
            self._finish()
        elif not self._pending and not self._worker_done:
            self._timer.stop()  # wait for the worker's next block

    def _parse_some(self, out: list[Row]) -> None:
        block = self._pending[0]
        start = self._offset
        stop = min(start + SUB_SLICE_LINES, len(block.lines))
        parser = self._parsers[block.timeline][block.file]
        records = parser.feed(block.lines[start:stop])
        end_of_block = stop >= len(block.lines)
        if end_of_block and block.final:
            records += parser.finish()
        diagnoser = self._diagnosers[block.timeline]
        if self.merging:
            rows, keys = self._rows[block.timeline], self._keys[block.timeline]
            last = self._last_key[block.timeline]
            for r in records:
                diagnoser.feed(r)
                rows.append(to_row(r))
                utc = r.utc
                if utc is not None:
                    last = utc
                keys.append(last)
            self._last_key[block.timeline] = last
        else:
            for r in records:
                diagnoser.feed(r)
                out.append(to_row(r))
        if not end_of_block:
            self._offset = stop
            return
        self._pending.popleft()
        self._offset = 0
        self._bytes = block.bytes_done
        self._slots.release()
        if block.handover is not None:
            fh, decoder, head = block.handover
            path = self.timelines[block.timeline][block.file]
            self.followers.append(LogFollower.resume(path, fh, decoder, parser, head))

    def _start_merge(self) -> Iterator[tuple[_dt.datetime, int, int, Row]]:
        pairs = enumerate(zip(self._keys, self._rows, strict=True))
        return heapq.merge(*(zip(keys, itertools.repeat(t), itertools.count(), rows) for t, (keys, rows) in pairs))

    def _merge_some(self, out: list[Row], deadline: float) -> None:
        assert self._merge is not None
        while time.perf_counter() < deadline:
            chunk = [item[3] for item in itertools.islice(self._merge, 2000)]
            out += chunk
            if len(chunk) < 2000:
                self._merge = None
                self._rows = [[] for _ in self.timelines]
                self._keys = [[] for _ in self.timelines]
                self.merging = False  # done: nothing more to merge
                return

    def _finish(self) -> None:
        if self.done:
            return
        self.done = True
        if self._thread is not None:
            self._thread.join(timeout=5.0)
        for d in self._diagnosers:
            self.findings += d.findings()
        PACER.settle()
        self.finished.emit()


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
