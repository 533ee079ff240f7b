"""Addresses, per-site senders and routing (DESIGN.md §4, research §8): waiting, routing, Q317893, rate limits."""

from __future__ import annotations

import dataclasses

import pytest

from console.engine.events import LogEvent, RequestStatus, SiteEvent, ThreadEvent, ThreadState, TimerEvent, TimerKind
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import BLOCK_BYTES, Destination, PlannedFault, PlannedSend, SenderEngine
from console.model.addresses import Address, RateLimit, WeeklySchedule
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

MB = 1024 * 1024
SP3, SP4 = SiteVersion.SP3, SiteVersion.SP4


def site(code: str, parent: str | None = None, version: SiteVersion = SP4) -> Site:
    return Site(code, code, f"{code}SRV", version, parent)


def engine(
    addresses: list[Address],
    sends: list[PlannedSend],
    *,
    sites: tuple[Site, ...] = (site("CHI", "PRI"),),
    sender: Site | None = None,
    faults: tuple[PlannedFault, ...] = (),
    kbps: int = 2048,
    settings: SenderSettings | None = None,
    site_settings: dict[str, SenderSettings] | None = None,
) -> tuple[SenderEngine, list]:
    events: list = []
    e = SenderEngine(
        sender or site("PRI"),
        [Destination(s, kbps) for s in sites],
        settings or SenderSettings(5, 3, 2, 1),
        sends=sends,
        faults=faults,
        addresses=addresses,
        site_settings=site_settings,
    )
    e.subscribe(events.append)
    return e, events


def texts(events: list, site: str = "PRI", tid: int | None = None) -> list[str]:
    return [
        e.text
        for e in events
        if isinstance(e, LogEvent) and e.site == site and (tid is None or e.thread_id == tid)
        if not e.text.startswith(("Wrote ", "Attempt to write"))
    ]


def run(name: str) -> tuple[SenderEngine, dict]:
    scenario = load_scenario(resource_path("scenarios", f"{name}.toml"))
    e = engine_from_scenario(scenario)
    e.run()
    return e, e.summary(scenario.name)


OFFICE = WeeklySchedule().with_hours("Mon-Fri", "08:00-17:00", "medium")


# --- schedules ---------------------------------------------------------------------------------------------------


def test_office_hours_low_waits_for_the_evening_high_goes_at_once() -> None:
    _e, summary = run("office-hours")
    low, high = summary["sends"]
    assert (high["status"], high["delivered_s"]) == ("delivered", 131.072)
    assert (low["status"], low["delivered_s"]) == ("delivered", 8 * 3600 + 131.072)
    assert low["hops"] == [
        {
            "from": "PRI",
            "to": "CHI",
            "status": "delivered",
            "attempts": 1,
            "delivered_s": 28931.072,
            "waiting_s": 28800.0,
        }
    ]
    assert high["hops"][0]["waiting_s"] == 0.0


def test_a_waiting_request_says_why_and_until_when() -> None:
    e, events = engine([Address("PRI", "CHI", 1, "CHISRV", schedule=OFFICE)], [PlannedSend(0.0, "P1", "CHI", MB, 3)])
    e.advance_to(60.0)
    (row,) = e.requests()
    assert row.waiting is not None
    assert (row.waiting.reason, row.waiting.dest, row.waiting.priority, row.waiting.until) == (
        "closed",
        "CHI",
        3,
        28800.0,
    )
    assert row.waiting_s == 60.0 and row.thread_id is None
    closed = [ev for ev in events if isinstance(ev, SiteEvent) and ev.what == "closed"]
    assert [(ev.dest, ev.site, ev.priority, ev.until) for ev in closed] == [("CHI", "PRI", 3, 28800.0)]
    (timer,) = [ev for ev in events if isinstance(ev, TimerEvent) and ev.kind is TimerKind.SCHEDULE_WAIT]
    assert (timer.deadline, timer.request_id, timer.site) == (28800.0, "3_001PRI", "PRI")
    assert texts(events) == [
        "Send request 3_001PRI for site CHI waits: no address to site CHI is open for low priority until "
        "03/14/01 17:00:00 Eastern Standard Time."
    ]
    (lane,) = e.lanes()
    assert (lane.site, lane.dest, lane.closed_for, lane.opens_at) == ("PRI", "CHI", (3,), (28800.0,))
    (route,) = e.routes()
    assert route.hops[0].waiting is not None and route.delivered_at is None


