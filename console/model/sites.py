"""Sites of an SMS 2.0 hierarchy, their senders, and the site database that holds them.

Validation follows the SMS 2.0 console where it is documented: a site code is three letters or
digits; a server name is at most 15 characters and free of the characters the address dialog
rejects (research/sms-sender.md §1.5). A child's parent must exist and the hierarchy has no cycles.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from console.model.addresses import Address, AddressError, check_unique_priorities
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_names import ServerNameError, check_server_name, check_site_code
from console.model.versions import SiteVersion

__all__ = [
    "Sender",
    "ServerNameError",
    "Site",
    "SiteDatabase",
    "check_server_name",
    "check_site_code",
]


@dataclass(frozen=True)
class Sender:
    """A sender installed at a site. Only the Standard Sender and the RAS senders have settings that matter."""

    type: SenderType
    server: str
    settings: SenderSettings = field(default_factory=SenderSettings)

    @property
    def name(self) -> str:
        return self.type.display_name


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    server: str
    version: SiteVersion
    parent: str | None = None
    senders: tuple[Sender, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", check_site_code(self.code))
        object.__setattr__(self, "server", check_server_name(self.server))
        if self.parent is not None:
            object.__setattr__(self, "parent", check_site_code(self.parent))
            if self.parent == self.code:
                raise ValueError(f"site {self.code} cannot be its own parent")
        if not self.name.strip():
            object.__setattr__(self, "name", self.code)
        kinds = [s.type for s in self.senders]
        if len(kinds) != len(set(kinds)):
            raise ValueError(f"site {self.code} lists a sender type twice; a site has one sender of each type")

    @property
    def title(self) -> str:
        """ "PRI - Primary Site", the way the console names a site."""
        return f"{self.code} - {self.name}"

    def sender(self, kind: SenderType = SenderType.STANDARD) -> Sender | None:
        return next((s for s in self.senders if s.type is kind), None)

    @property
    def standard_sender(self) -> Sender:
        found = self.sender(SenderType.STANDARD)
        return found if found is not None else Sender(SenderType.STANDARD, self.server)

    def with_sender_settings(self, kind: SenderType, settings: SenderSettings) -> Site:
        """A copy with that sender's settings replaced (the sender is added if the site lacks it)."""
        if kind.is_ras and settings.per_site != 1:
            settings = settings.replace(per_site=1)
        senders = list(self.senders)
        for i, s in enumerate(senders):
            if s.type is kind:
                senders[i] = replace(s, settings=settings)
                break
        else:
            senders.append(Sender(kind, self.server, settings))
        return replace(self, senders=tuple(senders))

    def replace(self, **changes: object) -> Site:
        return replace(self, **changes)


AddressKey = tuple[str, str, int]
"""(from site, destination, relative priority): what names one address; unique in a database."""


def address_key(a: Address) -> AddressKey:
    return (a.from_site, a.dest, a.priority)


