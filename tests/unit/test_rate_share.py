"""The rate-limit time share: 36-second slices, sending the first ``percent`` of each, exact in microseconds."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.model.addresses import (
    RateLimit,
    is_sending_at,
    next_sending_at,
    sending_done_at,
    sending_done_us,
    sending_seconds_between,
    sending_us_between,
)

US = dt.timedelta(microseconds=1)
T8 = dt.datetime(2001, 3, 14, 8, 0)  # Wednesday 08:00
HALF = RateLimit().with_hours("all", "00:00-24:00", 50)


def at(h: int, m: int = 0, s: float = 0.0, day: int = 14) -> dt.datetime:
    return dt.datetime(2001, 3, day, h, m) + dt.timedelta(seconds=s)


def test_unlimited_sends_all_the_time() -> None:
    r = RateLimit()
    assert sending_done_at(r, T8, 90.5) == T8 + dt.timedelta(seconds=90.5)
    assert sending_seconds_between(r, T8, at(10)) == 7200.0
    assert sending_seconds_between(r, at(10), T8) == 0.0
    assert is_sending_at(r, T8) and next_sending_at(r, T8) == T8


def test_fifty_percent_sends_18_seconds_then_pauses_18() -> None:
    assert sending_done_at(HALF, T8, 18) == at(8, 0, 18)
    assert sending_done_at(HALF, T8, 18.000001) == at(8, 0, 36.000001)
    assert sending_done_at(HALF, T8, 3600) == at(9, 59, 42)  # two hours less the last pause
    assert sending_seconds_between(HALF, T8, at(10)) == 3600.0
    assert sending_seconds_between(HALF, at(8, 0, 10), at(8, 0, 40)) == 12.0
    assert is_sending_at(HALF, at(8, 0, 17.999999)) and not is_sending_at(HALF, at(8, 0, 18))
    assert next_sending_at(HALF, at(8, 0, 18)) == at(8, 0, 36)
    assert next_sending_at(HALF, at(8, 59, 59)) == at(9)
    assert sending_done_at(HALF, at(8, 0, 20), 0) == at(8, 0, 20)
    assert sending_done_at(HALF, at(8, 0, 20), 1) == at(8, 0, 37)  # waits for the next slice


def test_mixed_percents_across_an_hour_boundary() -> None:
    r = RateLimit().with_hours("Wed", "08:00-09:00", 10)  # 3.6 s at the start of each 36 s slice
    assert sending_seconds_between(r, at(8, 59), at(9)) == pytest.approx(3.6, abs=1e-9)
    assert sending_done_at(r, at(8, 59), 3.6) == at(8, 59, 27.6)
    assert sending_done_at(r, at(8, 59), 3.7) == at(9, 0, 0.1)  # the unlimited hour starts at once
    assert sending_done_at(r, at(8, 30), 180 + 1800) == at(9, 30)
    assert sending_seconds_between(r, T8, at(9, 30)) == 360 + 1800


def test_one_percent_across_midnight_saturday_to_sunday() -> None:
    sat_23 = dt.datetime(2001, 3, 17, 23)
    sun_0 = dt.datetime(2001, 3, 18, 0)
    r = RateLimit().with_hours("Sat", "23:00-24:00", 1).with_hours("Sun", "00:00-01:00", 2)
    assert r.percent_at(sat_23) == 1 and r.percent_at(sun_0) == 2
    assert sending_done_at(r, sat_23, 36) == dt.datetime(2001, 3, 17, 23, 59, 24, 360_000)
    assert sending_done_at(r, sat_23, 36.5) == sun_0 + dt.timedelta(seconds=0.5)
    assert sending_done_at(r, sat_23, 36 + 0.72) == sun_0 + dt.timedelta(seconds=0.72)
    assert sending_done_at(r, sat_23, 36 + 0.73) == sun_0 + dt.timedelta(seconds=36.01)
    assert sending_seconds_between(r, sat_23, dt.datetime(2001, 3, 18, 1)) == 36 + 72


def test_long_transfers_skip_whole_weeks_exactly() -> None:
    r = RateLimit().with_hours("all", "00:00-24:00", 1)  # a week allows 168 × 36 s = 6048 s of sending
    assert r.week_capacity_us == 6048 * 1_000_000
    three_weeks = dt.timedelta(days=21)
    assert sending_seconds_between(r, T8, T8 + three_weeks) == 3 * 6048
    assert sending_done_at(r, T8, 3 * 6048) == T8 + three_weeks - dt.timedelta(seconds=35.64)
    assert sending_done_at(r, T8, 3 * 6048 + 0.36) == T8 + three_weeks + dt.timedelta(seconds=0.36)


def test_dst_change_days_have_24_clock_hours() -> None:
    """The simulated clock is naive local time: 2001-04-01 02:00-03:00 exists and has its hour's percent."""
    r = RateLimit().with_hours("Sun", "02:00-03:00", 50)
    for day in (dt.date(2001, 4, 1), dt.date(2001, 10, 28)):
        midnight = dt.datetime.combine(day, dt.time())
        assert sending_seconds_between(r, midnight, midnight + dt.timedelta(days=1)) == 86400 - 1800
        assert r.percent_at(midnight.replace(hour=2, minute=30)) == 50


