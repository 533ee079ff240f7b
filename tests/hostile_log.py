"""A log file made to hurt a reader: good SMS 2.0 lines mixed with random bytes, thread ids of thousands of digits,
megabyte lines, NUL runs, lone CRs, bad UTF-8, broken CCM and ConfigMgr trailers. Seeded, so a failure repeats.

Used by tests/ui/test_log_fuzz.py (a few MB) and tests/bench/bench_log_fuzz.py (100 MB). The first lines are good
ones, so the file passes the "is this text?" sniff of the log view and the rest reaches the parsers.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from console.engine.log_format import format_line

WHEN = dt.datetime(2000, 11, 16, 10, 0, 0)
HUGE_DIGITS = 5000
MEGA_LINE = 1024 * 1024


def _good(rng: random.Random, i: int) -> bytes:
    text = rng.choice(
        ["Heartbeat is expired.", "Sending completed successfully", "Trying the No. 1 address (out of 1)"]
    )
    return format_line(f"{text} {i}", WHEN + dt.timedelta(seconds=i), rng.randint(1, 5000)).encode() + b"\r\n"


def _nasty(rng: random.Random, i: int) -> bytes:
    kind = rng.randrange(9)
    if kind == 0:
        return rng.randbytes(rng.randint(1, 400)) + b"\n"
    if kind == 1:  # a thread id int() refuses
        return _good(rng, i).replace(b"thread=", b"thread=" + b"7" * HUGE_DIGITS, 1)
    if kind == 2:
        return b"\x00" * rng.randint(1, 3000) + _good(rng, i)
    if kind == 3:
        return b"half a line\rthen a lone CR\r" + _good(rng, i)
    if kind == 4:
        return b"bad utf-8 \xc3\x28 \xff\xfe \xed\xa0\x80 end\n"
    if kind == 5:
        return b"<![LOG[unclosed ccm message " + rng.randbytes(20).replace(b"\n", b" ") + b"\n"
    if kind == 6:
        return (
            b'text]LOG]!><time="99:99:99.999+999" date="13-45-2019" component="" type="x" thread="'
            + b"9" * 30
            + b'">\n'
        )
    if kind == 7:
        return b"cm line  $$<SMS_DISTRIBUTION_MANAGER><02-30-2020 25:61:00.000+480><thread=12345678901234 (0xZZ)>\n"
    return b"tab\tform\x0cfeed and \x1b[31m escapes \x7f\n"


def hostile_bytes(size: int, seed: int = 278357, mega_lines: int = 1) -> bytes:
    """About ``size`` bytes; ``mega_lines`` lines of 1 MB each are spread through it."""
    rng = random.Random(seed)
    parts = [_good(rng, i) for i in range(200)]
    total = sum(map(len, parts))
    i = 200
    mega_at = sorted(rng.randrange(total, max(total + 1, size)) for _ in range(mega_lines))
    while total < size:
        part = _nasty(rng, i) if rng.random() < 0.4 else _good(rng, i)
        if mega_at and total >= mega_at[0]:
            mega_at.pop(0)
            part = bytes(rng.choice(b"abcdefghij \t<>$[]") for _ in range(1024)) * (MEGA_LINE // 1024) + b"\n"
        parts.append(part)
        total += len(part)
        i += 1
    return b"".join(parts)


def write_hostile_log(path: Path, size: int, seed: int = 278357, mega_lines: int = 1) -> int:
    """Write it in pieces of a few MB (a 100 MB file is never held whole); returns the bytes written."""
    written = 0
    piece = 8 * 1024 * 1024
    with open(path, "wb") as f:
        n = 0
        while written < size:
            data = hostile_bytes(
                min(piece, size - written), seed + n, mega_lines if n == 0 else (1 if n % 4 == 0 else 0)
            )
            f.write(data)
            written += len(data)
            n += 1
    return written
