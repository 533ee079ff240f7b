"""What the sender engine keeps per destination, per send request and per sending thread.

Plain mutable records with ``__slots__``: the engine reads and writes their fields on every block of a
watched run, so they are not dataclasses (no per-field machinery) and they hold no logic but their own
snapshot (``view``). Views are frozen copies (``console.engine.events``) so that a GUI can keep them
while the engine runs on.

Staleness: a heap entry names the object it is about and a token; the object's token moves on when the
entry is superseded (``Thread.token`` for its transfer or retry wake, ``Dest.outage_token`` and
``Dest.busy_token`` for a link's outage end and busy-site skip end, ``Request.reoffer_token`` for a
re-offer). The scheduler drops an entry whose token no longer matches without counting it.
"""

from __future__ import annotations

from console.engine.events import RequestStatus, RequestView, ThreadState, ThreadView
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

BEAT_INTERVAL_S = 60.0
"""From SP4 a thread waiting *Delay before retrying* beats this often (shown by snapshots only: nothing
else depends on the beats in between)."""


class Dest:
    """One destination site as the sending site sees it: its link, its skips, its queue and its open files."""

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
        self.version: SiteVersion = site.version
        self.bytes_per_s = link_kbps * 125.0
        self.down_until = -1.0
        self.outage_token = 0
        self.busy_until = -1.0
        self.busy_token = 0
        self.active = 0  # sending threads for this destination (any state)
        self.sending = 0  # threads moving data on the link now
        self.threads: list[Thread] = []
        # The outbox's per-destination queue, (priority, arrival order, request); see console.engine.outbox.
        self.queue: list[tuple[int, int, Request]] = []
        self.gkey: tuple[int, int] | None = None
        self.open_files: dict[str, int] = {}  # remote file name -> thread id that opened it


class Request:
    """One send request: a package for one destination, and how far it has got (``sync``: bytes written)."""

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

    def __init__(self, index: int, rid: str, package: str, dest: Dest, size: int, priority: int, now: float) -> None:
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
        self.queued = False  # in its destination's queue (an entry there whose request is not queued is stale)
        self.thread: Thread | None = None

    def view(self) -> RequestView:
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
        )


class Thread:
    """One sending thread. It keeps the settings and the heartbeat rule it was created with.

    ``block_start``/``block_end``/``block_bytes`` describe the block in flight and mean something only while
    the thread is SENDING (a "fast" thread's are brought up to date by the transfer planner before use).
    """

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

    def __init__(
        self, tid: int, order: int, req: Request, settings: SenderSettings, beats_waiting: bool, now: float
    ) -> None:
        self.tid = tid
        self.order = order  # the heap order key of its transfer entries (see console.engine.scheduler.BLOCK_ORDER_BASE)
        self.req = req
        self.dest = req.dest
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
        self.file_open = False
        self.token = 0

    def view(self, now: float, heartbeat_timeout_s: float) -> ThreadView:
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
        )
