"""Bytes to records: decoding that never fails and never loses a line, and CCM messages that span lines.

Why incremental (``feed``/``finish``) rather than one function over a whole file: the follower (timeline.py)
feeds whatever bytes a file grew by, the viewer wants its first records before a 100 MB file is read, and both
use the same code as ``read_records``.

Decoding (``LineDecoder``): a UTF-8 BOM is dropped; a UTF-16 BOM, or a start with NUL in every other byte,
selects UTF-16 (some ConfigMgr tools write UTF-16LE). Lines end at LF (a CR before it is dropped; a CR
elsewhere is kept). 8-bit text is UTF-8 where valid, else cp1252 per line (SMS 2.0 wrote the ANSI code page)
with replacement characters, so bytes that are not text come through as a line of odd characters rather than
an exception. NULs (a log padded by a crash) are removed. A line longer than ``MAX_LINE`` characters is cut into
pieces that keep its line number. Lines are numbered from 1; a last line without LF counts once it is final.

Records (``RecordParser``): one record per line, except a CCM message whose ``<![LOG[`` opens on one line and
whose trailer closes on a later one (one record). An opened message that never closes (a new ``<![LOG[`` line,
``MAX_RECORD_LINES`` lines, or the end of the file comes first) gives back its lines as unparsed records, one
each: nothing is dropped. An SMS 1.x message written as ``text~`` with its ``$$<...>`` trailer on the next line
is one record.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from console.logs.formats import CCM_CLOSE, CCM_OPEN, LogRecord, Parsed, parse_server_line, split_ccm, unparsed

CHUNK_BYTES = 1024 * 1024
MAX_LINE = 256 * 1024
MAX_RECORD_LINES = 2000
_SNIFF = 4096

NumberedLine = tuple[int, str]
_new = tuple.__new__  # builds a LogRecord from a tuple without the NamedTuple constructor's per-field call


def _looks_utf16(head: bytes, odd: bool) -> bool:
    """A start with NUL in most odd (little-endian ASCII) or even (big-endian) bytes and few in the others."""
    sample = head[: _SNIFF - _SNIFF % 2]
    if len(sample) < 4:
        return False
    half = len(sample) // 2
    zeros = sample[1::2].count(0) if odd else sample[0::2].count(0)
    others = sample[0::2].count(0) if odd else sample[1::2].count(0)
    return zeros > half * 0.3 and others < half * 0.05


def _decode_8bit(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


class LineDecoder:
    """Bytes in, numbered text lines out (see the module docstring for the rules)."""

    def __init__(self) -> None:
        self._started = False
        self._utf16: codecs.IncrementalDecoder | None = None
        self._utf16_name = ""
        self._carry = b""
        self._text_carry = ""
        self._line = 0
        self._split_piece = False  # the carried text continues a line already cut at MAX_LINE

    @property
    def lines_done(self) -> int:
        return self._line

    @property
    def encoding(self) -> str:
        """``"utf-16-le"``/``"utf-16-be"`` once detected, else ``"8-bit"`` (UTF-8, or cp1252 per line)."""
        return self._utf16_name or "8-bit"

    def _start(self, data: bytes) -> bytes:
        self._started = True
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :]
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._set_utf16("utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be")
            return data[2:]
        for odd, name in ((True, "utf-16-le"), (False, "utf-16-be")):
            if _looks_utf16(data, odd):
                self._set_utf16(name)
                break
        return data

    def _set_utf16(self, name: str) -> None:
        self._utf16_name = name
        self._utf16 = codecs.getincrementaldecoder(name)(errors="replace")

    def feed(self, data: bytes, final: bool = False) -> list[NumberedLine]:
        """The complete lines in ``data`` (plus what was carried); with ``final`` also the last partial line."""
        if not self._started:
            if not data and not final:
                return []
            data = self._carry + data
            if not final and len(data) < 64 and b"\n" not in data:  # too little to see a BOM or UTF-16 yet
                self._carry = data
                return []
            data = self._start(data)
            self._carry = b""
        if self._utf16 is not None:
            text = self._text_carry + self._utf16.decode(data, final)
            cut = len(text) if final else text.rfind("\n") + 1
            lines, self._text_carry = _split(text[:cut]), text[cut:]
        else:
            buf = self._carry + data if self._carry else data
            cut = len(buf) if final else buf.rfind(b"\n") + 1
            head, self._carry = buf[:cut], buf[cut:]
            try:
                lines = _split(head.decode("utf-8"))
            except UnicodeDecodeError:
                lines = [_clean(_decode_8bit(raw)) for raw in head.split(b"\n")]
        if lines[-1] == "":
            lines.pop()  # the split after the last LF (or an empty chunk)
        elif final and lines[-1].endswith("\r"):
            lines[-1] = lines[-1][:-1]
        out = self._number(lines)
        out += self._cut_overlong(final)
        return out

    def finish(self) -> list[NumberedLine]:
        return self.feed(b"", final=True)

    def _number(self, lines: list[str]) -> list[NumberedLine]:
        out: list[NumberedLine] = []
        n = self._line
        if lines and self._split_piece:
            # The first line ends a line already cut into pieces: same number, no new line.
            self._split_piece = False
            out.append((n, lines[0]))
            lines = lines[1:]
        out += zip(range(n + 1, n + 1 + len(lines)), lines, strict=True)
        self._line = n + len(lines)
        return out

    def _cut_overlong(self, final: bool) -> list[NumberedLine]:
        """A carried line without LF longer than MAX_LINE is given out in pieces rather than held whole."""
        out: list[NumberedLine] = []
        while True:
            if self._utf16 is not None:
                if len(self._text_carry) <= MAX_LINE:
                    return out
                piece, self._text_carry = self._text_carry[:MAX_LINE], self._text_carry[MAX_LINE:]
            else:
                if len(self._carry) <= MAX_LINE:
                    return out
                cut = MAX_LINE
                while cut > MAX_LINE - 4 and 0x80 <= self._carry[cut] < 0xC0:
                    cut -= 1  # do not split a UTF-8 sequence
                piece, self._carry = _decode_8bit(self._carry[:cut]), self._carry[cut:]
            if not self._split_piece:
                self._line += 1
                self._split_piece = True
            out.append((self._line, _clean(piece)))


def _split(text: str) -> list[str]:
    """Lines of decoded text: CR before LF and NULs go in one pass over the whole chunk."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text.split("\n")


