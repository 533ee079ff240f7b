"""The sender's main thread choosing the next send request: highest priority first, then first in, first out.

Each destination lane keeps its own queue (``Lane.queue``: ``(priority, arrival order, request)``), and one
global heap holds at most one live candidate per destination: the head of its queue, while the destination
may send (not in a busy-site skip, under its per-site limit ``Lane.cap``). Picking is then a pop of the global heap
instead of a scan of every queue, which matters with thousands of destinations.

Both heaps delete lazily. A request taken out of its queue otherwise (abandoned) only has ``queued`` cleared
(through ``discard``, which keeps ``waiting``, the number of queued requests, right);
a candidate is stale when its destination's ``gkey`` no longer names it (a better or later head was offered
since, or it was taken). The engine calls ``offer(d)`` whenever something that decides a destination's
candidate may have changed: a request queued there, a thread of it exited, its skip ended, settings applied.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from console.engine.state import Lane, Request


class Outbox:
    __slots__ = ("_order", "candidates", "waiting")

    def __init__(self) -> None:
        # (priority, arrival order, lane); empty: the main thread has nothing to look at
        self.candidates: list[tuple[int, int, Lane]] = []
        self._order = 0
        self.waiting = 0  # requests queued (0 with no thread running: "no active send requests")

    def enqueue(self, req: Request, now: float) -> None:
        """The request waits in its lane's queue, behind those already there at its priority."""
        self._order += 1
        self.waiting += 1
        req.queued = True
        heapq.heappush(req.lane.queue, (req.priority, self._order, req))
        self.offer(req.lane, now)

    def discard(self, req: Request) -> None:
        """Take a queued request out (lazily: its queue entry is dropped when it comes up)."""
        if req.queued:
            req.queued = False
            self.waiting -= 1

    def offer(self, d: Lane, now: float) -> None:
        """Make sure the candidate heap holds this lane's best request, if it may send."""
        q = d.queue
        while q and not q[0][2].queued:
            heapq.heappop(q)
        if not q or d.busy_until > now or d.active >= d.cap:
            return
        key = (q[0][0], q[0][1])
        if d.gkey != key:
            d.gkey = key
            heapq.heappush(self.candidates, (key[0], key[1], d))

    def take(self, now: float) -> Request | None:
        """Take the best request of all lanes that may send (out of its queue); None if there is none.

        The destination's next candidate is not offered: the caller starts a thread first (which counts
        against the per-site limit), then offers.
        """
        candidates = self.candidates
        pop = heapq.heappop
        while candidates:
            prio, order, d = pop(candidates)
            if d.gkey != (prio, order):
                continue
            d.gkey = None
            q = d.queue
            while q and not q[0][2].queued:
                pop(q)
            if not q or d.busy_until > now or d.active >= d.cap:
                continue
            if q[0][1] != order:
                self.offer(d, now)
                continue
            req = pop(q)[2]
            req.queued = False
            self.waiting -= 1
            return req
        return None
