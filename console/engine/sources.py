"""Where the live engine comes from: a scenario file, or the site database the console is showing.

Qt-free: it only builds a ``SenderEngine``. The live console uses it through its bridge;
``simulate`` builds its engines with ``console.engine.scenario_engine``.

Choices the design left to us (documented here so the README and the help can say the same):
- The sending site of the database engine is the *central site* (the first root of the hierarchy) unless
  the user picks another; its Standard Sender settings and its version (which decides Q278357) are used.
- Every site runs its own Standard Sender with its own settings and version, over the addresses stored in the
  database (SMS 2.0's: each parent <-> child), so a package for a grandchild goes through its parent. A database
  without any address keeps the implicit open, unlimited address from the sending site to every site.
- Every other site is a destination over a link of ``DATABASE_LINK_KBPS`` (512 kbit/s: a 2001-era WAN link,
  slow enough that a 10 MB package takes minutes, so transfers are visible at 60x).
- Demo traffic, so a first-time user sees sends happen: one package per destination at t = 0, 20 s, 40 s ...,
  then a new round every ``DEMO_ROUND_S`` (1 hour) for a day, with sizes cycling through ``DEMO_SIZES_KB``.
  No faults are planned: the database engine shows normal operation; faults come from the Engine actions
  (Inject Network Outage..., Reproduce Q278357...) or from scenario files.
"""

from __future__ import annotations

from dataclasses import dataclass

from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import Destination, PlannedSend, SenderEngine
from console.model.scenario import DEFAULT_START, Scenario
from console.model.sites import SiteDatabase

DATABASE_LINK_KBPS = 512
DEMO_ROUND_S = 3600.0
DEMO_ROUNDS = 24
DEMO_STAGGER_S = 20.0
DEMO_SIZES_KB = (10240, 4096, 20480, 2048)


def central_site(db: SiteDatabase) -> str:
    """The code of the hierarchy's central site (the first root), or the first site when there are no roots."""
    roots = db.roots()
    if roots:
        return roots[0].code
    if not db.codes:
        raise ValueError("the site database is empty: there is no site whose sender could run")
    return db.codes[0]


def demo_sends(sending_site: str, dest_codes: list[str]) -> list[PlannedSend]:
    """Deterministic demo packages (``<site>D<nnnn>`` IDs, medium priority) for the database engine."""
    sends: list[PlannedSend] = []
    n = 0
    for rnd in range(DEMO_ROUNDS):
        for i, dest in enumerate(dest_codes):
            n += 1
            size_kb = DEMO_SIZES_KB[(n - 1) % len(DEMO_SIZES_KB)]
            sends.append(
                PlannedSend(
                    rnd * DEMO_ROUND_S + i * DEMO_STAGGER_S, f"{sending_site[:3]}D{n:04d}", dest, size_kb * 1024, 2
                )
            )
    return sends


def engine_from_database(db: SiteDatabase, sending_site: str, *, demo_traffic: bool = True) -> SenderEngine:
    """The Standard Sender of ``sending_site`` sending to every other site of ``db`` over its addresses.

    Raises KeyError (with the database's message) for an unknown site code.
    """
    site = db.get(sending_site)
    dest_codes = [s.code for s in db if s.code != site.code]
    dests = [Destination(db.get(code), DATABASE_LINK_KBPS) for code in dest_codes]
    sends = demo_sends(site.code, dest_codes) if demo_traffic else []
    return SenderEngine(
        site,
        dests,
        site.standard_sender.settings,
        start=DEFAULT_START,
        sends=sends,
        addresses=db.addresses or None,
        site_settings={s.code: s.standard_sender.settings for s in db if s.code != site.code},
    )


@dataclass(frozen=True)
class EngineSource:
    """What ``reset()`` rebuilds from: exactly one of a scenario or a (database, sending site) pair."""

    scenario: Scenario | None = None
    database: SiteDatabase | None = None
    sending_site: str = ""
    demo_traffic: bool = True

    def build(self) -> SenderEngine:
        if self.scenario is not None:
            return engine_from_scenario(self.scenario)
        assert self.database is not None
        return engine_from_database(self.database, self.sending_site, demo_traffic=self.demo_traffic)

    @property
    def name(self) -> str:
        return self.scenario.name if self.scenario is not None else ""

    @property
    def site_code(self) -> str:
        return self.scenario.sending_site if self.scenario is not None else self.sending_site
