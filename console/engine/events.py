"""What the engine tells its observers, and the snapshots views read: all frozen, all Qt-free.

Views (the GUI's timer view, log view, outbox table) subscribe to the engine and receive these objects
synchronously, in virtual-time order, while the engine runs. The GUI bridge should only queue them
and repaint at a few Hz (DESIGN.md §2): a busy run produces hundreds of thousands of events.

Times are virtual seconds since the scenario's start (``engine.start + timedelta(seconds=t)`` is the
wall-clock reading of the simulated clock).

Why the events are ``NamedTuple``s (immutable): a watched run builds one or more per 256 KB block, and a
frozen dataclass costs about three times as much to build (its ``__init__`` goes through
``object.__setattr__`` per field). Equality is a tuple's, so compare events of one class only.

``LogEvent.line`` (the full Sender.log line) is built on first read when the engine did not already format it
for a log sink: the timestamp is most of a line's cost and a view that builds its rows from ``time``,
``thread_id`` and ``text`` never needs it.

Listeners choose what they get: ``engine.subscribe(listener, kinds=...)`` with event classes and/or
``TimerKind`` members (see ``EventKinds``); the engine builds only events that some listener asked for.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from console.engine.log_format import COMPONENT, format_stamped_line
from console.model.sender_settings import SenderSettings

if TYPE_CHECKING:
    from console.engine.log_clock import LogClock


class ThreadState(enum.Enum):
    """Life of one sending thread. Connecting and opening are instantaneous in the model."""

    STARTED = "started"
    CONNECTING = "connecting"
    OPENING = "opening"
    SENDING = "sending"
    RETRY_WAIT = "retry wait"
    FINISHING = "finishing"
    EXITED = "exited"


class RequestStatus(enum.Enum):
    """Dumpsend's ``Sender status`` values (research §3.2); the engine uses the ones a run can reach."""

    NONE = "SREQ_STATUS_NONE"
    STARTED = "SREQ_STATUS_STARTED"
    CONNECTING = "SREQ_STATUS_CONNECTING"
    SENDING = "SREQ_STATUS_SENDING"
    ERROR = "SREQ_STATUS_ERROR"
    INVALID = "SREQ_STATUS_INVALID"
    CANCELLED = "SREQ_STATUS_CANCELLED"
    SUSPENDED = "SREQ_STATUS_SUSPENDED"
    OK = "SREQ_STATUS_OK"

    @property
    def summary(self) -> str:
        """The three words of the JSON summary (DESIGN.md §4)."""
        if self is RequestStatus.OK:
            return "delivered"
        if self is RequestStatus.CANCELLED:
            return "failed"
        return "pending"


class TimerKind(enum.Enum):
    TRANSFER = "transfer"  # the block in flight completes at the deadline
    RETRY_WAIT = "retry wait"  # Delay before retrying
    HEARTBEAT_TIMEOUT = "heartbeat time-out"  # last beat + time-out: the thread is judged dead after this
    BUSY_SITE_SKIP = "busy-site skip"  # the one-hour skip of a destination that could not be reached
    OUTAGE_END = "outage end"  # the link to a destination comes back
    REOFFER = "re-offer"  # the Scheduler offers a pending request to the sender again
    ABANDON = "abandon"  # the Scheduler's 7-day limit on a failing job
    SCHEDULE_WAIT = "schedule wait"  # a request waits for an address to open for its priority (deadline: it opens)


class TimerAction(enum.Enum):
    SET = "set"
    CANCELLED = "cancelled"
    FIRED = "fired"


class TimerEvent(NamedTuple):
    time: float
    action: TimerAction
    kind: TimerKind
    deadline: float
    dest: str
    thread_id: int | None = None
    request_id: str | None = None
    site: str | None = None  # the sending site whose sender owns the timer (thread ids are per site)


class ThreadEvent(NamedTuple):
    time: float
    thread_id: int
    request_id: str
    dest: str
    state: ThreadState
    site: str | None = None  # the sending site whose sender runs the thread


class RequestEvent(NamedTuple):
    """A send request's status changed. ``dest`` is this hop's destination (the next site on the route),
    ``final_dest`` the send's; ``hop`` counts from 0 at the [sender] site. ``waiting_until`` is set while the
    request waits for an address to open (the request's status is then ``SREQ_STATUS_NONE``)."""

    time: float
    request_id: str
    dest: str
    status: RequestStatus
    bytes_sent: int
    attempts: int
    site: str | None = None  # the site that holds the request (its sender sends it)
    final_dest: str | None = None
    hop: int = 0
    waiting_until: float | None = None


class _LogFields(NamedTuple):
    time: float
    thread_id: int
    text: str
    formatted: str | None = None  # the line as written to a log sink, when there was one
    clock: LogClock | None = None  # formats ``line`` on demand otherwise
    site: str | None = None  # whose Sender.log the line belongs to (each site runs its own sender)


class LogEvent(_LogFields):
    """One Sender.log line: ``LogEvent(time, thread_id, text, line)``; ``line`` is formatted on first read."""

    __slots__ = ()

    @property
    def line(self) -> str:
        """The full SMS 2.0 line, as written (or as it would be written) to Sender.log."""
        if self.formatted is not None:
            return self.formatted
        if self.clock is None:
            raise ValueError("this LogEvent has neither a formatted line nor a clock to format one")
        return format_stamped_line(self.text, self.clock.stamp(self.time), self.thread_id, COMPONENT)

    @property
    def zone(self) -> str | None:
        """The time-zone name the line prints (``Eastern Daylight Time``), when the event came from an engine."""
        return self.clock.zone_name(self.time) if self.clock is not None else None


