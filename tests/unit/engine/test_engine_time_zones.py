"""Zone names by the US daylight-time rule, the fast log clock against the plain route, Restart time lines."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.engine.log_clock import LogClock
from console.engine.log_format import parse_line
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import REOFFER_DELAY_S
from console.engine.time_zones import UsTimeZone, daylight_span
from console.model.resource_paths import resource_path
from console.model.scenario import ScenarioError, load_scenario, parse_scenario

EASTERN = UsTimeZone()


@pytest.mark.parametrize(
    ("year", "start", "end"),
    [
        (2001, (4, 1), (10, 28)),  # SMS 2.0 SP3 era: first Sunday in April, last Sunday in October
        (2000, (4, 2), (10, 29)),
        (1999, (4, 4), (10, 31)),
        (1987, (4, 5), (10, 25)),
        (2006, (4, 2), (10, 29)),
        (1986, (4, 27), (10, 26)),  # before 1987: last Sunday in April
        (2007, (3, 11), (11, 4)),  # from 2007: second Sunday in March to first Sunday in November
    ],
)
def test_daylight_span_by_era(year: int, start: tuple[int, int], end: tuple[int, int]) -> None:
    assert daylight_span(year) == (_dt.datetime(year, *start, 2), _dt.datetime(year, *end, 2))


@pytest.mark.parametrize(
    ("when", "name"),
    [
        (_dt.datetime(2001, 7, 3, 9, 0), "Eastern Daylight Time"),
        (_dt.datetime(2001, 3, 14, 9, 0), "Eastern Standard Time"),
        (_dt.datetime(2001, 4, 1, 1, 59, 59, 999000), "Eastern Standard Time"),
        (_dt.datetime(2001, 4, 1, 2, 0), "Eastern Daylight Time"),  # the skipped hour is called Daylight
        (_dt.datetime(2001, 4, 1, 2, 30), "Eastern Daylight Time"),
        (_dt.datetime(2001, 10, 28, 1, 30), "Eastern Daylight Time"),  # the repeated hour: its first pass
        (_dt.datetime(2001, 10, 28, 2, 0), "Eastern Standard Time"),
        (_dt.datetime(2001, 12, 31, 23, 59), "Eastern Standard Time"),
    ],
)
def test_name_at(when: _dt.datetime, name: str) -> None:
    assert EASTERN.name_at(when) == name


def test_base_name_is_configurable_and_checked() -> None:
    pacific = UsTimeZone.parse("Pacific Standard Time")
    assert pacific == UsTimeZone("Pacific") == UsTimeZone.parse("  Pacific  Daylight Time ")
    assert pacific.name_at(_dt.datetime(1999, 10, 15, 17, 9)) == "Pacific Daylight Time"  # the KB Q267889 sample
    with pytest.raises(ValueError, match="base name"):
        UsTimeZone("UTC+1")


@settings(max_examples=300, deadline=None)
@given(
    start=st.datetimes(min_value=_dt.datetime(1980, 1, 1), max_value=_dt.datetime(2030, 1, 1)),
    t=st.one_of(
        st.floats(0, 40 * 86400.0, allow_nan=False),
        st.integers(0, 40 * 86400).map(float),
        st.integers(0, 40 * 86400 * 1000).map(lambda ms: ms / 1000),
    ),
)
def test_fast_stamp_equals_the_plain_route(start: _dt.datetime, t: float) -> None:
    clock = LogClock(start, UsTimeZone("Central"))
    assert clock.stamp(t) == clock.slow_stamp(t)
    assert clock.stamp(t) == clock.slow_stamp(t)  # the cached instant too


def test_stamp_switches_name_at_two_in_the_morning() -> None:
    clock = LogClock(_dt.datetime(2001, 10, 28, 1, 59, 59), EASTERN)
    assert clock.stamp(0.5) == "Sun Oct 28 01:59:59.500 2001 Eastern Daylight Time"
    assert clock.stamp(1.0) == "Sun Oct 28 02:00:00.000 2001 Eastern Standard Time"
    assert clock.restart_text(1.0) == "10/28/01 02:00:00 Eastern Standard Time"


def _scenario_text(start: str, zone: str = "") -> str:
    text = Path(resource_path("scenarios", "q278357-sp3.toml")).read_text(encoding="utf-8")
    text = text.replace("start = 2001-03-14T09:00:00", f"start = {start}")
    return text.replace('duration = "2h"', f'duration = "2h"\n{zone}') if zone else text


def _lines(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    lines: list[str] = []
    engine_from_scenario(load_scenario(path), lines.append).run()
    return lines


def test_a_july_scenario_logs_daylight_time_everywhere(tmp_path: Path) -> None:
    lines = _lines(tmp_path, _scenario_text("2001-07-03T09:00:00"))
    zones = {parse_line(x).zone for x in lines}
    assert zones == {"Eastern Daylight Time"}
    restarts = [parse_line(x).text for x in lines if "Restart time = " in x]
    assert restarts and all(r.endswith(" Eastern Daylight Time") for r in restarts)
    assert parse_line(lines[0]).when == _dt.datetime(2001, 7, 3, 9, 0)


def test_a_run_across_the_autumn_change_switches_names(tmp_path: Path) -> None:
    lines = _lines(tmp_path, _scenario_text("2001-10-28T01:00:00", 'time_zone = "Pacific"'))
    parsed = [parse_line(x) for x in lines]
    names = [p.zone for p in parsed]
    assert set(names) == {"Pacific Daylight Time", "Pacific Standard Time"}
    first_standard = names.index("Pacific Standard Time")
    assert parsed[first_standard].when >= _dt.datetime(2001, 10, 28, 2, 0)
    assert all(p.zone == "Pacific Daylight Time" for p in parsed[:first_standard])
    assert all(p.zone == "Pacific Standard Time" for p in parsed[first_standard:])


def test_scenario_time_zone_is_validated() -> None:
    base = {
        "name": "x",
        "duration": "1h",
        "sender": {"site": "PRI"},
        "sites": [{"code": "PRI", "server": "S", "version": "2.0 SP3"}],
    }
    assert parse_scenario(base).time_zone == "Eastern"
    assert parse_scenario({**base, "time_zone": "Mountain Standard Time"}).time_zone == "Mountain"
    with pytest.raises(ScenarioError, match=r"time_zone: must be a US time-zone family .*got 'GMT\+1'"):
        parse_scenario({**base, "time_zone": "GMT+1"})


def test_restart_time_is_the_real_next_try() -> None:
    """retries-exhausted.toml: each failed connect leaves the sender idle, which ends the busy-site skip at once
    ("... or until there are no active send requests"), so the re-offer 10 minutes on is the next try. (Before
    turn 2 the skip held for the hour: 10:04, not 09:14.)"""
    scenario = load_scenario(resource_path("scenarios", "retries-exhausted.toml"))
    lines: list[str] = []
    engine = engine_from_scenario(scenario, lines.append)
    engine.run()
    parsed = [parse_line(x) for x in lines]
    restarts = [(p.when, p.text) for p in parsed if p.text.startswith("Restart time = ")]
    tries = [p.when for p in parsed if p.text == "Found send request. ID: 2_001CEN, Dest Site: NYC"]
    assert restarts[0] == (_dt.datetime(2001, 3, 14, 9, 3), "Restart time = 03/14/01 09:13:00 Eastern Standard Time")
    # every Restart time names the instant of the next try of that request
    for (logged_at, text), next_try in zip(restarts, tries[1:], strict=False):
        assert text == f"Restart time = {next_try:%m/%d/%y %H:%M:%S} Eastern Standard Time"
        assert next_try - logged_at == _dt.timedelta(seconds=REOFFER_DELAY_S)
    assert len(tries) >= 3


def test_restart_time_without_a_busy_skip_is_the_reoffer() -> None:
    """A heartbeat expiry (no connect failure): the re-offer, 10 minutes on, is the next try."""
    scenario = load_scenario(resource_path("scenarios", "q278357-sp3.toml"))
    lines: list[str] = []
    engine_from_scenario(scenario, lines.append).run()
    parsed = [parse_line(x) for x in lines]
    i = next(i for i, p in enumerate(parsed) if p.text.startswith("Restart time = "))
    assert parsed[i - 1].text == "Can't re-establish the connection."
    due = parsed[i].when + _dt.timedelta(seconds=REOFFER_DELAY_S)
    assert parsed[i].text == f"Restart time = {due:%m/%d/%y %H:%M:%S} Eastern Standard Time"
    assert any(p.when == due and p.text.startswith("Found send request. ID: 2_001PRI") for p in parsed)
