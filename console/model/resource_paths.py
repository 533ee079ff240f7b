"""Find the files of ``resources/`` (icons, help, scenarios) wherever the app runs.

Installed (a wheel, an editable install, the PyInstaller bundle), ``resources/`` is the package
``console.resources`` (pyproject.toml maps the top-level folder there), so ``importlib.resources`` finds it. A
bare source checkout on ``PYTHONPATH`` has no such package: the folder beside ``console/`` is used instead.
One function, so no module guesses paths on its own.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


@functools.cache
def resources_dir() -> Path:
    try:
        return Path(str(resources.files("console.resources")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
