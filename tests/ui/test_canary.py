"""Canary for the PySide6 pin (DESIGN.md §5): a void Qt call must not drop a reference to ``None``.

PySide6 6.12.0 on CPython 3.11 releases ``None`` once per call of a wrapped void method; a live view
makes thousands of such calls and the interpreter aborts (``none_dealloc``). 3.12+ makes ``None``
immortal, which hides the bug, so the check only means something below 3.12. If this fails, the
installed PySide6 is one the pin in pyproject.toml is meant to keep out.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QPushButton

CALLS = 1000


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal on 3.12+, so its count cannot drop")
def test_void_qt_calls_do_not_release_none(qtbot) -> None:
    button = QPushButton("canary")
    qtbot.addWidget(button)
    button.setEnabled(True)  # warm up: first-call caches are not part of the measurement
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        button.setEnabled(True)
    after = sys.getrefcount(None)
    # A leak of one per call would be -1000; allow a little noise from the interpreter itself.
    assert after >= before - 10, f"None lost {before - after} references over {CALLS} void calls"
