"""The open site database of a running app: the one place that changes it, saves it and tells others.

The sheet, the console window's site dialogs and the ``sender`` command all change sites through
this object, so every change is validated by the model, written atomically, and announced to
listeners (the console window forwards applied sender settings to the live engine). Listeners are
plain callables, so the model stays Qt-free; the UI wraps them in signals where it needs to.

The store is anything with ``SiteStore``'s ``load``/``save`` (``Store``): the live console opens the sheet of
a scenario's sender over a ``console.model.memory_store.MemoryStore``, which never writes a file.

Other windows and processes may change ``sites.json`` meanwhile (``SiteStore`` merges, see
``console.model.site_merge``). For the UI:

- every change method (``update_sender_settings``, ``add_site``, ``edit_site``, ``remove_site``, ``add_address``,
  ``edit_address``, ``remove_address``) raises
  ``SaveConflict`` when the same site or sender was changed elsewhere since this session read it; nothing
  is written and the session's database is unchanged. The exception lists ``conflicts`` and carries
  ``theirs`` (the file now) and ``keep_mine`` (the merge resolved in favour of this change).
- ``keep_mine(conflict)`` writes this side's version over the conflicting units (and keeps every other
  change made elsewhere); it may raise a new ``SaveConflict`` if the file changed yet again.
- ``reload()`` re-reads the file (dropping nothing that was saved; an unsaved edit lives in the dialog, not
  here) and returns the changes it found, as ``SiteChange`` values, after announcing them to listeners;
  an empty list means nothing changed. "Use theirs" after a conflict is ``reload()``.
- A save that merged in changes made elsewhere announces them too, after the change itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from console.model.addresses import Address
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_merge import SaveConflict
from console.model.site_store import LoadResult, SiteStore
from console.model.sites import AddressKey, Site, SiteDatabase, address_key

__all__ = ["SaveConflict", "SiteChange", "SiteSession", "Store", "changes_between"]


@dataclass(frozen=True)
class SiteChange:
    """What changed: ``kind`` is "settings", "site-added", "site-edited", "site-removed", "address-added",
    "address-edited" or "address-removed".

    A rename is one "site-edited" with ``old_code``; ``changes_between`` (changes found on disk) never
    reports renames, only removals and additions. For an address, ``code`` is its sending site, ``address``
    its key (from, destination, priority) as it is now, and ``old_address`` its key before an edit (a new
    priority changes the key). Addresses that go with a site added or removed are not reported on their own.
    """

    kind: str
    code: str
    sender_type: SenderType | None = None
    settings: SenderSettings | None = None
    old_code: str | None = None
    address: AddressKey | None = None
    old_address: AddressKey | None = None


Listener = Callable[[SiteChange], None]


class Store(Protocol):
    """What a session saves through: ``SiteStore`` (sites.json) or ``MemoryStore`` (a scenario's sites)."""

    def load(self) -> LoadResult: ...

    def save(self, db: SiteDatabase, *, over: SaveConflict | None = None) -> SiteDatabase | None: ...


def changes_between(old: SiteDatabase, new: SiteDatabase) -> list[SiteChange]:
    """The changes that turn ``old`` into ``new``, as listeners know them (sender settings as "settings")."""
    changes: list[SiteChange] = []
    for site in old:
        if site.code not in new:
            changes.append(SiteChange("site-removed", site.code))
    for site in new:
        if site.code not in old:
            changes.append(SiteChange("site-added", site.code))
            continue
        before = old.get(site.code)
        if before == site:
            continue
        same_fields = before.replace(senders=()) == site.replace(senders=())
        before_kinds = [s.type for s in before.senders]
        if same_fields and before_kinds == [s.type for s in site.senders]:
            for sender, was in zip(site.senders, before.senders, strict=True):
                if sender != was:
                    changes.append(SiteChange("settings", site.code, sender.type, sender.settings))
        else:
            changes.append(SiteChange("site-edited", site.code, old_code=site.code))
    return changes + _address_changes(old, new)


def _address_changes(old: SiteDatabase, new: SiteDatabase) -> list[SiteChange]:
    """Address changes between sites present on both sides (a site's arrival or removal says the rest)."""
    both = set(old.codes) & set(new.codes)
    before = {address_key(a): a for a in old.addresses if {a.from_site, a.dest} <= both}
    after = {address_key(a): a for a in new.addresses if {a.from_site, a.dest} <= both}
    changes = [SiteChange("address-removed", k[0], address=k) for k in before if k not in after]
    for k, a in after.items():
        if k not in before:
            changes.append(SiteChange("address-added", k[0], address=k))
        elif before[k] != a:
            changes.append(SiteChange("address-edited", k[0], address=k, old_address=k))
    return changes


class SiteSession:
    def __init__(self, store: SiteStore | Store, database: SiteDatabase) -> None:
        self.store = store
        self._db = database
        self._listeners: list[Listener] = []
        self.last_load: LoadResult | None = None
        """What ``open`` or the latest ``reload`` read, with any notice for the user (a bad file kept aside)."""

    @classmethod
    def open(cls, store: SiteStore | Store) -> tuple[SiteSession, LoadResult]:
        """Load (or seed) the store; the LoadResult carries any notice for the user."""
        result = store.load()
        session = cls(store, result.database)
        session.last_load = result
        return session, result

    @property
    def database(self) -> SiteDatabase:
        return self._db

    def site(self, code: str) -> Site:
        return self._db.get(code)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after each saved change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _announce(self, changes: list[SiteChange]) -> None:
        for change in changes:
            for listener in list(self._listeners):
                listener(change)

    def _commit(self, db: SiteDatabase, change: SiteChange) -> None:
        # Raises OSError or SaveConflict before anything changes in memory.
        written = self.store.save(db)
        written = db if written is None else written
        self._db = written
        self._announce([change, *changes_between(db, written)])

    def reload(self) -> list[SiteChange]:
        """Re-read the store; announce and return what changed since this session last read or wrote it."""
        loaded = self.store.load()
        self.last_load = loaded
        changes = changes_between(self._db, loaded.database)
        self._db = loaded.database
        self._announce(changes)
        return changes

    def keep_mine(self, conflict: SaveConflict) -> list[SiteChange]:
        """Resolve ``conflict`` by writing this side's values of the conflicting units; other changes made
        elsewhere are kept. Returns (and announces) the changes relative to this session's database."""
        if conflict.keep_mine is None:
            raise ValueError(str(conflict))
        written = self.store.save(conflict.keep_mine, over=conflict)
        written = conflict.keep_mine if written is None else written
        changes = changes_between(self._db, written)
        self._db = written
        self._announce(changes)
        return changes

    def update_sender_settings(self, code: str, kind: SenderType, settings: SenderSettings) -> Site:
        site = self._db.get(code).with_sender_settings(kind, settings)
        stored = site.sender(kind)
        assert stored is not None
        self._commit(self._db.put(site, replacing=site.code), SiteChange("settings", site.code, kind, stored.settings))
        return self._db.get(site.code)  # as written: with any change to the site merged in from elsewhere

    def add_site(self, site: Site) -> None:
        self._commit(self._db.put(site), SiteChange("site-added", site.code))

    def edit_site(self, old_code: str, site: Site) -> None:
        self._commit(self._db.put(site, replacing=old_code), SiteChange("site-edited", site.code, old_code=old_code))

    def add_address(self, address: Address) -> Address:
        """Add an address; AddressError/ValueError when it breaks a rule (its priority is taken, a site unknown)."""
        key = address_key(address)
        self._commit(self._db.with_address(address), SiteChange("address-added", address.from_site, address=key))
        return self._db.address(*key)

    def edit_address(self, old: AddressKey, address: Address) -> Address:
        """Replace the address ``old`` names (its priority may change); KeyError when it is gone."""
        key = address_key(address)
        change = SiteChange("address-edited", address.from_site, address=key, old_address=old)
        self._commit(self._db.with_address(address, replacing=old), change)
        return self._db.address(*key)

    def remove_address(self, key: AddressKey) -> None:
        self._commit(self._db.without_address(*key), SiteChange("address-removed", key[0], address=key))

    def remove_site(self, code: str) -> None:
        site = self._db.get(code)
        if len(self._db) == 1:
            raise ValueError(f"site {site.code} is the only site; a site database needs at least one site")
        self._commit(self._db.remove(site.code), SiteChange("site-removed", site.code))
