"""Read a Sender.log / Sender.lo_ file as blocks of lines, without Qt, for a worker thread.

Decoding: SMS 2.0 wrote its logs in the ANSI code page, so a Windows-era log is usually cp1252, while logs
from this app (and copies edited on newer systems) are UTF-8. Each chunk is decoded as UTF-8 first (fast,
and it rejects cp1252 high bytes reliably); a chunk that fails is decoded line by line, each line as UTF-8 or
else cp1252 with replacement characters for the five bytes cp1252 leaves undefined. So one bad line never
spoils its neighbours and nothing raises on bad bytes. A BOM selects UTF-16 (some later SMS/ConfigMgr
tools wrote it) or strips the UTF-8 BOM.

Blocks end at a line break (the remainder is carried into the next read) so a line is never split. The
reader does only what runs in C (read, decode, split), so a worker thread running it barely holds the GIL;
parsing the lines into rows is Python-heavy and is left to the caller (see log_file_loader for why).

A file is refused before anything is shown when it cannot be opened or its first 8 KB are mostly control
bytes (an .exe, a zip, a UTF-16 file without BOM): a user who picked the wrong file gets a message, not
200,000 rows of garbage. NUL padding later in a real log (a crash while writing) is tolerated.
"""

from __future__ import annotations

import codecs
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from console.logs.rows import LogRow, rows_from_lines

CHUNK_BYTES = 256 * 1024
SNIFF_BYTES = 8 * 1024
MAX_LINE = 64 * 1024
"""A "line" longer than this is cut into pieces instead of being held back until a line break turns up."""
BINARY_RATIO = 0.10
"""Share of control bytes (other than tab, CR, LF, FF) in the first 8 KB above which a file is binary."""

_Text = TypeVar("_Text", str, bytes)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f")
_CONTROL_BYTES = frozenset(range(0x20)) - _TEXT_CONTROLS | {0x7F}


class LogFileError(Exception):
    """A log file could not be read; the message names the file and the reason, ready to show."""


@dataclass(frozen=True)
class LogBlock:
    lines: list[str]
    bytes_done: int
    """Bytes of the file read once this block's lines are in."""
    bytes_total: int


@dataclass(frozen=True)
class LogChunk:
    rows: list[LogRow]
    bytes_done: int
    bytes_total: int


def _open_error(path: Path, exc: OSError) -> LogFileError:
    if isinstance(exc, FileNotFoundError):
        reason = "the file does not exist"
    elif isinstance(exc, IsADirectoryError):
        reason = "it is a folder, not a log file"
    elif isinstance(exc, PermissionError):
        reason = "permission denied"
    else:
        reason = exc.strerror or str(exc)
    return LogFileError(f"Cannot open {path}: {reason}.")


def looks_binary(head: bytes) -> bool:
    """True when ``head`` (the start of a file, no BOM) is not plausibly a text log."""
    if not head:
        return False
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    return controls / len(head) > BINARY_RATIO


def split_lines(data: _Text) -> list[_Text]:
    """Split at LF only (CR is stripped per row): ``str.splitlines`` would also split at U+2028, FF, NEL."""
    lines = data.split(b"\n" if isinstance(data, bytes) else "\n")  # type: ignore[arg-type]
    if lines and not lines[-1]:
        lines.pop()
    return lines


def decode_lines(data: bytes) -> list[str]:
    """Lines of a byte chunk that ends at a line break: UTF-8 where valid, else cp1252 per line."""
    try:
        return split_lines(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    lines: list[str] = []
    for raw in split_lines(data):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(raw.decode("cp1252", errors="replace"))
    return lines


def read_log_chunks(
    path: Path, *, chunk_bytes: int = CHUNK_BYTES, cancelled: Callable[[], bool] = lambda: False
) -> Iterator[LogChunk]:
    """``read_log_blocks`` with each block's lines made into rows (one thread does both)."""
    for block in read_log_blocks(path, chunk_bytes=chunk_bytes, cancelled=cancelled):
        yield LogChunk(rows_from_lines(block.lines), block.bytes_done, block.bytes_total)


def read_log_blocks(
    path: Path, *, chunk_bytes: int = CHUNK_BYTES, cancelled: Callable[[], bool] = lambda: False
) -> Iterator[LogBlock]:
    """Yield the file's lines block by block; raise ``LogFileError`` with a readable message on failure.

    An error after some blocks were yielded says how far reading got; the lines already yielded are good.
    ``cancelled`` is polled between blocks so a closed view stops its reader promptly. The last block may be
    empty (it carries the final byte count).
    """
    try:
        f = open(path, "rb")  # noqa: SIM115 - closed in the finally below, across yields
    except OSError as exc:
        raise _open_error(path, exc) from exc
    try:
        try:
            total = os.fstat(f.fileno()).st_size
            head = f.read(SNIFF_BYTES)
        except OSError as exc:
            raise _open_error(path, exc) from exc
        done = len(head)
        utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        if head.startswith(codecs.BOM_UTF8):
            head = head[len(codecs.BOM_UTF8) :]
        if not utf16 and looks_binary(head):
            raise LogFileError(
                f"{path.name} does not look like a log file: its start is binary data, not text. Nothing was loaded."
            )
        decoder = codecs.getincrementaldecoder("utf-16")(errors="replace") if utf16 else None
        carry = head  # bytes not yet turned into rows (8-bit files)
        text_carry = ""  # text after the last line break (UTF-16 files)
        while True:
            if cancelled():
                return
            try:
                block = f.read(chunk_bytes)
            except OSError as exc:
                raise LogFileError(f"Reading {path.name} stopped after {done:,} bytes: {exc.strerror or exc}.") from exc
            done += len(block)
            at_end = not block
            if decoder is not None:
                text = text_carry + decoder.decode(carry + block, at_end)
                carry = b""
                cut = len(text) if at_end else text.rfind("\n") + 1
                if cut == 0 and len(text) > MAX_LINE:
                    cut = len(text)
                lines, text_carry = split_lines(text[:cut]), text[cut:]
            else:
                data = carry + block
                cut = len(data) if at_end else data.rfind(b"\n") + 1
                if cut == 0 and len(data) > MAX_LINE:
                    cut = len(data)  # no line break for a long stretch: cut there rather than buffer it all
                lines, carry = decode_lines(data[:cut]), data[cut:]
            if lines or at_end:
                yield LogBlock(lines, done, max(total, done))
            if at_end:
                return
    finally:
        f.close()
