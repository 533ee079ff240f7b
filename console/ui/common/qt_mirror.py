"""pyqtgraph's Qt modules filled on first use instead of copied whole at import, with the same contents.

``pyqtgraph.Qt`` keeps its own ``QtCore``, ``QtGui`` and ``QtWidgets`` modules and fills them at import with
``_copy_attrs``: ``getattr`` on every name ``dir()`` lists in PySide6's modules. PySide6 creates its types on
first access, so that copy creates all ~600 Qt classes and their Python enums, most of which nothing ever uses:
~60 ms of the live console's start on the development machine, ahead of the Timers tab (docs/design-notes.md).

While ``pyqtgraph.Qt`` itself executes, ``dir()`` of those three PySide6 modules, asked by ``_copy_attrs``,
answers nothing, and pyqtgraph's module gets a ``__getattr__`` that copies a name the first time it is asked
(the same object, kept on the module, as the copy would have). Nothing else sees a different ``dir``. When
pyqtgraph is already imported, or a pyqtgraph without ``_copy_attrs`` is installed, nothing changes.
"""

from __future__ import annotations

import builtins
import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from importlib.abc import Loader  # (importlib.abc itself costs ~3 ms of start-up: only for the checker)

MIRRORED = ("QtCore", "QtGui", "QtWidgets")
"""PySide6's modules that pyqtgraph.Qt copies into modules of its own with the same names."""
COPY_FUNCTION = "_copy_attrs"
"""The pyqtgraph.Qt function whose ``dir()`` call is answered lazily (any other caller sees the real ``dir``)."""


def install() -> bool:
    """Arrange for the next import of ``pyqtgraph.Qt`` to fill its modules lazily; False when it is loaded already."""
    if "pyqtgraph.Qt" in sys.modules or any(isinstance(f, _QtFinder) for f in sys.meta_path):
        return False
    sys.meta_path.insert(0, _QtFinder())
    return True


def uninstall() -> None:
    """Take a finder that has not been used yet off ``sys.meta_path`` (tests)."""
    sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _QtFinder)]


class _QtFinder:
    """Finds ``pyqtgraph.Qt`` as the normal path finder does and wraps its loading; used once, then removed.

    A meta path finder needs only ``find_spec``; not deriving from ``importlib.abc.MetaPathFinder`` keeps that
    module out of start-up.
    """

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "pyqtgraph.Qt":
            return None
        uninstall()
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        loader = spec.loader if spec is not None else None
        if spec is None or loader is None or not hasattr(loader, "exec_module"):
            return spec
        loader.exec_module = _lazy_exec(loader)  # type: ignore[method-assign]
        return spec


def _lazy_exec(loader: Loader) -> Callable[[ModuleType], None]:
    real_exec = loader.exec_module

    def exec_module(module: ModuleType) -> None:
        # A module global named ``dir`` shadows the builtin for the module's own code only, during its run.
        module.__dict__["dir"] = _lazy_dir
        try:
            real_exec(module)
        finally:
            if module.__dict__.get("dir") is _lazy_dir:
                del module.__dict__["dir"]

    return exec_module


def _lazy_dir(*args: Any) -> list[str]:
    """``dir`` for pyqtgraph.Qt's code: nothing for a PySide6 module it is about to copy, else the real answer."""
    if not args:
        return sorted(sys._getframe(1).f_locals)
    source = args[0]
    name = getattr(source, "__name__", "")
    package, _, short = name.rpartition(".")
    if isinstance(source, ModuleType) and package == "PySide6" and short in MIRRORED:
        mirror = sys.modules.get(f"pyqtgraph.Qt.{short}")
        if mirror is not None and sys._getframe(1).f_code.co_name == COPY_FUNCTION:
            mirror.__getattr__ = _copy_on_first_use(source, mirror)  # type: ignore[method-assign]
            return []
    return builtins.dir(*args)


def _copy_on_first_use(source: ModuleType, mirror: ModuleType) -> Callable[[str], object]:
    """A module ``__getattr__`` (PEP 562): only names the mirror lacks reach it, each once."""

    def __getattr__(name: str) -> object:
        value = getattr(source, name)
        setattr(mirror, name, value)
        return value

    return __getattr__
