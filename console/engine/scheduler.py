"""The sender engine's virtual clock and event heap: typed entries, staleness, and the run loop.

An entry is a plain tuple ``(time, order, kind, payload, token)``, typed as a union of one tuple type per
payload so that a check of ``entry[2]`` against a kind narrows ``entry[3]`` for the type checker; at run
time it is what it was, a tuple that ``heapq`` compares in C (a NamedTuple or dataclass per entry would cost
a Python-level constructor on the per-block path).

Order at one instant: ``order`` is a global sequence number, except for transfer entries (``BLOCK``), which
use a negative key per thread (``BLOCK_ORDER_BASE``): at one instant block completions come first, by thread
id, then everything else in the order it was scheduled. The per-block and whole-transfer schedules then
handle simultaneous events alike. Two entries with the same time and order are only ever a thread's stale
and live transfer entries; the tuple comparison then reaches the same payload and goes on to the token.

Staleness: a re-plan does not search the heap; it moves the payload's token on (see
``console.engine.state``) and pushes a new entry. An entry whose token no longer matches is dropped when
it comes up, without counting: ``events_handled`` is the number of entries that did work (an arrival, a
fault, a block or whole-transfer completion, a retry wake, an outage or busy-skip end, a re-offer, a 7-day
timer, a rate-limited block, an address opening for a waiting request).
So the same run handles more events when it is watched block by block than when it is not (see
``console.engine.transfer``); the outcome is the same.

Driving: ``advance_to(t)`` handles every event with time <= t and then sets ``now = t`` (a real-time driver
calls it from a timer); ``run_until(t)``/``run()`` do the same as fast as possible; ``next_event_time()`` is
"run to the next event". The engine never reads the wall clock.
"""

from __future__ import annotations

import heapq
import itertools
import math
from array import array
from collections.abc import Iterator, Sequence
from typing import Final, Literal

from console.engine.state import Dest, Lane, Request, Thread
from console.model.scenario import FaultSpec, SendSpec

# Entry kinds. Literal types below repeat these numbers: keep them in step.
BLOCK: Final = 0  # a block's completion, or a fast thread's whole transfer (payload: Thread)
WAKE: Final = 1  # a thread's *Delay before retrying* ends (payload: Thread)
SEND: Final = 2  # a planned send request arrives (payload: SendSpec)
OUTAGE: Final = 3  # a planned network outage starts (payload: FaultSpec)
RESTART: Final = 4  # a planned server restart (payload: FaultSpec)
OUTAGE_END: Final = 5  # a link comes back (payload: Dest, token: outage_token)
BUSY_END: Final = 6  # a busy-site skip ends (payload: Dest, token: busy_token)
REOFFER: Final = 7  # the Scheduler offers a pending request again (payload: Request, token: reoffer_token)
ABANDON: Final = 8  # the 7-day limit of a failing job (payload: Request; never stale)
RBLOCK: Final = 9  # a block of a rate-limited thread completes (payload: Thread); see console.engine.rate_limited
OPENS: Final = 10  # an address opens for a waiting request (payload: Request, token: reoffer_token)

ThreadEntry = tuple[float, int, Literal[0, 1], Thread, int]
RateEntry = tuple[float, int, Literal[9], Thread, int]
SendEntry = tuple[float, int, Literal[2], SendSpec, int]
FaultEntry = tuple[float, int, Literal[3, 4], FaultSpec, int]
DestEntry = tuple[float, int, Literal[5], Dest, int]
LaneEntry = tuple[float, int, Literal[6], Lane, int]
RequestEntry = tuple[float, int, Literal[7, 8, 10], Request, int]
OtherEntry = SendEntry | FaultEntry | DestEntry | LaneEntry | RequestEntry | RateEntry
Entry = ThreadEntry | OtherEntry

BLOCK_ORDER_BASE = 1 << 40
"""A thread's transfer entries have order ``tid - BLOCK_ORDER_BASE``: below every sequence number, by thread id."""


def live(e: Entry) -> bool:
    """Whether the entry still stands (its payload's token has not moved on)."""
    if e[2] == BLOCK or e[2] == WAKE or e[2] == RBLOCK:
        return e[3].token == e[4]
    if e[2] == OUTAGE_END:
        return e[3].outage_token == e[4]
    if e[2] == BUSY_END:
        return e[3].busy_token == e[4]
    if e[2] == REOFFER or e[2] == OPENS:
        return e[3].reoffer_token == e[4]
    return True


