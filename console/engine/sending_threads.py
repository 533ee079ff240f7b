"""A sending thread's life: connect, open the remote file, send, and what happens when that fails.

Modelling choices marked VERIFIED in research/sms-sender.md are followed; these are INFERRED here:
- Time: connecting and opening take no time; the instruction file (.TMP renamed to .SNI) is written at
  once after the last block.
- Heartbeat: a thread beats when it starts, connects, opens the file, writes each block and notices an
  error. Before SP4 it does not beat while it waits *Delay before retrying*; on waking, if
  ``now > last beat + time-out`` (strictly: exactly the time-out still works, as the KB's "more than"
  says) it logs ``Heartbeat is expired.`` and ``Can't re-establish the connection.``, gives up its
  remaining retries, and leaves its ``<request>.PCK`` registered as open on the destination when it had
  it open (the stale handle of KB Q278357). From SP4 the waiting thread beats (every ``BEAT_INTERVAL_S``;
  shown by snapshots) and retries. The version that decides is the sending site's, as it was when the
  thread was created.
- Errors: a network outage fails an in-flight block at the outage start (``console.engine.transfer``) and
  makes connects fail with ``Error during WNetAddConnection2 to \\\\<server>\\SMS_SITE (53).`` while it
  lasts. A create/open that meets a stale handle fails with Win32 error 32. A failed write or create/open is
  retried in the thread (*Number of retries*, *Delay before retrying*); a retry reconnects.
- A failed connect (the first one of a thread, or the reconnect of a retry) follows KB Q235753 (VERIFIED, its
  lines in its order): ``Error during WNetAddConnection2 ...``, ``There is no existing connection, Win32 error =
  0``, ``Operation is retryable.``; then the address is given up at once, without a retry in the thread. The
  next address by relative priority that is open for the request's priority and not marked "Unavailable to
  substitute" is tried (``Trying the No. 2 address (out of 2)``; INFERRED: from the same sync point). With none
  left: ``Cannot connect to server \\\\<server> at remote site <site>, won't try send requests going to site
  <site> for an hour or until there are no active send requests.``, ``Could not establish connection.``,
  ``Attempt to connect failed.``, ``There is no existing connection, Win32 error = 0``, ``No need to
  disconnect``, ``Restart time = ...``: the request returns to pending and the destination is skipped.
  This holds for the implicit single address of a scenario without addresses too: the KB's own log is that
  case (``Trying the No. 1 address (out of 1)``). Before turn 2 the engine retried a failed connect in the
  thread; it no longer does (see README's notes on changed outcomes).
- Busy-site skip (``BUSY_SKIP_S``, one hour) "or until there are no active send requests": INFERRED as the
  moment the sender has no sending thread and no queued send request (requests waiting for their restart time
  are the Scheduler's, not the sender's); its busy-site list is then cleared. A request for a busy site that
  is queued keeps the skip going, so other requests to a dead site wait the hour as the KB says.
- A thread that resumed after a network error does not get its retries back: research has nothing on it, so
  the count runs over the thread's life (as before turn 2).
- Re-offer: a request returned to pending (a failed connect, retries exhausted or heartbeat expired) is offered
  to the sender again by the Scheduler ``REOFFER_DELAY_S`` (10 minutes) later; on its return it queues behind
  requests already waiting at the same priority. ``Restart time = ...`` logs when it will really be tried
  next as far as is known then: the re-offer, or the end of its destination's busy-site skip when that is
  later. A job that has been failing is abandoned (status failed) once it is ``ABANDON_AFTER_S`` (7 days) old.
- A running thread keeps the settings it started with (retries, delay).
"""

from __future__ import annotations

import heapq

from console.engine.events import RequestEvent, RequestStatus, ThreadState, TimerAction, TimerKind
from console.engine.observers import new_event
from console.engine.rate_limited import RateLimitedTransfer
from console.engine.request_changes import RequestChanges
from console.engine.scheduler import ABANDON, BUSY_END, REOFFER, WAKE
from console.engine.site_sender import SiteSender
from console.engine.state import Lane, Request, Thread
from console.model.addresses import Address

