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

Why a chain of base classes (``SenderEngine`` -> ``Routing`` -> ``SendingThreads`` -> ``RateLimitedTransfer``
-> ``TransferPlanner`` -> ``Scheduler`` and ``ObserverRegistry``) rather than parts the engine holds: the
per-block path reads the heap, the listener tuples and the log sink from ``self``, and one more attribute hop
per read is a measurable share of a watched run. Each base names the hooks its subclass supplies. The outbox,
touched a few times per request rather than per block, is a part the engine holds.

Where an attribute is set (each base also declares at class level the ones it reads but does not set):

- ``Scheduler`` (scheduler.py, ``_reset_clock``): ``now``, ``_heap``, ``_seq``, ``_starting``,
  ``events_handled``, ``stale_dropped``.
- ``ObserverRegistry`` (observers.py, ``_init_observers`` and ``_rewire``): ``_subscriptions``, ``_log_sink``,
  ``_site_log_sink``, the listener tuples ``_l_thread``, ``_l_request``, ``_l_log``, ``_l_site``, ``_l_timer``,
  ``_l_transfer``, and ``_logging``.
- ``TransferPlanner`` (transfer.py, ``_rewired``): ``_per_block``; it counts ``blocks_written`` and ``replanned``.
- ``RateLimitedTransfer`` (rate_limited.py) and ``SendingThreads`` (sending_threads.py): none of their own.
- ``Routing`` (routing.py, ``_index_addresses``): ``_addresses``.
- ``SenderEngine`` (here): in ``__init__`` the set-up (``sending_site``, ``start``, ``zone``, ``log_clock``,
  ``end_s``, ``_destinations``, ``_initial_*``, ``_planned_*``, ``_site_settings``, ``_main_code``); in
  ``_reset_state`` the run's state (``heartbeat_timeout_s``, ``blocks_written``, ``replanned``,
  ``lines_written``, ``_threads``, ``_next_order``, ``_requests``, ``_changes``, ``_main``, ``_senders``, ``_dests``,
  ``_parents``, ``_addressed``).

Per-site senders (turn 2, DESIGN.md §4): the engine is one simulation of every site's Standard Sender
(``site_sender.SiteSender``: settings, version, outbox, thread ids, request numbers, busy-site list), with the
routing of ``routing`` on top; a scenario without addresses has only the [sender] site's, as before. Public
attributes that name "the" sender (``settings``, ``sending_version``, ``apply_settings``) mean the [sender]
site's.

Modelling choices of the main thread (INFERRED; research/sms-sender.md): the concurrency limits are the main
thread's and apply from the next dispatch after ``apply_settings``. Log timestamps: the simulated clock is a
local clock; each line prints the zone name of its moment by the US daylight-time rule
(``console.engine.time_zones``), e.g. ``Eastern Daylight Time`` in July.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Iterable, Mapping

from console.engine.events import (
    LaneView,
    RequestStatus,
    RequestView,
    RouteView,
    ThreadState,
    ThreadView,
    TimerAction,
    TimerKind,
)
from console.engine.log_clock import LogClock
from console.engine.observers import Listener, LogSink, SiteLogSink
from console.engine.routing import Routing
from console.engine.scheduler import (
    ABANDON,
    BLOCK_ORDER_BASE,
    BUSY_END,
    OPENS,
    OUTAGE,
    OUTAGE_END,
    RBLOCK,
    REOFFER,
    RESTART,
    SEND,
    OtherEntry,
)
from console.engine.sending_threads import ABANDON_AFTER_S, BUSY_SKIP_S, REOFFER_DELAY_S
from console.engine.site_sender import FIRST_THREAD_ID, MAIN_THREAD_ID, SiteSender
from console.engine.state import BEAT_INTERVAL_S, Dest, Request, Thread, address_ref
from console.engine.summary import log_seconds, route_view, send_summary
from console.engine.time_zones import UsTimeZone
from console.engine.transfer import BLOCK_BYTES
from console.model.addresses import Address
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

__all__ += ["FIRST_THREAD_ID", "MAIN_THREAD_ID"]

