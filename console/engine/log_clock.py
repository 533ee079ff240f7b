"""The simulated clock as Sender.log prints it: ``Tue Jul 03 09:00:00.000 2001 Eastern Daylight Time``.

Why not ``log_format.format_timestamp`` per line: a busy run writes two lines per 256 KB block, nearly every
block ends at an instant of its own, and ``strftime`` plus a zone lookup per instant was most of the cost of
a logged block. This keeps, per calendar day, the text before the time (``Tue Jul 03 ``) and after it
(`` 2001 Eastern Daylight Time``, switching at the zone's change of name that day) and formats only the time
of day per instant, from whole microseconds, without building a datetime; the text up to the second is
kept for the last second asked, so a later instant in the same second costs a lookup and two concatenations.
The result is the same string as ``format_timestamp(clock.at(t), zone.name_at(...))`` (a property test checks
it over random starts and instants): the microseconds are rounded as ``timedelta(seconds=t)`` rounds them
(whole seconds exactly, the fraction times 10**6 rounded half to even) and the milliseconds are cut, not
rounded, as the product printed.
"""

from __future__ import annotations

import datetime as _dt
import math

from console.engine.log_format import format_timestamp
from console.engine.time_zones import UsTimeZone

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MILLIS = tuple(f".{ms:03d}" for ms in range(1000))


class LogClock:
    """Readings of ``start + t`` (virtual seconds) as log timestamps, restart times and zone names."""

    __slots__ = ("_at", "_day0", "_days", "_head", "_sec", "_stamp", "_tail", "_us0", "start", "zone")

    def __init__(self, start: _dt.datetime, zone: UsTimeZone) -> None:
        self.start = start
        self.zone = zone
        self._days: dict[int, tuple[str, str, str, int]] = {}
        midnight = _dt.datetime.combine(start.date(), _dt.time())
        self._day0 = start.date()
        self._us0 = (start - midnight) // _dt.timedelta(microseconds=1)  # start's time of day in microseconds
        self._at = -1.0
        self._stamp = ""
        self._sec = -1  # the whole second (since the start's midnight) whose texts _head and _tail hold
        self._head = ""
        self._tail = ""

    def at(self, t: float) -> _dt.datetime:
        return self.start + _dt.timedelta(seconds=t)

    def zone_name(self, t: float) -> str:
        return self.zone.name_at(self.at(t))

    def _day(self, index: int) -> tuple[str, str, str, int]:
        """Texts of the ``index``-th day after the start's date: head, tail, tail after the change, change second."""
        day = self._day0 + _dt.timedelta(days=index)
        before, after, switch = self.zone.day_names(day)
        entry = (
            f"{_DAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day:02d} ",
            f" {day.year} {before}",
            f" {day.year} {after}",
            switch,
        )
        self._days[index] = entry
        return entry

    def stamp(self, t: float) -> str:
        """The timestamp field of a log line at virtual time ``t`` (cached for the last instant asked)."""
        if t == self._at:
            return self._stamp
        frac, whole = math.modf(t)
        us = int(whole) * 1_000_000 + round(frac * 1e6) + self._us0
        sec, us = divmod(us, 1_000_000)
        if sec != self._sec:  # nearly every block ends at an instant of its own, but many share a second
            days, secs = divmod(sec, 86_400)
            entry = self._days.get(days) or self._day(days)
            minutes, second = divmod(secs, 60)
            hour, minute = divmod(minutes, 60)
            self._head = f"{entry[0]}{hour:02d}:{minute:02d}:{second:02d}"
            self._tail = entry[1] if secs < entry[3] else entry[2]
            self._sec = sec
        self._stamp = stamp = self._head + _MILLIS[us // 1000] + self._tail
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
