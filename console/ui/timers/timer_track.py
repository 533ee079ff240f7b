"""One lane occupant of the timer view: a sending thread's history (or a request waiting for an address).

Split from timer_model (its module docstring tells the story): the phases, markers and heartbeat polyline of one
thread, with the incremental numpy buffer the view's per-frame cost relies on.
"""

from __future__ import annotations

import bisect
import enum
from dataclasses import dataclass, field
from itertools import chain
from typing import TYPE_CHECKING

import numpy as np

from console.engine.events import ThreadState
from console.engine.sender import BEAT_INTERVAL_S

if TYPE_CHECKING:
    from console.ui.timers.timer_model import MarkerKind


class SegmentKind(enum.Enum):
    TRANSFER = "transfer"
    RETRY_WAIT = "retry wait"


def request_priority(request_id: str) -> int | None:
    """A send request ID starts with its priority digit (``3_001PRI``: low), research §3.2."""
    return int(request_id[0]) if request_id[:1] in ("1", "2", "3") else None


Key = tuple[str | None, int | str]
"""A lane's occupant: (sending site, thread id) for a thread, (site, request ID) for a request waiting for an
address. Thread ids are unique per site only (each site runs its own sender)."""


@dataclass
class Segment:
    kind: SegmentKind
    start: float
    end: float | None = None  # None while open
    planned_end: float | None = None  # retry wait: when the thread will wake
    pauses: list[tuple[float, float]] = field(default_factory=list)  # transfer: rate-limit pauses (the engine's)


GAP_ROW = np.array([[np.nan, np.nan]])
"""Ends one thread's polyline in the heartbeat curve (drawn with ``connect="finite"``)."""


class _AgeBuffer:
    """A live thread's stored age points as an (n, 2) array, converted as they arrive and reused frame to frame.

    ``arr[lo:hi]`` holds the first ``hi - lo`` entries of the track's ``age_points``; pruning the list's front
    moves ``lo`` on, and the array doubles when full (keeping only the live part).
    """

    __slots__ = ("arr", "hi", "lo")

    def __init__(self) -> None:
        self.arr = np.empty((64, 2))
        self.lo = self.hi = 0

    def sync(self, points: list[tuple[float, float]]) -> np.ndarray:
        done = self.hi - self.lo
        new = len(points) - done
        if new > 0:
            if self.hi + new > len(self.arr):
                grown = np.empty((max(64, 2 * (done + new)), 2))
                grown[:done] = self.arr[self.lo : self.hi]
                self.arr, self.lo, self.hi = grown, 0, done
            flat = np.fromiter(chain.from_iterable(points[done:]), float, 2 * new)
            self.arr[self.hi : self.hi + new] = flat.reshape(new, 2)
            self.hi += new
        return self.arr[self.lo : self.hi]

    def drop_front(self, count: int) -> None:
        if count <= self.hi - self.lo:
            self.lo += count
        else:
            self.lo = self.hi = 0


