"""An address's weekly schedule and hourly rate limit (research/sms-sender.md §8), Qt-free and immutable.

Both are 7 × 24 grids in the stored form of SMS 2.0's site control file: day 0 is Sunday, one value per hour.
The simulated clock is a naive local datetime that never jumps, so a schedule hour is simply the hour that
clock shows, also on the days a real clock would skip or repeat one for daylight saving.

Scenario files name cells with ``days`` and ``hours`` strings (DESIGN.md §4): ``days`` is ``all``, a day, a
range or a comma list of those; ``hours`` is ``HH:00-HH:00`` with the end exclusive. A pair selects the
rectangle of those hours on each of those days, as a drag over the Schedule tab's grid does, so a wrapping
``22:00-06:00`` on ``Mon`` means Monday 00:00–06:00 and 22:00–24:00.
"""

from __future__ import annotations

import datetime as _dt
import enum
import functools
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

DAYS = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
"""Day names by stored index: 0 = Sunday, as SMS stores a week."""
HOURS_PER_DAY = 24
_DISPLAY_ORDER = (1, 2, 3, 4, 5, 6, 0)  # people read a week Monday first; storage starts on Sunday
_DAY_FORMS = '"all", a day ("Sun".."Sat"), a range such as "Mon-Fri" or "Fri-Mon", or a list such as "Sat,Sun"'
_HOUR_FORMS = 'whole hours "HH:00-HH:00" with the end excluded, e.g. "08:00-17:00", "00:00-24:00" or "22:00-06:00"'
_HOURS_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


class AddressError(ValueError):
    """An address, schedule or rate limit value that breaks a rule; ``str()`` states the rule."""


def day_index(when: _dt.datetime | _dt.date) -> int:
    """The stored day of ``when``: 0 = Sunday … 6 = Saturday (Python's ``weekday()`` counts from Monday)."""
    return (when.weekday() + 1) % 7


def parse_days(text: str) -> frozenset[int]:
    """Stored day indices for ``all``, ``Tue``, ``Mon-Fri``, ``Fri-Mon`` (wraps) or ``Sat,Sun,Tue-Wed``."""
    if not isinstance(text, str) or not text.strip():
        raise AddressError(f"days {text!r} is not a day selection; write {_DAY_FORMS}")
    if text.strip().lower() == "all":
        return frozenset(range(7))
    chosen: set[int] = set()
    for item in text.split(","):
        ends = [_one_day(part, text) for part in item.split("-")]
        if len(ends) == 1:
            chosen.add(ends[0])
        elif len(ends) == 2:
            first, last = ends
            chosen.update((first + i) % 7 for i in range((last - first) % 7 + 1))
        else:
            raise AddressError(f"days {text!r}: {item.strip()!r} is not a day or a range; write {_DAY_FORMS}")
    return frozenset(chosen)


def _one_day(part: str, text: str) -> int:
    name = part.strip().lower()
    for i, day in enumerate(DAYS):
        if name == day.lower():
            return i
    raise AddressError(f"days {text!r}: {part.strip()!r} is not a day; write {_DAY_FORMS}")


def parse_hours(text: str) -> frozenset[int]:
    """Hours 0–23 of ``"08:00-17:00"`` (end excluded); ``"00:00-24:00"`` is all day, ``"22:00-06:00"`` wraps."""
    m = _HOURS_RE.match(text.strip()) if isinstance(text, str) else None
    if m is None:
        raise AddressError(f"hours {text!r} is not an hour range; write {_HOUR_FORMS}")
    start, start_min, end, end_min = (int(g) for g in m.groups())
    if start_min or end_min:
        raise AddressError(f"hours {text!r}: schedules work in whole hours; write {_HOUR_FORMS}")
    if start > 23 or end > 24:
        raise AddressError(f"hours {text!r}: a start runs from 00 to 23 and an end from 00 to 24")
    if start == end:
        raise AddressError(f"hours {text!r} selects no time; for the whole day write 00:00-24:00")
    end = end or 24
    if start < end:
        return frozenset(range(start, end))
    return frozenset([*range(start, 24), *range(0, end)])


def _cells(days: str | Iterable[int], hours: str | Iterable[int]) -> list[tuple[int, int]]:
    day_set = parse_days(days) if isinstance(days, str) else frozenset(days)
    hour_set = parse_hours(hours) if isinstance(hours, str) else frozenset(hours)
    if not all(isinstance(d, int) and 0 <= d < 7 for d in day_set):
        raise AddressError(f"days must be indices 0 (Sunday) to 6 (Saturday); got {sorted(day_set)}")
    if not all(isinstance(h, int) and 0 <= h < HOURS_PER_DAY for h in hour_set):
        raise AddressError(f"hours must be 0 to 23; got {sorted(hour_set)}")
    return [(d, h) for d in day_set for h in hour_set]


