"""``sender-console log FILE... [--screenshot PNG]``: checked before Qt starts, then the viewer alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from real_logs import needs_real_logs
from viewer_support import REAL_SMALL, ROOT, sms2, write_lines

from console.__main__ import main
from console.cli.main import main as cli_main
from console.cli.window_cmd import GuiLaunch
from console.ui.log.viewer_window import LogViewerWindow


@needs_real_logs
def test_log_command_returns_a_checked_request(tmp_path: Path) -> None:
    log = write_lines(tmp_path / "Sender.log", [sms2("x")])
    launch = cli_main(["--config-dir", str(tmp_path / "cfg"), "log", str(log), str(REAL_SMALL)])
    assert isinstance(launch, GuiLaunch)
    assert launch.request.kind == "log" and launch.request.files == (log, REAL_SMALL)
    bare = cli_main(["--config-dir", str(tmp_path / "cfg"), "log"])  # a menu launch: the desktop entry's %F empty
    assert isinstance(bare, GuiLaunch) and bare.request.kind == "console"


def test_bad_files_are_one_line_and_exit_2_before_qt(tmp_path: Path) -> None:
    probe = (
        "import json, sys\n"
        "from console.__main__ import main\n"
        "codes = [main(['log', a]) for a in sys.argv[1:]]\n"
        "print(json.dumps([codes, 'PySide6' in sys.modules]))\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), SENDER_CONSOLE_CONFIG_DIR=str(tmp_path / "cfg"))
    args = [str(tmp_path / "missing.log"), str(tmp_path)]
    out = subprocess.run(
        [sys.executable, "-c", probe, *args], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    codes, qt_loaded = json.loads(out.stdout.strip().splitlines()[-1])
    assert codes == [2, 2] and not qt_loaded
    errors = out.stderr.strip().splitlines()
    assert len(errors) == 2
    assert "missing.log: no such file" in errors[0] and "is a folder" in errors[1]


def test_window_options_other_than_screenshot_are_refused(tmp_path: Path, capsys) -> None:
    log = write_lines(tmp_path / "Sender.log", [sms2("x")])
    assert cli_main(["--config-dir", str(tmp_path), "--speed", "5", "log", str(log)]) == 2
    assert "--speed only applies" in capsys.readouterr().err


@needs_real_logs
def test_screenshot_of_the_viewer_on_a_real_log(qtbot, tmp_path: Path, capsys) -> None:
    png = tmp_path / "viewer.png"
    assert main(["--config-dir", str(tmp_path / "cfg"), "log", str(REAL_SMALL), "--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= 1000
    assert capsys.readouterr().err == ""
    assert not (tmp_path / "cfg" / "sites.json").exists()  # the viewer alone never opens the site database
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, LogViewerWindow) and w.isVisible()]


def test_file_open_log_in_the_console_opens_the_viewer(console, tmp_path: Path) -> None:
    window, _live, _clock = console
    log = write_lines(tmp_path / "Sender.log", [sms2("from the console")])
    window.logFileChosen.emit(log)
    viewer = window.findChild(LogViewerWindow, "LogViewerWindow")
    assert viewer is not None and viewer.isWindow() and viewer.isVisible()
    viewer.wait_loaded()
    assert viewer.tab().model.row(0)[0] == "from the console"
    window.logFileChosen.emit(log)  # a second file: a second tab of the same viewer
    assert window.findChildren(LogViewerWindow) == [viewer] and viewer.tabs.count() == 2
    viewer.close()
