"""The scenarios that ship with the app, found by name (``simulate q278357-sp3``, ``--scenario q278357-sp3``).

A path that exists always wins over a bundled name, so a file of the user's called ``q278357-sp3`` in the
current folder is the one they mean.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from console.model.resource_paths import resource_path


@dataclass(frozen=True)
class BundledScenario:
    name: str  # the file name without .toml
    path: Path
    title: str  # the scenario's own ``name``


def scenarios_dir() -> Path:
    return resource_path("scenarios")


def bundled_names() -> list[str]:
    return sorted(p.stem for p in scenarios_dir().glob("*.toml"))


def bundled_scenarios() -> list[BundledScenario]:
    found = []
    for name in bundled_names():
        path = scenarios_dir() / f"{name}.toml"
        with path.open("rb") as fh:
            title = str(tomllib.load(fh).get("name", name))
        found.append(BundledScenario(name, path, title))
    return found


def resolve_scenario(arg: str | Path) -> Path:
    """The file ``arg`` names: a path that exists, else a bundled scenario by name (with or without .toml).

    FileNotFoundError names what was looked for and lists the bundled names.
    """
    path = Path(arg)
    if path.exists():
        return path
    name = path.name.removesuffix(".toml")
    if path.parent == Path(".") and name in bundled_names():
        return scenarios_dir() / f"{name}.toml"
    raise FileNotFoundError(
        f"{arg}: no such file, nor a bundled scenario of that name (bundled: {', '.join(bundled_names())})"
    )