# The engine takes the scenario model's specs as they are: one definition of a destination, a planned
# send and a planned fault, whether they come from a scenario file, the site database or the GUI.
Destination = SiteSpec
PlannedSend = SendSpec
PlannedFault = FaultSpec


class SenderEngine(Routing):
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
        addresses: Iterable[Address] | None = None,
        site_settings: Mapping[str, SenderSettings] | None = None,
        site_log_sink: SiteLogSink | None = None,
    ) -> None:
        """``zone``: the US zone family whose Standard/Daylight name the log prints (a base name such as
        ``"Pacific"`` or a full name such as ``"Pacific Standard Time"``; the season decides the word).

        ``addresses``: None keeps the meaning of a scenario without addresses (one open, unlimited address to
        every destination); otherwise only these exist, and sends are routed (``console.engine.routing``).
        ``site_settings``: each other site's own sender settings (default 5/3/2/1), used when it forwards a hop.
        ``site_log_sink``: receives ``(site, line)`` for other sites' Sender.log lines (``observers``)."""
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
        self._initial_addresses = None if addresses is None else tuple(addresses)
        self._site_settings = dict(site_settings or {})
        self._main_code = sending_site.code
        self._init_observers(log_sink, site_log_sink)
        self._reset_state()

    # -- set-up ---------------------------------------------------------------------------------

    def _reset_state(self) -> None:
        self._reset_clock()
        self.heartbeat_timeout_s = self._initial_timeout_min * 60.0
        self.blocks_written = 0
        self.replanned = 0
        self.lines_written = 0
        self._threads = {}
        self._next_order = FIRST_THREAD_ID - BLOCK_ORDER_BASE  # the heap order of the next thread's blocks
        self._requests, self._changes = [], None
        self._main = SiteSender(0, self.sending_site, self._initial_settings)
        self._senders = {self.sending_site.code: self._main}
        self._dests: dict[str, Dest] = {}
        self._parents = {self.sending_site.code: self.sending_site.parent}
        for d in self._destinations:
            if d.site.code == self.sending_site.code:
                raise ValueError(f"site {d.site.code} is the sending site; it cannot also be a destination")
            if d.site.code in self._dests:
                raise ValueError(f"destination {d.site.code} appears twice")
            self._dests[d.site.code] = Dest(d.site, d.link_kbps)
            self._parents[d.site.code] = d.site.parent
        self._addressed = self._initial_addresses is not None
        self._index_addresses(self._initial_addresses or ())
        for code in self._dests:
            self._lane(self._main, code)
        for s in self._planned_sends:
            self._check_send(s.package, s.dest, s.size_bytes, s.priority)
        self._plan_sends(self._planned_sends)
        heap, seq = self._heap, self._seq
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
    def settings(self) -> SenderSettings:
        """The [sender] site's Standard Sender settings (new threads take them)."""
        return self._main.settings

    @property
    def sending_version(self) -> SiteVersion:
        """The [sender] site's SMS version (it decides Q278357 for that site's new threads)."""
        return self._main.version

    @property
    def has_addresses(self) -> bool:
        """False: the implicit open, unlimited address to every destination (a scenario without addresses)."""
        return self._addressed

    @property
    def clock(self) -> _dt.datetime:
        """The simulated wall clock: ``start + now``."""
        return self.start + _dt.timedelta(seconds=self.now)

    def _handle_other(self, e: OtherEntry) -> None:
        if e[2] == SEND:
            self._push_next_send()
            self.queue_send(e[3].package, e[3].dest, e[3].size_bytes, e[3].priority)
        elif e[2] == OUTAGE:
            self.inject_outage(e[3].dest, e[3].duration_s)
        elif e[2] == RESTART:
            self.restart_server(e[3].dest)
        elif e[2] == OUTAGE_END:
            d = e[3]
            self._timer(TimerAction.FIRED, TimerKind.OUTAGE_END, self.now, d.code)
            self._site_event(d.code, "link up")
        elif e[2] == RBLOCK:
            self._on_limited_block(e[3])
        elif e[2] == BUSY_END:
            lane = e[3]
            s = lane.sender
            s.busy.discard(lane)
            self._timer(TimerAction.FIRED, TimerKind.BUSY_SITE_SKIP, self.now, lane.code, site=s.code)
            self._site_event(lane.code, "not busy", None, s.code)
            s.outbox.offer(lane, self.now)
            self._dispatch(s)
        elif e[2] == REOFFER:
            req = e[3]
            self._timer(TimerAction.FIRED, TimerKind.REOFFER, self.now, req.dest.code, req=req)
            req.restart_at = None
            if req.wait is not None:  # it had no address; routing looks again
                req.wait = None
            self._offer_request(req)
        elif e[2] == OPENS:
            self._on_opens(e[3])
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
        """A new send request at the [sender] site now; returns its ID (e.g. ``2_001PRI``)."""
        self._check_send(package, dest, size_bytes, priority)
        s = self._main
        req = self._new_request(s, package, self._dest(dest).code, size_bytes, priority)
        if self._l_request:
            self._request_event(req)
        if self._addressed:
            self._offer_request(req)
        else:  # the implicit address: straight to the outbox (``_offer_request``'s first case, without the call)
            s.outbox.enqueue(req, self.now)
            self._dispatch(s)
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

    def apply_settings(self, settings: SenderSettings, site: str | None = None) -> None:
        """New Standard Sender settings of the [sender] site (or of ``site``): new threads get them; running
        threads keep theirs."""
        code = self._main_code if site is None else str(site).upper()
        if code == self._main_code:
            s = self._main
        else:
            self._dest(code)
            self._site_settings[code] = settings
            s = self._sender(code)
        s.apply(settings)
        for lane in s.lanes.values():
            s.outbox.offer(lane, self.now)
        self._dispatch(s)

    def set_site_version(self, code: str, version: SiteVersion) -> None:
        """Change a site's SMS version (an upgrade). For a site whose sender runs it decides its new threads'
        heartbeat (the [sender] site, or a site forwarding hops)."""
        code = str(code).upper()
        if code == self.sending_site.code:
            self._main.version = version
        else:
            self._dest(code).version = version
            if code in self._senders:
                self._senders[code].version = version
        self._site_event(code, "version")

    # -- the main sender thread -----------------------------------------------------------------

    def _dispatch(self, sender: SiteSender | None = None) -> None:
        """Start threads for the sender's best waiting requests while its all-sites limit allows."""
        s = self._main if sender is None else sender
        outbox = s.outbox
        found = False
        while s.active < s.settings.all_sites:
            req = outbox.take(self.now)
            if req is None:
                break
            lane = req.lane
            if self._start_thread(s, req):
                found = True
            outbox.offer(lane, self.now)
        if found:
            s.idle_logged = False
        elif not outbox.candidates and not s.idle_logged:
            s.idle_logged = True
            self._log(MAIN_THREAD_ID, "No (more) send requests found to process.", s)
        if s.busy:
            self._clear_busy_if_idle(s)

    def _start_thread(self, s: SiteSender, req: Request) -> bool:
        """A sending thread for ``req``; False when its addresses closed since it was queued (routed again)."""
        lane = req.lane
        addrs = lane.addresses
        addr = -1
        if addrs is not None:
            addr = self._open_address(addrs, req.priority, 0, False)
            if addr < 0:
                if self._route(req):
                    s.outbox.enqueue(req, self.now)
                return False
        d = req.dest
        logging = self._logging
        if logging:
            self._log(MAIN_THREAD_ID, f"Found send request. ID: {req.rid}, Dest Site: {d.code}", s)
            self._log(
                MAIN_THREAD_ID,
                f"Checking for site-specific sending capacity.  Used {lane.active} out of {lane.cap}.",
                s,
            )
        tid = s.next_tid
        s.next_tid += 1
        order = self._next_order
        self._next_order += 1
        th = Thread(tid, order, req, s.settings, s.version.fixes_q278357, self.now)
        if addrs is not None:
            th.addrs = addrs
            th.addr = addr
            limit = addrs[addr].rate_limit
            th.limit = None if limit.is_unlimited else limit
        self._threads[order] = th
        d.threads.append(th)
        lane.active += 1
        s.active += 1
        req.thread = th
        if logging:
            self._log(MAIN_THREAD_ID, f"Created sending thread (Thread ID = {tid})", s)
        if self._l_thread:
            self._thread_event(th, ThreadState.STARTED)
        self._set_status(req, RequestStatus.STARTED)
        req.hb = self.now
        self._attempt(th)
        return True

    # -- snapshots ------------------------------------------------------------------------------

    def threads(self) -> list[ThreadView]:
        """Every live sending thread of every site, oldest first."""
        self._catch_up_all()
        now, timeout = self.now, self.heartbeat_timeout_s
        return [th.view(now, timeout, self._pace(th)) for th in self._threads.values()]

    def requests(self) -> list[RequestView]:
        """Every site's send requests as Dumpsend would show them, in the order they were created."""
        self._catch_up_all()
        return [r.view(self.now) for r in self._requests]

    def routes(self) -> list[RouteView]:
        """Every send with its hops so far, in the order the sends arrived."""
        self._catch_up_all()
        return [route_view(r, self.now) for r in self._requests if r.hop == 0]

    def lanes(self) -> list[LaneView]:
        """Each sender's lanes: its addresses to a destination, which priorities they are closed to now, its
        busy-site skip, threads and queue."""
        views = []
        for s in self._senders.values():
            for code, lane in s.lanes.items():
                addrs = lane.addresses or ()
                closed = tuple(p for p in (1, 2, 3) if addrs and self._open_address(addrs, p, 0, False) < 0)
                views.append(
                    LaneView(
                        s.code,
                        code,
                        tuple(address_ref(addrs, i) for i in range(len(addrs))),
                        closed,
                        tuple(self._opens_at(addrs, p) for p in closed),
                        lane.busy_until if lane.busy_until > self.now else None,
                        lane.active,
                        sum(1 for _p, _o, r in lane.queue if r.queued and r.lane is lane),
                        lane.rate_limited,
                    )
                )
        return views

    def transfer_segments(
        self, thread_id: int, t0: float, t1: float, site: str | None = None
    ) -> list[tuple[float, float, bool]]:
        """Sending (True) and rate-limit pause (False) stretches of ``[t0, t1]`` for a live thread of ``site``
        (default: the [sender] site); one sending stretch for an unlimited thread."""
        code = self._main_code if site is None else str(site).upper()
        for th in self._threads.values():
            if th.tid == thread_id and th.lane.sender.code == code:
                return self._segments(th, t0, t1)
        raise KeyError(f"no live sending thread {thread_id} at site {code}")

    def open_files(self, dest: str) -> dict[str, int]:
        """The destination's open-file table: remote file -> id of the thread that opened it."""
        return dict(self._dest(dest).open_files)

    def link_down_until(self, dest: str) -> float | None:
        d = self._dest(dest)
        return d.down_until if d.down_until > self.now else None

    def busy_until(self, dest: str, site: str | None = None) -> float | None:
        """End of the busy-site skip of ``dest`` by the [sender] site's sender (or ``site``'s); None if none."""
        self._dest(dest)
        s = self._senders.get(self._main_code if site is None else str(site).upper())
        lane = s.lanes.get(str(dest).upper()) if s is not None else None
        return lane.busy_until if lane is not None and lane.busy_until > self.now else None

    @property
    def active_threads(self) -> int:
        return len(self._threads)

    def summary(self, scenario: str = "") -> dict[str, object]:
        """The JSON summary of DESIGN.md §4, plus ``blocks`` (256 KB blocks written).

        Times are the log's reading of them: to the microsecond, then cut to the millisecond, as the line's
        timestamp prints them (so ``4500.672``, not the float sum ``4500.6720000000005``). The engine keeps
        its times exact. ``events`` is ``events_handled``: heap entries that did work. ``sends`` lists each send
        once, with its ``hops`` (``console.engine.summary``); ``attempts`` counts connection attempts (every
        connection attempt, across its threads and hops).
        """
        self._catch_up_all()
        return {
            "scenario": scenario,
            "events": self.events_handled,
            "blocks": self.blocks_written,
            "sim_seconds": log_seconds(self.now),
            "sends": [send_summary(r, self.now) for r in self._requests if r.hop == 0],
        }
