"""Scenario files, turn 2: [[addresses]] with schedules and rate limits, and each site's own sender settings."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

import pytest

from console.model.addresses import Address, Availability, RateLimit, WeeklySchedule
from console.model.scenario import Scenario, ScenarioError, load_scenario, parse_scenario
from console.model.sender_settings import SenderSettings

SITES = """
name = "routing"
duration = "2h"

[sender]
site = "PRI"
retry_delay_min = 6

[[sites]]
code = "PRI"
server = "PRISRV"
version = "2.0 SP4"

[[sites]]
code = "CHI"
server = "CHISRV"
version = "2.0 SP3"
parent = "PRI"
link_kbps = 256
sender = { retries = 2, retry_delay_min = 6 }

[[sites]]
code = "LAB"
server = "LABSRV"
version = "2.0 SP3"
parent = "CHI"
"""

ADDRESSES = """
[[addresses]]
from = "PRI"
dest = "CHI"
priority = 1
server = "CHISRV"
substitute = true

[[addresses.schedule]]
days = "Mon-Fri"
hours = "08:00-17:00"
availability = "high"

[[addresses.schedule]]
days = "Wed"
hours = "12:00-13:00"
availability = "closed"

[[addresses.rate_limit]]
days = "all"
hours = "08:00-17:00"
percent = 50

[[addresses]]
dest = "CHI"
server = "CHIBAK"
substitute = false

