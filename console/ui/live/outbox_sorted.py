"""SortedOutboxModel: the outbox rows in the order the user sorted them, in place of a ``QSortFilterProxyModel``.

Why: the proxy compared rows pair by pair through the model's Python ``data()`` (at 30,000 requests a header click
froze the window for 3-9 s) and, with a dynamic sort, re-sorted on each of a frame's change notices. Here the order
is ``console.engine.outbox_order.RowOrder``: a sort is one ``list.sort`` over a key per row, and a frame moves only
the rows whose key changed, once, after the source model's ``applied``. The source model keeps the rows in arrival
order; this one maps display rows to them (``mapToSource``/``mapFromSource``, as a proxy does).

Selection and scroll position: a sort or a frame's moves are one ``layoutAboutToBeChanged``/``layoutChanged`` with
the persistent indexes moved to their rows' new places (what the proxy did), so the selection follows its rows and
the scroll bar stays where it was. New rows are inserted at the end, then placed by the same layout change.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from console.engine.outbox_order import UNSORTED, RowOrder

if TYPE_CHECKING:  # outbox_view builds this model: the type only
    from console.ui.live.outbox_view import OutboxModel

_KEY_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole)})


class SortedOutboxModel(QAbstractTableModel):
    """``source``'s rows in ``RowOrder``; ``sort`` is what a header click calls."""

    def __init__(self, source: OutboxModel, parent: Any = None) -> None:
        super().__init__(parent)
        self._source = source
        self._order = RowOrder()
        self._changed: set[int] = set()  # source rows changed since the last ``applied``
        self.sorts = 0
        """How many full sorts were made (tests: a frame moves rows, it does not sort again)."""
        self._order.sort(source.rows(), UNSORTED, False)
        source.modelAboutToBeReset.connect(self.beginResetModel)
        source.modelReset.connect(self._source_reset)
        source.rowsAboutToBeInserted.connect(self._source_inserting)
        source.rowsInserted.connect(self._source_inserted)
        source.dataChanged.connect(self._source_changed)
        source.applied.connect(self._settle)

    # -- the mapping ----------------------------------------------------------------------------

    def sourceModel(self) -> OutboxModel:
        return self._source

    def mapToSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        return self._source.index(self._order.order[index.row()], index.column())

    def mapFromSource(self, index: QModelIndex | QPersistentModelIndex) -> QModelIndex:
        if not index.isValid():
            return QModelIndex()
        return self.index(self._order.order.index(index.row()), index.column())

    def sort_column(self) -> tuple[int, bool]:
        """(column, descending); column -1: arrival order."""
        return self._order.column, self._order.descending

    # -- Qt's model API -------------------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order.order)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return self._source.columnCount(parent)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        return self._source.headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        order = self._order.order
        row = index.row()
        return self._source.cell(order[row], index.column(), role) if 0 <= row < len(order) else None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """A header click: every row sorted by ``column`` (-1: arrival order) in one ``list.sort``."""
        self.sorts += 1
        descending = order == Qt.SortOrder.DescendingOrder
        column = column if 0 <= column < self.columnCount() else UNSORTED
        self._relayout(lambda rows: self._order.sort(rows, column, descending))

    # -- following the source -------------------------------------------------------------------

    def _source_reset(self) -> None:
        self._changed.clear()
        self._order.sort(self._source.rows(), self._order.column, self._order.descending)
        self.endResetModel()

    def _source_inserting(self, _parent: QModelIndex, first: int, last: int) -> None:
        n = len(self._order.order)
        self.beginInsertRows(QModelIndex(), n, n + last - first)

    def _source_inserted(self, _parent: QModelIndex, first: int, last: int) -> None:
        self._order.append(last - first + 1)
        self.endInsertRows()
        if not self._order.sorted:
            return
        self._changed.add(first)  # new rows need placing: ``_settle`` sees them (no key yet)

    def _source_changed(self, top: QModelIndex, bottom: QModelIndex, roles: list[int] | None = None) -> None:
        if self._order.sorted and (not roles or _KEY_ROLES.intersection(roles)):
            self._changed.update(range(top.row(), bottom.row() + 1))
            return
        self._changed_everywhere(top.column(), bottom.column(), roles)

    def _settle(self) -> None:
        """After a frame's notices: move the rows whose key changed and place the new ones, in one layout change."""
        if not self._changed:
            return
        changed, self._changed = self._changed, set()
        rows = self._source.rows()
        moved = self._order.rekeyed(rows, sorted(changed))
        if moved or len(rows) > self._order.keyed:
            self._relayout(lambda rows: self._order.place(rows, moved))
        self._changed_everywhere(0, self.columnCount() - 1)

    def _changed_everywhere(self, first_col: int, last_col: int, roles: list[int] | None = None) -> None:
        """One notice for all rows: the view repaints what it shows (changed rows are scattered when sorted)."""
        if self._order.order:
            bottom = self.index(len(self._order.order) - 1, last_col)
            self.dataChanged.emit(self.index(0, first_col), bottom, roles or [])

    def _relayout(self, reorder: Any) -> None:
        """Reorder the rows inside one layout change, moving the persistent indexes (the selection) with them."""
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        order = self._order.order
        sources = [order[i.row()] for i in old]
        reorder(self._source.rows())
        order = self._order.order
        if len(sources) > 16:
            where = dict(zip(order, range(len(order)), strict=True))
            rows = [where[s] for s in sources]
        else:
            rows = [order.index(s) for s in sources]
        self.changePersistentIndexList(old, [self.index(r, i.column()) for r, i in zip(rows, old, strict=True)])
        self.layoutChanged.emit()


__all__ = ["SortedOutboxModel"]
