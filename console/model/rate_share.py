"""Time share of a rate-limited address: when a transfer that needs N seconds of sending is done.

SMS 2.0 limits an address to a percentage of each hour; it does not measure bandwidth (research §8). How the
share is cut up is INFERRED from ConfigMgr's description "50 % = send and pause in equal slices". The model:
each clock hour is cut into 100 slices of 36 seconds, and in an hour limited to ``p`` % the sender sends during
the first ``p`` × 0.36 s of every slice and pauses for the rest (50 %: 18 s on, 18 s off). Fine slices rather
than one block at the top of the hour because a pause of up to 35.64 s never comes near the 5-minute heartbeat,
and a progress bar advances through the hour instead of stalling for most of it. An unlimited hour (and a
100 % one) sends all the time.

All arithmetic is in whole microseconds (a slice's sending part is ``p`` × 360,000 µs), so the two functions
are exact inverses: ``sending_done_at(r, a, sending_seconds_between(r, a, b)) == b`` whenever the sender is
sending just before ``b``, and otherwise it is the end of the last sending moment before ``b``. The clock is a
naive local datetime; an hour's percent is the one of the hour that clock shows.
"""

from __future__ import annotations

import datetime as _dt
import math

from console.model.schedules import RateLimit, day_index

SLICE_US = 36_000_000
"""One slice: 1 % of an hour. INFERRED (see the module docstring)."""
HOUR_US = 3_600_000_000
_HOUR = _dt.timedelta(hours=1)
_WEEK = _dt.timedelta(days=7)
_US = _dt.timedelta(microseconds=1)


def _on_us(percent: int | None) -> int:
    """Sending microseconds at the start of each slice."""
    return SLICE_US if percent is None else percent * 360_000


def _sent(on: int, t: int) -> int:
    """Sending microseconds from the hour's start to offset ``t`` (0 ≤ t ≤ one hour)."""
    if on == SLICE_US:
        return t
    whole, part = divmod(t, SLICE_US)
    return whole * on + min(part, on)


def _offset_of(on: int, sent: int) -> int:
    """The first offset in an hour at which ``sent`` ≥ 1 microseconds of sending are done."""
    if on == SLICE_US:
        return sent
    whole, part = divmod(sent, on)
    return (whole - 1) * SLICE_US + on if part == 0 else whole * SLICE_US + part


def _hour_start(when: _dt.datetime) -> _dt.datetime:
    return when.replace(minute=0, second=0, microsecond=0)


def _percent(limit: RateLimit, hour: _dt.datetime) -> int | None:
    return limit.grid[day_index(hour)][hour.hour]


def _to_us(seconds: float) -> int:
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"sending time must be zero or more seconds; got {seconds!r}")
    return round(seconds * 1_000_000)


def sending_us_between(limit: RateLimit, start: _dt.datetime, end: _dt.datetime) -> int:
    """Microseconds the address lets the sender send from ``start`` to ``end`` (0 if ``end`` ≤ ``start``)."""
    if end <= start:
        return 0
    if limit.is_unlimited:
        return (end - start) // _US
    hour = _hour_start(start)
    t0 = (start - hour) // _US
    total = 0
    while True:
        on = _on_us(_percent(limit, hour))
        following = hour + _HOUR
        if end <= following:
            return total + _sent(on, (end - hour) // _US) - _sent(on, t0)
        total += _sent(on, HOUR_US) - _sent(on, t0)
        t0 = 0
        hour = following
        weeks = (end - hour) // _WEEK
        if weeks:
            total += weeks * limit.week_capacity_us
            hour += weeks * _WEEK


def sending_done_us(limit: RateLimit, start: _dt.datetime, sending_us: int) -> _dt.datetime:
    """The moment ``sending_us`` microseconds of sending that begin at ``start`` are done."""
    if sending_us <= 0:
        return start
    if limit.is_unlimited:
        return start + sending_us * _US
    hour = _hour_start(start)
    t0 = (start - hour) // _US
    remaining = sending_us
    while True:
        on = _on_us(_percent(limit, hour))
        before = _sent(on, t0)
        available = _sent(on, HOUR_US) - before
        if remaining <= available:
            return hour + _offset_of(on, before + remaining) * _US
        remaining -= available
        t0 = 0
        hour += _HOUR
        week = limit.week_capacity_us
        if remaining > week:
            weeks = (remaining - 1) // week
            remaining -= weeks * week
            hour += weeks * _WEEK


def sending_seconds_between(limit: RateLimit, start: _dt.datetime, end: _dt.datetime) -> float:
    """Seconds of sending the address allows from ``start`` to ``end``."""
    return sending_us_between(limit, start, end) / 1_000_000


def sending_done_at(limit: RateLimit, start: _dt.datetime, sending_seconds: float) -> _dt.datetime:
    """When ``sending_seconds`` of sending that begin at ``start`` are done (to the microsecond)."""
    return sending_done_us(limit, start, _to_us(sending_seconds))


def is_sending_at(limit: RateLimit, when: _dt.datetime) -> bool:
    """True if ``when`` falls in a sending part of its slice (the pause starts exactly at its end)."""
    on = _on_us(limit.percent_at(when))
    return ((when - _hour_start(when)) // _US) % SLICE_US < on


def next_sending_at(limit: RateLimit, when: _dt.datetime) -> _dt.datetime:
    """``when`` if the sender may send then, else the start of the next slice (every hour allows some)."""
    if is_sending_at(limit, when):
        return when
    hour = _hour_start(when)
    offset = (when - hour) // _US
    return hour + (offset // SLICE_US + 1) * SLICE_US * _US
