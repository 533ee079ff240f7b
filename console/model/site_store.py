"""The site database on disk: a human-readable JSON file with a schema version.

Loading never loses data, and loads all it can:
- a file that cannot be read as a whole (not UTF-8 or JSON, another schema version, no site list, nested
  too deeply) is moved aside under a timestamped name and the demo hierarchy is seeded in its place;
- a file with some bad entries (an out-of-range setting, a bad site code, a duplicate code, a wrong type)
  is moved aside too, but every valid site and sender in it is loaded and written back; the notice says
  exactly which entries were left out and why, and ``LoadResult.moved_to`` is the kept file. A site whose
  parent was left out (or whose parents form a cycle) is loaded as a top-level site, and the notice says so.
The bad file is kept, never overwritten or deleted. A bad address (a wrong value, an end site that was not
loaded, a relative priority used twice) is left out alone, like a bad sender, and named in the notice.

Schema versions: 2 added the senders' addresses (``addresses``, a list beside ``sites``). A file of schema 1
is read with the addresses SMS 2.0 setup would have made (``default_addresses``: each parent and child both
ways) and every value it holds kept; before it is written back as schema 2, a copy of it is kept beside it as
``sites.json.schema1-YYYYmmdd-HHMMSS`` and the load notice says so (once: the next load finds schema 2). A file
of a schema newer than this version knows is never overwritten: it is kept aside as an unreadable file is
(``sites.json.bad-…``), and the notice says that a newer Sender Console wrote it.

Saving never overwrites a change it has not seen (``console.model.site_merge``): under the lock of
``console.model.file_lock``, the save compares the file on disk with what this store last read or wrote;
if another process wrote it meanwhile, this save's changes are re-applied on top of the newer file, per
site and per sender, and ``SaveConflict`` is raised (nothing written) when both changed the same one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.model.addresses import Address, address_from_json, address_to_json, default_addresses
from console.model.atomic import atomic_write_text, keep_copy, load_or_move_aside, parse_json_bytes
from console.model.demo import demo_database
from console.model.file_lock import locked
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_merge import Conflict, SaveConflict, merge_databases
from console.model.sites import Sender, Site, SiteDatabase
from console.model.versions import SiteVersion

SCHEMA_VERSION = 2
OLDEST_SCHEMA = 1
"""The oldest schema this version upgrades (1: sites and senders only, before addresses)."""
_SITE_KEYS = {"code", "name", "server", "version", "parent", "senders"}

__all__ = [
    "SCHEMA_VERSION",
    "Conflict",
    "LoadResult",
    "SaveConflict",
    "SiteFileError",
    "SiteStore",
    "database_from_json",
    "database_to_json",
    "read_database",
]


class SiteFileError(ValueError):
    """The file's content is unusable; the message says where and why."""


@dataclass(frozen=True)
class LoadResult:
    database: SiteDatabase
    seeded: bool = False
    """True when the demo hierarchy was written because there was no usable file."""
    notice: str | None = None
    """A message for the user when a bad file was moved aside: which entries were not loaded and why."""
    moved_to: Path | None = None
    """The kept (moved-aside) file, so the UI can offer to open its folder."""
    problems: tuple[str, ...] = ()
    """One sentence per entry that was not loaded (or the one reason the whole file was not)."""
    upgraded_from: int | None = None
    """The schema version of a file that was upgraded to ``SCHEMA_VERSION`` by this load."""
    schema_copy: Path | None = None
    """The copy of the file as it was before the upgrade."""


def database_to_json(db: SiteDatabase) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "sites": [
            {
                "code": s.code,
                "name": s.name,
                "server": s.server,
                "version": s.version.label,
                "parent": s.parent,
                "senders": [
                    {"type": snd.type.component, "server": snd.server, **snd.settings.to_dict()} for snd in s.senders
                ],
            }
            for s in db
        ],
        "addresses": [address_to_json(a) for a in db.addresses],
    }


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string; got {type(value).__name__}")
    return value


