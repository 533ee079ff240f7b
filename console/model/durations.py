"""Durations as people write them in scenario files and on the command line: "90s", "6m", "2h", "1d", "HH:MM:SS"."""

from __future__ import annotations

import re

_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "min": 60.0, "h": 3600.0, "d": 86400.0}
_SIMPLE = re.compile(r"^(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)$")
_CLOCK = re.compile(r"^(\d+):([0-5]\d):([0-5]\d(?:\.\d+)?)$")


def parse_duration(text: str) -> float:
    """Seconds for ``text``; ValueError with the accepted forms when it is not a duration."""
    cleaned = str(text).strip().lower()
    m = _SIMPLE.match(cleaned)
    if m:
        return float(m.group(1)) * _UNIT[m.group(2)]
    m = _CLOCK.match(cleaned)
    if m:
        return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    raise ValueError(f'{text!r} is not a duration; write e.g. "90s", "6m", "2h" or "01:30:00"')


def format_duration(seconds: float) -> str:
    """Short human form: "45s", "6m 30s", "2h 05m", "3d 4h"."""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s" if s % 60 else f"{s // 60}m"
    if s < 86400:
        return f"{s // 3600}h {(s % 3600) // 60:02d}m"
    return f"{s // 86400}d {(s % 86400) // 3600}h"


def format_elapsed(seconds: float) -> str:
    """Time since a run started, to the second until a day has passed: "45s", "12m 30s", "1h 02m 03s", "1d 1h 01m"."""
    s = int(seconds)
    days, rest = divmod(s, 86400)
    h, rest = divmod(rest, 3600)
    m, sec = divmod(rest, 60)
    if days:
        return f"{days}d {h}h {m:02d}m"
    if h:
        return f"{h}h {m:02d}m {sec:02d}s"
    if m:
        return f"{m}m {sec:02d}s"
    return f"{sec}s"
