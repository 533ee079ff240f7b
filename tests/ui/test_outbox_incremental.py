"""OutboxView reads only what changed: after every frame its cells are a full rebuild's, and Qt heard of every change.

The reference is a second ``OutboxModel`` reset from ``outbox_rows(engine.requests(), engine.has_addresses)`` (what
the view showed before it read the changes only), compared cell by cell in every role the view paints. Runs: a
routed busy hierarchy with run-time changes and a reset, frames while the tab is hidden, and the engine replaced.
"""

from __future__ import annotations

from outbox_support import bundled, routed_actions
from PySide6.QtCore import QModelIndex, Qt

from console.engine.outbox_rows import OutboxRow, outbox_rows
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.outbox_view import SORT_ROLE, OutboxModel, OutboxView

ROLES = (Qt.ItemDataRole.DisplayRole, SORT_ROLE, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole)


def _cells(model: OutboxModel) -> list[tuple[object, ...]]:
    cols = model.columnCount()
    return [tuple(model.index(r, c).data(role) for c in range(cols) for role in ROLES) for r in range(model.rowCount())]


class Notices:
    """The rows the model told Qt about (changed or inserted) since ``take``."""

    def __init__(self, model: OutboxModel) -> None:
        self.rows: set[int] = set()
        self.resets = 0
        model.dataChanged.connect(lambda a, b, _roles=(): self.rows.update(range(a.row(), b.row() + 1)))
        model.rowsInserted.connect(lambda _p, first, last: self.rows.update(range(first, last + 1)))
        model.modelReset.connect(self._reset)

    def _reset(self) -> None:
        self.resets += 1

    def take(self) -> set[int]:
        rows, self.rows = self.rows, set()
        return rows


def _reference(view: OutboxView, bridge: EngineBridge) -> OutboxModel:
    ref = OutboxModel(view.table_palette, view._status_icon)
    engine = bridge.engine
    ref.reset(outbox_rows(engine.requests(), engine.has_addresses), engine.start)
    return ref


def _frame_matches(
    view: OutboxView, bridge: EngineBridge, notices: Notices, before: tuple[OutboxRow, ...], cells: bool = True
) -> None:
    """The rows equal the full rebuild's (and so, every ``cells``, does every cell); each changed row was told."""
    shown = view.model.rows()
    engine = bridge.engine
    assert list(shown) == outbox_rows(engine.requests(), engine.has_addresses)
    if cells:
        assert _cells(view.model) == _cells(_reference(view, bridge))
    told = notices.take()
    if notices.resets:
        return
    differ = {r for r in range(len(shown)) if r >= len(before) or shown[r] != before[r]}
    assert differ <= told, f"rows changed without a notice: {sorted(differ - told)[:10]}"


def test_every_frame_shows_what_a_full_rebuild_shows(routed) -> None:
    scenario, bridge, view = routed
    notices = Notices(view.model)
    actions = routed_actions(scenario)
    refreshed = 0
    for n in range(60):
        before = view.model.rows()
        count = view.refreshes
        if n in actions:
            actions[n](bridge.engine)
        bridge.run_for(900.0)
        if view.refreshes == count:
            continue  # a frame without events is skipped, as before
        refreshed += 1
        _frame_matches(view, bridge, notices, before, cells=n % 10 == 0 or n == 41)
        notices.resets = 0
    assert refreshed > 40
    assert view.model.rowCount() > 100


def test_frames_while_hidden_are_caught_up_when_shown(routed, qtbot) -> None:
    _scenario, bridge, view = routed
    notices = Notices(view.model)
    bridge.run_for(3600.0)
    before = view.model.rows()
    notices.take()
    view.hide()
    count = view.refreshes
    for _ in range(8):
        bridge.run_for(600.0)
    assert view.refreshes == count
    view.show()
    qtbot.waitExposed(view)
    assert view.refreshes == count + 1
    _frame_matches(view, bridge, notices, before)


def test_a_replaced_engine_starts_again_and_then_refreshes_in_place(routed) -> None:
    _scenario, bridge, view = routed
    bridge.run_for(7200.0)
    notices = Notices(view.model)
    bridge.load_scenario(bundled("q278357-intermediate"))
    assert notices.resets == 1
    notices.resets = 0
    notices.take()
    for _ in range(20):
        before = view.model.rows()
        bridge.run_for(60.0)
        _frame_matches(view, bridge, notices, before)
    assert notices.resets == 0 and view.model.rowCount() == 2
    assert view.model.index(0, 0, QModelIndex()).data() == "2_001CEN"