def _read_sender(raw: Any, site_server: str) -> Sender:
    if not isinstance(raw, dict):
        raise ValueError("must be a JSON object")
    values = dict(raw)
    kind = SenderType.parse(_text(values.pop("type", ""), "type"))
    server = _text(values.pop("server", site_server), "server")
    try:
        settings = SenderSettings.from_dict(values, where=kind.component)
    except ValueError as exc:
        raise ValueError(str(exc).removeprefix(f"{kind.component}: ")) from None
    if kind.is_ras and settings.per_site != 1:
        raise ValueError("per_site of a RAS sender must be 1")
    return Sender(kind, server, settings)


def _read_site(raw: Any, where: str, problems: list[str]) -> Site:
    """A site from its JSON object; bad senders are left out (and reported), a bad site raises ValueError."""
    if not isinstance(raw, dict):
        raise ValueError("must be a JSON object")
    unknown = sorted(set(raw) - _SITE_KEYS)
    if unknown:
        raise ValueError(f"unknown key {unknown[0]!r}")
    code = _text(raw.get("code", ""), "code")
    server = _text(raw.get("server", ""), "server")
    parent = raw.get("parent")
    site = Site(
        code=code,
        name=_text(raw.get("name", ""), "name"),
        server=server,
        version=SiteVersion.parse(_text(raw.get("version", ""), "version")),
        parent=None if parent is None else _text(parent, "parent"),
    )
    senders: list[Sender] = []
    entries = raw.get("senders", [])
    if not isinstance(entries, list):
        raise ValueError("senders must be a list")
    for j, entry in enumerate(entries):
        try:
            sender = _read_sender(entry, site.server)
        except (ValueError, TypeError) as exc:
            problems.append(f"{where}.senders[{j}] of site {site.code}: {exc}; that sender was not loaded")
            continue
        if any(s.type is sender.type for s in senders):
            problems.append(
                f"{where}.senders[{j}] of site {site.code}: a second {sender.name}; only the first was loaded"
            )
            continue
        senders.append(sender)
    return site.replace(senders=tuple(senders))


def _detach_bad_parents(sites: list[Site], problems: list[str]) -> list[Site]:
    """Sites whose parent is missing, or whose parents form a cycle, become top-level sites (reported)."""
    by_code = {s.code: s for s in sites}
    for site in sites:
        if site.parent is not None and site.parent not in by_code:
            problems.append(
                f"site {site.code}: its parent {site.parent} is not in the file or was not loaded; "
                f"{site.code} was loaded as a top-level site"
            )
            by_code[site.code] = site.replace(parent=None)
    for code in list(by_code):
        seen = [code]
        parent = by_code[code].parent
        while parent is not None:
            if parent in seen:
                problems.append(
                    f"sites {', '.join(sorted(seen))} form a cycle of parents; {code} was loaded as a top-level site"
                )
                by_code[code] = by_code[code].replace(parent=None)
                break
            seen.append(parent)
            parent = by_code[parent].parent
    return list(by_code.values())


def _read_addresses(entries: Any, sites: list[Site], problems: list[str]) -> list[Address]:
    """The valid addresses between loaded sites; each one left out is named in ``problems``."""
    if not isinstance(entries, list):
        problems.append("'addresses' must be a list; no address was loaded")
        return []
    codes = {s.code for s in sites}
    kept: dict[tuple[str, str, int], Address] = {}
    for i, raw in enumerate(entries):
        where = f"addresses[{i}]"
        if isinstance(raw, dict) and isinstance(raw.get("from"), str) and isinstance(raw.get("dest"), str):
            where += f" ({raw['from'].strip()[:8]} → {raw['dest'].strip()[:8]})"
        try:
            a = address_from_json(raw)
        except ValueError as exc:
            problems.append(f"{where}: {exc}; that address was not loaded")
            continue
        missing = [end for end in (a.from_site, a.dest) if end not in codes]
        if missing:
            problems.append(
                f"{where}: site {missing[0]} is not in the file or was not loaded; that address was not loaded"
            )
            continue
        key = (a.from_site, a.dest, a.priority)
        if key in kept:
            problems.append(
                f"{where}: a second address from {a.from_site} to {a.dest} with relative priority {a.priority}; "
                f"only the first was loaded"
            )
            continue
        kept[key] = a
    return list(kept.values())


