"""Find the files of ``resources/`` (icons, help, scenarios) wherever the app runs.

Installed (a wheel, an editable install, the PyInstaller bundle), ``resources/`` is the package
``console.resources`` (pyproject.toml maps the top-level folder there), so ``importlib.resources`` finds it. A
bare source checkout on ``PYTHONPATH`` has no such package: the folder beside ``console/`` is used. The package
found is accepted only where it belongs to the ``console`` that is running (inside it once installed, beside it
in a checkout): with ``PYTHONPATH`` on one checkout and an editable install of another in the same environment,
the finder would otherwise hand out the other checkout's files.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

_CONSOLE = Path(__file__).resolve().parents[1]


@functools.cache
def resources_dir() -> Path:
    beside = _CONSOLE.parent / "resources"
    try:
        found = Path(str(resources.files("console.resources"))).resolve()
    except ModuleNotFoundError:
        return beside
    return found if found.parent in (_CONSOLE, _CONSOLE.parent) else beside


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
