"""An exclusive lock between processes (and between stores in one process) on a file's ``.lock`` companion.

``sites.json`` is read, compared and written under ``sites.json.lock`` so that two saves at the same moment
(the console window and a ``sender`` command, two windows) are serialised and neither change is lost.

- POSIX: ``fcntl.flock`` on the open lock file. The kernel drops the lock when the process dies, so a
  crash never leaves the file locked. ``flock`` locks belong to the open file, so two stores in one
  process exclude each other as two processes do.
- Windows: ``msvcrt.locking`` on the lock file's first byte, retried until the deadline.
- Elsewhere: the lock file itself, created with ``O_EXCL``; one whose process is gone, or that is older
  than ``STALE_LOCK_S``, is taken over.

The lock file is left in place (removing it would race with a process that just opened it); it is empty.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:
    msvcrt = None  # type: ignore[assignment]

LOCK_TIMEOUT_S = 30.0
STALE_LOCK_S = 120.0


class LockTimeout(OSError):
    """Another process held the lock for longer than the timeout."""


def lock_path(path: Path) -> Path:
    return path.with_name(path.name + ".lock")


@contextlib.contextmanager
def locked(path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the exclusive lock of ``path`` (its ``<name>.lock`` companion) for the ``with`` block."""
    lock = lock_path(path)
    lock.parent.mkdir(parents=True, exist_ok=True)
    if fcntl is not None:
        with _flock(lock, timeout):
            yield
    elif msvcrt is not None:  # pragma: no cover - Windows
        with _msvcrt_lock(lock, timeout):
            yield
    else:  # pragma: no cover - no platform lock
        with _exclusive_file(lock, timeout):
            yield


def _deadline_error(lock: Path, timeout: float) -> LockTimeout:
    return LockTimeout(0, f"another process has held the lock for over {timeout:g} s", str(lock))


@contextlib.contextmanager
def _flock(lock: Path, timeout: float) -> Iterator[None]:
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise _deadline_error(lock, timeout) from None
                time.sleep(0.002)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _msvcrt_lock(lock: Path, timeout: float) -> Iterator[None]:  # pragma: no cover - Windows
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise _deadline_error(lock, timeout) from None
                time.sleep(0.005)
        try:
            yield
        finally:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _exclusive_file(lock: Path, timeout: float) -> Iterator[None]:  # pragma: no cover - exotic platforms
    held = lock.with_name(lock.name + ".held")
    deadline = time.monotonic() + timeout
    while True:
        try:
            fd = os.open(held, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            os.write(fd, str(os.getpid()).encode("ascii"))
            os.close(fd)
            break
        except FileExistsError:
            with contextlib.suppress(OSError, ValueError):
                if time.time() - held.stat().st_mtime > STALE_LOCK_S:
                    held.unlink()
                    continue
            if time.monotonic() > deadline:
                raise _deadline_error(lock, timeout) from None
            time.sleep(0.005)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            held.unlink()
