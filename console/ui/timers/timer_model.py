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

import enum
import heapq
import math
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from console.engine.events import (
    EngineEvent,
    LogEvent,
    RequestEvent,
    RequestStatus,
    SiteEvent,
    ThreadEvent,
    ThreadState,
    TimerAction,
    TimerEvent,
    TimerKind,
)
from console.ui.timers.timer_track import (  # noqa: F401 (re-exported: the view and tests import them here)
    GAP_ROW,
    Key,
    Segment,
    SegmentKind,
    ThreadTrack,
    request_priority,
)


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
    """Lanes of sending threads built from engine events; see the module docstring.

    Lanes are keyed by ``Key``: (site, thread id) for a thread, (site, request ID) for a request that waits for an
    address (a lane of its own, taken over by the thread that finally sends it). ``closures`` holds, per (sending
    site, destination, data priority), the spans its addresses were announced closed (``SiteEvent`` "closed").
    ``previous_hop`` (set by the view) names the hop a forwarded request continues: (site, request ID) or None.
    """

    def __init__(self, beats_waiting_now: bool = False) -> None:
        self.lanes: list[Lane] = []
        self.by_thread: dict[Key, Lane] = {}
        self.beats_waiting_now = beats_waiting_now
        self.beats_waiting_at: dict[str, bool] = {}
        """Per sending site other than the [sender] site: whether its threads beat while waiting (its version)."""
        self.main_site: str | None = None
        self.now = 0.0
        self.active: dict[Key, Lane] = {}
        """The lanes of the threads still alive (and of the requests still waiting), by key."""
        self.expired: dict[Key, ThreadTrack] = {}
        """The tracks on a lane that have a heartbeat-expired marker (the heartbeat plot's stars)."""
        self._free: list[int] = []  # heap of free lane indices: a new thread takes the lowest
        self._fold: deque[tuple[float, Key]] = deque()  # (exit time, key) of delivered threads
        self._keep: deque[tuple[float, Key]] = deque()  # the same for the others (kept until scrolled off)
        self._cutoffs = (0.0, 0.0)  # (fold_before, reuse_before) of the frame being fed
        self.restarts: list[tuple[float, str]] = []
        """(time, destination code) of each server restart still in view."""
        self.outages: dict[str, list[Outage]] = {}
        """Per destination code, its outages still in view, in time order."""
        self.closures: dict[tuple[str | None, str, int], list[list[float]]] = {}
        self.by_request: dict[Key, ThreadTrack] = {}
        """(site, request ID) -> the latest track on a lane for it (hop lines find the delivering thread here)."""
        self._hops: dict[Key, tuple[int, str | None]] = {}  # (site, request ID) -> (hop, final destination)
        self.previous_hop: Callable[[str | None, str], Key | None] | None = None
        self.sites_seen: set[str | None] = set()

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
        self.closures.clear()
        self.by_request.clear()
        self._hops.clear()
        self.sites_seen.clear()
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
                    lane = by_thread.get((e.site, e.thread_id))  # type: ignore[union-attr]
                    if lane is not None and lane.track is not None:
                        lane.track.beat(e.time)
                    continue
                kind = classify_marker(text)
                if kind is not None:
                    key = (e.site, e.thread_id)  # type: ignore[union-attr]
                    lane = by_thread.get(key)
                    if lane is not None and lane.track is not None:
                        lane.track.markers.append((e.time, kind))
                        if kind is MarkerKind.DELIVERED:
                            lane.track.delivered = True
                        elif kind is MarkerKind.HEARTBEAT_EXPIRED:
                            self.expired[key] = lane.track
            elif cls is ThreadEvent:
                self._on_thread(e)  # type: ignore[arg-type]
            elif cls is TimerEvent:
                self._on_timer(e)  # type: ignore[arg-type]
            elif cls is SiteEvent:
                self._on_site(e)  # type: ignore[arg-type]
            elif cls is RequestEvent:
                self._on_request(e)  # type: ignore[arg-type]
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
        elif e.what == "closed" and e.priority is not None:
            until = e.until if e.until is not None else math.inf
            closed = self.closures.setdefault((e.site, e.dest, e.priority), [])
            if closed and closed[-1][1] >= e.time:
                closed[-1][1] = max(closed[-1][1], until)
            else:
                closed.append([e.time, until])

    def _on_request(self, e: RequestEvent) -> None:
        NONE = RequestStatus.NONE
        key = (e.site, e.request_id)
        if e.hop or (e.final_dest and e.final_dest != e.dest):
            self._hops[key] = (e.hop, e.final_dest)
        lane = self.by_thread.get(key)
        if e.waiting_until is not None and e.status is RequestStatus.NONE:
            reason = "closed" if self._closed_at(e.site, e.dest, e.request_id, e.time) else "no address"
            if lane is not None and lane.track is not None and lane.track.exited is None:
                lane.track.waiting = (e.waiting_until, reason)
                lane.track.dest = e.dest
                return
            lane = self._allocate()
            track = ThreadTrack(0, e.request_id, e.dest, e.time, False, last_beat=e.time, site=e.site)
            track.waiting = (e.waiting_until, reason)
            track.hop, track.final_dest = self._hops.get(key, (0, e.final_dest))
            lane.track = track
            self.by_thread[key] = lane
            self.active[key] = lane
            self.sites_seen.add(e.site)
        elif lane is not None and lane.track is not None and lane.track.is_request and e.status is not NONE:
            self._end_wait(lane.track, e.time)  # taken by other means than a thread start (cancelled, routed on)

    def _closed_at(self, site: str | None, dest: str, request_id: str, t: float) -> bool:
        priority = request_priority(request_id)
        spans = self.closures.get((site, dest, priority)) if priority is not None else None
        return bool(spans) and spans[-1][0] <= t <= spans[-1][1]  # type: ignore[index]

    def _end_wait(self, track: ThreadTrack, t: float) -> None:
        track.exited = t
        track.delivered = True  # nothing to keep: fold soon
        self.active.pop(track.key, None)
        self._fold.append((t, track.key))

    def _release(self) -> None:
        fold_before, reuse_before = self._cutoffs
        freed = False
        for queue, before in ((self._fold, fold_before), (self._keep, reuse_before)):
            while queue and queue[0][0] < before:
                t, key = queue.popleft()
                lane = self.by_thread.get(key)
                if lane is None or lane.track is None or lane.track.key != key:
                    self.by_thread.pop(key, None)
                    continue
                if queue is self._fold and lane.track.forwarded:
                    self._keep.append((t, key))  # a later hop leaves from here: keep the line's start in view
                    continue
                del self.by_thread[key]
                if self.by_request.get((lane.track.site, lane.track.request_id)) is lane.track:
                    del self.by_request[(lane.track.site, lane.track.request_id)]
                lane.track = None
                self.expired.pop(key, None)
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
        key = (e.site, e.thread_id)
        if e.state is ThreadState.STARTED:
            if key in self.by_thread and self.by_thread[key].track is not None:
                return  # the engine reports STARTED twice (thread created, then its first state)
            beats = self.beats_waiting_at.get(e.site, self.beats_waiting_now)  # type: ignore[arg-type]
            if e.site is None or e.site == self.main_site:
                beats = self.beats_waiting_now
            track = ThreadTrack(e.thread_id, e.request_id, e.dest, e.time, beats, last_beat=e.time, site=e.site)
            req_key = (e.site, e.request_id)
            waiting = self.by_thread.get(req_key)
            if waiting is not None and waiting.track is not None and waiting.track.is_request:
                lane = waiting  # the thread takes over its request's waiting lane: the wait and the send in a row
                track.lane_from = waiting.track.started
                del self.by_thread[req_key]
                self.active.pop(req_key, None)
            else:
                lane = self._allocate()
            track.age_points.append((e.time, 0.0))
            track.hop, track.final_dest = self._hops.get(req_key, (0, None))
            if track.hop and self.previous_hop is not None:
                track.previous = self.previous_hop(e.site, e.request_id)
                before = self.by_request.get(track.previous) if track.previous is not None else None
                if before is not None:
                    before.forwarded = True
            lane.track = track
            self.by_thread[key] = lane
            self.active[key] = lane
            self.by_request[req_key] = track
            self.sites_seen.add(e.site)
            return
        lane = self.by_thread.get(key)
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
                # A delivery the next site forwards stays (a long frame would fold it before its hop line starts).
                final = self._hops.get((track.site, track.request_id), (0, track.final_dest))[1]
                fold = track.delivered and final in (None, track.dest)
                (self._fold if fold else self._keep).append((e.time, key))
                self.active.pop(key, None)
            track.exited = e.time
        elif e.state is ThreadState.CONNECTING:
            seg = track.open_segment
            if seg is not None and seg.kind is SegmentKind.RETRY_WAIT:
                track.close_segment(e.time)

    def _on_timer(self, e: TimerEvent) -> None:
        if e.thread_id is None:
            return
        lane = self.by_thread.get((e.site, e.thread_id))
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
        gone = []
        for dest, spans in self.outages.items():
            while spans and spans[0].end < before:
                del spans[0]
            if not spans:
                gone.append(dest)
        for dest in gone:  # thousands of sites each had an outage once: each frame walked them all
            del self.outages[dest]
        for closed in self.closures.values():
            while closed and closed[0][1] < before:
                del closed[0]

    # -- queries --------------------------------------------------------------------------------

    def track(self, thread_id: int, site: str | None = None) -> ThreadTrack | None:
        """The thread's track; without ``site``, that of the latest thread with this id at any site."""
        if site is not None:
            lane = self.by_thread.get((site, thread_id))
            return lane.track if lane is not None else None
        found = [lane.track for (_s, tid), lane in self.by_thread.items() if tid == thread_id and lane.track]
        return max(found, key=lambda t: t.started) if found else None

    def closed_spans(self, track: ThreadTrack) -> list[list[float]]:
        """When the addresses of the track's site to its destination were closed for its request's priority."""
        priority = track.priority
        return self.closures.get((track.site, track.dest, priority), []) if priority is not None else []

    def lane_at(self, index: int) -> Lane | None:
        return self.lanes[index] if 0 <= index < len(self.lanes) else None

    def outage_at(self, dest: str, t: float) -> Outage | None:
        """The outage of ``dest`` in effect at ``t`` (start inclusive, end exclusive), if any."""
        for span in self.outages.get(dest, ()):
            if span.start <= t < span.end:
                return span
        return None

    def tracks(self) -> list[ThreadTrack]:
        return [lane.track for lane in self.lanes if lane.track is not None and not lane.track.is_request]
