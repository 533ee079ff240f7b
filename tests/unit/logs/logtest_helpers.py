"""Helpers the log tests import: hand-made SMS 2.0 lines in the product's format, and where the real logs are."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from real_logs import REAL_LARGE, REAL_LOGS, REAL_SMALL, needs_real_logs  # noqa: F401 (re-exported)

from console.engine.log_format import format_line

ROOT = Path(__file__).resolve().parents[3]
WHEN = dt.datetime(2000, 11, 16, 10, 0, 0)


def sms2(text: str, thread: int = 205, minutes: float = 0.0, zone: str = "Eastern Standard Time") -> str:
    """One SMS 2.0 Sender.log line in the product's format, ``minutes`` after 10:00 on 16 Nov 2000."""
    return format_line(text, WHEN + dt.timedelta(minutes=minutes), thread, zone=zone)


def write_lines(path: Path, lines: list[str], newline: str = "\r\n") -> Path:
    path.write_bytes("".join(line + newline for line in lines).encode("utf-8"))
    return path
