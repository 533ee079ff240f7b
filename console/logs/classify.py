"""Error / warning / normal for one Sender.log line, the way a log viewer colours it.

CMTrace (research/sms-sender.md §4.4) colours a line red when its text contains "error" and yellow when it
contains "warn", case-insensitively, for logs it has no schema for. That alone is wrong both ways for an
SMS 2.0 Sender.log, so the domain rules come first:

- ``There is no existing connection, Win32 error = 0`` is the sender reporting *success* of a check
  (error 0 is ERROR_SUCCESS); a plain word search would paint it red. ``Win32 error = 0`` is therefore
  removed before the word search runs.
- ``Heartbeat is expired.`` and ``Can't re-establish the connection.`` contain neither word, yet they are
  the two lines KB Q278357 tells an administrator to look for: the thread gave up. They are errors.
- ``Operation is retryable.``, ``Returning send request to pending ...``, ``... won't try send requests ...``
  and ``... added to list of busy sites ...`` mean "not now, later": warnings, not errors.

When a line matches both an error and a warning rule (``Cannot connect to server ..., won't try send
requests ...``) the error wins. The rules are substring tests on the lower-cased text (not one regular
expression per rule): a 20 MB log is classified line by line, and ``in`` on one lowered string is several
times faster than a list of regexes.

Qt-free on purpose (console/engine never imports Qt): the log view's model and its file reader use it, and
it is tested without a QApplication.
"""

from __future__ import annotations

import enum
import re

from console.engine.log_format import parse_line

__all__ = ["Severity", "classify", "classify_line", "win32_error_codes"]


class Severity(enum.IntEnum):
    """Ordered, so ``max()`` picks the worse of two."""

    NORMAL = 0
    WARNING = 1
    ERROR = 2


ERROR_PHRASES: tuple[str, ...] = (
    "error during wnetaddconnection2",
    "cannot connect",
    "cannot create/open",
    "heartbeat is expired",
    "can't re-establish the connection",
    "could not establish connection",
    "attempt to connect failed",
)
"""Sender wording (research §4.2) that means the step failed, lower-case. Most lack the word "error"."""

WARNING_PHRASES: tuple[str, ...] = (
    "operation is retryable",
    "returning send request to pending",
    "won't try send requests",
    "added to list of busy sites",
    "there is no longer an address",
)
"""Sender wording that means "deferred, will try again later", lower-case."""

_WIN32 = re.compile(r"win32 error\s*=\s*(\d{1,10})(?!\d)")
"""Bounded: ``int()`` of a digit string over 4,300 digits raises, and a line may be any bytes at all."""


def win32_error_codes(text: str) -> list[int]:
    """The ``Win32 error = N`` codes in a message, in order (``[]`` when there are none)."""
    lowered = text.lower()
    if "win32 error" not in lowered:
        return []
    return [int(m) for m in _WIN32.findall(lowered)]


def classify(text: str) -> Severity:
    """The severity of one message text (for an SMS-format line pass only its text, not the ``$$`` tail)."""
    lowered = text.lower()
    if "win32 error" in lowered:
        codes = [int(m) for m in _WIN32.findall(lowered)]
        if any(codes):
            return Severity.ERROR
        # ERROR_SUCCESS is not an error: take it out before the generic word search.
        lowered = _WIN32.sub("", lowered)
    for phrase in ERROR_PHRASES:
        if phrase in lowered:
            return Severity.ERROR
    if "error" in lowered:
        return Severity.ERROR
    for phrase in WARNING_PHRASES:
        if phrase in lowered:
            return Severity.WARNING
    if "warn" in lowered:
        return Severity.WARNING
    return Severity.NORMAL


def classify_line(line: str) -> Severity:
    """The severity of a raw log line: its message text when it is in the SMS 2.0 format, else the whole line.

    Only the text is searched for SMS lines so a component or time-zone name can never colour a line.
    """
    parsed = parse_line(line)
    return classify(parsed.text if parsed is not None else line.rstrip("\r\n"))
