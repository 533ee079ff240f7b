"""Fuzzing the two kinds of file users hand the app: sites.json and scenario files.

Whatever the bytes (random, wrong types, huge numbers, deep nesting, unknown keys, non-UTF-8, duplicate site
codes, parent cycles, a destination that is the sending site), the result is a valid load or one clear line:
never a traceback, never a hang. Examples are kept modest so that the suite stays fast.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.model.demo import demo_database
from console.model.resource_paths import resource_path
from console.model.scenario import ScenarioError, load_scenario, parse_scenario
from console.model.site_store import SiteStore, database_to_json

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
"""Per test; a longer hunt: ``FUZZ_EXAMPLES=2000 pytest tests/unit/test_fuzz_files.py``."""
FUZZ = settings(max_examples=FUZZ_EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])

nasty_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 1, 99, 100, 999, 1000, 2**63, 10**4000]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "LAB", "CEN", "lab", "ZZZ", "2.0 SP3", "SMS_LAN_SENDER", "ßßßßßßßß", "\x00", "é" * 40]),
)
json_values = st.recursive(
    nasty_scalars.filter(lambda v: not (isinstance(v, int) and abs(v) > 10**100)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _one_line(text: str | None) -> None:
    assert text is None or ("\n" not in text and text.strip()), text


def _mutate(data: Any, path: list[Any], value: Any) -> Any:
    """``data`` with the element at ``path`` replaced by ``value``; ints pick an element (wrapped), a string
    names a key of a table (added if missing); a step that does not fit the data replaces it there."""
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(data, list) and data and isinstance(step, int):
        i = step % len(data)
        return [*data[:i], _mutate(data[i], rest, value), *data[i + 1 :]]
    if isinstance(data, dict) and data:
        key = list(data)[step % len(data)] if isinstance(step, int) else step
        return {**data, key: _mutate(data.get(key), rest, value)}
    return value


def _load_sites(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sites.json"
        path.write_bytes(raw)
        result = SiteStore(path).load()  # must not raise
        _one_line(result.notice)
        assert len(result.database) >= 1
        if result.notice is not None:
            assert result.moved_to is not None and result.moved_to.read_bytes() == raw  # kept as it was
        again = SiteStore(path).load()
        assert again.notice is None  # what was written back is a good file


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_as_sites_json(raw: bytes) -> None:
    _load_sites(raw)


@FUZZ
@given(
    st.lists(
        st.one_of(st.integers(0, 20), st.sampled_from(["code", "parent", "senders", "name", "schema", "x"])), max_size=5
    ),
    json_values,
)
def test_mutated_site_databases(path: list[Any], value: Any) -> None:
    data = _mutate(database_to_json(demo_database()), path, value)
    _load_sites(json.dumps(data).encode("utf-8"))


@FUZZ
@given(st.permutations(["CEN", "LAB", "NYC", "BOS"]), st.booleans())
def test_duplicate_codes_and_parent_cycles_in_sites_json(order: list[str], duplicate: bool) -> None:
    data = database_to_json(demo_database())
    for i, site in enumerate(data["sites"]):  # every site's parent is the next in a random ring: a cycle
        site["parent"] = order[(order.index(site["code"]) + 1) % 4]
        if duplicate and i == 3:
            site["code"] = data["sites"][0]["code"]
    _load_sites(json.dumps(data).encode("utf-8"))


def test_deep_nesting_and_huge_numbers_in_sites_json() -> None:
    for raw in ("[" * 50_000, '{"schema": 1, "sites": ' + "[" * 5000 + "]" * 5000 + "}", "1" * 5000, "\xff\xfe"):
        _load_sites(raw.encode("latin-1"))


# ----------------------------------------------------------------- scenario files

BASE_SCENARIO = resource_path("scenarios", "q278357-sp3.toml").read_text(encoding="utf-8")
toml_scalars = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.sampled_from([0, -1, 1, 99, 100, 2**63 - 1, 1_679_616]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=10),
    st.sampled_from(["PRI", "LAB", "0s", "2h", "99999h", "-1s", "high", "network", "restart", "ßßßßßßßß", "1e9s"]),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
)
toml_values = st.recursive(
    toml_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=8,
)


def _check_scenario_text(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.toml"
        path.write_bytes(raw)
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            _one_line(str(exc))
            return
        _run_briefly(scenario, Path(tmp))


def _run_briefly(scenario, folder: Path) -> None:
    """A valid load must also run: a little simulated time, with Sender.log written."""
    from console.engine.scenario_engine import engine_from_scenario
    from console.engine.sender_log import SenderLogFile

    with SenderLogFile(folder / "Sender.log") as log:
        engine = engine_from_scenario(scenario, log.write_line)
        engine.run_until(min(scenario.duration_s, 600.0))


@FUZZ
@given(st.binary(max_size=300))
def test_random_bytes_as_a_scenario(raw: bytes) -> None:
    _check_scenario_text(raw)


@FUZZ
@given(st.integers(0, len(BASE_SCENARIO)), st.integers(0, 40), st.binary(max_size=12))
def test_a_bundled_scenario_with_bytes_cut_and_inserted(at: int, cut: int, insert: bytes) -> None:
    raw = BASE_SCENARIO.encode("utf-8")
    _check_scenario_text(raw[:at] + insert + raw[at + cut :])


@FUZZ
@given(
    st.lists(
        st.one_of(st.integers(0, 12), st.sampled_from(["sender", "sites", "sends", "faults", "start", "parent"])),
        max_size=4,
    ),
    toml_values,
)
def test_mutated_scenarios(path: list[Any], value: Any) -> None:
    import tomllib

    data = _mutate(tomllib.loads(BASE_SCENARIO), path, value)
    try:
        scenario = parse_scenario(data, "fuzzed.toml") if isinstance(data, dict) else None
    except ScenarioError as exc:
        _one_line(str(exc))
        return
    if scenario is not None:
        with tempfile.TemporaryDirectory() as tmp:
            _run_briefly(scenario, Path(tmp))


@FUZZ
@given(st.sampled_from(["PRI", "LAB"]), st.sampled_from(["PRI", "LAB"]), st.sampled_from(["PRI", "LAB", "XYZ"]))
def test_cycles_and_sends_to_the_sending_site(pri_parent: str, lab_parent: str, dest: str) -> None:
    text = (
        f'name = "x"\nduration = "1h"\n[sender]\nsite = "PRI"\n'
        f'[[sites]]\ncode = "PRI"\nserver = "P"\nversion = "2.0 SP3"\nparent = "{pri_parent}"\n'
        f'[[sites]]\ncode = "LAB"\nserver = "L"\nversion = "2.0 SP3"\nparent = "{lab_parent}"\n'
        f'[[sends]]\nat = "0s"\npackage = "P1"\ndest = "{dest}"\nsize_kb = 1\n'
    )
    _check_scenario_text(text.encode("utf-8"))
