"""Standard Sender addresses (research/sms-sender.md §8): which site may send to which, when, and how fast.

An address belongs to a sending site and a destination site; several addresses to one destination are
tried in order of their relative priority (1 first, each number used once). Each has a weekly schedule of
which data priorities may pass, an hourly rate limit, and a flag that keeps it from substituting for an
inoperative address. This module is the one place those rules live; the schedule and rate-limit grids and
the rate-limit time share are in ``schedules`` and ``rate_share`` and are re-exported here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console.model.rate_share import (
    is_sending_at,
    next_sending_at,
    sending_done_at,
    sending_done_us,
    sending_seconds_between,
    sending_us_between,
)
from console.model.schedules import (
    DAYS,
    AddressError,
    Availability,
    RateLimit,
    WeeklySchedule,
    check_percent,
    day_index,
    parse_days,
    parse_hours,
)
from console.model.sender_types import SenderType
from console.model.site_names import ServerNameError, check_server_name, check_site_code

if TYPE_CHECKING:
    from console.model.sites import SiteDatabase

__all__ = [
    "DAYS",
    "MAX_ADDRESS_PRIORITY",
    "Address",
    "AddressError",
    "AddressJsonError",
    "Availability",
    "RateLimit",
    "ServerNameError",
    "WeeklySchedule",
    "address_from_json",
    "address_to_json",
    "addresses_to",
    "check_address_priority",
    "check_percent",
    "check_server_name",
    "check_unique_priorities",
    "day_index",
    "default_addresses",
    "is_sending_at",
    "next_sending_at",
    "parse_days",
    "parse_hours",
    "sending_done_at",
    "sending_done_us",
    "sending_seconds_between",
    "sending_us_between",
]

MAX_ADDRESS_PRIORITY = 99
"""Highest relative address priority. The SMS 2.0 help gives no limit; 99 matches the sheet's other spin boxes
and is far more addresses than one destination ever had."""


class AddressJsonError(AddressError):
    """A stored address that cannot be read; ``key`` names the offending key."""

    def __init__(self, key: str, rule: str) -> None:
        self.key = key
        self.rule = rule
        super().__init__(f"address {key}: {rule}")


def check_address_priority(value: Any) -> int:
    """A relative address priority: a whole number from 1 (tried first) to MAX_ADDRESS_PRIORITY."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_ADDRESS_PRIORITY:
        raise AddressError(
            f"a relative address priority is a whole number from 1 to {MAX_ADDRESS_PRIORITY}; got {value!r}"
        )
    return value


@dataclass(frozen=True)
class Address:
    """One address of ``from_site``'s sender to ``dest``. Construction validates and normalises."""

    from_site: str
    dest: str
    priority: int
    server: str
    substitute: bool = True
    """False = "Unavailable to substitute for inoperative addresses"."""
    schedule: WeeklySchedule = field(default_factory=WeeklySchedule)
    rate_limit: RateLimit = field(default_factory=RateLimit)
    sender_type: SenderType = SenderType.STANDARD

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "from_site", check_site_code(self.from_site))
            object.__setattr__(self, "dest", check_site_code(self.dest))
            object.__setattr__(self, "server", check_server_name(self.server))
        except AddressError:
            raise
        except ValueError as exc:
            raise AddressError(str(exc)) from None
        if self.from_site == self.dest:
            raise AddressError(f"an address goes to another site; {self.from_site} cannot address itself")
        check_address_priority(self.priority)
        if not isinstance(self.substitute, bool):
            raise AddressError(f"substitute must be true or false; got {self.substitute!r}")
        if not isinstance(self.schedule, WeeklySchedule) or not isinstance(self.rate_limit, RateLimit):
            raise AddressError("an address needs a WeeklySchedule and a RateLimit")
        if self.sender_type is not SenderType.STANDARD:
            raise AddressError(f"only Standard Sender addresses are modelled; got {self.sender_type.display_name}")

    @property
    def title(self) -> str:
        """``PRI → CHI (1)``: enough to tell addresses apart in a message."""
        return f"{self.from_site} → {self.dest} ({self.priority})"