def read_database(data: Any) -> tuple[SiteDatabase, list[str]]:
    """Every valid site, sender and address of the file's JSON, and one sentence per entry left out.

    A schema 1 file (before addresses) gets ``default_addresses``. Raises SiteFileError when nothing can be
    used (wrong top level, an unknown schema version, no valid site).
    """
    if not isinstance(data, dict):
        raise SiteFileError("the file must hold a JSON object")
    schema = data.get("schema")
    if isinstance(schema, int) and not isinstance(schema, bool) and schema > SCHEMA_VERSION:
        raise SiteFileError(
            f"it was written by a newer Sender Console (schema version {schema}; this version reads "
            f"{OLDEST_SCHEMA} to {SCHEMA_VERSION}), so this version does not change it"
        )
    if schema not in range(OLDEST_SCHEMA, SCHEMA_VERSION + 1) or isinstance(schema, bool):
        raise SiteFileError(
            f"schema version {schema!r} is not one this version reads (expected {OLDEST_SCHEMA} to {SCHEMA_VERSION})"
        )
    allowed = {"schema", "sites"} if schema == 1 else {"schema", "sites", "addresses"}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise SiteFileError(f"unknown key {unknown[0]!r} at the top level")
    entries = data.get("sites")
    if not isinstance(entries, list):
        raise SiteFileError("'sites' must be a list")
    problems: list[str] = []
    sites: list[Site] = []
    codes: set[str] = set()
    for i, raw in enumerate(entries):
        where = f"sites[{i}]"
        try:
            site = _read_site(raw, where, problems)
        except (ValueError, TypeError, AttributeError) as exc:
            code = raw.get("code") if isinstance(raw, dict) else None
            plain = isinstance(code, str) and re.fullmatch(r"[A-Za-z0-9]{1,8}", code.strip())
            named = f" ({code.strip()})" if plain else f" (code {code!r})" if isinstance(code, str) and code else ""
            problems.append(f"{where}{named}: {exc}; that site was not loaded")
            continue
        if site.code in codes:
            problems.append(f"{where}: site code {site.code} appears twice; only the first was loaded")
            continue
        codes.add(site.code)
        sites.append(site)
    if not sites:
        reason = "it lists no sites; a site database needs at least one site"
        raise SiteFileError(reason if not problems else f"no site in it could be loaded ({'; '.join(problems)})")
    sites = _detach_bad_parents(sites, problems)
    if schema == 1:
        return SiteDatabase(sites, default_addresses(SiteDatabase(sites))), problems
    return SiteDatabase(sites, _read_addresses(data.get("addresses", []), sites, problems)), problems


def _schema_of(raw: bytes | None) -> int | None:
    """The schema version a readable file declares (None when it cannot be told)."""
    if raw is None:
        return None
    try:
        data = parse_json_bytes(raw)
    except ValueError:
        return None
    schema = data.get("schema") if isinstance(data, dict) else None
    return schema if isinstance(schema, int) and not isinstance(schema, bool) else None


def database_from_json(data: Any) -> SiteDatabase:
    """The file's database, all of it, or SiteFileError naming the first entry that is not valid."""
    db, problems = read_database(data)
    if problems:
        raise SiteFileError(problems[0])
    return db


def _stamp(raw: bytes | None) -> bytes | None:
    return None if raw is None else hashlib.sha256(raw).digest()


_SCALAR_LIST = re.compile(r"\[\s*((?:-?\d+|null)(?:,\s*(?:-?\d+|null))*)\s*\]")


def _encode(db: SiteDatabase) -> str:
    """Indented JSON, with each list of numbers (a rate limit's day) on one line so a person can read it."""
    text = json.dumps(database_to_json(db), indent=2)
    return _SCALAR_LIST.sub(lambda m: "[" + ", ".join(re.split(r",\s*", m.group(1))) + "]", text) + "\n"


_UPGRADE_WHY = (
    ", which adds the senders' addresses: each parent and child site now address each other both ways, "
    "open at all hours and unlimited, as SMS 2.0 setup leaves them"
)


