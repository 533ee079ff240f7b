"""The order the outbox shows its rows in when sorted by a column, kept up to date as rows change or arrive.

Qt-free so that the order can be held against a plain ``sorted`` in tests. Why not ``QSortFilterProxyModel``: it
compares rows pair by pair through the model's Python ``data()`` (O(n log n) Python calls: 3-9 s at 30,000
requests) and, sorted, re-sorts on every frame's change notices. Here a sort is one ``list.sort`` over precomputed
keys, and a frame moves only the rows whose key changed (remove, then binary-search insert).

The order is the one ``sorted(range(n), key=..., reverse=descending)`` gives: by the column's key, and rows with
equal keys in arrival order, in both directions (as the stable proxy sort did before).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from console.engine.outbox_rows import OutboxRow, hop_texts


def _hop_key(row: OutboxRow) -> str:
    if row.hops <= 1 and row.complete:
        return "0"  # a direct send, as hop_texts says, without making its tooltip
    return hop_texts(row.request, row.hops, row.complete)[2]


def _time_key(t: float | None) -> float:
    return -1.0 if t is None else t


SORT_KEYS: tuple[Callable[[OutboxRow], Any], ...] = (
    lambda row: row.request.request_id,
    lambda row: row.request.package,
    lambda row: row.request.dest,
    lambda row: row.request.priority,
    lambda row: row.status,
    lambda row: row.request.site,
    _hop_key,
    lambda row: row.address_texts()[0],
    lambda row: _time_key(None if row.request.waiting is None else row.request.waiting.until),
    lambda row: row.request.total_bytes,
    lambda row: row.request.bytes_left,
    lambda row: row.request.sync_point,
    lambda row: row.request.connects,
    lambda row: _time_key(row.request.heartbeat_at),
    lambda row: _time_key(row.request.restart_at),
)
"""Per column (the view's column order), the value it sorts by: numbers for numbers and times, not their text."""

UNSORTED = -1


def sort_key(row: OutboxRow, column: int) -> Any:
    return SORT_KEYS[column](row)


class RowOrder:
    """``order``: the rows' arrival indices in display order (identity when ``column`` is ``UNSORTED``)."""

    def __init__(self) -> None:
        self.order: list[int] = []
        self.column = UNSORTED
        self.descending = False
        self._keys: list[Any] = []  # by arrival index; empty while unsorted

    @property
    def sorted(self) -> bool:
        return self.column != UNSORTED

    @property
    def keyed(self) -> int:
        """How many rows have their key (the rows from here on are new: ``append``, not placed yet)."""
        return len(self._keys)

    def sort(self, rows: Sequence[OutboxRow], column: int, descending: bool) -> None:
        """Sort all rows by ``column`` (``UNSORTED``: arrival order): one key per row, one ``list.sort``."""
        self.column, self.descending = column, descending
        if column == UNSORTED:
            self._keys = []
            self.order = list(range(len(rows)))
            return
        key = SORT_KEYS[column]
        self._keys = keys = [key(r) for r in rows]
        # Sorting range(n) keeps equal keys in arrival order, reverse=True included (list.sort stays stable).
        self.order = sorted(range(len(rows)), key=keys.__getitem__, reverse=descending)

    def append(self, count: int) -> None:
        """``count`` new rows shown at the end for now (``place`` puts them where they belong)."""
        n = len(self.order)
        self.order.extend(range(n, n + count))

    def rekeyed(self, rows: Sequence[OutboxRow], changed: Iterable[int]) -> list[int]:
        """Of the ``changed`` rows (arrival indices), those whose key is no longer the one they are placed by."""
        if not self.sorted:
            return []
        key, keys = SORT_KEYS[self.column], self._keys
        return [i for i in changed if i < len(keys) and key(rows[i]) != keys[i]]

    def place(self, rows: Sequence[OutboxRow], moved: Sequence[int]) -> None:
        """Put the ``moved`` rows (``rekeyed``) and the rows ``append`` left at the end where the sort puts them."""
        if not self.sorted:
            return
        keys, order = self._keys, self.order
        new = range(len(keys), len(rows))
        if len(moved) + len(new) > max(64, len(order) // 16):  # many: one sort is cheaper than many moves
            self.sort(rows, self.column, self.descending)
            return
        del order[len(order) - len(new) :]
        for i in moved:
            del order[self._find(keys[i], i)]
        key = SORT_KEYS[self.column]
        for i in moved:
            keys[i] = key(rows[i])
        keys.extend(key(rows[i]) for i in new)
        for i in (*moved, *new):
            order.insert(self._find(keys[i], i), i)

    def _find(self, k: Any, i: int) -> int:
        """Where row ``i`` with key ``k`` is (or goes) in ``order``: the number of rows placed before it."""
        order, keys, lo, hi = self.order, self._keys, 0, len(self.order)
        while lo < hi:
            mid = (lo + hi) // 2
            j = order[mid]
            kj = keys[j]
            before = (kj > k if self.descending else kj < k) or (kj == k and j < i)
            if before:
                lo = mid + 1
            else:
                hi = mid
        return lo


__all__ = ["SORT_KEYS", "UNSORTED", "RowOrder", "sort_key"]
