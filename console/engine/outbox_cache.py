"""The outbox rows of a running engine, kept up to date from what changed (``SenderEngine.requests_since``).

Equal after every ``update`` to ``outbox_rows(engine.requests(), engine.has_addresses)``, the full rebuild, at a
cost that follows the changes instead of the number of requests (issue 11: thousands of sites). Why that holds:
- ``requests_since`` gives every request whose view may differ from the last update's, new ones included; the
  others' views are unchanged, so they are kept.
- A row also reads the other hops of its send (how many, whether the last one reaches the final destination), and
  ``outbox_rows`` reads them per send and nothing else. So every send with a changed request has all its rows made
  again by ``outbox_rows`` from its requests' views in index order: the rows the full rebuild makes for them.
- Whether the engine has addresses shows in every row: when it changes, every row is made again.
- A new engine, or one reset, gives no usable mark: everything is read again (``full``).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Protocol

from console.engine.events import RequestView
from console.engine.outbox_rows import OutboxRow, outbox_rows
from console.engine.request_changes import RequestDelta, RequestMark


class RequestSource(Protocol):
    """What the cache reads of an engine (``SenderEngine`` is one)."""

    @property
    def has_addresses(self) -> bool: ...

    def requests_since(self, mark: RequestMark | None = None) -> RequestDelta: ...


def send_key(view: RequestView) -> str:
    """The send a request is a hop of, as ``outbox_rows`` groups them."""
    return view.send_id or view.request_id


@dataclass(frozen=True, slots=True)
class RowChanges:
    """What an ``update`` did to the rows: ``changed``, the rows before ``old_count`` that differ now (ascending);
    rows from ``old_count`` on are new. ``reset``: fewer rows than before (another engine run): start again."""

    old_count: int
    changed: tuple[int, ...] = ()
    reset: bool = False

    def runs(self) -> list[tuple[int, int]]:
        """``changed`` as (first, last) runs of consecutive rows: one change notice each."""
        runs: list[tuple[int, int]] = []
        for i in self.changed:
            if runs and runs[-1][1] == i - 1:
                runs[-1] = (runs[-1][0], i)
            else:
                runs.append((i, i))
        return runs


class OutboxRowCache:
    """``rows``: one ``OutboxRow`` per request of the engine last given to ``update``, in arrival order."""

    def __init__(self) -> None:
        self.rows: list[OutboxRow] = []
        self._views: list[RequestView] = []
        self._sends: dict[str, list[int]] = {}  # send key -> indices of its requests, ascending
        self._mark: RequestMark | None = None
        self._addressed = True

    def clear(self) -> None:
        """Forget everything: the next ``update`` reads every request."""
        self.rows, self._views, self._sends, self._mark = [], [], {}, None

    def update(self, engine: RequestSource) -> RowChanges:
        """Bring ``rows`` up to date with ``engine`` and say which rows changed."""
        old_count = len(self.rows)
        delta = engine.requests_since(self._mark)
        self._mark = delta.mark
        addressed = engine.has_addresses
        if delta.full:
            self._views = [v for _i, v in delta.changed]
            return self._rebuild(addressed, old_count)
        views, sends = self._views, self._sends
        touched: set[str] = set()
        for i, v in delta.changed:  # ascending, and new requests are the indices from len(views) on
            key = send_key(v)
            if i == len(views):
                views.append(v)
                sends.setdefault(key, []).append(i)
            else:
                old_key = send_key(views[i])
                views[i] = v
                if old_key != key:  # not seen: a request stays in the send it was created for
                    sends[old_key].remove(i)
                    touched.add(old_key)
                    bisect.insort(sends.setdefault(key, []), i)
            touched.add(key)
        if addressed != self._addressed:
            return self._rebuild(addressed, old_count)
        made: dict[int, OutboxRow] = {}
        for key in touched:
            members = sends[key]
            made.update(zip(members, outbox_rows([views[i] for i in members], addressed), strict=True))
        rows = self.rows
        changed = []
        for i in sorted(made):
            row = made[i]
            if i >= old_count:
                rows.append(row)
            elif row != rows[i]:
                rows[i] = row
                changed.append(i)
        return RowChanges(old_count, tuple(changed))

    def _rebuild(self, addressed: bool, old_count: int) -> RowChanges:
        self._addressed = addressed
        old, self.rows = self.rows, outbox_rows(self._views, addressed)
        self._sends = {}
        for i, v in enumerate(self._views):
            self._sends.setdefault(send_key(v), []).append(i)
        if len(self.rows) < old_count:
            return RowChanges(old_count, reset=True)
        return RowChanges(old_count, tuple(i for i in range(old_count) if self.rows[i] != old[i]))


__all__ = ["OutboxRowCache", "RequestSource", "RowChanges", "send_key"]
