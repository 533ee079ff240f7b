"""Build a SenderEngine from a validated scenario file (console.model.scenario)."""

from __future__ import annotations

from collections.abc import Callable

from console.engine.sender import SenderEngine
from console.model.scenario import Scenario


def engine_from_scenario(
    scenario: Scenario,
    log_sink: Callable[[str], None] | None = None,
    site_log_sink: Callable[[str, str], None] | None = None,
) -> SenderEngine:
    """The sending site's Standard Sender with every other site of the scenario as a destination.

    The engine stops at the scenario's ``duration`` when ``run()`` is called; sends and faults are
    scheduled at their ``at`` times, so ``reset()`` replays the whole file. Log lines print the zone name
    of the scenario's ``time_zone`` family for their date (Standard or Daylight).

    With ``[[addresses]]`` only those addresses exist and every site forwards hops with its own sender settings
    (``sender = {...}``, else the defaults); without them the sending site has one open, unlimited address to
    every site, as before. ``site_log_sink(site, line)`` receives the Sender.log lines of sites other than the
    [sender] site.
    """
    dests = [spec for spec in scenario.sites if spec.site.code != scenario.sending_site]
    return SenderEngine(
        scenario.sender_site,
        dests,
        scenario.settings,
        start=scenario.start,
        heartbeat_timeout_min=scenario.heartbeat_timeout_min,
        sends=scenario.sends,
        faults=scenario.faults,
        end_s=scenario.duration_s,
        zone=scenario.time_zone,
        log_sink=log_sink,
        addresses=scenario.addresses if scenario.has_addresses else None,
        site_settings={s.site.code: s.sender for s in scenario.sites if s.sender is not None},
        site_log_sink=site_log_sink,
    )