# --- routing -----------------------------------------------------------------------------------------------------


def test_addresses_are_tried_in_priority_order_taking_only_one_open_for_the_priority() -> None:
    addresses = [
        Address("PRI", "CHI", 1, "CHISRV", schedule=OFFICE),
        Address("PRI", "CHI", 2, "CHIBAK"),
    ]
    e, events = engine(addresses, [PlannedSend(0.0, "LOW", "CHI", MB, 3), PlannedSend(0.0, "HIGH", "CHI", MB, 1)])
    e.run_until(600.0)
    assert "Trying the No. 2 address (out of 2)" in texts(events, tid=200)  # low: No. 1 is closed to it
    assert "Trying the No. 1 address (out of 2)" in texts(events, tid=201)
    assert all(r.status is RequestStatus.OK for r in e.requests())


def _connect_failure(substitute: bool) -> list[str]:
    addresses = [Address("PRI", "CHI", 1, "CHISRV"), Address("PRI", "CHI", 2, "CHIBAK", substitute=substitute)]
    e, events = engine(
        addresses, [PlannedSend(10.0, "P1", "CHI", MB, 2)], faults=(PlannedFault(0.0, "CHI", "network", 60.0),)
    )
    e.run_until(11.0)
    return texts(events, tid=200)


def test_a_failed_connect_tries_the_next_address_that_may_substitute() -> None:
    lines = _connect_failure(substitute=True)
    assert lines[:8] == [
        "Trying the No. 1 address (out of 2)",
        "Error during WNetAddConnection2 to \\\\CHISRV\\SMS_SITE (53).",
        "There is no existing connection, Win32 error = 0",
        "Operation is retryable.",
        "Trying the No. 2 address (out of 2)",
        "Error during WNetAddConnection2 to \\\\CHIBAK\\SMS_SITE (53).",
        "There is no existing connection, Win32 error = 0",
        "Operation is retryable.",
    ]
    assert lines[8].startswith("Cannot connect to server \\\\CHIBAK at remote site CHI")


def test_an_address_unavailable_to_substitute_is_not_tried_after_a_failure() -> None:
    lines = _connect_failure(substitute=False)
    assert "Trying the No. 2 address (out of 2)" not in lines
    assert lines[4].startswith("Cannot connect to server \\\\CHISRV at remote site CHI")


def test_no_address_to_a_grandchild_goes_through_the_child() -> None:
    sites = (site("CHI", "PRI"), site("T30", "CHI"))
    addresses = [Address("PRI", "CHI", 1, "CHISRV"), Address("CHI", "T30", 1, "T30SRV")]
    e, events = engine(addresses, [PlannedSend(0.0, "P1", "T30", MB, 2)], sites=sites)
    e.run_until(3600.0)
    (send,) = e.summary()["sends"]
    assert (send["request_id"], send["dest"], send["status"]) == ("2_001PRI", "T30", "delivered")
    assert [(h["from"], h["to"], h["status"]) for h in send["hops"]] == [
        ("PRI", "CHI", "delivered"),
        ("CHI", "T30", "delivered"),
    ]
    assert send["delivered_s"] == send["hops"][-1]["delivered_s"] > send["hops"][0]["delivered_s"]
    assert [r.request_id for r in e.requests()] == ["2_001PRI", "2_001CHI"]  # the hop's ID names its site
    assert "Found send request. ID: 2_001CHI, Dest Site: T30" in texts(events, site="CHI")
    assert [v.hop for v in e.requests()] == [0, 1]


def test_a_site_with_no_address_down_the_tree_goes_to_its_parent() -> None:
    sites = (site("CEN"), site("DAL", "CEN"))
    addresses = [Address("CHI", "CEN", 1, "CENSRV"), Address("CEN", "DAL", 1, "DALSRV")]
    e, _events = engine(addresses, [PlannedSend(0.0, "P1", "DAL", MB, 2)], sites=sites, sender=site("CHI", "CEN"))
    e.run_until(3600.0)
    (send,) = e.summary()["sends"]
    assert [(h["from"], h["to"]) for h in send["hops"]] == [("CHI", "CEN"), ("CEN", "DAL")]
    assert send["status"] == "delivered"


