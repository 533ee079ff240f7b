"""The layers of DESIGN.md §2, with no carve-outs: no Qt below ui/, imports point down, no import cycles.

`lint-imports` checks the same with the contracts in pyproject.toml (it runs in `bash run.sh test`); this test
keeps the rules in the suite too, and reads every import, including those inside functions. Imports under
``if TYPE_CHECKING:`` never run and are not counted.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONSOLE = ROOT / "console"
QT = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")
BELOW_UI = ("model", "engine", "logs", "cli")
RANK = {"model": 0, "engine": 1, "logs": 2, "cli": 3, "ui": 3, "app": 4, "__main__": 5}
"""A layer may import layers of a lower rank; ui and cli share a rank and may not import each other."""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, module: str | None = None) -> list[str]:
    """Every module named by an import that runs (module level or inside a function)."""
    names: list[str] = []
    module = _module_name(path) if module is None else module
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base]) if base else ".".join(up)
            names.append(base)
            names.extend(f"{base}.{a.name}" for a in node.names)  # "from pkg import module"
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return names


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in CONSOLE.rglob("*.py")}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else None


@pytest.mark.parametrize("layer", BELOW_UI)
def test_no_qt_below_ui(layer: str) -> None:
    files = sorted((CONSOLE / layer).rglob("*.py"))
    assert files, f"console/{layer} has no modules"
    offenders = [f"{f.relative_to(ROOT)} imports {n}" for f in files for n in _imports(f) if n.split(".")[0] in QT]
    assert offenders == []


def test_layers_import_only_downward() -> None:
    offenders = []
    for name, path in _modules().items():
        mine = _layer(name)
        if mine is None:
            continue
        for target in _imports(path):
            theirs = _layer(target) if target.startswith("console.") else None
            if theirs is None or theirs == mine:
                continue
            if RANK[theirs] >= RANK[mine]:
                offenders.append(f"{name} ({mine}) imports {target} ({theirs})")
    assert offenders == []


def test_no_import_cycles() -> None:
    """Tarjan's strongly connected components over console's modules; a component of two or more is a cycle."""
    modules = _modules()
    graph = {name: sorted({t for t in _imports(path) if t in modules and t != name}) for name, path in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def strongconnect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                strongconnect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in graph:
        if v not in index:
            strongconnect(v)
    assert cycles == []


def test_the_cycle_check_sees_lazy_imports(tmp_path: Path) -> None:
    """The reader finds an import inside a function and skips one under TYPE_CHECKING."""
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import hidden\n"
        "def f():\n    from console.app import run_gui\n",
        encoding="utf-8",
    )
    found = _imports(src, module="console.m")
    assert "console.app" in found and "hidden" not in found


def test_importing_model_engine_logs_and_cli_loads_no_qt() -> None:
    code = (
        "import sys, pkgutil, importlib, console\n"
        "for pkg in ('console.model', 'console.engine', 'console.logs', 'console.cli'):\n"
        "    mod = importlib.import_module(pkg)\n"
        "    for info in pkgutil.walk_packages(mod.__path__, pkg + '.'):\n"
        "        importlib.import_module(info.name)\n"
        "from console.cli.main import build_parser; build_parser()\n"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT!r}]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == ""


def test_no_module_in_console_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in CONSOLE.rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500
    }
    assert long == {}
