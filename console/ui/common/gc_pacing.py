"""Garbage collection paced for live runs and log loads: long-lived objects are moved out of the collector's way.

Why: CPython's full (generation 2) collection walks every tracked container, and a live run keeps hundreds of
thousands of them (queued log events, log rows, outbox rows, the scenario: a ``NamedTuple`` is never untracked,
even one of plain numbers and strings). Each time that population grows by a quarter a full collection runs on
the GUI thread and stalls it for 60-200 ms, yet finds nothing: a live run makes no cyclic garbage at all (figures
in docs/design-notes.md). Objects freed by their reference count go as usual, frozen or not.

Start-up (``hold_for_start_up`` / ``PACER.end_start_up``): the entry point switches automatic collection off
before the GUI's modules load, and the app switches it back on once the window is up (for the console window,
when the live engine is attached). Start-up builds ~hundreds of thousands of long-lived objects (modules,
classes, Qt wrappers) and makes almost no garbage, yet the collector walked them ~140 times on the way to the
Timers tab, one full collection among them: 25-35 ms. At the end everything start-up made is frozen (cheap: no
walk), as ``pace()`` would freeze it on the first frame; what little garbage it left is reclaimed by the first
``reclaim()``.

So, while enabled (the app's windows; not the test suite's, whose windows come and go by the hundred):
- ``pace()`` (each live frame, each slice of a log load), at most every ``FREEZE_INTERVAL_S``: collect the
  young generations (a millisecond) and ``gc.freeze()`` what survived, so a full collection only ever walks
  what arrived since;
- ``reclaim()`` where a pause does not show (an engine replaced, the clock paused): unfreeze, one full
  collection, freeze again. Cyclic garbage frozen meanwhile (a closed dialog) is freed there.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FREEZE_INTERVAL_S = 0.25
"""Wall time between two freezes: what a full collection may find unfrozen is at most this long's survivors."""


class GcPacer:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.enabled = False
        self.held_for_start_up = False
        """Automatic collection is off until ``end_start_up`` (set by ``hold_for_start_up``)."""
        self.freezes = 0
        self.reclaims = 0
        self._clock = clock
        self._last = -FREEZE_INTERVAL_S

    def pace(self, *_args: object) -> None:
        """Freeze the survivors if ``FREEZE_INTERVAL_S`` has passed (a frame signal's arguments are ignored)."""
        if not self.enabled:
            return
        now = self._clock()
        if now - self._last < FREEZE_INTERVAL_S:
            return
        self._last = now
        self.settle()

    def settle(self) -> None:
        """Freeze the survivors now (after a log load: its rows stay as long as the window)."""
        if self.enabled:
            gc.collect(1)
            gc.freeze()
            self.freezes += 1

    def end_start_up(self) -> None:
        """Automatic collection back on if ``hold_for_start_up`` turned it off; what start-up built is frozen first."""
        if self.held_for_start_up:
            self.held_for_start_up = False
            gc.freeze()
            gc.enable()

    def reclaim(self, *_args: object) -> None:
        """One full collection over everything, frozen or not, then freeze again."""
        if self.enabled:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            self.reclaims += 1
            self._last = self._clock()


PACER = GcPacer()


def hold_for_start_up(pacer: GcPacer | None = None) -> bool:
    """Switch automatic collection off until ``end_start_up`` (see the module docstring); False if it was off."""
    pacer = PACER if pacer is None else pacer
    if not gc.isenabled():
        return False  # someone else's choice: leave it, and leave it to them to switch back on
    gc.disable()
    pacer.held_for_start_up = True
    return True


@contextmanager
def paced_collection(pacer: GcPacer = PACER) -> Iterator[GcPacer]:
    """Pace collections for the duration (the app's run); afterwards everything is collectable again."""
    pacer.enabled = True
    try:
        yield pacer
    finally:
        pacer.end_start_up()  # a start that failed half-way must not leave collection off
        pacer.enabled = False
        gc.unfreeze()
