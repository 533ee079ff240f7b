"""The sheet's structure: titles, tabs, labels, defaults and ranges, buddies, mnemonics, tab order, General tab."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QSpinBox, QWidget
from sheet_support import make_session, open_sheet, spin

from console.model.sender_settings import FIELD_BY_KEY, FIELDS
from console.model.sender_types import SenderType
from console.ui.sheet.properties_sheet import SenderPropertiesDialog

SPIN_NAMES = {
    "all_sites": "allSitesSpin",
    "per_site": "perSiteSpin",
    "retries": "retryCountSpin",
    "retry_delay_min": "retryDelaySpin",
}
LABELS = {
    "all_sites": "All sites:",
    "per_site": "Per site:",
    "retries": "Number of retries:",
    "retry_delay_min": "Delay before retrying (minutes):",
}


@pytest.fixture
def session(tmp_path):
    return make_session(tmp_path)


def _plain(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def _mnemonic(text: str) -> str | None:
    found = re.search(r"&([^&])", text.replace("&&", ""))
    return found.group(1).upper() if found else None


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        (SenderType.STANDARD, "Standard Sender Properties"),
        (SenderType.ASYNC_RAS, "Asynchronous RAS Sender Properties"),
        (SenderType.COURIER, "Courier Sender Properties"),
    ],
)
def test_title_names_the_sender(qtbot, session, kind, title) -> None:
    sheet = open_sheet(qtbot, session, "CEN", kind)
    assert sheet.windowTitle() == title
    assert sheet.objectName() == "SenderPropertiesDialog"


def test_tabs_buttons_and_object_names(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, advanced=False)
    assert [sheet.tabs.tabText(i) for i in range(sheet.tabs.count())] == ["&General", "A&dvanced"]
    assert [sheet.tabs.widget(i).objectName() for i in range(2)] == ["generalTab", "advancedTab"]
    assert sheet.tabs.currentIndex() == 0  # MMC sheets open on their first page
    left_to_right = sorted(sheet.buttons.buttons(), key=lambda b: b.mapTo(sheet, b.rect().topLeft()).x())
    assert [b.text() for b in left_to_right] == ["OK", "Cancel", "&Apply", "Help"]
    for key, name in SPIN_NAMES.items():
        assert sheet.findChild(QSpinBox, name) is spin(sheet, key)
    assert sheet.findChild(QWidget, "retryDelayAdvisory") is sheet.advanced_page.advisory
    assert sheet.ok_button.isDefault()


def test_group_boxes_labels_defaults_and_ranges_come_from_the_table(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS")  # BOS keeps the defaults
    page = sheet.advanced_page
    assert [g.title() for g in page.findChildren(QGroupBox)] == ["Maximum concurrent sendings", "Retry settings"]
    assert page.concurrency_group.isAncestorOf(spin(sheet, "per_site"))
    assert page.retry_group.isAncestorOf(spin(sheet, "retry_delay_min"))
    assert page.retry_group.isAncestorOf(page.advisory)
    for field in FIELDS:
        box = spin(sheet, field.key)
        assert (box.minimum(), box.maximum(), box.value()) == (field.minimum, field.maximum, field.default)
        assert _plain(page.labels[field.key].text()) == LABELS[field.key]
        assert page.labels[field.key].buddy() is box
        assert box.toolTip() and box.whatsThis() and box.accessibleName() == FIELD_BY_KEY[field.key].label
        assert box.isEnabled()


def test_values_shown_are_the_saved_ones(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    assert {k: spin(sheet, k).value() for k in SPIN_NAMES} == session.site("LAB").standard_sender.settings.to_dict()
    assert spin(sheet, "retry_delay_min").value() == 6


@pytest.mark.parametrize(("code", "kind"), [("CEN", SenderType.ASYNC_RAS), ("NYC", SenderType.ISDN_RAS)])
def test_ras_sender_per_site_is_one_and_disabled(qtbot, session, code, kind) -> None:
    sheet = open_sheet(qtbot, session, code, kind)
    per_site = spin(sheet, "per_site")
    assert per_site.value() == 1 and not per_site.isEnabled()
    assert sheet.edited_settings().per_site == 1
    assert spin(sheet, "all_sites").isEnabled()


def test_courier_sender_has_only_the_general_tab(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS", SenderType.COURIER)
    assert sheet.tabs.count() == 1 and sheet.tabs.tabText(0) == "&General"
    assert sheet.advanced_page is None and sheet.findChild(QSpinBox) is None
    assert sheet.findChild(QWidget, "advancedTab") is None
    assert not sheet.apply_button.isEnabled()
    assert sheet.general_page.values["senderLog"].text().startswith("Coursend.log")


def test_mnemonics_are_unique_on_each_page_and_never_clash_with_tabs_or_buttons(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session)
    shared = [_mnemonic(sheet.tabs.tabText(i)) for i in range(sheet.tabs.count())]
    shared += [_mnemonic(b.text()) for b in sheet.buttons.buttons()]
    for page in (sheet.general_page, sheet.advanced_page):
        texts = [w.text() for w in page.findChildren(QLabel) if w.buddy() is not None]
        texts += [w.text() for w in page.findChildren(QAbstractButton)]
        keys = [k for k in shared + [_mnemonic(t) for t in texts] if k]
        assert len(keys) == len(set(keys)), keys
    labels = sheet.advanced_page.labels.values()
    assert all(_mnemonic(label.text()) for label in labels)


def _focus_chain(start: QWidget) -> list[str]:
    """Widgets Tab visits, in order, from ``start`` until the chain comes back round."""
    names, w = [], start
    while True:
        w = w.nextInFocusChain()
        if w is start:
            return names
        if (w.focusPolicy() & Qt.FocusPolicy.TabFocus) and w.isVisible() and w.isEnabled() and w.focusProxy() is None:
            names.append(w.objectName())


def test_tab_order_follows_reading_order(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "BOS")  # no advisory shown
    sheet.advanced_page.spins["retries"].setValue(3)  # Apply enabled, so it is in the chain
    chain = _focus_chain(sheet.tabs.tabBar())
    assert chain == [
        "allSitesSpin",
        "perSiteSpin",
        "retryCountSpin",
        "retryDelaySpin",
        "okButton",
        "cancelButton",
        "applyButton",
        "helpButton",
    ]


def test_tab_order_reaches_the_advisory_fix_right_after_the_delay(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")  # SP3, delay 6: advisory shown
    chain = _focus_chain(sheet.tabs.tabBar())
    assert chain[3:6] == ["retryDelaySpin", "advisoryFixButton", "okButton"]


def test_general_tab_shows_the_sender_site_server_version_and_log(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB", advanced=False)
    values = {k: v.text() for k, v in sheet.general_page.values.items()}
    assert values == {
        "senderComponent": "SMS_LAN_SENDER",
        "senderSite": "LAB - Training Lab",
        "senderServer": "LABSRV01",
        "senderVersion": "2.0 SP3 (2.00.1493.3000)",
        "senderLog": values["senderLog"],
    }
    assert values["senderLog"].startswith("Sender.log")
    assert sheet.general_page.name_label.text() == "Standard Sender"
    assert not sheet.general_page.icon_label.pixmap().isNull()


def test_general_tab_screenshot(qtbot, session, tmp_path) -> None:
    """What a person sees on the General tab; the PNG is kept in tmp_path for a look after a UI change."""
    sheet = open_sheet(qtbot, session, "CEN", advanced=False)
    png = tmp_path / "general-tab.png"  # look at it: pytest --basetemp=DIR keeps it
    assert sheet.grab().save(str(png))
    image = QImage(str(png))
    assert image.width() == sheet.width() and image.height() == sheet.height()
    assert len({image.pixel(x, image.height() // 4) for x in range(0, image.width(), 2)}) > 3  # not blank


def test_sheet_has_the_same_width_on_every_page_and_sender(qtbot, session) -> None:
    widths = set()
    for code, kind in (("CEN", SenderType.STANDARD), ("LAB", SenderType.STANDARD), ("CEN", SenderType.COURIER)):
        sheet = open_sheet(qtbot, session, code, kind)
        widths.add(sheet.width())
        sheet.tabs.setCurrentIndex(0)
        qtbot.wait(0)
        widths.add(sheet.width())
    assert len(widths) == 1


def test_unknown_site_raises_key_error_naming_it(qtbot, session) -> None:
    with pytest.raises(KeyError, match="XYZ"):
        SenderPropertiesDialog(session, "XYZ")


def _activate(qtbot, sheet: SenderPropertiesDialog) -> None:
    with qtbot.waitActive(sheet):
        sheet.activateWindow()


def test_alt_keys_reach_their_fields_the_tabs_and_apply(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB", advanced=False)
    _activate(qtbot, sheet)
    qtbot.keyClick(sheet, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    assert sheet.tabs.currentWidget() is sheet.advanced_page
    qtbot.keyClick(sheet, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
    assert spin(sheet, "retry_delay_min").hasFocus()
    qtbot.keyClick(sheet, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    assert spin(sheet, "retries").hasFocus()
    qtbot.keyClicks(spin(sheet, "retries").lineEdit(), "3")  # focus by mnemonic selects the text
    assert spin(sheet, "retries").value() == 3
    with qtbot.waitSignal(sheet.settingsApplied):
        qtbot.keyClick(sheet, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    assert sheet.isVisible() and sheet.saved_settings.retries == 3
    qtbot.keyClick(sheet, Qt.Key.Key_G, Qt.KeyboardModifier.AltModifier)
    assert sheet.tabs.currentWidget() is sheet.general_page


def test_whats_this_is_reachable_with_shift_f1_and_the_sheet_has_an_accessible_name(qtbot, session) -> None:
    sheet = open_sheet(qtbot, session, "LAB")
    assert sheet.whats_this_action in sheet.actions()
    assert sheet.whats_this_action.shortcut() == QKeySequence(Qt.Modifier.SHIFT | Qt.Key.Key_F1)
    assert sheet.accessibleName() == "Standard Sender Properties"
    assert "LAB - Training Lab" in sheet.accessibleDescription()