BUSY_SKIP_S = 3600.0
REOFFER_DELAY_S = 600.0
ABANDON_AFTER_S = 7 * 86400.0
ERROR_BAD_NETPATH = 53
ERROR_SHARING_VIOLATION = 32


class SendingThreads(RateLimitedTransfer):
    """The sending threads' state machine; the engine supplies the main thread (``_dispatch``) and routing."""

    heartbeat_timeout_s: float
    _changes: RequestChanges | None  # what ``requests_since`` reports (None until first asked); stamped below

    def _dispatch(self, sender: SiteSender | None = None) -> None:
        raise NotImplementedError

    def _delivered(self, req: Request) -> None:
        """A request arrived at its lane's destination (routing creates the next hop)."""

    def _open_address(self, addrs: tuple[Address, ...], priority: int, start: int, substitute: bool) -> int:
        raise NotImplementedError

    def _set_thread_state(self, th: Thread, state: ThreadState) -> None:
        th.state = state
        th.phase_start = self.now
        if self._l_thread:
            self._thread_event(th, state)

    def _set_status(self, req: Request, status: RequestStatus) -> None:
        req.status = status
        if self._changes is not None:
            self._changes.touch(req)
        if self._l_request:
            wait = req.wait
            ev = new_event(
                RequestEvent,
                (
                    self.now,
                    req.rid,
                    req.dest.code,
                    status,
                    req.sync,
                    req.connects,
                    req.lane.sender.code,
                    req.final.code,
                    req.hop,
                    None if wait is None else wait.until,
                ),
            )
            for f in self._l_request:
                f(ev)

    def _request_event(self, req: Request) -> None:
        wait = req.wait
        ev = new_event(
            RequestEvent,
            (
                self.now,
                req.rid,
                req.dest.code,
                req.status,
                req.sync,
                req.connects,
                req.lane.sender.code,
                req.final.code,
                req.hop,
                wait.until if wait is not None else None,
            ),
        )
        for f in self._l_request:
            f(ev)

    def _server(self, th: Thread) -> str:
        """The server of the address in use (the destination's own for the implicit address)."""
        return th.addrs[th.addr].server if th.addr >= 0 else th.dest.server

    def _attempt(self, th: Thread) -> None:
        """Connect, create/open the remote file and start sending from the sync point."""
        req, d, tid = th.req, th.dest, th.tid
        logging = self._logging
        if logging:
            if th.addr < 0:
                self._tlog(th, "Trying the No. 1 address (out of 1)")
            else:
                self._tlog(th, f"Trying the No. {th.addr + 1} address (out of {len(th.addrs)})")
        req.connects += 1
        if th.addr >= 0:
            req.address = (th.addrs, th.addr)
        self._set_thread_state(th, ThreadState.CONNECTING)
        self._set_status(req, RequestStatus.CONNECTING)
        if d.down_until > self.now:
            if logging:
                share = d.share if th.addr < 0 else f"\\\\{self._server(th)}\\SMS_SITE"
                self._tlog(th, f"Error during WNetAddConnection2 to {share} ({ERROR_BAD_NETPATH}).")
            self._connect_failed(th)
            return
        th.hb = req.hb = self.now
        self._set_thread_state(th, ThreadState.OPENING)
        if logging:
            self._tlog(th, f"Attempt to create/open the remote file {req.pck}")
        owner = d.open_files.get(req.pck)
        if owner is not None and owner != tid:
            if logging:
                self._tlog(
                    th, f"Cannot create/open the remote file {req.pck}, Win32 error = {ERROR_SHARING_VIOLATION}."
                )
            self._fail(th, connect=False)
            return
        d.open_files[req.pck] = tid
        th.file_open = True
        if logging:
            self._tlog(th, f"Created/opened the remote file {req.pck}")
            # Every sending thread announces its transfer, a resumed one too (from its sync point).
            self._tlog(th, f"Sending Started [{self._local_file(req)}]")
        self._set_thread_state(th, ThreadState.SENDING)
        self._set_status(req, RequestStatus.SENDING)
        d.sending += 1
        th.seg_t0 = self.now
        th.seg_pos0 = req.sync
        th.seg_rate = d.sending / d.bytes_per_s
        if th.limit is None:
            self._schedule_transfer(th)
        else:
            self._schedule_limited(th)
        self._sharing_changed(d, th)

    def _local_file(self, req: Request) -> str:
        return f"C:\\SMS\\inboxes\\schedule.box\\tosend\\{req.index + 1:08X}.PPT"

    def _finish(self, th: Thread) -> None:
        req, d = th.req, th.dest
        if th.fast:
            del d.fast[th.order]
        d.sending -= 1
        self._sharing_changed(d, th)
        self._set_thread_state(th, ThreadState.FINISHING)
        if self._logging:
            self._tlog(th, f"Sending completed [{self._local_file(req)}]")
            tmp = f"{d.share}\\{req.rid}.TMP"
            sni = f"{d.share}\\{req.rid}.SNI"
            self._tlog(th, f"Renaming remote file {tmp} to {sni}")
            self._tlog(th, f"Rename completed [{sni}]")
            self._tlog(th, "Sending completed successfully")
        if d.open_files.get(req.pck) == th.tid:
            del d.open_files[req.pck]
        th.file_open = False
        req.delivered_at = self.now
        self._set_status(req, RequestStatus.OK)
        self._exit(th)
        if req.dest is not req.final:
            self._delivered(req)
        self._dispatch(th.lane.sender)

    def _fail(self, th: Thread, *, connect: bool) -> None:
        """A retryable error after connecting: wait and retry, or give the request back when the retries are used up."""
        if connect:
            self._connect_failed(th)
            return
        req, d = th.req, th.dest
        th.hb = req.hb = self.now  # the thread is awake when it notices the error
        self._set_status(req, RequestStatus.ERROR)
        if th.retries_used < th.settings.retries:
            self._tlog(th, "Operation is retryable.")
            at = self.now + th.settings.retry_delay_min * 60.0
            th.retry_at = at
            self._set_thread_state(th, ThreadState.RETRY_WAIT)
            heapq.heappush(self._heap, (at, next(self._seq), WAKE, th, th.token))
            self._timer(TimerAction.SET, TimerKind.RETRY_WAIT, at, d.code, th)
            if not th.beats_waiting:
                self._timer(TimerAction.SET, TimerKind.HEARTBEAT_TIMEOUT, th.hb + self.heartbeat_timeout_s, d.code, th)
            return
        self._release_file(th)
        self._to_pending(th)

    def _connect_failed(self, th: Thread) -> None:
        """KB Q235753: the address is given up after one failed connect; the next one, or a busy-site skip."""
        req, d = th.req, th.dest
        th.hb = req.hb = self.now
        self._set_status(req, RequestStatus.ERROR)
        self._tlog(th, "There is no existing connection, Win32 error = 0")
        self._tlog(th, "Operation is retryable.")
        if th.addr >= 0:
            nxt = self._open_address(th.addrs, req.priority, th.addr + 1, True)
            if nxt >= 0:
                th.addr = nxt
                limit = th.addrs[nxt].rate_limit
                th.limit = None if limit.is_unlimited else limit
                self._attempt(th)
                return
        self._tlog(
            th,
            f"Cannot connect to server \\\\{self._server(th)} at remote site {d.code}, won't try send "
            f"requests going to site {d.code} for an hour or until there are no active send "
            f"requests.",
        )
        self._tlog(th, "Could not establish connection.")
        self._tlog(th, "Attempt to connect failed.")
        self._tlog(th, "There is no existing connection, Win32 error = 0")  # KB Q235753 logs it twice
        self._tlog(th, "No need to disconnect")
        self._mark_busy(th.lane)
        self._release_file(th)
        self._to_pending(th)

    def _mark_busy(self, lane: Lane) -> None:
        """The sender skips ``lane`` for an hour or until it has no active send requests."""
        lane.busy_until = self.now + BUSY_SKIP_S
        lane.busy_token += 1
        lane.sender.busy.add(lane)
        heapq.heappush(self._heap, (lane.busy_until, next(self._seq), BUSY_END, lane, lane.busy_token))
        code = lane.sender.code
        self._site_event(lane.code, "busy", lane.busy_until, code)
        self._timer(TimerAction.SET, TimerKind.BUSY_SITE_SKIP, lane.busy_until, lane.code, site=code)

    def _clear_busy_if_idle(self, s: SiteSender) -> None:
        """ "... or until there are no active send requests": no thread and nothing queued clears the list."""
        if s.active or s.outbox.waiting or not s.busy:
            return
        for lane in sorted(s.busy, key=lambda x: x.code):
            if lane.busy_until > self.now:
                self._timer(TimerAction.CANCELLED, TimerKind.BUSY_SITE_SKIP, lane.busy_until, lane.code, site=s.code)
                self._site_event(lane.code, "not busy", None, s.code)
            lane.busy_until = -1.0
            lane.busy_token += 1
        s.busy.clear()

    def _release_file(self, th: Thread) -> None:
        req, d = th.req, th.dest
        if th.file_open and d.open_files.get(req.pck) == th.tid:
            del d.open_files[req.pck]
        th.file_open = False

    def _on_wake(self, th: Thread) -> None:
        d = th.dest
        th.retries_used += 1
        th.retry_at = None
        self._timer(TimerAction.FIRED, TimerKind.RETRY_WAIT, self.now, d.code, th)
        if th.beats_waiting:
            th.hb = th.req.hb = self.now
        else:
            deadline = th.hb + self.heartbeat_timeout_s
            if self.now > deadline:
                self._timer(TimerAction.FIRED, TimerKind.HEARTBEAT_TIMEOUT, deadline, d.code, th)
                self._tlog(th, "Heartbeat is expired.")
                self._tlog(th, "Can't re-establish the connection.")
                # The remote .PCK stays registered as open: the stale handle of KB Q278357.
                th.file_open = False
                self._to_pending(th)
                return
            self._timer(TimerAction.CANCELLED, TimerKind.HEARTBEAT_TIMEOUT, deadline, d.code, th)
        self._attempt(th)

    def _to_pending(self, th: Thread) -> None:
        req = th.req
        sender = th.lane.sender
        self._exit(th)
        if self.now - req.queued_at >= ABANDON_AFTER_S:
            self._abandon(req)
            self._dispatch(sender)
            return
        self._clear_busy_if_idle(sender)
        self._pending(req, th)
        self._dispatch(sender)

    def _pending(self, req: Request, th: Thread | None = None) -> None:
        """The request goes back to the Scheduler, which offers it again in ``REOFFER_DELAY_S`` (``th`` logs it)."""
        req.restart_at = self.now + REOFFER_DELAY_S
        if self._changes is not None:
            self._changes.touch(req)
        req.reoffer_token += 1
        heapq.heappush(self._heap, (req.restart_at, next(self._seq), REOFFER, req, req.reoffer_token))
        if th is not None and self._logging:
            self._tlog(th, f"Restart time = {self.log_clock.restart_text(self._next_try_at(req))}")
        self._timer(TimerAction.SET, TimerKind.REOFFER, req.restart_at, req.dest.code, req=req)
        if not req.abandon_armed:
            req.abandon_armed = True
            abandon_at = req.queued_at + ABANDON_AFTER_S
            heapq.heappush(self._heap, (abandon_at, next(self._seq), ABANDON, req, 0))
            self._timer(TimerAction.SET, TimerKind.ABANDON, abandon_at, req.dest.code, req=req)

    @staticmethod
    def _next_try_at(req: Request) -> float:
        """When a pending request will next be tried, as far as is known now: its re-offer, or the end of its
        destination's busy-site skip if later (the main thread skips a busy destination's requests)."""
        at = req.restart_at if req.restart_at is not None else 0.0
        return max(at, req.lane.busy_until)

    def _abandon(self, req: Request) -> None:
        req.lane.sender.outbox.discard(req)
        req.restart_at = None
        req.reoffer_token += 1
        if req.wait is not None:
            req.waiting_s = req.waited(self.now)
            req.wait = None
        self._set_status(req, RequestStatus.CANCELLED)

    def _exit(self, th: Thread) -> None:
        d = th.dest
        lane = th.lane
        th.token += 1
        self._set_thread_state(th, ThreadState.EXITED)
        del self._threads[th.order]
        d.threads.remove(th)
        lane.active -= 1
        lane.sender.active -= 1
        th.req.thread = None
        if self._changes is not None:
            self._changes.touch(th.req)
        lane.sender.outbox.offer(lane, self.now)
