"""Load a log file without freezing the window: read on a worker thread, parse in slices on the GUI thread.

Why split it that way: reading can block as long as the disk or a WAN share wants, so a worker thread reads,
decodes and splits (C code that hardly holds the GIL). Parsing stays on the GUI thread, ``SLICE_LINES`` lines per
turn of a zero-interval QTimer: a second thread busy in Python makes every one of the GUI thread's many short
calls into Python (the model's ``data``) wait for the GIL, which froze the window far longer (figures in
docs/design-notes.md).

How blocks cross threads (research/anchors-ui.md §0.5): the worker is a plain ``threading.Thread`` that
emits a signal of a relay QObject created on, and living in, the GUI thread, connected with
``QueuedConnection``, so the slot runs on the GUI thread. The loader holds the relay and joins the worker
before it is done, so the relay is never destroyed on the worker thread.

Back-pressure: the worker waits for a free slot before emitting (``MAX_IN_FLIGHT`` blocks queued at most),
so a huge file never piles up in memory ahead of the parser and a cancelled load stops within one block.
"""

from __future__ import annotations

import collections
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot

from console.logs.block_reader import LogBlock, LogChunk, LogFileError, read_log_blocks
from console.logs.rows import rows_from_lines
from console.ui.common.gc_pacing import PACER

MAX_IN_FLIGHT = 4
SLICE_LINES = 1000


class _Relay(QObject):
    block = Signal(object)
    failed = Signal(str)
    finished = Signal()


class LogFileLoader(QObject):
    """One load of one file. Signals arrive on the GUI thread; after ``finished`` or ``failed`` it is done.

    ``chunkLoaded(LogChunk)`` with up to ``SLICE_LINES`` rows; ``failed(str)`` with a message ready to
    show (chunks delivered before it are good); ``finished()`` after the last chunk. ``cancel()`` stops it
    silently (no further signals).
    """

    chunkLoaded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._cancel = threading.Event()
        self._slots = threading.Semaphore(MAX_IN_FLIGHT)
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.block.connect(self._on_block, queued)
        self._relay.failed.connect(self._on_failed, queued)
        self._relay.finished.connect(self._on_finished, queued)
        self._thread: threading.Thread | None = None
        self._done = False
        self._pending: collections.deque[LogBlock] = collections.deque()
        self._offset = 0  # lines of _pending[0] already parsed
        self._bytes_before = 0  # bytes_done of the last block fully parsed
        self._ending: tuple[bool, str] | None = None  # (failed, message), delivered once _pending is empty
        self._parse_timer = QTimer(self)
        self._parse_timer.setInterval(0)
        self._parse_timer.timeout.connect(self._parse_slice)

    @property
    def running(self) -> bool:
        return self._thread is not None and not self._done

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("a LogFileLoader runs once")
        self._thread = threading.Thread(target=self._work, name=f"log-loader {self.path.name}", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        """Stop the worker and wait for it (it notices within one block); no signal follows.

        The wait is short on purpose: a worker stuck in a read on a dead share must not freeze the window
        that is closing. Such a worker finishes on its own (it is a daemon thread, and it emits nothing more).
        """
        self._cancel.set()
        self._slots.release()  # wake a worker waiting for a slot
        self._parse_timer.stop()
        self._pending.clear()
        self._join(timeout=1.0)
        self._done = True

    # --- worker thread ----------------------------------------------------------------------------------
    def _work(self) -> None:
        relay = self._relay
        try:
            for block in read_log_blocks(self.path, cancelled=self._cancel.is_set):
                while not self._slots.acquire(timeout=0.05):
                    if self._cancel.is_set():
                        return
                if self._cancel.is_set():
                    return
                relay.block.emit(block)
        except LogFileError as exc:
            if not self._cancel.is_set():
                relay.failed.emit(str(exc))
            return
        except Exception as exc:  # a reader bug must reach the user as a message, not kill a thread silently
            if not self._cancel.is_set():
                relay.failed.emit(f"Reading {self.path.name} failed: {type(exc).__name__}: {exc}")
            return
        if not self._cancel.is_set():
            relay.finished.emit()

    # --- GUI thread -------------------------------------------------------------------------------------
    def _join(self, timeout: float = 5.0) -> None:
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=timeout)

    @Slot(object)
    def _on_block(self, block: LogBlock) -> None:
        if self._cancel.is_set():
            return
        self._pending.append(block)
        self._parse_timer.start()

    @Slot()
    def _parse_slice(self) -> None:
        if self._cancel.is_set():
            self._parse_timer.stop()
            return
        if not self._pending:
            self._parse_timer.stop()
            self._deliver_ending()
            return
        block = self._pending[0]
        start = self._offset
        stop = min(start + SLICE_LINES, len(block.lines))
        rows = rows_from_lines(block.lines[start:stop])
        PACER.pace()  # the rows stay: keep full collections from walking them again and again (gc_pacing)
        before = self._bytes_before
        if stop >= len(block.lines):
            self._pending.popleft()
            self._offset = 0
            self._bytes_before = done = block.bytes_done
            self._slots.release()
        else:
            self._offset = stop
            done = before + (block.bytes_done - before) * stop // len(block.lines)  # pro rata, for the bar
        self.chunkLoaded.emit(LogChunk(rows, done, block.bytes_total))

    def _deliver_ending(self) -> None:
        ending, self._ending = self._ending, None
        if ending is None:
            return
        self._join()
        self._done = True
        failed, message = ending
        PACER.settle()
        if failed:
            self.failed.emit(message)
        else:
            self.finished.emit()

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._cancel.is_set():
            self._ending = (True, message)
            self._parse_timer.start()

    @Slot()
    def _on_finished(self) -> None:
        if not self._cancel.is_set():
            self._ending = (False, "")
            self._parse_timer.start()