class SiteStore:
    """Reads and writes ``sites.json``; see the module docstring for bad files and concurrent saves.

    The store remembers the database it last read or wrote (its *base*) and the file's digest then; a store
    that never loaded takes the file as it is at its first save for its base (that save writes over it).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._base: SiteDatabase | None = None
        self._stamp: bytes | None = None

    @property
    def base(self) -> SiteDatabase | None:
        """The database as this store last read or wrote it (None before the first load or save)."""
        return self._base

    def _adopt(self, db: SiteDatabase, raw: bytes | None) -> None:
        self._base = db
        self._stamp = _stamp(raw)

    def _write(self, db: SiteDatabase) -> None:
        text = _encode(db)
        atomic_write_text(self.path, text)
        self._adopt(db, text.encode("utf-8"))

    def load(self) -> LoadResult:
        with locked(self.path):
            loaded = load_or_move_aside(self.path, read_database)
            if loaded.missing:
                db = demo_database()
                self._write(db)
                return LoadResult(db, seeded=True)
            if loaded.moved_to is None:
                assert loaded.value is not None
                old_schema = _schema_of(loaded.raw)
                if old_schema is not None and old_schema < SCHEMA_VERSION:
                    return self._upgrade(loaded.value, loaded.raw, old_schema)
                self._adopt(loaded.value, loaded.raw)
                return LoadResult(loaded.value)
            moved, problems = loaded.moved_to, loaded.problems
            if loaded.value is None:
                db = demo_database()
                self._write(db)
                notice = (
                    f"The site database {self.path} could not be read: {problems[0]}. It was kept as {moved.name} "
                    f"and the demo hierarchy was loaded in its place."
                )
                return LoadResult(db, seeded=True, notice=notice, moved_to=moved, problems=problems)
            self._write(loaded.value)
            count = len(problems)
            notice = (
                f"The site database {self.path} had {count} entr{'y' if count == 1 else 'ies'} that could not be "
                f"loaded: {'; '.join(problems)}. The file was kept as {moved.name} (in {moved.parent}); "
                f"everything else in it was loaded."
            )
            old_schema = _schema_of(moved.read_bytes()) if moved.is_file() else None
            upgraded = old_schema if old_schema is not None and old_schema < SCHEMA_VERSION else None
            if upgraded is not None:
                notice += f" It was also upgraded from schema version {upgraded} to {SCHEMA_VERSION}{_UPGRADE_WHY}."
            return LoadResult(loaded.value, notice=notice, moved_to=moved, problems=problems, upgraded_from=upgraded)

    def _upgrade(self, db: SiteDatabase, raw: bytes | None, old_schema: int) -> LoadResult:
        """Keep a copy of the older file, then write it back in the current schema (called under the lock)."""
        assert raw is not None
        copy = keep_copy(self.path, raw, f"schema{old_schema}")
        self._write(db)
        notice = (
            f"The site database {self.path} was upgraded from schema version {old_schema} to {SCHEMA_VERSION}"
            f"{_UPGRADE_WHY}. Every value it held was kept; the file as it was is kept as {copy.name} "
            f"(in {copy.parent})."
        )
        return LoadResult(db, notice=notice, moved_to=copy, upgraded_from=old_schema, schema_copy=copy)

    def _read_disk(self) -> tuple[SiteDatabase | None, bytes | None]:
        """The database on disk now and its digest (None, None when there is no file). Called under the lock.

        A file that another program left bad, even partly, is kept aside as at load and counts as no file: the
        save writes its own database, and whatever that file held stays in the kept copy.
        """
        loaded = load_or_move_aside(self.path, read_database)
        if loaded.value is None or loaded.moved_to is not None:
            return None, None
        return loaded.value, _stamp(loaded.raw)

    def save(self, db: SiteDatabase, *, over: SaveConflict | None = None) -> SiteDatabase:
        """Write ``db`` unless that would overwrite a change made elsewhere; return what was written.

        If the file changed since this store read it, ``db``'s changes are merged onto the file's (the result,
        returned, then holds both); SaveConflict when both sides changed the same site or sender. ``over``: a
        conflict the user resolved by keeping ``db`` (normally ``over.keep_mine``): its ``theirs`` becomes the
        base, so ``db`` replaces what the user saw, and any change made after it is still merged.
        """
        with locked(self.path):
            base, stamp = self._base, self._stamp
            if over is not None:
                base, stamp = over.theirs, over.disk_stamp
            disk, disk_stamp = self._read_disk()
            if disk is None or (disk_stamp is not None and disk_stamp == stamp) or base is None:
                self._write(db)
                return db
            try:
                merged = merge_databases(base, db, disk)
            except SaveConflict as exc:
                exc.disk_stamp = disk_stamp
                raise
            self._write(merged)
            return merged
