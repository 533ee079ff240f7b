"""Every live engine thread keeps a lane of its own while lanes fold and are reused (issue 11).

A reviewer once saw a running thread's lane vanish; folding frees a delivered thread's lane soon after it exits
and a new thread takes the lowest free lane, so the invariant is checked after every frame of busy runs, fed as
the view feeds the model (the Timers tab's cut-offs, frame-sized steps at 600x).
"""

from __future__ import annotations

import pytest

from console.engine.events import GUI_KINDS, EngineEvent
from console.engine.scenario_engine import engine_from_scenario
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.ui.timers.timer_model import TimerModel
from console.ui.timers.timer_view import FOLD_GRACE_S, HISTORY_S


@pytest.mark.parametrize(
    ("name", "hours", "step_s"),
    [("busy-hierarchy.toml", 2.0, 20.0), ("q278357-intermediate.toml", 3.0, 2.0), ("rate-limit.toml", 3.0, 20.0)],
)
def test_a_live_thread_always_has_its_own_lane(name: str, hours: float, step_s: float) -> None:
    engine = engine_from_scenario(load_scenario(resource_path("scenarios", name)))
    frame: list[EngineEvent] = []
    engine.subscribe(frame.append, kinds=GUI_KINDS)
    model = TimerModel()
    folded = 0
    t = 0.0
    while t < hours * 3600.0:
        t += step_s
        engine.advance_to(t)
        left = max(0.0, engine.now - HISTORY_S)
        before = len(model._fold)
        model.feed(frame, engine.now, reuse_before=left, fold_before=engine.now - FOLD_GRACE_S)
        folded += max(0, before - len(model._fold))
        frame.clear()
        model.prune(left - 60.0)
        owners: dict[int, tuple[str | None, int]] = {}
        for th in engine.threads():
            key = (th.site, th.thread_id)
            lane = model.by_thread.get(key)
            assert lane is not None and lane.track is not None, f"{key} has no lane at t = {t:g} s"
            assert lane.track.key == key and model.lanes[lane.index] is lane
            assert owners.setdefault(lane.index, key) == key, f"lane {lane.index} shared at t = {t:g} s"
    if name == "busy-hierarchy.toml":
        assert folded > 0  # lanes did fold and get reused meanwhile
