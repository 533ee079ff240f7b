"""The demo hierarchy seeded on first start: a central site and children on different SMS 2.0 versions.

It is chosen to show Q278357 at a glance: one child site runs SP3 with a 6-minute retry delay
(the advisory shows on its sheet), one runs SP4 with the same delay (no advisory), and one runs
RTM with the defaults.
"""

from __future__ import annotations

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


def demo_database() -> SiteDatabase:
    return SiteDatabase(
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
