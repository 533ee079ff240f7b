"""OutboxView: Dumpsend columns from engine.requests(), refreshed from bridge frames, updated in place."""

from __future__ import annotations

import datetime as _dt

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QColor, QPalette

from console.engine.events import RequestStatus
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sim_clock import clock_column
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.outbox_view import (
    COL_ADDRESS,
    COL_CONNECTS,
    COL_DEST,
    COL_HEARTBEAT,
    COL_HOP,
    COL_ID,
    COL_LEFT,
    COL_PACKAGE,
    COL_PRIORITY,
    COL_RESTART,
    COL_SITE,
    COL_STATUS,
    COL_SYNC,
    COL_TOTAL,
    COL_WAITING,
    COLUMNS,
    OutboxView,
    StatusTone,
    tone_colour,
)
from console.ui.sheet.advisory_banner import contrast_ratio

SIZE = 20480 * 1024


@pytest.fixture
def bridge(qtbot):
    """The KB scenario on a frozen wall clock: only run_for/flush move it."""
    b = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", "q278357-sp3.toml")), clock=lambda: 0.0)
    yield b
    b.close()


@pytest.fixture
def view(qtbot, bridge) -> OutboxView:
    v = OutboxView(bridge)
    qtbot.addWidget(v)
    v.resize(1200, 300)
    v.show()
    qtbot.waitExposed(v)
    return v


def cell(view: OutboxView, row: int, col: int) -> str:
    return view.proxy.index(row, col).data()


def row_of(view: OutboxView, request_id: str) -> int:
    for r in range(view.proxy.rowCount()):
        if cell(view, r, COL_ID) == request_id:
            return r
    raise AssertionError(f"{request_id} not in the outbox")


def test_columns_are_dumpsends_with_the_route_after_the_status() -> None:
    assert [c[0] for c in COLUMNS] == [
        "Request ID",
        "Package",
        "Destination",
        "Priority",
        "Status",
        "Site",
        "Hop",
        "Address",
        "Waiting",
        "Total bytes",
        "Bytes left",
        "Sync point",
        "Connects",
        "Heartbeat at",
        "Restart at",
    ]


def test_empty_until_the_first_send_then_one_row(view, bridge) -> None:
    assert view.proxy.rowCount() == 0
    bridge.run_for(0)
    assert view.proxy.rowCount() == 1
    assert [cell(view, 0, c) for c in range(len(COLUMNS))] == [
        "2_001PRI",
        "PRI00001",
        "LAB",
        "Medium",
        "SREQ_STATUS_SENDING",
        "PRI",
        "\u2014",  # a direct send
        "\u2014",  # the implicit address of a scenario without addresses
        "",
        "20,971,520",
        "20,971,520",
        "0",
        "1",
        "09:00:00",
        "",
    ]


def test_status_bytes_and_connects_follow_the_engine(view, bridge) -> None:
    bridge.run_for(60)
    left_at_60 = int(cell(view, 0, COL_LEFT).replace(",", ""))
    sync_at_60 = int(cell(view, 0, COL_SYNC).replace(",", ""))
    assert 0 < left_at_60 < SIZE and left_at_60 + sync_at_60 == SIZE
    assert cell(view, 0, COL_STATUS) == "SREQ_STATUS_SENDING"
    assert cell(view, 0, COL_TOTAL) == "20,971,520"

    bridge.run_for(70)  # the outage at 2m breaks the transfer
    assert cell(view, 0, COL_STATUS) == "SREQ_STATUS_ERROR"
    assert cell(view, 0, COL_HEARTBEAT) == "09:02:00"
    assert int(cell(view, 0, COL_LEFT).replace(",", "")) < left_at_60

    bridge.run_for(500)  # expiry at 8m, the request back in the outbox until 09:18
    assert cell(view, 0, COL_RESTART) == "09:18:00"
    bridge.run_for(500)  # the re-offer at 18m connects again and meets error 32
    assert cell(view, 0, COL_CONNECTS) == "2"
    assert cell(view, 0, COL_STATUS) == "SREQ_STATUS_ERROR"


