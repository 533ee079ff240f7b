"""What the engine tells its observers, and the snapshots views read: all frozen, all Qt-free.

Views (the GUI's timer view, log view, outbox table) subscribe to the engine and receive these objects
synchronously, in virtual-time order, while the engine runs. The GUI bridge should only queue them
and repaint at a few Hz (DESIGN.md §2): a busy run produces hundreds of thousands of events.

Times are virtual seconds since the scenario's start (``engine.start + timedelta(seconds=t)`` is the
wall-clock reading of the simulated clock).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from console.model.sender_settings import SenderSettings


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
    TRANSFER = "transfer"                  # the block in flight completes at the deadline
    RETRY_WAIT = "retry wait"              # Delay before retrying
    HEARTBEAT_TIMEOUT = "heartbeat time-out"  # last beat + time-out: the thread is judged dead after this
    BUSY_SITE_SKIP = "busy-site skip"      # the one-hour skip of a destination that could not be reached
    OUTAGE_END = "outage end"              # the link to a destination comes back
    REOFFER = "re-offer"                   # the Scheduler offers a pending request to the sender again
    ABANDON = "abandon"                    # the Scheduler's 7-day limit on a failing job


class TimerAction(enum.Enum):
    SET = "set"
    CANCELLED = "cancelled"
    FIRED = "fired"


@dataclass(frozen=True, slots=True)
class TimerEvent:
    time: float
    action: TimerAction
    kind: TimerKind
    deadline: float
    dest: str
    thread_id: int | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadEvent:
    time: float
    thread_id: int
    request_id: str
    dest: str
    state: ThreadState


@dataclass(frozen=True, slots=True)
class RequestEvent:
    time: float
    request_id: str
    dest: str
    status: RequestStatus
    bytes_sent: int
    attempts: int


@dataclass(frozen=True, slots=True)
class LogEvent:
    time: float
    thread_id: int
    text: str
    line: str  # the full SMS 2.0 line, as written to Sender.log


@dataclass(frozen=True, slots=True)
class SiteEvent:
    """A destination's link or server changed (outage start/end, restart, busy-site skip, version)."""

    time: float
    dest: str
    what: str  # "outage", "link up", "restart", "busy", "not busy", "version"
    until: float | None = None


EngineEvent = TimerEvent | ThreadEvent | RequestEvent | LogEvent | SiteEvent


@dataclass(frozen=True, slots=True)
class ThreadView:
    """One live sending thread, for a timer view. ``retry_at``/``transfer_done_at`` are None unless waiting."""

    thread_id: int
    request_id: str
    dest: str
    state: ThreadState
    phase_start: float
    heartbeat_at: float
    heartbeat_deadline: float
    beats_while_waiting: bool
    retry_at: float | None
    transfer_done_at: float | None
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
    attempts: int
    queued_at: float
    delivered_at: float | None
    restart_at: float | None
    thread_id: int | None
