"""The benchmark workload: N destination sites x P packages of B blocks each, 1 % outages, seeded.

Shared by both models in ``bench_engine.py`` so that they simulate exactly the same input:
one SMS 2.0 SP3 central site (``CEN``) with the Standard Sender at all sites 999 / per site 3 /
2 retries / 1-minute delay; links of 768-1280 kbps; every package queued at t = 0 with a random priority
and a size of B blocks less up to one block; outages (1 % of the number of packages, 10-120 s each) at
random times over the expected run, on random destinations. Link speeds and sizes vary so that few
events coincide: at a shared instant the two models may legitimately pick a different order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from console.engine.sender import BLOCK_BYTES, Destination, PlannedFault, PlannedSend, SenderEngine
from console.model.sender_settings import SenderSettings
from console.model.sites import Site
from console.model.versions import SiteVersion

LINK_KBPS = 1024
SETTINGS = SenderSettings(all_sites=999, per_site=3, retries=2, retry_delay_min=1)


@dataclass(frozen=True)
class Workload:
    sending_site: Site
    destinations: tuple[Destination, ...]
    sends: tuple[PlannedSend, ...]
    faults: tuple[PlannedFault, ...]
    settings: SenderSettings = SETTINGS

    @property
    def blocks(self) -> int:
        return sum(-(-s.size_bytes // BLOCK_BYTES) for s in self.sends)


def site_code(i: int) -> str:
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return digits[i // 1296 % 36] + digits[i // 36 % 36] + digits[i % 36]


def workload(sites: int, packages: int, blocks: int, seed: int = 1, outage_rate: float = 0.01) -> Workload:
    rnd = random.Random(seed)
    cen = Site("CEN", "Central", "CENSRV", SiteVersion.SP3)
    codes = [c for c in (site_code(i) for i in range(sites + 1)) if c != "CEN"][:sites]
    dests = tuple(Destination(Site(c, c, f"S{c}", SiteVersion.SP3, "CEN"), rnd.randint(768, 1280)) for c in codes)
    sends = tuple(
        PlannedSend(
            0.0, f"P{n:07d}", codes[n % sites], blocks * BLOCK_BYTES - rnd.randrange(BLOCK_BYTES), rnd.randint(1, 3)
        )
        for n in range(sites * packages)
    )
    block_s = BLOCK_BYTES / (LINK_KBPS * 125.0)
    expected = sites * packages * blocks * block_s / min(SETTINGS.all_sites, 3 * sites)
    faults = tuple(
        sorted(
            (
                PlannedFault(
                    round(rnd.uniform(0, expected), 3), rnd.choice(codes), "network", float(rnd.randint(10, 120))
                )
                for _ in range(max(1, int(sites * packages * outage_rate)))
            ),
            key=lambda f: f.at_s,
        )
    )
    return Workload(cen, dests, sends, faults)


@dataclass(frozen=True)
class AddressWorkload:
    """A routed workload (turn 2): a sender at a regional site whose sends go up to the central site and down."""

    sending_site: Site
    destinations: tuple[Destination, ...]
    sends: tuple[PlannedSend, ...]
    addresses: tuple
    settings: SenderSettings = SETTINGS

    @property
    def blocks(self) -> int:
        return sum(-(-s.size_bytes // BLOCK_BYTES) for s in self.sends)


_LEAF_LETTERS = "ABDEFGHJKLMNPQSTUVWXYZ"  # not C or R: no leaf code may be CEN's or a region's (up to 22 regions)


def address_workload(regions: int, leaves: int, packages: int, blocks: int, seed: int = 1) -> AddressWorkload:
    """CEN with ``regions`` children R00.. and ``leaves`` grandchildren under each; the sender is R00. Addresses:
    each region and CEN both ways, each region to its leaves, R00 nothing else, so a send to another region's leaf
    goes R00 -> CEN -> Rk -> leaf. Every other CEN -> region address is closed to low priority 08:00-18:00 on
    weekdays, and CEN -> R01 is limited to 50 %. Packages to every leaf at t = 0, random priorities."""
    from console.model.addresses import Address, RateLimit, WeeklySchedule

    rnd = random.Random(seed)
    cen = Site("CEN", "Central", "CENSRV", SiteVersion.SP3)
    regions_ = [Site(f"R{i:02d}", f"R{i:02d}", f"R{i:02d}SRV", SiteVersion.SP3, "CEN") for i in range(regions)]
    leaf_sites = [
        Site(f"{_LEAF_LETTERS[i]}{j:02d}", "leaf", f"L{i}{j}", SiteVersion.SP3, r.code)
        for i, r in enumerate(regions_)
        for j in range(leaves)
    ]
    sender = regions_[0]
    dests = tuple(Destination(s, rnd.randint(768, 1280)) for s in [cen, *regions_[1:], *leaf_sites])
    office = WeeklySchedule().with_hours("Mon-Fri", "08:00-18:00", "medium")
    half = RateLimit().with_hours("all", "00:00-24:00", 50)
    addresses = []
    for i, r in enumerate(regions_):
        addresses.append(Address(r.code, "CEN", 1, "CENSRV"))
        addresses.append(
            Address(
                "CEN",
                r.code,
                1,
                r.server,
                schedule=office if i % 2 else WeeklySchedule(),
                rate_limit=half if i == 1 else RateLimit(),
            )
        )
        addresses.extend(Address(r.code, leaf.code, 1, leaf.server) for leaf in leaf_sites if leaf.parent == r.code)
    sends = tuple(
        PlannedSend(
            0.0,
            f"P{n:07d}",
            leaf_sites[n % len(leaf_sites)].code,
            blocks * BLOCK_BYTES - rnd.randrange(BLOCK_BYTES),
            rnd.randint(1, 3),
        )
        for n in range(len(leaf_sites) * packages)
    )
    return AddressWorkload(sender, dests, sends, tuple(addresses))


def cliff_engine(sends: int, *, staggered: bool, **kw: object) -> SenderEngine:
    """The link-sharing cliff (issue 11): ``sends`` packages of about 1 MB queued at t = 0 to one site over a
    1024 kbps link, all sites = per site = 999, so up to 999 threads share the link. ``staggered``: sizes vary
    by up to a block; otherwise they are equal and every thread's blocks end in lockstep."""
    cen = Site("CEN", "Central", "CENSRV", SiteVersion.SP3)
    lab = Destination(Site("LAB", "Lab", "LABSRV", SiteVersion.SP3, "CEN"), LINK_KBPS)
    size = 4 * BLOCK_BYTES
    planned = tuple(
        PlannedSend(0.0, f"P{n:07d}", "LAB", size - (n * 7919 % BLOCK_BYTES if staggered else 0), 2)
        for n in range(sends)
    )
    settings = SenderSettings(all_sites=999, per_site=999, retries=2, retry_delay_min=1)
    return SenderEngine(cen, (lab,), settings, sends=planned, **kw)  # type: ignore[arg-type]
