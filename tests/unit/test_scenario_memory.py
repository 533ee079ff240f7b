"""A busy scenario's sends stay small (issue 11: RSS at 3,000 sites): slotted, one object per code, time, size.

The committed busy hierarchy (300 sites, 3,000 sends) names each destination, time and size many times over; a
parsed scenario keeps one object for each distinct value instead of one per send.
"""

from __future__ import annotations

from console.model.resource_paths import resource_path
from console.model.scenario import FaultSpec, SendSpec, load_scenario
from console.model.site_names import check_site_code


def test_sends_and_faults_have_no_instance_dict() -> None:
    assert not hasattr(SendSpec(0.0, "PKG", "LAB", 1024, 2), "__dict__")
    assert not hasattr(FaultSpec(0.0, "LAB", "network", 30.0), "__dict__")


def test_a_site_code_is_one_object_however_often_it_is_named() -> None:
    assert check_site_code(" lab ".strip() + "") is check_site_code("LAB")
    scenario = load_scenario(resource_path("scenarios", "busy-hierarchy.toml"))
    by_code = {s.site.code: s.site.code for s in scenario.sites}
    assert all(send.dest is by_code[send.dest] for send in scenario.sends)


def test_equal_times_and_sizes_share_one_object() -> None:
    sends = load_scenario(resource_path("scenarios", "busy-hierarchy.toml")).sends
    times = {id(s.at_s) for s in sends}
    sizes = {id(s.size_bytes) for s in sends}
    assert len(times) == len({s.at_s for s in sends}) < len(sends)
    assert len(sizes) == len({s.size_bytes for s in sends}) < len(sends)
