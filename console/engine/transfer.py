"""Moving a package's bytes: block arithmetic, link sharing, and the two ways a transfer is scheduled.

Modelling choices (INFERRED, research/sms-sender.md): a package is written in 256 KB blocks (the last one may
be shorter). ``link_kbps`` (1 kbps = 1000 bit/s) per destination is shared equally by the threads *sending*
on that link. A block keeps the share it started with; when threads join or leave a link, the blocks after
the one in flight use the new share, and a block that starts at that very instant (or ends at it) counts as
starting after the change. Blocks that end at the instant of an outage or restart got through.

Two schedules, one outcome. Unless something watches blocks (a log sink, a ``LogEvent`` listener or a
``TRANSFER`` timer listener) a thread has one heap entry for its whole transfer ("fast"), re-planned when its
link's sharing changes, and its sync point, heartbeat and block counters are caught up on demand
(``_catch_up``) when something needs them; otherwise one entry per block, so that every block's log lines
and timers appear at their time. Every block end of either is computed from one formula (see
``Thread.seg_t0``), so both give bit-identical times; ``test_watching_does_not_change_the_run`` holds it.

Sharing a link costs O(1) per change, however many threads share it: a change only moves the link's
``epoch`` on. A per-block thread plans each block when it starts, from a new segment if the epoch moved
since its segment was planned; a block that starts at the instant of a change must take the share the
instant ends with, so blocks starting at ``now`` get their heap entries when the instant is over
(``_settle``). Only fast transfers are re-planned at a change, and a link runs at most ``FAST_SHARERS`` of
them: one with more sharers moves them block by block (the outcome is the same either way).

Speed: ``_on_block`` is the hot path of a watched run (the GUI's). Its common case, a middle block with no
``TRANSFER`` listener, is written out in that one function (state, then both log lines) instead of going
through ``_schedule_transfer`` and ``_log``, which do the same for every other case: a call and its
attribute lookups per block are a measurable share of a watched run. Keep the two in step.
"""

from __future__ import annotations

import heapq

from console.engine.events import LogEvent, ThreadState, TimerAction, TimerKind
from console.engine.log_format import LINE_MID
from console.engine.observers import ObserverRegistry, new_event
from console.engine.scheduler import BLOCK, Scheduler
from console.engine.state import Dest, Thread

BLOCK_BYTES = 256 * 1024
FAST_SHARERS = 8  # a link with more sending threads moves them block by block (O(1) per sharing change)
ERROR_NETNAME_DELETED = 64  # a write on a session the outage or restart broke