def test_status_cell_has_icon_colour_tooltip_and_bold_error(view, bridge) -> None:
    bridge.run_for(130)
    index = view.proxy.index(0, COL_STATUS)
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert index.data(Qt.ItemDataRole.ForegroundRole) == tone_colour(StatusTone.ERROR, view.table.palette())
    assert index.data(Qt.ItemDataRole.FontRole).bold()
    assert "retry" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert view.proxy.headerData(COL_SYNC, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "Sync Point is"
    )


def _palette(base: QColor, text: QColor) -> QPalette:
    p = QPalette()
    for role in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Window):
        p.setColor(role, base)
    p.setColor(QPalette.ColorRole.Text, text)
    return p


@pytest.mark.parametrize(
    "palette",
    [
        _palette(QColor("white"), QColor("black")),
        _palette(QColor(0xF4, 0xF4, 0xF4), QColor("black")),
        _palette(QColor(0x1E, 0x1E, 0x1E), QColor("white")),
        _palette(QColor(0x2D, 0x2D, 0x2D), QColor("white")),
    ],
    ids=["light", "light-alternate", "dark", "dark-alternate"],
)
@pytest.mark.parametrize("tone", [StatusTone.OK, StatusTone.ERROR, StatusTone.ACTIVE])
def test_status_colours_readable_in_light_and_dark(palette, tone) -> None:
    colour = tone_colour(tone, palette)
    assert colour is not None
    assert contrast_ratio(colour, palette.color(QPalette.ColorRole.Base)) >= 4.5


def test_pending_uses_the_palettes_own_text_colour() -> None:
    assert tone_colour(StatusTone.PENDING, QPalette()) is None


def test_a_dark_palette_changes_the_status_colour_in_place(view, bridge) -> None:
    bridge.run_for(130)
    light = view.proxy.index(0, COL_STATUS).data(Qt.ItemDataRole.ForegroundRole)
    view.table.setPalette(_palette(QColor(0x1E, 0x1E, 0x1E), QColor("white")))
    dark = view.proxy.index(0, COL_STATUS).data(Qt.ItemDataRole.ForegroundRole)
    assert light != dark
    assert contrast_ratio(dark, QColor(0x1E, 0x1E, 0x1E)) >= 4.5