class Availability(enum.IntEnum):
    """Which data priorities an address lets through in an hour; the values are SMS's stored ones."""

    ALL = 1
    MEDIUM = 2
    HIGH = 3
    CLOSED = 4

    @property
    def label(self) -> str:
        """The text of the Schedule tab's Availability list."""
        return _LABELS[self]

    @property
    def keyword(self) -> str:
        """The scenario-file word: ``all``, ``medium``, ``high`` or ``closed``."""
        return self.name.lower()

    @property
    def short(self) -> str:
        """A few words for summaries: ``open``, ``medium and high``, ``high only``, ``closed``."""
        return _SHORT[self]

    def allows(self, priority: int) -> bool:
        """True if data of ``priority`` (1 high, 2 medium, 3 low) may be sent in such an hour."""
        if isinstance(priority, bool) or priority not in (1, 2, 3):
            raise AddressError(f"priority must be 1 (high), 2 (medium) or 3 (low); got {priority!r}")
        return priority <= 4 - self.value

    @classmethod
    def parse(cls, text: str) -> Availability:
        """From a scenario keyword or the list's label (case-insensitive)."""
        cleaned = str(text).strip().lower()
        for a in cls:
            if cleaned in (a.keyword, a.label.lower()):
                return a
        raise AddressError(f'availability must be "all", "medium", "high" or "closed"; got {text!r}')


_LABELS = {
    Availability.ALL: "Open for all priorities",
    Availability.MEDIUM: "Allow medium and high priority",
    Availability.HIGH: "Allow high priority only",
    Availability.CLOSED: "Closed",
}
_SHORT = {
    Availability.ALL: "open",
    Availability.MEDIUM: "medium and high",
    Availability.HIGH: "high only",
    Availability.CLOSED: "closed",
}


def _grid(values: Any, check: Callable[[Any], Any], what: str) -> tuple[tuple[Any, ...], ...]:
    if not isinstance(values, Sequence) or len(values) != 7:
        raise AddressError(f"{what} needs 7 days (Sunday first) of 24 hours")
    rows = []
    for day in values:
        if not isinstance(day, Sequence) or isinstance(day, str) or len(day) != HOURS_PER_DAY:
            raise AddressError(f"{what} needs 7 days (Sunday first) of 24 hours")
        rows.append(tuple(check(v) for v in day))
    return tuple(rows)


@dataclass(frozen=True)
class WeeklySchedule:
    """Availability of each hour of the week, ``grid[day][hour]`` with day 0 = Sunday; default open 7 × 24."""

    grid: tuple[tuple[Availability, ...], ...] = ((Availability.ALL,) * HOURS_PER_DAY,) * 7

    def __post_init__(self) -> None:
        object.__setattr__(self, "grid", _grid(self.grid, _availability, "a schedule"))

    def at(self, day: int, hour: int) -> Availability:
        return self.grid[day][hour]

    def availability_at(self, when: _dt.datetime) -> Availability:
        return self.grid[day_index(when)][when.hour]

    def with_hours(
        self, days: str | Iterable[int], hours: str | Iterable[int], availability: Availability | str
    ) -> WeeklySchedule:
        """A copy with those cells set; apply entries in order and later ones override earlier ones."""
        value = availability if isinstance(availability, Availability) else Availability.parse(availability)
        rows = [list(r) for r in self.grid]
        for d, h in _cells(days, hours):
            rows[d][h] = value
        return WeeklySchedule(tuple(tuple(r) for r in rows))

    @property
    def is_always_open(self) -> bool:
        return all(a is Availability.ALL for row in self.grid for a in row)

    def open_for(self, priority: int, when: _dt.datetime) -> bool:
        return self.availability_at(when).allows(priority)

    def next_change(self, priority: int, when: _dt.datetime) -> _dt.datetime | None:
        """The next whole hour after ``when`` at which openness for ``priority`` flips; None within 7 days."""
        now = self.open_for(priority, when)
        hour = when.replace(minute=0, second=0, microsecond=0)
        for _ in range(7 * HOURS_PER_DAY):
            hour += _dt.timedelta(hours=1)
            if self.open_for(priority, hour) != now:
                return hour
        return None

    def next_open(self, priority: int, when: _dt.datetime) -> _dt.datetime | None:
        """``when`` if open for ``priority`` now, else the hour it opens; None if it is closed all week."""
        return when if self.open_for(priority, when) else self.next_change(priority, when)

    def summary(self) -> str:
        """Short text for a list column: ``Open 7 × 24`` or ``Mon–Fri 08:00–17:00: high only; other times open``."""
        return _summary(self.grid, lambda a: a.short)

    def to_json(self) -> list[str]:
        """Compact stored form: 7 strings (Sunday first) of 24 digits 1–4."""
        return ["".join(str(int(a)) for a in row) for row in self.grid]

    @classmethod
    def from_json(cls, data: Any) -> WeeklySchedule:
        if not isinstance(data, list) or not all(isinstance(r, str) and len(r) == HOURS_PER_DAY for r in data):
            raise AddressError("a schedule is 7 strings (Sunday first) of 24 digits 1-4")
        return cls(tuple(tuple(_availability(int(c) if c.isdigit() else c) for c in row) for row in data))


def _availability(value: Any) -> Availability:
    if isinstance(value, Availability):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
        return Availability(value)
    raise AddressError(f"an hour's availability is 1 (all), 2 (medium), 3 (high) or 4 (closed); got {value!r}")


