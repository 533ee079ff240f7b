"""The simulated clock as Sender.log prints it: ``Tue Jul 03 09:00:00.000 2001 Eastern Daylight Time``.

Why not ``log_format.format_timestamp`` per line: a busy run writes two lines per 256 KB block, nearly every
block ends at an instant of its own, and ``strftime`` plus a zone lookup per instant was most of the cost of
a logged block. This keeps, per calendar day, the text before the time (``Tue Jul 03 ``) and after it
(`` 2001 Eastern Daylight Time``, switching at the zone's change of name that day) and formats only the time
of day per instant. The result is the same string as ``format_timestamp(clock.at(t), zone.name_at(...))``
(a test checks it over random instants): the datetime is built the same way (``start + timedelta``, which
rounds to the microsecond) and the milliseconds are cut, not rounded, as the product printed them.
"""

from __future__ import annotations

import datetime as _dt

from console.engine.log_format import format_timestamp
from console.engine.time_zones import UsTimeZone

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class LogClock:
    """Readings of ``start + t`` (virtual seconds) as log timestamps, restart times and zone names."""

    __slots__ = ("_at", "_days", "_stamp", "start", "zone")

    def __init__(self, start: _dt.datetime, zone: UsTimeZone) -> None:
        self.start = start
        self.zone = zone
        self._days: dict[_dt.date, tuple[str, str, str, int]] = {}
        self._at = -1.0
        self._stamp = ""

    def at(self, t: float) -> _dt.datetime:
        return self.start + _dt.timedelta(seconds=t)

    def zone_name(self, t: float) -> str:
        return self.zone.name_at(self.at(t))

    def _day(self, day: _dt.date) -> tuple[str, str, str, int]:
        entry = self._days.get(day)
        if entry is None:
            before, after, switch = self.zone.day_names(day)
            entry = (f"{_DAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day:02d} ",
                     f" {day.year} {before}", f" {day.year} {after}", switch)
            self._days[day] = entry
        return entry

    def stamp(self, t: float) -> str:
        """The timestamp field of a log line at virtual time ``t`` (cached for the last instant asked)."""
        if t == self._at:
            return self._stamp
        when = self.start + _dt.timedelta(seconds=t)
        head, tail, tail_after, switch = self._day(when.date())
        hour, minute, second = when.hour, when.minute, when.second
        if hour * 3600 + minute * 60 + second >= switch:
            tail = tail_after
        self._stamp = stamp = f"{head}{hour:02d}:{minute:02d}:{second:02d}.{when.microsecond // 1000:03d}{tail}"
        self._at = t
        return stamp

    def slow_stamp(self, t: float) -> str:
        """The same text by the straightforward route (for tests and as the definition)."""
        when = self.at(t)
        return format_timestamp(when, self.zone.name_at(when))

    def restart_text(self, t: float) -> str:
        """``03/14/01 09:14:00 Eastern Standard Time``: the form of the product's ``Restart time = ...`` line."""
        when = self.at(t)
        return f"{when:%m/%d/%y %H:%M:%S} {self.zone.name_at(when)}"