[[addresses]]
from = "CHI"
dest = "LAB"
"""


def parse(text: str) -> Scenario:
    return parse_scenario(tomllib.loads(text), "s.toml")


def error(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        parse(text)
    return info.value


def test_a_file_without_addresses_keeps_its_meaning() -> None:
    sc = parse(SITES)
    assert sc.addresses == () and not sc.has_addresses
    assert sc.sender_settings_for("PRI") == SenderSettings(retry_delay_min=6)
    assert sc.sender_settings_for("CHI") == SenderSettings(5, 3, 2, 6)
    assert sc.sender_settings_for("LAB") == SenderSettings()
    specs = {s.site.code: s for s in sc.sites}
    assert specs["CHI"].sender == SenderSettings(retries=2, retry_delay_min=6) and specs["LAB"].sender is None


def test_addresses_are_read_with_their_defaults() -> None:
    sc = parse(SITES + ADDRESSES)
    assert sc.has_addresses and len(sc.addresses) == 3
    first, second, third = sc.addresses
    office = (
        WeeklySchedule()
        .with_hours("Mon-Fri", "08:00-17:00", Availability.HIGH)
        .with_hours("Wed", "12:00-13:00", Availability.CLOSED)
    )
    assert first == Address("PRI", "CHI", 1, "CHISRV", True, office, RateLimit().with_hours("all", "08:00-17:00", 50))
    wed_noon = dt.datetime(2001, 3, 14, 12, 30)
    assert not first.schedule.open_for(1, wed_noon) and first.schedule.open_for(1, wed_noon.replace(hour=11))
    # from = the [sender] site, priority = the next free one, no schedule = open, no rate limit = unlimited
    assert second == Address("PRI", "CHI", 2, "CHIBAK", substitute=False)
    # server = the destination's server
    assert third == Address("CHI", "LAB", 1, "LABSRV")


def test_schedule_keys_default_to_the_whole_week() -> None:
    sc = parse(SITES + '[[addresses]]\ndest = "CHI"\n[[addresses.schedule]]\navailability = "closed"\n')
    assert sc.addresses[0].schedule == WeeklySchedule().with_hours("all", "00:00-24:00", "closed")


def test_an_explicit_priority_may_not_repeat_a_default_one() -> None:
    text = SITES + '[[addresses]]\ndest = "CHI"\n[[addresses]]\ndest = "CHI"\npriority = 1\n'
    e = error(text)
    assert e.key == "addresses[2].priority" and "addresses[1] already goes from PRI to CHI" in e.rule


def test_errors_name_the_file(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(SITES + '[[addresses]]\ndest = "XYZ"\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(p)
    assert str(info.value).startswith(f"{p}: addresses[1].dest: XYZ is not one of the [[sites]]")


SCHEDULE_ENTRY = '[[addresses]]\ndest = "CHI"\n[[addresses.schedule]]\navailability = "high"\n'


@pytest.mark.parametrize(
    ("extra", "key", "rule"),
    [
        ('[[addresses]]\ndest = "CHI"\ncolour = 1\n', "addresses[1].colour", "unknown key"),
        ('[[addresses]]\nfrom = "PRI"\n', "addresses[1].dest", "is required"),
        ("[[addresses]]\ndest = 7\n", "addresses[1].dest", "must be a string"),
        ('[[addresses]]\ndest = "CHICAGO"\n', "addresses[1].dest", "three letters or digits"),
        ('[[addresses]]\nfrom = "XYZ"\ndest = "CHI"\n', "addresses[1].from", "not one of the [[sites]]"),
        ('[[addresses]]\nfrom = "CHI"\ndest = "CHI"\n', "addresses[1].dest", "also the address's from site"),
        ('[[addresses]]\ndest = "PRI"\n', "addresses[1].dest", "also the address's from site"),
        ('[[addresses]]\ndest = "CHI"\npriority = 0\n', "addresses[1].priority", "from 1 to 99"),
        ('[[addresses]]\ndest = "CHI"\npriority = 100\n', "addresses[1].priority", "from 1 to 99"),
        ('[[addresses]]\ndest = "CHI"\npriority = "1"\n', "addresses[1].priority", "whole number"),
        ('[[addresses]]\ndest = "CHI"\npriority = true\n', "addresses[1].priority", "whole number"),
        ('[[addresses]]\ndest = "CHI"\nserver = "   "\n', "addresses[1].server", "must not be empty"),
        ('[[addresses]]\ndest = "CHI"\nserver = "ABCDEFGHIJKLMNOP"\n', "addresses[1].server", "15 characters"),
        ('[[addresses]]\ndest = "CHI"\nserver = "CHI:SRV"\n', "addresses[1].server", "contains"),
        ('[[addresses]]\ndest = "CHI"\nsubstitute = "no"\n', "addresses[1].substitute", "true or false"),
        ('[[addresses]]\ndest = "CHI"\nschedule = "open"\n', "addresses[1].schedule", "array of tables"),
        ('[[addresses]]\ndest = "CHI"\nrate_limit = 50\n', "addresses[1].rate_limit", "array of tables"),
        (
            SCHEDULE_ENTRY + 'days = "Mon-Fry"\n',
            "addresses[1].schedule[1].days",
            '"all", a day ("Sun".."Sat")',
        ),
        (SCHEDULE_ENTRY + 'hours = "8-17"\n', "addresses[1].schedule[1].hours", '"HH:00-HH:00"'),
        (SCHEDULE_ENTRY + 'hours = "08:30-17:00"\n', "addresses[1].schedule[1].hours", "whole hours"),
        (SCHEDULE_ENTRY + "hours = 8\n", "addresses[1].schedule[1].hours", "must be a string"),
        (SCHEDULE_ENTRY + "priority = 1\n", "addresses[1].schedule[1].priority", "unknown key"),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.schedule]]\navailability = "low"\n',
            "addresses[1].schedule[1].availability",
            '"all", "medium", "high" or "closed"',
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.schedule]]\ndays = "all"\n',
            "addresses[1].schedule[1].availability",
            "is required",
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.rate_limit]]\npercent = 0\n',
            "addresses[1].rate_limit[1].percent",
            "from 1 to 100",
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.rate_limit]]\npercent = 101\n',
            "addresses[1].rate_limit[1].percent",
            "from 1 to 100",
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.rate_limit]]\npercent = 50.0\n',
            "addresses[1].rate_limit[1].percent",
            "whole number",
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.rate_limit]]\ndays = "all"\n',
            "addresses[1].rate_limit[1].percent",
            "is required",
        ),
        (
            '[[addresses]]\ndest = "CHI"\n[[addresses.rate_limit]]\npercent = 5\nlimit = 1\n',
            "addresses[1].rate_limit[1].limit",
            "unknown key",
        ),
        (
            '[[addresses]]\ndest = "CHI"\npriority = 3\n[[addresses]]\ndest = "CHI"\npriority = 3\n',
            "addresses[2].priority",
            "each priority is used once per (from, dest)",
        ),
    ],
)
def test_address_errors_name_key_and_rule(extra: str, key: str, rule: str) -> None:
    e = error(SITES + extra)
    assert e.key == key
    assert rule in e.rule
    assert str(e).startswith(f"s.toml: {key}: ")


def test_addresses_must_be_an_array_of_tables() -> None:
    e = error("addresses = 3\n" + SITES)
    assert e.key == "addresses" and "array of tables" in e.rule


def test_the_same_priority_is_fine_for_another_destination_or_sender() -> None:
    text = (
        SITES + '[[addresses]]\ndest = "CHI"\n[[addresses]]\ndest = "LAB"\n[[addresses]]\nfrom = "CHI"\ndest = "LAB"\n'
    )
    assert [(a.from_site, a.dest, a.priority) for a in parse(text).addresses] == [
        ("PRI", "CHI", 1),
        ("PRI", "LAB", 1),
        ("CHI", "LAB", 1),
    ]


def _with_lab_sender(table: str) -> str:
    return SITES + f"sender = {table}\n"


def test_site_sender_accepts_all_four_advanced_tab_keys() -> None:
    sc = parse(_with_lab_sender("{ all_sites = 7, per_site = 2, retries = 4, retry_delay_min = 9 }"))
    assert sc.sender_settings_for("LAB") == SenderSettings(7, 2, 4, 9)
    assert parse(_with_lab_sender("{}")).sender_settings_for("LAB") == SenderSettings()


@pytest.mark.parametrize(
    ("table", "key", "rule"),
    [
        ("{ retries = 0 }", "sites[3].sender.retries", "must be from 1 to 99"),
        ("{ retry_delay_min = 100 }", "sites[3].sender.retry_delay_min", "must be from 1 to 99"),
        ("{ all_sites = 1000 }", "sites[3].sender.all_sites", "must be from 1 to 999"),
        ('{ per_site = "3" }', "sites[3].sender.per_site", "whole number"),
        ("{ heartbeat_timeout_min = 9 }", "sites[3].sender.heartbeat_timeout_min", "unknown key"),
        ('"fast"', "sites[3].sender", "inline table"),
    ],
)
def test_site_sender_errors(table: str, key: str, rule: str) -> None:
    e = error(_with_lab_sender(table))
    assert e.key == key and rule in e.rule


def test_the_sending_sites_sender_is_the_sender_table() -> None:
    text = SITES.replace('version = "2.0 SP4"\n', 'version = "2.0 SP4"\nsender = { retries = 3 }\n', 1)
    e = error(text)
    assert e.key == "sites[1].sender" and "[sender]" in e.rule


def test_bundled_scenarios_still_load() -> None:
    from console.model.scenario_catalog import bundled_scenarios

    for bundled in bundled_scenarios():
        assert isinstance(load_scenario(bundled.path).has_addresses, bool)
