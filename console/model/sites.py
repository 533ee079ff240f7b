"""Sites of an SMS 2.0 hierarchy, their senders, and the site database that holds them.

Validation follows the SMS 2.0 console where it is documented: a site code is three letters or
digits; a server name is at most 15 characters and free of the characters the address dialog
rejects (research/sms-sender.md §1.5). A child's parent must exist and the hierarchy has no cycles.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.versions import SiteVersion

_CODE = re.compile(r"^[A-Z0-9]{3}$")
_SERVER_FORBIDDEN = set('"/\\[];:|=+*?,<>')


def check_site_code(code: str) -> str:
    """Return the upper-cased code, or raise ValueError saying what a code must look like."""
    cleaned = str(code).strip().upper()
    if not _CODE.match(cleaned):
        raise ValueError(f"site code {code!r} must be exactly three letters or digits (e.g. PRI)")
    return cleaned


class ServerNameError(ValueError):
    """A server name Windows (and so the site and address dialogs) would refuse; ``str()`` states the rule."""


def check_server_name(server: str) -> str:
    """Upper-cased, leading backslashes dropped; 1-15 characters, none of " / \\ [ ] : ; | = + * ? , < >.

    The set is the one the address dialog's help lists (research §1.5); a name of spaces only is empty.
    """
    cleaned = str(server).strip().lstrip("\\").strip()
    if not cleaned:
        raise ServerNameError("server name must not be empty")
    if len(cleaned) > 15:
        raise ServerNameError(f"server name {cleaned!r} is longer than 15 characters")
    bad = sorted(set(cleaned) & _SERVER_FORBIDDEN)
    if bad:
        raise ServerNameError(f"server name {cleaned!r} contains {''.join(bad)!r}, which Windows names cannot hold")
    return cleaned.upper()


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


class SiteDatabase:
    """The sites of one hierarchy, in insertion order, keyed by code."""

    def __init__(self, sites: list[Site] | tuple[Site, ...] = ()) -> None:
        self._sites: dict[str, Site] = {}
        for site in sites:
            if site.code in self._sites:
                raise ValueError(f"site code {site.code} appears twice")
            self._sites[site.code] = site
        self.check()

    def check(self) -> None:
        """Raise ValueError if a parent is missing or the parents form a cycle."""
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

    def put(self, site: Site, *, replacing: str | None = None) -> SiteDatabase:
        """A new database with ``site`` added, or replacing the site whose code was ``replacing``.

        Renaming a code carries its children along. Raises ValueError if the result is invalid.
        """
        sites: list[Site] = []
        placed = False
        for existing in self:
            if replacing is not None and existing.code == replacing.upper():
                sites.append(site)
                placed = True
            elif existing.code == site.code:
                raise ValueError(f"site code {site.code} is already in use")
            else:
                if replacing is not None and existing.parent == replacing.upper():
                    existing = existing.replace(parent=site.code)
                sites.append(existing)
        if replacing is not None and not placed:
            raise KeyError(f"no site {replacing!r} in the site database")
        if not placed:
            sites.append(site)
        return SiteDatabase(sites)

    def remove(self, code: str) -> SiteDatabase:
        """A new database without this site; refused while other sites report to it."""
        site = self.get(code)
        kids = self.children(site.code)
        if kids:
            raise ValueError(
                f"site {site.code} still has child sites ({', '.join(k.code for k in kids)}); "
                f"remove or re-parent them first"
            )
        return SiteDatabase([s for s in self if s.code != site.code])
