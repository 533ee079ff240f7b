"""The site database on disk: a human-readable JSON file with a schema version.

Loading never loses data, and loads all it can:
- a file that cannot be read as a whole (not UTF-8 or JSON, another schema version, no site list, nested
  too deeply) is moved aside under a timestamped name and the demo hierarchy is seeded in its place;
- a file with some bad entries (an out-of-range setting, a bad site code, a duplicate code, a wrong type)
  is moved aside too, but every valid site and sender in it is loaded and written back; the notice says
  exactly which entries were left out and why, and ``LoadResult.moved_to`` is the kept file. A site whose
  parent was left out (or whose parents form a cycle) is loaded as a top-level site, and the notice says so.
The bad file is kept, never overwritten or deleted.

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

from console.model.atomic import atomic_write_text, load_or_move_aside, move_aside, parse_json_bytes
from console.model.demo import demo_database
from console.model.file_lock import locked
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_merge import Conflict, SaveConflict, merge_databases
from console.model.sites import Sender, Site, SiteDatabase
from console.model.versions import SiteVersion

SCHEMA_VERSION = 1
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


def read_database(data: Any) -> tuple[SiteDatabase, list[str]]:
    """Every valid site and sender of the file's JSON, and one sentence per entry left out.

    Raises SiteFileError when nothing can be used (wrong top level, schema version, no valid site).
    """
    if not isinstance(data, dict):
        raise SiteFileError("the file must hold a JSON object")
    schema = data.get("schema")
    if schema != SCHEMA_VERSION:
        raise SiteFileError(f"schema version {schema!r} is not one this version reads (expected {SCHEMA_VERSION})")
    unknown = sorted(set(data) - {"schema", "sites"})
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
    return SiteDatabase(_detach_bad_parents(sites, problems)), problems


def database_from_json(data: Any) -> SiteDatabase:
    """The file's database, all of it, or SiteFileError naming the first entry that is not valid."""
    db, problems = read_database(data)
    if problems:
        raise SiteFileError(problems[0])
    return db


def _stamp(raw: bytes | None) -> bytes | None:
    return None if raw is None else hashlib.sha256(raw).digest()


def _encode(db: SiteDatabase) -> str:
    return json.dumps(database_to_json(db), indent=2) + "\n"


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
            return LoadResult(loaded.value, notice=notice, moved_to=moved, problems=problems)

    def _read_disk(self) -> tuple[SiteDatabase | None, bytes | None]:
        """The database on disk now and its digest (None, None when there is no file). Called under the lock.

        A file that another program left bad, even partly, is kept aside as at load and counts as no file: the
        save writes its own database, and whatever that file held stays in the kept copy.
        """
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None, None
        try:
            db, problems = read_database(parse_json_bytes(raw))
        except (ValueError, RecursionError):
            db, problems = None, ["unreadable"]
        if problems:
            move_aside(self.path, "bad")
            return None, None
        return db, _stamp(raw)

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