class SiteDatabase:
    """The sites of one hierarchy, in insertion order, keyed by code, and the addresses between them.

    Addresses are kept sorted by (from, destination, priority), so two databases with the same addresses
    write the same file whatever order the changes came in.
    """

    def __init__(self, sites: list[Site] | tuple[Site, ...] = (), addresses: Iterable[Address] = ()) -> None:
        self._sites: dict[str, Site] = {}
        for site in sites:
            if site.code in self._sites:
                raise ValueError(f"site code {site.code} appears twice")
            self._sites[site.code] = site
        self._addresses: tuple[Address, ...] = tuple(sorted(addresses, key=address_key))
        self.check()

    def check(self) -> None:
        """Raise ValueError if a parent is missing, the parents form a cycle, an address names a site that is
        not here, or two addresses share (from, destination, priority)."""
        for site in self._sites.values():
            if site.parent is not None and site.parent not in self._sites:
                raise ValueError(f"site {site.code} names parent {site.parent}, which is not in the site database")
        for site in self._sites.values():
            seen = {site.code}
            parent = site.parent
            while parent is not None:
                if parent in seen:
                    raise ValueError(f"sites {', '.join(sorted(seen))} form a cycle of parents")
                seen.add(parent)
                parent = self._sites[parent].parent
        for a in self._addresses:
            for end in (a.from_site, a.dest):
                if end not in self._sites:
                    raise AddressError(f"address {a.title} names site {end}, which is not in the site database")
        check_unique_priorities(self._addresses)

    def __iter__(self) -> Iterator[Site]:
        return iter(self._sites.values())

    def __len__(self) -> int:
        return len(self._sites)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and code.upper() in self._sites

    def get(self, code: str) -> Site:
        """The site with this code (case-insensitive), or KeyError with a message listing the known codes."""
        site = self._sites.get(str(code).strip().upper())
        if site is None:
            known = ", ".join(self._sites) or "none"
            raise KeyError(f"no site {code!r} in the site database (known: {known})")
        return site

    def site_with_sender(self, code: str, kind: SenderType = SenderType.STANDARD) -> Site:
        """The site whose ``kind`` sheet a window is asked for; KeyError with a message the user can read.

        The Standard Sender's sheet is refused only for an unknown site; any other
        sender type must exist at the site.
        """
        site = self.get(code)
        if site.sender(kind) is None and kind is not SenderType.STANDARD:
            raise KeyError(f"site {site.code} has no {kind.display_name}")
        return site

    @property
    def codes(self) -> list[str]:
        return list(self._sites)

    def roots(self) -> list[Site]:
        return [s for s in self if s.parent is None]

    def children(self, code: str) -> list[Site]:
        return [s for s in self if s.parent == code]

    # -- addresses ------------------------------------------------------------------------------

    @property
    def addresses(self) -> tuple[Address, ...]:
        return self._addresses

    def addresses_from(self, code: str) -> list[Address]:
        """The addresses of ``code``'s sender, by destination and then priority (the order they are tried)."""
        code = str(code).strip().upper()
        return [a for a in self._addresses if a.from_site == code]

    def address(self, from_site: str, dest: str, priority: int | None = None) -> Address:
        """One address; without ``priority`` the first one tried (priority order). KeyError says what is there."""
        f, d = str(from_site).strip().upper(), str(dest).strip().upper()
        found = [a for a in self._addresses if a.from_site == f and a.dest == d]
        match = [a for a in found if priority is None or a.priority == priority]
        if match:
            return match[0]
        have = ", ".join(str(a.priority) for a in found)
        if have:
            raise KeyError(f"site {f} has no address to {d} with relative priority {priority} (it has {have})")
        raise KeyError(f"site {f} has no address to {d}")

    def next_free_priority(self, from_site: str, dest: str) -> int:
        """The lowest relative priority not yet used from ``from_site`` to ``dest`` (1 for a first address)."""
        used = {a.priority for a in self._addresses if a.from_site == from_site.upper() and a.dest == dest.upper()}
        return next(p for p in range(1, len(used) + 2) if p not in used)

    def with_address(self, address: Address, *, replacing: AddressKey | None = None) -> SiteDatabase:
        """A new database with ``address`` added, or replacing the address named by ``replacing``.

        Raises KeyError when ``replacing`` names no address, AddressError when the result breaks a rule
        (an unknown site, a priority already used to that destination).
        """
        kept = list(self._addresses)
        if replacing is not None:
            key = (replacing[0].upper(), replacing[1].upper(), replacing[2])
            if not any(address_key(a) == key for a in kept):
                raise KeyError(f"no address {key[0]} → {key[1]} ({key[2]}) in the site database")
            kept = [a for a in kept if address_key(a) != key]
        if any(address_key(a) == address_key(address) for a in kept):
            raise AddressError(
                f"relative priority {address.priority} is already used by another address from "
                f"{address.from_site} to {address.dest}; each priority is used once per destination"
            )
        return SiteDatabase(list(self), [*kept, address])

    def without_address(self, from_site: str, dest: str, priority: int) -> SiteDatabase:
        """A new database without that address; KeyError when there is none."""
        gone = self.address(from_site, dest, priority)
        return SiteDatabase(list(self), [a for a in self._addresses if a is not gone])

    # -- sites ----------------------------------------------------------------------------------

    def put(self, site: Site, *, replacing: str | None = None) -> SiteDatabase:
        """A new database with ``site`` added, or replacing the site whose code was ``replacing``.

        Renaming a code carries its children and its addresses (both ways) along. Raises ValueError if the
        result is invalid.
        """
        sites: list[Site] = []
        placed = False
        old = replacing.upper() if replacing is not None else None
        for existing in self:
            if old is not None and existing.code == old:
                sites.append(site)
                placed = True
            elif existing.code == site.code:
                raise ValueError(f"site code {site.code} is already in use")
            else:
                if old is not None and existing.parent == old:
                    existing = existing.replace(parent=site.code)
                sites.append(existing)
        if replacing is not None and not placed:
            raise KeyError(f"no site {replacing!r} in the site database")
        if not placed:
            sites.append(site)
        addresses = self._addresses
        if old is not None and old != site.code:
            addresses = tuple(_renamed(a, old, site.code) for a in addresses)
        return SiteDatabase(sites, addresses)

    def remove(self, code: str) -> SiteDatabase:
        """A new database without this site and its addresses (to it and from it); refused while other sites
        report to it."""
        site = self.get(code)
        kids = self.children(site.code)
        if kids:
            raise ValueError(
                f"site {site.code} still has child sites ({', '.join(k.code for k in kids)}); "
                f"remove or re-parent them first"
            )
        return SiteDatabase(
            [s for s in self if s.code != site.code],
            [a for a in self._addresses if site.code not in (a.from_site, a.dest)],
        )


def _renamed(a: Address, old: str, new: str) -> Address:
    if old not in (a.from_site, a.dest):
        return a
    return replace(a, from_site=new if a.from_site == old else a.from_site, dest=new if a.dest == old else a.dest)