class SiteEvent(NamedTuple):
    """A destination's link or server changed (outage start/end, restart, version), or a sender's view of it did:
    ``busy``/``not busy`` (the busy-site skip of sender ``site``), ``closed`` (sender ``site``'s addresses to
    ``dest`` are closed for ``priority`` until ``until``, a request waits) and ``no address`` (none exists)."""

    time: float
    dest: str
    what: str  # "outage", "link up", "restart", "busy", "not busy", "version", "closed", "no address"
    until: float | None = None
    site: str | None = None  # the sending site for busy / not busy / closed / no address
    priority: int | None = None  # for "closed": the data priority the addresses are closed to


EngineEvent = TimerEvent | ThreadEvent | RequestEvent | LogEvent | SiteEvent
EVENT_CLASSES: tuple[type, ...] = (TimerEvent, ThreadEvent, RequestEvent, LogEvent, SiteEvent)

EventKinds = Iterable[type | TimerKind]
"""What ``subscribe(listener, kinds=...)`` accepts: event classes (``TimerEvent`` means every timer) and
``TimerKind`` members (timers of that kind only). ``None`` means everything."""

GUI_KINDS: tuple[type | TimerKind, ...] = (
    ThreadEvent,
    RequestEvent,
    LogEvent,
    SiteEvent,
    TimerKind.RETRY_WAIT,
    TimerKind.HEARTBEAT_TIMEOUT,
    TimerKind.BUSY_SITE_SKIP,
    TimerKind.OUTAGE_END,
    TimerKind.REOFFER,
    TimerKind.ABANDON,
    TimerKind.SCHEDULE_WAIT,
)
"""Everything but the per-block ``TRANSFER`` timers: a block written is also its ``Wrote ...`` log line at the
same instant, on the same thread, so a view that has the log lines does not need a timer pair per block."""


class AddressRef(NamedTuple):
    """The address a thread uses: ``index`` of ``count`` is the product's "Trying the No. <index> address (out of
    <count>)"; ``priority`` the relative address priority; ``rate_limited``: it has a rate limit."""

    from_site: str
    dest: str
    priority: int
    server: str
    index: int
    count: int
    rate_limited: bool = False


class WaitReason(NamedTuple):
    """Why a send request is not being sent: ``"closed"`` (every address to ``dest`` is closed for ``priority``
    until ``until``) or ``"no address"`` (none exists and no hop is possible; ``until`` = its next offer)."""

    reason: str
    dest: str
    priority: int
    until: float | None


@dataclass(frozen=True, slots=True)
class ThreadView:
    """One live sending thread, for a timer view. ``retry_at`` is None unless the thread waits to retry.

    ``site``: the sending site (thread ids are per site). ``address``: the address in use (None for the implicit
    one of a scenario without addresses). Under a rate limit (kept from the thread's start, KB Q317893)
    ``rate_percent`` is this hour's share, ``sending_now`` whether the transfer moves now and ``resumes_at`` when
    a pause ends; ``engine.transfer_segments`` gives the sending and paused stretches of a time span."""

    thread_id: int
    request_id: str
    dest: str
    state: ThreadState
    phase_start: float
    heartbeat_at: float
    heartbeat_deadline: float
    beats_while_waiting: bool
    retry_at: float | None
    retries_used: int
    bytes_sent: int
    total_bytes: int
    settings: SenderSettings
    site: str = ""
    address: AddressRef | None = None
    rate_percent: int | None = None
    sending_now: bool = True
    resumes_at: float | None = None


@dataclass(frozen=True, slots=True)
class RequestView:
    """One outbox row, as Dumpsend shows a send request (research §3.2)."""

    request_id: str
    package: str
    dest: str
    priority: int
    status: RequestStatus
    total_bytes: int
    bytes_left: int
    sync_point: int
    connects: int
    heartbeat_at: float | None
    queued_at: float
    delivered_at: float | None
    restart_at: float | None
    thread_id: int | None
    site: str = ""  # the site that holds the request (``request_id`` ends with its code)
    final_dest: str = ""  # the send's destination; ``dest`` is this hop's
    hop: int = 0  # 0 at the [sender] site, then 1, 2 ... along the route
    send_id: str = ""  # the request ID of the send's first hop: the send as the summary lists it
    waiting: WaitReason | None = None
    waiting_s: float = 0.0  # seconds spent waiting for an open address so far
    address: AddressRef | None = None  # the address last tried (kept after its thread ends); None: none yet or implicit


@dataclass(frozen=True, slots=True)
class HopView:
    """One hop of a send's route: ``from_site``'s send request to ``to``; ``to`` may still change while the
    request waits for an address (routing is decided when it is offered)."""

    from_site: str
    to: str
    request_id: str
    status: RequestStatus
    attempts: int
    delivered_at: float | None
    waiting_s: float
    waiting: WaitReason | None


@dataclass(frozen=True, slots=True)
class RouteView:
    """A send along its route: the hops so far in order (the last one is where the package is now)."""

    send_id: str
    package: str
    final_dest: str
    priority: int
    hops: tuple[HopView, ...]

    @property
    def delivered_at(self) -> float | None:
        last = self.hops[-1]
        return last.delivered_at if last.to == self.final_dest else None


@dataclass(frozen=True, slots=True)
class LaneView:
    """What sender ``site`` has towards ``dest``: its addresses in priority order, which data priorities they are
    closed to now (``closed_for``) and until when (``opens_at``, same order; None = closed all week), its
    busy-site skip, its threads and queued requests, and whether a rate limit holds it to one thread."""

    site: str
    dest: str
    addresses: tuple[AddressRef, ...]
    closed_for: tuple[int, ...]
    opens_at: tuple[float | None, ...]
    busy_until: float | None
    active: int
    queued: int
    rate_limited: bool
