"""The live Sender.log view's rows (the log viewer's are viewer_rows.py): one row per log line, parsed once,
classified once, formatted only when painted.

Qt-free, so rows can be tested without a QApplication.

Memory is the design constraint: a live view keeps up to 200,000 rows. A row is a plain tuple holding the
message text, the component (interned: a Sender.log has one or two), the ``datetime``, the zone name
(interned) and the thread id; the "Date/Time" and "Thread" strings are made only for rows on screen. That is
about 300 bytes a row, against ~400 for keeping the raw line plus pre-formatted columns.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterable
from typing import NamedTuple

from console.engine.events import LogEvent
from console.engine.log_format import COMPONENT, DEFAULT_ZONE, format_line, parse_fields
from console.logs.classify import Severity, classify


class LogRow(NamedTuple):
    text: str
    """The message text; for a line not in the SMS 2.0 format, the whole line."""
    component: str
    """``""`` for a line not in the SMS 2.0 format (and so for the fields below)."""
    when: _dt.datetime | None
    zone: str
    thread_id: int | None
    severity: Severity

    @property
    def parsed(self) -> bool:
        return self.when is not None


def row_from_line(line: str) -> LogRow:
    """A row for one raw line (a trailing newline and NUL padding are ignored)."""
    line = line.rstrip("\r\n")
    if "\x00" in line:
        # A log written up to a power cut is NUL-padded; show what is readable.
        line = line.replace("\x00", "")
    try:
        parsed = parse_fields(line)
    except ValueError:  # a thread id of thousands of digits: int() refuses it; the line is shown whole
        parsed = None
    if parsed is None:
        return LogRow(line, "", None, "", None, classify(line))
    text, component, when, zone, thread_id = parsed
    return LogRow(text, sys.intern(component), when, sys.intern(zone), thread_id, classify(text))


def rows_from_lines(lines: Iterable[str]) -> list[LogRow]:
    return [row_from_line(line) for line in lines]


def rows_from_events(
    events: Iterable[LogEvent], start: _dt.datetime, zone: str | None = None, component: str = COMPONENT
) -> list[LogRow]:
    """Rows for the engine's own lines straight from its fields, equal to ``rows_from_lines`` of their text.

    The engine formats each line for Sender.log; parsing that string back costs four times building the row
    from ``time``/``thread_id``/``text``. The time is cut to whole milliseconds, as the line prints it, so
    the row (and Copy's ``original_line``) is exactly what parsing the line gives.

    ``zone=None`` (the default) gives each row its event's own zone name, as its line prints it: a run that
    crosses a daylight-saving change says ``Eastern Standard Time`` before it and ``Eastern Daylight Time``
    after. An event without a clock to say (built by hand) gets ``DEFAULT_ZONE``. A string forces one name.
    """
    component = sys.intern(component)
    fixed = sys.intern(zone) if zone is not None else None
    zones: dict[str, str] = {}
    row_zone = fixed or DEFAULT_ZONE
    rows = []
    last_t: float | None = None
    when = start
    for e in events:
        if e.time != last_t:  # many lines share an instant
            last_t = e.time
            when = start + _dt.timedelta(seconds=e.time)
            when = when.replace(microsecond=when.microsecond // 1000 * 1000)
            if fixed is None:
                name = e.zone or DEFAULT_ZONE
                row_zone = zones.get(name) or zones.setdefault(name, sys.intern(name))
        rows.append(LogRow(e.text, component, when, row_zone, e.thread_id, classify(e.text)))
    return rows


def thread_label(thread_id: int | None) -> str:
    """``"205 (0xCD)"`` as in the log itself; ``""`` for an unparsed line."""
    return "" if thread_id is None else f"{thread_id} (0x{thread_id:X})"


def date_label(when: _dt.datetime | None) -> str:
    """``"11/16/2000 10:23:45.120"``: CMTrace's column form, sortable by eye, no weekday or zone."""
    if when is None:
        return ""
    return f"{when:%m/%d/%Y %H:%M:%S}.{when.microsecond // 1000:03d}"


def original_line(row: LogRow) -> str:
    """The line as it stood in the log (what Copy puts on the clipboard).

    The parser accepts only lines that format back to themselves, so this round-trips exactly.
    """
    if row.when is None or row.thread_id is None:
        return row.text
    return format_line(row.text, row.when, row.thread_id, row.component, row.zone)


def row_matches(row: LogRow, needle: str) -> bool:
    """The filter: ``needle`` (already lower-case) in the text, the component or the thread column."""
    if needle in row.text.lower() or needle in row.component.lower():
        return True
    return row.thread_id is not None and needle in thread_label(row.thread_id).lower()
