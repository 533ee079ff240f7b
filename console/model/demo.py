"""The demo hierarchy seeded on first start: a central site and children on different SMS 2.0 versions.

It is chosen to show Q278357 at a glance: one child site runs SP3 with a 6-minute retry delay
(the advisory shows on its sheet), one runs SP4 with the same delay (no advisory), and one runs
RTM with the defaults.

Addresses: each parent and child address each other both ways (``default_addresses``, what SMS 2.0 would
have), plus two teaching cases an administrator meets in the Address Properties sheet:
- CEN → LAB is closed to low priority during office hours (Mon–Fri 08:00–17:00 "Allow medium and high
  priority"), so a low-priority package waits for the evening;
- NYC → BOS is limited to 50 % of each hour during office hours, 08:00–17:00 every day (SMS 2.0 keeps one
  24-hour rate strip for all days), the throttle of a slow branch link; outside those hours it is unlimited.
"""

from __future__ import annotations

from dataclasses import replace

from console.model.addresses import Address, Availability, default_addresses
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.sites import Sender, Site, SiteDatabase
from console.model.versions import SiteVersion


def _senders(server: str, standard: SenderSettings, *extra: SenderType) -> tuple[Sender, ...]:
    senders = [Sender(SenderType.STANDARD, server, standard)]
    for kind in extra:
        settings = SenderSettings.for_ras() if kind.is_ras else SenderSettings()
        senders.append(Sender(kind, server, settings))
    senders.append(Sender(SenderType.COURIER, server))
    return tuple(senders)


OFFICE_DAYS = "Mon-Fri"
OFFICE_HOURS = "08:00-17:00"


def _teaching_case(a: Address) -> Address:
    """The two addresses of the module docstring; every other address stays as setup leaves it."""
    if (a.from_site, a.dest) == ("CEN", "LAB"):
        return replace(a, schedule=a.schedule.with_hours(OFFICE_DAYS, OFFICE_HOURS, Availability.MEDIUM))
    if (a.from_site, a.dest) == ("NYC", "BOS"):
        return replace(a, rate_limit=a.rate_limit.with_hours("all", OFFICE_HOURS, 50))
    return a


def demo_database() -> SiteDatabase:
    sites = SiteDatabase(
        [
            Site(
                "CEN",
                "Central Site",
                "CENSRV01",
                SiteVersion.SP4,
                None,
                _senders("CENSRV01", SenderSettings(), SenderType.ASYNC_RAS),
            ),
            Site(
                "LAB",
                "Training Lab",
                "LABSRV01",
                SiteVersion.SP3,
                "CEN",
                _senders("LABSRV01", SenderSettings(retry_delay_min=6)),
            ),
            Site(
                "NYC",
                "New York Office",
                "NYCSRV01",
                SiteVersion.SP4,
                "CEN",
                _senders("NYCSRV01", SenderSettings(retry_delay_min=6), SenderType.ISDN_RAS),
            ),
            Site("BOS", "Boston Branch", "BOSSRV01", SiteVersion.RTM, "NYC", _senders("BOSSRV01", SenderSettings())),
        ]
    )
    return SiteDatabase(list(sites), [_teaching_case(a) for a in default_addresses(sites)])
