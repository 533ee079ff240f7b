"""Realistic Sender.log lines for the log view tests and screenshots, made with the real line writer.

The story is KB Q278357 on an SP3 site with Delay before retrying = 6: a send to LAB breaks off on a network
error, the thread sleeps past the 5-minute heartbeat, gives up, and the next thread hits the stale open file
(Win32 error 32). Wording from research/sms-sender.md §4.2.
"""

from __future__ import annotations

import datetime as dt

from console.engine.log_format import format_line

START = dt.datetime(2001, 3, 14, 9, 0, 0, 120_000)
PCK = r"\\LABSRV01\SMS_SITE\2_4O7CEN.PCK"
LOCAL = r"D:\SMS\inboxes\schedule.box\tosend\2_4O7CEN.PCK"

# (seconds after START, thread id, text)
Q278357_STORY: list[tuple[float, int, str]] = [
    (0.0, 205, "Found send request. ID: 2_4O7CEN, Dest Site: LAB"),
    (0.1, 205, "Created sending thread (Thread ID = 205)"),
    (0.1, 205, "Trying the No. 1 address (out of 1)"),
    (0.3, 205, "There is no existing connection, Win32 error = 0"),
    (0.5, 205, f"Attempt to create/open the remote file {PCK}"),
    (0.6, 205, f"Created/opened the remote file {PCK}"),
    (0.6, 205, f"Sending Started [{LOCAL}]"),
    (0.7, 205, f"Attempt to write 262144 bytes to {PCK} at position 0"),
    (8.9, 205, f"Wrote 262144 bytes to {PCK} at position 0"),
    (9.0, 205, f"Attempt to write 262144 bytes to {PCK} at position 262144"),
    (17.2, 205, f"Wrote 262144 bytes to {PCK} at position 262144"),
    (17.3, 205, f"Attempt to write 262144 bytes to {PCK} at position 524288"),
    (95.0, 205, r"Error during WNetAddConnection2 to \\LABSRV01\SMS_SITE (53)."),
    (95.0, 205, "Operation is retryable."),
    (120.0, 311, "No (more) send requests found to process."),
    (455.0, 205, "Heartbeat is expired."),
    (455.0, 205, "Can't re-establish the connection."),
    (460.0, 318, "Found send request. ID: 2_4O7CEN, Dest Site: LAB"),
    (460.1, 318, "Created sending thread (Thread ID = 318)"),
    (460.1, 318, "Trying the No. 1 address (out of 1)"),
    (460.4, 318, f"Attempt to create/open the remote file {PCK}"),
    (460.5, 318, f"Cannot create/open the remote file {PCK}, Win32 error = 32."),
    (460.5, 318, "Operation is retryable."),
    (
        521.0,
        318,
        r"Cannot connect to server \\LABSRV01 at remote site LAB, won't try send requests going to site "
        "LAB for an hour or until there are no active send requests.",
    ),
    (521.0, 318, "Site LAB added to list of busy sites because there is no available address."),
    (521.1, 318, "Returning send request to pending because address cannot not be found."),
    (600.0, 311, "No (more) send requests found to process."),
]


def story_lines(start: dt.datetime = START) -> list[str]:
    return [format_line(text, start + dt.timedelta(seconds=s), tid) for s, tid, text in Q278357_STORY]


def filler_lines(count: int, start: dt.datetime = START, thread_id: int = 412) -> list[str]:
    """Normal write lines, many of them (for volume tests)."""
    return [
        format_line(
            f"Wrote 262144 bytes to {PCK} at position {262144 * i}",
            start + dt.timedelta(milliseconds=50 * i),
            thread_id,
        )
        for i in range(count)
    ]
