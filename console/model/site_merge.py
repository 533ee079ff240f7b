"""Three-way merge of site databases, so that a save never overwrites a change it has not seen.

A save knows three databases: ``base`` (what this store last read or wrote), ``mine`` (what it wants to
write) and ``theirs`` (what is on disk now, written meanwhile by another window or process). They are
compared in *units*: a site's own fields (name, server, version, parent) are one unit, each of its
senders is another, and so is each address, named by (from site, destination, relative priority) (an
address whose priority changes is one removed and one added). For each unit:

- changed only here (theirs equals base): mine is taken;
- changed only there (mine equals base): theirs is kept;
- changed on both sides to the same value: that value;
- changed on both sides differently: a :class:`Conflict`. Removing a site counts as changing each of its
  units, so a site removed here and edited there (or the reverse) conflicts too.

If any unit conflicts, :class:`SaveConflict` is raised and nothing is written; it carries what conflicts
and the databases the UI needs to let the user choose (see ``SiteSession.keep_mine`` and
``SiteSession.reload``). A merge whose result breaks a rule of the database (a site added there under a
parent removed here) is a conflict as well, and so is an address changed on one side whose site was removed
on the other (reported as a conflict of that site).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.model.addresses import Address
from console.model.sender_types import SenderType
from console.model.sites import AddressKey, Sender, Site, SiteDatabase, address_key

_SITE_FIELDS = ("code", "name", "server", "version", "parent")

UnitKey = tuple[str, SenderType | None] | tuple[str, str, int]
"""(site code, sender type), (site code, None) for the site's own fields, or an address's ``AddressKey``."""


def _is_address(key: UnitKey) -> bool:
    return len(key) == 3


def _units(db: SiteDatabase) -> dict[UnitKey, Any]:
    units: dict[UnitKey, Any] = {}
    for site in db:
        units[(site.code, None)] = tuple(getattr(site, f) for f in _SITE_FIELDS)
        for sender in site.senders:
            units[(site.code, sender.type)] = sender
    for a in db.addresses:
        units[address_key(a)] = a
    return units


@dataclass(frozen=True)
class Conflict:
    """One unit changed on both sides: ``sender_type`` None means the site's own fields, ``address`` set means
    that address of site ``code``.

    ``base``/``mine``/``theirs`` are the unit's values (a ``Site`` for site fields, a ``Sender`` for a sender,
    an ``Address`` for an address, None where it does not exist on that side).
    """

    code: str
    sender_type: SenderType | None
    base: Site | Sender | Address | None
    mine: Site | Sender | Address | None
    theirs: Site | Sender | Address | None
    address: AddressKey | None = None

    @property
    def what(self) -> str:
        if self.address is not None:
            f, d, p = self.address
            return f"the address of {f} to {d} (relative priority {p})"
        if self.sender_type is None:
            return f"site {self.code}"
        return f"the {self.sender_type.display_name} of {self.code}"

    def describe(self) -> str:
        def state(value: object) -> str:
            if value is None:
                return "removed"
            return "added" if self.base is None else "changed"

        return f"{self.what} was {state(self.mine)} here and {state(self.theirs)} elsewhere"


class SaveConflict(ValueError):
    """A save found the same site or sender changed on disk since it was read; nothing was written.

    A ``ValueError`` so that a caller that only knows refusals still shows its message; callers that can
    ask the user catch it first. ``conflicts`` lists the units; ``theirs`` is the database on disk now;
    ``mine`` is the database the save wanted; ``keep_mine`` is the merge with every conflict resolved in
    favour of this side (what ``SiteSession.keep_mine`` writes); ``disk_stamp`` identifies the file version
    ``theirs`` was read from (so that keeping mine still merges with any later change).
    """

    def __init__(
        self,
        conflicts: tuple[Conflict, ...],
        *,
        theirs: SiteDatabase,
        mine: SiteDatabase,
        keep_mine: SiteDatabase | None,
        disk_stamp: bytes | None,
        reason: str = "",
    ) -> None:
        self.conflicts = conflicts
        self.theirs = theirs
        self.mine = mine
        self.keep_mine = keep_mine
        self.disk_stamp = disk_stamp
        parts = [c.describe() for c in conflicts]
        if reason:
            parts.append(reason)
        super().__init__(
            "the site database was changed elsewhere since it was read: " + "; ".join(parts) + "; nothing was saved"
        )


def _build(units: dict[UnitKey, Any], order: list[str]) -> SiteDatabase:
    """A database from merged units; sites in ``order``, each site's senders in the units' order."""
    sites = []
    for code in order:
        fields = units.get((code, None))
        if fields is None:
            continue
        senders = tuple(v for k, v in units.items() if not _is_address(k) and k[0] == code and k[1] is not None)
        values = dict(zip(_SITE_FIELDS, fields, strict=True))
        sites.append(Site(senders=senders, **values))
    return SiteDatabase(sites, [v for k, v in units.items() if _is_address(k)])


def _value(key: UnitKey, db: SiteDatabase) -> Site | Sender | Address | None:
    if _is_address(key):
        return next((a for a in db.addresses if address_key(a) == key), None)
    code, kind = key[0], key[1]
    if code not in db:
        return None
    site = db.get(code)
    return site if kind is None else site.sender(kind)  # type: ignore[arg-type]


def _conflict(key: UnitKey, base: SiteDatabase, mine: SiteDatabase, theirs: SiteDatabase) -> Conflict:
    values = (_value(key, base), _value(key, mine), _value(key, theirs))
    if _is_address(key):
        return Conflict(str(key[0]), None, *values, address=key)  # type: ignore[arg-type]
    return Conflict(str(key[0]), key[1], *values)  # type: ignore[arg-type]


def merge_databases(base: SiteDatabase, mine: SiteDatabase, theirs: SiteDatabase) -> SiteDatabase:
    """``theirs`` with this side's changes since ``base`` re-applied on top; SaveConflict when both changed a unit."""
    b, m, t = _units(base), _units(mine), _units(theirs)
    merged: dict[UnitKey, Any] = {}
    resolved_mine: dict[UnitKey, Any] = {}
    conflicts: list[Conflict] = []
    keys = list(dict.fromkeys([*t, *m, *b]))
    for key in keys:
        bv, mv, tv = b.get(key), m.get(key), t.get(key)
        if mv == bv:
            value, mine_value = tv, tv
        elif tv == bv or mv == tv:
            value, mine_value = mv, mv
        else:
            conflicts.append(_conflict(key, base, mine, theirs))
            value, mine_value = None, mv
        if value is not None:
            merged[key] = value
        if mine_value is not None:
            resolved_mine[key] = mine_value
    # A sender or address changed on one side of a site removed on the other would be dropped without a word:
    # a conflict, reported as one of the site: "removed here and changed elsewhere" (or the reverse).
    orphans: dict[str, None] = {}
    for key in merged:
        if _is_address(key):
            orphans.update((str(end), None) for end in key[:2] if (end, None) not in merged)
        elif key[1] is not None and (key[0], None) not in merged:
            orphans[str(key[0])] = None
    for code in orphans:
        site_key: UnitKey = (code, None)
        if not any(c.code == code and c.sender_type is None and c.address is None for c in conflicts):
            conflicts.append(_conflict(site_key, base, mine, theirs))
    order = list(dict.fromkeys([*theirs.codes, *mine.codes]))
    keep_mine: SiteDatabase | None
    try:
        keep_mine = _build(resolved_mine, order)
    except ValueError:
        keep_mine = None
    if conflicts:
        raise SaveConflict(tuple(conflicts), theirs=theirs, mine=mine, keep_mine=keep_mine, disk_stamp=None)
    try:
        return _build(merged, order)
    except ValueError as exc:
        reason = f"together they would leave {exc}"
        raise SaveConflict((), theirs=theirs, mine=mine, keep_mine=keep_mine, disk_stamp=None, reason=reason) from None
