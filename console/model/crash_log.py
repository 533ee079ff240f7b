"""Crash logs: an uncaught exception written to ``crash-YYYYmmdd-HHMMSS.log`` under the app's log folder.

Why a file and not only stderr: a double-clicked app has no terminal, so a traceback printed there is lost, and
a report "it crashed" without one cannot be acted on. The file says what a bug report needs: the traceback, the
app's version, Python's (and Qt's, passed in by the GUI: this module is Qt-free) and the command line.

The writer never raises: it runs inside exception hooks, where a second exception would hide the first. When
the file cannot be written it returns None and the caller still prints the traceback.
"""

from __future__ import annotations

import datetime as _dt
import os
import sys
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType

from console import __version__

CRASH_PREFIX = "crash-"
MAX_SAME_SECOND = 100
"""Crashes in one second get ``-2``, ``-3``... after the stamp; a loop of errors stops writing at this many."""


def format_exception_text(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> str:
    """The traceback as Python prints it for an uncaught exception."""
    return "".join(traceback.format_exception(exc_type, exc, tb))


def crash_report(
    traceback_text: str,
    *,
    when: _dt.datetime,
    where: str = "",
    argv: Sequence[str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> str:
    """The file's text: a few ``key: value`` lines, a blank line, then the traceback."""
    import platform  # here: every GUI start imports this module, few ever write a crash log

    head = {
        "time": when.isoformat(timespec="seconds"),
        "where": where or "main thread",
        "sender-console": __version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        **dict(versions or {}),
        "platform": platform.platform(),
        "command line": " ".join(argv if argv is not None else sys.argv),
    }
    lines = [f"{key}: {value}" for key, value in head.items()]
    return "\n".join(lines) + "\n\n" + traceback_text.rstrip("\n") + "\n"


def write_crash_log(
    log_dir: Path,
    traceback_text: str,
    *,
    where: str = "",
    when: _dt.datetime | None = None,
    argv: Sequence[str] | None = None,
    versions: Mapping[str, str] | None = None,
) -> Path | None:
    """Write a new crash log under ``log_dir`` and return its path; None if it could not be written."""
    try:
        when = when or _dt.datetime.now()
        text = crash_report(traceback_text, when=when, where=where, argv=argv, versions=versions)
        log_dir.mkdir(parents=True, exist_ok=True)
        stamp = f"{CRASH_PREFIX}{when:%Y%m%d-%H%M%S}"
        for n in range(1, MAX_SAME_SECOND + 1):
            path = log_dir / (f"{stamp}.log" if n == 1 else f"{stamp}-{n}.log")
            try:
                with open(path, "x", encoding="utf-8", errors="backslashreplace") as f:  # never overwrite one
                    f.write(text)
                    f.flush()
                    os.fsync(f.fileno())
            except FileExistsError:
                continue
            return path
        return None
    except Exception:  # see the module docstring: the writer must not raise
        return None


def crash_logs(log_dir: Path) -> list[Path]:
    """The crash logs in ``log_dir``, oldest first (for tests and a future "send report")."""
    try:
        return sorted(log_dir.glob(f"{CRASH_PREFIX}*.log"), key=lambda p: (p.stat().st_mtime, p.name))
    except OSError:
        return []
