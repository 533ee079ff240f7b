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


class ThreadEvent(NamedTuple):
    time: float
    thread_id: int
    request_id: str
    dest: str
    state: ThreadState


class RequestEvent(NamedTuple):
    time: float
    request_id: str
    dest: str
    status: RequestStatus
    bytes_sent: int
    attempts: int


class _LogFields(NamedTuple):
    time: float
    thread_id: int
    text: str
    formatted: str | None = None  # the line as written to a log sink, when there was one
    clock: LogClock | None = None  # formats ``line`` on demand otherwise


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
    """A destination's link or server changed (outage start/end, restart, busy-site skip, version)."""

    time: float
    dest: str
    what: str  # "outage", "link up", "restart", "busy", "not busy", "version"
    until: float | None = None


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
)
"""Everything but the per-block ``TRANSFER`` timers: a block written is also its ``Wrote ...`` log line at the
same instant, on the same thread, so a view that has the log lines does not need a timer pair per block."""


@dataclass(frozen=True, slots=True)
class ThreadView:
    """One live sending thread, for a timer view. ``retry_at`` is None unless the thread waits to retry."""

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
