"""The log viewer's Qt-free row logic: compact rows, column filters, highlight, find, error look-up, elapsed time."""

from __future__ import annotations

import datetime as dt
import gc

import pytest
from logtest_helpers import sms2

from console.logs.reader import records_from_bytes
from console.logs.viewer_rows import (
    THREAD,
    ColumnFilter,
    combined,
    elapsed_text,
    error_codes,
    error_lookup,
    finder,
    finding_summary,
    format_elapsed_ms,
    highlighter,
    parse_thread,
    parse_time_value,
    thread_text,
    to_row,
)


def rows(*lines: str) -> list[tuple]:
    return [to_row(r) for r in records_from_bytes("".join(line + "\r\n" for line in lines).encode())]


def test_rows_are_plain_tuples_the_collector_stops_tracking() -> None:
    made = rows(sms2("Heartbeat is expired.", thread=300), sms2("Operation is retryable.", minutes=1))
    assert all(type(r) is tuple for r in made)
    gc.collect()
    assert not any(gc.is_tracked(r) for r in made), "a row must hold only untracked atoms (no enum, no NamedTuple)"
    assert made[0][THREAD] == 300 and thread_text(made[0][THREAD]) == "300 (0x12C)"


def test_thread_ids_parse_in_decimal_hex_and_the_log_form() -> None:
    assert parse_thread("205") == parse_thread("0xCD") == parse_thread("205 (0xCD)") == 205
    assert parse_thread("LAB") is None


@pytest.mark.parametrize(
    ("column", "op", "value", "expected"),
    [
        ("Log Text", "contains", "HEARTBEAT", [0]),
        ("Log Text", "is", "operation is retryable.", [1]),
        ("Log Text", "is not", "operation is retryable.", [0, 2]),
        ("Thread", "is", "0x12C", [0]),
        ("Thread", "is not", "300", [1, 2]),
        ("Component", "contains", "lan", [0, 1, 2]),
        ("Date/Time", "before", "10:01", [0]),
        ("Date/Time", "after", "2000-11-16 10:00:30", [1, 2]),
        ("Date/Time", "contains", "Eastern", [0, 1, 2]),
    ],
)
def test_column_filters(column: str, op: str, value: str, expected: list[int]) -> None:
    made = rows(
        sms2("Heartbeat is expired.", thread=300),
        sms2("Operation is retryable.", minutes=1),
        sms2("Sending completed successfully", minutes=2),
    )
    test = ColumnFilter(column, op, value).predicate()
    assert [i for i, r in enumerate(made) if test(r)] == expected


def test_filters_add_up_and_bad_ones_are_refused_with_a_reason() -> None:
    made = rows(sms2("a", thread=1), sms2("a", thread=2), sms2("b", thread=1))
    both = combined([ColumnFilter("Log Text", "is", "a"), ColumnFilter("Thread", "is", "1")])
    assert both is not None and [i for i, r in enumerate(made) if both(r)] == [0]
    assert combined([]) is None
    with pytest.raises(ValueError, match="Date/Time"):
        ColumnFilter("Thread", "before", "10:00")
    with pytest.raises(ValueError, match="not a time"):
        ColumnFilter("Date/Time", "after", "soon")
    with pytest.raises(ValueError, match="thread id"):
        ColumnFilter("Thread", "is", "LAB")
    assert parse_time_value("11-16-2000 10:23:45") == dt.datetime(2000, 11, 16, 10, 23, 45)
    assert parse_time_value("10:23") == dt.time(10, 23)


def test_highlight_a_number_marks_a_thread_and_text_marks_lines() -> None:
    made = rows(sms2("Created sending thread (Thread ID = 205)", thread=188), sms2("x", thread=205))
    by_thread = highlighter("205")
    by_text = highlighter("sending thread")
    assert by_thread is not None and [by_thread(r) for r in made] == [False, True]
    assert by_text is not None and [by_text(r) for r in made] == [True, False]
    assert highlighter("  ") is None
    find = finder("SMS_LAN")
    assert find is not None and all(find(r) for r in made)  # find also looks at the component


def test_error_lookup_names_win32_codes_in_their_several_spellings() -> None:
    pck = r"\\LABSRV\SMS_SITE\2_4O7PRI.PCK"
    assert error_codes(f"Cannot create/open the remote file {pck}, Win32 error = 32.") == [32]
    assert error_codes(r"Error during WNetAddConnection2 to \\LABSRV\SMS_SITE (53).") == [53]
    assert error_codes("GetTsRegValue() is unsuccessful. 0x80070002.") == [2]
    assert error_codes("There is no existing connection, Win32 error = 0") == []
    assert error_lookup(f"{pck}, Win32 error = 32.")[0].startswith("Win32 error 32 ERROR_SHARING_VIOLATION")


def test_elapsed_time_from_the_first_line_or_across_a_selection() -> None:
    made = rows(sms2("a"), sms2("b", minutes=5.5), sms2("c", minutes=65), "no time here")
    assert elapsed_text(made[0], [made[1]]) == "Elapsed 0:05:30.000 since the first line"
    assert elapsed_text(made[0], [made[1], made[2]]) == "Elapsed 0:59:30.000 across 2 selected lines"
    assert elapsed_text(made[0], [made[3]]) == "No time on this line"
    assert format_elapsed_ms(dt.timedelta(days=1, seconds=3, milliseconds=4)) == "1 d 0:00:03.004"
    assert format_elapsed_ms(dt.timedelta(seconds=-2)) == "-0:00:02.000"


def test_banner_summary_of_a_finding() -> None:
    when = "Thu Nov 16 10:23:45.120 2000 Eastern Standard Time"
    assert (
        finding_summary("Q278357", "Package stranded", "2_4O7PRI", when)
        == "Q278357: request 2_4O7PRI stranded at 10:23"
    )
    assert finding_summary("Q212937", "Send request never finished", "2_001PRI", None) == (
        "Q212937: Send request never finished, request 2_001PRI"
    )