def check_percent(value: Any) -> int:
    """A rate limit's share of an hour: a whole number of percent from 1 to 100."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100:
        raise AddressError(f"a rate limit is a whole number of percent from 1 to 100; got {value!r}")
    return value


def _percent_or_none(value: Any) -> int | None:
    return None if value is None else check_percent(value)


@dataclass(frozen=True)
class RateLimit:
    """Percent of each hour the sender may send (``grid[day][hour]``, Sunday first); None = unlimited."""

    grid: tuple[tuple[int | None, ...], ...] = ((None,) * HOURS_PER_DAY,) * 7

    def __post_init__(self) -> None:
        object.__setattr__(self, "grid", _grid(self.grid, _percent_or_none, "a rate limit"))

    @functools.cached_property
    def is_unlimited(self) -> bool:
        """Cached: the time share asks on every call."""
        return all(p is None for row in self.grid for p in row)

    @functools.cached_property
    def week_capacity_us(self) -> int:
        """Microseconds of sending a whole week allows (console.model.rate_share skips whole weeks with it)."""
        return sum(36_000_000 * (100 if p is None else p) for row in self.grid for p in row)

    def at(self, day: int, hour: int) -> int | None:
        return self.grid[day][hour]

    def percent_at(self, when: _dt.datetime) -> int | None:
        return self.grid[day_index(when)][when.hour]

    def with_hours(self, days: str | Iterable[int], hours: str | Iterable[int], percent: int | None) -> RateLimit:
        """A copy with those cells limited to ``percent`` (None makes them unlimited again); later calls win."""
        value = _percent_or_none(percent)
        rows = [list(r) for r in self.grid]
        for d, h in _cells(days, hours):
            rows[d][h] = value
        return RateLimit(tuple(tuple(r) for r in rows))

    def summary(self) -> str:
        """``Unlimited``, ``50 % 7 × 24`` or e.g. ``Mon–Fri 08:00–17:00: 50 %; other times unlimited``."""
        if self.is_unlimited:
            return "Unlimited"
        return _summary(self.grid, lambda p: "unlimited" if p is None else f"{p} %")

    def to_json(self) -> list[list[int | None]] | None:
        """None when unlimited all week, else 7 lists (Sunday first) of 24 percents or nulls."""
        return None if self.is_unlimited else [list(row) for row in self.grid]

    @classmethod
    def from_json(cls, data: Any) -> RateLimit:
        if data is None:
            return cls()
        if not isinstance(data, list):
            raise AddressError("a rate limit is null or 7 lists (Sunday first) of 24 percents or nulls")
        return cls(tuple(tuple(r) if isinstance(r, list) else r for r in data))


def _summary(grid: tuple[tuple[Any, ...], ...], word: Callable[[Any], str]) -> str:
    """Group the cells that differ from the week's most common value by value and by identical days."""
    counts = Counter(v for row in grid for v in row)
    if len(counts) == 1:
        only = word(grid[0][0])
        return f"{only[0].upper()}{only[1:]} 7 × 24"
    base = max(counts, key=lambda v: (counts[v], v == grid[0][0]))
    # each run of hours that differs from ``base``, with the days that have it
    runs: dict[tuple[Any, int, int], list[int]] = {}
    for d in _DISPLAY_ORDER:
        h = 0
        while h < HOURS_PER_DAY:
            v, end = grid[d][h], h + 1
            while end < HOURS_PER_DAY and grid[d][end] == v:
                end += 1
            if v != base:
                runs.setdefault((v, h, end), []).append(d)
            h = end
    # runs of one value on the same days share a part: "Every day 00:00–06:00, 22:00–24:00: closed"
    parts: dict[tuple[Any, tuple[int, ...]], list[str]] = {}
    for (v, start, end), days in runs.items():
        parts.setdefault((v, tuple(days)), []).append("" if (start, end) == (0, 24) else f"{start:02d}:00–{end:02d}:00")
    if len(parts) > 3:
        hours_of = ", ".join(f"{counts[v]} h {word(v)}" for v in sorted(counts, key=lambda v: -counts[v]))
        return f"Varies by hour: {hours_of} a week"
    texts = [
        f"{_days_text(days)}{' ' + ', '.join(spans) if spans[0] else ''}: {word(v)}"
        for (v, days), spans in parts.items()
    ]
    return f"{'; '.join(texts)}; other times {word(base)}"


def _days_text(days: list[int]) -> str:
    """Days in Monday-first order as ``Mon–Fri``, ``Sat–Sun``, ``Mon, Wed`` or ``Every day``."""
    if len(days) == 7:
        return "Every day"
    positions = sorted(_DISPLAY_ORDER.index(d) for d in days)
    runs: list[list[int]] = []
    for p in positions:
        if runs and runs[-1][-1] == p - 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    names = [
        DAYS[_DISPLAY_ORDER[r[0]]] if len(r) == 1 else f"{DAYS[_DISPLAY_ORDER[r[0]]]}–{DAYS[_DISPLAY_ORDER[r[-1]]]}"
        for r in runs
    ]
    return ", ".join(names)
