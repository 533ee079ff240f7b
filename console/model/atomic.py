"""Atomic file writes and keeping bad files aside: nothing a user had is ever lost or half-written.

The write goes to a temporary file in the same folder (same file system, so ``os.replace`` is an
atomic rename), is flushed and fsynced, and only then replaces the target; the folder is fsynced after
the rename, so the new name survives a power cut too. A reader therefore sees the old file or the new
one, never a torn one, even if the app dies mid-write.

A writer killed between writing and renaming leaves its temporary file (``.sites.json.<pid>.<random>.tmp``)
behind. The next write of the same file removes such leftovers of its own pattern when they cannot be in
use: their writer's process is gone, or they are older than ``STALE_TMP_S``.

``load_or_move_aside`` is the one reader of the app's JSON files (site database, window state): it turns
every way a file can be unreadable into one sentence and keeps the file aside under a timestamped name.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

STALE_TMP_S = 60.0
"""A temporary file older than this is not being written by anyone (a save takes milliseconds)."""

T = TypeVar("T")


def _tmp_prefix(path: Path) -> str:
    return f".{path.name}."


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":  # os.kill(pid, 0) would terminate the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def clear_stale_temporaries(path: Path, *, now: float | None = None) -> list[Path]:
    """Remove ``path``'s own leftover temporaries that no writer can be using; return what was removed."""
    now = time.time() if now is None else now
    pattern = re.compile(re.escape(_tmp_prefix(path)) + r"(?:(\d+)\.)?[^/\\]*\.tmp$")
    removed = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        m = pattern.match(entry.name)
        if m is None:
            continue
        try:
            age = now - entry.stat().st_mtime
        except OSError:
            continue
        pid = int(m.group(1)) if m.group(1) else None
        writer_gone = pid is not None and pid != os.getpid() and not _pid_alive(pid)
        if writer_gone or age > STALE_TMP_S:
            with contextlib.suppress(OSError):
                entry.unlink()
                removed.append(entry)
    return removed


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX); a no-op where folders cannot be opened (Windows)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # some file systems refuse fsync on a folder
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    clear_stale_temporaries(path)
    fd, tmp = tempfile.mkstemp(prefix=f"{_tmp_prefix(path)}{os.getpid()}.", suffix=".tmp", dir=path.parent)
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
    fsync_folder(path.parent)


def move_aside(path: Path, reason: str = "corrupt") -> Path:
    """Rename ``path`` to ``<name>.<reason>-YYYYmmdd-HHMMSS`` (never overwriting) and return the new path."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{n}")
    os.replace(path, target)
    fsync_folder(path.parent)
    return target


class UnreadableFile(ValueError):
    """A file that is not UTF-8 JSON the app can read; ``str()`` says why in a few words."""


def parse_json_bytes(raw: bytes) -> Any:
    """The JSON value of ``raw``; UnreadableFile for every way it can fail (encoding, syntax, depth, size)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnreadableFile(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from None
    except RecursionError:
        raise UnreadableFile("not a file this app writes (its values are nested too deeply)") from None
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        raise UnreadableFile(f"not valid JSON ({exc})") from None


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """What ``load_or_move_aside`` read: ``value`` (None when nothing usable), the file's bytes, and, when
    the file was kept aside, where (``moved_to``) and why (``problems``: one sentence each)."""

    value: T | None
    raw: bytes | None = None
    moved_to: Path | None = None
    problems: tuple[str, ...] = ()

    @property
    def missing(self) -> bool:
        return self.raw is None and self.moved_to is None


def load_or_move_aside(path: Path, parse: Callable[[Any], tuple[T, list[str]]]) -> Loaded[T]:
    """Read ``path`` as JSON and ``parse`` it; keep the file aside when it is unusable or partly unusable.

    ``parse`` returns the value and the list of entries it had to leave out (empty when all was read), or
    raises ValueError when nothing is usable. Either way a file with a problem is moved aside (kept, never
    deleted) and the problems come back as sentences. A missing file gives ``Loaded(None)``.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Loaded(None)
    try:
        value, problems = parse(parse_json_bytes(raw))
    except RecursionError:
        value, problems = None, ["not a file this app writes (its values are nested too deeply)"]
    except ValueError as exc:
        value, problems = None, [str(exc)]
    if not problems:
        return Loaded(value, raw)
    return Loaded(value, raw, move_aside(path, "bad"), tuple(problems))


def keep_copy(path: Path, raw: bytes, reason: str) -> Path:
    """Write ``raw`` (the bytes of ``path``) to ``<name>.<reason>-YYYYmmdd-HHMMSS`` beside it, never overwriting.

    Why: an upgrade rewrites ``path`` in place; the copy is what an older version of the app can still read.
    """
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.{reason}-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.{reason}-{stamp}-{n}")
    atomic_write_text(target, raw.decode("utf-8"))
    return target
