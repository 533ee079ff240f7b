"""What the timer view draws, kept apart from pyqtgraph so it can be tested (and reasoned about) without Qt.

The model is fed the bridge's frame batches in order and keeps, per *lane* (a row of the view):
the sending thread that occupies it, its phases (transfer, retry wait), its markers and its heartbeat
history. Everything is derived from engine events, not from per-frame snapshots, because at 600x one
frame is two simulated minutes: a snapshot would miss every block-by-block heartbeat in between.

Heartbeats the engine does not announce: the engine beats on start, on opening the file, on every block
written, when it notices an error (``RETRY_WAIT`` set) and, from SP4, every ``BEAT_INTERVAL_S`` while it
waits and on waking. The SP4 waiting beats are synthesised here from that rule; whether a thread beats while
waiting is decided by the sending site's version when the thread starts (engine docstring), which the model
reads from the engine at that moment.

A block written is read from its Sender.log line (``Wrote <n> bytes to <file> at position <p>``, one per
block, at the instant the block ends, on the writing thread), not from the ``TRANSFER`` timers: the bridge
subscribes with ``GUI_KINDS``, which leaves those timers out (a SET/FIRED pair per block cost the engine
half its time under load), and the log line is there anyway for the log view.

Destinations: a server restart (``SiteEvent`` "restart") and a network outage ("outage" with its ``until``,
extended when a second outage starts while the link is down) are kept per destination, apart from the lanes:
the KB case's restart happens while no thread to that site is alive, and it is what lets the next thread
open the package file, so it must be visible without a lane to sit on.

Lanes fold away: a thread takes the lowest free lane (or a new one at the bottom). A thread that delivered frees
its lane ``fold_before`` says (the view: ``FOLD_GRACE_S`` after its exit); a thread that exited without
delivering keeps its lane until it has scrolled off (``reuse_before``, the left edge of the window), because its
markers (heartbeat expired, Win32 error 32, the last network error) are what the user came to see and a
retry of its request may start much later. Free lanes at the bottom are removed, so the lane count follows the
threads worth showing instead of staying at the peak. Lanes are freed at the start of a ``feed`` and when a new
thread needs one, never at its end: the last threads of a long frame (``run_for``, a screenshot) stay on.

Per-frame cost (the view calls ``age_pieces`` for every lane): the live threads are kept apart (``active``),
an exited thread's heartbeat polyline is one numpy array built once, and a live thread's stored points are
converted to numpy incrementally into a buffer that is reused (``_AgeBuffer``); only its live tail is new.
"""

from __future__ import annotations

import bisect
import enum
import heapq
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from console.engine.events import (
    EngineEvent,
    LogEvent,
    SiteEvent,
    ThreadEvent,
    ThreadState,
    TimerAction,
    TimerEvent,
    TimerKind,
)
from console.engine.sender import BEAT_INTERVAL_S


class SegmentKind(enum.Enum):
    TRANSFER = "transfer"
    RETRY_WAIT = "retry wait"


class MarkerKind(enum.Enum):
    NETWORK_ERROR = "network error"
    HEARTBEAT_EXPIRED = "heartbeat expired"
    SHARING_VIOLATION = "Win32 error 32"
    DELIVERED = "delivered"


BLOCK_WRITTEN = "Wrote "
"""How the Sender.log line of a block written starts (research §4.2 wording): the per-block heartbeat."""


def classify_marker(text: str) -> MarkerKind | None:
    """The Sender.log lines (research §4.2 wording) that get a marker on the lane of their thread."""
    if text.startswith("Heartbeat is expired."):
        return MarkerKind.HEARTBEAT_EXPIRED
    if text.endswith("Win32 error = 32."):
        return MarkerKind.SHARING_VIOLATION
    if text.startswith(("Error during WNetAddConnection2", "Cannot write to the remote file")):
        return MarkerKind.NETWORK_ERROR
    if text == "Sending completed successfully":
        return MarkerKind.DELIVERED
    return None


@dataclass
class Segment:
    kind: SegmentKind
    start: float
    end: float | None = None  # None while open
    planned_end: float | None = None  # retry wait: when the thread will wake


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
    _buf: _AgeBuffer | None = field(default=None, repr=False, compare=False)
    _final: np.ndarray | None = field(default=None, repr=False, compare=False)

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


