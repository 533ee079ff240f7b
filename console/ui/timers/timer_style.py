"""Sizes, colours and data helpers of the timer view.

Colours are the Okabe-Ito palette: distinct for colour-blind readers and mid-toned, so they read on light and
dark backgrounds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from console.ui.timers.timer_model import MarkerKind

if TYPE_CHECKING:
    from console.engine.sources import EngineSource

HISTORY_S = 15 * 60.0
FOLD_GRACE_S = 5 * 60.0
"""A delivered thread's lane folds away this long after it exits (simulated time; 5 s of wall time at the default
60x): long enough to see the delivery marker and read the lane's label. A thread that exited without delivering
keeps its lane until it has scrolled off (``HISTORY_S``): its markers are the story (timer_model's module docstring)."""
LOOKAHEAD_MIN_S = 2 * 60.0
LOOKAHEAD_MAX_S = 100 * 60.0
MIN_LANES = 4
BAR_HEIGHT = 0.55
OUTAGE_HEIGHT = 0.9
"""An outage shades nearly the whole lane, behind the thread's bars."""
LABEL_WIDTH = 210
"""Room for ``CHI: thread 200 → T30 (exited)`` (a run with more than one sender names the site)."""
LANE_PITCH_PX = 26
"""Height of one lane when there is room: a label line plus air, like a table row."""
LANES_SHARE = 0.6
"""The lanes plot takes at most this share of the graphics height; beyond it lanes scroll."""
LANES_SHARE_SHORT = 0.45
"""The same when the view is short (legend hidden): the heartbeat plot must keep a readable height."""
LANES_CHROME_PX = 34
"""Title and bottom axis of the lanes plot, until the first layout says exactly."""
AGE_MIN_PX = 70
"""Smallest heartbeat plot: its axis, the time-out line and a few minutes of age still read."""
LEGEND_MIN_GRAPHICS_PX = 300
"""Below this graphics height the legend gives way to the plots (its entries are also in the help)."""
LEGEND_ENTRIES = 13
"""transfer, retry countdown, heartbeat age, time-out, four markers, server restart, link down, address closed,
rate-limit pause, hop forwarded."""
THIN_AGE_POINTS = 2000
"""Above this many heartbeat points the curve is drawn 1 px wide (see the module docstring)."""

TRANSFER_COLOUR = "#0072B2"
WAIT_COLOUR = "#E69F00"
AGE_COLOUR = "#56B4E9"
TIMEOUT_COLOUR = "#D55E00"
HOP_COLOUR = "#009E73"
"""The delivered marker's green: a hop line starts at a delivery."""
MARKER_STYLE: dict[MarkerKind, tuple[str, str, int]] = {
    MarkerKind.NETWORK_ERROR: ("x", "#D55E00", 14),
    MarkerKind.HEARTBEAT_EXPIRED: ("star", "#CC79A7", 16),
    MarkerKind.SHARING_VIOLATION: ("s", "#E41A1C", 11),
    MarkerKind.DELIVERED: ("o", "#009E73", 11),
}


COUNTDOWN_OFFSET_PX = 12
"""Room between "now" and a countdown's text: half the network-error marker (14 px) and a little air."""

OUTAGE_ALPHA = 60
RESTART_STYLE = Qt.PenStyle.DashDotLine
"""Distinct from the dotted "now" line and the dashed time-out line."""


def server_names(source: EngineSource) -> dict[str, str]:
    """Destination code -> server name, from the engine's source (the scenario's sites or the site database)."""
    if source.scenario is not None:
        return {spec.site.code: spec.site.server for spec in source.scenario.sites}
    if source.database is not None:
        return {site.code: site.server for site in source.database}
    return {}


def decimate_polyline(x: np.ndarray, y: np.ndarray, x0: float, step: float) -> tuple[np.ndarray, np.ndarray]:
    """Per pixel column, keep a NaN-separated polyline's first, highest, lowest and last point.

    ``step`` is the width of a pixel column in x units (``x0`` its origin). Heartbeat teeth narrower than a
    pixel all land in one column, where Qt would draw every tooth over the same few pixels; four points
    per column draw the same vertical extent and the same joins to the neighbouring columns. A polyline
    that has fewer points than four per occupied column is returned unchanged (there is nothing to win).
    """
    n = len(x)
    if n < 8 or step <= 0:
        return x, y
    gap = np.isnan(x)
    column = np.floor((np.where(gap, x0, x) - x0) / step)
    lane = np.cumsum(gap)
    key = lane * 1e9 + column
    key[gap] = -1.0 - np.flatnonzero(gap)  # each gap is a run of its own
    starts = np.flatnonzero(np.concatenate(([True], key[1:] != key[:-1])))
    if 4 * len(starts) >= n:
        return x, y
    ends = np.concatenate((starts[1:], [n])) - 1
    safe_y = np.where(gap, 0.0, y)
    hi = np.maximum.reduceat(safe_y, starts)
    lo = np.minimum.reduceat(safe_y, starts)
    out_x = np.empty((len(starts), 4))
    out_y = np.empty((len(starts), 4))
    out_x[:, 0] = out_x[:, 1] = out_x[:, 2] = x[starts]
    out_x[:, 3] = x[ends]
    out_y[:, 0], out_y[:, 1], out_y[:, 2], out_y[:, 3] = y[starts], hi, lo, y[ends]
    run_gap = gap[starts]
    out_y[run_gap] = np.nan
    return out_x.ravel(), out_y.ravel()


def blend(colour: QColor, background: QColor, alpha: int) -> QColor:
    """The opaque colour of ``colour`` drawn at ``alpha`` over ``background``."""
    a = alpha / 255.0
    return QColor.fromRgbF(
        *(a * c + (1 - a) * b for c, b in zip(colour.getRgbF()[:3], background.getRgbF()[:3], strict=True))
    )


def faint(colour: str, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c
