"""Digests of what the engine says on fixed runs: Sender.log text, the GUI's event stream, the summary.

Recorded before the engine's observed path was reworked for speed (issue 11), so that the rework is held to the
same outcomes: ``test_engine_outcome_digests.py`` compares against ``outcome_digests.json``; ``python
tests/unit/engine/outcome_digests.py`` prints the current values (update the file only after a deliberate change).

Runs: every bundled scenario; the benchmark workload (tests/bench/bench_workload.py) at a small size; its routed
workload (addresses, schedules, a rate limit); and the link-sharing cliff (hundreds of sends at once to one
site with both concurrency limits at 999), in lockstep (equal sizes) and staggered.
"""

from __future__ import annotations

import enum
import hashlib
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from console.engine.events import GUI_KINDS, LogEvent
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario

BENCH = Path(__file__).resolve().parents[2] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from bench_workload import address_workload, cliff_engine, workload  # noqa: E402

DIGESTS = Path(__file__).with_name("outcome_digests.json")
SCENARIOS = (
    "boundary-5min",
    "busy-hierarchy",
    "office-hours",
    "q278357-intermediate",
    "q278357-sp3",
    "q278357-sp4",
    "rate-limit",
    "retries-exhausted",
)


def _bench_engine(**kw: object) -> SenderEngine:
    w = workload(40, 5, 8, seed=3, outage_rate=0.05)
    return SenderEngine(w.sending_site, w.destinations, w.settings, sends=w.sends, faults=w.faults, **kw)  # type: ignore[arg-type]


def _routed_engine(**kw: object) -> SenderEngine:
    w = address_workload(3, 3, 2, 6)
    return SenderEngine(w.sending_site, w.destinations, w.settings, sends=w.sends, addresses=w.addresses, **kw)  # type: ignore[arg-type]


def _scenario_builder(name: str) -> Callable[..., SenderEngine]:
    scenario = load_scenario(resource_path("scenarios", f"{name}.toml"))

    def build(log_sink=None, site_log_sink=None) -> SenderEngine:
        return engine_from_scenario(scenario, log_sink, site_log_sink)

    return build


def runs() -> dict[str, Callable[..., SenderEngine]]:
    out: dict[str, Callable[..., SenderEngine]] = {name: _scenario_builder(name) for name in SCENARIOS}
    out["bench-40x5x8"] = _bench_engine
    out["routed-3x3x2x6"] = _routed_engine
    out["cliff-300-lockstep"] = lambda **kw: cliff_engine(300, staggered=False, **kw)
    out["cliff-300-staggered"] = lambda **kw: cliff_engine(300, staggered=True, **kw)
    return out


def _value(v: object) -> object:
    if isinstance(v, enum.Enum):
        return v.value
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, tuple):
        return [_value(x) for x in v]
    return v


def canonical(event: object) -> str:
    """One event as text: a ``LogEvent`` by what a reader sees (time, thread, text, line, site, zone name)."""
    if type(event) is LogEvent:
        e = event
        fields: Iterable[object] = (e.time, e.thread_id, e.text, e.line, e.site, e.zone)
    else:
        fields = tuple(event)  # type: ignore[arg-type]
    return json.dumps([type(event).__name__, *(_value(f) for f in fields)])


class Digest:
    def __init__(self) -> None:
        self.h = hashlib.sha256()
        self.n = 0

    def add(self, text: str) -> None:
        self.h.update(text.encode())
        self.h.update(b"\n")
        self.n += 1

    def value(self) -> list[object]:
        return [self.h.hexdigest(), self.n]


def measure(build: Callable[..., SenderEngine]) -> dict[str, list[object]]:
    """Digests of one run watched as the console watches it (GUI kinds + Sender.log sink), and its summary."""
    log, site_log, stream = Digest(), Digest(), Digest()
    engine = build(log_sink=log.add, site_log_sink=lambda site, line: site_log.add(f"{site} {line}"))
    engine.subscribe(lambda e: stream.add(canonical(e)), kinds=GUI_KINDS)
    engine.run()
    summary = engine.summary()
    del summary["events"]  # heap entries handled: how, not what
    s = Digest()
    s.add(json.dumps(summary, sort_keys=True))
    return {"log": log.value(), "site_logs": site_log.value(), "gui_stream": stream.value(), "summary": s.value()}


def measure_all() -> dict[str, dict[str, list[object]]]:
    return {name: measure(build) for name, build in runs().items()}


if __name__ == "__main__":
    print(json.dumps(measure_all(), indent=1, sort_keys=True))
