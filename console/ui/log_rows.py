"""One log view row per log line: parsed once, classified once, formatted only when painted.

Qt-free (though it sits in console/ui next to the view that uses it) so the file reader can build rows on a
worker thread and tests can check rows without a QApplication.

Memory is the design constraint: a live view keeps up to 200,000 rows. A row is a plain tuple holding the
message text, the component (interned: a Sender.log has one or two), the ``datetime``, the zone name
(interned) and the thread id; the "Date/Time" and "Thread" strings are made only for rows on screen. That is
about 300 bytes a row (~56 MiB at the cap, measured by tests/bench/bench_log_view.py) against ~400 bytes for
keeping the raw line plus pre-formatted columns.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Iterable
from typing import NamedTuple

from console.engine.log_classify import Severity, classify
from console.engine.log_format import format_line, parse_line


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
    parsed = parse_line(line)
    if parsed is None:
        return LogRow(line, "", None, "", None, classify(line))
    return LogRow(parsed.text, sys.intern(parsed.component), parsed.when, sys.intern(parsed.zone),
                  parsed.thread_id, classify(parsed.text))


def rows_from_lines(lines: Iterable[str]) -> list[LogRow]:
    return [row_from_line(line) for line in lines]


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
