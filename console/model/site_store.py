"""The site database on disk: a human-readable JSON file with a schema version.

Loading never loses data. A file that is not JSON, has an unknown schema version, or holds a value
the model rejects (an out-of-range setting, a bad site code, a missing parent) is moved aside under a
timestamped name, the caller gets a notice to show the user, and the demo hierarchy is seeded in
its place. The bad file is kept, never overwritten or deleted.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from console.model.atomic import atomic_write_text, move_aside
from console.model.demo import demo_database
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.sites import Sender, Site, SiteDatabase
from console.model.versions import SiteVersion

SCHEMA_VERSION = 1


class SiteFileError(ValueError):
    """The file's content is unusable; the message says where and why."""


@dataclass(frozen=True)
class LoadResult:
    database: SiteDatabase
    seeded: bool = False
    """True when the demo hierarchy was written because there was no usable file."""
    notice: str | None = None
    """A message for the user when a bad file was moved aside."""
    moved_to: Path | None = None


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


def _expect(obj: Any, kind: type, where: str) -> Any:
    if not isinstance(obj, kind):
        raise SiteFileError(f"{where} must be a {'list' if kind is list else 'JSON object'}")
    return obj


def database_from_json(data: Any) -> SiteDatabase:
    _expect(data, dict, "the file")
    schema = data.get("schema")
    if schema != SCHEMA_VERSION:
        raise SiteFileError(f"schema version {schema!r} is not one this version reads (expected {SCHEMA_VERSION})")
    unknown = sorted(set(data) - {"schema", "sites"})
    if unknown:
        raise SiteFileError(f"unknown key {unknown[0]!r} at the top level")
    sites = []
    for i, raw in enumerate(_expect(data.get("sites"), list, "'sites'")):
        where = f"sites[{i}]"
        _expect(raw, dict, where)
        unknown = sorted(set(raw) - {"code", "name", "server", "version", "parent", "senders"})
        if unknown:
            raise SiteFileError(f"{where}: unknown key {unknown[0]!r}")
        try:
            senders = []
            for j, snd in enumerate(_expect(raw.get("senders", []), list, f"{where}.senders")):
                _expect(snd, dict, f"{where}.senders[{j}]")
                values = dict(snd)
                kind = SenderType.parse(values.pop("type", ""))
                server = values.pop("server", raw.get("server", ""))
                try:
                    settings = SenderSettings.from_dict(values, where=f"{where}.senders[{j}]")
                except ValueError as exc:  # its message already names where
                    raise SiteFileError(str(exc)) from exc
                if kind.is_ras and settings.per_site != 1:
                    raise SiteFileError(f"{where}.senders[{j}]: per_site of a RAS sender must be 1")
                senders.append(Sender(kind, server, settings))
            sites.append(
                Site(
                    code=raw.get("code", ""),
                    name=str(raw.get("name", "")),
                    server=raw.get("server", ""),
                    version=SiteVersion.parse(raw.get("version", "")),
                    parent=raw.get("parent"),
                    senders=tuple(senders),
                )
            )
        except SiteFileError:
            raise
        except (ValueError, TypeError, AttributeError) as exc:
            raise SiteFileError(f"{where}: {exc}") from exc
    if not sites:
        raise SiteFileError("it lists no sites; a site database needs at least one site")
    try:
        return SiteDatabase(sites)
    except ValueError as exc:
        raise SiteFileError(str(exc)) from exc


class SiteStore:
    """Reads and writes ``sites.json``; see the module docstring for what happens to a bad file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LoadResult:
        if not self.path.exists():
            db = demo_database()
            self.save(db)
            return LoadResult(db, seeded=True)
        try:
            text = self.path.read_text(encoding="utf-8")
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise SiteFileError(f"not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
            return LoadResult(database_from_json(data))
        except (SiteFileError, UnicodeDecodeError) as exc:
            moved = move_aside(self.path, "bad")
            db = demo_database()
            self.save(db)
            notice = (
                f"The site database {self.path} could not be read: {exc}. It was kept as {moved.name} "
                f"and the demo hierarchy was loaded in its place."
            )
            return LoadResult(db, seeded=True, notice=notice, moved_to=moved)

    def save(self, db: SiteDatabase) -> None:
        atomic_write_text(self.path, json.dumps(database_to_json(db), indent=2) + "\n")
