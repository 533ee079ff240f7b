"""The simulated clock as text, in one place: every view that prints a simulated time goes through here.

Times are virtual seconds since a scenario's ``start`` (a naive local datetime of the simulated site); only the
text adds ``start``. Never the host's zone or epoch, so a run that starts in March 2001 reads the same
everywhere.
"""

from __future__ import annotations

import datetime as _dt

from console.model.durations import format_elapsed


def sim_datetime(start: _dt.datetime, t: float) -> _dt.datetime:
    return start + _dt.timedelta(seconds=t)


def clock_time(start: _dt.datetime, t: float, *, seconds: bool = True) -> str:
    """``09:12:30`` (or ``09:12`` without seconds): timeline labels, narration, hover text."""
    return f"{sim_datetime(start, t):%H:%M:%S}" if seconds else f"{sim_datetime(start, t):%H:%M}"


def clock_column(start: _dt.datetime, t: float | None) -> str:
    """A table cell: ``09:06:00``, with the date (``03/15 09:01:00``) when it is not the run's first day."""
    if t is None:
        return ""
    when = sim_datetime(start, t)
    return f"{when:%H:%M:%S}" if when.date() == start.date() else f"{when:%m/%d %H:%M:%S}"


def clock_full(start: _dt.datetime, t: float) -> str:
    """``Wed Mar 14 09:06:00 2001``: tooltips, where the whole date helps."""
    return f"{sim_datetime(start, t):%a %b %d %H:%M:%S %Y}"


def clock_status(start: _dt.datetime, t: float) -> str:
    """The status bar: ``Simulated 2001-03-14 09:12:30 · t+12m 30s``."""
    return f"Simulated {sim_datetime(start, t):%Y-%m-%d %H:%M:%S} \u00b7 t+{format_elapsed(t)}"