def test_a_closed_direct_address_routes_through_the_child() -> None:
    sites = (site("CHI", "PRI"), site("T30", "CHI"))
    closed = WeeklySchedule().with_hours("all", "00:00-24:00", "closed")
    addresses = [
        Address("PRI", "T30", 1, "T30SRV", schedule=closed),
        Address("PRI", "CHI", 1, "CHISRV"),
        Address("CHI", "T30", 1, "T30SRV"),
    ]
    e, _events = engine(addresses, [PlannedSend(0.0, "P1", "T30", MB, 2)], sites=sites)
    e.run_until(3600.0)
    (send,) = e.summary()["sends"]
    assert [(h["from"], h["to"]) for h in send["hops"]] == [("PRI", "CHI"), ("CHI", "T30")]


def test_no_address_and_no_hop_is_a_busy_site() -> None:
    e, events = engine(
        [Address("PRI", "CHI", 1, "CHISRV")],
        [PlannedSend(0.0, "P1", "DAL", MB, 2)],
        sites=(site("CHI", "PRI"), site("DAL")),
    )
    e.run_until(60.0)
    assert texts(events)[:4] == [
        "Found send request. ID: 2_001PRI, Dest Site: DAL",
        "There is no longer an address to destination site DAL",
        "Returning send request to pending because address cannot not be found.",
        "Site DAL added to list of busy sites because there is no available address.",
    ]
    (row,) = e.requests()
    assert row.waiting is not None and row.waiting.reason == "no address" and row.restart_at == 600.0
    assert e.summary()["sends"][0]["status"] == "pending"


# --- KB Q317893: a thread keeps what it loaded ---------------------------------------------------------------------


def test_a_thread_started_while_open_keeps_sending_after_the_schedule_closes() -> None:
    shut = WeeklySchedule().with_hours("Wed", "10:00-12:00", "closed")  # the run starts Wed 09:00
    e, _events = engine(
        [Address("PRI", "CHI", 1, "CHISRV", schedule=shut)],
        [PlannedSend(3540.0, "P1", "CHI", 30 * MB, 2), PlannedSend(3590.0, "P2", "CHI", MB, 2)],
        settings=SenderSettings(5, 1, 2, 1),
    )
    e.run_until(4 * 3600.0)
    p1, p2 = e.summary()["sends"]
    assert p1["delivered_s"] == pytest.approx(3540.0 + 30 * MB / 256000, abs=1e-3)  # on past 10:00
    assert p1["delivered_s"] > 3600.0
    assert p2["delivered_s"] == pytest.approx(3 * 3600.0 + MB / 256000, abs=1e-3)  # new thread: waits for 12:00
    assert p2["hops"][0]["waiting_s"] == pytest.approx(3 * 3600.0 - p1["delivered_s"], abs=1e-3)


def test_a_schedule_or_rate_limit_applied_mid_run_reaches_new_threads_only() -> None:
    sends = [PlannedSend(0.0, "P1", "CHI", 10 * MB, 2), PlannedSend(0.0, "P2", "CHI", 10 * MB, 2)]
    base, _ = engine([Address("PRI", "CHI", 1, "CHISRV")], sends, settings=SenderSettings(5, 1, 2, 1))
    base.run_until(3600.0)
    e, _ = engine([Address("PRI", "CHI", 1, "CHISRV")], sends, settings=SenderSettings(5, 1, 2, 1))
    e.advance_to(10.0)
    e.apply_addresses([Address("PRI", "CHI", 1, "CHISRV", rate_limit=RateLimit().with_hours("all", "00:00-24:00", 50))])
    (running,) = e.threads()
    assert running.address is not None and not running.address.rate_limited and running.rate_percent is None
    e.advance_to(41.0)
    (newer,) = e.threads()
    assert newer.request_id == "2_002PRI" and newer.address is not None and newer.address.rate_limited
    e.run_until(3600.0)
    b1, b2 = base.summary()["sends"]
    p1, p2 = e.summary()["sends"]
    assert p1["delivered_s"] == b1["delivered_s"] == 40.96  # the running thread kept its unlimited address
    assert p2["delivered_s"] > b2["delivered_s"] + 30.0  # the new one sends half of each 36 s slice


# --- rate limits -------------------------------------------------------------------------------------------------


