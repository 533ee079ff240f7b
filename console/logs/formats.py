"""The five log formats of research §9, recognised line by line into one record type.

Why one record type: the viewer, the merger and the diagnosis rules should not care whether a line came from an
SMS 2.0 Sender.log or a ConfigMgr client log. Why per line: real files mix formats (a ConfigMgr server log
holds CCM-style lines after an upgrade; a crash leaves a half line), so nothing is decided per file.

- ``sms2``: ``text  $$<COMP><Thu Nov 16 10:23:45.120 2000 Eastern Standard Time><thread=205 (0xCD)>``, and the
  client form without the zone name. The engine's own strict parser (``log_format.parse_fields``) goes first;
  a line it refuses (one space before ``$$``, a weekday that does not match, no zone) is read leniently here.
- ``sms1``: ``text~   $$<COMP><Wed Mar 31 05:39:12 1999~><thread=A4>``: no milliseconds, hex thread id.
- ``cm-server``: ``text$$<COMP><11-30-2022 01:03:34.174-60><thread=4844 (0x12EC)>``: month-day-year, bias.
- ``ccm``: ``<![LOG[text]LOG]!><time="16:53:52.712+480" date="02-20-2024" component="X" ... type="1" thread="4">``;
  the text may span lines (the reader joins them); ``type`` 3 is an error, 2 a warning, by the file's word.

Times are kept as written: ``when`` is the naive local reading, ``stamp`` the text of the file, and ``bias``
(minutes to add for UTC, Windows' sign) only serves as a sort key when files are merged.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import NamedTuple

from console.engine.log_format import parse_fields
from console.logs.classify import Severity, classify
from console.logs.zones import zone_bias

FORMATS = ("sms2", "sms1", "cm-server", "ccm")
UNPARSED = "unparsed"
CCM_OPEN = "<![LOG["
CCM_CLOSE = "]LOG]!>"


class LogRecord(NamedTuple):
    """One log entry. ``line``/``last_line`` are 1-based lines of ``file`` (equal unless a CCM text spans lines)."""

    fmt: str
    text: str
    """The message; for an unparsed line, the whole line."""
    component: str
    when: _dt.datetime | None
    """The time as written (no zone applied), or None."""
    stamp: str
    """The time field exactly as the file writes it (``""`` when there is none)."""
    bias: int | None
    """Minutes to add to ``when`` for UTC, when the file says (an offset or a known zone name)."""
    thread: int | None
    severity: Severity
    file: str
    line: int
    last_line: int

    @property
    def parsed(self) -> bool:
        return self.fmt != UNPARSED

    @property
    def utc(self) -> _dt.datetime | None:
        """``when`` moved to UTC when the bias is known, else ``when`` itself (the merge key)."""
        if self.when is None or self.bias is None:
            return self.when
        return self.when + _dt.timedelta(minutes=self.bias)


Parsed = tuple[str, str, str, "_dt.datetime | None", str, "int | None", "int | None", Severity]
"""A record's fields before the reader adds the file and line numbers."""

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_SERVER_TAIL = re.compile(r"\$\$<([^<>]*)><([^<>]*)><thread=([^<>]*)>[ \t~]*$")
_SMS_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) "
    r"(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\d{4})(?: ([A-Za-z][A-Za-z .'()-]*?))?~?$"
)
_NUMERIC_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?([+-]\d{1,4})?$")
_DEC_THREAD = re.compile(r"(\d{1,10})(?: \(0x[0-9A-Fa-f]{1,8}\))?$")
_HEX_THREAD = re.compile(r"(?:0x)?([0-9A-Fa-f]{1,8})$")
_CCM_TAIL = re.compile(
    r'\]LOG\]!><time="([^"]*)" date="([^"]*)" component="([^"]*)" context="[^"]*" type="([^"]*)" '
    r'thread="([^"]*)"(?: file="[^"]*")?>\s*$'
)
_CCM_ANY_TAIL = re.compile(r"\]LOG\]!><([^<>]*)>\s*$")
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_CCM_TIME = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?([+-]\d{1,4})?$")
_CCM_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})$")
_CCM_SEVERITY = {"3": Severity.ERROR, "2": Severity.WARNING}


def _micro(frac: str | None) -> int:
    return int(frac[:6].ljust(6, "0")) if frac else 0


