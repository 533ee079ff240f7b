"""Transfers over a rate-limited address: the thread sends only in its share of each hour (research §8).

The share is cut as ``console.model.rate_share`` says (INFERRED: 100 slices of 36 s per hour, sending the first
``p`` % of each). A thread takes its address's rate limit when it is created and keeps it to the end of its
send (KB Q317893, VERIFIED), whatever is applied meanwhile.

Kept off the unlimited path on purpose: a rate-limited thread's blocks are heap entries of their own kind
(``RBLOCK``), always one per block, so ``TransferPlanner``'s per-block hot path and its whole-transfer
schedule do not pay a single test for them. A block needs ``bytes × sharers / bandwidth`` seconds of sending
(the link's share when the block starts; INFERRED: the block in flight keeps its end when others join or
leave, as unlimited blocks do) and ends when the rate limit has allowed that much sending from its start.
The lines and events of a block are those of an unlimited one. Times are exact to the microsecond.
"""

from __future__ import annotations

import datetime as _dt
import heapq

from console.engine.events import TimerAction, TimerKind
from console.engine.scheduler import RBLOCK
from console.engine.state import Thread
from console.engine.transfer import BLOCK_BYTES, TransferPlanner
from console.model.rate_share import (
    SLICE_US,
    is_sending_at,
    next_sending_at,
    sending_done_us,
)

_SECOND = _dt.timedelta(seconds=1)
_US = _dt.timedelta(microseconds=1)


class RateLimitedTransfer(TransferPlanner):
    """Blocks of rate-limited threads, and what a view asks about their pauses."""

    start: _dt.datetime

    def _at(self, t: float) -> _dt.datetime:
        return self.start + _dt.timedelta(seconds=t)

    def _secs(self, when: _dt.datetime) -> float:
        return (when - self.start) / _SECOND

    def _schedule_limited(self, th: Thread) -> None:
        """The next block of a rate-limited thread, from its sync point, now."""
        assert th.limit is not None
        req = th.req
        d = th.dest
        pos = req.sync
        n = req.size - pos
        if n > BLOCK_BYTES:
            n = BLOCK_BYTES
        sending_us = round(n * d.sending / d.bytes_per_s * 1_000_000)
        end = self._secs(sending_done_us(th.limit, self._at(self.now), sending_us))
        th.fast = False
        th.block_bytes = n
        th.block_start = self.now
        th.block_end = end
        heapq.heappush(self._heap, (end, th.order, RBLOCK, th, th.token))
        if self._logging:
            self._tlog(th, f"Attempt to write {n} bytes to {req.pck} at position {pos}")
        if self._l_transfer:
            self._timer(TimerAction.SET, TimerKind.TRANSFER, end, d.code, th)

    def _on_limited_block(self, th: Thread) -> None:
        req = th.req
        n = th.block_bytes
        pos = req.sync
        req.sync = pos + n
        th.hb = req.hb = self.now
        self.blocks_written += 1
        if self._l_transfer:
            self._timer(TimerAction.FIRED, TimerKind.TRANSFER, self.now, th.dest.code, th)
        if self._logging:
            self._tlog(th, f"Wrote {n} bytes to {req.pck} at position {pos}")
        if req.sync < req.size:
            self._schedule_limited(th)
        else:
            self._finish(th)

    def _pace(self, th: Thread) -> tuple[int | None, bool, float | None]:
        """(this hour's percent, sending now, when a pause ends) of a rate-limited thread, for its view."""
        if th.limit is None:
            return (None, True, None)
        when = self._at(self.now)
        if is_sending_at(th.limit, when):
            return (th.limit.percent_at(when), True, None)
        return (th.limit.percent_at(when), False, self._secs(next_sending_at(th.limit, when)))

    def _segments(self, th: Thread, t0: float, t1: float, limit: int = 2000) -> list[tuple[float, float, bool]]:
        """Stretches of [t0, t1] in which the thread's rate limit lets it send (True) or pauses it (False)."""
        if th.limit is None:
            return [(t0, t1, True)] if t1 > t0 else []
        out: list[tuple[float, float, bool]] = []
        when = self._at(t0)
        stop = self._at(t1)
        while when < stop and len(out) < limit:
            hour = when.replace(minute=0, second=0, microsecond=0)
            offset = (when - hour) // _US
            slice_start = hour + (offset // SLICE_US) * SLICE_US * _US
            percent = th.limit.percent_at(when)
            on_end = slice_start + (SLICE_US if percent is None else percent * 360_000) * _US
            slice_end = slice_start + SLICE_US * _US
            nxt = min(on_end if when < on_end else slice_end, stop)
            sending = when < on_end
            if out and out[-1][2] == sending:
                out[-1] = (out[-1][0], self._secs(nxt), sending)
            else:
                out.append((self._secs(when), self._secs(nxt), sending))
            when = nxt
        return out
