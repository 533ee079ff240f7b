"""Addresses and routes on the timer view: closed schedules, rate-limit pauses and hops (issue 9, live view).

- A request that waits for an address (every address to its destination closed for its priority, or none at all)
  gets a lane of its own, labelled ``3_001PRI → CHI waits``, hatched from when it began waiting to the address's
  opening (or the window's right edge), with ``closed for low priority until 17:00`` written at "now". The thread
  that finally sends it takes over the lane, so the wait and the send read as one row. A thread's lane is also
  hatched where its address was announced closed for its priority while it sent (KB Q317893: a send that started
  stays on).
- Inside a transfer under a rate limit, the pauses the engine keeps (``engine.transfer_segments``) are drawn pale
  over the blue bar, at the engine's times.
- A forwarded hop: a dashed line from the delivery at one site (its lane's delivered marker) to the start of the
  thread that forwards it at the next site.
- When the run has more than one sender, a lane's label names its sending site: ``CHI: thread 200 → T30``.
"""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from console.model.durations import format_duration
from console.ui.timers.timer_model import Key, MarkerKind, SegmentKind, ThreadTrack
from console.ui.timers.timer_style import HOP_COLOUR, TRANSFER_COLOUR, blend
from console.ui.timers.view_items import ScrollingCurve

PRIORITY_WORDS = {1: "high", 2: "medium", 3: "low"}


def waiting_phrase(reason: str, dest: str, priority: int | None, until_text: str | None) -> str:
    """``address to CHI closed for low priority until 17:00`` / ``no address to CHI`` (hover and lane text)."""
    if reason == "closed":
        word = PRIORITY_WORDS.get(priority or 0, "this")
        return f"address to {dest} closed for {word} priority" + (f" until {until_text}" if until_text else "")
    return f"no address to {dest}" + (f" (offered again at {until_text})" if until_text else "")