def _clean(text: str) -> str:
    if text.endswith("\r"):
        text = text[:-1]
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


class RecordParser:
    """Numbered lines of one file in, records out (see the module docstring)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self._open: list[NumberedLine] = []  # the lines of a CCM message not closed yet
        self._held: NumberedLine | None = None  # an SMS 1.x ``text~`` line that may own the next line's trailer

    @property
    def pending(self) -> bool:
        return bool(self._open) or self._held is not None

    def _record(self, parsed: Parsed, line: int, last: int, text: str | None = None) -> LogRecord:
        if text is not None:
            parsed = (parsed[0], text, *parsed[2:])
        return _new(LogRecord, (*parsed, self.file, line, last))

    def _plain(self, line: int, text: str) -> LogRecord:
        return self._record(unparsed(text), line, line)

    def _flush_open(self, out: list[LogRecord]) -> None:
        out.extend(self._plain(n, t) for n, t in self._open)
        self._open = []

    def feed(self, lines: list[NumberedLine]) -> list[LogRecord]:
        out: list[LogRecord] = []
        for n, text in lines:
            held = self._held
            if held is not None:
                self._held = None
                if text.startswith("$$<"):
                    parsed = parse_server_line(held[1] + "   " + text)
                    if parsed is not None:
                        out.append(self._record(parsed, held[0], n, held[1].rstrip(" ")))
                        continue
                out.append(self._plain(*held))
            if self._open:
                self._continue_ccm(n, text, out)
            elif "$$<" in text:
                parsed = parse_server_line(text)
                out.append(self._plain(n, text) if parsed is None else self._record(parsed, n, n))
            elif CCM_CLOSE in text or text.startswith(CCM_OPEN):
                self._start_ccm(n, text, out)
            elif text.endswith("~"):
                self._held = (n, text)
            else:
                out.append(self._plain(n, text))
        return out

    def _start_ccm(self, n: int, text: str, out: list[LogRecord]) -> None:
        split = split_ccm(text)
        if split is not None:
            body, parsed = split
            if body.startswith(CCM_OPEN):
                body = body[len(CCM_OPEN) :]
            out.append(self._record(parsed, n, n, body))
        elif text.startswith(CCM_OPEN):
            self._open = [(n, text)]
        else:
            out.append(self._plain(n, text))

    def _continue_ccm(self, n: int, text: str, out: list[LogRecord]) -> None:
        if text.startswith(CCM_OPEN):  # a new message before the open one closed: give the open lines back
            self._flush_open(out)
            self._start_ccm(n, text, out)
            return
        split = split_ccm(text) if CCM_CLOSE in text else None
        if split is None:
            self._open.append((n, text))
            if len(self._open) >= MAX_RECORD_LINES:
                self._flush_open(out)
            return
        body, parsed = split
        first = self._open[0][0]
        parts = [t for _, t in self._open]
        parts[0] = parts[0][len(CCM_OPEN) :]
        parts.append(body)
        self._open = []
        out.append(self._record(parsed, first, n, "\n".join(parts)))

    def finish(self) -> list[LogRecord]:
        """The end of the file: an unclosed message and a held line become unparsed records."""
        out: list[LogRecord] = []
        if self._held is not None:
            out.append(self._plain(*self._held))
            self._held = None
        self._flush_open(out)
        return out


def iter_record_blocks(
    path: str | Path, *, chunk_bytes: int = CHUNK_BYTES, name: str | None = None
) -> Iterator[list[LogRecord]]:
    """The records of one file, a block at a time (the first block arrives after one chunk is read).

    ``name`` is the file name records carry (default: ``str(path)``). ``OSError`` from opening or reading is
    left to the caller, which knows how to word it.
    """
    decoder = LineDecoder()
    parser = RecordParser(str(path) if name is None else name)
    with open(path, "rb") as f:
        while True:
            data = f.read(chunk_bytes)
            if not data:
                break
            block = parser.feed(decoder.feed(data))
            if block:
                yield block
    block = parser.feed(decoder.finish()) + parser.finish()
    if block:
        yield block


def read_records(path: str | Path, *, name: str | None = None) -> Iterator[LogRecord]:
    """Every record of one file, in file order."""
    for block in iter_record_blocks(path, name=name):
        yield from block


def records_from_bytes(data: bytes, file: str = "<bytes>") -> list[LogRecord]:
    """All records of an in-memory log (tests, pasted text)."""
    decoder = LineDecoder()
    parser = RecordParser(file)
    return parser.feed(decoder.feed(data) + decoder.finish()) + parser.finish()
