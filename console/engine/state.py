"""What the sender engine keeps per destination, per send request and per sending thread.

Plain mutable records with ``__slots__``: the engine reads and writes their fields on every block of a
watched run, so they are not dataclasses (no per-field machinery) and they hold no logic but their own
snapshot (``view``). Views are frozen copies (``console.engine.events``) so that a GUI can keep them
while the engine runs on.

Staleness: a heap entry names the object it is about and a token; the object's token moves on when the
entry is superseded (``Thread.token`` for its transfer or retry wake, ``Dest.outage_token`` for a link's
outage end, ``Lane.busy_token`` for a busy-site skip end, ``Request.reoffer_token`` for a re-offer or the end
of a wait for an address). The scheduler drops an entry whose token no longer matches without counting it.

Two records per destination (turn 2, per-site senders): ``Dest`` is the destination site itself, shared by
every sender that sends to it (the path into its server and its bandwidth, outages, its open-file table);
``Lane`` is one sender's view of it (its queue in that sender's outbox, its busy-site skip, its per-site
count, its addresses). A scenario without addresses has one sender and one lane per destination.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.engine.events import AddressRef, RequestStatus, RequestView, ThreadState, ThreadView, WaitReason
from console.engine.log_format import thread_tail
from console.model.addresses import Address, RateLimit
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

if TYPE_CHECKING:
    from console.engine.site_sender import SiteSender

BEAT_INTERVAL_S = 60.0
"""From SP4 a thread waiting *Delay before retrying* beats this often (shown by snapshots only: nothing
else depends on the beats in between)."""


class Dest:
    """One destination site, whoever sends to it: the path into its server, its outages and its open files."""

    __slots__ = (
        "bytes_per_s",
        "code",
        "down_until",
        "epoch",
        "fast",
        "open_files",
        "outage_token",
        "sending",
        "server",
        "share",
        "site",
        "threads",
        "version",
    )

    def __init__(self, site: Site, link_kbps: int) -> None:
        self.site = site
        self.code = site.code
        self.server = site.server
        self.share = f"\\\\{site.server}\\SMS_SITE"
        self.version: SiteVersion = site.version
        self.bytes_per_s = link_kbps * 125.0
        self.down_until = -1.0
        self.outage_token = 0
        self.sending = 0  # threads moving data on the link now (of every sender)
        self.epoch = 0  # counts changes of the link's sharing (see console.engine.transfer)
        self.fast: dict[int, Thread] = {}  # its threads with one heap entry per transfer, by order
        self.threads: list[Thread] = []  # threads of every sender to this site
        self.open_files: dict[str, int] = {}  # remote file name -> thread id that opened it


class Lane:
    """One sender's way to one destination: its outbox queue, busy-site skip, thread count and addresses.

    ``addresses`` is None for the implicit open, unlimited address of a scenario without addresses, else the
    sender's addresses to ``dest`` in relative-priority order (possibly none). ``cap`` is the per-site limit that
    applies: the sender's Per site, or 1 while an address to ``dest`` has a rate limit (research §8, INFERRED for
    2.0).
    """

    __slots__ = (
        "active",
        "addresses",
        "busy_token",
        "busy_until",
        "cap",
        "code",
        "dest",
        "gkey",
        "queue",
        "rate_limited",
        "sender",
    )

    def __init__(self, sender: SiteSender, dest: Dest, addresses: tuple[Address, ...] | None) -> None:
        self.sender = sender
        self.dest = dest
        self.code = dest.code
        self.busy_until = -1.0
        self.busy_token = 0
        self.active = 0  # this sender's threads for this destination (any state)
        # The outbox's per-destination queue, (priority, arrival order, request); see console.engine.outbox.
        self.queue: list[tuple[int, int, Request]] = []
        self.gkey: tuple[int, int] | None = None
        self.addresses = addresses
        self.rate_limited = False
        self.cap = sender.settings.per_site
        self.set_addresses(addresses)

    def set_addresses(self, addresses: tuple[Address, ...] | None) -> None:
        self.addresses = addresses
        self.rate_limited = bool(addresses) and any(not a.rate_limit.is_unlimited for a in addresses or ())
        self.update_cap()

    def update_cap(self) -> None:
        self.cap = 1 if self.rate_limited else self.sender.settings.per_site


def address_ref(addresses: tuple[Address, ...], index: int) -> AddressRef:
    """The view of ``addresses[index]`` (numbered from 1 as the product's "Trying the No. n address" line)."""
    a = addresses[index]
    return AddressRef(
        a.from_site, a.dest, a.priority, a.server, index + 1, len(addresses), not a.rate_limit.is_unlimited
    )


class Request:
    """One send request: a package for one destination, and how far it has got (``sync``: bytes written)."""

    __slots__ = (
        "abandon_armed",
        "address",
        "connects",
        "delivered_at",
        "dest",
        "final",
        "hb",
        "hop",
        "index",
        "lane",
        "next_hop",
        "package",
        "pck",
        "priority",
        "queued",
        "queued_at",
        "reoffer_token",
        "restart_at",
        "rid",
        "send",
        "size",
        "status",
        "sync",
        "thread",
        "wait",
        "wait_since",
        "waiting_s",
    )

    def __init__(self, index: int, rid: str, package: str, lane: Lane, size: int, priority: int, now: float) -> None:
        self.index = index  # position in the engine's list of requests (all sites)
        self.rid = rid
        self.package = package
        self.lane = lane
        self.dest = dest = lane.dest
        self.final = dest  # the send's destination (routing sets it for hops)
        self.send: Request | None = None  # the send's first hop (None: this is it; no cycle for the GC to walk)
        self.hop = 0
        self.next_hop: Request | None = None
        self.wait: WaitReason | None = None
        self.wait_since = 0.0
        self.waiting_s = 0.0
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
        self.queued = False  # in its destination's queue (an entry there whose request is not queued is stale)
        self.thread: Thread | None = None
        self.address: tuple[tuple[Address, ...], int] | None = None  # the addresses and index last tried

    def move_to(self, lane: Lane) -> None:
        """Routing chose another lane before any thread touched the request (its remote file name follows)."""
        self.lane = lane
        self.dest = lane.dest
        self.pck = f"{lane.dest.share}\\{self.rid}.PCK"

    def waited(self, now: float) -> float:
        """Seconds spent waiting for an open address, counting a wait still going on."""
        if self.wait is not None and self.wait.reason == "closed":
            return self.waiting_s + (now - self.wait_since)
        return self.waiting_s

    def view(self, now: float = 0.0) -> RequestView:
        return RequestView(
            self.rid,
            self.package,
            self.dest.code,
            self.priority,
            self.status,
            self.size,
            self.size - self.sync,
            self.sync,
            self.connects,
            self.hb,
            self.queued_at,
            self.delivered_at,
            self.restart_at,
            self.thread.tid if self.thread else None,
            self.lane.sender.code,
            self.final.code,
            self.hop,
            self.rid if self.send is None else self.send.rid,
            self.wait,
            self.waited(now),
            None if self.address is None else address_ref(*self.address),
        )


class Thread:
    """One sending thread. It keeps the settings and the heartbeat rule it was created with.

    ``block_start``/``block_end``/``block_bytes`` describe the block in flight and mean something only while
    the thread is SENDING (a "fast" thread's are brought up to date by the transfer planner before use).
    """

    __slots__ = (
        "addr",
        "addrs",
        "beats_waiting",
        "block_bytes",
        "block_end",
        "block_start",
        "dest",
        "epoch",
        "fast",
        "file_open",
        "hb",
        "lane",
        "limit",
        "line_tail",
        "local",
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

    def __init__(
        self, tid: int, order: int, req: Request, settings: SenderSettings, beats_waiting: bool, now: float
    ) -> None:
        self.tid = tid
        self.line_tail = thread_tail(tid)  # its Sender.log lines end with this (console.engine.log_format)
        self.order = order  # the heap order key of its transfer entries (see console.engine.scheduler.BLOCK_ORDER_BASE)
        self.req = req
        self.dest = req.dest
        self.lane = req.lane
        self.local = req.lane.sender.index == 0  # a thread of the [sender] site (its lines go to the log sink)
        # The addresses as the thread loaded them when it was created, the one in use (index; -1: the implicit
        # address of a scenario without addresses) and its rate limit: kept to the end of the send, whatever is
        # applied meanwhile (KB Q317893). ``limit`` None: unlimited.
        self.addrs: tuple[Address, ...] = ()
        self.addr = -1
        self.limit: RateLimit | None = None
        self.settings = settings
        self.beats_waiting = beats_waiting
        self.state = ThreadState.STARTED
        self.phase_start = now
        self.hb = now
        self.retries_used = 0
        self.retry_at: float | None = None
        self.block_end = now
        self.block_start = now
        self.block_bytes = 0
        self.fast = False
        # The transfer segment: from time seg_t0 and byte seg_pos0 on, byte P is written by
        # seg_t0 + (P - seg_pos0) * seg_rate. Every block end is computed with this one formula, so
        # the per-block and the whole-transfer schedules give bit-identical times.
        self.seg_t0 = now
        self.seg_pos0 = 0
        self.seg_rate = 0.0
        self.epoch = -1  # the link's sharing epoch its segment was planned in (per-block transfers)
        self.file_open = False
        self.token = 0

    def view(
        self, now: float, heartbeat_timeout_s: float, pace: tuple[int | None, bool, float | None] = (None, True, None)
    ) -> ThreadView:
        """``pace``: (this hour's rate-limit percent, sending now, pause ends at) from the rate-limit planner."""
        hb = self.hb
        if self.beats_waiting and self.state is ThreadState.RETRY_WAIT:
            hb = self.hb + ((now - self.hb) // BEAT_INTERVAL_S) * BEAT_INTERVAL_S
        return ThreadView(
            self.tid,
            self.req.rid,
            self.dest.code,
            self.state,
            self.phase_start,
            hb,
            hb + heartbeat_timeout_s,
            self.beats_waiting,
            self.retry_at,
            self.retries_used,
            self.req.sync,
            self.req.size,
            self.settings,
            self.lane.sender.code,
            address_ref(self.addrs, self.addr) if self.addr >= 0 else None,
            pace[0],
            pace[1],
            pace[2],
        )