class TimerRoutesMixin:
    """The address-and-route half of ``TimerView`` (mixed in before QWidget)."""

    def _build_routes(self, fg: QColor, bg: QColor) -> list[tuple[object, str]]:
        """Brushes, the hop-line item; returns the legend entries."""
        self._brush_closed = QBrush(fg, Qt.BrushStyle.BDiagPattern)
        self._brush_paused = pg.mkBrush(blend(QColor(TRANSFER_COLOUR), bg, 70))
        self._hop_pen = pg.mkPen(HOP_COLOUR, width=2, style=Qt.PenStyle.DashLine)
        self.hop_lines = ScrollingCurve(pen=self._hop_pen, connect="pairs")
        self.lanes_plot.addItem(self.hop_lines, ignoreBounds=True)
        self._hops_shown: list[tuple[float, float, float, float]] = []
        self._multi_site = False
        return [
            (pg.BarGraphItem(x0=[0], x1=[1], y=[0], height=1, brush=self._brush_closed, pen=fg), "address closed"),
            (pg.BarGraphItem(x0=[0], x1=[1], y=[0], height=1, brush=self._brush_paused, pen=None), "rate-limit pause"),
            (pg.PlotDataItem([0, 1], [0, 0], pen=self._hop_pen), "hop forwarded"),
        ]

    def _routes_engine_replaced(self) -> None:
        engine = self.bridge.engine
        source = self.bridge.source
        model = self.model
        model.main_site = engine.sending_site.code
        model.previous_hop = self._previous_hop
        senders = {engine.sending_site.code}
        if source.scenario is not None:
            model.beats_waiting_at = {s.site.code: s.site.version.fixes_q278357 for s in source.scenario.sites}
            senders |= {a.from_site for a in source.scenario.addresses}
        elif source.database is not None:
            model.beats_waiting_at = {site.code: site.version.fixes_q278357 for site in source.database}
        self._multi_site = len(senders) > 1

    def _previous_hop(self, site: str | None, request_id: str) -> Key | None:
        for route in self.bridge.engine.routes():
            for i, hop in enumerate(route.hops):
                if hop.request_id == request_id and hop.from_site == site and i > 0:
                    before = route.hops[i - 1]
                    return (before.from_site, before.request_id)
        return None

    def _sync_addresses(self, now: float) -> None:
        """Per live thread: its address (looked up once) and, under a rate limit, the pauses of its transfer so far."""
        engine = self.bridge.engine
        if not engine.has_addresses:
            return
        live = [lane.track for lane in self.model.active.values() if lane.track and not lane.track.is_request]
        if any(t.rate_limited is None for t in live):
            views = {(v.site, v.thread_id): v for v in engine.threads()}
            for track in live:
                view = views.get((track.site, track.thread_id))
                if track.rate_limited is None and view is not None:
                    track.address = view.address
                    track.rate_limited = bool(view.address is not None and view.address.rate_limited)
        for track in live:
            seg = track.open_segment
            if track.rate_limited and seg is not None and seg.kind is SegmentKind.TRANSFER and now > seg.start:
                try:
                    pieces = engine.transfer_segments(track.thread_id, seg.start, now, site=track.site)
                except KeyError:
                    continue
                seg.pauses = [(a, b) for a, b, sending in pieces if not sending and b > a]

    def lane_label(self, track: ThreadTrack) -> str:
        if track.is_request:
            return f"{track.request_id} \u2192 {track.dest} waits"
        gone = " (exited)" if track.exited is not None else ""
        site = f"{track.site}: " if track.site and (self._multi_site or len(self.model.sites_seen) > 1) else ""
        return f"{site}thread {track.thread_id} \u2192 {track.dest}{gone}"

    def _route_bars(self, track: ThreadTrack, y: float, now: float, left: float, right: float, out: tuple) -> None:
        """Hatched closures (first, under the bars) of one lane, appended to ``out`` = (x0, x1, ys, brushes)."""
        x0, x1, ys, brushes = out
        life_end = track.exited if track.exited is not None else right
        spans = [list(s) for s in self.model.closed_spans(track)]
        if track.is_request and track.waiting is not None and track.waiting[1] == "closed" and not spans:
            spans = [[track.started, track.waiting[0]]]
        for a, b in spans:
            a, b = max(a, track.since), min(b, life_end, right)
            if b > a and b >= left:
                x0.append(a)
                x1.append(b)
                ys.append(y)
                brushes.append(self._brush_closed)

    def _pause_bars(self, track: ThreadTrack, y: float, left: float, out: tuple) -> None:
        x0, x1, ys, brushes = out
        for seg in track.segments:
            for a, b in seg.pauses:
                if b >= left:
                    x0.append(a)
                    x1.append(b)
                    ys.append(y)
                    brushes.append(self._brush_paused)

    def _wait_text(self, track: ThreadTrack, now: float) -> str | None:
        """What a waiting request's lane says at "now"."""
        if not track.is_request or track.waiting is None or track.exited is not None:
            return None
        until, reason = track.waiting
        when = None if until is None or math.isinf(until) else self._clock(until)
        text = waiting_phrase(reason, track.dest, track.priority, when)
        if when is not None and until > now:
            text += f" (in {format_duration(until - now)})"
        return text

    def _place_hops(self, rows: dict[int, float], left: float) -> None:
        """One dashed segment per forwarded hop whose both lanes are on screen (``rows``: lane index -> y)."""
        segs: list[tuple[float, float, float, float]] = []
        by_request = self.model.by_request
        for lane in self.model.lanes:
            track = lane.track
            if track is None or track.previous is None or lane.index not in rows:
                continue
            before = by_request.get(track.previous)
            lane_before = self.model.by_thread.get(before.key) if before is not None else None
            if before is None or lane_before is None or lane_before.index not in rows:
                continue
            delivered = [t for t, k in before.markers if k is MarkerKind.DELIVERED]
            t0 = delivered[-1] if delivered else (before.exited if before.exited is not None else track.started)
            if track.started >= left:
                segs.append((t0, rows[lane_before.index], track.started, rows[lane.index]))
        if segs != self._hops_shown:
            self._hops_shown = segs
            xs = [v for a, ya, b, yb in segs for v in (a, b)]
            ys = [v for a, ya, b, yb in segs for v in (ya, yb)]
            self.hop_lines.setData(xs, ys, connect="pairs")

    def hop_data(self) -> list[tuple[float, float, float, float]]:
        """The drawn hop lines as (delivered at, from lane, forwarder started, to lane)."""
        return list(self._hops_shown)

    def _describe_route(self, track: ThreadTrack, x: float) -> list[str]:
        """Hover parts about the track's address, wait, closure, rate-limit pause and hop."""
        parts = []
        if track.is_request:
            text = self._wait_text(track, self.bridge.engine.now)
            if text:
                parts.append(f"waits: {text}")
            return parts
        address = track.address
        if address is not None:
            limited = ", rate-limited" if address.rate_limited else ""
            parts.append(f"address No. {address.index} of {address.count}, {address.server}{limited}")
        for a, b in self.model.closed_spans(track):
            if a <= x <= b:
                word = PRIORITY_WORDS.get(track.priority or 0, "this")
                parts.append(f"address to {track.dest} closed for {word} priority until {self._clock(b)}")
        for seg in track.segments:
            for a, b in seg.pauses:
                if a <= x <= b:
                    parts.append(f"rate-limit pause {self._clock(a)}\u2013{self._clock(b)}")
        if track.lane_from is not None:
            parts.append(f"waited for its address {self._clock(track.lane_from)}\u2013{self._clock(track.started)}")
        if track.previous is not None:
            parts.append(f"hop {track.hop + 1}: forwards what {track.previous[0]} delivered ({track.previous[1]})")
        return parts
