"""Sender.log line classification: domain rules first, CMTrace's word search as the fallback. Qt-free."""

from __future__ import annotations

import datetime as dt

import pytest

from console.engine.log_format import format_line
from console.logs.classify import (
    ERROR_PHRASES,
    WARNING_PHRASES,
    Severity,
    classify,
    classify_line,
    win32_error_codes,
)
from console.logs.win32 import describe_win32_error

WHEN = dt.datetime(2000, 11, 16, 10, 23, 45, 120_000)


@pytest.mark.parametrize(
    "text",
    [
        r"Cannot create/open the remote file \\LABSRV01\SMS_SITE\2_4O7CEN.PCK, Win32 error = 32.",
        r"Error during WNetAddConnection2 to \\\\DSSMS\SMS_SITE (67).",
        "Error during WNetAddConnection2 (53)",
        r"Cannot connect to server \\DSSMS at remote site MS1, won't try send requests going to site MS1 for an hour "
        "or until there are no active send requests.",
        "Heartbeat is expired.",
        "Can't re-establish the connection.",
        "Could not establish connection.",
        "Attempt to connect failed.",
        "Something odd, Win32 error = 112",
        "An ERROR the domain rules do not know",
    ],
)
def test_errors(text: str) -> None:
    assert classify(text) is Severity.ERROR


@pytest.mark.parametrize(
    "text",
    [
        "Operation is retryable.",
        "Returning send request to pending because address cannot not be found.",
        "Site T30 added to list of busy sites because there is no available address.",
        "There is no longer an address to destination site T30",
        "Low disk space WARNING on the outbox drive",
        "warn: unknown thing",
    ],
)
def test_warnings(text: str) -> None:
    assert classify(text) is Severity.WARNING


@pytest.mark.parametrize(
    "text",
    [
        "There is no existing connection, Win32 error = 0",
        "Created sending thread (Thread ID = 205)",
        "Trying the No. 1 address (out of 1)",
        "No (more) send requests found to process.",
        "No need to disconnect",
        "Restart time = 03/17/99 10:47:16 Eastern Standard Time",
        "Found send request. ID: 1_C6CT01, Dest Site: T30",
        r"Wrote 262144 bytes to \\LABSRV01\SMS_SITE\2_4O7CEN.PCK at position 0",
        "",
    ],
)
def test_normal(text: str) -> None:
    assert classify(text) is Severity.NORMAL


def test_error_beats_warning_on_one_line() -> None:
    text = r"Cannot connect to server \\X at remote site LAB, won't try send requests going to site LAB"
    assert any(p in text.lower() for p in WARNING_PHRASES)
    assert classify(text) is Severity.ERROR


def test_win32_error_zero_does_not_hide_another_error_word() -> None:
    assert classify("Win32 error = 0 but the copy raised an error") is Severity.ERROR
    assert classify("Win32 error = 0, Win32 error = 5") is Severity.ERROR


def test_phrase_tables_are_lower_case() -> None:
    # classify() compares against the lowered text; an upper-case phrase would never match.
    assert all(p == p.lower() for p in ERROR_PHRASES + WARNING_PHRASES)


def test_matching_is_case_insensitive() -> None:
    assert classify("HEARTBEAT IS EXPIRED.") is Severity.ERROR
    assert classify("operation IS retryable.") is Severity.WARNING


def test_severity_orders_for_max() -> None:
    assert max(Severity.NORMAL, Severity.ERROR, Severity.WARNING) is Severity.ERROR


def test_classify_line_uses_only_the_text_of_an_sms_line() -> None:
    # The component and the time-zone name never colour a line.
    line = format_line("Created sending thread (Thread ID = 205)", WHEN, 205, component="SMS_ERROR_WARN_REPORTER")
    assert classify_line(line) is Severity.NORMAL
    assert classify_line(format_line("Heartbeat is expired.", WHEN, 205)) is Severity.ERROR
    assert classify_line(format_line("Operation is retryable.", WHEN, 205) + "\r\n") is Severity.WARNING


def test_classify_line_searches_a_foreign_line_whole() -> None:
    assert classify_line("Size mismatch in RoutingInfo record. Got 0, expected 544.~ ERROR") is Severity.ERROR
    assert classify_line("plain text\n") is Severity.NORMAL


def test_win32_error_codes() -> None:
    assert win32_error_codes(r"Cannot create/open the remote file \\S\SMS_SITE\X.PCK, Win32 error = 32.") == [32]
    assert win32_error_codes("There is no existing connection, Win32 error = 0") == [0]
    assert win32_error_codes("win32 error=5 then Win32 error = 53") == [5, 53]
    assert win32_error_codes("no codes here") == []


def test_describe_win32_error() -> None:
    assert describe_win32_error(32).startswith("32 ERROR_SHARING_VIOLATION: ")
    assert "Q278357" in describe_win32_error(32)
    assert describe_win32_error(53).startswith("53 ERROR_BAD_NETPATH")
    assert describe_win32_error(9999) == "Win32 error 9999"
