"""Console window: the site tree, the senders list, and opening a sender's properties sheet."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.ui.window.senders_list import EMPTY_HINT, SENDER_TYPE_ROLE
from console.ui.window.site_tree import NodeKind, NodeRef


def _texts(model, parent: QModelIndex = QModelIndex()) -> list:  # noqa: B008
    out = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        children = _texts(model, index)
        out.append((index.data(), children) if children else index.data())
    return out


def test_tree_follows_the_sms_console_shape_and_nests_by_parent(window) -> None:
    settings = ("Site Settings", ["Addresses", "Senders"])
    assert _texts(window.tree.model()) == [
        (
            "Site Database (CEN - Central Site)",
            [
                (
                    "Site Hierarchy",
                    [
                        (
                            "CEN - Central Site",
                            [
                                settings,
                                ("LAB - Training Lab", [settings]),
                                ("NYC - New York Office", [settings, ("BOS - Boston Branch", [settings])]),
                            ],
                        ),
                    ],
                ),
            ],
        ),
    ]


def test_starts_on_the_central_site_with_its_senders_listed(window) -> None:
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "CEN")
    model = window.senders.model
    assert [model.index(r, 1).data() for r in range(model.rowCount())] == [
        "SMS_LAN_SENDER",
        "SMS_ASYNC_RAS_SENDER",
        "SMS_COURIER_SENDER",
    ]
    assert window.senders.hint_text == ""
    view = window.senders.view
    for column in range(3):  # "Asynchronous RAS Sender" and "SMS_ASYNC_RAS_SENDER" are not clipped
        assert view.header().sectionSize(column) >= view.sizeHintForColumn(column)
    assert "CEN - Central Site" in window.senders.header_text and "SMS 2.0 SP4" in window.senders.header_text


def test_clicking_a_senders_folder_lists_that_sites_senders(qtbot, window) -> None:
    window.show()
    index = window.tree.tree_model.index_of(NodeRef(NodeKind.SENDERS, "NYC"))
    window.tree.scrollTo(index)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=window.tree.visualRect(index).center())
    assert window.tree.current_node() == NodeRef(NodeKind.SENDERS, "NYC")
    model = window.senders.model
    rows = [[model.index(r, c).data() for c in range(4)] for r in range(model.rowCount())]
    assert rows == [
        ["Standard Sender", "SMS_LAN_SENDER", "NYCSRV01", "5 / 3, 2 retries every 6 min"],
        ["ISDN RAS Sender", "SMS_ISDN_RAS_SENDER", "NYCSRV01", "5 / 1, 2 retries every 1 min"],
        ["Courier Sender", "SMS_COURIER_SENDER", "NYCSRV01", "\u2014"],
    ]
    assert model.index(1, 0).data(SENDER_TYPE_ROLE) is SenderType.ISDN_RAS
    assert "Senders" in window.windowTitle() and "NYC - New York Office" in window.windowTitle()


def test_q278357_warning_only_where_the_rule_applies(window) -> None:
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))  # SP3, delay 6
    tip = window.senders.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert "Q278357" in tip and "6-minute" in tip
    assert "Q278357" in window.senders.advisory_text and "Standard Sender" in window.senders.advisory_text
    lab = window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "LAB"))
    assert "Q278357" in lab.data(Qt.ItemDataRole.ToolTipRole)

    window.tree.select_node(NodeRef(NodeKind.SITE, "NYC"))  # SP4, same delay: fixed there
    assert "Q278357" not in window.senders.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert window.senders.advisory_text == ""
    nyc = window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "NYC"))
    assert "Q278357" not in nyc.data(Qt.ItemDataRole.ToolTipRole)


def test_top_nodes_show_how_to_pick_a_site(window) -> None:
    window.tree.select_node(NodeRef(NodeKind.HIERARCHY))
    assert window.senders.hint_text == EMPTY_HINT
    assert window.senders.model.rowCount() == 0
    assert not window.action_properties.isEnabled()
    assert not window.action_edit_site.isEnabled() and not window.action_delete_site.isEnabled()
    window.tree.select_node(NodeRef(NodeKind.SITE_SETTINGS, "BOS"))
    assert window.senders.hint_text == "" and window.senders.model.site.code == "BOS"
    assert window.action_properties.isEnabled() and window.action_delete_site.isEnabled()


def test_settings_applied_elsewhere_refresh_the_list_and_keep_the_selection(window, session) -> None:
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))
    window.senders.select_sender(SenderType.ISDN_RAS)
    session.update_sender_settings("NYC", SenderType.ISDN_RAS, SenderSettings.for_ras(retries=7))
    assert window.tree.current_node() == NodeRef(NodeKind.SENDERS, "NYC")
    assert window.senders.current_sender() is SenderType.ISDN_RAS
    assert window.senders.model.index(1, 3).data() == "5 / 1, 7 retries every 1 min"
    session.update_sender_settings("CEN", SenderType.STANDARD, SenderSettings(retry_delay_min=9))
    assert window.tree.current_node() == NodeRef(NodeKind.SENDERS, "NYC")  # a change elsewhere moves nothing


def _double_click_row(qtbot, window, row: int) -> None:
    view = window.senders.view
    rect = view.visualRect(window.senders.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.parametrize(
    ("code", "row", "kind"),
    [("LAB", 0, SenderType.STANDARD), ("CEN", 1, SenderType.ASYNC_RAS), ("BOS", 1, SenderType.COURIER)],
)
def test_double_click_opens_the_sheet_of_that_site_and_sender(qtbot, window, code, row, kind) -> None:
    window.show()
    window.tree.select_node(NodeRef(NodeKind.SENDERS, code))
    with qtbot.waitSignal(window.sheetOpened) as opened:
        _double_click_row(qtbot, window, row)
    sheet = opened.args[0]
    assert sheet.objectName() == "SenderPropertiesDialog"
    assert (sheet.site_code, sheet.sender_type) == (code, kind)
    assert sheet.isVisible() and not sheet.isModal()  # MMC property sheets are modeless
    assert window.open_sheets() == {(code, kind): sheet}


@pytest.mark.qt_log_ignore("does not support raise")  # offscreen cannot raise a window; xcb/Windows can
def test_alt_enter_opens_the_selected_senders_sheet_and_a_second_request_raises_it(qtbot, window) -> None:
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))
    window.senders.select_sender(SenderType.ISDN_RAS)
    window.senders.view.setFocus()
    with qtbot.waitSignal(window.sheetOpened) as opened:
        qtbot.keyClick(window.senders.view, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    sheet = opened.args[0]
    assert (sheet.site_code, sheet.sender_type) == ("NYC", SenderType.ISDN_RAS)
    assert window.open_properties("NYC", SenderType.ISDN_RAS) is sheet
    assert len(window.open_sheets()) == 1
    sheet.reject()
    qtbot.waitUntil(lambda: window.open_sheets() == {})


def test_properties_on_a_site_node_opens_its_standard_sender(qtbot, window) -> None:
    window.tree.select_node(NodeRef(NodeKind.SITE, "BOS"))
    window.action_properties.trigger()
    assert list(window.open_sheets()) == [("BOS", SenderType.STANDARD)]


def test_a_column_the_user_sized_keeps_its_width(qtbot, window) -> None:
    window.show()
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))
    header = window.senders.view.header()
    header.resizeSection(0, 90)  # as a drag on the column edge does
    window.tree.select_node(NodeRef(NodeKind.SITE, "CEN"))  # longer names: would have grown the column
    assert header.sectionSize(0) == 90
