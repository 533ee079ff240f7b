"""Benchmark of the log reader on a generated 100 MB log (not part of the test suite; run by hand).

    PYTHONPATH=. .venv/bin/python tests/bench/bench_log_reader.py [--mb 100] [--format sms2|ccm|mixed]

Writes a log of the given size (an engine-style SMS 2.0 Sender.log by default; ``ccm`` repeats the lines of a
ConfigMgr client log, with a multi-line message now and then), then times, in the same run:

- the yardstick: ``for line in open(...)`` over the same file (text mode, UTF-8) and in binary mode;
- ``iter_record_blocks``: the time to the first block of records, and to the last;
- ``diagnose_paths``: the whole ``sender-console diagnose`` work (records, counts and rules).

Each figure is the best of ``--repeat`` runs; the ratio to the text-mode yardstick is what to compare between
machines.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from console.engine.log_format import format_line
from console.logs.reader import iter_record_blocks
from console.logs.report import diagnose_paths

SENDER_TEXTS = [
    "Found send request. ID: 2_{n:03d}PRI, Dest Site: LAB",
    "Created sending thread (Thread ID = {t})",
    r"Attempt to create/open the remote file \\LABSRV\SMS_SITE\2_{n:03d}PRI.PCK",
    r"Attempt to write 262144 bytes to \\LABSRV\SMS_SITE\2_{n:03d}PRI.PCK at position {p}",
    r"Wrote 262144 bytes to \\LABSRV\SMS_SITE\2_{n:03d}PRI.PCK at position {p}",
    r"Cannot write to the remote file \\LABSRV\SMS_SITE\2_{n:03d}PRI.PCK, Win32 error = 64.",
    "Operation is retryable.",
    "Sending completed successfully",
]
CCM_TAIL = (
    '<time="{h:02d}:{m:02d}:{s:02d}.{ms:03d}+480" date="02-20-2024" component="TSManager" context="" '
    'type="{k}" thread="{t}" file="engine.cpp:{n}">'
)


def _sms2_lines(count: int) -> list[str]:
    start = dt.datetime(2001, 3, 14, 9, 0)
    out = []
    for i in range(count):
        text = SENDER_TEXTS[i % len(SENDER_TEXTS)].format(n=i // 64 % 1000, t=200 + i // 64, p=i * 262144)
        out.append(format_line(text, start + dt.timedelta(milliseconds=i * 37), 200 + (i // 64) % 50))
    return out


def _ccm_lines(count: int) -> list[str]:
    out = []
    for i in range(count):
        tail = CCM_TAIL.format(h=i // 3600 % 24, m=i // 60 % 60, s=i % 60, ms=i % 1000, k=1 + i % 3, t=i % 97, n=i)
        body = f"Step {i} of the task sequence ran" + ("\r\nwith a second line" if i % 50 == 0 else "")
        out.append(f"<![LOG[{body}]LOG]!>{tail}")
    return out


def write_log(path: Path, megabytes: int, fmt: str) -> int:
    """Write about ``megabytes`` MB by repeating a block of distinct lines; returns the size in bytes."""
    if fmt == "sms2":
        block = _sms2_lines(4096)
    elif fmt == "ccm":
        block = _ccm_lines(4096)
    else:
        block = [line for pair in zip(_sms2_lines(2048), _ccm_lines(2048), strict=True) for line in pair]
    data = ("\r\n".join(block) + "\r\n").encode("utf-8")
    target = megabytes * 1024 * 1024
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        written = 3
        while written < target:
            f.write(data)
            written += len(data)
    return written


def best(repeat: int, fn: Callable[[], object]) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=100)
    parser.add_argument("--format", choices=("sms2", "ccm", "mixed"), default="sms2")
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "Sender.log"
        size = write_log(path, args.mb, args.format)

        def text_lines() -> int:
            n = 0
            with open(path, encoding="utf-8", errors="replace") as f:
                for _ in f:
                    n += 1
            return n

        def binary_lines() -> int:
            n = 0
            with open(path, "rb") as f:
                for _ in f:
                    n += 1
            return n

        def first_block() -> int:
            blocks = iter_record_blocks(path)
            n = len(next(blocks))
            blocks.close()
            return n

        def all_records() -> int:
            return sum(len(b) for b in iter_record_blocks(path))

        rows = []
        yard, lines = best(args.repeat, text_lines)
        rows.append(("yardstick: for line in open(path) (text)", yard, f"{lines:,} lines"))
        t, _ = best(args.repeat, binary_lines)
        rows.append(("for line in open(path, 'rb')", t, ""))
        t, n = best(args.repeat, first_block)
        rows.append(("reader: time to first records", t, f"{n:,} records in the first block"))
        t, n = best(args.repeat, all_records)
        rows.append(("reader: all records", t, f"{n:,} records"))
        t, report = best(1, lambda: diagnose_paths([path]))
        rows.append(("diagnose (records, counts, rules)", t, f"{len(report.findings)} findings"))  # type: ignore[union-attr]
    print(f"{args.format} log, {size / 1024 / 1024:.0f} MB, best of {args.repeat} (diagnose: 1 run)")
    print(f"{'step':<44} {'seconds':>9} {'x yardstick':>12}  note")
    for name, secs, note in rows:
        print(f"{name:<44} {secs:>9.3f} {secs / yard:>12.2f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