class Scheduler:
    """The clock and the heap; a subclass handles the entries (``_on_block``, ``_on_wake``, ``_handle_other``).

    Entries are pushed with ``heapq.heappush(self._heap, (t, next(self._seq), KIND, payload, token))`` (or
    ``th.order`` instead of a sequence number for ``BLOCK``), directly, as the per-block path does.
    """

    now: float
    end_s: float | None
    events_handled: int
    stale_dropped: int  # superseded heap entries dropped unhandled
    _heap: list[Entry]
    _seq: Iterator[int]
    _starting: list[tuple[Thread, int]]  # blocks that started at ``now``, planned when the instant ends
    _sends: Sequence[SendSpec]  # the planned sends, entering the heap one at a time (``_plan_sends``)
    _send_order: array[int] | None  # their indices by time when the file does not list them so
    _next_send: int

    def _reset_clock(self) -> None:
        self.now = 0.0
        self.events_handled = 0
        self._heap = []
        self._seq = itertools.count(1)
        self._starting = []
        self.stale_dropped = 0

    def _plan_sends(self, sends: Sequence[SendSpec]) -> None:
        """Planned sends enter the heap one at a time, earliest first (file order among equal times), each with the
        sequence number it gets when all are pushed at the start (its index + 1): the earliest waiting one is always
        in the heap, so the order of the run is the same, and a scenario's 30,000 sends do not each hold an entry
        (3 MB) from the start. Sequence numbers after them go on from ``len(sends) + 1``."""
        self._sends = sends
        ordered = all(sends[i].at_s <= sends[i + 1].at_s for i in range(len(sends) - 1))
        self._send_order = None if ordered else array("L", sorted(range(len(sends)), key=lambda i: sends[i].at_s))
        self._next_send = 0
        self._seq = itertools.count(len(sends) + 1)
        self._push_next_send()

    def _push_next_send(self) -> None:
        i = self._next_send
        if i < len(self._sends):
            k = i if self._send_order is None else self._send_order[i]
            s = self._sends[k]
            heapq.heappush(self._heap, (s.at_s, k + 1, SEND, s, 0))
            self._next_send = i + 1

    def _on_block(self, th: Thread) -> None:
        raise NotImplementedError

    def _on_wake(self, th: Thread) -> None:
        raise NotImplementedError

    def _handle_other(self, e: OtherEntry) -> None:
        raise NotImplementedError

    def _settle(self) -> None:
        raise NotImplementedError

    def next_event_time(self) -> float | None:
        """Virtual time of the next live event, or None when nothing is scheduled."""
        heap = self._heap
        if self._starting:
            self._settle()
        while heap:
            e = heap[0]
            if live(e):
                return e[0]
            heapq.heappop(heap)
        return None

    def advance_to(self, t: float) -> int:
        """Handle every event with time <= t, then set ``now = t``. Returns the number of events handled."""
        if t < self.now:
            raise ValueError(f"cannot go back in time: now is {self.now:g} s, asked for {t:g} s")
        handled = self._process(t)
        self.now = t
        return handled

    def run_until(self, t: float) -> int:
        return self.advance_to(t)

    def run(self) -> int:
        """Run to ``end_s`` when set, otherwise until no event is left (``now`` is then the last event's time).

        Every loop ends: a failing job is abandoned after 7 days.
        """
        if self.end_s is not None:
            return self.advance_to(max(self.end_s, self.now))
        return self._process(math.inf)

    def _process(self, t: float) -> int:
        """Handle every live heap entry with time <= t; each one counts once in ``events_handled``."""
        handled = 0
        stale = 0
        heap = self._heap
        pop = heapq.heappop
        starting = self._starting
        try:
            while True:
                if starting and (not heap or heap[0][0] > self.now):
                    self._settle()  # the instant is over: blocks that started in it get their entries
                if not heap or heap[0][0] > t:
                    break
                e = pop(heap)
                if e[2] == BLOCK:
                    th = e[3]
                    if th.token != e[4]:
                        stale += 1
                        continue
                    self.now = e[0]
                    handled += 1
                    self._on_block(th)
                elif e[2] == WAKE:
                    th = e[3]
                    if th.token != e[4]:
                        stale += 1
                        continue
                    self.now = e[0]
                    handled += 1
                    self._on_wake(th)
                elif live(e):
                    self.now = e[0]
                    handled += 1
                    self._handle_other(e)
                else:
                    stale += 1
        finally:
            self.events_handled += handled
            self.stale_dropped += stale
        return handled