def test_queued_requests_appear_in_place_and_keep_selection_and_scroll(view, bridge) -> None:
    bridge.run_for(0)
    first = view.model.index(0, 0)
    for i in range(2, 80):
        bridge.queue_package(f"PRI{i:05d}", "LAB", 64, 3)
    bridge.flush()
    assert view.proxy.rowCount() == 79
    target = view.proxy.index(40, 0)
    view.table.selectionModel().select(
        target, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.table.doItemsLayout()  # the view lays rows out lazily; scrolling needs them laid out
    view.table.scrollTo(target)
    selected = view.selected_request_ids()
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0 and len(selected) == 1
    resets: list[int] = []
    view.model.modelReset.connect(lambda: resets.append(1))

    bridge.queue_package("PRI09999", "LAB", 64, 1)  # a new row arrives, most rows change status
    bridge.run_for(600)
    view.table.doItemsLayout()
    assert view.proxy.rowCount() == 80 and not resets
    assert view.selected_request_ids() == selected
    assert view.table.verticalScrollBar().value() == scroll
    assert view.model.index(0, 0) == first  # same row object: updated, not rebuilt


def test_sorting_uses_values_not_text(view, bridge) -> None:
    bridge.run_for(0)
    for i, kb in enumerate((900, 20000, 3000), start=2):
        bridge.queue_package(f"PRI{i:05d}", "LAB", kb, 2)
    bridge.flush()
    view.table.sortByColumn(COL_TOTAL, Qt.SortOrder.DescendingOrder)
    totals = [int(cell(view, r, COL_TOTAL).replace(",", "")) for r in range(4)]
    assert totals == sorted(totals, reverse=True) == [20480 * 1024, 20000 * 1024, 3000 * 1024, 900 * 1024]
    view.table.sortByColumn(COL_PRIORITY, Qt.SortOrder.AscendingOrder)
    assert {cell(view, r, COL_PRIORITY) for r in range(4)} == {"Medium"}
    view.table.sortByColumn(COL_PACKAGE, Qt.SortOrder.DescendingOrder)
    assert cell(view, 0, COL_PACKAGE) == "PRI00004"


def test_sorted_view_resorts_and_the_selection_follows_its_row(view, bridge) -> None:
    bridge.run_for(0)
    bridge.queue_package("PRI00002", "LAB", 512, 2)
    bridge.flush()
    view.table.sortByColumn(COL_LEFT, Qt.SortOrder.DescendingOrder)
    assert [cell(view, r, COL_ID) for r in range(2)] == ["2_001PRI", "2_002PRI"]
    view.table.sortByColumn(COL_STATUS, Qt.SortOrder.AscendingOrder)  # both SENDING: arrival order
    view.select_request("2_001PRI")
    assert view.table.selectionModel().selectedRows()[0].row() == 0
    bridge.run_for(60)  # the small one is delivered: SREQ_STATUS_OK sorts before SREQ_STATUS_SENDING
    assert [cell(view, r, COL_STATUS) for r in range(2)] == ["SREQ_STATUS_OK", "SREQ_STATUS_SENDING"]
    assert cell(view, 1, COL_ID) == "2_001PRI"
    assert view.table.selectionModel().selectedRows()[0].row() == 1
    assert view.selected_request_ids() == ["2_001PRI"]


def test_empty_frames_and_hidden_views_cost_no_snapshot(view, bridge) -> None:
    bridge.run_for(10)
    n = view.refreshes
    bridge.flush()
    bridge.flush()
    assert view.refreshes == n
    view.hide()
    bridge.run_for(200)
    assert view.refreshes == n
    view.show()
    assert view.refreshes == n + 1
    assert cell(view, 0, COL_STATUS) == "SREQ_STATUS_ERROR"


def test_engine_replaced_resets_rows(view, bridge) -> None:
    bridge.run_for(10)
    assert view.proxy.rowCount() == 1
    bridge.load_scenario(load_scenario(resource_path("scenarios", "q278357-sp4.toml")))
    assert view.proxy.rowCount() == 0
    bridge.run_for(1100)
    assert cell(view, 0, COL_STATUS) == RequestStatus.OK.value
    assert cell(view, 0, COL_LEFT) == "0"
    assert cell(view, 0, COL_DEST) == "LAB"


def test_select_request_and_clock_column(view, bridge) -> None:
    bridge.run_for(0)
    assert view.select_request("2_001PRI")
    assert view.selected_request_ids() == ["2_001PRI"]
    assert not view.select_request("2_ZZZPRI")
    start = _dt.datetime(2001, 3, 14, 9, 0, 0)
    assert clock_column(start, None) == ""
    assert clock_column(start, 3723) == "10:02:03"
    assert clock_column(start, 86400 + 60) == "03/15 09:01:00"


# -- where a request is on its way: Site, Hop, Address, Waiting --------------------------------------------------


def scenario_view(qtbot, name: str):
    b = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", f"{name}.toml")), clock=lambda: 0.0)
    v = OutboxView(b)
    qtbot.addWidget(v)
    v.resize(1600, 300)
    v.show()
    qtbot.waitExposed(v)
    return b, v


def tip(view: OutboxView, row: int, col: int) -> str:
    return view.proxy.index(row, col).data(Qt.ItemDataRole.ToolTipRole)


def test_the_second_hop_is_sent_by_chi_with_its_own_address(qtbot) -> None:
    bridge, view = scenario_view(qtbot, "q278357-intermediate")
    try:
        bridge.run_for(0)
        first = row_of(view, "2_001CEN")
        assert cell(view, first, COL_SITE) == "CEN"
        assert cell(view, first, COL_HOP) == "1 of 2+: CEN \u2192 CHI"  # T30 is further on, not yet routed
        assert cell(view, first, COL_ADDRESS) == "No. 1 of 1, CHISRV"
        bridge.run_for(240)  # CEN delivered to CHI; CHI's sender forwards to T30
        first = row_of(view, "2_001CEN")
        second = row_of(view, "2_001CHI")
        assert cell(view, first, COL_HOP) == "1 of 2: CEN \u2192 CHI"
        assert cell(view, first, COL_STATUS) == "SREQ_STATUS_OK"
        assert cell(view, second, COL_SITE) == "CHI"
        assert cell(view, second, COL_DEST) == "T30"
        assert cell(view, second, COL_HOP) == "2 of 2: CHI \u2192 T30"
        assert cell(view, second, COL_ADDRESS) == "No. 1 of 1, T30SRV"
        assert cell(view, second, COL_WAITING) == ""
        assert "CHI's own Standard Sender" in tip(view, second, COL_HOP)
        assert "CHI's sender tried the No. 1 address (out of 1) to T30" in tip(view, second, COL_ADDRESS)
        bridge.run_for(600)  # heartbeat expired at CHI: the thread is gone, the row keeps the address it used
        assert cell(view, row_of(view, "2_001CHI"), COL_STATUS) == "SREQ_STATUS_ERROR"
        assert cell(view, row_of(view, "2_001CHI"), COL_ADDRESS) == "No. 1 of 1, T30SRV"
    finally:
        bridge.close()


def test_a_low_priority_send_waits_for_office_hours_to_end(qtbot) -> None:
    bridge, view = scenario_view(qtbot, "office-hours")
    try:
        bridge.run_for(600)
        low = row_of(view, "3_001PRI")
        assert cell(view, low, COL_STATUS) == "Waiting for address"
        assert cell(view, low, COL_WAITING) == "closed for low priority until 17:00:00"
        assert cell(view, low, COL_ADDRESS) == ""  # no thread has taken it
        assert cell(view, low, COL_HOP) == "\u2014"
        status_tip = tip(view, low, COL_STATUS)
        assert status_tip.startswith("Waiting for address:") and "SREQ_STATUS_NONE" in status_tip
        assert "Wed Mar 14 17:00:00 2001" in tip(view, low, COL_WAITING)
        index = view.proxy.index(low, COL_STATUS)
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
        assert index.data(Qt.ItemDataRole.ForegroundRole) is None  # the palette's own text: it is not an error
        high = row_of(view, "1_002PRI")
        assert cell(view, high, COL_STATUS) == "SREQ_STATUS_OK" and cell(view, high, COL_WAITING) == ""
        bridge.run_for(8 * 3600 + 300)  # 17:05: the address opened for low priority at 17:00
        low = row_of(view, "3_001PRI")
        assert cell(view, low, COL_STATUS) != "Waiting for address"
        assert cell(view, low, COL_WAITING).startswith("waited 8h")
    finally:
        bridge.close()


def test_a_rate_limited_address_says_so(qtbot) -> None:
    bridge, view = scenario_view(qtbot, "rate-limit")
    try:
        bridge.run_for(60)
        assert cell(view, row_of(view, "2_001PRI"), COL_ADDRESS) == "No. 1 of 1, LIMSRV (rate limit)"
        assert "rate limit" in tip(view, row_of(view, "2_001PRI"), COL_ADDRESS)
        assert cell(view, row_of(view, "2_002PRI"), COL_ADDRESS) == "No. 1 of 1, UNLSRV"
        assert cell(view, row_of(view, "2_003PRI"), COL_ADDRESS) == ""  # queued behind the one rate-limited thread
    finally:
        bridge.close()
