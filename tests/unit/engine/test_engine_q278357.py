"""KB Q278357 end to end: the exact Sender.log timeline on SP3, and the cases where it must not happen."""

from __future__ import annotations

import pytest

from console.engine.events import RequestStatus, ThreadState, TimerAction, TimerKind
from console.engine.sender import BLOCK_BYTES, PlannedFault, PlannedSend
from console.model.versions import SiteVersion

MB = 1024 * 1024
PCK = r"\\LABSRV\SMS_SITE\2_001PRI.PCK"
RATE = 256 * 125.0  # bytes per second on the 256 kbps link
SYNC_AT_OUTAGE = 14 * BLOCK_BYTES  # 14 blocks of 8.192 s finished before 120 s; the 15th was in flight
OUTAGE = (PlannedFault(120.0, "LAB", "network", 30.0),)
RESTART = (PlannedFault(3600.0, "LAB", "restart"),)


def test_sp3_six_minute_delay_expires_the_heartbeat_then_error_32_until_restart(make_engine) -> None:
    engine, rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE + RESTART, end_s=7200.0)
    engine.run()
    timeline = rec.timeline()

    assert timeline[:16] == [
        (0.0, 188, "Found send request. ID: 2_001PRI, Dest Site: LAB"),
        (0.0, 188, "Checking for site-specific sending capacity.  Used 0 out of 3."),
        (0.0, 188, "Created sending thread (Thread ID = 200)"),
        (0.0, 200, "Trying the No. 1 address (out of 1)"),
        (0.0, 200, f"Attempt to create/open the remote file {PCK}"),
        (0.0, 200, f"Created/opened the remote file {PCK}"),
        (0.0, 200, r"Sending Started [C:\SMS\inboxes\schedule.box\tosend\00000001.PPT]"),
        (120.0, 200, f"Cannot write to the remote file {PCK}, Win32 error = 64."),
        (120.0, 200, "Operation is retryable."),
        (480.0, 200, "Heartbeat is expired."),
        (480.0, 200, "Can't re-establish the connection."),
        (480.0, 200, "Restart time = 03/14/01 09:18:00 Eastern Standard Time"),
        (480.0, 188, "No (more) send requests found to process."),
        (1080.0, 188, "Found send request. ID: 2_001PRI, Dest Site: LAB"),
        (1080.0, 188, "Checking for site-specific sending capacity.  Used 0 out of 3."),
        (1080.0, 188, "Created sending thread (Thread ID = 201)"),
    ]
    # The expired thread never tried to reconnect: no connection attempt between the error and the expiry.
    assert [t for t, tid, text in timeline if text.startswith("Trying the No. 1")] == [
        0.0,
        1080.0,
        2040.0,
        3000.0,
        3960.0,
    ]
    err32 = f"Cannot create/open the remote file {PCK}, Win32 error = 32."
    assert [(t, tid) for t, tid, text in timeline if text == err32] == [(1080.0, 201), (2040.0, 202), (3000.0, 203)]
    # Each error-32 thread waits 6 minutes without beating and expires in turn.
    assert [t for t, _tid, text in timeline if text == "Heartbeat is expired."] == [480.0, 1440.0, 2400.0, 3360.0]
    done = [t for t, _tid, text in timeline if text == "Sending completed successfully"]
    assert done == [pytest.approx(3960.0 + (20 * MB - SYNC_AT_OUTAGE) / RATE)]
    assert all(t >= 3600.0 for t in done)  # nothing arrives before the destination restarts

    # After the restart the new thread opens the file and resumes from the sync point.
    started = [e.text for e in rec.logs if e.thread_id == 204 and e.text.startswith("Sending Started")]
    assert started == [r"Sending Started [C:\SMS\inboxes\schedule.box\tosend\00000001.PPT]"]
    writes = [e.text for e in rec.logs if e.thread_id == 204 and e.text.startswith("Attempt to write")]
    assert writes[0] == f"Attempt to write {BLOCK_BYTES} bytes to {PCK} at position {SYNC_AT_OUTAGE}"
    summary = engine.summary("kb")["sends"][0]
    assert summary["status"] == "delivered"
    assert summary["attempts"] == 5
    assert summary["bytes_sent"] == summary["size"] == 20 * MB


def test_stale_handle_is_registered_on_the_destination_until_restart(make_engine) -> None:
    engine, _rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE + RESTART)
    engine.advance_to(479.0)
    assert engine.open_files("LAB") == {PCK: 200}  # thread 200 waits with the file open
    engine.advance_to(480.0)
    assert engine.threads() == []  # thread 200 gave up ...
    assert engine.open_files("LAB") == {PCK: 200}  # ... and its handle stayed open
    assert engine.requests()[0].status is RequestStatus.ERROR
    assert engine.requests()[0].restart_at == 1080.0
    engine.advance_to(3599.0)
    assert engine.open_files("LAB") == {PCK: 200}
    engine.advance_to(3600.0)
    assert engine.open_files("LAB") == {}


def test_no_delivery_without_a_restart(make_engine) -> None:
    engine, rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE)
    engine.advance_to(6 * 3600.0)
    assert "Sending completed successfully" not in rec.texts()
    assert engine.summary()["sends"][0]["status"] == "pending"
    assert engine.summary()["sends"][0]["bytes_sent"] == SYNC_AT_OUTAGE


def test_abandoned_after_seven_days(make_engine) -> None:
    engine, _rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE, end_s=8 * 86400.0)
    engine.run()
    req = engine.requests()[0]
    assert req.status is RequestStatus.CANCELLED
    assert engine.summary()["sends"][0]["status"] == "failed"
    assert engine.next_event_time() is None  # nothing keeps cycling once the job is abandoned


