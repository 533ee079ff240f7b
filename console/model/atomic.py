"""Atomic file writes and keeping bad files aside: nothing a user had is ever lost or half-written.

The write goes to a temporary file in the same folder (same file system, so ``os.replace`` is an
atomic rename), is flushed and fsynced, and only then replaces the target. A reader therefore sees
the old file or the new one, never a torn one, even if the app dies mid-write.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import tempfile
from pathlib import Path


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def move_aside(path: Path, reason: str = "corrupt") -> Path:
    """Rename ``path`` to ``<name>.<reason>-YYYYmmdd-HHMMSS`` (never overwriting) and return the new path."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{n}")
    os.replace(path, target)
    return target