def test_negative_or_nan_sending_time_is_refused() -> None:
    with pytest.raises(ValueError, match="zero or more seconds"):
        sending_done_at(HALF, T8, -1)
    with pytest.raises(ValueError, match="zero or more seconds"):
        sending_done_at(HALF, T8, float("nan"))


# --- properties ---------------------------------------------------------------------------------------------

_PERCENT = st.one_of(st.none(), st.sampled_from([1, 2, 33, 50, 99, 100]), st.integers(1, 100))


@st.composite
def rate_limits(draw: st.DrawFn) -> RateLimit:
    r = RateLimit()
    for _ in range(draw(st.integers(0, 6))):
        days = draw(st.sets(st.integers(0, 6), min_size=1))
        start = draw(st.integers(0, 23))
        hours = range(start, draw(st.integers(start + 1, 24)))
        r = r.with_hours(days, hours, draw(_PERCENT))
    return r


_moments = st.datetimes(dt.datetime(2001, 1, 1), dt.datetime(2001, 12, 31))
moments = st.one_of(
    _moments,
    _moments.map(lambda d: d.replace(microsecond=0)),
    _moments.map(lambda d: d.replace(second=0, microsecond=0)),
)


def reference_between(r: RateLimit, a: dt.datetime, b: dt.datetime) -> int:
    """Slice by slice, the slow obvious way."""
    total = 0
    hour = a.replace(minute=0, second=0, microsecond=0)
    while hour < b:
        p = r.percent_at(hour)
        on = dt.timedelta(seconds=36 if p is None else p * 0.36)
        for k in range(100):
            lo = max(hour + k * dt.timedelta(seconds=36), a)
            hi = min(hour + k * dt.timedelta(seconds=36) + on, b)
            if hi > lo:
                total += (hi - lo) // US
        hour += dt.timedelta(hours=1)
    return total


@settings(max_examples=40, deadline=None)
@given(rate_limits(), moments, st.integers(0, 30 * 3600 * 10**6))
def test_between_matches_a_slice_by_slice_reference(r: RateLimit, a: dt.datetime, span_us: int) -> None:
    b = a + span_us * US
    assert sending_us_between(r, a, b) == reference_between(r, a, b)


@settings(max_examples=150, deadline=None)
@given(rate_limits(), moments, st.integers(0, 20 * 86400 * 10**6), st.integers(0, 20 * 86400 * 10**6))
def test_between_adds_up_across_any_split(r: RateLimit, a: dt.datetime, x: int, y: int) -> None:
    b, c = a + x * US, a + (x + y) * US
    assert sending_us_between(r, a, c) == sending_us_between(r, a, b) + sending_us_between(r, b, c)
    week = dt.timedelta(days=7)
    assert sending_us_between(r, a + week, c + week) == sending_us_between(r, a, c)


@settings(max_examples=150, deadline=None)
@given(rate_limits(), moments, st.integers(0, 30 * 86400 * 10**6))
def test_done_at_is_the_first_moment_that_much_is_sent(r: RateLimit, a: dt.datetime, need: int) -> None:
    done = sending_done_us(r, a, need)
    assert sending_us_between(r, a, done) == need
    if need:
        assert sending_us_between(r, a, done - US) == need - 1  # it was sending right up to ``done``
    assert sending_done_at(r, a, need / 1_000_000) == done


@settings(max_examples=150, deadline=None)
@given(rate_limits(), moments, st.integers(0, 20 * 86400 * 10**6))
def test_done_at_inverts_between(r: RateLimit, a: dt.datetime, span_us: int) -> None:
    b = a + span_us * US
    sent = sending_us_between(r, a, b)
    done = sending_done_at(r, a, sending_seconds_between(r, a, b))
    assert done == sending_done_us(r, a, sent) and done <= b
    sending_just_before_b = b > a and sending_us_between(r, b - US, b) == 1
    assert (done == b) == (b == a or sending_just_before_b)


@settings(max_examples=150, deadline=None)
@given(rate_limits(), moments)
def test_is_sending_and_next_sending_agree_with_between(r: RateLimit, t: dt.datetime) -> None:
    assert is_sending_at(r, t) == (sending_us_between(r, t, t + US) == 1)
    nxt = next_sending_at(r, t)
    assert is_sending_at(r, nxt) and sending_us_between(r, t, nxt) == 0
    assert nxt - t < dt.timedelta(seconds=36)
