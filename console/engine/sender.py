"""The SMS 2.0 Standard Sender as a deterministic discrete-event simulation (DESIGN.md §1, §3; research §3-§5).

One ``SenderEngine`` is the sending site's Standard Sender: a main thread that takes send requests from
the outbox (highest priority first, then first in, first out) within the two concurrency limits, and
one sending thread per request that connects to ``\\\\<server>\\SMS_SITE``, creates/opens
``<request>.PCK``, writes it in 256 KB blocks, finishes the instruction file and exits.

The engine is put together from its seams, each a module of this package: the clock and heap
(``scheduler``), listeners and the log sink (``observers``), block and bandwidth arithmetic (``transfer``),
a sending thread's life and its modelling choices (``sending_threads``), the main thread's queue
(``outbox``) and the per-destination, per-request and per-thread records (``state``). This module is the
main thread, set-up, run-time actions, snapshots and the public names other code imports.

Why a chain of base classes (``SenderEngine`` -> ``SendingThreads`` -> ``TransferPlanner`` -> ``Scheduler``
and ``ObserverRegistry``) rather than parts the engine holds: the per-block path reads the heap, the
listener tuples and the log sink from ``self``, and one more attribute hop per read is a measurable share
of a watched run. Each base names the hooks its subclass supplies. The outbox, touched a few times per
request rather than per block, is a part the engine holds.

Modelling choices of the main thread (INFERRED; research/sms-sender.md): the concurrency limits are the main
thread's and apply from the next dispatch after ``apply_settings``. Log timestamps: the simulated clock is a
local clock; each line prints the zone name of its moment by the US daylight-time rule
(``console.engine.time_zones``), e.g. ``Eastern Daylight Time`` in July.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Iterable

from console.engine.events import (
    RequestEvent,
    RequestStatus,
    RequestView,
    ThreadState,
    ThreadView,
    TimerAction,
    TimerKind,
)
from console.engine.log_clock import LogClock
from console.engine.observers import Listener, LogSink, new_event
from console.engine.outbox import Outbox
from console.engine.request_ids import request_id
from console.engine.scheduler import (
    ABANDON,
    BLOCK_ORDER_BASE,
    BUSY_END,
    OUTAGE,
    OUTAGE_END,
    REOFFER,
    RESTART,
    SEND,
    OtherEntry,
)
from console.engine.sending_threads import ABANDON_AFTER_S, BUSY_SKIP_S, REOFFER_DELAY_S, SendingThreads
from console.engine.state import BEAT_INTERVAL_S, Dest, Request, Thread
from console.engine.time_zones import UsTimeZone
from console.engine.transfer import BLOCK_BYTES
from console.model.scenario import FaultSpec, SendSpec, SiteSpec
from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

__all__ = [
    "ABANDON_AFTER_S",
    "BEAT_INTERVAL_S",
    "BLOCK_BYTES",
    "BUSY_SKIP_S",
    "REOFFER_DELAY_S",
    "Destination",
    "Listener",
    "PlannedFault",
    "PlannedSend",
    "SenderEngine",
    "log_seconds",
]

MAIN_THREAD_ID = 188
FIRST_THREAD_ID = 200

# The engine takes the scenario model's specs as they are: one definition of a destination, a planned
# send and a planned fault, whether they come from a scenario file, the site database or the GUI.
Destination = SiteSpec
PlannedSend = SendSpec
PlannedFault = FaultSpec


class SenderEngine(SendingThreads):
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
        log_sink: LogSink | None = None,
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
        self._init_observers(log_sink)
        self._reset_state()

    # -- set-up ---------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self._reset_clock()
        self.settings = self._initial_settings
        self.heartbeat_timeout_s = self._initial_timeout_min * 60.0
        self.sending_version: SiteVersion = self.sending_site.version
        self.blocks_written = 0
        self.lines_written = 0
        self._outbox = Outbox()
        self._next_tid = FIRST_THREAD_ID
        self._active = 0
        self._threads = {}
        self._requests: list[Request] = []
        self._idle_logged = True
        self._dests: dict[str, Dest] = {}
        for d in self._destinations:
            if d.site.code == self.sending_site.code:
                raise ValueError(f"site {d.site.code} is the sending site; it cannot also be a destination")
            if d.site.code in self._dests:
                raise ValueError(f"destination {d.site.code} appears twice")
            self._dests[d.site.code] = Dest(d.site, d.link_kbps)
        heap, seq = self._heap, self._seq
        for s in self._planned_sends:
            self._check_send(s.package, s.dest, s.size_bytes, s.priority)
            heapq.heappush(heap, (s.at_s, next(seq), SEND, s, 0))
        for f in self._planned_faults:
            self._dest(f.dest)
            if f.kind == "network":
                heapq.heappush(heap, (f.at_s, next(seq), OUTAGE, f, 0))
            elif f.kind == "restart":
                heapq.heappush(heap, (f.at_s, next(seq), RESTART, f, 0))
            else:
                raise ValueError(f"unknown fault kind {f.kind!r}; expected network or restart")

    def reset(self) -> None:
        """Back to t = 0 with the planned sends and faults and the initial settings; listeners stay.

        A log sink keeps receiving lines (their clock starts again), as a restarted service appends.
        """
        self._reset_state()

    @property
    def clock(self) -> _dt.datetime:
        """The simulated wall clock: ``start + now``."""
        return self.start + _dt.timedelta(seconds=self.now)

    def _handle_other(self, e: OtherEntry) -> None:
        if e[2] == SEND:
            s = e[3]
            self.queue_send(s.package, s.dest, s.size_bytes, s.priority)
        elif e[2] == OUTAGE:
            self.inject_outage(e[3].dest, e[3].duration_s)
        elif e[2] == RESTART:
            self.restart_server(e[3].dest)
        elif e[2] == OUTAGE_END:
            d = e[3]
            self._timer(TimerAction.FIRED, TimerKind.OUTAGE_END, self.now, d.code)
            self._site_event(d.code, "link up")
        elif e[2] == BUSY_END:
            d = e[3]
            self._timer(TimerAction.FIRED, TimerKind.BUSY_SITE_SKIP, self.now, d.code)
            self._site_event(d.code, "not busy")
            self._outbox.offer(d, self.now, self.settings.per_site)
            self._dispatch()
        elif e[2] == REOFFER:
            req = e[3]
            self._timer(TimerAction.FIRED, TimerKind.REOFFER, self.now, req.dest.code, req=req)
            req.restart_at = None
            self._outbox.enqueue(req, self.now, self.settings.per_site)
            self._dispatch()
        elif e[2] == ABANDON:
            req = e[3]
            self._timer(TimerAction.FIRED, TimerKind.ABANDON, self.now, req.dest.code, req=req)
            if req.thread is None and req.status is not RequestStatus.OK:
                self._abandon(req)

    # -- run-time actions -----------------------------------------------------------------------

    def _dest(self, code: str) -> Dest:
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
        rid = request_id(priority, index + 1, self.sending_site.code)
        req = Request(index, rid, package, d, size_bytes, priority, self.now)
        self._requests.append(req)
        if self._l_request:
            ev = new_event(RequestEvent, (self.now, req.rid, d.code, req.status, 0, 0))
            for f in self._l_request:
                f(ev)
        self._outbox.enqueue(req, self.now, self.settings.per_site)
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
            heapq.heappush(self._heap, (until, next(self._seq), OUTAGE_END, d, d.outage_token))
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
            self._outbox.offer(d, self.now, settings.per_site)
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

    def _dispatch(self) -> None:
        """Start threads for the best waiting requests while the all-sites limit allows."""
        outbox = self._outbox
        found = False
        while self._active < self.settings.all_sites:
            req = outbox.take(self.now, self.settings.per_site)
            if req is None:
                break
            found = True
            self._start_thread(req)
            outbox.offer(req.dest, self.now, self.settings.per_site)
        if found:
            self._idle_logged = False
        elif not outbox.candidates and not self._idle_logged:
            self._idle_logged = True
            self._log(MAIN_THREAD_ID, "No (more) send requests found to process.")

    def _start_thread(self, req: Request) -> None:
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
        th = Thread(tid, tid - BLOCK_ORDER_BASE, req, self.settings, self.sending_version.fixes_q278357, self.now)
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

    # -- snapshots ------------------------------------------------------------------------------

    def threads(self) -> list[ThreadView]:
        """Every live sending thread, oldest first."""
        self._catch_up_all()
        return [th.view(self.now, self.heartbeat_timeout_s) for th in self._threads.values()]

    def requests(self) -> list[RequestView]:
        """The outbox as Dumpsend would show it, in the order the requests arrived."""
        self._catch_up_all()
        return [r.view() for r in self._requests]

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
        its times exact. ``events`` is ``events_handled``: heap entries that did work. ``attempts`` is the
        request's connects (every connection attempt, across its threads).
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
