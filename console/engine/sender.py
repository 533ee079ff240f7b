"""The SMS 2.0 Standard Sender as a deterministic discrete-event simulation (DESIGN.md §1, §3; research §3-§5).

One ``SenderEngine`` is the sending site's Standard Sender: a main thread that takes send requests from
the outbox (highest priority first, then first in, first out) within the two concurrency limits, and
one sending thread per request that connects to ``\\\\<server>\\SMS_SITE``, creates/opens
``<request>.PCK``, writes it in 256 KB blocks, finishes the instruction file and exits.

Driving it: ``advance_to(t)`` handles every event with time <= t and then sets ``now = t`` (a real-time
driver calls it from a timer); ``run_until(t)``/``run()`` do the same as fast as possible;
``next_event_time()`` is "run to the next event". The engine never reads the wall clock.

Observers: ``subscribe(listener, kinds=None)`` receives the immutable events of ``console.engine.events``
synchronously, only of the kinds asked for (event classes and/or ``TimerKind`` members; None: all). An event
is built only when some listener asked for its kind, and a log line only when a log sink or a ``LogEvent``
listener is there.

Counting: ``events_handled`` is the number of heap entries that did work (an arrival, a fault, a block or
whole-transfer completion, a retry wake, an outage or busy-skip end, a re-offer, a 7-day timer); entries
made stale by a re-plan are dropped without counting. ``blocks_written`` counts 256 KB blocks (the last one
of a package may be shorter) however they were scheduled. So the same run handles more events when it is
watched block by block than when it is not (see Speed below); the outcome is the same.

Modelling choices marked VERIFIED in research/sms-sender.md are followed; these are INFERRED here:
- Time: connecting and opening take no time; the instruction file (.TMP renamed to .SNI) is written at
  once after the last block. Bandwidth: ``link_kbps`` (1 kbps = 1000 bit/s) per destination is shared
  equally by the threads *sending* on that link. A block keeps the share it started with; when threads
  join or leave a link, the blocks after the one in flight use the new share (a block starting at that
  very instant already does). Blocks that end at the instant of an outage or restart got through.
- Speed: unless a log sink, a ``LogEvent`` listener or a ``TRANSFER`` timer listener is there, a transfer
  is one heap entry (its completion), re-planned only when the link's sharing changes; with one of them,
  one entry per block so that every block's log lines and timers appear at their time. Both give
  identical runs; at one instant, block completions are handled first, by thread id, then everything else
  in the order it was scheduled.
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
  sender again by the Scheduler ``REOFFER_DELAY_S`` (10 minutes) later; on its return it queues behind
  requests already waiting at the same priority. ``Restart time = ...`` logs when it will really be tried
  next as far as is known then: the re-offer, or the end of its destination's busy-site skip when that is
  later (a skip that starts afterwards, or full thread limits, can still delay it). A job that has been
  failing is abandoned (status failed) once it is ``ABANDON_AFTER_S`` (7 days) old.
- A running thread keeps the settings it started with (retries, delay). The concurrency limits are the
  main thread's and apply from the next dispatch after ``apply_settings``.
- Log timestamps: the simulated clock is a local clock; each line prints the zone name of its moment by the
  US daylight-time rule (``console.engine.time_zones``), e.g. ``Eastern Daylight Time`` in July.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import math
from collections.abc import Callable, Iterable

from console.engine.events import (
    EVENT_CLASSES,
    EngineEvent,
    EventKinds,
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
from console.engine.log_clock import LogClock
from console.engine.log_format import COMPONENT, format_stamped_line
from console.engine.request_ids import request_id
from console.engine.time_zones import UsTimeZone
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
_new = tuple.__new__  # builds an event without the NamedTuple's Python-level __new__ (hot paths only)

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
    __slots__ = (
        "active",
        "busy_token",
        "busy_until",
        "bytes_per_s",
        "code",
        "down_until",
        "gkey",
        "open_files",
        "outage_token",
        "queue",
        "sending",
        "server",
        "share",
        "threads",
        "version",
    )

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
        self.active = 0  # sending threads for this destination (any state)
        self.sending = 0  # threads moving data on the link now
        self.threads: list[_Thread] = []
        self.queue: list[tuple[int, int, _Request]] = []
        self.gkey: tuple[int, int] | None = None
        self.open_files: dict[str, int] = {}  # remote file name -> thread id that opened it


class _Request:
    __slots__ = (
        "abandon_armed",
        "connects",
        "delivered_at",
        "dest",
        "hb",
        "index",
        "package",
        "pck",
        "priority",
        "queued",
        "queued_at",
        "reoffer_token",
        "restart_at",
        "rid",
        "size",
        "status",
        "sync",
        "thread",
    )

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
    __slots__ = (
        "beats_waiting",
        "block_bytes",
        "block_end",
        "block_start",
        "dest",
        "fast",
        "file_open",
        "hb",
        "order",
        "phase_start",
        "req",
        "retries_used",
        "retry_at",
        "seg_pos0",
        "seg_rate",
        "seg_t0",
        "settings",
        "state",
        "tid",
        "token",
    )

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
        self.token = 0


class SenderEngine:
    def __init__(
        self,
        sending_site: Site,
        destinations: Iterable[Destination],
        settings: SenderSettings,
        *,
        start: _dt.datetime | None = None,
        heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN,
        sends: Iterable[PlannedSend] = (),
        faults: Iterable[PlannedFault] = (),
        end_s: float | None = None,
        zone: UsTimeZone | str = "Eastern",
        log_sink: Callable[[str], None] | None = None,
    ) -> None:
        """``zone``: the US zone family whose Standard/Daylight name the log prints (a base name such as
        ``"Pacific"`` or a full name such as ``"Pacific Standard Time"``; the season decides the word)."""
        self.sending_site = sending_site
        self.start = start or _dt.datetime(2001, 3, 14, 9, 0, 0)
        self.zone = zone if isinstance(zone, UsTimeZone) else UsTimeZone.parse(zone)
        self.log_clock = LogClock(self.start, self.zone)
        self.end_s = end_s
        self._destinations = tuple(destinations)
        self._initial_settings = settings
        self._initial_timeout_min = heartbeat_timeout_min
        self._planned_sends = tuple(sends)
        self._planned_faults = tuple(faults)
        self._subscriptions: list[tuple[Listener, frozenset[type | TimerKind]]] = []
        self._log_sink = log_sink
        self._rewire()
        self._reset_state()

    # -- set-up ---------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self.now = 0.0
        self.settings = self._initial_settings
        self.heartbeat_timeout_s = self._initial_timeout_min * 60.0
        self.sending_version: SiteVersion = self.sending_site.version
        self.events_handled = 0
        self.blocks_written = 0
        self.lines_written = 0
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

    def subscribe(self, listener: Listener, kinds: EventKinds | None = None) -> Callable[[], None]:
        """Call ``listener(event)`` for every event of ``kinds`` (default: all); returns an unsubscribe function.

        ``kinds`` holds event classes (``LogEvent``; ``TimerEvent`` for every timer) and ``TimerKind`` members
        (``TimerKind.RETRY_WAIT``: those timers only). Fewer kinds make a watched run cheaper: without a
        ``LogEvent`` or ``TRANSFER`` listener (and no log sink) transfers stay one heap entry each.
        """
        wanted = self._check_kinds(kinds)
        entry = (listener, wanted)
        self._subscriptions.append(entry)
        self._rewire()

        def unsubscribe() -> None:
            if entry in self._subscriptions:
                self._subscriptions.remove(entry)
                self._rewire()

        return unsubscribe

    @staticmethod
    def _check_kinds(kinds: EventKinds | None) -> frozenset[type | TimerKind]:
        if kinds is None:
            return frozenset((*EVENT_CLASSES, *TimerKind))
        wanted: set[type | TimerKind] = set()
        for k in kinds:
            if k is TimerEvent:
                wanted.update(TimerKind)
            elif isinstance(k, TimerKind) or k in EVENT_CLASSES:
                wanted.add(k)
            else:
                names = ", ".join(c.__name__ for c in EVENT_CLASSES)
                raise TypeError(f"unknown event kind {k!r}; use {names} or a TimerKind member")
        return frozenset(wanted)

    def _rewire(self) -> None:
        """Per-kind listener tuples, rebuilt on every (un)subscribe so that emitting is one tuple walk.

        A tuple is replaced, never changed, so a listener that unsubscribes during an emission is harmless.
        """
        subs = self._subscriptions
        self._l_thread = tuple(f for f, k in subs if ThreadEvent in k)
        self._l_request = tuple(f for f, k in subs if RequestEvent in k)
        self._l_log = tuple(f for f, k in subs if LogEvent in k)
        self._l_site = tuple(f for f, k in subs if SiteEvent in k)
        self._l_timer = {kind: tuple(f for f, k in subs if kind in k) for kind in TimerKind}
        self._l_transfer = self._l_timer[TimerKind.TRANSFER]
        self._logging = self._log_sink is not None or bool(self._l_log)
        per_block = self._logging or bool(self._l_transfer)
        became = per_block and not getattr(self, "_per_block", True)
        self._per_block = per_block
        if became:
            self._go_per_block()

    @property
    def _listeners(self) -> list[Listener]:
        """Every subscribed listener (for tests and debugging)."""
        return [f for f, _k in self._subscriptions]

    def set_log_sink(self, sink: Callable[[str], None] | None) -> None:
        """Where formatted Sender.log lines go (e.g. ``SenderLogFile.write_line``); None to stop."""
        self._log_sink = sink
        self._rewire()

    def _log(self, tid: int, text: str) -> None:
        if not self._logging:
            return
        now = self.now
        line = None
        if self._log_sink is not None:
            line = format_stamped_line(text, self.log_clock.stamp(now), tid, COMPONENT)
            self._log_sink(line)
        self.lines_written += 1
        if self._l_log:
            ev = _new(LogEvent, (now, tid, text, line, self.log_clock))
            for f in self._l_log:
                f(ev)

    def _timer(
        self,
        action: TimerAction,
        kind: TimerKind,
        deadline: float,
        dest: str,
        th: _Thread | None = None,
        req: _Request | None = None,
    ) -> None:
        listeners = self._l_timer[kind]
        if not listeners:
            return
        if req is None and th is not None:
            req = th.req
        ev = _new(
            TimerEvent, (self.now, action, kind, deadline, dest, th.tid if th else None, req.rid if req else None)
        )
        for f in listeners:
            f(ev)

    def _site_event(self, dest: str, what: str, until: float | None = None) -> None:
        if self._l_site:
            ev = _new(SiteEvent, (self.now, dest, what, until))
            for f in self._l_site:
                f(ev)

    def _thread_event(self, th: _Thread, state: ThreadState) -> None:
        ev = _new(ThreadEvent, (self.now, th.tid, th.req.rid, th.dest.code, state))
        for f in self._l_thread:
            f(ev)

    def _set_thread_state(self, th: _Thread, state: ThreadState) -> None:
        th.state = state
        th.phase_start = self.now
        if self._l_thread:
            self._thread_event(th, state)

    def _set_status(self, req: _Request, status: RequestStatus) -> None:
        req.status = status
        if self._l_request:
            ev = _new(RequestEvent, (self.now, req.rid, req.dest.code, status, req.sync, req.connects))
            for f in self._l_request:
                f(ev)

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
        """Handle every live heap entry with time <= t; each one counts once in ``events_handled``."""
        handled = 0
        heap = self._heap
        pop = heapq.heappop
        try:
            while heap and heap[0][0] <= t:
                when, _s, kind, obj, token = pop(heap)
                if kind <= _WAKE:
                    if obj.token != token:  # type: ignore[attr-defined]
                        continue
                    self.now = when
                    handled += 1
                    if kind == _BLOCK:
                        self._on_block(obj)  # type: ignore[arg-type]
                    else:
                        self._on_wake(obj)  # type: ignore[arg-type]
                else:
                    if not self._live(kind, obj, token):
                        continue
                    self.now = when
                    handled += 1
                    self._handle_other(kind, obj)
        finally:
            self.events_handled += handled
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
            self._timer(TimerAction.FIRED, TimerKind.OUTAGE_END, self.now, d.code)
            self._site_event(d.code, "link up")
        elif kind == _BUSY_END:
            d = obj  # type: ignore[assignment]
            self._timer(TimerAction.FIRED, TimerKind.BUSY_SITE_SKIP, self.now, d.code)
            self._site_event(d.code, "not busy")
            self._offer(d)
            self._dispatch()
        elif kind == _REOFFER:
            req: _Request = obj  # type: ignore[assignment]
            self._timer(TimerAction.FIRED, TimerKind.REOFFER, self.now, req.dest.code, req=req)
            req.restart_at = None
            self._enqueue(req)
            self._dispatch()
        elif kind == _ABANDON:
            req = obj  # type: ignore[assignment]
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
        req = _Request(
            index, request_id(priority, index + 1, self.sending_site.code), package, d, size_bytes, priority, self.now
        )
        self._requests.append(req)
        if self._l_request:
            ev = _new(RequestEvent, (self.now, req.rid, d.code, req.status, 0, 0))
            for f in self._l_request:
                f(ev)
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
            if d.down_until > self.now:
                self._timer(TimerAction.CANCELLED, TimerKind.OUTAGE_END, d.down_until, d.code)
            d.down_until = until
            d.outage_token += 1
            self._push(until, _OUTAGE_END, d, d.outage_token)
            self._site_event(d.code, "outage", until)
            self._timer(TimerAction.SET, TimerKind.OUTAGE_END, until, d.code)
        for th in [t for t in d.threads if t.state is ThreadState.SENDING]:
            self._break_transfer(th)

    def restart_server(self, dest: str) -> None:
        """The destination's server restarts now: its open-file table is cleared, sessions drop."""
        d = self._dest(dest)
        d.open_files.clear()
        self._site_event(d.code, "restart")
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
        self._site_event(code, "version")

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
        logging = self._logging
        if logging:
            self._log(MAIN_THREAD_ID, f"Found send request. ID: {req.rid}, Dest Site: {d.code}")
            self._log(
                MAIN_THREAD_ID,
                f"Checking for site-specific sending capacity.  Used {d.active} out of {self.settings.per_site}.",
            )
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
        if self._l_thread:
            self._thread_event(th, ThreadState.STARTED)
        self._set_status(req, RequestStatus.STARTED)
        req.hb = self.now
        self._attempt(th)

    # -- a sending thread -----------------------------------------------------------------------

    def _attempt(self, th: _Thread) -> None:
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

    def _local_file(self, req: _Request) -> str:
        return f"C:\\SMS\\inboxes\\schedule.box\\tosend\\{req.index + 1:08X}.PPT"

    # Transfers. Unless something watches blocks (log lines or TRANSFER timers) a thread has one heap entry
    # for its whole transfer ("fast"); otherwise one per block, so that each block's lines and timers appear
    # at their time. Bandwidth rule (both modes): a block keeps the share it started with; when the number of
    # threads sending on a link changes, the blocks after the one in flight use the new share, and a block
    # that starts at that very instant (or ends at it) counts as starting after the change. A block that ends
    # exactly when an outage or restart hits has been written.

    def _end_at(self, th: _Thread, pos: int) -> float:
        return th.seg_t0 + (pos - th.seg_pos0) * th.seg_rate

    def _schedule_transfer(self, th: _Thread) -> None:
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
        t0 = th.seg_t0
        p0 = th.seg_pos0
        rate = th.seg_rate
        start = t0 + (pos - p0) * rate
        end = t0 + (pos + n - p0) * rate
        th.block_start = start
        th.block_end = end
        if not self._per_block:
            th.fast = True
            heapq.heappush(self._heap, (t0 + (size - p0) * rate, th.order, _BLOCK, th, th.token))
            return
        th.fast = False
        heapq.heappush(self._heap, (end, th.order, _BLOCK, th, th.token))
        if self._logging and start == self.now:
            self._log(th.tid, f"Attempt to write {n} bytes to {req.pck} at position {pos}")
        if self._l_transfer:
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

    def _advance_sync(self, th: _Thread, pos: int) -> None:
        """A fast thread's sync point moves to ``pos`` (a block boundary or the end): count the blocks."""
        req = th.req
        if pos > req.sync:
            self.blocks_written += -(-(pos - req.sync) // BLOCK_BYTES)
            req.sync = pos

    def _catch_up(self, th: _Thread) -> None:
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

    def _go_per_block(self) -> None:
        """Something now watches blocks: give every fast transfer a heap entry per block from now on."""
        for th in list(self._threads.values()):
            if th.state is ThreadState.SENDING and th.fast:
                self._catch_up(th)
                th.token += 1
                th.fast = False
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
            heapq.heappush(self._heap, (self._end_at(th, th.req.size), th.order, _BLOCK, th, th.token))
            return
        end = self._end_at(th, th.req.sync + th.block_bytes)
        th.block_start = self.now
        th.block_end = end
        heapq.heappush(self._heap, (end, th.order, _BLOCK, th, th.token))
        self._timer(TimerAction.SET, TimerKind.TRANSFER, end, th.dest.code, th)

    def _on_block(self, th: _Thread) -> None:
        """A block (or, for a fast thread, the whole transfer) completes now.

        This is the hot path of a watched run (the GUI's): the common case, a middle block with no TRANSFER
        listener, is written out here in one function (state first, then both log lines) instead of going
        through ``_schedule_transfer`` and ``_log``, which do the same for every other case. Its lines and
        events are the same as theirs; ``test_watching_does_not_change_the_run`` and the log tests hold both.
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
                self._log(th.tid, f"Wrote {n} bytes to {req.pck} at position {pos}")
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
        t0 = th.seg_t0
        p0 = th.seg_pos0
        rate = th.seg_rate
        start = t0 + (nxt - p0) * rate
        end = t0 + (nxt + m - p0) * rate
        th.block_start = start
        th.block_end = end
        if not self._per_block:  # nothing watches blocks any more: the rest of the transfer is one entry
            th.fast = True
            heapq.heappush(self._heap, (t0 + (size - p0) * rate, th.order, _BLOCK, th, th.token))
            return
        heapq.heappush(self._heap, (end, th.order, _BLOCK, th, th.token))
        if not self._logging:
            return
        tid = th.tid
        pck = req.pck
        wrote = f"Wrote {n} bytes to {pck} at position {pos}"
        attempt = f"Attempt to write {m} bytes to {pck} at position {nxt}" if start == now else None
        sink = self._log_sink
        line = line2 = None
        if sink is not None:
            stamp = self.log_clock.stamp(now)
            line = format_stamped_line(wrote, stamp, tid, COMPONENT)
            sink(line)
            if attempt is not None:
                line2 = format_stamped_line(attempt, stamp, tid, COMPONENT)
                sink(line2)
        self.lines_written += 1 if attempt is None else 2
        listeners = self._l_log
        if listeners:
            clock = self.log_clock
            ev = _new(LogEvent, (now, tid, wrote, line, clock))
            for f in listeners:
                f(ev)
            if attempt is not None:
                ev = _new(LogEvent, (now, tid, attempt, line2, clock))
                for f in listeners:
                    f(ev)

    def _block_written(self, th: _Thread) -> None:
        """The block in flight ends now but its heap entry is not handled (an outage or restart came first)."""
        req = th.req
        n = th.block_bytes
        pos = req.sync
        req.sync = pos + n
        th.hb = req.hb = self.now
        self.blocks_written += 1
        self._timer(TimerAction.FIRED, TimerKind.TRANSFER, self.now, th.dest.code, th)
        self._log(th.tid, f"Wrote {n} bytes to {req.pck} at position {pos}")

    def _finish(self, th: _Thread) -> None:
        req, d, tid = th.req, th.dest, th.tid
        th.block_end = None
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

    def _break_transfer(self, th: _Thread) -> None:
        """The block in flight fails now (outage start or server restart); one that ends now got through."""
        req = th.req
        if th.fast:
            self._catch_up(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th)
                return
        elif th.block_end is not None and th.block_end <= self.now:
            self._block_written(th)
            if req.sync == req.size:
                th.token += 1
                self._finish(th)
                return
        th.token += 1
        th.dest.sending -= 1
        if th.block_end is not None and not th.fast:
            self._timer(TimerAction.CANCELLED, TimerKind.TRANSFER, th.block_end, th.dest.code, th)
        th.block_end = None
        self._sharing_changed(th.dest, th)
        self._log(th.tid, f"Cannot write to the remote file {req.pck}, Win32 error = {ERROR_NETNAME_DELETED}.")
        self._fail(th, connect=False)

    def _fail(self, th: _Thread, *, connect: bool) -> None:
        """A retryable error: wait and retry, or give the request back when the retries are used up."""
        req, d = th.req, th.dest
        th.hb = req.hb = self.now  # the thread is awake when it notices the error
        self._set_status(req, RequestStatus.ERROR)
        if th.retries_used < th.settings.retries:
            self._log(th.tid, "Operation is retryable.")
            at = self.now + th.settings.retry_delay_min * 60.0
            th.retry_at = at
            self._set_thread_state(th, ThreadState.RETRY_WAIT)
            self._seq += 1
            heapq.heappush(self._heap, (at, self._seq, _WAKE, th, th.token))
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
            self._push(d.busy_until, _BUSY_END, d, d.busy_token)
            self._site_event(d.code, "busy", d.busy_until)
            self._timer(TimerAction.SET, TimerKind.BUSY_SITE_SKIP, d.busy_until, d.code)
        if th.file_open and d.open_files.get(req.pck) == th.tid:
            del d.open_files[req.pck]
        th.file_open = False
        self._to_pending(th)

    def _on_wake(self, th: _Thread) -> None:
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
        if self._logging:
            self._log(th.tid, f"Restart time = {self.log_clock.restart_text(self._next_try_at(req))}")
        self._timer(TimerAction.SET, TimerKind.REOFFER, req.restart_at, req.dest.code, req=req)
        if not req.abandon_armed:
            req.abandon_armed = True
            self._push(req.queued_at + ABANDON_AFTER_S, _ABANDON, req, 0)
            self._timer(TimerAction.SET, TimerKind.ABANDON, req.queued_at + ABANDON_AFTER_S, req.dest.code, req=req)
        self._dispatch()

    @staticmethod
    def _next_try_at(req: _Request) -> float:
        """When a pending request will next be tried, as far as is known now: its re-offer, or the end of its
        destination's busy-site skip if later (the main thread skips a busy destination's requests)."""
        at = req.restart_at if req.restart_at is not None else 0.0
        return max(at, req.dest.busy_until)

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
            out.append(
                ThreadView(
                    th.tid,
                    th.req.rid,
                    th.dest.code,
                    th.state,
                    th.phase_start,
                    hb,
                    hb + self.heartbeat_timeout_s,
                    th.beats_waiting,
                    th.retry_at,
                    th.retries_used,
                    th.req.sync,
                    th.req.size,
                    th.settings,
                )
            )
        return out

    def requests(self) -> list[RequestView]:
        """The outbox as Dumpsend would show it, in the order the requests arrived."""
        self._catch_up_all()
        return [
            RequestView(
                r.rid,
                r.package,
                r.dest.code,
                r.priority,
                r.status,
                r.size,
                r.size - r.sync,
                r.sync,
                r.connects,
                r.hb,
                r.queued_at,
                r.delivered_at,
                r.restart_at,
                r.thread.tid if r.thread else None,
            )
            for r in self._requests
        ]

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
        """The JSON summary of DESIGN.md §4, plus ``blocks`` (256 KB blocks written).

        Times are the log's reading of them: to the microsecond, then cut to the millisecond, as the line's
        timestamp prints them (so ``4500.672``, not the float sum ``4500.6720000000005``). The engine keeps
        its times exact. ``events`` is ``events_handled``: heap entries that did work.
        """
        self._catch_up_all()
        return {
            "scenario": scenario,
            "events": self.events_handled,
            "blocks": self.blocks_written,
            "sim_seconds": log_seconds(self.now),
            "sends": [
                {
                    "request_id": r.rid,
                    "package": r.package,
                    "dest": r.dest.code,
                    "status": r.status.summary,
                    "delivered_s": None if r.delivered_at is None else log_seconds(r.delivered_at),
                    "attempts": r.connects,
                    "bytes_sent": r.sync,
                    "size": r.size,
                }
                for r in self._requests
            ],
        }


def log_seconds(t: float) -> float:
    """Virtual seconds as Sender.log shows them: rounded to the microsecond (as ``timedelta`` does), then cut
    to the millisecond (as the timestamp prints them)."""
    return (round(t * 1_000_000) // 1000) / 1000
