"""The model and the engine never import Qt (DESIGN.md §2): checked statically and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
QT = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")
LOWER = ("model", "engine")
ORDER = {"model": 0, "engine": 1, "cli": 2, "ui": 3}


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("layer", LOWER)
def test_lower_layers_never_import_qt(layer: str) -> None:
    files = sorted((ROOT / "console" / layer).rglob("*.py"))
    assert files, f"console/{layer} has no modules"
    offenders = [f"{f.relative_to(ROOT)} imports {n}" for f in files for n in _imports(f) if n.split(".")[0] in QT]
    assert offenders == []


@pytest.mark.parametrize("layer", list(ORDER))
def test_layers_import_only_downward(layer: str) -> None:
    offenders = []
    for f in sorted((ROOT / "console" / layer).rglob("*.py")):
        for name in _imports(f):
            parts = name.split(".")
            if parts[0] == "console" and len(parts) > 1:
                target = parts[1]
                if target in ORDER and ORDER[target] > ORDER[layer]:
                    offenders.append(f"{f.relative_to(ROOT)} imports {name}")
                if target == "app" and layer != "ui":
                    offenders.append(f"{f.relative_to(ROOT)} imports {name}")
    # The CLI may start the GUI, but only lazily inside a function (checked by the run-time test below).
    if layer == "cli":
        offenders = [o for o in offenders if "console.app" not in o]
    assert offenders == []


def test_importing_model_engine_and_cli_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, console\n"
        "for pkg in ('console.model', 'console.engine', 'console.cli'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "from console.cli.main import build_parser; build_parser()\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT!r}]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""