def test_a_50_percent_rate_limit_gives_the_exact_delivery_time_and_one_thread() -> None:
    half = RateLimit().with_hours("all", "00:00-24:00", 50)
    sends = [PlannedSend(0.0, "P1", "LIM", 10 * MB, 2), PlannedSend(0.0, "P2", "LIM", 10 * MB, 2)]
    e, events = engine([Address("PRI", "LIM", 1, "LIMSRV", rate_limit=half)], sends, sites=(site("LIM", "PRI"),))
    e.advance_to(20.0)
    (th,) = e.threads()  # one sending thread to a rate-limited destination, Per site 3 or not
    assert (th.rate_percent, th.sending_now, th.resumes_at) == (50, False, 36.0)
    assert e.transfer_segments(th.thread_id, 0.0, 72.0) == [
        (0.0, 18.0, True),
        (18.0, 36.0, False),
        (36.0, 54.0, True),
        (54.0, 72.0, False),
    ]
    (lane,) = e.lanes()
    assert lane.rate_limited and lane.active == 1 and lane.queued == 1
    e.run_until(3600.0)
    # 40 blocks of 1.024 s of sending: 18 s on, 18 s off from 09:00:00; 40.96 s of sending end at 76.96 s
    p1, p2 = e.summary()["sends"]
    assert p1["delivered_s"] == 76.96
    starts = [ev.time for ev in events if isinstance(ev, ThreadEvent) and ev.state is ThreadState.STARTED]
    assert starts == [0.0, 76.96]
    assert p2["status"] == "delivered"


def test_rate_limit_scenario_doubles_the_transfer() -> None:
    _e, summary = run("rate-limit")
    lim, unl, small = summary["sends"]
    assert unl["delivered_s"] == 409.6
    assert lim["delivered_s"] == 805.6  # 22 whole slices of 18 s on and 18 s off, then 13.6 s
    assert small["delivered_s"] > lim["delivered_s"]  # one thread to the rate-limited site


# --- per-site senders ---------------------------------------------------------------------------------------------


def test_q278357_strands_the_package_at_the_sp3_child() -> None:
    e, summary = run("q278357-intermediate")
    (send,) = summary["sends"]
    assert send["status"] == "pending" and send["delivered_s"] is None
    first, second = send["hops"]
    assert (first["from"], first["to"], first["status"], first["delivered_s"]) == ("CEN", "CHI", "delivered", 163.84)
    assert (second["from"], second["to"], second["status"]) == ("CHI", "T30", "pending")
    assert e.open_files("T30") == {"\\\\T30SRV\\SMS_SITE\\2_001CHI.PCK": 200}


def test_each_site_sends_with_its_own_settings_and_version() -> None:
    scenario = load_scenario(resource_path("scenarios", "q278357-intermediate.toml"))
    events: list = []
    e = engine_from_scenario(scenario)
    e.subscribe(events.append)
    e.advance_to(301.0)
    (th,) = e.threads()
    assert (th.site, th.thread_id, th.settings.retry_delay_min, th.beats_while_waiting) == ("CHI", 200, 6, False)
    assert th.retry_at == 300.0 + 360.0
    e.run()
    chi = texts(events, site="CHI")
    assert "Heartbeat is expired." in chi and "Heartbeat is expired." not in texts(events, site="CEN")
    # The same hop from an SP4 child, or with a 1-minute delay: delivered
    fixed = dataclasses.replace(
        scenario,
        sites=tuple(dataclasses.replace(s, site=dataclasses.replace(s.site, version=SP4)) for s in scenario.sites),
    )
    e = engine_from_scenario(fixed)
    e.run()
    assert e.summary()["sends"][0]["status"] == "delivered"


def test_a_site_without_its_own_sender_table_uses_the_defaults() -> None:
    sites = (site("CHI", "PRI"), site("T30", "CHI"))
    addresses = [Address("PRI", "CHI", 1, "CHISRV"), Address("CHI", "T30", 1, "T30SRV")]
    e, _ = engine(addresses, [PlannedSend(0.0, "P1", "T30", 4 * BLOCK_BYTES, 2)], sites=sites, kbps=64)
    e.advance_to(140.0)  # the first hop (1 MB at 64 kbps) arrived at 131.072 s
    (th,) = e.threads()
    assert th.site == "CHI" and th.settings == SenderSettings()
