"""The busy-scenario generator reaches 10,000 sites and 100,000 packages with valid codes and 8-character IDs."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from console.model.resource_paths import resource_path
from console.model.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_busy_scenario", ROOT / "tests" / "bench" / "make_busy_scenario.py")
assert _spec is not None and _spec.loader is not None
make = importlib.util.module_from_spec(_spec)
sys.modules["make_busy_scenario"] = make
_spec.loader.exec_module(make)


def test_the_committed_scenario_is_what_the_generator_writes() -> None:
    committed = resource_path("scenarios", "busy-hierarchy.toml").read_text(encoding="utf-8")
    assert make.build(300, 10, 278357) == committed


def test_ten_thousand_sites_have_codes_of_their_own() -> None:
    codes = make.site_codes(10_000)
    assert len(set(codes)) == 10_000 and "CEN" not in codes and all(len(c) == 3 and c.isalnum() for c in codes)


def test_a_hundred_thousand_packages_have_8_character_ids() -> None:
    ids = make.package_ids(100_000)
    assert len(set(ids)) == 100_000 and {len(i) for i in ids} == {8} and all(i.isascii() for i in ids)


def test_a_big_tree_is_a_valid_scenario() -> None:
    import tomllib

    text = make.build(2_000, 0, 1, total_packages=3_000, fanout=20)
    scenario = parse_scenario(tomllib.loads(text), "big.toml")
    assert len(scenario.sites) == 2_001 and len(scenario.sends) == 3_000
    depth = {"CEN": 0}
    for spec in scenario.sites[1:]:
        depth[spec.site.code] = depth[spec.site.parent] + 1
    assert max(depth.values()) >= 3  # a hierarchy, not one level under CEN
