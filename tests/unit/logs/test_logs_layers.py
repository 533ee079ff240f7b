"""console/logs is pure Python below the command line (DESIGN.md §2): no Qt, no ui/, cli/ or app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FORBIDDEN = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6", "console.ui", "console.cli", "console.app")


def test_logs_imports_only_model_and_engine() -> None:
    offenders = []
    for f in sorted((ROOT / "console" / "logs").rglob("*.py")):
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{f.name}: {n}" for n in names if n.startswith(FORBIDDEN)]
    assert offenders == []


def test_modules_stay_small() -> None:
    sizes = {f.name: len(f.read_text(encoding="utf-8").splitlines()) for f in (ROOT / "console" / "logs").glob("*.py")}
    assert max(sizes.values()) <= 500, sizes


def test_diagnose_command_does_not_load_qt() -> None:
    code = (
        "import sys; from console.__main__ import main; "
        f"main(['diagnose', {str(ROOT / 'README.md')!r}]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip().splitlines()[-1] == "[]"
