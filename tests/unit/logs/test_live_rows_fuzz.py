"""Fuzzing the live log view's row builder (``console.logs.live_rows``): any line gives a row, never a traceback.

The live view builds a row per line on the GUI thread, so an exception here would stop the live tail for good.
Found by this file: a thread id of thousands of digits made ``parse_fields`` raise (Python refuses ``int()`` of
over 4,300 digits); such a line is now shown whole.
"""

from __future__ import annotations

import os
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from logtest_helpers import sms2

from console.logs.live_rows import original_line, row_from_line, rows_from_lines

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INT_DIGITS = sys.get_int_max_str_digits() or 4300


def _tail(thread: str, hex_part: str) -> str:
    good = sms2("Heartbeat is expired.", thread=205)
    return good.replace("thread=205 (0xCD)", f"thread={thread} (0x{hex_part})")


def test_a_thread_id_of_thousands_of_digits_is_shown_whole() -> None:
    huge = 10 ** (INT_DIGITS + 10)  # its decimal form is written by hand: str() refuses it too
    line = _tail("1" + "0" * (INT_DIGITS + 10), f"{huge:X}")
    row = row_from_line(line)
    assert not row.parsed and row.text == line and row.thread_id is None


def test_the_largest_readable_thread_id_still_parses() -> None:
    big = 10 ** (INT_DIGITS - 1)
    row = row_from_line(_tail(str(big), f"{big:X}"))
    assert row.parsed and row.thread_id == big


@FUZZ
@given(st.text(max_size=400))
def test_any_text_gives_one_row_that_keeps_it(text: str) -> None:
    (row,) = rows_from_lines([text])
    kept = text.rstrip("\r\n").replace("\x00", "")
    if row.parsed:
        assert original_line(row) == kept  # a parsed row gives back the line exactly
    else:
        assert row.text == kept


@FUZZ
@given(
    st.text(max_size=60),
    st.one_of(st.integers(min_value=0).map(str), st.integers(INT_DIGITS - 5, INT_DIGITS + 5).map(lambda n: "7" * n)),
    st.sampled_from(["{d}", "-{d}", "{d}{d}", "{d}\x00", "0x{d}", ""]),
    st.booleans(),
)
def test_sms2_lines_with_odd_thread_ids_never_raise(text: str, digits: str, thread_form: str, hex_right: bool) -> None:
    tid = int(digits[:INT_DIGITS])
    hex_part = f"{tid + (0 if hex_right else 1):X}"
    line = sms2(text.replace("\n", " ").replace("\r", " ")).replace(
        "thread=205 (0xCD)", f"thread={thread_form.format(d=digits)} (0x{hex_part})"
    )
    row = row_from_line(line)
    assert row.parsed or row.text == line.rstrip("\r\n").replace("\x00", "")


@FUZZ
@given(st.binary(max_size=600))
def test_random_bytes_decoded_as_a_reader_would_give_rows(raw: bytes) -> None:
    lines = raw.decode("utf-8", errors="replace").split("\n")
    rows = rows_from_lines(lines)
    assert len(rows) == len(lines)  # one row per line: none lost, none invented
