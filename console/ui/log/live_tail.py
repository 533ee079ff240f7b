"""How lines reach a ``SenderLogView`` and how it follows the end: the live tail, the queue while hidden, Pause.

The engine bridge calls ``append_lines``/``append_events`` a few times a second; each call is one model insert.
The view follows the end while the user is at the end; once they scroll up it keeps their place and counts
what arrived below, and follows again when they reach the end or press the button (CMTrace's behaviour). Pause
holds new lines back without losing them. Hidden behind another tab, the view only queues the batches and builds
rows when shown: rows nobody sees cost nothing on the live frame. The queue holds up to ``max_lines`` lines, so
an engine batch is packed (``PackedEvents``: times, thread ids, texts joined, compressed) rather than kept as its
``LogEvent`` objects, which also hold their formatted Sender.log line: ~12 bytes a line instead of ~450, and
nothing for the garbage collector to walk (figures in docs/design-notes.md).
"""

from __future__ import annotations

import datetime as _dt
import zlib
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStyle

from console.engine.events import LogEvent
from console.engine.log_format import COMPONENT
from console.logs.live_rows import LogRow, rows_from_events, rows_from_lines
from console.ui.log.log_model import RUN_COMPONENT

_TIME, _THREAD, _TEXT = itemgetter(0), itemgetter(1), itemgetter(2)  # LogEvent's fields, at C speed
_SEP = "\x00"
_LEVEL = 1  # zlib's fastest: 9.7 MB of queued texts -> 1.0 MB; level 6 saves 0.2 MB more at 2.7x the time


class PackedEvents:
    """One engine batch of ``LogEvent``s, packed while the view is hidden (module docstring); ``events()`` unpacks.

    Kept compressed (zlib, level 1): the texts of one batch repeat the same few wordings and paths, ~10:1, and the
    times and thread ids ~4:1, for ~0.1 ms a batch at 3,000 sites. Lossless: ``events()`` gives back equal events.
    """

    __slots__ = ("clock", "count", "numbers", "texts")

    def __init__(self, numbers: bytes, texts: bytes, count: int, clock: object) -> None:
        self.numbers, self.texts, self.count, self.clock = numbers, texts, count, clock

    @classmethod
    def pack(cls, events: Sequence[LogEvent]) -> PackedEvents | None:
        """None when the batch cannot be packed exactly (two engines' clocks, a text holding the separator)."""
        clock = events[0].clock
        if events[-1].clock is not clock:
            return None
        texts = _SEP.join(map(_TEXT, events))
        if texts.count(_SEP) != len(events) - 1:
            return None
        times, threads = array("d", map(_TIME, events)), array("q", map(_THREAD, events))
        return cls._of(times, threads, texts, clock)

    @classmethod
    def _of(cls, times: array, threads: array, texts: str, clock: object) -> PackedEvents:
        numbers = zlib.compress(times.tobytes() + threads.tobytes(), _LEVEL)
        return cls(numbers, zlib.compress(texts.encode("utf-8", "surrogatepass"), _LEVEL), len(times), clock)

    def __len__(self) -> int:
        return self.count

    def _unpack(self) -> tuple[array, array, str]:
        numbers = zlib.decompress(self.numbers)
        half = len(numbers) // 2
        times, threads = array("d"), array("q")
        times.frombytes(numbers[:half])
        threads.frombytes(numbers[half:])
        return times, threads, zlib.decompress(self.texts).decode("utf-8", "surrogatepass")

    def __getitem__(self, part: slice) -> PackedEvents:
        """Only ``[k:]`` (the queue drops its oldest lines)."""
        k = part.start or 0
        if not k:
            return self
        times, threads, texts = self._unpack()
        return PackedEvents._of(times[k:], threads[k:], texts.split(_SEP, k)[-1], self.clock)

    def events(self) -> list[LogEvent]:
        clock = self.clock
        times, threads, texts = self._unpack()
        return [
            LogEvent(t, tid, text, None, clock)  # type: ignore[arg-type]
            for t, tid, text in zip(times, threads, texts.split(_SEP), strict=True)
        ]