def _clock(year: int, month: int, day: int, h: str, m: str, s: str, frac: str | None) -> _dt.datetime | None:
    try:
        return _dt.datetime(year, month, day, int(h), int(m), int(s), _micro(frac))
    except ValueError:
        return None


def parse_server_line(line: str) -> Parsed | None:
    """An ``sms2``/``sms1``/``cm-server`` line (one with a ``$$<`` trailer), or None."""
    try:
        fields = parse_fields(line)
    except ValueError:  # a thread id of thousands of digits: int() refuses it; read it leniently below
        fields = None
    if fields is not None:
        text, component, when, zone, tid = fields
        start = line.rfind("$$<") + len(component) + 5
        stamp = line[start : line.rfind("><thread=")]
        return "sms2", text, component, when, stamp, zone_bias(zone), tid, classify(text)
    cut = line.rfind("$$<")
    m = _SERVER_TAIL.match(line, cut)
    if m is None:
        return None
    component, stamp, thread_text = m.groups()
    text = line[:cut].rstrip(" ")
    d = _NUMERIC_DATE.match(stamp)
    if d is not None:
        mo, dd, yy, h, mi, s, frac, bias = d.groups()
        when = _clock(int(yy), int(mo), int(dd), h, mi, s, frac)
        tm = _DEC_THREAD.match(thread_text)
        return (
            "cm-server",
            text,
            component,
            when,
            stamp,
            int(bias) if bias else None,
            int(tm.group(1)) if tm else None,
            classify(text),
        )
    d = _SMS_DATE.match(stamp)
    if d is None:
        return None
    mon, dd, h, mi, s, frac, yy, zone = d.groups()
    when = _clock(int(yy), _MONTHS.index(mon) + 1, int(dd), h, mi, s, frac)
    if frac is None:  # SMS 1.x: whole seconds, a hex thread id
        tm = _HEX_THREAD.match(thread_text) or _DEC_THREAD.match(thread_text)
        thread = int(tm.group(1), 16 if tm.re is _HEX_THREAD else 10) if tm else None
        return "sms1", text, component, when, stamp.rstrip("~"), None, thread, classify(text)
    tm = _DEC_THREAD.match(thread_text)
    bias = zone_bias(zone) if zone else None
    return "sms2", text, component, when, stamp.rstrip("~"), bias, int(tm.group(1)) if tm else None, classify(text)


@functools.lru_cache(maxsize=64)
def _ccm_date(date: str) -> tuple[int, int, int] | None:
    m = _CCM_DATE.match(date)
    if m is None:
        return None
    month, day, year = (int(g) for g in m.groups())
    return year, month, day


def _ccm_time(date: str, time: str) -> tuple[_dt.datetime | None, int | None]:
    ymd = _ccm_date(date)
    m = _CCM_TIME.match(time)
    if m is None:
        return None, None
    h, mi, s, frac, bias = m.groups()
    when = _clock(*ymd, h, mi, s, frac) if ymd is not None else None
    return when, int(bias) if bias else None


def split_ccm(line: str) -> tuple[str, Parsed] | None:
    """For a line that ends with a CCM trailer: the text before ``]LOG]!>`` and the record's fields.

    The text keeps a leading ``<![LOG[`` (the caller knows whether the record started on this line). A
    trailer whose attributes are in another order (or lack some) is read by name.
    """
    cut = line.rfind(CCM_CLOSE)
    if cut < 0:
        return None
    m = _CCM_TAIL.match(line, cut)
    if m is not None:
        time, date, component, kind, thread_text = m.groups()
    else:
        m = _CCM_ANY_TAIL.match(line, cut)
        if m is None:
            return None
        attrs = dict(_ATTR.findall(m.group(1)))
        if "time" not in attrs and "type" not in attrs:
            return None
        time, date, component = attrs.get("time", ""), attrs.get("date", ""), attrs.get("component", "")
        kind, thread_text = attrs.get("type", ""), attrs.get("thread", "")
    when, bias = _ccm_time(date, time)
    tm = _DEC_THREAD.match(thread_text)
    stamp = f"{date} {time}".strip()
    severity = _CCM_SEVERITY.get(kind, Severity.NORMAL)
    return line[:cut], ("ccm", "", component, when, stamp, bias, int(tm.group(1)) if tm else None, severity)


def unparsed(text: str) -> Parsed:
    """A line in no known format: kept whole, coloured by CMTrace's word search (classify)."""
    return UNPARSED, text, "", None, "", None, None, classify(text)
