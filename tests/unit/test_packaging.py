"""What a wheel and the desktop install carry: every package and resource, and an uninstall that undoes the install."""

from __future__ import annotations

import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]


def test_every_console_package_is_listed_for_the_wheel() -> None:
    found = {str(p.parent.relative_to(ROOT)).replace(os.sep, ".") for p in (ROOT / "console").rglob("__init__.py")}
    listed = set(_setuptools()["packages"])
    assert found | {"console.resources"} == listed


def test_every_resource_file_is_package_data() -> None:
    from fnmatch import fnmatch

    cfg = _setuptools()
    assert cfg["package-dir"] == {"console.resources": "resources"}
    patterns = cfg["package-data"]["console.resources"]
    files = [
        p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    ]
    assert files
    missing = [f for f in files if not any(fnmatch(f, pat) and f.count("/") == pat.count("/") for pat in patterns)]
    assert missing == []


def test_resources_are_found_by_importlib_or_beside_the_package() -> None:
    from console.model.resource_paths import resource_path

    assert resource_path("scenarios", "q278357-sp3.toml").is_file()
    assert resource_path("icons", "sender-console.svg").is_file()
    assert resource_path("help", "sender-properties.html").is_file()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_uninstall_removes_exactly_what_install_added(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    subprocess.run(["bash", str(ROOT / "packaging" / "install-desktop.sh")], env=env, check=True, capture_output=True)
    # mimeinfo.cache is the desktop database's index, rebuilt by update-desktop-database where it exists.
    installed = sorted(p for p in tmp_path.rglob("*") if p.is_file() and p.name != "mimeinfo.cache")
    assert [p.name for p in installed] == [
        "org.senderconsole.SenderConsole.desktop",
        "org.senderconsole.SenderConsole.png",
        "org.senderconsole.SenderConsole.svg",
    ]
    (tmp_path / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    out = subprocess.run(
        ["bash", str(ROOT / "packaging" / "uninstall-desktop.sh")], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.count("removed ") == 3
    left = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and p.name != "mimeinfo.cache")
    assert left == ["someone-else.desktop"]
