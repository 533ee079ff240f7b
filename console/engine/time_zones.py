"""Windows time-zone names for the simulated clock: ``Eastern Standard Time`` or ``Eastern Daylight Time``.

SMS 2.0 printed the full Windows zone name of the moment in every log line (research/sms-sender.md §4.1:
``... 1999 Pacific Daylight Time>``), so a scenario on 2001-07-03 must say "Daylight". The simulated clock
is a plain *local* clock (``start + t``) with no offset of its own; only the name changes.

The rule is the United States one of the SMS 2.0 era, 1987-2006: daylight time from 02:00 local on the
first Sunday in April to 02:00 local on the last Sunday in October. For completeness (a scenario may start in
any year) the 1967-1986 rule (last Sunday in April to last Sunday in October; the 1974-75 energy-crisis
exceptions are not modelled) and the 2007 rule (second Sunday in March to first Sunday in November) apply
outside that span.

The hour that a real clock skips in spring and repeats in autumn: the engine's clock never jumps, so the
name is chosen by the rule alone on the local reading. From 02:00:00.000 on the spring Sunday the name is
"Daylight" (02:xx readings, which a real clock never shows, are called Daylight); up to 01:59:59.999 on
the autumn Sunday it is "Daylight" (the repeated hour is read as its first pass) and from 02:00 "Standard".
"""

from __future__ import annotations

import datetime as _dt
import functools
from dataclasses import dataclass

DEFAULT_BASE = "Eastern"
_SUNDAY = 6


def _nth_sunday(year: int, month: int, n: int) -> _dt.date:
    """The n-th Sunday of the month (n >= 1), or the last one for n = -1."""
    if n > 0:
        first = _dt.date(year, month, 1)
        return first + _dt.timedelta(days=(_SUNDAY - first.weekday()) % 7 + 7 * (n - 1))
    last = _dt.date(year + month // 12, month % 12 + 1, 1) - _dt.timedelta(days=1)
    return last - _dt.timedelta(days=(last.weekday() - _SUNDAY) % 7)


@functools.lru_cache(maxsize=256)
def daylight_span(year: int) -> tuple[_dt.datetime, _dt.datetime]:
    """Local start (inclusive) and end (exclusive) of US daylight time in ``year``, both at 02:00."""
    if year >= 2007:
        start, end = _nth_sunday(year, 3, 2), _nth_sunday(year, 11, 1)
    elif year >= 1987:
        start, end = _nth_sunday(year, 4, 1), _nth_sunday(year, 10, -1)
    else:
        start, end = _nth_sunday(year, 4, -1), _nth_sunday(year, 10, -1)
    two = _dt.time(2, 0)
    return _dt.datetime.combine(start, two), _dt.datetime.combine(end, two)


@dataclass(frozen=True)
class UsTimeZone:
    """A US zone family by its Windows base name (``Eastern``, ``Central``, ``Mountain``, ``Pacific`` ...)."""

    base: str = DEFAULT_BASE

    def __post_init__(self) -> None:
        if not self.base or not all(part.isalpha() for part in self.base.split(" ")):
            raise ValueError(f"time-zone base name must be words of letters such as 'Eastern'; got {self.base!r}")

    @classmethod
    def parse(cls, text: str) -> UsTimeZone:
        """``"Pacific"`` or a full name such as ``"Pacific Standard Time"`` / ``"Pacific Daylight Time"``."""
        text = " ".join(str(text).split())
        for suffix in (" Standard Time", " Daylight Time"):
            if text.endswith(suffix):
                text = text[: -len(suffix)]
                break
        return cls(text)

    @property
    def standard_name(self) -> str:
        return f"{self.base} Standard Time"

    @property
    def daylight_name(self) -> str:
        return f"{self.base} Daylight Time"

    def is_daylight(self, local: _dt.datetime) -> bool:
        start, end = daylight_span(local.year)
        return start <= local.replace(tzinfo=None) < end

    def name_at(self, local: _dt.datetime) -> str:
        """The Windows name the log prints for this local reading of the clock."""
        return self.daylight_name if self.is_daylight(local) else self.standard_name

    def day_names(self, day: _dt.date) -> tuple[str, str, int]:
        """(name before, name from, local second of the day it changes) for one date; for the log's per-day cache.

        On a day without a change both names are equal and the second is 86,400 (never reached).
        """
        start, end = daylight_span(day.year)
        midnight = _dt.datetime.combine(day, _dt.time())
        before = self.name_at(midnight)
        for edge in (start, end):
            if edge.date() == day:
                return before, self.name_at(edge), edge.hour * 3600
        return before, before, 86400
