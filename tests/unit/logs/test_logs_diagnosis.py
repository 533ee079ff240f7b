"""Diagnosis rules on logs our engine writes and on hand-made lines in the wording of research §4.2."""

from __future__ import annotations

from logtest_helpers import sms2, write_lines

from console.logs.diagnosis import Finding, diagnose_records
from console.logs.reader import read_records, records_from_bytes
from console.logs.timeline import read_timeline, timeline_files

PCK = r"\\LABSRV\SMS_SITE\2_4O7PRI.PCK"
ERR32 = rf"Cannot create/open the remote file {PCK}, Win32 error = 32."


def diagnose(lines: list[str]) -> list[Finding]:
    return diagnose_records(records_from_bytes("\r\n".join(lines).encode(), "Sender.log"))


def kbs(findings: list[Finding]) -> list[str]:
    return [f.kb for f in findings]


def lines_of(path, text: str) -> list[int]:
    return [r.line for r in read_records(path) if r.text == text]


# --- Q278357 ---------------------------------------------------------------------------------------------------


def test_q278357_on_the_engine_sp3_log(engine_log) -> None:
    path = engine_log("q278357-sp3")
    records = list(read_records(path))
    (finding,) = diagnose_records(records)
    heartbeat = next(r for r in records if r.text == "Heartbeat is expired.")
    assert finding.kb == "Q278357"
    assert (finding.file, finding.line, finding.thread) == (str(path), heartbeat.line, heartbeat.thread)
    assert (finding.request, finding.server) == ("2_001PRI", "LABSRV")
    assert finding.time == heartbeat.stamp == "Wed Mar 14 09:08:00.000 2001 Eastern Standard Time"
    assert "5-minute" in finding.text and "2_001PRI.PCK" in finding.text


def test_no_findings_on_the_engine_sp4_log(engine_log) -> None:
    assert diagnose_records(list(read_records(engine_log("q278357-sp4")))) == []


def test_q278357_hand_made_with_the_threads_request() -> None:
    findings = diagnose(
        [
            sms2("Found send request. ID: 2_4O7PRI, Dest Site: LAB", thread=188),
            sms2("Created sending thread (Thread ID = 205)", thread=188),
            sms2(f"Attempt to create/open the remote file {PCK}", thread=205),
            sms2("Operation is retryable.", thread=205, minutes=2),
            sms2("Heartbeat is expired.", thread=205, minutes=8),
            sms2("Can't re-establish the connection.", thread=205, minutes=8),
            sms2(ERR32, thread=206, minutes=20),
            sms2(ERR32, thread=207, minutes=40),  # the same request again: still one finding
        ]
    )
    (f,) = [f for f in findings if f.kb == "Q278357"]
    assert (f.line, f.thread, f.request, f.server) == (5, 205, "2_4O7PRI", "LABSRV")
    assert f.time == "Thu Nov 16 10:08:00.000 2000 Eastern Standard Time"


def test_q278357_needs_the_same_request_when_the_thread_named_one() -> None:
    other = r"\\LABSRV\SMS_SITE\2_AAAPRI.PCK"
    findings = diagnose(
        [
            sms2(f"Attempt to create/open the remote file {other}", thread=205),
            sms2("Heartbeat is expired.", thread=205, minutes=8),
            sms2("Can't re-establish the connection.", thread=205, minutes=8),
            sms2(ERR32, thread=206, minutes=20),
        ]
    )
    assert "Q278357" not in kbs(findings)


def test_q278357_any_request_when_the_thread_never_named_one() -> None:
    findings = diagnose(
        [
            sms2("Heartbeat is expired.", thread=205),
            sms2("Can't re-establish the connection.", thread=205),
            sms2(ERR32, thread=206, minutes=10),
        ]
    )
    assert [(f.kb, f.line, f.request, f.server) for f in findings] == [("Q278357", 1, "2_4O7PRI", "LABSRV")]


