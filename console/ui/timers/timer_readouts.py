"""What the timer view shows, read back: hover text, the idle hint, and the drawn bars, markers and labels for tests."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QToolTip

from console.engine.events import ThreadState
from console.engine.sources import DEMO_ROUND_S, DEMO_ROUNDS
from console.model.durations import format_duration
from console.model.sim_clock import clock_time
from console.ui.timers.timer_model import ThreadTrack

HOVER_HINT = "Point at a lane for the thread's details."


class TimerReadoutsMixin:
    """The read-back half of ``TimerView`` (mixed in before QWidget)."""

    _hover_pos: QPointF | None = None  # where the pointer last was over the lanes (scene coordinates)

    def _server(self, dest: str) -> str:
        return self._servers.get(dest) or f"{dest}'s server"

    def bar_data(self) -> list[tuple[float, float, float, str]]:
        """The drawn bars as (x0, x1, lane, kind) with kind "transfer", "waited", "countdown" or "link down"."""
        opts = self.bars.opts
        names = {
            id(self._brush_transfer): "transfer",
            id(self._brush_wait): "countdown",
            id(self._brush_waited): "waited",
            id(self._brush_outage): "link down",
            id(self._brush_closed): "closed",
            id(self._brush_paused): "paused",
        }
        return [
            (float(a), float(b), float(y), names.get(id(br), "?"))
            for a, b, y, br in zip(opts["x0"], opts["x1"], opts["y"], opts["brushes"], strict=True)
        ]

    def marker_data(self) -> list[tuple[float, float, str]]:
        """The drawn markers as (time, lane, MarkerKind.value)."""
        out = []
        for track_lane in self.model.lanes:
            if track_lane.track is not None:
                out.extend((t, float(track_lane.index), k.value) for t, k in track_lane.track.markers)
        return sorted(out)

    def countdown_texts(self) -> list[str]:
        return [t.toPlainText() for t in self._countdown_texts if t.isVisible()]

    def restart_marks(self) -> list[tuple[float, str]]:
        """The restart lines on screen as (time, label text)."""
        return self._marks(self.restart_lines, self._restart_labels, self._restart_shown)

    def outage_marks(self) -> list[tuple[float, str]]:
        """The outage-start lines on screen as (time, label text)."""
        return self._marks(self.outage_lines, self._outage_labels, self._outage_shown)

    @staticmethod
    def _marks(lines: object, labels: list, shown: list) -> list[tuple[float, str]]:
        drawn = lines.shown_xs  # type: ignore[attr-defined]
        marks = sorted(
            (entry[0][0], label.toPlainText().strip()) for label, entry in zip(labels, shown, strict=True) if entry
        )
        assert all(t in drawn for t, _text in marks), "every label has its line"
        return marks

    def outage_line_times(self) -> list[float]:
        """Where the outage-start lines on screen are (a crowded window labels only some of them)."""
        return sorted(self.outage_lines.shown_xs)

    def details_at(self, x: float, y: float) -> str | None:
        """Hover text for lane ``round(y)`` at simulated time ``x``, and any server restart near ``x``."""
        parts = []
        lane = self.model.lane_at(round(y))
        if lane is not None and lane.track is not None:
            parts.append(self._describe(lane.track, x))
        near = (self.window_range[1] - self.window_range[0]) / 100
        parts += [
            f"{self._server(dest)} restarted: open files cleared ({self._clock(t)})"
            for t, dest in self.model.restarts
            if abs(t - x) <= near
        ]
        parts += [
            f"link to {o.dest} down {self._clock(o.start)}\u2013{self._clock(o.end)}"
            for spans in self.model.outages.values()
            for o in spans
            if abs(o.start - x) <= near and (lane is None or lane.track is None or lane.track.dest != o.dest)
        ]
        return " \u00b7 ".join(parts) if parts else None

    def _clock(self, t: float) -> str:
        return clock_time(self.bridge.engine.start, t)

    def _describe(self, track: ThreadTrack, x: float) -> str:
        now = self.bridge.engine.now
        if track.is_request:
            word = {1: "high", 2: "medium", 3: "low"}.get(track.priority or 0, "")
            head = f"Request {track.request_id} ({word} priority) at {track.site} for {track.dest}"
            since = f"waiting since {self._clock(track.started)} ({format_duration(now - track.started)})"
            return " \u00b7 ".join([head, *self._describe_route(track, x), since])
        at = min(max(x, track.started), track.exited if track.exited is not None else now)
        state = "exited" if track.exited is not None else track.state.value
        parts = [
            f"Thread {track.thread_id} (0x{track.thread_id:X})" + (f" at {track.site}" if track.site else ""),
            f"request {track.request_id}",
            f"to {track.dest}",
            f"state: {state}",
        ]
        if track.exited is not None:
            parts.append(f"exited {self._clock(track.exited)}")
        age = track.heartbeat_age_at(at)
        timeout = self.bridge.engine.heartbeat_timeout_s
        parts.append(
            f"heartbeat age at {self._clock(at)}: {format_duration(age)}"
            f"{' (past the time-out)' if age > timeout else ''}"
        )
        seg = track.open_segment
        if seg is not None and seg.planned_end is not None and track.state is ThreadState.RETRY_WAIT:
            parts.append(f"retry at {self._clock(seg.planned_end)} (in {format_duration(seg.planned_end - now)})")
        parts += self._describe_route(track, x)
        near = [k.value for t, k in track.markers if abs(t - x) <= (self.window_range[1] - self.window_range[0]) / 100]
        if near:
            parts.append("here: " + ", ".join(near))
        outage = self.model.outage_at(track.dest, x)
        if outage is not None:
            parts.append(f"link to {track.dest} down {self._clock(outage.start)}\u2013{self._clock(outage.end)}")
        return " \u00b7 ".join(parts)

    def _on_mouse_moved(self, pos: QPointF) -> None:
        if not self.lanes_plot.vb.sceneBoundingRect().contains(pos):
            return
        self._hover_pos = pos
        self._show_hover(pos, tooltip=True)

    def _show_hover(self, pos: QPointF, tooltip: bool) -> None:
        p = self.lanes_plot.vb.mapSceneToView(pos)
        text = self.details_at(p.x(), p.y())
        if text is None:
            self.details.setText(HOVER_HINT)
            QToolTip.hideText()
            return
        self.details.setText(text)
        self.details.setToolTip(text.replace(" \u00b7 ", "\n"))
        if tooltip or QToolTip.isVisible():
            QToolTip.showText(QCursor.pos(), text.replace(" \u00b7 ", "\n"), self)

    def _refresh_hover(self) -> None:
        """Lanes scroll and fold under a pointer that does not move: after each frame the hover text describes what
        is under it now, not the thread that was there when it last moved."""
        if self._hover_pos is None:
            return
        if not self.graphics.underMouse():  # the pointer left the plot: nothing is pointed at any more
            self._forget_hover()
            return
        self._show_hover(self._hover_pos, tooltip=False)

    def _forget_hover(self) -> None:
        self._hover_pos = None
        self.details.setText(HOVER_HINT)
        QToolTip.hideText()

    def _idle_hint(self, now: float) -> str:
        """What the lanes say while no thread is alive: when something happens next (the demo's hourly rounds
        leave the plot idle for most of each hour; an empty plot with no word looks broken)."""
        if self.model.active:
            return ""
        end = self.bridge.end_s
        if end is not None and now >= end:
            return "The scenario has run its full duration: nothing more happens. Reset runs it again."
        source = self.bridge.source
        if source.database is not None and source.demo_traffic:
            next_round = math.ceil(now / DEMO_ROUND_S) * DEMO_ROUND_S
            if next_round < DEMO_ROUNDS * DEMO_ROUND_S:
                when = clock_time(self.bridge.engine.start, next_round)
                return f"Idle until the demo's next round at {when} (in {format_duration(next_round - now)})"
        if not self.model.lanes:
            return "No sending threads yet: queue a package or let the clock run."
        upcoming = self.bridge.engine.next_event_time()
        if upcoming is None:
            return "No thread is sending and nothing is scheduled: queue a package."
        end = self.bridge.end_s
        if end is not None and upcoming > end:
            return "No thread is sending, and nothing more happens before the scenario ends."
        when = clock_time(self.bridge.engine.start, upcoming)
        return f"No thread is sending; next engine event at {when} (in {format_duration(max(0.0, upcoming - now))})"
