"""A site store that keeps its database in memory, and the site database of a running scenario.

Why: the properties sheet changes sites only through a ``SiteSession`` (validation, one change path,
listeners), and a session saves through a store. A scenario's sites are its own (DESIGN.md §4: the file
is the whole world of the simulation), so a sheet over them must get the session's behaviour without ever
writing the user's ``sites.json``. ``MemoryStore`` has ``SiteStore``'s ``load``/``save`` and keeps the
database it was given; it never touches a file.
"""

from __future__ import annotations

from console.model.scenario import Scenario
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_store import LoadResult
from console.model.sites import SiteDatabase
from console.model.versions import SiteVersion


class MemoryStore:
    """``SiteStore``'s interface over a database held in memory; ``saves`` counts the saves (for tests)."""

    path = None
    """No file: a sheet's save-failure message (which names ``exc.filename``) can never apply here."""

    def __init__(self, database: SiteDatabase) -> None:
        self._db = database
        self.saves = 0

    @property
    def database(self) -> SiteDatabase:
        return self._db

    def load(self) -> LoadResult:
        return LoadResult(self._db)

    def save(self, db: SiteDatabase, *, over: object = None) -> SiteDatabase:
        """Keep ``db``; nothing else writes here, so there is never a conflict (``over`` is for the protocol)."""
        self._db = db
        self.saves += 1
        return db


def scenario_database(
    scenario: Scenario, *, settings: SenderSettings | None = None, version: SiteVersion | None = None
) -> SiteDatabase:
    """The scenario's sites as a database, its sending site carrying a Standard Sender with ``settings``.

    ``settings`` and ``version`` default to the file's; the live console passes what the running engine
    uses now (an earlier Apply, a version change), so the sheet opens on what actually runs.
    """
    sites = []
    for spec in scenario.sites:
        site = spec.site
        if site.code == scenario.sending_site:
            if version is not None:
                site = site.replace(version=version)
            site = site.with_sender_settings(SenderType.STANDARD, settings or scenario.settings)
        sites.append(site)
    return SiteDatabase(sites)


__all__ = ["MemoryStore", "scenario_database"]
