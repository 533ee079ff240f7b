"""Log-reading test fixtures: the Sender.logs our own engine writes for the bundled scenarios."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest


def _engine_log(folder: Path, name: str, until: str | None) -> Path:
    from console.engine.scenario_engine import engine_from_scenario
    from console.engine.sender_log import SenderLogFile
    from console.model.durations import parse_duration
    from console.model.scenario import load_scenario
    from console.model.scenario_catalog import resolve_scenario

    scenario = load_scenario(resolve_scenario(name))
    path = folder / f"{name}-{until or 'full'}" / "Sender.log"
    with SenderLogFile(path) as log:
        engine = engine_from_scenario(scenario, log.write_line)
        engine.run_until(parse_duration(until) if until else scenario.duration_s)
    return path


@pytest.fixture(scope="session")
def engine_log(tmp_path_factory) -> Callable[..., Path]:
    """``engine_log("q278357-sp3", until="30m")``: the Sender.log our engine writes for a bundled scenario."""
    folder = tmp_path_factory.mktemp("engine-logs")
    cache: dict[tuple[str, str | None], Path] = {}

    def make(name: str, until: str | None = None) -> Path:
        key = (name, until)
        if key not in cache:
            cache[key] = _engine_log(folder, name, until)
        return cache[key]

    return make