class LiveTailMixin:
    """The feeding and following half of ``SenderLogView`` (mixed in before QWidget)."""

    def append_lines(self, lines: Sequence[str]) -> None:
        """Add the lines written since the last call (trailing newlines allowed); one model insert per call."""
        if not lines:
            return
        if self._should_queue():
            self._queue(lines, None)
            return
        self._append_rows(rows_from_lines(lines))

    def append_events(
        self, events: Sequence[LogEvent], start: _dt.datetime, zone: str | None = None, component: str = COMPONENT
    ) -> None:
        """The live engine's lines from its ``LogEvent`` fields (``start``: the engine's clock origin).

        Same rows as ``append_lines([e.line ...])`` without formatting and re-parsing each line; each row
        takes its event's own zone name unless ``zone`` forces one (``rows_from_events``).
        """
        if not events:
            return
        if self._should_queue():
            self._queue(PackedEvents.pack(events) or events, (start, zone, component))
            return
        self._append_rows(rows_from_events(events, start, zone, component))

    def append_console_rows(self, rows: Sequence[LogRow]) -> None:
        """Rows of the console's own (run separators, notes: ``log_model.console_row``), in order with the lines."""
        if not rows:
            return
        if self._should_queue():
            self._queue(list(rows), "rows")
            return
        self._append_rows(list(rows))

    def _should_queue(self) -> bool:
        """Hidden behind another tab of a shown window (not merely never shown: tests and new windows)."""
        return not self.isVisible() and self.window().isVisible()

    def _queue(
        self,
        batch: Sequence[str] | Sequence[LogEvent] | Sequence[LogRow],
        origin: tuple | str | None,
    ) -> None:
        self._queued.append((batch, origin))
        self._queued_count += len(batch)
        excess = self._queued_count - self._model.max_lines
        if self._paused:
            # Paused and hidden: the held lines are older than the queued ones, so they go first (in order, so
            # dropped runs keep their order and numbers).
            excess = self._drop_held(excess + len(self._held))
        while excess > 0:
            # More than the model keeps: the oldest would be dropped on catching up, so drop them now.
            first, first_origin = self._queued[0]
            if len(first) <= excess:
                del self._queued[0]
                gone = len(first)
            else:
                self._queued[0] = (first[excess:], first_origin)
                gone = excess
            self._queued_count -= gone
            runs = first[:gone] if first_origin == "rows" else ()
            self._model.note_dropped(gone, [r for r in runs if r.component is RUN_COMPONENT])
            excess -= gone

    def catch_up(self) -> None:
        """Build the rows of everything queued while hidden (one insert); called on show and by the getters."""
        if not self._queued:
            return
        queued, self._queued, self._queued_count = self._queued, [], 0
        rows: list[LogRow] = []
        for batch, origin in queued:
            if origin is None:
                rows += rows_from_lines(batch)  # type: ignore[arg-type]
            elif origin == "rows":
                rows += batch  # type: ignore[arg-type]
            else:
                if isinstance(batch, PackedEvents):
                    batch = batch.events()
                rows += rows_from_events(batch, *origin)  # type: ignore[arg-type,misc]
        self._append_rows(rows)

    def showEvent(self, event: QShowEvent) -> None:
        self.catch_up()
        super().showEvent(event)

    def _append_rows(self, rows: list[LogRow]) -> None:
        if self._paused:
            self._held.extend(rows)
            self._drop_held(len(self._held) + self._queued_count - self._model.max_lines)
            self._update_status()
            return
        self._insert(rows)

    def _drop_held(self, excess: int) -> int:
        """Drop up to ``excess`` of the oldest held lines (beyond the cap they would be dropped on resume anyway,
        so they are not held meanwhile); the model counts them and keeps their runs' numbers. Returns what is
        left of ``excess``."""
        gone = min(max(excess, 0), len(self._held))
        if gone:
            runs = [r for r in self._held[:gone] if r.component is RUN_COMPONENT]
            del self._held[:gone]
            self._model.note_dropped(gone, runs)
        return excess - gone

    def _insert(self, rows: list[LogRow]) -> None:
        keep_value = self._table.verticalScrollBar().value()
        with self._programmatic_scroll(), self._keeping_current():
            added, removed = self._model.append_rows(rows)
        if removed and not self._following:
            # Rows left the top: move up with the lines the user is reading instead of letting them slide.
            self._set_scroll(max(0, keep_value - removed))
        if added:
            if self._following:
                self._scroll_to_end()
            else:
                self._unseen += added
        self._update_status()

    @Slot(bool)
    def set_paused(self, paused: bool) -> None:
        if paused == self._paused:
            return
        self.catch_up()  # what came before the pause shows (pausing while hidden is only done by code)
        self._paused = paused
        if self._pause_button.isChecked() != paused:
            self._pause_button.setChecked(paused)
        self._pause_button.setText("&Resume" if paused else "&Pause")
        self._pause_button.setIcon(
            self.style().standardIcon(
                QStyle.StandardPixmap.SP_MediaPlay if paused else QStyle.StandardPixmap.SP_MediaPause
            )
        )
        if not paused and self._held:
            held, self._held = self._held, []
            self._insert(held)
        self._update_status()

    @Slot()
    def jump_to_end(self) -> None:
        self._following = True
        self._unseen = 0
        self._scroll_to_end()
        self._update_status()

    def _scroll_to_end(self) -> None:
        with self._programmatic_scroll():
            self._table.scrollToBottom()

    def _set_scroll(self, value: int) -> None:
        with self._programmatic_scroll():
            self._table.verticalScrollBar().setValue(value)

    @contextmanager
    def _programmatic_scroll(self) -> Iterator[None]:
        """Scroll-bar moves inside are ours (model resets clamp it too), not the user leaving the end."""
        outer = self._adjusting
        self._adjusting = True
        try:
            yield
        finally:
            self._adjusting = outer

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        # Inserted rows reach the scroll bar only at the view's next (delayed) layout, so follow here.
        if self._following:
            self._set_scroll(maximum)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        if self._adjusting:
            return
        at_end = value >= self._table.verticalScrollBar().maximum()
        if at_end != self._following:
            self._following = at_end
            if at_end:
                self._unseen = 0
            self._update_status()
