"""A faster form of PySide6's per-module check at import time, with the same answer.

PySide6 looks at every module imported after it (its ``__feature__`` support: a module whose source mentions
PySide6 may switch features) and reads that module's source through ``inspect.getsource`` to find out. For the
~400 modules the live console imports after Qt (numpy, pyqtgraph, its own) that was 85-115 ms of start-up
(docs/design-notes.md). Reading the file's bytes answers the same question (``"PySide6" in source``) in a
fraction of that; anything that is not a plain source file on disk goes to PySide6's own check.
"""

from __future__ import annotations

import sys
from types import ModuleType


def install() -> bool:
    """Replace the check once PySide6 is loaded; False (nothing done) when this PySide6 has no such hook."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    if original is None or getattr(original, "faster", False):
        return False

    def uses_pyside(module: ModuleType) -> bool:
        path = getattr(module, "__file__", None)
        if isinstance(path, str) and path.endswith(".py"):
            try:
                with open(path, "rb") as f:
                    return b"PySide6" in f.read()
            except OSError:
                pass
        return original(module)

    uses_pyside.faster = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside  # type: ignore[union-attr]
    return True
