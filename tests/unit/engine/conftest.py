"""Engine test helpers: a small hierarchy built in code, and a recorder of everything the engine says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from console.engine.events import EngineEvent, LogEvent, ThreadEvent, TimerEvent
from console.engine.sender import Destination, PlannedFault, PlannedSend, SenderEngine
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

MB = 1024 * 1024


@dataclass
class Recorder:
    events: list[EngineEvent] = field(default_factory=list)

    def __call__(self, event: EngineEvent) -> None:
        self.events.append(event)

    @property
    def logs(self) -> list[LogEvent]:
        return [e for e in self.events if isinstance(e, LogEvent)]

    def texts(self, thread_id: int | None = None) -> list[str]:
        return [e.text for e in self.logs if thread_id is None or e.thread_id == thread_id]

    def timeline(self) -> list[tuple[float, int, str]]:
        """(time, thread id, text) of every log line except the per-block write lines."""
        return [
            (e.time, e.thread_id, e.text) for e in self.logs if not e.text.startswith(("Attempt to write", "Wrote "))
        ]

    @property
    def timers(self) -> list[TimerEvent]:
        return [e for e in self.events if isinstance(e, TimerEvent)]

    @property
    def thread_events(self) -> list[ThreadEvent]:
        return [e for e in self.events if isinstance(e, ThreadEvent)]


EngineFactory = Callable[..., tuple[SenderEngine, Recorder]]


@pytest.fixture
def make_engine() -> EngineFactory:
    """PRI (the sending site, version as given) sending to LAB over a 256 kbps link, like the KB case."""

    def factory(
        version: SiteVersion = SiteVersion.SP3,
        *,
        delay: int = 6,
        retries: int = 2,
        all_sites: int = 5,
        per_site: int = 3,
        sends: tuple[PlannedSend, ...] | None = None,
        faults: tuple[PlannedFault, ...] = (),
        dests: tuple[str, ...] = ("LAB",),
        link_kbps: int = 256,
        end_s: float | None = None,
        record: bool = True,
    ) -> tuple[SenderEngine, Recorder]:
        pri = Site("PRI", "Primary Site", "PRISRV", version)
        destinations = [
            Destination(Site(code, code, f"{code}SRV", SiteVersion.SP3, "PRI"), link_kbps) for code in dests
        ]
        if sends is None:
            sends = (PlannedSend(0.0, "PRI00001", "LAB", 20 * MB, 2),)
        engine = SenderEngine(
            pri,
            destinations,
            SenderSettings(all_sites, per_site, retries, delay),
            sends=sends,
            faults=faults,
            end_s=end_s,
        )
        rec = Recorder()
        if record:
            engine.subscribe(rec)
        return engine, rec

    return factory
