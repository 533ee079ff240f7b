"""GUI start-up through the real command line: --screenshot, unknown sites, a corrupt site file, the platform choice."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer, qWarning
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from console import APP_ID, APP_NAME, app
from console.__main__ import main
from console.cli.context import CliContext
from console.cli.window_cmd import WindowRequest
from console.model.paths import AppPaths
from console.ui.sheet.properties_sheet import SenderPropertiesDialog


@pytest.fixture
def no_modals(monkeypatch) -> list[str]:
    """Warnings the app would show in a box; recorded so nothing blocks."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text, *a, **k: shown.append(text)))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


def _png(path: Path) -> QImage:
    assert path.is_file() and path.stat().st_size > 0
    image = QImage(str(path))
    assert not image.isNull()
    return image


def test_properties_screenshot_of_lab_shows_the_advisory(qtbot, tmp_path, capsys, no_modals) -> None:
    png = tmp_path / "lab.png"
    rc = main(["--config-dir", str(tmp_path / "cfg"), "properties", "LAB", "--screenshot", str(png)])
    assert rc == 0
    lab = _png(png)
    out, err = capsys.readouterr()
    assert out == "" and err == "" and no_modals == []
    cen_png = tmp_path / "cen.png"
    assert main(["--config-dir", str(tmp_path / "cfg"), "properties", "CEN", "--screenshot", str(cen_png)]) == 0
    cen = _png(cen_png)
    assert lab.width() == cen.width()
    assert lab.height() > cen.height() + 100  # the advisory adds a block of text to LAB's sheet only
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, SenderPropertiesDialog) and w.isVisible()]


def test_application_identity(qtbot, tmp_path, no_modals) -> None:
    assert main(["--config-dir", str(tmp_path), "properties", "CEN", "--screenshot", str(tmp_path / "x.png")]) == 0
    assert QCoreApplication.applicationName() == APP_NAME
    assert QApplication.desktopFileName() == APP_ID
    assert QCoreApplication.organizationName()
    assert not QApplication.windowIcon().isNull()


def test_unknown_site_is_one_line_and_exit_2(qtbot, tmp_path, capsys) -> None:
    rc = main(["--config-dir", str(tmp_path), "properties", "XYZ", "--screenshot", str(tmp_path / "x.png")])
    _, err = capsys.readouterr()
    assert rc == 2 and err.count("\n") == 1 and "no site 'XYZ'" in err
    assert not (tmp_path / "x.png").exists()


def test_unknown_site_after_a_corrupt_file_is_refused_before_any_window(qtbot, tmp_path, no_modals) -> None:
    """The command line cannot check a site in an unreadable file; run_gui checks after the demo is seeded."""
    paths = AppPaths(tmp_path, tmp_path / "logs")
    paths.sites_file.write_text("{not json")
    err = io.StringIO()
    ctx = CliContext(paths, stdout=io.StringIO(), stderr=err)
    request = WindowRequest("properties", site="XYZ", screenshot=tmp_path / "x.png")
    assert app.run_gui(request, ctx) == 2
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("sender-console: notice: The site database")
    assert lines[1].startswith("sender-console: error: no site 'XYZ'") and len(lines) == 2
    assert no_modals == [] and not (tmp_path / "x.png").exists()


def test_corrupt_site_file_notice_bad_file_kept_and_screenshot_written(qtbot, tmp_path, capsys, no_modals) -> None:
    cfg = tmp_path / "cfg"
    cfg.mkdir()
    (cfg / "sites.json").write_text("[1, 2")
    png = tmp_path / "shot.png"
    rc = main(["--config-dir", str(cfg), "properties", "LAB", "--screenshot", str(png)])
    _, err = capsys.readouterr()
    assert rc == 0
    _png(png)
    assert err.startswith("sender-console: notice: The site database") and err.count("\n") == 1
    kept = list(cfg.glob("sites.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_text() == "[1, 2"
    assert no_modals == []  # --screenshot never blocks on a dialog


def test_interactive_start_shows_the_notice_in_a_box_too(qtbot, tmp_path, no_modals) -> None:
    paths = AppPaths(tmp_path, tmp_path / "logs")
    paths.sites_file.write_text("not json at all")
    err = io.StringIO()
    ctx = CliContext(paths, stdout=io.StringIO(), stderr=err)
    opened: list[SenderPropertiesDialog] = []

    def close_the_sheet() -> None:
        sheet = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, SenderPropertiesDialog) and w.isVisible()
        )
        opened.append(sheet)
        sheet.reject()

    QTimer.singleShot(0, close_the_sheet)
    assert app.run_gui(WindowRequest("properties", site="LAB"), ctx) == 0
    assert len(no_modals) == 1 and "kept as sites.json.bad-" in no_modals[0]
    assert "sender-console: notice:" in err.getvalue()
    assert opened and opened[0].site_code == "LAB" and opened[0].tabs.currentWidget() is opened[0].advanced_page
    opened[0].deleteLater()


def test_event_loops_still_work_after_an_interactive_run(qtbot) -> None:
    """Runs right after the interactive test: a Quit left queued by it would end this wait at once."""
    button = QPushButton("later")
    qtbot.addWidget(button)
    button.show()
    with qtbot.waitSignal(button.clicked, timeout=2000):
        button.animateClick()


def test_console_kind_screenshot_writes_a_png(qtbot, tmp_path, capsys, no_modals) -> None:
    png = tmp_path / "console.png"
    assert main(["--config-dir", str(tmp_path), "--screenshot", str(png), "--after", "10m"]) == 0
    _png(png)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, SenderPropertiesDialog) and w.isVisible()]


def test_screenshot_write_failure_is_one_line_and_exit_2(qtbot, tmp_path, monkeypatch, no_modals) -> None:
    monkeypatch.setattr("PySide6.QtGui.QPixmap.save", lambda *a, **k: False)
    err = io.StringIO()
    ctx = CliContext(AppPaths(tmp_path, tmp_path / "logs"), stdout=io.StringIO(), stderr=err)
    rc = app.run_gui(WindowRequest("properties", site="CEN", screenshot=tmp_path / "x.png"), ctx)
    assert rc == 2 and err.getvalue() == f"sender-console: error: --screenshot: could not write {tmp_path / 'x.png'}\n"


@pytest.mark.parametrize(
    ("env", "screenshot", "platform", "expected"),
    [
        ({}, True, "linux", "offscreen"),
        ({}, False, "linux", None),  # interactive: let Qt decide (and say why it fails)
        ({"DISPLAY": ":0"}, True, "linux", None),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True, "linux", None),
        ({"QT_QPA_PLATFORM": "xcb"}, True, "linux", None),  # never override the user
        ({}, True, "win32", None),  # no DISPLAY there, and none needed
        ({}, True, "darwin", None),
    ],
)
def test_platform_fallback(env, screenshot, platform, expected) -> None:
    environ = dict(env)
    assert app.choose_platform(screenshot, environ, platform) == expected
    assert environ.get("QT_QPA_PLATFORM") == (expected or env.get("QT_QPA_PLATFORM"))


@pytest.mark.qt_log_ignore("something real")
def test_known_offscreen_noise_is_dropped_and_the_rest_passes_through(qtlog) -> None:
    with app._quiet_known_qt_noise():
        qWarning("This plugin does not support propagateSizeHints()")
        qWarning("something real")
    messages = [r.message for r in qtlog.records]
    assert "something real" in messages
    assert not any("propagateSizeHints" in m for m in messages)