def test_q278357_needs_all_three_lines_in_order() -> None:
    expired_only = [sms2("Heartbeat is expired.", thread=205), sms2(ERR32, thread=206, minutes=10)]
    error_first = [
        sms2(ERR32, thread=206),
        sms2("Heartbeat is expired.", thread=205, minutes=10),
        sms2("Can't re-establish the connection.", thread=205, minutes=10),
    ]
    other_thread = [
        sms2("Heartbeat is expired.", thread=205),
        sms2("Can't re-establish the connection.", thread=209),
        sms2(ERR32, thread=206, minutes=10),
    ]
    not_32 = [
        sms2("Heartbeat is expired.", thread=205),
        sms2("Can't re-establish the connection.", thread=205),
        sms2(ERR32.replace("= 32.", "= 5."), thread=206, minutes=10),
    ]
    for lines in (expired_only, error_first, other_thread, not_32):
        assert "Q278357" not in kbs(diagnose(lines))


def test_q278357_across_the_lo_and_the_log(tmp_path) -> None:
    rolled = write_lines(
        tmp_path / "Sender.lo_",
        [
            sms2(f"Attempt to create/open the remote file {PCK}", thread=205),
            sms2("Heartbeat is expired.", thread=205, minutes=8),
            sms2("Can't re-establish the connection.", thread=205, minutes=8),
        ],
    )
    log = write_lines(tmp_path / "Sender.log", [sms2(ERR32, thread=206, minutes=20)])
    findings = diagnose_records(list(read_timeline(timeline_files(log))))
    (f,) = [f for f in findings if f.kb == "Q278357"]
    assert (f.file, f.line) == (str(rolled), 2)
    assert "Sender.log line 1" in f.text


# --- Q235753: \\\\server ---------------------------------------------------------------------------------------


def test_q235753_doubled_backslashes() -> None:
    findings = diagnose(
        [
            sms2("Created sending thread (Thread ID = 205)", thread=188),
            sms2("Trying the No. 1 address (out of 1)"),
            sms2(r"Error during WNetAddConnection2 to \\\\DSSMS\SMS_SITE (67)."),
            sms2(r"Error during WNetAddConnection2 to \\\\DSSMS\SMS_SITE (67).", minutes=1),
        ]
    )
    (f,) = [f for f in findings if f.kb == "Q235753" and "backslashes" in f.title]
    assert (f.line, f.server, f.thread) == (3, "DSSMS", 205)
    assert "67 ERROR_BAD_NET_NAME" in f.text


def test_single_backslashes_are_not_q235753() -> None:
    findings = diagnose([sms2(r"Error during WNetAddConnection2 to \\Server\SMS_SITE (487).")])
    assert findings == []


# --- busy for an hour -------------------------------------------------------------------------------------------

BUSY = (
    r"Cannot connect to server \\DSSMS at remote site MS1, won't try send requests going to site MS1 for an hour "
    "or until there are no active send requests."
)


def test_busy_for_an_hour_hand_made() -> None:
    findings = diagnose([sms2(BUSY), sms2(BUSY, minutes=61), sms2(BUSY.replace("MS1", "MS2"), minutes=62)])
    busy = [f for f in findings if f.title == "Destination skipped as busy for an hour"]
    assert [(f.kb, f.line, f.server) for f in busy] == [("Q235753", 1, "DSSMS"), ("Q235753", 3, "DSSMS")]
    assert "2 times" in busy[0].text and "MS1" in busy[0].text


def test_busy_site_without_an_address() -> None:
    (f,) = diagnose([sms2("Site T30 added to list of busy sites because there is no available address.")])
    assert (f.kb, f.line, f.server) == ("Q276259", 1, None)
    assert "T30" in f.text


# --- retries exhausted ------------------------------------------------------------------------------------------


def test_retries_exhausted_on_the_engine_log(engine_log) -> None:
    path = engine_log("retries-exhausted")
    findings = diagnose_records(list(read_records(path)))
    (ex,) = [f for f in findings if f.kb == "Q214485"]
    assert (ex.request, ex.server, ex.thread) == ("2_001CEN", "NYCSRV", 200)
    # The engine follows KB Q235753 since turn 2: the retry after the write error reconnects, the connect fails
    # and the thread gives up at once (its second retry unused). That first connection error is the failure
    # that was not retried. (Before, the thread retried the connect too, and it was the second error.)
    assert ex.line == lines_of(path, r"Error during WNetAddConnection2 to \\NYCSRV\SMS_SITE (53).")[0]
    assert "1 retry" in ex.text and "53 ERROR_BAD_NETPATH" in ex.text
    (busy,) = [f for f in findings if f.kb == "Q235753"]
    assert (busy.server, busy.request) == ("NYCSRV", "2_001CEN")
    assert "Q278357" not in kbs(findings) and "Q212937" not in kbs(findings)


