"""Files to timelines: ``Sender.log`` with its ``Sender.lo_``, several logs merged by time, and following a file.

Why ``.lo_`` first: at 1 MB the log is renamed to ``.lo_`` and a new ``.log`` begins (research §4.3), so the
``.lo_`` holds the older lines; read in that order they are one timeline, whichever of the two a user named.

Why merge by UTC when known: two sites' Sender.logs say ``Eastern Standard Time`` and ``Pacific Standard
Time``; a CCM log says ``+480``. The bias puts them on one clock for ordering only; records keep their times as
written. A record without a time keeps its place after the record before it in its own file.

Why the follower compares file identity and the first bytes: CMTrace clones crash or stall when a log they
follow is rolled over or truncated (the most reported bug of research §9). A rename to ``.lo_`` shows as a new
inode at the path (the old handle is read to its end first, so no line is lost); a truncation as a size below
what was read; a file rewritten in place past the old size as a changed start. Each one restarts reading.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from console.logs.formats import LogRecord
from console.logs.reader import CHUNK_BYTES, LineDecoder, RecordParser, read_records

_HEAD_BYTES = 256


def _sibling(path: Path, rolled: bool) -> Path:
    """``Sender.log`` <-> ``Sender.lo_``, keeping the case of the suffix (``SENDER.LOG`` -> ``SENDER.LO_``)."""
    suffix = path.suffix
    last = "_" if rolled else ("G" if suffix[1:3].isupper() else "g")
    return path.with_suffix(suffix[:-1] + last)


def timeline_files(path: str | os.PathLike[str]) -> list[Path]:
    """The files of one timeline in reading order: ``[X.lo_, X.log]`` when both exist, else the one named."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".log":
        rolled = _sibling(p, rolled=True)
        return [rolled, p] if rolled.is_file() else [p]
    if suffix == ".lo_":
        current = _sibling(p, rolled=False)
        return [p, current] if current.is_file() else [p]
    return [p]


def group_timelines(paths: Iterable[str | os.PathLike[str]]) -> list[list[Path]]:
    """One timeline per named file, a ``.log`` and its ``.lo_`` (named or not) being one; duplicates dropped."""
    groups: list[list[Path]] = []
    seen: set[Path] = set()
    for path in paths:
        files = timeline_files(path)
        keys = {_key(f) for f in files}
        if keys & seen:
            continue
        seen |= keys
        groups.append(files)
    return groups


def _key(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def read_timeline(files: Iterable[Path]) -> Iterator[LogRecord]:
    """The records of the files one after another (a ``.lo_`` then its ``.log``)."""
    for f in files:
        yield from read_records(f)


def merge_by_time(streams: Iterable[Iterable[LogRecord]]) -> Iterator[LogRecord]:
    """Records of several timelines in time order (UTC where the bias is known); ties keep stream order."""

    def keyed(index: int, stream: Iterable[LogRecord]) -> Iterator[tuple[_dt.datetime, int, int, LogRecord]]:
        last = _dt.datetime.min
        for seq, record in enumerate(stream):
            utc = record.utc
            if utc is not None:
                last = utc
            yield last, index, seq, record

    for *_, record in heapq.merge(*(keyed(i, s) for i, s in enumerate(streams))):
        yield record


class LogFollower:
    """Poll one file for new records (no threads, no sleeping: the caller decides when to ``poll``).

    ``restarts`` counts the times the file was found rotated, replaced or truncated and read again from its
    start; line numbers then start again at 1. A line still being written (no line break yet) and a CCM
    message not closed yet wait for the next poll; ``close`` gives them out.
    """

    def __init__(self, path: str | os.PathLike[str], *, chunk_bytes: int = CHUNK_BYTES) -> None:
        self.path = Path(path)
        self.chunk_bytes = chunk_bytes
        self.restarts = 0
        self._fh = None
        self._ident: tuple[int, int] | None = None
        self._pos = 0
        self._head = b""
        self._decoder = LineDecoder()
        self._parser = RecordParser(str(self.path))

    @classmethod
    def resume(
        cls, path: str | os.PathLike[str], fh: BinaryIO, decoder: LineDecoder, parser: RecordParser, head: bytes
    ) -> LogFollower:
        """Follow on from where another reader stopped: its open handle (at the end of what it read), its decoder
        and parser (line numbers go on) and the file's first bytes. The log viewer reads the bulk of a file on a
        worker thread and hands it over here, so following neither reads the file twice nor misses a rotation
        that happened while it loaded (the handle is the file that was read)."""
        follower = cls(path)
        fst = os.fstat(fh.fileno())
        follower._fh = fh
        follower._ident = (fst.st_dev, fst.st_ino)
        follower._pos = fh.tell()
        follower._head = head[:_HEAD_BYTES]
        follower._decoder = decoder
        follower._parser = parser
        return follower

    def poll(self) -> list[LogRecord]:
        out: list[LogRecord] = []
        try:
            st = os.stat(self.path)
        except OSError:
            st = None
        if self._fh is not None:
            if st is None or (st.st_dev, st.st_ino) != self._ident:
                out += self._read_new()  # rotated away or replaced: the old handle still has the old file's tail
                out += self._end_file()
                self.restarts += 1
                if st is None:
                    return out
            elif st.st_size < self._pos or not self._same_start():
                out += self._end_file()  # truncated (or rewritten): what was read stands; start again
                self.restarts += 1
        if self._fh is None:
            if st is None:
                return out
            try:
                self._fh = open(self.path, "rb")  # noqa: SIM115 - kept open between polls on purpose
            except OSError:
                return out
            fst = os.fstat(self._fh.fileno())
            self._ident = (fst.st_dev, fst.st_ino)
        out += self._read_new()
        return out

    def _same_start(self) -> bool:
        want = min(len(self._head), _HEAD_BYTES)
        if want == 0:
            return True
        with open(self.path, "rb") as f:
            return f.read(want) == self._head[:want]

    def _read_new(self) -> list[LogRecord]:
        out: list[LogRecord] = []
        assert self._fh is not None
        self._fh.seek(self._pos)
        while True:
            data = self._fh.read(self.chunk_bytes)
            if not data:
                return out
            if len(self._head) < _HEAD_BYTES:
                self._head += data[: _HEAD_BYTES - len(self._head)]
            self._pos += len(data)
            out += self._parser.feed(self._decoder.feed(data))

    def _end_file(self) -> list[LogRecord]:
        out = self._parser.feed(self._decoder.finish()) + self._parser.finish()
        if self._fh is not None:
            self._fh.close()
        self._fh = None
        self._ident = None
        self._pos = 0
        self._head = b""
        self._decoder = LineDecoder()
        self._parser = RecordParser(str(self.path))
        return out

    def close(self) -> list[LogRecord]:
        """Stop following; the records still held back (a last line without a line break)."""
        return self._end_file() if self._fh is not None else []

    def __enter__(self) -> LogFollower:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
