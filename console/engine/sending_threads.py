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
  lasts. A create/open that meets a stale handle fails with Win32 error 32. All are retryable.
- Retries exhausted: the request returns to pending. If the last failure was a connect failure the
  destination is skipped for one hour (``BUSY_SKIP_S``). The product adds "or until there are no active
  send requests"; with no requests at all there is nothing to skip, so only the hour is modelled.
- Re-offer: a request returned to pending (retries exhausted or heartbeat expired) is offered to the
  sender again by the Scheduler ``REOFFER_DELAY_S`` (10 minutes) later; on its return it queues behind
  requests already waiting at the same priority. ``Restart time = ...`` logs when it will really be tried
  next as far as is known then: the re-offer, or the end of its destination's busy-site skip when that is
  later (a skip that starts afterwards, or full thread limits, can still delay it). A job that has been
  failing is abandoned (status failed) once it is ``ABANDON_AFTER_S`` (7 days) old.
- A running thread keeps the settings it started with (retries, delay).
"""

from __future__ import annotations

import heapq

from console.engine.events import RequestEvent, RequestStatus, ThreadState, TimerAction, TimerKind
from console.engine.observers import new_event
from console.engine.outbox import Outbox
from console.engine.scheduler import ABANDON, BUSY_END, REOFFER, WAKE
from console.engine.state import Request, Thread
from console.engine.transfer import TransferPlanner
from console.model.sender_settings import SenderSettings

BUSY_SKIP_S = 3600.0
REOFFER_DELAY_S = 600.0
ABANDON_AFTER_S = 7 * 86400.0
ERROR_BAD_NETPATH = 53
ERROR_SHARING_VIOLATION = 32


class SendingThreads(TransferPlanner):
    """The sending threads' state machine; the engine supplies the main thread (``_dispatch``)."""

    settings: SenderSettings
    heartbeat_timeout_s: float
    _active: int
    _outbox: Outbox

    def _dispatch(self) -> None:
        raise NotImplementedError

    def _set_thread_state(self, th: Thread, state: ThreadState) -> None:
        th.state = state
        th.phase_start = self.now
        if self._l_thread:
            self._thread_event(th, state)

    def _set_status(self, req: Request, status: RequestStatus) -> None:
        req.status = status
        if self._l_request:
            ev = new_event(RequestEvent, (self.now, req.rid, req.dest.code, status, req.sync, req.connects))
            for f in self._l_request:
                f(ev)

    def _attempt(self, th: Thread) -> None:
        """Connect, create/open the remote file and start sending from the sync point."""
        req, d, tid = th.req, th.dest, th.tid
        logging = self._logging
        if logging:
            self._log(tid, "Trying the No. 1 address (out of 1)")
        req.connects += 1
        self._set_thread_state(th, ThreadState.CONNECTING)
        self._set_status(req, RequestStatus.CONNECTING)
        if d.down_until > self.now:
            if logging:
                self._log(tid, f"Error during WNetAddConnection2 to {d.share} ({ERROR_BAD_NETPATH}).")
                self._log(tid, "Could not establish connection.")
                self._log(tid, "Attempt to connect failed.")
            self._fail(th, connect=True)
            return
        th.hb = req.hb = self.now
        self._set_thread_state(th, ThreadState.OPENING)
        if logging:
            self._log(tid, f"Attempt to create/open the remote file {req.pck}")
        owner = d.open_files.get(req.pck)
        if owner is not None and owner != tid:
            if logging:
                self._log(
                    tid, f"Cannot create/open the remote file {req.pck}, Win32 error = {ERROR_SHARING_VIOLATION}."
                )
            self._fail(th, connect=False)
            return
        d.open_files[req.pck] = tid
        th.file_open = True
        if logging:
            self._log(tid, f"Created/opened the remote file {req.pck}")
            # Every sending thread announces its transfer, a resumed one too (from its sync point).
            self._log(tid, f"Sending Started [{self._local_file(req)}]")
        self._set_thread_state(th, ThreadState.SENDING)
        self._set_status(req, RequestStatus.SENDING)
        d.sending += 1
        th.seg_t0 = self.now
        th.seg_pos0 = req.sync
        th.seg_rate = d.sending / d.bytes_per_s
        self._schedule_transfer(th)
        self._sharing_changed(d, th)

    def _local_file(self, req: Request) -> str:
        return f"C:\\SMS\\inboxes\\schedule.box\\tosend\\{req.index + 1:08X}.PPT"

    def _finish(self, th: Thread) -> None:
        req, d, tid = th.req, th.dest, th.tid
        d.sending -= 1
        self._sharing_changed(d, th)
        self._set_thread_state(th, ThreadState.FINISHING)
        if self._logging:
            self._log(tid, f"Sending completed [{self._local_file(req)}]")
            tmp = f"{d.share}\\{req.rid}.TMP"
            sni = f"{d.share}\\{req.rid}.SNI"
            self._log(tid, f"Renaming remote file {tmp} to {sni}")
            self._log(tid, f"Rename completed [{sni}]")
            self._log(tid, "Sending completed successfully")
        if d.open_files.get(req.pck) == tid:
            del d.open_files[req.pck]
        th.file_open = False
        req.delivered_at = self.now
        self._set_status(req, RequestStatus.OK)
        self._exit(th)
        self._dispatch()

    def _fail(self, th: Thread, *, connect: bool) -> None:
        """A retryable error: wait and retry, or give the request back when the retries are used up."""
        req, d = th.req, th.dest
        th.hb = req.hb = self.now  # the thread is awake when it notices the error
        self._set_status(req, RequestStatus.ERROR)
        if th.retries_used < th.settings.retries:
            self._log(th.tid, "Operation is retryable.")
            at = self.now + th.settings.retry_delay_min * 60.0
            th.retry_at = at
            self._set_thread_state(th, ThreadState.RETRY_WAIT)
            heapq.heappush(self._heap, (at, next(self._seq), WAKE, th, th.token))
            self._timer(TimerAction.SET, TimerKind.RETRY_WAIT, at, d.code, th)
            if not th.beats_waiting:
                self._timer(TimerAction.SET, TimerKind.HEARTBEAT_TIMEOUT, th.hb + self.heartbeat_timeout_s, d.code, th)
            return
        if connect:
            self._log(
                th.tid,
                f"Cannot connect to server \\\\{d.server} at remote site {d.code}, won't try send "
                f"requests going to site {d.code} for an hour or until there are no active send "
                f"requests.",
            )
            self._log(th.tid, "No need to disconnect")
            d.busy_until = self.now + BUSY_SKIP_S
            d.busy_token += 1
            heapq.heappush(self._heap, (d.busy_until, next(self._seq), BUSY_END, d, d.busy_token))
            self._site_event(d.code, "busy", d.busy_until)
            self._timer(TimerAction.SET, TimerKind.BUSY_SITE_SKIP, d.busy_until, d.code)
        if th.file_open and d.open_files.get(req.pck) == th.tid:
            del d.open_files[req.pck]
        th.file_open = False
        self._to_pending(th)

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
                self._log(th.tid, "Heartbeat is expired.")
                self._log(th.tid, "Can't re-establish the connection.")
                # The remote .PCK stays registered as open: the stale handle of KB Q278357.
                th.file_open = False
                self._to_pending(th)
                return
            self._timer(TimerAction.CANCELLED, TimerKind.HEARTBEAT_TIMEOUT, deadline, d.code, th)
        self._attempt(th)

    def _to_pending(self, th: Thread) -> None:
        req = th.req
        self._exit(th)
        if self.now - req.queued_at >= ABANDON_AFTER_S:
            self._abandon(req)
            self._dispatch()
            return
        req.restart_at = self.now + REOFFER_DELAY_S
        req.reoffer_token += 1
        heapq.heappush(self._heap, (req.restart_at, next(self._seq), REOFFER, req, req.reoffer_token))
        if self._logging:
            self._log(th.tid, f"Restart time = {self.log_clock.restart_text(self._next_try_at(req))}")
        self._timer(TimerAction.SET, TimerKind.REOFFER, req.restart_at, req.dest.code, req=req)
        if not req.abandon_armed:
            req.abandon_armed = True
            abandon_at = req.queued_at + ABANDON_AFTER_S
            heapq.heappush(self._heap, (abandon_at, next(self._seq), ABANDON, req, 0))
            self._timer(TimerAction.SET, TimerKind.ABANDON, abandon_at, req.dest.code, req=req)
        self._dispatch()

    @staticmethod
    def _next_try_at(req: Request) -> float:
        """When a pending request will next be tried, as far as is known now: its re-offer, or the end of its
        destination's busy-site skip if later (the main thread skips a busy destination's requests)."""
        at = req.restart_at if req.restart_at is not None else 0.0
        return max(at, req.dest.busy_until)

    def _abandon(self, req: Request) -> None:
        req.queued = False
        req.restart_at = None
        req.reoffer_token += 1
        self._set_status(req, RequestStatus.CANCELLED)

    def _exit(self, th: Thread) -> None:
        d = th.dest
        th.token += 1
        self._set_thread_state(th, ThreadState.EXITED)
        del self._threads[th.tid]
        d.threads.remove(th)
        d.active -= 1
        self._active -= 1
        th.req.thread = None
        self._outbox.offer(d, self.now, self.settings.per_site)
