"""A pyqtgraph axis that labels virtual seconds as the simulated wall clock (``09:12``, ``09:12:30``).

Not ``DateAxisItem``: that one converts through the *host's* local time zone and epoch, so a scenario that
starts in March 2001 would need epoch arithmetic and would shift with the machine's DST rules. Here the
values stay virtual seconds since the scenario's start and only the labels add ``start``.
Tick steps are clock-friendly (10 s ... 6 h) rather than pyqtgraph's decimal 1-2-5 steps.
No SI prefix: seconds since the start never reach pyqtgraph's 1e9 threshold, yet the check re-set the axis label's
HTML (and its cached pixmap) on every scrolling frame.
"""

from __future__ import annotations

import datetime as _dt

from console.model.sim_clock import clock_time
from console.ui.timers.scrolling_axis import ScrollingAxis

STEPS_S = (10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600)
TARGET_PIXELS_PER_TICK = 90


class SimClockAxis(ScrollingAxis):
    def __init__(self, start: _dt.datetime, orientation: str = "bottom", **kwargs: object) -> None:
        super().__init__(orientation, **kwargs)
        self.enableAutoSIPrefix(False)
        self.start = start
        self._labels: dict[tuple[float, bool], str] = {}
        """Label per (value, with seconds): a scrolling window asks for the same ticks frame after frame."""

    def set_start(self, start: _dt.datetime) -> None:
        self.start = start
        self._labels.clear()
        self.picture = None
        self.update()

    def tickSpacing(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, float]]:
        span = maxVal - minVal
        if span <= 0 or size <= 0:
            return [(60.0, 0.0)]
        wanted = span * TARGET_PIXELS_PER_TICK / size
        major = next((s for s in STEPS_S if s >= wanted), STEPS_S[-1])
        minor_candidates = [s for s in STEPS_S if s < major and major % s == 0]
        minor = minor_candidates[-1] if minor_candidates else major
        return [(float(major), 0.0), (float(minor), 0.0)]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        out = []
        labels = self._labels
        if len(labels) > 4096:
            labels.clear()
        for v in values:
            key = (float(v), spacing < 60)
            text = labels.get(key)
            if text is None:
                try:
                    text = clock_time(self.start, key[0], seconds=key[1])
                except (OverflowError, ValueError):
                    text = ""
                labels[key] = text
            out.append(text)
        return out
