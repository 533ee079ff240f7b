"""The log viewer's rows and the tests it runs on them: column filters, highlight, error look-up, elapsed time.

Why rows are plain tuples of strings, numbers and datetimes: CPython stops tracking an exact tuple whose items
are all untracked the first time a young collection sees it, so the rows of a 100 MB log add nothing to the full
collections that follow. A ``LogRecord`` (a NamedTuple subclass, holding an enum member) stays tracked, and full
collections over a big log's worth of them stall the GUI thread (docs/design-notes.md). Qt-free, so all of it is
tested without a QApplication.
"""

from __future__ import annotations

import datetime as _dt
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

from console.logs.classify import win32_error_codes
from console.logs.formats import LogRecord
from console.logs.win32 import describe_win32_error, win32_code

Row = tuple  # (text, component, stamp, when, thread, severity, file, line)
TEXT, COMPONENT, STAMP, WHEN, THREAD, SEVERITY, FILE, LINE = range(8)

_threads: dict[int, int] = {}  # one int object per thread id: threads are few, rows many


def to_row(r: LogRecord) -> Row:
    """A record as a viewer row (the component interned, the severity a plain int)."""
    thread = r.thread
    if thread is not None:
        thread = _threads.setdefault(thread, thread)
    return (r.text, sys.intern(r.component), r.stamp, r.when, thread, r.severity.value, r.file, r.line)


def thread_text(thread: int | None) -> str:
    """``"205 (0xCD)"``: decimal then hex, as SMS 2.0 writes it; ``""`` when the line has none."""
    return "" if thread is None else f"{thread} (0x{thread:X})"


def parse_thread(value: str) -> int | None:
    """``"205"``, ``"0xCD"`` or ``"205 (0xCD)"`` as a thread id; None when it is not one."""
    text = value.strip().lower()
    m = re.fullmatch(r"(\d{1,10})(?: \(0x[0-9a-f]+\))?|0x([0-9a-f]{1,8})", text)
    if m is None:
        return None
    return int(m.group(1)) if m.group(1) else int(m.group(2), 16)


# --- column filters ------------------------------------------------------------------------------------------

COLUMNS = ("Log Text", "Component", "Date/Time", "Thread", "File")
OPERATORS = ("contains", "is", "is not", "before", "after")
_TIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m-%d-%Y %H:%M:%S.%f",
    "%m-%d-%Y %H:%M:%S",
    "%m-%d-%Y %H:%M",
    "%m/%d/%Y %H:%M:%S.%f",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%Y-%m-%d",
    "%m-%d-%Y",
    "%m/%d/%Y",
)
_CLOCK_FORMATS = ("%H:%M:%S.%f", "%H:%M:%S", "%H:%M")


def parse_time_value(value: str) -> _dt.datetime | _dt.time:
    """A filter's time: a date and time (``2000-11-16 10:23``, ``11-16-2000 10:23:45``) or a clock (``10:23``).

    A clock alone compares with the time of day of each line, whatever its date.
    """
    text = value.strip()
    for fmt in _TIME_FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt)
        except ValueError:
            pass
    for fmt in _CLOCK_FORMATS:
        try:
            return _dt.datetime.strptime(text, fmt).time()
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a time: write 10:23, 10:23:45 or 2000-11-16 10:23")


def _cell(column: str) -> Callable[[Row], str]:
    if column == "Log Text":
        return lambda r: r[TEXT]
    if column == "Component":
        return lambda r: r[COMPONENT]
    if column == "Date/Time":
        return lambda r: r[STAMP]
    if column == "File":
        return lambda r: r[FILE].replace("\\", "/").rsplit("/", 1)[-1]
    return lambda r: thread_text(r[THREAD])


@dataclass(frozen=True)
class ColumnFilter:
    """One condition of CMTrace's filter: a column, an operator of ``OPERATORS`` and a value.

    ``is``/``is not``/``contains`` compare the column's text without regard to case (a thread compares its
    number, given in decimal or as ``0x..``); ``before``/``after`` apply to Date/Time only.
    """

    column: str
    op: str
    value: str

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"no column {self.column!r}")
        if self.op not in OPERATORS:
            raise ValueError(f"no operator {self.op!r}")
        if self.op in ("before", "after"):
            if self.column != "Date/Time":
                raise ValueError(f"'{self.op}' applies to Date/Time, not to {self.column}")
            parse_time_value(self.value)
        elif self.column == "Thread" and self.op != "contains" and parse_thread(self.value) is None:
            raise ValueError(f"{self.value!r} is not a thread id: write 205 or 0xCD")

    def describe(self) -> str:
        return f"{self.column} {self.op} {self.value.strip()!r}"

    def predicate(self) -> Callable[[Row], bool]:
        op = self.op
        if op in ("before", "after"):
            limit = parse_time_value(self.value)
            clock = isinstance(limit, _dt.time)
            if op == "before":
                if clock:
                    return lambda r: r[WHEN] is not None and r[WHEN].time() < limit
                return lambda r: r[WHEN] is not None and r[WHEN] < limit
            if clock:
                return lambda r: r[WHEN] is not None and r[WHEN].time() > limit
            return lambda r: r[WHEN] is not None and r[WHEN] > limit
        if self.column == "Thread" and op != "contains":
            tid = parse_thread(self.value)
            return (lambda r: r[THREAD] == tid) if op == "is" else (lambda r: r[THREAD] != tid)
        needle = self.value.strip().lower()
        cell = _cell(self.column)
        if op == "contains":
            if self.column == "Log Text":
                return lambda r: needle in r[TEXT].lower()
            return lambda r: needle in cell(r).lower()
        if op == "is":
            return lambda r: cell(r).strip().lower() == needle
        return lambda r: cell(r).strip().lower() != needle


