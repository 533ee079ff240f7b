"""Rules that warn about settings before they bite. One place, used by the sheet, the CLI and the views.

The Q278357 rule: on a sending site older than SMS 2.0 SP4, a sending thread does not refresh its
heartbeat while it sleeps before a retry. If *Delay before retrying* is longer than the heartbeat
time-out (5 minutes), the first network error during a send ends that send for good. Exactly the
time-out is still safe: the thread wakes as the heartbeat turns 5 minutes old, not after.

The version that matters is the one of the site whose sender runs. Every site with an address to another
site sends or forwards packages with its own sender, so an SP3 child with a 6-minute delay strands packages
routed through it even when the central site runs SP4 (``q278357_forwarders``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sites import SiteDatabase
from console.model.versions import SiteVersion


class Severity(enum.Enum):
    INFORMATION = "information"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Advisory:
    kb: str
    severity: Severity
    field: str
    title: str
    text: str
    fix_value: int | None = None
    """A value for ``field`` that clears the advisory (offered as a one-click fix)."""

    def to_json(self) -> dict[str, str]:
        return {"kb": self.kb, "severity": self.severity.value, "text": f"{self.title} {self.text}"}

    @property
    def one_line(self) -> str:
        return f"{self.kb}: {self.title} {self.text}"


def q278357_applies(
    version: SiteVersion, retry_delay_min: int, heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN
) -> bool:
    """True when a network error during a send would end it for good (see module docstring)."""
    return not version.fixes_q278357 and retry_delay_min > heartbeat_timeout_min


def q278357_advisory(
    version: SiteVersion, retry_delay_min: int, heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN
) -> Advisory | None:
    if not q278357_applies(version, retry_delay_min, heartbeat_timeout_min):
        return None
    minutes = "minute" if heartbeat_timeout_min == 1 else "minutes"
    return Advisory(
        kb="Q278357",
        severity=Severity.WARNING,
        field="retry_delay_min",
        title=f"A {retry_delay_min}-minute retry delay outlasts the sender heartbeat on SMS {version.label}.",
        text=(
            f"This site's sender does not refresh its heartbeat while it waits to retry. At the next network "
            f"error during a send, the heartbeat lapses after {heartbeat_timeout_min} {minutes}: the thread "
            f"gives up instead of retrying, leaves the package file open on the destination, and the package "
            f"is not sent; later attempts fail with a sharing violation (Win32 error 32). Keep the delay at "
            f"{heartbeat_timeout_min} {minutes} or less, or upgrade the site to SMS 2.0 SP4."
        ),
        fix_value=heartbeat_timeout_min,
    )


def advise(
    settings: SenderSettings, version: SiteVersion, heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN
) -> list[Advisory]:
    """All advisories for these settings on a sending site of this version, most severe first."""
    found = [a for a in (q278357_advisory(version, settings.retry_delay_min, heartbeat_timeout_min),) if a]
    return found


def forwarding_destinations(db: SiteDatabase, code: str) -> list[str]:
    """The sites ``code`` has an address to: where its own sender sends or forwards packages."""
    return sorted({a.dest for a in db.addresses_from(code)})


def forwarding_note(db: SiteDatabase, code: str) -> str:
    """Why the rule matters at this site even when the central site is fixed: its own sender forwards."""
    dests = forwarding_destinations(db, code)
    if not dests:
        return f"{code} has no address yet, so its sender sends nothing until one is added."
    return (
        f"{code} sends and forwards packages to {', '.join(dests)} with its own sender, so a package routed "
        f"through {code} is at risk even when the central site runs SP4."
    )


def q278357_forwarders(db: SiteDatabase, heartbeat_timeout_min: int = HEARTBEAT_TIMEOUT_MIN) -> dict[str, Advisory]:
    """Every site that can forward a package (it has an address to another site) whose own Standard Sender
    trips the Q278357 rule on that site's version, by site code in database order."""
    found: dict[str, Advisory] = {}
    for site in db:
        if not forwarding_destinations(db, site.code):
            continue
        advisory = q278357_advisory(site.version, site.standard_sender.settings.retry_delay_min, heartbeat_timeout_min)
        if advisory is not None:
            found[site.code] = advisory
    return found
