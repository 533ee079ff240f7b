"""Changes made outside the window are never lost (issue 8, defect 1): Refresh re-reads sites.json, the window
notices a change on disk by itself, and a save that meets a change to the same sender asks the user."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtWidgets import QMessageBox
from sheet_support import spin

from console.model.paths import AppPaths
from console.model.sender_types import SenderType
from console.model.site_store import SiteStore
from console.ui.common.notice_box import load_notice_box


def _cli(paths: AppPaths, *args: str) -> None:
    """The command line in its own process, as a user would run it while the window is open."""
    subprocess.run(
        [sys.executable, "-m", "console", "--config-dir", str(paths.config_dir), *args],
        check=True,
        capture_output=True,
    )


def _on_disk(paths: AppPaths, code: str):
    return SiteStore(paths.sites_file).load().database.get(code).standard_sender.settings


def _apply_retries(qtbot, window, code: str, retries: int):
    sheet = window.open_properties(code, SenderType.STANDARD)
    sheet.show_advanced()
    spin(sheet, "retries").setValue(retries)
    return sheet


def test_refresh_shows_a_change_made_on_the_command_line_and_a_later_save_keeps_it(qtbot, window, paths) -> None:
    assert window.session.site("LAB").standard_sender.settings.retry_delay_min == 6
    _cli(paths, "sender", "LAB", "--retry-delay", "7")
    window.action_refresh.trigger()
    assert window.session.site("LAB").standard_sender.settings.retry_delay_min == 7
    assert "Standard Sender of LAB changed" in window.statusBar().currentMessage()

    sheet = _apply_retries(qtbot, window, "CEN", 4)
    sheet.accept()
    assert _on_disk(paths, "LAB").retry_delay_min == 7  # the window's save did not bring 6 back
    assert _on_disk(paths, "CEN").retries == 4


def test_a_save_without_refresh_still_keeps_the_other_change(qtbot, window, paths) -> None:
    _cli(paths, "sender", "LAB", "--retry-delay", "7")  # the window has not re-read yet
    sheet = _apply_retries(qtbot, window, "CEN", 4)
    sheet.accept()
    assert _on_disk(paths, "LAB").retry_delay_min == 7 and _on_disk(paths, "CEN").retries == 4
    assert window.session.site("LAB").standard_sender.settings.retry_delay_min == 7  # and the window shows it


def test_the_window_notices_a_change_on_disk_by_itself(qtbot, window, paths) -> None:
    assert str(paths.sites_file) in window.site_watch.watched()
    _cli(paths, "sender", "NYC", "--retries", "9")
    qtbot.waitUntil(lambda: window.session.site("NYC").standard_sender.settings.retries == 9, timeout=5000)
    assert "changed outside this window" in window.statusBar().currentMessage()
    assert str(paths.sites_file) in window.site_watch.watched()  # still watched after the rename


def test_its_own_save_is_not_reported_as_an_outside_change(qtbot, window, paths) -> None:
    sheet = _apply_retries(qtbot, window, "CEN", 4)
    sheet.accept()
    window.statusBar().clearMessage()
    window.reread(outside=True)
    assert window.statusBar().currentMessage() == ""


@pytest.mark.parametrize(("button", "kept"), [("Keep Mine", 3), ("Use Theirs", 9)])
def test_the_same_sender_changed_on_both_sides_asks_the_user(qtbot, window, paths, monkeypatch, button, kept) -> None:
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:
        asked.append(box.informativeText())
        chosen = next(b for b in box.buttons() if b.text() == button)
        box.setProperty("chosen", True)
        monkeypatch.setattr(box, "clickedButton", lambda: chosen)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    sheet = _apply_retries(qtbot, window, "LAB", 3)
    _cli(paths, "sender", "LAB", "--retries", "9")  # after the sheet opened, before its OK
    sheet.accept()
    assert asked and "here: all sites 5, per site 3, 3 retries" in asked[0] and "elsewhere:" in asked[0]
    assert "9 retries" in asked[0]
    assert _on_disk(paths, "LAB").retries == kept
    assert window.session.site("LAB").standard_sender.settings.retries == kept


def test_the_load_notice_offers_the_kept_files_folder(qtbot, tmp_path, monkeypatch) -> None:
    opened = []
    monkeypatch.setattr("console.ui.common.notice_box.QDesktopServices.openUrl", lambda url: opened.append(url))
    kept = tmp_path / "sites.json.bad-20261126-100000"
    box = load_notice_box(None, "sites.json had a bad entry; it was kept aside.", kept)
    qtbot.addWidget(box)
    box.show()
    folder = next(b for b in box.buttons() if b.text() == "Open Folder")
    folder.click()
    assert opened and opened[0].toLocalFile() == str(tmp_path)
    assert box.isVisible()  # the box stays up to be read


def test_saving_a_sender_says_so_in_the_status_bar(qtbot, window) -> None:
    sheet = _apply_retries(qtbot, window, "CEN", 4)
    sheet.accept()
    assert window.statusBar().currentMessage() == "Saved the Standard Sender of CEN."
