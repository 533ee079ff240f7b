"""The open site database of a running app: the one place that changes it, saves it and tells others.

The sheet, the console window's site dialogs and the ``sender`` command all change sites through
this object, so every change is validated by the model, written atomically, and announced to
listeners (the console window forwards applied sender settings to the live engine). Listeners are
plain callables, so the model stays Qt-free; the UI wraps them in signals where it needs to.

The store is anything with ``SiteStore``'s ``load``/``save`` (``Store``): the live console opens the sheet of
a scenario's sender over a ``console.model.memory_store.MemoryStore``, which never writes a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_store import LoadResult, SiteStore
from console.model.sites import Site, SiteDatabase


@dataclass(frozen=True)
class SiteChange:
    """What changed: ``kind`` is "settings", "site-added", "site-edited" or "site-removed"."""

    kind: str
    code: str
    sender_type: SenderType | None = None
    settings: SenderSettings | None = None
    old_code: str | None = None


Listener = Callable[[SiteChange], None]


class Store(Protocol):
    """What a session saves through: ``SiteStore`` (sites.json) or ``MemoryStore`` (a scenario's sites)."""

    def load(self) -> LoadResult: ...

    def save(self, db: SiteDatabase) -> None: ...


class SiteSession:
    def __init__(self, store: SiteStore | Store, database: SiteDatabase) -> None:
        self.store = store
        self._db = database
        self._listeners: list[Listener] = []

    @classmethod
    def open(cls, store: SiteStore | Store) -> tuple[SiteSession, LoadResult]:
        """Load (or seed) the store; the LoadResult carries any notice for the user."""
        result = store.load()
        return cls(store, result.database), result

    @property
    def database(self) -> SiteDatabase:
        return self._db

    def site(self, code: str) -> Site:
        return self._db.get(code)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` after each saved change; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _commit(self, db: SiteDatabase, change: SiteChange) -> None:
        self.store.save(db)  # raises OSError before anything changes in memory
        self._db = db
        for listener in list(self._listeners):
            listener(change)

    def update_sender_settings(self, code: str, kind: SenderType, settings: SenderSettings) -> Site:
        site = self._db.get(code).with_sender_settings(kind, settings)
        stored = site.sender(kind)
        assert stored is not None
        self._commit(self._db.put(site, replacing=site.code), SiteChange("settings", site.code, kind, stored.settings))
        return site

    def add_site(self, site: Site) -> None:
        self._commit(self._db.put(site), SiteChange("site-added", site.code))

    def edit_site(self, old_code: str, site: Site) -> None:
        self._commit(self._db.put(site, replacing=old_code), SiteChange("site-edited", site.code, old_code=old_code))

    def remove_site(self, code: str) -> None:
        site = self._db.get(code)
        if len(self._db) == 1:
            raise ValueError(f"site {site.code} is the only site; a site database needs at least one site")
        self._commit(self._db.remove(site.code), SiteChange("site-removed", site.code))
