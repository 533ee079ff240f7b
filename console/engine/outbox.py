"""The sender's main thread choosing the next send request: highest priority first, then first in, first out.

Each destination keeps its own queue (``Dest.queue``: ``(priority, arrival order, request)``), and one
global heap holds at most one live candidate per destination: the head of its queue, while the destination
may send (not in a busy-site skip, under the per-site limit). Picking is then a pop of the global heap
instead of a scan of every queue, which matters with thousands of destinations.

Both heaps delete lazily. A request taken out of its queue otherwise (abandoned) only has ``queued`` cleared;
a candidate is stale when its destination's ``gkey`` no longer names it (a better or later head was offered
since, or it was taken). The engine calls ``offer(d)`` whenever something that decides a destination's
candidate may have changed: a request queued there, a thread of it exited, its skip ended, settings applied.
"""

from __future__ import annotations

import heapq

from console.engine.state import Dest, Request


class Outbox:
    __slots__ = ("_order", "candidates")

    def __init__(self) -> None:
        # (priority, arrival order, destination); empty: the main thread has nothing to look at
        self.candidates: list[tuple[int, int, Dest]] = []
        self._order = 0

    def enqueue(self, req: Request, now: float, per_site: int) -> None:
        """The request waits in its destination's queue, behind those already there at its priority."""
        self._order += 1
        req.queued = True
        heapq.heappush(req.dest.queue, (req.priority, self._order, req))
        self.offer(req.dest, now, per_site)

    def offer(self, d: Dest, now: float, per_site: int) -> None:
        """Make sure the candidate heap holds this destination's best request, if it may send."""
        q = d.queue
        while q and not q[0][2].queued:
            heapq.heappop(q)
        if not q or d.busy_until > now or d.active >= per_site:
            return
        key = (q[0][0], q[0][1])
        if d.gkey != key:
            d.gkey = key
            heapq.heappush(self.candidates, (key[0], key[1], d))

    def take(self, now: float, per_site: int) -> Request | None:
        """Take the best request of all destinations that may send (out of its queue); None if there is none.

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
            if not q or d.busy_until > now or d.active >= per_site:
                continue
            if q[0][1] != order:
                self.offer(d, now, per_site)
                continue
            req = pop(q)[2]
            req.queued = False
            return req
        return None