@dataclass
class ThreadTrack:
    """One sending thread's history on its lane."""

    thread_id: int
    request_id: str
    dest: str
    started: float
    beats_waiting: bool
    state: ThreadState = ThreadState.STARTED
    exited: float | None = None
    segments: list[Segment] = field(default_factory=list)
    markers: list[tuple[float, MarkerKind]] = field(default_factory=list)
    # Heartbeat age as a polyline: (time, age in seconds); a beat adds (t, age before) and (t, 0).
    age_points: list[tuple[float, float]] = field(default_factory=list)
    last_beat: float = 0.0
    delivered: bool = False
    site: str | None = None
    waiting: tuple[float, str] | None = None
    """A request lane (no thread yet): (until, reason "closed" | "no address") while it waits for an address."""
    lane_from: float | None = None  # a thread that took over its request's waiting lane: when the wait began
    hop: int = 0
    final_dest: str | None = None
    previous: Key | None = None  # (site, request ID) of the hop that delivered the package this one forwards
    forwarded: bool = False  # a later hop's thread forwards what this one delivered: keep it on its lane
    address: object | None = None  # the engine's AddressRef, once looked up (None: not yet, or none)
    rate_limited: bool | None = None  # None: not looked up yet
    _buf: _AgeBuffer | None = field(default=None, repr=False, compare=False)
    _final: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def key(self) -> Key:
        return (self.site, self.request_id if self.is_request else self.thread_id)

    @property
    def is_request(self) -> bool:
        """A request waiting for an address, shown on a lane of its own until a thread takes it."""
        return self.thread_id == 0

    @property
    def priority(self) -> int | None:
        return request_priority(self.request_id)

    @property
    def since(self) -> float:
        return self.lane_from if self.lane_from is not None else self.started

    def beat(self, t: float) -> None:
        if t < self.last_beat:
            return
        self._final = None
        self.age_points.append((t, t - self.last_beat))
        self.age_points.append((t, 0.0))
        self.last_beat = t

    @property
    def open_segment(self) -> Segment | None:
        if self.segments and self.segments[-1].end is None:
            return self.segments[-1]
        return None

    def close_segment(self, t: float) -> Segment | None:
        seg = self.open_segment
        if seg is not None:
            seg.end = t
            if seg.kind is SegmentKind.RETRY_WAIT and self.beats_waiting:
                self._synthesise_wait_beats(seg.start, t)
        return seg

    def _synthesise_wait_beats(self, start: float, until: float) -> None:
        b = start + BEAT_INTERVAL_S
        while b < until:
            self.beat(b)
            b += BEAT_INTERVAL_S

    def heartbeat_age_at(self, t: float) -> float:
        """Seconds since the last beat at time ``t`` (counting SP4's waiting beats)."""
        last = self.last_beat
        seg = self.open_segment
        if seg is not None and seg.kind is SegmentKind.RETRY_WAIT and self.beats_waiting and t > seg.start:
            last = max(last, seg.start + ((t - seg.start) // BEAT_INTERVAL_S) * BEAT_INTERVAL_S)
        return max(0.0, t - last)

    def age_polyline(self, now: float) -> list[tuple[float, float]]:
        """The stored points plus the live tail (SP4 waiting beats included) up to ``now`` or the exit."""
        return self.age_points + self._age_tail(now)

    def _age_tail(self, now: float) -> list[tuple[float, float]]:
        end = self.exited if self.exited is not None else now
        seg = self.open_segment
        last = self.last_beat
        pts = []
        if seg is not None and seg.kind is SegmentKind.RETRY_WAIT and self.beats_waiting:
            b = seg.start + BEAT_INTERVAL_S
            while b <= end:
                pts.append((b, b - last))
                pts.append((b, 0.0))
                last = b
                b += BEAT_INTERVAL_S
        pts.append((end, max(0.0, end - last)))
        return pts

    def age_pieces(self, now: float) -> tuple[np.ndarray, ...]:
        """``age_polyline(now)`` and a gap row as (n, 2) arrays; an exited thread's is built once and kept."""
        if self._final is not None:
            return (self._final,)
        if self._buf is None:
            self._buf = _AgeBuffer()
        stored = self._buf.sync(self.age_points)
        tail = np.array(self._age_tail(now), dtype=float)
        if self.exited is None:
            return stored, tail, GAP_ROW
        self._final = np.concatenate((stored, tail, GAP_ROW))
        self._buf = None
        return (self._final,)

    def prune(self, before: float) -> None:
        """Forget history that has scrolled off (keep one point/segment before the edge for continuity)."""
        i = bisect.bisect_left(self.age_points, (before, -1.0))
        if i > 1:
            del self.age_points[: i - 1]
            self._final = None
            if self._buf is not None:
                self._buf.drop_front(i - 1)
        while len(self.segments) > 1 and self.segments[0].end is not None and self.segments[0].end < before:
            del self.segments[0]
        while self.markers and self.markers[0][0] < before:
            del self.markers[0]
