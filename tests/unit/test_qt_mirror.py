"""console.ui.common.qt_mirror: the lazy copy of PySide6's names into pyqtgraph.Qt's modules.

The whole import is checked in a fresh interpreter (tests/ui/test_startup_imports.py); here the pieces.
"""

from __future__ import annotations

import sys
from types import ModuleType

import pyqtgraph  # noqa: F401  (loaded: install() must leave it alone)
import PySide6.QtCore

from console.ui.common import qt_mirror


def test_install_does_nothing_once_pyqtgraph_qt_is_loaded() -> None:
    before = list(sys.meta_path)
    assert qt_mirror.install() is False
    assert sys.meta_path == before


def test_dir_is_the_real_one_for_any_other_caller_or_object() -> None:
    assert qt_mirror._lazy_dir(PySide6.QtCore) == dir(PySide6.QtCore)  # not called from _copy_attrs
    assert qt_mirror._lazy_dir(ModuleType("m")) == dir(ModuleType("m"))
    local_name = 1
    assert "local_name" in qt_mirror._lazy_dir() and local_name


def test_copy_attrs_gets_nothing_and_the_mirror_answers_on_first_use(monkeypatch) -> None:
    mirror = ModuleType("pyqtgraph.Qt.QtCore")
    monkeypatch.setitem(sys.modules, "pyqtgraph.Qt.QtCore", mirror)

    def _copy_attrs(src: ModuleType, dst: ModuleType) -> None:  # pyqtgraph.Qt's, as it is written there
        for o in qt_mirror._lazy_dir(src):
            if not hasattr(dst, o):
                setattr(dst, o, getattr(src, o))

    _copy_attrs(PySide6.QtCore, mirror)
    assert "QPointF" not in vars(mirror)
    assert mirror.QPointF is PySide6.QtCore.QPointF
    assert vars(mirror)["QPointF"] is PySide6.QtCore.QPointF  # kept: asked once
    assert not hasattr(mirror, "NoSuchQtName")
