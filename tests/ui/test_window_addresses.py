"""Console window: Site Settings → Addresses, its list, New Address…, Delete Address, the address sheets, and the
Q278357 mark on every site that forwards packages."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from console.model.addresses import Address
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.versions import SiteVersion
from console.ui.sheet.address_sheet import AddressPropertiesDialog
from console.ui.window.address_list import COLUMNS
from console.ui.window.site_tree import NodeKind, NodeRef


def _rows(window) -> list[list[str]]:
    model = window.addresses.model
    return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_addresses_node_lists_the_sites_addresses_in_place_of_the_senders(window) -> None:
    assert window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "CEN"))
    assert window.details.currentWidget() is window.addresses
    assert [window.addresses.model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))] == list(
        COLUMNS
    )
    assert _rows(window) == [
        [
            "LAB - Training Lab",
            "Standard Sender",
            "1",
            "LABSRV01",
            "Mon\u2013Fri 08:00\u201317:00: medium and high; other times open",
            "Unlimited",
        ],
        ["NYC - New York Office", "Standard Sender", "1", "NYCSRV01", "Open 7 \u00d7 24", "Unlimited"],
    ]
    assert window.addresses.header_text.startswith("Addresses of CEN - Central Site")
    assert "Addresses" in window.windowTitle()
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "CEN"))
    assert window.details.currentWidget() is window.senders


def test_the_nyc_to_bos_rate_limit_is_in_the_list(window) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "NYC"))
    rows = {r[0][:3]: r for r in _rows(window)}
    assert rows["BOS"][5] == "Every day 08:00\u201317:00: 50 %; other times unlimited"


def test_double_click_and_properties_open_one_sheet_per_address(window, qtbot) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "CEN"))
    window.addresses.select_address(("CEN", "NYC", 1))
    assert window.action_properties.isEnabled() and window.action_delete_address.isEnabled()
    sheet = window.properties_of_selection()
    qtbot.addWidget(sheet)
    assert isinstance(sheet, AddressPropertiesDialog) and sheet.key == ("CEN", "NYC", 1)
    window.addresses.addressActivated.emit(("CEN", "NYC", 1))
    assert window.open_address_sheets() == {("CEN", "NYC", 1): sheet}
    sheet.close()


def test_a_change_in_a_sheet_refreshes_the_list(window, qtbot) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "CEN"))
    sheet = window.open_address_properties(("CEN", "NYC", 1))
    qtbot.addWidget(sheet)
    sheet.general_page.server_edit.setText("NYCNEW")
    sheet.general_page.server_edit.textEdited.emit("NYCNEW")
    sheet.accept()
    assert _rows(window)[1][3] == "NYCNEW"
    assert window.tree.current_node() == NodeRef(NodeKind.ADDRESSES, "CEN")


def test_new_address_opens_a_new_sheet_for_the_selected_site(window, qtbot) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "BOS"))
    sheet = window.new_address()
    qtbot.addWidget(sheet)
    assert sheet.key is None and sheet.from_site == "BOS"
    page = sheet.general_page
    page.dest_combo.setCurrentIndex(page.dest_combo.findData("CEN"))
    sheet.accept()
    assert [r[0] for r in _rows(window)] == ["CEN - Central Site", "NYC - New York Office"]
    assert window.addresses.current_address() == ("BOS", "CEN", 1)  # the new address is the one selected


def test_delete_address_asks_first(window, monkeypatch) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "CEN"))
    window.addresses.select_address(("CEN", "LAB", 1))
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent, _title, text, *_args):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    assert not window.delete_address() and len(window.session.database.addresses_from("CEN")) == 2
    assert window.delete_address()
    assert "Delete the address CEN \u2192 LAB (1)?" in asked[0]
    assert [a.dest for a in window.session.database.addresses_from("CEN")] == ["NYC"]
    assert [r[0] for r in _rows(window)] == ["NYC - New York Office"]


def test_a_site_without_addresses_says_how_to_add_one(window) -> None:
    for a in list(window.session.database.addresses_from("LAB")):
        window.session.remove_address((a.from_site, a.dest, a.priority))
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "LAB"))
    assert "has no addresses" in window.addresses.hint_text and "New Address" in window.addresses.hint_text


def test_a_site_with_an_open_address_sheet_cannot_be_deleted(window, qtbot, monkeypatch) -> None:
    sheet = window.open_address_properties(("NYC", "BOS", 1))
    qtbot.addWidget(sheet)
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    window.tree.select_node(NodeRef(NodeKind.SITE, "BOS"))
    assert not window.delete_site()
    assert told and "NYC \u2192 BOS (1)" in told[0] and "open" in told[0]


def test_tree_marks_an_sp3_child_that_forwards_while_the_central_site_is_sp4(window) -> None:
    model = window.tree.tree_model
    lab = model.index_of(NodeRef(NodeKind.SITE, "LAB"))
    cen = model.index_of(NodeRef(NodeKind.SITE, "CEN"))
    assert window.session.site("CEN").version is SiteVersion.SP4
    assert "Q278357" in lab.data(3) and "LAB sends and forwards packages to CEN" in lab.data(3)
    assert "Q278357" not in (cen.data(3) or "")
    # BOS (RTM) gets the mark as soon as its own sender waits too long, though it only forwards up to NYC
    window.session.update_sender_settings("BOS", SenderType.STANDARD, SenderSettings(retry_delay_min=6))
    bos = model.index_of(NodeRef(NodeKind.SITE, "BOS"))
    assert "Q278357" in bos.data(3) and "to NYC" in bos.data(3)


def test_addresses_node_survives_a_rename(window) -> None:
    window.tree.select_node(NodeRef(NodeKind.ADDRESSES, "NYC"))
    window.session.edit_site("NYC", window.session.site("NYC").replace(code="NY1"))
    assert window.tree.current_node() == NodeRef(NodeKind.ADDRESSES, "NY1")
    assert {r[0][:3] for r in _rows(window)} == {"CEN", "BOS"}
    window.session.add_address(Address("NY1", "LAB", 1, "LABSRV01"))
    assert len(_rows(window)) == 3