def test_retries_exhausted_hand_made() -> None:
    lines = [
        sms2("Found send request. ID: 1_C6CT01, Dest Site: T30", thread=188),
        sms2("Created sending thread (Thread ID = 205)", thread=188),
        sms2("Trying the No. 1 address (out of 1)"),
        sms2(r"Error during WNetAddConnection2 to \\T30SRV\SMS_SITE (53)."),
        sms2("Operation is retryable."),
        sms2("Trying the No. 1 address (out of 1)", minutes=1),
        sms2(r"Error during WNetAddConnection2 to \\T30SRV\SMS_SITE (53).", minutes=1),
        sms2("Could not establish connection.", minutes=1),
        sms2("Attempt to connect failed.", minutes=1),
        sms2(BUSY.replace("DSSMS", "T30SRV").replace("MS1", "T30"), minutes=1),
        sms2("No need to disconnect", minutes=1),
    ]
    (ex,) = [f for f in diagnose(lines) if f.kb == "Q214485"]
    assert (ex.line, ex.request, ex.thread) == (7, "1_C6CT01", 205)
    assert "1 retry " in ex.text


def test_a_retry_that_works_is_not_exhausted() -> None:
    lines = [
        sms2(r"Cannot write to the remote file \\S\SMS_SITE\1_AAAAAA.PCK, Win32 error = 64."),
        sms2("Operation is retryable."),
        sms2("Sending completed successfully", minutes=2),
        sms2("Restart time = 11/16/00 11:00:00 Eastern Standard Time", minutes=2),
    ]
    assert "Q214485" not in kbs(diagnose(lines))


# --- never finished ---------------------------------------------------------------------------------------------


def test_request_never_finished_on_a_cut_engine_log(engine_log) -> None:
    path = engine_log("q278357-sp3", until="30m")
    findings = diagnose_records(list(read_records(path)))
    (nf,) = [f for f in findings if f.kb == "Q212937"]
    assert (nf.request, nf.server, nf.line, nf.thread) == ("2_001PRI", "LABSRV", 1, 188)
    assert "Q278357" in kbs(findings)


def test_a_finished_request_is_not_reported(engine_log) -> None:
    findings = diagnose_records(list(read_records(engine_log("q278357-sp3"))))
    assert "Q212937" not in kbs(findings)


def test_never_finished_hand_made_with_configmgr_wording() -> None:
    lines = [
        sms2("Found send request.  ID: 202SQCS1, Dest Site: PS1~", thread=188),
        sms2("~Created sending thread (Thread ID = 1150)", thread=188),
        sms2(r"~Attempt to create/open the remote file \\PS1SRV\SMS_SITE\202SQCS1.PCK", thread=1150),
    ]
    (nf,) = diagnose(lines)
    assert (nf.kb, nf.request, nf.server, nf.line) == ("Q212937", "202SQCS1", "PS1SRV", 1)
    done = [*lines, sms2("~Sending completed successfully", thread=1150, minutes=3)]
    assert diagnose(done) == []


def test_findings_have_the_design_json_shape() -> None:
    (f,) = diagnose([sms2("Site T30 added to list of busy sites because there is no available address.")])
    assert list(f.to_json()) == ["kb", "title", "file", "line", "time", "thread", "request", "server", "text"]


def test_unparsed_lines_in_the_wording_are_diagnosed_too() -> None:
    # Lines pasted without their $$ trailer have no thread: they count as one thread.
    findings = diagnose(["Heartbeat is expired.", "Can't re-establish the connection.", ERR32])
    assert [(f.kb, f.line, f.thread, f.time) for f in findings] == [("Q278357", 1, None, None)]
