"""Busy engines for the outbox's incremental refresh tests, and a frame-by-frame run with actions in between.

``busy_routed_scenario``: tests/bench/make_busy_scenario.py's busy hierarchy as a tree (so sends take hops), with
addresses both ways along every edge, some closed to low priority in office hours or open to high priority only,
some rate-limited, and a few missing (requests wait for "no address"). ``frames`` advances an engine in frame-sized
steps and applies run-time changes (outages, restarts, settings, new packages, addresses closed and reopened) at
fixed frames, so each run is the same.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.model.addresses import Address
from console.model.resource_paths import resource_path
from console.model.scenario import Scenario, load_scenario, parse_scenario

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("make_busy_scenario", ROOT / "tests" / "bench" / "make_busy_scenario.py")
assert _spec is not None and _spec.loader is not None
make_busy = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_busy)

BUNDLED = ("busy-hierarchy", "office-hours", "q278357-intermediate", "q278357-sp3", "rate-limit", "retries-exhausted")


def bundled(name: str) -> Scenario:
    return load_scenario(resource_path("scenarios", f"{name}.toml"))


def busy_scenario(sites: int = 40, packages: int = 3, seed: int = 11) -> Scenario:
    """The busy hierarchy without addresses (every site under CEN)."""
    return parse_scenario(tomllib.loads(make_busy.build(sites, packages, seed)))


def busy_routed_scenario(sites: int = 40, packages: int = 3, seed: int = 11, fanout: int = 4) -> Scenario:
    text = make_busy.build(sites, packages, seed, fanout=fanout)
    codes = make_busy.site_codes(sites)
    lines = [text]
    for i, code in enumerate(codes):
        parent = make_busy.parent_of(i, codes, fanout)
        if i % 11 != 10:  # every eleventh site: no address down to it
            lines += ["[[addresses]]", f'from = "{parent}"', f'dest = "{code}"', ""]
            if i % 3 == 0:  # the start is a Wednesday 08:00: low priority waits for 17:00
                lines += [
                    "[[addresses.schedule]]",
                    'days = "Mon-Fri"',
                    'hours = "08:00-17:00"',
                    'availability = "medium"',
                    "",
                ]
            elif i % 5 == 1:
                lines += ["[[addresses.schedule]]", 'days = "all"', 'hours = "09:00-11:00"', 'availability = "high"']
                lines.append("")
            if i % 7 == 2:
                lines += ["[[addresses.rate_limit]]", 'days = "all"', 'hours = "00:00-24:00"', "percent = 50", ""]
        lines += ["[[addresses]]", f'from = "{code}"', f'dest = "{parent}"', ""]
    return parse_scenario(tomllib.loads("\n".join(lines)))


Action = Callable[[SenderEngine], object]


def closed_to_low(addresses: tuple[Address, ...]) -> list[Address]:
    """Every address closed to low priority all week (requests of low priority start waiting)."""
    out = []
    for a in addresses:
        out.append(dataclasses.replace(a, schedule=a.schedule.with_hours("all", "00:00-24:00", "medium")))
    return out


def routed_actions(scenario: Scenario) -> dict[int, Action]:
    """Run-time changes at fixed frames for ``busy_routed_scenario``: outages, restarts, settings, packages and
    addresses closed to low priority, then reopened (the waits end), then a reset."""
    codes = sorted(s.site.code for s in scenario.sites if s.site.code != scenario.sending_site)
    addresses = tuple(scenario.addresses)
    return {
        5: lambda e: e.inject_outage(codes[0], 900.0),
        8: lambda e: e.restart_server(codes[4]),
        12: lambda e: e.apply_settings(dataclasses.replace(scenario.settings, all_sites=3, per_site=1)),
        15: lambda e: e.queue_send("NEW00001", codes[-1], 512 * 1024, 3),
        18: lambda e: e.apply_addresses(closed_to_low(addresses)),
        30: lambda e: e.apply_addresses(addresses),
        34: lambda e: e.apply_settings(scenario.settings, site=codes[1]),
        40: lambda e: e.reset(),
    }


def frames(engine: SenderEngine, count: int, frame_s: float, actions: dict[int, Action] | None = None) -> Iterator[int]:
    """Advance ``engine`` by ``frame_s`` ``count`` times, yielding each frame's number after it (and its action)."""
    actions = actions or {}
    for n in range(count):
        engine.advance_to(engine.now + frame_s)
        if n in actions:
            actions[n](engine)
        yield n


def engine_for(scenario: Scenario) -> SenderEngine:
    return engine_from_scenario(scenario)


__all__ = [
    "BUNDLED",
    "bundled",
    "busy_routed_scenario",
    "busy_scenario",
    "engine_for",
    "frames",
    "routed_actions",
]
