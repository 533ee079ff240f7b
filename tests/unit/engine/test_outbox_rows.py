"""The outbox's route texts (console/engine/outbox_rows.py) and the address a request keeps after its thread ends."""

from __future__ import annotations

import datetime as _dt

from console.engine.events import RequestStatus, RequestView, WaitReason
from console.engine.outbox_rows import NONE_TEXT, WAITING_FOR_ADDRESS, outbox_rows, status_text, waiting_text
from console.engine.scenario_engine import engine_from_scenario
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario

START = _dt.datetime(2001, 3, 14, 9, 0, 0)


def _engine(name: str, t: float):
    e = engine_from_scenario(load_scenario(resource_path("scenarios", f"{name}.toml")))
    e.advance_to(t)
    return e


def test_a_request_keeps_the_address_it_tried_after_its_thread_gave_up() -> None:
    e = _engine("q278357-intermediate", 900.0)  # CHI's thread gave up at the expired heartbeat
    assert not e.threads()
    by_id = {r.request_id: r for r in e.requests()}
    assert by_id["2_001CHI"].status is RequestStatus.ERROR
    address = by_id["2_001CHI"].address
    assert address is not None and (address.from_site, address.server, address.index, address.count) == (
        "CHI",
        "T30SRV",
        1,
        1,
    )
    rows = {row.request_id: row for row in outbox_rows(e.requests(), e.has_addresses)}
    assert rows["2_001CEN"].hop_texts()[0] == "1 of 2: CEN \u2192 CHI"
    assert rows["2_001CHI"].hop_texts()[0] == "2 of 2: CHI \u2192 T30"
    assert rows["2_001CHI"].address_texts()[0] == "No. 1 of 1, T30SRV"


def test_a_scenario_without_addresses_shows_the_implicit_one_and_a_direct_send() -> None:
    e = _engine("q278357-sp3", 10.0)
    (row,) = outbox_rows(e.requests(), e.has_addresses)
    assert row.request.address is None
    assert row.address_texts()[0] == NONE_TEXT and row.hop_texts()[0] == NONE_TEXT


def test_waiting_texts() -> None:
    closed = WaitReason("closed", "CHI", 3, 8 * 3600.0)
    assert waiting_text(closed, 600.0, START) == "closed for low priority until 17:00:00"
    assert waiting_text(closed._replace(until=86400 + 8 * 3600.0), 0.0, START) == (
        "closed for low priority until 03/15 17:00:00"
    )
    assert waiting_text(closed._replace(until=None), 0.0, START) == "closed for low priority all week"
    assert waiting_text(WaitReason("no address", "T30", 2, 600.0), 0.0, START) == "no address to T30"
    assert waiting_text(None, 0.0, START) == ""
    assert waiting_text(None, 8 * 3600.0, START) == "waited 8h 00m 00s"


def test_status_text_only_differs_for_a_request_waiting_for_an_address() -> None:
    r = RequestView("3_001PRI", "PRI00001", "CHI", 3, RequestStatus.NONE, 1, 1, 0, 0, None, 0.0, None, None, None)
    assert status_text(r) == "SREQ_STATUS_NONE"
    waiting = RequestView(**{**{f: getattr(r, f) for f in r.__slots__}, "waiting": WaitReason("closed", "CHI", 3, 1.0)})
    assert status_text(waiting) == WAITING_FOR_ADDRESS