def combined(filters: list[ColumnFilter]) -> Callable[[Row], bool] | None:
    """All conditions at once (CMTrace's filter is an AND), or None when there are none."""
    tests = [f.predicate() for f in filters]
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda r: all(t(r) for t in tests)


# --- highlight, find ----------------------------------------------------------------------------------------


def highlighter(value: str) -> Callable[[Row], bool] | None:
    """CMTrace's Highlight: a number (or ``0x..``) marks the lines of that thread, other text the lines holding it."""
    text = value.strip()
    if not text:
        return None
    tid = parse_thread(text)
    if tid is not None:
        return lambda r: r[THREAD] == tid
    needle = text.lower()
    return lambda r: needle in r[TEXT].lower()


def finder(value: str) -> Callable[[Row], bool] | None:
    """Find: the text (case ignored) in the message or the component."""
    needle = value.strip().lower()
    if not needle:
        return None
    return lambda r: needle in r[TEXT].lower() or needle in r[COMPONENT].lower()


# --- error look-up, elapsed time ------------------------------------------------------------------------------

_HRESULT = re.compile(r"\b(?:0x)?(8007[0-9a-f]{4})\b", re.IGNORECASE)
_ERROR_NUMBER = re.compile(r"\b(?:error|code)\s*(?:=|:)?\s*(\d{1,5})\b", re.IGNORECASE)
_WNET = re.compile(r"WNetAddConnection2\b.*\((\d{1,5})\)", re.IGNORECASE)


def error_codes(text: str) -> list[int]:
    """Win32 codes a message names: ``Win32 error = 32``, ``error 67``, an HRESULT ``0x80070005``; no zeros."""
    codes = list(win32_error_codes(text))
    codes += [int(m) for m in _ERROR_NUMBER.findall(text) if "win32 error" not in text.lower()]
    codes += [int(m) for m in _WNET.findall(text)]
    for m in _HRESULT.findall(text):
        code = win32_code(m)
        if code is not None:
            codes.append(code)
    out: list[int] = []
    for c in codes:
        if c and c not in out:
            out.append(c)
    return out


def error_lookup(text: str) -> list[str]:
    """CMTrace's Error Lookup for one line: the text of each Win32 code it names."""
    return [f"Win32 error {describe_win32_error(c)}" for c in error_codes(text)]


def format_elapsed_ms(delta: _dt.timedelta) -> str:
    """``0:05:12.345`` (``1 d 2:03:04.000`` past a day; a minus sign when the second time is earlier)."""
    ms = round(delta.total_seconds() * 1000)
    sign = "-" if ms < 0 else ""
    ms = abs(ms)
    days, ms = divmod(ms, 86_400_000)
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    head = f"{days} d " if days else ""
    return f"{sign}{head}{h}:{m:02d}:{s:02d}.{ms:03d}"


def elapsed_text(first: Row | None, selected: list[Row]) -> str:
    """The status bar's elapsed time: from ``first`` to one selected line, or across several selected lines."""
    timed = [r for r in selected if r[WHEN] is not None]
    if len(selected) > 1:
        if len(timed) < 2:
            return f"{len(selected)} lines selected; not enough of them have a time"
        lo = min(r[WHEN] for r in timed)
        hi = max(r[WHEN] for r in timed)
        return f"Elapsed {format_elapsed_ms(hi - lo)} across {len(selected)} selected lines"
    if not selected:
        return "Select a line for the time since the first line, or several for the time across them"
    if not timed or first is None or first[WHEN] is None:
        return "No time on this line" if not timed else ""
    return f"Elapsed {format_elapsed_ms(timed[0][WHEN] - first[WHEN])} since the first line"


_CLOCK = re.compile(r"\b(\d{1,2}:\d{2})(?::\d{2})?")


def finding_summary(kb: str, title: str, request: str | None, time: str | None) -> str:
    """The banner's line: ``Q278357: request 2_4O7PRI stranded at 10:23`` (other rules: their title)."""
    m = _CLOCK.search(time or "")
    at = f" at {m.group(1)}" if m else ""
    if kb == "Q278357" and request:
        return f"{kb}: request {request} stranded{at}"
    what = f"{title}, request {request}" if request else title
    return f"{kb}: {what}{at}"