@dataclass
class Outage:
    """The link to ``dest`` is down from ``start`` to ``end`` (the announced end; a later outage extends it)."""

    dest: str
    start: float
    end: float


@dataclass
class Lane:
    index: int
    track: ThreadTrack | None = None


class TimerModel:
    """Lanes of sending threads built from engine events; see the module docstring."""

    def __init__(self, beats_waiting_now: bool = False) -> None:
        self.lanes: list[Lane] = []
        self.by_thread: dict[int, Lane] = {}
        self.beats_waiting_now = beats_waiting_now
        self.now = 0.0
        self.active: dict[int, Lane] = {}
        """The lanes of the threads still alive, by thread id."""
        self.expired: dict[int, ThreadTrack] = {}
        """The tracks on a lane that have a heartbeat-expired marker (the heartbeat plot's stars)."""
        self._free: list[int] = []  # heap of free lane indices: a new thread takes the lowest
        self._fold: deque[tuple[float, int]] = deque()  # (exit time, thread id) of delivered threads
        self._keep: deque[tuple[float, int]] = deque()  # the same for the others (kept until scrolled off)
        self._cutoffs = (0.0, 0.0)  # (fold_before, reuse_before) of the frame being fed
        self.restarts: list[tuple[float, str]] = []
        """(time, destination code) of each server restart still in view."""
        self.outages: dict[str, list[Outage]] = {}
        """Per destination code, its outages still in view, in time order."""

    def clear(self, beats_waiting_now: bool) -> None:
        self.lanes.clear()
        self.by_thread.clear()
        self.active.clear()
        self.expired.clear()
        self._free.clear()
        self._fold.clear()
        self._keep.clear()
        self.restarts.clear()
        self.outages.clear()
        self.beats_waiting_now = beats_waiting_now
        self.now = 0.0

    # -- feeding --------------------------------------------------------------------------------

    def feed(
        self, events: Iterable[EngineEvent], now: float, reuse_before: float, fold_before: float | None = None
    ) -> None:
        """Free the lanes due (module docstring), then take the frame's events. ``fold_before`` defaults to
        ``reuse_before`` (every exited thread kept until it has scrolled off)."""
        self._cutoffs = (reuse_before if fold_before is None else max(fold_before, reuse_before), reuse_before)
        self._release()
        by_thread = self.by_thread
        for e in events:
            cls = type(e)
            if cls is LogEvent:  # by far the most frequent: two per block under load
                text = e.text  # type: ignore[union-attr]
                if text.startswith(BLOCK_WRITTEN):
                    lane = by_thread.get(e.thread_id)  # type: ignore[union-attr]
                    if lane is not None and lane.track is not None:
                        lane.track.beat(e.time)
                    continue
                kind = classify_marker(text)
                if kind is not None:
                    lane = by_thread.get(e.thread_id)  # type: ignore[union-attr]
                    if lane is not None and lane.track is not None:
                        lane.track.markers.append((e.time, kind))
                        if kind is MarkerKind.DELIVERED:
                            lane.track.delivered = True
                        elif kind is MarkerKind.HEARTBEAT_EXPIRED:
                            self.expired[e.thread_id] = lane.track  # type: ignore[union-attr]
            elif cls is ThreadEvent:
                self._on_thread(e)  # type: ignore[arg-type]
            elif cls is TimerEvent:
                self._on_timer(e)  # type: ignore[arg-type]
            elif cls is SiteEvent:
                self._on_site(e)  # type: ignore[arg-type]
        self.now = now

    def _on_site(self, e: SiteEvent) -> None:
        if e.what == "restart":
            self.restarts.append((e.time, e.dest))
        elif e.what == "outage" and e.until is not None:
            spans = self.outages.setdefault(e.dest, [])
            if spans and spans[-1].end >= e.time:
                spans[-1].end = max(spans[-1].end, e.until)  # a second outage while down: the link stays down
            else:
                spans.append(Outage(e.dest, e.time, e.until))
        elif e.what == "link up":
            spans = self.outages.get(e.dest)
            if spans and spans[-1].start <= e.time < spans[-1].end:
                spans[-1].end = e.time

    def _release(self) -> None:
        fold_before, reuse_before = self._cutoffs
        freed = False
        for queue, before in ((self._fold, fold_before), (self._keep, reuse_before)):
            while queue and queue[0][0] < before:
                tid = queue.popleft()[1]
                lane = self.by_thread.pop(tid, None)
                if lane is not None and lane.track is not None and lane.track.thread_id == tid:
                    lane.track = None
                    self.expired.pop(tid, None)
                    heapq.heappush(self._free, lane.index)
                    freed = True
        if freed and self.lanes[-1].track is None:
            while self.lanes and self.lanes[-1].track is None:
                self.lanes.pop()
            self._free = [i for i in self._free if i < len(self.lanes)]
            heapq.heapify(self._free)

    def _allocate(self) -> Lane:
        self._release()  # a thread that exited earlier in this (long) frame may be due already
        if self._free:
            return self.lanes[heapq.heappop(self._free)]
        lane = Lane(len(self.lanes))
        self.lanes.append(lane)
        return lane

    def _on_thread(self, e: ThreadEvent) -> None:
        if e.state is ThreadState.STARTED:
            if e.thread_id in self.by_thread and self.by_thread[e.thread_id].track is not None:
                return  # the engine reports STARTED twice (thread created, then its first state)
            lane = self._allocate()
            track = ThreadTrack(e.thread_id, e.request_id, e.dest, e.time, self.beats_waiting_now, last_beat=e.time)
            track.age_points.append((e.time, 0.0))
            lane.track = track
            self.by_thread[e.thread_id] = lane
            self.active[e.thread_id] = lane
            return
        lane = self.by_thread.get(e.thread_id)
        if lane is None or lane.track is None:
            return
        track = lane.track
        track.state = e.state
        if e.state is ThreadState.OPENING:
            track.beat(e.time)
        elif e.state is ThreadState.SENDING:
            track.close_segment(e.time)
            track.segments.append(Segment(SegmentKind.TRANSFER, e.time))
        elif e.state is ThreadState.RETRY_WAIT:
            track.close_segment(e.time)
            track.beat(e.time)  # the thread is awake when it notices the error
            track.segments.append(Segment(SegmentKind.RETRY_WAIT, e.time))
        elif e.state is ThreadState.FINISHING:
            track.close_segment(e.time)
        elif e.state is ThreadState.EXITED:
            track.close_segment(e.time)
            if track.exited is None:
                (self._fold if track.delivered else self._keep).append((e.time, e.thread_id))
                self.active.pop(e.thread_id, None)
            track.exited = e.time
        elif e.state is ThreadState.CONNECTING:
            seg = track.open_segment
            if seg is not None and seg.kind is SegmentKind.RETRY_WAIT:
                track.close_segment(e.time)

    def _on_timer(self, e: TimerEvent) -> None:
        if e.thread_id is None:
            return
        lane = self.by_thread.get(e.thread_id)
        if lane is None or lane.track is None:
            return
        track = lane.track
        if e.kind is TimerKind.RETRY_WAIT:
            seg = track.open_segment
            if e.action is TimerAction.SET and seg is not None and seg.kind is SegmentKind.RETRY_WAIT:
                seg.planned_end = e.deadline
            elif e.action is TimerAction.FIRED:
                track.close_segment(e.time)
                if track.beats_waiting:
                    track.beat(e.time)

    def prune(self, before: float) -> None:
        """Forget what has scrolled off. Exited threads are left alone: their lanes go soon, whole."""
        for lane in self.active.values():
            if lane.track is not None:
                lane.track.prune(before)
        while self.restarts and self.restarts[0][0] < before:
            del self.restarts[0]
        for spans in self.outages.values():
            while spans and spans[0].end < before:
                del spans[0]

    # -- queries --------------------------------------------------------------------------------

    def track(self, thread_id: int) -> ThreadTrack | None:
        lane = self.by_thread.get(thread_id)
        return lane.track if lane is not None else None

    def lane_at(self, index: int) -> Lane | None:
        return self.lanes[index] if 0 <= index < len(self.lanes) else None

    def outage_at(self, dest: str, t: float) -> Outage | None:
        """The outage of ``dest`` in effect at ``t`` (start inclusive, end exclusive), if any."""
        for span in self.outages.get(dest, ()):
            if span.start <= t < span.end:
                return span
        return None

    def tracks(self) -> list[ThreadTrack]:
        return [lane.track for lane in self.lanes if lane.track is not None]
