"""The SMS 2.0 log line format, written and parsed in one place (DESIGN.md §3, research §4.1).

    <text>  $$<SMS_LAN_SENDER><Thu Nov 16 10:23:45.120 2000 Eastern Standard Time><thread=205 (0xCD)>

Two spaces before ``$$``; the day of the month zero-padded; milliseconds three digits; the full
Windows time-zone name; the thread id in decimal, then upper-case hex. The simulated clock has no
zone of its own, so the writer is told which zone name to print (the demo uses Eastern, as the KBs do).
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass

COMPONENT = "SMS_LAN_SENDER"
DEFAULT_ZONE = "Eastern Standard Time"

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

LINE_RE = re.compile(
    r"^(?P<text>.*?)  \$\$<(?P<component>[A-Z0-9_]+)>"
    r"<(?P<dow>Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?P<mon>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"(?P<day>\d{2}) (?P<time>\d{2}:\d{2}:\d{2}\.\d{3}) (?P<year>\d{4}) (?P<zone>[A-Za-z ]+ Time)>"
    r"<thread=(?P<tid>\d+) \(0x(?P<hex>[0-9A-F]+)\)>$"
)


def format_timestamp(when: _dt.datetime, zone: str = DEFAULT_ZONE) -> str:
    return (
        f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
        f"{when:%H:%M:%S}.{when.microsecond // 1000:03d} {when.year} {zone}"
    )


def format_line(
    text: str, when: _dt.datetime, thread_id: int, component: str = COMPONENT, zone: str = DEFAULT_ZONE
) -> str:
    """One log line, without the trailing newline."""
    return format_stamped_line(text, format_timestamp(when, zone), thread_id, component)


def format_stamped_line(text: str, timestamp: str, thread_id: int, component: str = COMPONENT) -> str:
    """One log line with an already formatted timestamp: the engine writes many lines per instant and
    formats each instant's timestamp once (it is most of the cost of a line)."""
    return f"{text}  $$<{component}><{timestamp}><thread={thread_id} (0x{thread_id:X})>"


LINE_MID = f"  $$<{COMPONENT}><"  # between the text and the timestamp of an engine line


def thread_tail(thread_id: int) -> str:
    """What follows the timestamp of a line of thread ``thread_id``: ``format_stamped_line`` equals
    ``text + LINE_MID + timestamp + thread_tail(thread_id)`` (the engine keeps the tail per thread)."""
    return f"><thread={thread_id} (0x{thread_id:X})>"


@dataclass(frozen=True)
class LogLine:
    text: str
    component: str
    when: _dt.datetime
    zone: str
    thread_id: int

    @property
    def timestamp(self) -> str:
        return format_timestamp(self.when, self.zone)


def parse_line(line: str) -> LogLine | None:
    """The fields of one SMS 2.0 log line, or None when the line is not in that format.

    A line whose hex thread id disagrees with the decimal one is rejected: the format states both.
    """
    fields = parse_fields(line)
    return None if fields is None else LogLine(*fields)


def parse_fields(line: str) -> tuple[str, str, _dt.datetime, str, int] | None:
    """``parse_line`` as a plain tuple (text, component, when, zone, thread_id), for bulk readers.

    Building the frozen ``LogLine`` costs about as much as the regex; the log view parses every live line
    and a file load hundreds of thousands, so they take the tuple. Speed also shapes the rest: the groups
    are fetched in one ``groups()`` call, the time read by fixed offsets (the regex pins its shape), and the
    calendar check (weekday against date) is cached per date, since a log spans few days.
    """
    m = LINE_RE.match(line.rstrip("\r\n"))
    if m is None:
        return None
    text, component, dow, mon, day, clock, year, zone, tid_text, hex_text = m.groups()
    tid = int(tid_text)
    if int(hex_text, 16) != tid:
        return None
    date = _checked_date(int(year), mon, int(day), dow)
    if date is None:
        return None
    try:
        when = _dt.datetime(
            date.year, date.month, date.day, int(clock[0:2]), int(clock[3:5]), int(clock[6:8]), int(clock[9:12]) * 1000
        )
    except ValueError:  # 24:00:00 and the like
        return None
    return text, component, when, zone, tid


@functools.lru_cache(maxsize=64)
def _checked_date(year: int, mon: str, day: int, dow: str) -> _dt.date | None:
    try:
        date = _dt.date(year, _MONTHS.index(mon) + 1, day)
    except ValueError:
        return None
    return date if _DAYS[date.weekday()] == dow else None