class TransferPlanner(Scheduler, ObserverRegistry):
    """The transfer half of the engine; the engine supplies ``_finish`` and ``_fail`` (a thread's life)."""

    blocks_written: int
    replanned: int  # transfers re-planned because their link's sharing changed (fast ones, and conversions)
    _threads: dict[int, Thread]  # by ``Thread.order`` (thread ids are per site)
    _per_block = True  # until the first rewiring says otherwise (no thread exists before it)

    def _finish(self, th: Thread) -> None:
        raise NotImplementedError

    def _fail(self, th: Thread, *, connect: bool) -> None:
        raise NotImplementedError

    def _rewired(self) -> None:
        per_block = self._logging or bool(self._l_transfer)
        became = per_block and not self._per_block
        self._per_block = per_block
        if became:
            self._go_per_block()

    def _end_at(self, th: Thread, pos: int) -> float:
        return th.seg_t0 + (pos - th.seg_pos0) * th.seg_rate

    def _schedule_transfer(self, th: Thread) -> None:
        """The next heap entry for a sending thread whose written bytes are ``req.sync``, at ``now``.

        The per-block path of a watched run: kept free of lookups that can be hoisted, and of events nobody
        asked for (the TRANSFER timer pair is built only for a TRANSFER listener).
        """
        req = th.req
        pos = req.sync
        size = req.size
        n = size - pos
        if n > BLOCK_BYTES:
            n = BLOCK_BYTES
        th.block_bytes = n
        d = th.dest
        if th.epoch != d.epoch:  # the link's sharing changed since the segment was planned: a new one from now
            th.seg_t0 = self.now
            th.seg_pos0 = pos
            th.seg_rate = d.sending / d.bytes_per_s
            th.epoch = d.epoch
        t0 = th.seg_t0
        p0 = th.seg_pos0
        rate = th.seg_rate
        start = t0 + (pos - p0) * rate
        th.block_start = start
        th.block_end = t0 + (pos + n - p0) * rate
        if not self._per_block and d.sending <= FAST_SHARERS:
            th.fast = True
            d.fast[th.order] = th
            heapq.heappush(self._heap, (t0 + (size - p0) * rate, th.order, BLOCK, th, th.token))
            return
        th.fast = False
        self._starting.append((th, th.token))
        if self._logging and start == self.now:
            self._tlog(th, f"Attempt to write {n} bytes to {req.pck} at position {pos}")

    def _settle(self) -> None:
        """Blocks that started at ``now`` get their heap entries, now that every sharing change of the instant is
        known (a block that starts at the instant of a change takes the new share)."""
        now = self.now
        push = heapq.heappush
        heap = self._heap
        transfer = self._l_transfer
        for th, token in self._starting:
            if th.token != token:
                continue
            d = th.dest
            pos = th.req.sync
            if th.epoch != d.epoch:
                th.seg_t0 = now
                th.seg_pos0 = pos
                th.seg_rate = d.sending / d.bytes_per_s
                th.epoch = d.epoch
            end = th.seg_t0 + (pos + th.block_bytes - th.seg_pos0) * th.seg_rate
            th.block_end = end
            push(heap, (end, th.order, BLOCK, th, token))
            if transfer:
                self._timer(TimerAction.SET, TimerKind.TRANSFER, end, d.code, th)
        self._starting.clear()

    def _written_by_now(self, th: Thread) -> int:
        """Bytes a fast thread has written by ``now`` (whole blocks, or the whole package)."""
        req = th.req
        size = req.size
        pos = req.sync
        if th.seg_rate > 0:
            est = int((self.now - th.seg_t0) / (BLOCK_BYTES * th.seg_rate)) - 1
            if est > 0:
                pos = max(pos, th.seg_pos0 + est * BLOCK_BYTES)
        while pos < size:
            nxt = pos + BLOCK_BYTES
            if nxt > size:
                nxt = size
            if th.seg_t0 + (nxt - th.seg_pos0) * th.seg_rate > self.now:
                break
            pos = nxt
        return pos

    def _advance_sync(self, th: Thread, pos: int) -> None:
        """A fast thread's sync point moves to ``pos`` (a block boundary or the end): count the blocks."""
        req = th.req
        if pos > req.sync:
            self.blocks_written += -(-(pos - req.sync) // BLOCK_BYTES)
            req.sync = pos

    def _catch_up(self, th: Thread) -> None:
        """Bring a fast thread's sync point, heartbeat and block counters up to ``now`` (no event is handled)."""
        req = th.req
        pos = self._written_by_now(th)
        if pos > req.sync:
            self._advance_sync(th, pos)
            th.hb = req.hb = self._end_at(th, pos)
        n = req.size - pos
        th.block_bytes = BLOCK_BYTES if n > BLOCK_BYTES else n
        if pos >= th.seg_pos0:
            th.block_start = self._end_at(th, pos)
        # else: the block in flight began under the previous segment; its start stays as recorded
        th.block_end = self._end_at(th, pos + th.block_bytes)

    def _catch_up_all(self) -> None:
        for th in self._threads.values():
            if th.fast and th.state is ThreadState.SENDING:
                self._catch_up(th)

    def _to_per_block(self, th: Thread, epoch: int) -> None:
        """A fast transfer gets one heap entry per block from now on; ``epoch``: the link sharing its next block
        was planned in (the link's previous epoch when the sharing changes now, so that the next block takes it)."""
        self._catch_up(th)
        th.token += 1
        th.fast = False
        del th.dest.fast[th.order]
        th.epoch = epoch
        if th.block_start >= self.now:  # the block starts now: it takes the sharing this instant ends with
            self._starting.append((th, th.token))
        else:
            heapq.heappush(self._heap, (th.block_end, th.order, BLOCK, th, th.token))

    def _go_per_block(self) -> None:
        """Something now watches blocks: give every fast transfer a heap entry per block from now on."""
        for th in list(self._threads.values()):
            if th.state is ThreadState.SENDING and th.fast:
                self._to_per_block(th, th.dest.epoch)

    def _sharing_changed(self, d: Dest, changed: Thread) -> None:
        """The number of threads sending on ``d`` changed now (``changed`` joined or left).

        Per-block transfers are not touched: the block in flight keeps its end, and each thread's next block
        (or one that starts at this instant, held back until the instant ends: ``_settle``) sees the new epoch
        and takes the new share. So a change costs O(1) however many threads share the link. Fast transfers (one
        heap entry each, at most ``FAST_SHARERS`` on a link) are re-planned here; a link that gets more sharers
        turns its fast transfers into per-block ones.
        """
        d.epoch += 1
        fast = d.fast
        if not fast:
            return
        if d.sending > FAST_SHARERS:
            for o in list(fast.values()):
                if o is not changed:
                    self.replanned += 1
                    self._to_per_block(o, d.epoch - 1)
            return
        rate = d.sending / d.bytes_per_s if d.sending else 0.0
        now = self.now
        for o in fast.values():
            if o is changed:
                continue
            self.replanned += 1
            self._catch_up(o)
            if o.block_start >= now:
                # A block starts now: it (and every later one) gets the new share.
                o.seg_t0, o.seg_pos0, o.seg_rate = now, o.req.sync, rate
            else:
                # The block in flight keeps its end; the blocks after it use the new share.
                o.seg_t0, o.seg_pos0, o.seg_rate = o.block_end, o.req.sync + o.block_bytes, rate
            o.token += 1
            heapq.heappush(self._heap, (self._end_at(o, o.req.size), o.order, BLOCK, o, o.token))

    def _on_block(self, th: Thread) -> None:
        """A block (or, for a fast thread, the whole transfer) completes now.

        The common case is written out here (see the module docstring); its lines and events are the same as
        ``_schedule_transfer``'s and ``_log``'s, and the log tests hold both.
        """
        req = th.req
        now = self.now
        if th.fast:
            self._advance_sync(th, req.size)
            th.hb = req.hb = now
            self._finish(th)
            return
        n = th.block_bytes
        pos = req.sync
        nxt = pos + n
        req.sync = nxt
        th.hb = req.hb = now
        self.blocks_written += 1
        size = req.size
        if self._l_transfer or nxt >= size:
            if self._l_transfer:
                self._timer(TimerAction.FIRED, TimerKind.TRANSFER, now, th.dest.code, th)
            if self._logging:
                self._tlog(th, f"Wrote {n} bytes to {req.pck} at position {pos}")
            if nxt < size:
                self._schedule_transfer(th)
            else:
                self._finish(th)
            return
        # The next block, planned as in _schedule_transfer but written out here: this is the per-block hot path.
        m = size - nxt
        if m > BLOCK_BYTES:
            m = BLOCK_BYTES
        th.block_bytes = m
        d = th.dest
        if th.epoch != d.epoch:  # the link's sharing changed during the block: the next ones take the new share
            th.seg_t0 = now
            th.seg_pos0 = nxt
            th.seg_rate = d.sending / d.bytes_per_s
            th.epoch = d.epoch
        t0 = th.seg_t0
        p0 = th.seg_pos0
        rate = th.seg_rate
        start = t0 + (nxt - p0) * rate
        th.block_start = start
        th.block_end = t0 + (nxt + m - p0) * rate
        if not self._per_block and d.sending <= FAST_SHARERS:  # nothing watches blocks: the rest is one entry
            th.fast = True
            d.fast[th.order] = th
            heapq.heappush(self._heap, (t0 + (size - p0) * rate, th.order, BLOCK, th, th.token))
            return
        self._starting.append((th, th.token))
        if not self._logging:
            return
        tid = th.tid
        pck = req.pck
        wrote = f"Wrote {n} bytes to {pck} at position {pos}"
        attempt = f"Attempt to write {m} bytes to {pck} at position {nxt}" if start == now else None
        if not th.local:  # a thread of another site's sender: its own log
            self._tlog(th, wrote)
            if attempt is not None:
                self._tlog(th, attempt)
            return
        sink = self._log_sink
        line = line2 = None
        if sink is not None:
            stamp = LINE_MID + self.log_clock.stamp(now) + th.line_tail
            line = wrote + stamp
            sink(line)
            if attempt is not None:
                line2 = attempt + stamp
                sink(line2)
        self.lines_written += 1 if attempt is None else 2
        listeners = self._l_log
        if listeners:
            clock = self.log_clock
            site = self._main_code
            ev = new_event(LogEvent, (now, tid, wrote, line, clock, site))
            for f in listeners:
                f(ev)
            if attempt is not None:
                ev = new_event(LogEvent, (now, tid, attempt, line2, clock, site))
                for f in listeners:
                    f(ev)

    def _block_written(self, th: Thread) -> None:
        """The block in flight ends now but its heap entry is not handled (an outage or restart came first)."""
        req = th.req
        n = th.block_bytes
        pos = req.sync
        req.sync = pos + n
        th.hb = req.hb = self.now
        self.blocks_written += 1
        self._timer(TimerAction.FIRED, TimerKind.TRANSFER, self.now, th.dest.code, th)
        self._tlog(th, f"Wrote {n} bytes to {req.pck} at position {pos}")

    def _break_transfer(self, th: Thread) -> None:
        """The block in flight fails now (outage start or server restart); one that ends now got through."""
        req = th.req
        if th.fast:
            self._catch_up(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th)  # it takes the thread off the link's fast transfers
                return
        elif th.block_end <= self.now:
            self._block_written(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th)
                return
        th.token += 1
        if th.fast:
            del th.dest.fast[th.order]
        else:
            self._timer(TimerAction.CANCELLED, TimerKind.TRANSFER, th.block_end, th.dest.code, th)
        th.dest.sending -= 1
        self._sharing_changed(th.dest, th)
        self._tlog(th, f"Cannot write to the remote file {req.pck}, Win32 error = {ERROR_NETNAME_DELETED}.")
        self._fail(th, connect=False)
