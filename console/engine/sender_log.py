"""Sender.log on disk, with the one-generation ``Sender.lo_`` rollover (research §4.3, DESIGN.md §3).

When the next line would take the file past ``max_bytes`` (1 MB by default), the current file
replaces ``Sender.lo_`` (an older ``.lo_`` is lost, as in the product) and a new ``Sender.log`` starts.
Lines use CRLF, as SMS 2.0 wrote them on Windows; the size check counts the bytes actually written.
The file stays open between lines (a busy run writes hundreds of thousands); ``close()`` or the
context manager releases it. Lines are kept in a short list and written ``CHUNK_LINES`` at a time (one join
and one encode instead of one per line); ``flush()`` writes what is pending, as the live console does every
frame. An ASCII line's size is its length, so only a line with other characters is encoded on its own.
A file that already exists is appended to, as the service did on restart; if its last line was cut short
(a crash mid-write, an editor), that line is ended first, so that the first new line starts a line of its
own and every line still parses.
"""

from __future__ import annotations

import os
from pathlib import Path
from types import TracebackType

MAX_LOG_BYTES = 1024 * 1024
NEWLINE = "\r\n"
CHUNK_LINES = 256


class SenderLogFile:
    def __init__(self, path: str | os.PathLike[str], max_bytes: int = MAX_LOG_BYTES) -> None:
        if max_bytes < 1024:
            raise ValueError(f"max_bytes must be at least 1024; got {max_bytes}")
        self.path = Path(path)
        self.max_bytes = max_bytes
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "ab")  # noqa: SIM115 - kept open across calls on purpose
        self._size = self._fh.tell()
        self._pending: list[str] = []  # lines counted in _size, not yet written
        self.rollovers = 0
        if self._size and not self._ends_a_line():
            self._fh.write(NEWLINE.encode("ascii"))
            self._size += len(NEWLINE)

    def _ends_a_line(self) -> bool:
        with open(self.path, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            return fh.read(1) == b"\n"

    @property
    def rolled_path(self) -> Path:
        """``Sender.log`` -> ``Sender.lo_``."""
        return self.path.with_suffix(self.path.suffix[:-1] + "_") if self.path.suffix else self.path.with_suffix(".lo_")

    def write_line(self, line: str) -> None:
        n = len(line) + 2 if line.isascii() else len((line + NEWLINE).encode("utf-8"))
        if self._size and self._size + n > self.max_bytes:
            self._roll()
        pending = self._pending
        pending.append(line)
        self._size += n
        if len(pending) >= CHUNK_LINES:
            self._write_pending()

    def _write_pending(self) -> None:
        if self._pending:
            self._pending.append("")
            self._fh.write(NEWLINE.join(self._pending).encode("utf-8"))
            self._pending.clear()

    def _roll(self) -> None:
        self._write_pending()
        self._fh.close()
        os.replace(self.path, self.rolled_path)
        self._fh = open(self.path, "ab")  # noqa: SIM115
        self._size = 0
        self.rollovers += 1

    def flush(self) -> None:
        self._write_pending()
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._write_pending()
            self._fh.close()

    def __enter__(self) -> SenderLogFile:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
