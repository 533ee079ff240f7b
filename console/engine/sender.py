"""The SMS 2.0 Standard Sender as a deterministic discrete-event simulation (DESIGN.md §1, §3; research §3-§5).

One ``SenderEngine`` is the sending site's Standard Sender: a main thread that takes send requests from
the outbox (highest priority first, then first in, first out) within the two concurrency limits, and
one sending thread per request that connects to ``\\\\<server>\\SMS_SITE``, creates/opens
``<request>.PCK``, writes it in 256 KB blocks, finishes the instruction file and exits.

Driving it: ``advance_to(t)`` handles every event with time <= t and then sets ``now = t`` (a real-time
driver calls it from a timer); ``run_until(t)``/``run()`` do the same as fast as possible;
``next_event_time()`` is "run to the next event". The engine never reads the wall clock.

Observers: ``subscribe(listener)`` receives the frozen events of ``console.engine.events`` synchronously.
With no listeners and no log file no event or log object is built, which keeps the busy scenario fast.

Modelling choices marked VERIFIED in research/sms-sender.md are followed; these are INFERRED here:
- Time: connecting and opening take no time; the instruction file (.TMP renamed to .SNI) is written at
  once after the last block. Bandwidth: ``link_kbps`` (1 kbps = 1000 bit/s) per destination is shared
  equally by the threads *sending* on that link. A block keeps the share it started with; when threads
  join or leave a link, the blocks after the one in flight use the new share (a block starting at that
  very instant already does). Blocks that end at the instant of an outage or restart got through.
- Speed: with no listener and no log sink a transfer is one heap entry (its completion), re-planned
  only when the link's sharing changes; with either, one entry per block so that every block's log lines
  and timers appear at their time. Both give identical runs (block completions count as events either
  way); at one instant, block completions are handled first, by thread id, then everything else in the
  order it was scheduled.
- Heartbeat: a thread beats when it starts, connects, opens the file, writes each block and notices an
  error. Before SP4 it does not beat while it waits *Delay before retrying*; on waking, if
  ``now > last beat + time-out`` (strictly: exactly the time-out still works, as the KB's "more than"
  says) it logs ``Heartbeat is expired.`` and ``Can't re-establish the connection.``, gives up its
  remaining retries, and leaves its ``<request>.PCK`` registered as open on the destination when it had
  it open. From SP4 the waiting thread beats (every ``BEAT_INTERVAL_S``; shown by snapshots) and retries.
  The version that decides is the sending site's, as it was when the thread was created.
- Errors: a network outage fails an in-flight block at the outage start (``Cannot write to the remote
  file ..., Win32 error = 64.``, ERROR_NETNAME_DELETED; wording modelled on the verified error-32 line) and
  makes connects fail with ``Error during WNetAddConnection2 to \\\\<server>\\SMS_SITE (53).`` while it
  lasts. A create/open that meets a stale handle fails with Win32 error 32. All three are retryable.
  A server restart clears the open-file table and also fails blocks in flight (the session is reset).
- Retries exhausted: the request returns to pending. If the last failure was a connect failure the
  destination is skipped for one hour (``BUSY_SKIP_S``). The product adds "or until there are no active
  send requests"; with no requests at all there is nothing to skip, so only the hour is modelled.
- Re-offer: a request returned to pending (retries exhausted or heartbeat expired) is offered to the
  sender again by the Scheduler ``REOFFER_DELAY_S`` (10 minutes) later, logged as ``Restart time = ...``;
  on its return it queues behind requests already waiting at the same priority. A job that has been
  failing is abandoned (status failed) once it is ``ABANDON_AFTER_S`` (7 days) old.
- A running thread keeps the settings it started with (retries, delay). The concurrency limits are the
  main thread's and apply from the next dispatch after ``apply_settings``.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import math
from collections.abc import Callable, Iterable

from console.engine.events import (
    EngineEvent,
    LogEvent,
    RequestEvent,
    RequestStatus,
    RequestView,
    SiteEvent,
    ThreadEvent,
    ThreadState,
    ThreadView,
    TimerAction,
    TimerEvent,
    TimerKind,
)
from console.engine.log_format import COMPONENT, DEFAULT_ZONE, format_stamped_line, format_timestamp
from console.engine.request_ids import request_id
from console.model.scenario import FaultSpec, SendSpec, SiteSpec
from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

BLOCK_BYTES = 256 * 1024
BUSY_SKIP_S = 3600.0
REOFFER_DELAY_S = 600.0
ABANDON_AFTER_S = 7 * 86400.0
BEAT_INTERVAL_S = 60.0
MAIN_THREAD_ID = 188
FIRST_THREAD_ID = 200
ERROR_BAD_NETPATH = 53
ERROR_SHARING_VIOLATION = 32
ERROR_NETNAME_DELETED = 64

Listener = Callable[[EngineEvent], None]

# Heap entry kinds: (time, order, kind, obj, token). Entries whose token no longer matches are dropped.
# ``order`` is a global sequence number, except for transfer entries: they use a negative key per thread,
# so at one instant block completions come first, by thread id, then everything else in the order it was
# scheduled. The per-block and whole-transfer schedules then handle simultaneous events alike.
_BLOCK_ORDER_BASE = 1 << 40
_BLOCK, _WAKE, _SEND, _OUTAGE, _RESTART, _OUTAGE_END, _BUSY_END, _REOFFER, _ABANDON = range(9)


# The engine takes the scenario model's specs as they are: one definition of a destination, a planned
# send and a planned fault, whether they come from a scenario file, the site database or the GUI.
Destination = SiteSpec
PlannedSend = SendSpec
PlannedFault = FaultSpec


class _Dest:
    __slots__ = ("active", "busy_token", "busy_until", "bytes_per_s", "code", "down_until", "gkey", "open_files",
                 "outage_token", "queue", "sending", "server", "share", "threads", "version")

    def __init__(self, site: Site, link_kbps: int) -> None:
        self.code = site.code
        self.server = site.server
        self.share = f"\\\\{site.server}\\SMS_SITE"
        self.version = site.version
        self.bytes_per_s = link_kbps * 125.0
        self.down_until = -1.0
        self.outage_token = 0
        self.busy_until = -1.0
        self.busy_token = 0
        self.active = 0          # sending threads for this destination (any state)
        self.sending = 0         # threads moving data on the link now
        self.threads: list[_Thread] = []
        self.queue: list[tuple[int, int, _Request]] = []
        self.gkey: tuple[int, int] | None = None
        self.open_files: dict[str, int] = {}  # remote file name -> thread id that opened it


class _Request:
    __slots__ = ("abandon_armed", "connects", "delivered_at", "dest", "hb", "index", "package", "pck", "priority",
                 "queued", "queued_at", "reoffer_token", "restart_at", "rid", "size", "status", "sync", "thread")

    def __init__(self, index: int, rid: str, package: str, dest: _Dest, size: int, priority: int, now: float) -> None:
        self.index = index
        self.rid = rid
        self.package = package
        self.dest = dest
        self.size = size
        self.priority = priority
        self.pck = f"{dest.share}\\{rid}.PCK"
        self.status = RequestStatus.NONE
        self.sync = 0
        self.connects = 0
        self.hb: float | None = None
        self.queued_at = now
        self.delivered_at: float | None = None
        self.restart_at: float | None = None
        self.reoffer_token = 0
        self.abandon_armed = False
        self.queued = False
        self.thread: _Thread | None = None


class _Thread:
    __slots__ = ("beats_waiting", "block_bytes", "block_end", "block_start", "dest", "fast", "file_open", "hb",
                 "last_connect_failed", "order", "phase_start", "req", "retries_used", "retry_at", "seg_pos0",
                 "seg_rate", "seg_t0", "settings", "state", "tid", "token")

    def __init__(self, tid: int, req: _Request, settings: SenderSettings, beats_waiting: bool, now: float) -> None:
        self.tid = tid
        self.order = tid - _BLOCK_ORDER_BASE
        self.req = req
        self.dest = req.dest
        self.settings = settings
        self.beats_waiting = beats_waiting
        self.state = ThreadState.STARTED
        self.phase_start = now
        self.hb = now
        self.retries_used = 0
        self.retry_at: float | None = None
        self.block_end: float | None = None
        self.block_start = now
        self.block_bytes = 0
        self.fast = False
        # The transfer segment: from time seg_t0 and byte seg_pos0 on, byte P is written by
        # seg_t0 + (P - seg_pos0) * seg_rate. Every block end is computed with this one formula, so
        # the per-block and the whole-transfer schedules give bit-identical times.
        self.seg_t0 = now
        self.seg_pos0 = 0
        self.seg_rate = 0.0
        self.file_open = False
        self.last_connect_failed = False
        self.token = 0


class SenderEngine:
    def __init__(self, sending_site: Site, destinations: Iterable[Destination], settings: SenderSettings, *,
                 start: _dt.datetime | None = None, heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN,
                 sends: Iterable[PlannedSend] = (), faults: Iterable[PlannedFault] = (),
                 end_s: float | None = None, zone: str = DEFAULT_ZONE,
                 log_sink: Callable[[str], None] | None = None) -> None:
        self.sending_site = sending_site
        self.start = start or _dt.datetime(2001, 3, 14, 9, 0, 0)
        self.zone = zone
        self.end_s = end_s
        self._destinations = tuple(destinations)
        self._initial_settings = settings
        self._initial_timeout_min = heartbeat_timeout_min
        self._planned_sends = tuple(sends)
        self._planned_faults = tuple(faults)
        self._listeners: list[Listener] = []
        self._log_sink = log_sink
        self._reset_state()

    # -- set-up ---------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self.now = 0.0
        self.settings = self._initial_settings
        self.heartbeat_timeout_s = self._initial_timeout_min * 60.0
        self.sending_version: SiteVersion = self.sending_site.version
        self.events_handled = 0
        self.lines_written = 0
        self._stamp_at = -1.0
        self._stamp = ""
        self._heap: list[tuple[float, int, int, object, int]] = []
        self._seq = 0
        self._gheap: list[tuple[int, int, _Dest]] = []
        self._order = 0
        self._next_tid = FIRST_THREAD_ID
        self._active = 0
        self._threads: dict[int, _Thread] = {}
        self._requests: list[_Request] = []
        self._idle_logged = True
        self._dests: dict[str, _Dest] = {}
        for d in self._destinations:
            if d.site.code == self.sending_site.code:
                raise ValueError(f"site {d.site.code} is the sending site; it cannot also be a destination")
            if d.site.code in self._dests:
                raise ValueError(f"destination {d.site.code} appears twice")
            self._dests[d.site.code] = _Dest(d.site, d.link_kbps)
        for s in self._planned_sends:
            self._check_send(s.package, s.dest, s.size_bytes, s.priority)
            self._push(s.at_s, _SEND, s, 0)
        for f in self._planned_faults:
            self._dest(f.dest)
            if f.kind == "network":
                self._push(f.at_s, _OUTAGE, f, 0)
            elif f.kind == "restart":
                self._push(f.at_s, _RESTART, f, 0)
            else:
                raise ValueError(f"unknown fault kind {f.kind!r}; expected network or restart")

    def reset(self) -> None:
        """Back to t = 0 with the planned sends and faults and the initial settings; listeners stay.

        A log sink keeps receiving lines (their clock starts again), as a restarted service appends.
        """
        self._reset_state()

    # -- observers and log ----------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        self._listeners.append(listener)
        self._go_per_block()

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def set_log_sink(self, sink: Callable[[str], None] | None) -> None:
        """Where formatted Sender.log lines go (e.g. ``SenderLogFile.write_line``); None to stop."""
        self._log_sink = sink
        if sink is not None:
            self._go_per_block()

    def _emit(self, event: EngineEvent) -> None:
        for listener in tuple(self._listeners):
            listener(event)

    def _log(self, tid: int, text: str) -> None:
        if self._log_sink is None and not self._listeners:
            return
        if self.now != self._stamp_at:
            self._stamp_at = self.now
            self._stamp = format_timestamp(self.start + _dt.timedelta(seconds=self.now), self.zone)
        line = format_stamped_line(text, self._stamp, tid, COMPONENT)
        self.lines_written += 1
        if self._log_sink is not None:
            self._log_sink(line)
        if self._listeners:
            self._emit(LogEvent(self.now, tid, text, line))

    def _timer(self, action: TimerAction, kind: TimerKind, deadline: float, dest: str,
               th: _Thread | None = None, req: _Request | None = None) -> None:
        if req is None and th is not None:
            req = th.req
        self._emit(TimerEvent(self.now, action, kind, deadline, dest, th.tid if th else None,
                              req.rid if req else None))

    def _set_thread_state(self, th: _Thread, state: ThreadState) -> None:
        th.state = state
        th.phase_start = self.now
        if self._listeners:
            self._emit(ThreadEvent(self.now, th.tid, th.req.rid, th.dest.code, state))

    def _set_status(self, req: _Request, status: RequestStatus) -> None:
        req.status = status
        if self._listeners:
            self._emit(RequestEvent(self.now, req.rid, req.dest.code, status, req.sync, req.connects))

    @property
    def clock(self) -> _dt.datetime:
        """The simulated wall clock: ``start + now``."""
        return self.start + _dt.timedelta(seconds=self.now)

    # -- the event loop -------------------------------------------------------------------------

    def _push(self, t: float, kind: int, obj: object, token: int) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (t, self._seq, kind, obj, token))

    def _live(self, kind: int, obj: object, token: int) -> bool:
        if kind <= _WAKE:
            return obj.token == token  # type: ignore[attr-defined]
        if kind == _OUTAGE_END:
            return obj.outage_token == token  # type: ignore[attr-defined]
        if kind == _BUSY_END:
            return obj.busy_token == token  # type: ignore[attr-defined]
        if kind == _REOFFER:
            return obj.reoffer_token == token  # type: ignore[attr-defined]
        return True

    def next_event_time(self) -> float | None:
        """Virtual time of the next live event, or None when nothing is scheduled."""
        heap = self._heap
        while heap:
            _t, _s, kind, obj, token = heap[0]
            if self._live(kind, obj, token):
                return heap[0][0]
            heapq.heappop(heap)
        return None

    def advance_to(self, t: float) -> int:
        """Handle every event with time <= t, then set ``now = t``. Returns the number of events handled."""
        if t < self.now:
            raise ValueError(f"cannot go back in time: now is {self.now:g} s, asked for {t:g} s")
        handled = self._process(t)
        self.now = t
        return handled

    def _process(self, t: float) -> int:
        before = self.events_handled
        heap = self._heap
        pop = heapq.heappop
        while heap and heap[0][0] <= t:
            when, _s, kind, obj, token = pop(heap)
            if kind <= _WAKE:
                if obj.token != token:  # type: ignore[attr-defined]
                    continue
                self.now = when
                if kind == _BLOCK:
                    self._on_block(obj)  # type: ignore[arg-type]
                else:
                    self.events_handled += 1
                    self._on_wake(obj)  # type: ignore[arg-type]
            else:
                if not self._live(kind, obj, token):
                    continue
                self.now = when
                self.events_handled += 1
                self._handle_other(kind, obj)
        return self.events_handled - before

    def run_until(self, t: float) -> int:
        return self.advance_to(t)

    def run(self) -> int:
        """Run to ``end_s`` when set, otherwise until no event is left (``now`` is then the last event's time).

        Every loop ends: a failing job is abandoned after 7 days.
        """
        if self.end_s is not None:
            return self.advance_to(max(self.end_s, self.now))
        return self._process(math.inf)

    def _handle_other(self, kind: int, obj: object) -> None:
        if kind == _SEND:
            s: PlannedSend = obj  # type: ignore[assignment]
            self.queue_send(s.package, s.dest, s.size_bytes, s.priority)
        elif kind == _OUTAGE:
            f: PlannedFault = obj  # type: ignore[assignment]
            self.inject_outage(f.dest, f.duration_s)
        elif kind == _RESTART:
            self.restart_server(obj.dest)  # type: ignore[attr-defined]
        elif kind == _OUTAGE_END:
            d: _Dest = obj  # type: ignore[assignment]
            if self._listeners:
                self._timer(TimerAction.FIRED, TimerKind.OUTAGE_END, self.now, d.code)
                self._emit(SiteEvent(self.now, d.code, "link up"))
        elif kind == _BUSY_END:
            d = obj  # type: ignore[assignment]
            if self._listeners:
                self._timer(TimerAction.FIRED, TimerKind.BUSY_SITE_SKIP, self.now, d.code)
                self._emit(SiteEvent(self.now, d.code, "not busy"))
            self._offer(d)
            self._dispatch()
        elif kind == _REOFFER:
            req: _Request = obj  # type: ignore[assignment]
            if self._listeners:
                self._timer(TimerAction.FIRED, TimerKind.REOFFER, self.now, req.dest.code, req=req)
            req.restart_at = None
            self._enqueue(req)
            self._dispatch()
        elif kind == _ABANDON:
            req = obj  # type: ignore[assignment]
            if self._listeners:
                self._timer(TimerAction.FIRED, TimerKind.ABANDON, self.now, req.dest.code, req=req)
            if req.thread is None and req.status is not RequestStatus.OK:
                self._abandon(req)

    # -- run-time actions -----------------------------------------------------------------------

    def _dest(self, code: str) -> _Dest:
        d = self._dests.get(str(code).upper())
        if d is None:
            known = ", ".join(self._dests) or "none"
            raise KeyError(f"no destination site {code!r} (known: {known})")
        return d

    def _check_send(self, package: str, dest: str, size_bytes: int, priority: int) -> None:
        self._dest(dest)
        if not package:
            raise ValueError("package ID must not be empty")
        if size_bytes <= 0:
            raise ValueError(f"size must be positive; got {size_bytes}")
        if priority not in (1, 2, 3):
            raise ValueError(f"priority must be 1 (high), 2 (medium) or 3 (low); got {priority}")

    def queue_send(self, package: str, dest: str, size_bytes: int, priority: int = 2) -> str:
        """A new send request in the outbox now; returns its ID (e.g. ``2_001PRI``)."""
        self._check_send(package, dest, size_bytes, priority)
        d = self._dest(dest)
        index = len(self._requests)
        req = _Request(index, request_id(priority, index + 1, self.sending_site.code), package, d, size_bytes,
                       priority, self.now)
        self._requests.append(req)
        if self._listeners:
            self._emit(RequestEvent(self.now, req.rid, d.code, req.status, 0, 0))
        self._enqueue(req)
        self._dispatch()
        return req.rid

    def inject_outage(self, dest: str, duration_s: float) -> None:
        """The link to ``dest`` goes down now for ``duration_s``: blocks in flight fail, connects fail."""
        if duration_s <= 0:
            raise ValueError(f"outage duration must be positive; got {duration_s}")
        d = self._dest(dest)
        until = self.now + duration_s
        if until > d.down_until:
            if self._listeners and d.down_until > self.now:
                self._timer(TimerAction.CANCELLED, TimerKind.OUTAGE_END, d.down_until, d.code)
            d.down_until = until
            d.outage_token += 1
            self._push(until, _OUTAGE_END, d, d.outage_token)
            if self._listeners:
                self._emit(SiteEvent(self.now, d.code, "outage", until))
                self._timer(TimerAction.SET, TimerKind.OUTAGE_END, until, d.code)
        for th in [t for t in d.threads if t.state is ThreadState.SENDING]:
            self._break_transfer(th)

    def restart_server(self, dest: str) -> None:
        """The destination's server restarts now: its open-file table is cleared, sessions drop."""
        d = self._dest(dest)
        d.open_files.clear()
        if self._listeners:
            self._emit(SiteEvent(self.now, d.code, "restart"))
        for th in list(d.threads):
            if th.state is ThreadState.SENDING:
                self._break_transfer(th)
            th.file_open = False

    def apply_settings(self, settings: SenderSettings) -> None:
        """New Standard Sender settings: new threads get them; running threads keep theirs."""
        self.settings = settings
        for d in self._dests.values():
            self._offer(d)
        self._dispatch()

    def set_site_version(self, code: str, version: SiteVersion) -> None:
        """Change a site's SMS version (an upgrade). For the sending site it decides new threads' heartbeat."""
        code = str(code).upper()
        if code == self.sending_site.code:
            self.sending_version = version
        else:
            self._dest(code).version = version
        if self._listeners:
            self._emit(SiteEvent(self.now, code, "version"))

    # -- the main sender thread -----------------------------------------------------------------

    def _enqueue(self, req: _Request) -> None:
        self._order += 1
        req.queued = True
        heapq.heappush(req.dest.queue, (req.priority, self._order, req))
        self._offer(req.dest)

    def _eligible(self, d: _Dest) -> bool:
        return d.busy_until <= self.now and d.active < self.settings.per_site

    def _offer(self, d: _Dest) -> None:
        """Make sure the global candidate heap holds this destination's best request, if it may send."""
        q = d.queue
        while q and not q[0][2].queued:
            heapq.heappop(q)
        if not q or not self._eligible(d):
            return
        key = (q[0][0], q[0][1])
        if d.gkey != key:
            d.gkey = key
            heapq.heappush(self._gheap, (key[0], key[1], d))

    def _dispatch(self) -> None:
        gheap = self._gheap
        pop = heapq.heappop
        found = False
        while gheap and self._active < self.settings.all_sites:
            prio, order, d = gheap[0]
            pop(gheap)
            if d.gkey != (prio, order):
                continue
            d.gkey = None
            q = d.queue
            while q and not q[0][2].queued:
                pop(q)
            if not q or not self._eligible(d):
                continue
            if q[0][1] != order:
                self._offer(d)
                continue
            req = pop(q)[2]
            req.queued = False
            found = True
            self._start_thread(req)
            self._offer(d)
        if found:
            self._idle_logged = False
        elif not gheap and not self._idle_logged:
            self._idle_logged = True
            self._log(MAIN_THREAD_ID, "No (more) send requests found to process.")

    def _start_thread(self, req: _Request) -> None:
        d = req.dest
        logging = self._log_sink is not None or bool(self._listeners)
        if logging:
            self._log(MAIN_THREAD_ID, f"Found send request. ID: {req.rid}, Dest Site: {d.code}")
            self._log(MAIN_THREAD_ID, f"Checking for site-specific sending capacity.  Used {d.active} out of "
                                      f"{self.settings.per_site}.")
        tid = self._next_tid
        self._next_tid += 1
        th = _Thread(tid, req, self.settings, self.sending_version.fixes_q278357, self.now)
        self._threads[tid] = th
        d.threads.append(th)
        d.active += 1
        self._active += 1
        req.thread = th
        if logging:
            self._log(MAIN_THREAD_ID, f"Created sending thread (Thread ID = {tid})")
        if self._listeners:
            self._emit(ThreadEvent(self.now, tid, req.rid, d.code, ThreadState.STARTED))
        self._set_status(req, RequestStatus.STARTED)
        req.hb = self.now
        self._attempt(th)

    # -- a sending thread -----------------------------------------------------------------------

    def _attempt(self, th: _Thread) -> None:
        """Connect, create/open the remote file and start sending from the sync point."""
        req, d, tid = th.req, th.dest, th.tid
        logging = self._log_sink is not None or bool(self._listeners)
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
                self._log(tid, f"Cannot create/open the remote file {req.pck}, Win32 error = "
                               f"{ERROR_SHARING_VIOLATION}.")
            self._fail(th, connect=False)
            return
        d.open_files[req.pck] = tid
        th.file_open = True
        if logging:
            self._log(tid, f"Created/opened the remote file {req.pck}")
            if req.sync == 0:
                self._log(tid, f"Sending Started [{self._local_file(req)}]")
        self._set_thread_state(th, ThreadState.SENDING)
        self._set_status(req, RequestStatus.SENDING)
        d.sending += 1
        th.seg_t0 = self.now
        th.seg_pos0 = req.sync
        th.seg_rate = d.sending / d.bytes_per_s
        self._schedule_transfer(th)
        self._sharing_changed(d, th)

    def _local_file(self, req: _Request) -> str:
        return f"C:\\SMS\\inboxes\\schedule.box\\tosend\\{req.index + 1:08X}.PPT"

    # Transfers. With no log sink and no listener a thread has one heap entry for its whole transfer
    # ("fast"); otherwise one per block, so that each block's lines and timers appear at their time.
    # Bandwidth rule (both modes): a block keeps the share it started with; when the number of threads
    # sending on a link changes, the blocks after the one in flight use the new share, and a block that
    # starts at that very instant (or ends at it) counts as starting after the change. A block that ends
    # exactly when an outage or restart hits has been written.

    def _logging(self) -> bool:
        return self._log_sink is not None or bool(self._listeners)

    def _end_at(self, th: _Thread, pos: int) -> float:
        return th.seg_t0 + (pos - th.seg_pos0) * th.seg_rate

    def _schedule_transfer(self, th: _Thread) -> None:
        """The next heap entry for a sending thread whose written bytes are ``req.sync``, at ``now``."""
        req = th.req
        pos = req.sync
        n = req.size - pos
        if n > BLOCK_BYTES:
            n = BLOCK_BYTES
        th.block_bytes = n
        th.block_start = th.seg_t0 + (pos - th.seg_pos0) * th.seg_rate
        end = th.seg_t0 + (pos + n - th.seg_pos0) * th.seg_rate
        th.block_end = end
        self._seq += 1
        if self._log_sink is None and not self._listeners:
            th.fast = True
            heapq.heappush(self._heap, (self._end_at(th, req.size), th.order, _BLOCK, th, th.token))
            return
        th.fast = False
        heapq.heappush(self._heap, (end, th.order, _BLOCK, th, th.token))
        if th.block_start == self.now:
            self._log(th.tid, f"Attempt to write {n} bytes to {req.pck} at position {pos}")
        if self._listeners:
            self._timer(TimerAction.SET, TimerKind.TRANSFER, end, th.dest.code, th)

    def _written_by_now(self, th: _Thread) -> int:
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

    def _catch_up(self, th: _Thread) -> None:
        """Bring a fast thread's sync point, heartbeat and block counters up to ``now``."""
        req = th.req
        pos = self._written_by_now(th)
        if pos > req.sync:
            self.events_handled += -(-(pos - req.sync) // BLOCK_BYTES)
            req.sync = pos
            th.hb = req.hb = self._end_at(th, pos)
        n = req.size - pos
        th.block_bytes = BLOCK_BYTES if n > BLOCK_BYTES else n
        if pos >= th.seg_pos0:
            th.block_start = self._end_at(th, pos)
        # else: the block in flight began under the previous segment; its start stays as recorded
        th.block_end = self._end_at(th, pos + th.block_bytes)

    def _go_per_block(self) -> None:
        """A log sink or listener arrived: give every fast transfer a heap entry per block from now on."""
        for th in list(self._threads.values()):
            if th.state is ThreadState.SENDING and th.fast:
                self._catch_up(th)
                th.token += 1
                th.fast = False
                self._seq += 1
                heapq.heappush(self._heap, (th.block_end, th.order, _BLOCK, th, th.token))

    def _sharing_changed(self, d: _Dest, changed: _Thread) -> None:
        """The number of threads sending on ``d`` changed now: re-plan the other transfers on the link."""
        rate = d.sending / d.bytes_per_s if d.sending else 0.0
        now = self.now
        for o in d.threads:
            if o is changed or o.state is not ThreadState.SENDING:
                continue
            if o.fast:
                self._catch_up(o)
                done, start = o.req.sync, o.block_start
            elif o.block_end <= now:  # type: ignore[operator]  # its completion is due now, not yet handled
                done, start = o.req.sync + o.block_bytes, o.block_end
            else:
                done, start = o.req.sync, o.block_start
            if start >= now:
                # A block starts now: it (and every later one) gets the new share.
                o.seg_t0, o.seg_pos0, o.seg_rate = now, done, rate
                if o.fast:
                    o.token += 1
                    self._reschedule(o)
                elif o.block_start >= now:
                    o.token += 1
                    if self._listeners:
                        self._timer(TimerAction.CANCELLED, TimerKind.TRANSFER, o.block_end, d.code, o)  # type: ignore[arg-type]
                    self._reschedule(o)
                # else: the due completion schedules the next block from the new segment
            else:
                # The block in flight keeps its end; the blocks after it use the new share.
                o.seg_t0, o.seg_pos0, o.seg_rate = o.block_end, o.req.sync + o.block_bytes, rate  # type: ignore[assignment]
                if o.fast:
                    o.token += 1
                    self._reschedule(o)

    def _reschedule(self, th: _Thread) -> None:
        if th.fast:
            self._seq += 1
            heapq.heappush(self._heap, (self._end_at(th, th.req.size), th.order, _BLOCK, th, th.token))
            return
        end = self._end_at(th, th.req.sync + th.block_bytes)
        th.block_start = self.now
        th.block_end = end
        self._seq += 1
        heapq.heappush(self._heap, (end, th.order, _BLOCK, th, th.token))
        if self._listeners:
            self._timer(TimerAction.SET, TimerKind.TRANSFER, end, th.dest.code, th)

    def _on_block(self, th: _Thread) -> None:
        req = th.req
        if th.fast:
            self.events_handled += -(-(req.size - req.sync) // BLOCK_BYTES)
            req.sync = req.size
            th.hb = req.hb = self.now
            self._finish(th, False)
            return
        self.events_handled += 1
        self._block_written(th)
        if req.sync < req.size:
            self._schedule_transfer(th)
        else:
            self._finish(th, self._logging())

    def _block_written(self, th: _Thread) -> None:
        req = th.req
        n = th.block_bytes
        pos = req.sync
        req.sync = pos + n
        th.hb = req.hb = self.now
        if self._listeners:
            self._timer(TimerAction.FIRED, TimerKind.TRANSFER, self.now, th.dest.code, th)
        if self._log_sink is not None or self._listeners:
            self._log(th.tid, f"Wrote {n} bytes to {req.pck} at position {pos}")

    def _finish(self, th: _Thread, logging: bool) -> None:
        req, d, tid = th.req, th.dest, th.tid
        th.block_end = None
        d.sending -= 1
        self._sharing_changed(d, th)
        self._set_thread_state(th, ThreadState.FINISHING)
        if logging:
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

    def _break_transfer(self, th: _Thread) -> None:
        """The block in flight fails now (outage start or server restart); one that ends now got through."""
        req = th.req
        if th.fast:
            self._catch_up(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th, False)
                return
        elif th.block_end is not None and th.block_end <= self.now:
            self.events_handled += 1
            self._block_written(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th, self._logging())
                return
        th.token += 1
        th.dest.sending -= 1
        if self._listeners and th.block_end is not None and not th.fast:
            self._timer(TimerAction.CANCELLED, TimerKind.TRANSFER, th.block_end, th.dest.code, th)
        th.block_end = None
        self._sharing_changed(th.dest, th)
        self._log(th.tid, f"Cannot write to the remote file {req.pck}, Win32 error = {ERROR_NETNAME_DELETED}.")
        self._fail(th, connect=False)

    def _fail(self, th: _Thread, *, connect: bool) -> None:
        """A retryable error: wait and retry, or give the request back when the retries are used up."""
        req, d = th.req, th.dest
        th.hb = req.hb = self.now  # the thread is awake when it notices the error
        th.last_connect_failed = connect
        self._set_status(req, RequestStatus.ERROR)
        if th.retries_used < th.settings.retries:
            self._log(th.tid, "Operation is retryable.")
            at = self.now + th.settings.retry_delay_min * 60.0
            th.retry_at = at
            self._set_thread_state(th, ThreadState.RETRY_WAIT)
            self._seq += 1
            heapq.heappush(self._heap, (at, self._seq, _WAKE, th, th.token))
            if self._listeners:
                self._timer(TimerAction.SET, TimerKind.RETRY_WAIT, at, d.code, th)
                if not th.beats_waiting:
                    self._timer(TimerAction.SET, TimerKind.HEARTBEAT_TIMEOUT, th.hb + self.heartbeat_timeout_s,
                                d.code, th)
            return
        if connect:
            self._log(th.tid, f"Cannot connect to server \\\\{d.server} at remote site {d.code}, won't try send "
                              f"requests going to site {d.code} for an hour or until there are no active send "
                              f"requests.")
            self._log(th.tid, "No need to disconnect")
            d.busy_until = self.now + BUSY_SKIP_S
            d.busy_token += 1
            self._push(d.busy_until, _BUSY_END, d, d.busy_token)
            if self._listeners:
                self._emit(SiteEvent(self.now, d.code, "busy", d.busy_until))
                self._timer(TimerAction.SET, TimerKind.BUSY_SITE_SKIP, d.busy_until, d.code)
        if th.file_open and d.open_files.get(req.pck) == th.tid:
            del d.open_files[req.pck]
        th.file_open = False
        self._to_pending(th)

    def _on_wake(self, th: _Thread) -> None:
        d = th.dest
        th.retries_used += 1
        th.retry_at = None
        if self._listeners:
            self._timer(TimerAction.FIRED, TimerKind.RETRY_WAIT, self.now, d.code, th)
        if th.beats_waiting:
            th.hb = th.req.hb = self.now
        else:
            deadline = th.hb + self.heartbeat_timeout_s
            if self.now > deadline:
                if self._listeners:
                    self._timer(TimerAction.FIRED, TimerKind.HEARTBEAT_TIMEOUT, deadline, d.code, th)
                self._log(th.tid, "Heartbeat is expired.")
                self._log(th.tid, "Can't re-establish the connection.")
                # The remote .PCK stays registered as open: the stale handle of KB Q278357.
                th.file_open = False
                self._to_pending(th)
                return
            if self._listeners:
                self._timer(TimerAction.CANCELLED, TimerKind.HEARTBEAT_TIMEOUT, deadline, d.code, th)
        self._attempt(th)

    def _to_pending(self, th: _Thread) -> None:
        req = th.req
        self._exit(th)
        if self.now - req.queued_at >= ABANDON_AFTER_S:
            self._abandon(req)
            self._dispatch()
            return
        req.restart_at = self.now + REOFFER_DELAY_S
        req.reoffer_token += 1
        self._push(req.restart_at, _REOFFER, req, req.reoffer_token)
        if self._log_sink is not None or self._listeners:
            when = self.start + _dt.timedelta(seconds=req.restart_at)
            self._log(th.tid, f"Restart time = {when:%m/%d/%y %H:%M:%S} {self.zone}")
            if self._listeners:
                self._timer(TimerAction.SET, TimerKind.REOFFER, req.restart_at, req.dest.code, req=req)
        if not req.abandon_armed:
            req.abandon_armed = True
            self._push(req.queued_at + ABANDON_AFTER_S, _ABANDON, req, 0)
            if self._listeners:
                self._timer(TimerAction.SET, TimerKind.ABANDON, req.queued_at + ABANDON_AFTER_S, req.dest.code,
                            req=req)
        self._dispatch()

    def _abandon(self, req: _Request) -> None:
        req.queued = False
        req.restart_at = None
        req.reoffer_token += 1
        self._set_status(req, RequestStatus.CANCELLED)

    def _exit(self, th: _Thread) -> None:
        d = th.dest
        th.token += 1
        self._set_thread_state(th, ThreadState.EXITED)
        del self._threads[th.tid]
        d.threads.remove(th)
        d.active -= 1
        self._active -= 1
        th.req.thread = None
        self._offer(d)

    # -- snapshots ------------------------------------------------------------------------------

    def _catch_up_all(self) -> None:
        for th in self._threads.values():
            if th.fast and th.state is ThreadState.SENDING:
                self._catch_up(th)

    def threads(self) -> list[ThreadView]:
        """Every live sending thread, oldest first."""
        self._catch_up_all()
        out = []
        for th in self._threads.values():
            hb = th.hb
            if th.beats_waiting and th.state is ThreadState.RETRY_WAIT:
                hb = th.hb + ((self.now - th.hb) // BEAT_INTERVAL_S) * BEAT_INTERVAL_S
            out.append(ThreadView(th.tid, th.req.rid, th.dest.code, th.state, th.phase_start, hb,
                                  hb + self.heartbeat_timeout_s, th.beats_waiting, th.retry_at, th.block_end,
                                  th.retries_used, th.req.sync, th.req.size, th.settings))
        return out

    def requests(self) -> list[RequestView]:
        """The outbox as Dumpsend would show it, in the order the requests arrived."""
        self._catch_up_all()
        return [RequestView(r.rid, r.package, r.dest.code, r.priority, r.status, r.size, r.size - r.sync, r.sync,
                            r.connects, r.hb, r.connects, r.queued_at, r.delivered_at, r.restart_at,
                            r.thread.tid if r.thread else None) for r in self._requests]

    def open_files(self, dest: str) -> dict[str, int]:
        """The destination's open-file table: remote file -> id of the thread that opened it."""
        return dict(self._dest(dest).open_files)

    def link_down_until(self, dest: str) -> float | None:
        d = self._dest(dest)
        return d.down_until if d.down_until > self.now else None

    def busy_until(self, dest: str) -> float | None:
        d = self._dest(dest)
        return d.busy_until if d.busy_until > self.now else None

    @property
    def active_threads(self) -> int:
        return self._active

    def summary(self, scenario: str = "") -> dict[str, object]:
        """The JSON summary of DESIGN.md §4."""
        self._catch_up_all()
        return {
            "scenario": scenario,
            "events": self.events_handled,
            "sim_seconds": self.now,
            "sends": [{"request_id": r.rid, "package": r.package, "dest": r.dest.code,
                       "status": r.status.summary, "delivered_s": r.delivered_at, "attempts": r.connects,
                       "bytes_sent": r.sync, "size": r.size} for r in self._requests],
        }
