"""Find files under ``resources/`` from a source checkout, an editable install or a PyInstaller bundle.

``resources/`` sits beside the ``console`` package (DESIGN.md §2), not inside it; a frozen bundle puts it
under ``sys._MEIPASS`` (packaging/sender-console.spec copies it there). One function, so no module
guesses paths on its own.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
