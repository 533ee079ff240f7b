"""The live engine over the site database follows its addresses and its sites' own senders (issue 9)."""

from __future__ import annotations

import dataclasses

from console.model.addresses import RateLimit
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType


def _lane(engine, site: str, dest: str):
    return next(lane for lane in engine.lanes() if lane.site == site and lane.dest == dest)


def test_the_database_engine_uses_the_stored_addresses(console) -> None:
    _window, live, _clock = console
    engine = live.bridge.engine
    assert engine.has_addresses
    assert [a.dest for a in _lane(engine, "CEN", "LAB").addresses] == ["LAB"]
    assert not any(lane.site == "CEN" and lane.dest == "BOS" and lane.addresses for lane in engine.lanes())


def test_an_address_edited_in_the_window_reaches_new_threads(console) -> None:
    window, live, _clock = console
    session = window.session
    address = session.database.address("CEN", "LAB")
    assert not _lane(live.bridge.engine, "CEN", "LAB").rate_limited
    limited = dataclasses.replace(address, rate_limit=RateLimit().with_hours("all", "00:00-24:00", 50))
    session.edit_address((address.from_site, address.dest, address.priority), limited)
    assert _lane(live.bridge.engine, "CEN", "LAB").rate_limited


def test_a_forwarding_sites_settings_reach_its_own_sender(console) -> None:
    window, live, _clock = console
    seen = []
    engine = live.bridge.engine
    original = engine.apply_settings
    engine.apply_settings = lambda settings, site=None: seen.append((site, settings)) or original(settings, site)
    settings = SenderSettings(retries=4, retry_delay_min=3)
    window.session.update_sender_settings("NYC", SenderType.STANDARD, settings)
    assert seen == [("NYC", settings)]
