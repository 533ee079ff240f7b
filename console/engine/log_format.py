"""The SMS 2.0 log line format, written and parsed in one place (DESIGN.md §3, research §4.1).

    <text>  $$<SMS_LAN_SENDER><Thu Nov 16 10:23:45.120 2000 Eastern Standard Time><thread=205 (0xCD)>

Two spaces before ``$$``; the day of the month zero-padded; milliseconds three digits; the full
Windows time-zone name; the thread id in decimal, then upper-case hex. The simulated clock has no
zone of its own, so the writer is told which zone name to print (the demo uses Eastern, as the KBs do).
"""

from __future__ import annotations

import datetime as _dt
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
    return (f"{_DAYS[when.weekday()]} {_MONTHS[when.month - 1]} {when.day:02d} "
            f"{when:%H:%M:%S}.{when.microsecond // 1000:03d} {when.year} {zone}")


def format_line(text: str, when: _dt.datetime, thread_id: int, component: str = COMPONENT,
                zone: str = DEFAULT_ZONE) -> str:
    """One log line, without the trailing newline."""
    return format_stamped_line(text, format_timestamp(when, zone), thread_id, component)


def format_stamped_line(text: str, timestamp: str, thread_id: int, component: str = COMPONENT) -> str:
    """One log line with an already formatted timestamp: the engine writes many lines per instant and
    formats each instant's timestamp once (it is most of the cost of a line)."""
    return f"{text}  $$<{component}><{timestamp}><thread={thread_id} (0x{thread_id:X})>"


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
    m = LINE_RE.match(line.rstrip("\r\n"))
    if m is None:
        return None
    tid = int(m["tid"])
    if int(m["hex"], 16) != tid:
        return None
    h, mi, rest = m["time"].split(":")
    s, ms = rest.split(".")
    try:
        when = _dt.datetime(int(m["year"]), _MONTHS.index(m["mon"]) + 1, int(m["day"]),
                            int(h), int(mi), int(s), int(ms) * 1000)
    except ValueError:
        return None
    if _DAYS[when.weekday()] != m["dow"]:
        return None
    return LogLine(m["text"], m["component"], when, m["zone"], tid)
