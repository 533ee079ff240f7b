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
    folders = {
        f"console.resources.{p.name}" for p in (ROOT / "resources").iterdir() if p.is_dir() and p.name != "__pycache__"
    }
    listed = set(_setuptools()["packages"])
    assert found | {"console.resources"} | folders == listed


def test_every_resource_file_is_package_data() -> None:
    from fnmatch import fnmatch

    cfg = _setuptools()
    assert cfg["package-dir"] == {"console.resources": "resources"}
    files = [
        p.relative_to(ROOT / "resources")
        for p in (ROOT / "resources").rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    ]
    assert files
    data = cfg["package-data"]
    missing = [
        f.as_posix()
        for f in files
        if not any(fnmatch(f.name, pat) for pat in data.get(".".join(["console.resources", *f.parts[:-1]]), []))
    ]
    assert missing == []


def test_resources_are_found_by_importlib_or_beside_the_package() -> None:
    from console.model.resource_paths import resource_path

    assert resource_path("scenarios", "q278357-sp3.toml").is_file()
    assert resource_path("icons", "sender-console.svg").is_file()
    assert resource_path("help", "sender-properties.html").is_file()


GENERATED = ("mimeinfo.cache",)
"""Index files that update-desktop-database / update-mime-database rebuild from what is installed."""


def _generated(p: Path, root: Path) -> bool:
    """The desktop database's index, or the MIME database built from ``mime/packages`` (not a package file)."""
    rel = p.relative_to(root).parts
    return p.name in GENERATED or (rel[0] == "mime" and rel[1] != "packages")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_uninstall_removes_exactly_what_install_added(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path))
    subprocess.run(["bash", str(ROOT / "packaging" / "install-desktop.sh")], env=env, check=True, capture_output=True)
    installed = sorted(p for p in tmp_path.rglob("*") if p.is_file() and not _generated(p, tmp_path))
    assert [p.name for p in installed] == [
        "org.senderconsole.SenderConsole.desktop",
        "org.senderconsole.SenderConsole.png",
        "org.senderconsole.SenderConsole.svg",
        "org.senderconsole.SenderConsole.xml",
    ]
    entry = (tmp_path / "applications" / "org.senderconsole.SenderConsole.desktop").read_text(encoding="utf-8")
    assert "MimeType=application/x-sms-log;" in entry
    assert any(line.startswith("Exec=/") and line.endswith("sender-console log %F") for line in entry.splitlines())
    if shutil.which("update-mime-database"):
        globs = (tmp_path / "mime" / "globs2").read_text(encoding="utf-8")
        assert "10:application/x-sms-log:*.log" in globs  # a low weight: .log stays text/plain for everyone else
        assert "50:application/x-sms-log:*.lo_" in globs
    (tmp_path / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    out = subprocess.run(
        ["bash", str(ROOT / "packaging" / "uninstall-desktop.sh")], env=env, check=True, capture_output=True, text=True
    )
    assert out.stdout.count("removed ") == 4
    left = sorted(p.name for p in tmp_path.rglob("*") if p.is_file() and not _generated(p, tmp_path))
    assert left == ["someone-else.desktop"]
    ours = [p for p in tmp_path.rglob("*") if p.is_file() and "x-sms-log" in p.read_text(errors="replace")]
    assert ours == [], "the rebuilt MIME database must not know our type any more"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="needs desktop-file-utils")
def test_desktop_entry_is_valid_and_offers_the_log_type() -> None:
    desktop = ROOT / "resources" / "org.senderconsole.SenderConsole.desktop"
    subprocess.run(["desktop-file-validate", str(desktop)], check=True, capture_output=True)
    text = desktop.read_text(encoding="utf-8")
    assert "Exec=sender-console log %F\n" in text and "MimeType=application/x-sms-log;\n" in text


def test_mime_package_claims_lo_and_log_with_a_low_weight() -> None:
    import xml.etree.ElementTree as ET

    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    root = ET.parse(ROOT / "resources" / "org.senderconsole.SenderConsole.xml").getroot()
    (kind,) = root.findall("m:mime-type", ns)
    assert kind.get("type") == "application/x-sms-log"
    globs = {g.get("pattern"): int(g.get("weight", "50")) for g in kind.findall("m:glob", ns)}
    assert globs == {"*.lo_": 50, "*.log": 10}
    assert kind.find("m:sub-class-of", ns).get("type") == "text/plain"
