"""The inline Q278357 advisory: when it shows, how it follows typing and spinning, its fix, size and colours."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QStyle
from sheet_support import make_session, open_sheet, spin, type_into

from console.model.advisories import q278357_advisory
from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN, SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.sites import Site
from console.model.versions import SiteVersion
from console.ui.sheet.advisory_banner import AdvisoryBanner, contrast_ratio, kb_url

OLDER = [SiteVersion.RTM, SiteVersion.SP1, SiteVersion.SP2, SiteVersion.SP3]


@pytest.fixture
def session(tmp_path) -> SiteSession:
    return make_session(tmp_path)


def _site_on(session: SiteSession, version: SiteVersion, delay: int) -> str:
    """Put BOS on ``version`` with this delay (saved through the session) and return its code."""
    bos = session.site("BOS")
    session.edit_site("BOS", Site(bos.code, bos.name, bos.server, version, bos.parent, bos.senders))
    session.update_sender_settings("BOS", SenderType.STANDARD, SenderSettings(retry_delay_min=delay))
    return "BOS"


def _banner(sheet) -> AdvisoryBanner:
    return sheet.advanced_page.advisory


@pytest.mark.parametrize("version", list(SiteVersion))
@pytest.mark.parametrize("delay", [1, 5, 6, 99])
def test_shown_exactly_when_the_delay_is_over_five_minutes_before_sp4(qtbot, session, version, delay) -> None:
    sheet = open_sheet(qtbot, session, _site_on(session, version, delay))
    expected = delay > HEARTBEAT_TIMEOUT_MIN and version in OLDER
    assert _banner(sheet).isVisible() is expected
    assert (_banner(sheet).advisory is not None) is expected


def test_banner_shows_the_model_advisory_with_icon_kb_and_fix(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    banner = _banner(sheet)
    expected = q278357_advisory(SiteVersion.SP3, 6)
    assert banner.advisory == expected
    assert banner.findChild(QLabel, "advisoryTitle").text() == expected.title
    assert banner.findChild(QLabel, "advisoryText").text() == expected.text
    kb = banner.findChild(QLabel, "advisoryKb")
    assert "KB Q278357" in kb.text() and kb_url("Q278357") in kb.text()
    assert kb_url("Q278357") == "https://jeffpar.github.io/kbarchive/kb/278/Q278357/"
    assert not banner.findChild(QLabel, "advisoryIcon").pixmap().isNull()
    assert banner.fix_button.text() == "Set to &5 minutes" and banner.fix_button.isVisible()


def test_accessible_name_and_description(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    banner = _banner(sheet)
    assert banner.accessibleName() == "Warning Q278357"
    assert banner.accessibleDescription() == f"{banner.advisory.title} {banner.advisory.text}"
    assert banner.fix_button.accessibleName() == "Set to 5 minutes"
    spin(sheet, "retry_delay_min").setValue(5)
    assert banner.accessibleName() == "" and banner.accessibleDescription() == ""


def test_follows_each_keystroke(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS")  # RTM, delay 1
    delay, banner = spin(sheet, "retry_delay_min"), _banner(sheet)
    seen = []
    type_into(qtbot, delay, "1")
    seen.append(banner.isVisible())
    qtbot.keyClicks(delay.lineEdit(), "2")  # "12"
    seen.append(banner.isVisible())
    qtbot.keyClick(delay.lineEdit(), Qt.Key.Key_Backspace)  # "1"
    seen.append(banner.isVisible())
    qtbot.keyClick(delay.lineEdit(), Qt.Key.Key_Backspace)  # "": not a value, so the committed one counts
    seen.append(banner.isVisible())
    qtbot.keyClicks(delay.lineEdit(), "6")
    seen.append(banner.isVisible())
    assert seen == [False, True, False, False, True]
    assert banner.advisory.title.startswith("A 6-minute")


def test_title_tracks_the_typed_value(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    type_into(qtbot, spin(sheet, "retry_delay_min"), "45")
    assert _banner(sheet).findChild(QLabel, "advisoryTitle").text().startswith("A 45-minute")


def test_follows_the_spin_arrows(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, _site_on(session, SiteVersion.SP2, 5))
    delay = spin(sheet, "retry_delay_min")
    assert not _banner(sheet).isVisible()
    delay.setFocus()
    qtbot.keyClick(delay, Qt.Key.Key_Up)
    assert delay.value() == 6 and _banner(sheet).isVisible()
    qtbot.keyClick(delay, Qt.Key.Key_Down)
    assert delay.value() == 5 and not _banner(sheet).isVisible()


def test_quick_fix_sets_five_minutes_and_hides(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    qtbot.mouseClick(_banner(sheet).fix_button, Qt.MouseButton.LeftButton)
    assert spin(sheet, "retry_delay_min").value() == 5
    assert not _banner(sheet).isVisible()
    assert sheet.apply_button.isEnabled()  # the fix is an edit; it is saved only by OK or Apply
    assert session.site("LAB").standard_sender.settings.retry_delay_min == 6


def test_sp4_never_warns_even_while_typing(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "NYC")  # SP4 with delay 6
    for text in ("9", "99", "30"):
        type_into(qtbot, spin(sheet, "retry_delay_min"), text)
        assert not _banner(sheet).isVisible()


def test_never_blocks_ok(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS")
    type_into(qtbot, spin(sheet, "retry_delay_min"), "30")
    assert _banner(sheet).isVisible() and sheet.ok_button.isEnabled()
    sheet.ok_button.click()
    assert sheet.result() == sheet.DialogCode.Accepted
    assert session.site("BOS").standard_sender.settings.retry_delay_min == 30


def test_hiding_leaves_no_gap_and_the_sheet_grows_and_shrinks(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS")
    delay = spin(sheet, "retry_delay_min")
    before_hint, before_size = sheet.sizeHint(), sheet.size()
    delay.setValue(6)
    qtbot.waitUntil(lambda: sheet.height() > before_size.height())
    grown = sheet.size()
    banner = _banner(sheet)
    assert grown.width() == before_size.width()
    assert banner.geometry().bottom() < sheet.advanced_page.retry_group.geometry().height()
    assert grown.height() - before_size.height() >= banner.height()
    delay.setValue(5)
    qtbot.waitUntil(lambda: sheet.height() == before_size.height())
    assert sheet.sizeHint() == before_hint and sheet.size() == before_size


def test_wrapped_text_is_never_cut_off(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    for name in ("advisoryTitle", "advisoryText"):
        label = _banner(sheet).findChild(QLabel, name)
        assert label.height() >= label.heightForWidth(label.width()), name
    kb = _banner(sheet).findChild(QLabel, "advisoryKb")
    assert kb.width() >= kb.sizeHint().width()


def _dark_palette() -> QPalette:
    palette = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, colour in (
            (QPalette.ColorRole.Window, "#2b2b2b"),
            (QPalette.ColorRole.WindowText, "#e6e6e6"),
            (QPalette.ColorRole.Base, "#1e1e1e"),
            (QPalette.ColorRole.Text, "#e6e6e6"),
            (QPalette.ColorRole.Button, "#353535"),
            (QPalette.ColorRole.ButtonText, "#e6e6e6"),
            (QPalette.ColorRole.Link, "#6cb4ff"),
        ):
            palette.setColor(group, role, QColor(colour))
    return palette


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_readable_in_light_and_dark_palettes(qtbot, session, theme) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    palette = QApplication.style().standardPalette() if theme == "light" else _dark_palette()
    sheet.setPalette(palette)
    banner = _banner(sheet)
    background = banner.background_color()
    text = banner.findChild(QLabel, "advisoryText").palette().color(QPalette.ColorRole.WindowText)
    assert contrast_ratio(text, background) >= 4.5
    assert background != palette.color(QPalette.ColorRole.Window)  # tinted, so it stands out
    kb = banner.findChild(QLabel, "advisoryKb")
    assert palette.color(QPalette.ColorRole.Link).name() in kb.text()
    image = banner.grab().toImage()
    assert QColor(image.pixel(image.width() - 4, image.height() // 2)).name() == background.name()


def test_warning_icon_is_the_standard_one(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    icon = _banner(sheet).findChild(QLabel, "advisoryIcon").pixmap().toImage()
    size = icon.width()
    style = _banner(sheet).style()
    expected = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning, None, _banner(sheet)).pixmap(size, size)
    assert icon == expected.toImage()


def test_banner_alone_shows_and_hides(qtbot) -> None:
    banner = AdvisoryBanner()
    qtbot.addWidget(banner)
    fixes = []
    banner.fixRequested.connect(fixes.append)
    banner.show_advisory(q278357_advisory(SiteVersion.RTM, 10))
    banner.show()
    assert banner.isVisible()
    banner.fix_button.click()
    assert fixes == [5]
    banner.show_advisory(None)
    assert not banner.isVisible() and banner.advisory is None