def check_unique_priorities(addresses: Iterable[Address]) -> None:
    """Raise AddressError if two addresses of one sender type share (from, dest, priority)."""
    seen: set[tuple[str, str, int, SenderType]] = set()
    for a in addresses:
        key = (a.from_site, a.dest, a.priority, a.sender_type)
        if key in seen:
            raise AddressError(
                f"two addresses from {a.from_site} to {a.dest} have relative priority {a.priority}; "
                f"each priority is used once per destination"
            )
        seen.add(key)


def addresses_to(addresses: Iterable[Address], from_site: str, dest: str) -> list[Address]:
    """The addresses of ``from_site`` to ``dest`` in the order the sender tries them (priority 1 first)."""
    return sorted((a for a in addresses if a.from_site == from_site and a.dest == dest), key=lambda a: a.priority)


def default_addresses(db: SiteDatabase) -> list[Address]:
    """What SMS 2.0 setup leaves a hierarchy with: each parent and child address each other both ways,
    priority 1, to the other site's server, open 7 × 24, unlimited."""
    result: list[Address] = []
    for site in db:
        if site.parent is None:
            continue
        parent = db.get(site.parent)
        result.append(Address(parent.code, site.code, 1, site.server))
        result.append(Address(site.code, parent.code, 1, parent.server))
    return result


_JSON_KEYS = ("from", "dest", "priority", "server", "substitute", "sender_type", "schedule", "rate_limit")


def address_to_json(a: Address) -> dict[str, Any]:
    """The site database's compact form: the schedule as 7 strings of 24 digits, the rate limit null or 7 lists."""
    return {
        "from": a.from_site,
        "dest": a.dest,
        "priority": a.priority,
        "server": a.server,
        "substitute": a.substitute,
        "sender_type": a.sender_type.component,
        "schedule": a.schedule.to_json(),
        "rate_limit": a.rate_limit.to_json(),
    }


def address_from_json(d: Any) -> Address:
    """Read ``address_to_json``'s form; AddressJsonError names the key. ``substitute``, ``sender_type``,
    ``schedule`` and ``rate_limit`` may be left out (defaults: true, Standard Sender, open, unlimited)."""
    if not isinstance(d, dict):
        raise AddressJsonError("", f"must be a JSON object; got {type(d).__name__}")
    unknown = sorted(set(d) - set(_JSON_KEYS))
    if unknown:
        raise AddressJsonError(unknown[0], f"unknown key; expected {', '.join(_JSON_KEYS)}")
    for key in ("from", "dest", "priority", "server"):
        if key not in d:
            raise AddressJsonError(key, "is required")
    values: dict[str, Any] = {}
    for key, attr, read in (
        ("from", "from_site", _code),
        ("dest", "dest", _code),
        ("priority", "priority", check_address_priority),
        ("server", "server", _server),
        ("substitute", "substitute", _bool),
        ("sender_type", "sender_type", _sender_type),
        ("schedule", "schedule", WeeklySchedule.from_json),
        ("rate_limit", "rate_limit", RateLimit.from_json),
    ):
        if key in d:
            try:
                values[attr] = read(d[key])
            except ValueError as exc:
                raise AddressJsonError(key, str(exc)) from None
    if values["from_site"] == values["dest"]:
        raise AddressJsonError("dest", f"is the address's own site {values['dest']}; an address goes to another site")
    if values.get("sender_type", SenderType.STANDARD) is not SenderType.STANDARD:
        raise AddressJsonError("sender_type", "only Standard Sender addresses are modelled so far")
    return Address(**values)


def _code(value: Any) -> str:
    if not isinstance(value, str):
        raise AddressError(f"must be a site code string; got {value!r}")
    return check_site_code(value)


def _server(value: Any) -> str:
    if not isinstance(value, str):
        raise AddressError(f"must be a server name string; got {value!r}")
    return check_server_name(value)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise AddressError(f"must be true or false; got {value!r}")
    return value


def _sender_type(value: Any) -> SenderType:
    if not isinstance(value, str):
        raise AddressError(f"must be a sender type such as SMS_LAN_SENDER; got {value!r}")
    return SenderType.parse(value)
