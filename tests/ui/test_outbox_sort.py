"""The sorted outbox: a header click and every later frame show a full sort of a full rebuild, without Python
comparisons through ``data()``, and the selection and scroll position stay as they are.

The reference: ``outbox_rows(engine.requests(), ...)`` sorted by the column's key with ``sorted`` (equal keys in
arrival order, both directions), on the routed busy hierarchy with run-time changes (tests/outbox_support.py).
"""

from __future__ import annotations

import pytest
from outbox_support import routed_actions
from PySide6.QtCore import QItemSelectionModel, Qt

from console.engine.outbox_order import sort_key
from console.engine.outbox_rows import outbox_rows
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.outbox_view import (
    COL_ADDRESS,
    COL_DEST,
    COL_HOP,
    COL_ID,
    COL_LEFT,
    COL_PRIORITY,
    COL_STATUS,
    COL_WAITING,
    REQUEST_ID_ROLE,
    OutboxModel,
    OutboxView,
)

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def _shown(view: OutboxView) -> list[str]:
    return [view.proxy.index(r, 0).data(REQUEST_ID_ROLE) for r in range(view.proxy.rowCount())]


def _full_sort(bridge: EngineBridge, column: int, order: Qt.SortOrder) -> list[str]:
    rows = outbox_rows(bridge.engine.requests(), bridge.engine.has_addresses)
    ranked = sorted(range(len(rows)), key=lambda i: sort_key(rows[i], column), reverse=order == DESC)
    return [rows[i].request_id for i in ranked]


SORTS = (
    (COL_STATUS, ASC),
    (COL_STATUS, DESC),
    (COL_DEST, ASC),
    (COL_PRIORITY, DESC),
    (COL_LEFT, DESC),
    (COL_HOP, ASC),
    (COL_ADDRESS, DESC),
    (COL_WAITING, ASC),
    (COL_ID, DESC),
)


@pytest.mark.parametrize(("column", "order"), SORTS)
def test_every_frame_while_sorted_shows_a_full_sort_of_a_full_rebuild(routed, column, order) -> None:
    scenario, bridge, view = routed
    bridge.run_for(1800.0)
    view.table.sortByColumn(column, order)
    assert _shown(view) == _full_sort(bridge, column, order)
    sorts = view.proxy.sorts
    actions = routed_actions(scenario)
    refreshed = 0
    for n in range(45):
        count = view.refreshes
        if n in actions:
            actions[n](bridge.engine)
        bridge.run_for(900.0)
        refreshed += view.refreshes - count
        assert _shown(view) == _full_sort(bridge, column, order), f"frame {n}"
    assert refreshed > 30 and view.proxy.rowCount() > 60
    assert view.proxy.sorts == sorts, "frames move rows; only a header click sorts"
    view.table.sortByColumn(-1, ASC)
    assert _shown(view) == [r.request_id for r in view.model.rows()]  # back to arrival order


def test_a_sort_asks_the_model_for_no_cell(routed, monkeypatch) -> None:
    _scenario, bridge, view = routed
    bridge.run_for(7200.0)
    assert view.model.rowCount() > 60
    calls: list[int] = []
    cell, data = OutboxModel.cell, OutboxModel.data
    monkeypatch.setattr(OutboxModel, "cell", lambda self, *a: calls.append(1) or cell(self, *a))
    monkeypatch.setattr(OutboxModel, "data", lambda self, *a: calls.append(1) or data(self, *a))
    for column in (COL_STATUS, COL_DEST, COL_HOP, COL_PRIORITY):
        for order in (ASC, DESC):
            view.table.sortByColumn(column, order)  # painting is the event loop's, not the sort's
    assert calls == []
    bridge.run_for(900.0)  # a frame while sorted: no Python comparison either
    assert calls == []
    assert _shown(view) == _full_sort(bridge, COL_PRIORITY, DESC)


def test_selection_and_scroll_stay_while_sorted(routed) -> None:
    _scenario, bridge, view = routed
    bridge.run_for(3600.0)
    view.table.sortByColumn(COL_STATUS, ASC)
    target = view.proxy.index(view.proxy.rowCount() // 2, 0)
    chosen = target.data(REQUEST_ID_ROLE)
    view.table.selectionModel().select(
        target, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    view.table.doItemsLayout()
    view.table.scrollTo(target)
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0
    for _ in range(10):
        bridge.run_for(900.0)
        view.table.doItemsLayout()
        assert view.selected_request_ids() == [chosen]
        assert view.table.verticalScrollBar().value() == scroll
    view.table.sortByColumn(COL_DEST, DESC)
    assert view.selected_request_ids() == [chosen]
    row = view.table.selectionModel().selectedRows()[0].row()
    assert view.proxy.mapToSource(view.proxy.index(row, 0)).data(REQUEST_ID_ROLE) == chosen
    view.table.clearSelection()  # selectRow on a selected row may toggle it, as the keyboard state says
    assert view.select_request(chosen) and view.selected_request_ids() == [chosen]
