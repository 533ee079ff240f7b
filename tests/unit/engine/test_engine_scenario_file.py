"""Scenario files: the shipped ones load, and every rule gives an error naming the file, the key and the rule."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from console.model.resource_paths import resource_path
from console.model.scenario import ScenarioError, load_scenario
from console.model.sender_settings import SenderSettings
from console.model.versions import SiteVersion

GOOD = """
name = "t"
start = 2001-03-14T09:00:00
duration = "2h"

[sender]
site = "PRI"
retry_delay_min = 6

[[sites]]
code = "PRI"
server = "PRISRV"
version = "2.0 SP3"

[[sites]]
code = "LAB"
server = "LABSRV"
version = "2.0 SP3"
parent = "PRI"
link_kbps = 256

[[sends]]
at = "0s"
package = "PRI00001"
dest = "LAB"
size_kb = 20480
priority = "medium"

[[faults]]
at = "2m"
dest = "LAB"
kind = "network"
duration = "30s"
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "s.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_good_file_becomes_model_objects(tmp_path: Path) -> None:
    sc = load_scenario(write(tmp_path, GOOD))
    assert sc.name == "t" and sc.start == dt.datetime(2001, 3, 14, 9) and sc.duration_s == 7200.0
    assert sc.settings == SenderSettings(5, 3, 2, 6)
    assert sc.heartbeat_timeout_min == 5
    assert sc.sender_site.version is SiteVersion.SP3
    assert sc.site("LAB").parent == "PRI" and sc.link_kbps("LAB") == 256 and sc.link_kbps("PRI") == 1024
    (send,) = sc.sends
    assert (send.at_s, send.package, send.dest, send.size_bytes, send.priority) == (
        0.0,
        "PRI00001",
        "LAB",
        20480 * 1024,
        2,
    )
    (fault,) = sc.faults
    assert (fault.at_s, fault.kind, fault.duration_s) == (120.0, "network", 30.0)


def test_shipped_scenarios_load() -> None:
    names = sorted(p.name for p in resource_path("scenarios").glob("*.toml"))
    assert names == [
        "boundary-5min.toml",
        "busy-hierarchy.toml",
        "office-hours.toml",
        "q278357-intermediate.toml",
        "q278357-sp3.toml",
        "q278357-sp4.toml",
        "rate-limit.toml",
        "retries-exhausted.toml",
    ]
    busy = load_scenario(resource_path("scenarios", "busy-hierarchy.toml"))
    assert len(busy.sites) >= 200 and len(busy.sends) >= 2000 and len(busy.faults) >= 20