@pytest.mark.parametrize(
    ("version", "delay"),
    [
        (SiteVersion.SP3, 5),  # exactly the time-out still works
        (SiteVersion.SP4, 6),  # SP4 beats while it waits
        (SiteVersion.SP3, 1),  # a short outage with the default delay
        (SiteVersion.RTM, 5),
    ],
)
def test_negatives_retry_and_resume(make_engine, version: SiteVersion, delay: int) -> None:
    engine, rec = make_engine(version, delay=delay, faults=OUTAGE, end_s=7200.0)
    engine.run()
    texts = rec.texts()
    assert "Heartbeat is expired." not in texts
    assert not any("Win32 error = 32" in t for t in texts)
    assert texts.count("Operation is retryable.") == 1
    wake = 120.0 + delay * 60.0
    assert [t for t, tid, text in rec.timeline() if text.startswith("Trying the No. 1")] == [0.0, wake]
    resumed = [e for e in rec.logs if e.time == wake and e.text.startswith("Attempt to write")]
    assert resumed[0].text == f"Attempt to write {BLOCK_BYTES} bytes to {PCK} at position {SYNC_AT_OUTAGE}"
    s = engine.summary()["sends"][0]
    assert (s["status"], s["attempts"]) == ("delivered", 2)
    assert s["delivered_s"] == pytest.approx(wake + (20 * MB - SYNC_AT_OUTAGE) / RATE)


def test_heartbeat_timeout_knob_moves_the_boundary(make_engine) -> None:
    engine, rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE)
    engine.heartbeat_timeout_s = 6 * 60.0
    engine.advance_to(3000.0)
    assert "Heartbeat is expired." not in rec.texts()
    assert engine.requests()[0].status is RequestStatus.OK


def test_timers_for_views(make_engine) -> None:
    engine, rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE)
    engine.advance_to(200.0)
    set_at_error = [
        (e.kind, e.deadline, e.thread_id) for e in rec.timers if e.time == 120.0 and e.action is TimerAction.SET
    ]
    assert (TimerKind.RETRY_WAIT, 480.0, 200) in set_at_error
    assert (TimerKind.HEARTBEAT_TIMEOUT, 420.0, 200) in set_at_error
    assert (TimerKind.OUTAGE_END, 150.0, None) in set_at_error
    cancelled = [e for e in rec.timers if e.action is TimerAction.CANCELLED]
    assert [(e.kind, e.time, e.deadline) for e in cancelled] == [
        (TimerKind.TRANSFER, 120.0, pytest.approx(15 * BLOCK_BYTES / RATE))
    ]
    (view,) = engine.threads()
    assert view.state is ThreadState.RETRY_WAIT
    assert (view.retry_at, view.heartbeat_at, view.heartbeat_deadline) == (480.0, 120.0, 420.0)
    assert view.beats_while_waiting is False
    assert view.bytes_sent == SYNC_AT_OUTAGE and view.settings.retry_delay_min == 6
    engine.advance_to(480.0)
    fired = [(e.kind, e.deadline) for e in rec.timers if e.time == 480.0 and e.action is TimerAction.FIRED]
    assert fired[:2] == [(TimerKind.RETRY_WAIT, 480.0), (TimerKind.HEARTBEAT_TIMEOUT, 420.0)]
    assert (TimerKind.REOFFER, 1080.0) in [
        (e.kind, e.deadline) for e in rec.timers if e.time == 480.0 and e.action is TimerAction.SET
    ]


def test_sp4_waiting_thread_shows_a_fresh_heartbeat(make_engine) -> None:
    engine, _rec = make_engine(SiteVersion.SP4, delay=6, faults=OUTAGE)
    engine.advance_to(430.0)
    (view,) = engine.threads()
    assert view.beats_while_waiting is True
    assert view.heartbeat_at == 420.0  # beats once a minute from the error at 120 s
    assert view.heartbeat_deadline == 720.0


def test_upgrading_the_sending_site_reaches_new_threads_only(make_engine) -> None:
    engine, rec = make_engine(SiteVersion.SP3, delay=6, faults=OUTAGE)
    engine.advance_to(130.0)
    engine.set_site_version("PRI", SiteVersion.SP4)  # thread 200 is already waiting with the old code
    engine.advance_to(480.0)
    assert "Heartbeat is expired." in rec.texts(200)
    engine.advance_to(1080.0)  # the re-offered request gets an SP4 thread; the stale handle still blocks it
    assert (engine.threads()[0].thread_id, engine.threads()[0].beats_while_waiting) == (201, True)


def test_queue_send_validates(make_engine) -> None:
    engine, _rec = make_engine(sends=())
    with pytest.raises(KeyError, match="no destination site 'XXX'"):
        engine.queue_send("P1", "XXX", 10, 2)
    with pytest.raises(ValueError, match="priority"):
        engine.queue_send("P1", "LAB", 10, 4)
    with pytest.raises(ValueError, match="size"):
        engine.queue_send("P1", "LAB", 0, 2)
    with pytest.raises(ValueError, match="cannot go back"):
        engine.advance_to(10.0)
        engine.advance_to(5.0)
    rid = engine.queue_send("P1", "LAB", 1000, 1)
    assert rid == "1_001PRI"
    assert engine.next_event_time() == pytest.approx(10.0 + 1000 / RATE)


def test_planned_send_times(make_engine) -> None:
    engine, _rec = make_engine(sends=(PlannedSend(60.0, "P1", "LAB", 1000, 3),))
    assert engine.next_event_time() == 60.0
    engine.advance_to(59.0)
    assert engine.requests() == []
    assert engine.now == 59.0
    engine.advance_to(60.0)
    assert engine.requests()[0].request_id == "3_001PRI"