RULES = [
    # (replace this, with this, expected key, expected words in the rule)
    ('name = "t"', 'name = "t"\ncolour = "red"', "colour", "unknown key"),
    ("retry_delay_min = 6", "retry_delay_min = 6\nmax_threads = 3", "sender.max_threads", "unknown key"),
    ("link_kbps = 256", "link_kbps = 256\nbandwidth = 3", "sites[2].bandwidth", "unknown key"),
    ("size_kb = 20480", "size_kb = 20480\ncolor = 1", "sends[1].color", "unknown key"),
    ('kind = "network"', 'kind = "network"\nseverity = 1', "faults[1].severity", "unknown key"),
    ("retry_delay_min = 6", "retry_delay_min = 100", "sender.retry_delay_min", "from 1 to 99"),
    ("retry_delay_min = 6", 'retry_delay_min = "6"', "sender.retry_delay_min", "whole number"),
    ("retry_delay_min = 6", "retry_delay_min = 6\nall_sites = 0", "sender.all_sites", "from 1 to 999"),
    (
        "retry_delay_min = 6",
        "retry_delay_min = 6\nheartbeat_timeout_min = 0",
        "sender.heartbeat_timeout_min",
        "from 1 to 99",
    ),
    ('site = "PRI"', 'site = "XYZ"', "sender.site", "not one of the [[sites]]"),
    ('site = "PRI"', 'site = "TOOLONG"', "sender.site", "three letters or digits"),
    ("size_kb = 20480", 'size_kb = "20 MB"', "sends[1].size_kb", "whole number of kilobytes"),
    ("size_kb = 20480", "size_kb = 0", "sends[1].size_kb", "from 1 to"),
    ("size_kb = 20480\n", "", "sends[1].size_kb", "is required"),
    ('dest = "LAB"\nsize_kb', 'dest = "NYC"\nsize_kb', "sends[1].dest", "NYC is not one of the [[sites]]"),
    ('dest = "LAB"\nsize_kb', 'dest = "PRI"\nsize_kb', "sends[1].dest", "sending site itself"),
    ('priority = "medium"', 'priority = "urgent"', "sends[1].priority", "high, medium or low"),
    ('package = "PRI00001"', 'package = "PRI-0001!"', "sends[1].package", "letters or digits"),
    ('at = "0s"', 'at = "soon"', "sends[1].at", "not a duration"),
    ('at = "0s"', "at = 0", "sends[1].at", "duration string"),
    ('at = "0s"', 'at = "3h"', "sends[1].at", "after the end"),
    ('duration = "2h"', 'duration = "0s"', "duration", "longer than zero"),
    ('duration = "2h"\n', "", "duration", "is required"),
    ('duration = "2h"', 'duration = "40d"', "duration", "at most 30 days"),
    ("start = 2001-03-14T09:00:00", "start = 2001-03-14T09:00:00-05:00", "start", "without a UTC offset"),
    ("start = 2001-03-14T09:00:00", 'start = "yesterday"', "start", "TOML date-time"),
    ('code = "LAB"', 'code = "PRI"', "sites[2].code", "appears twice"),
    ('code = "LAB"', 'code = "L"', "sites[2].code", "three letters or digits"),
    ('server = "LABSRV"', 'server = "A_VERY_LONG_SERVER_NAME"', "sites[2].server", "longer than 15"),
    ('version = "2.0 SP3"\nparent', 'version = "3.0"\nparent', "sites[2].version", "unknown SMS version"),
    ('parent = "PRI"', 'parent = "ZZZ"', "sites[2].parent", "not one of the [[sites]]"),
    ("link_kbps = 256", "link_kbps = 0", "sites[2].link_kbps", "from 1 to"),
    ('kind = "network"', 'kind = "fire"', "faults[1].kind", '"network" or "restart"'),
    ('kind = "network"\nduration = "30s"', 'kind = "network"', "faults[1].duration", "required for a network"),
    ('kind = "network"', 'kind = "restart"', "faults[1].duration", "instantaneous"),
    ('dest = "LAB"\nkind', 'dest = "PRI"\nkind', "faults[1].dest", "sending site itself"),
    ('[sender]\nsite = "PRI"\nretry_delay_min = 6', "sender = 5", "sender", "must be a table"),
]


@pytest.mark.parametrize(("old", "new", "key", "rule"), RULES, ids=[r[2] + ":" + r[3][:18] for r in RULES])
def test_each_rule_names_file_key_and_rule(tmp_path: Path, old: str, new: str, key: str, rule: str) -> None:
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    err = info.value
    assert (err.source, err.key) == (str(path), key)
    assert rule in err.rule
    assert str(err).startswith(f"{path}: {key}: ")
    assert "\n" not in str(err)


def test_sections_that_must_be_present(tmp_path: Path) -> None:
    head = GOOD.split("[sender]")[0]
    with pytest.raises(ScenarioError, match="sender: is required"):
        load_scenario(write(tmp_path, head))
    no_sites = GOOD.split("[[sites]]")[0]
    with pytest.raises(ScenarioError, match=r"sites: is required"):
        load_scenario(write(tmp_path, no_sites))


def test_file_level_errors(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.toml")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        load_scenario(write(tmp_path, "name = \n"))
    bad = tmp_path / "latin1.toml"
    bad.write_bytes('name = "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(bad)
    with pytest.raises(ScenarioError, match="cannot read"):
        load_scenario(tmp_path)


def test_nothing_in_a_file_is_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = GOOD.replace('name = "t"', f"name = \"__import__('os').system('touch {marker}')\"")
    sc = load_scenario(write(tmp_path, text))
    assert sc.name.startswith("__import__") and not marker.exists()
