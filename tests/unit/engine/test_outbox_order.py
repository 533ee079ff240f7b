"""RowOrder: after a sort and after every batch of changed and new rows, the order is a full stable sort's.

The rows are made up (random sizes, statuses, priorities with many ties, a fixed seed); the reference is
``sorted(range(n), key=..., reverse=descending)``: by the column's key, equal keys in arrival order either way.
"""

from __future__ import annotations

import dataclasses
import random

import pytest

from console.engine.events import RequestStatus, RequestView
from console.engine.outbox_order import SORT_KEYS, UNSORTED, RowOrder, sort_key
from console.engine.outbox_rows import OutboxRow

STATUSES = (RequestStatus.NONE, RequestStatus.SENDING, RequestStatus.OK, RequestStatus.ERROR)


def _row(rng: random.Random, n: int) -> OutboxRow:
    size = rng.choice((64, 512, 2048)) * 1024
    view = RequestView(
        request_id=f"{rng.randint(1, 3)}_{n:03d}S{n % 7}",
        package=f"PKG{rng.randint(0, 9):05d}",
        dest=rng.choice(("LAB", "CHI", "T30", "NYC")),
        priority=rng.randint(1, 3),
        status=rng.choice(STATUSES),
        total_bytes=size,
        bytes_left=rng.choice((0, size // 2, size)),
        sync_point=0,
        connects=rng.randint(0, 3),
        heartbeat_at=rng.choice((None, float(rng.randint(0, 50)))),
        queued_at=0.0,
        delivered_at=None,
        restart_at=None,
        thread_id=None,
        site=f"S{n % 7}",
    )
    return OutboxRow(view, hops=rng.choice((1, 1, 2)), complete=rng.random() < 0.8)


def _changed(rng: random.Random, row: OutboxRow) -> OutboxRow:
    r = row.request
    view = dataclasses.replace(
        r, status=rng.choice(STATUSES), bytes_left=max(0, r.bytes_left - 65536), connects=r.connects + 1
    )
    return dataclasses.replace(row, request=view)


def _full_sort(rows: list[OutboxRow], column: int, descending: bool) -> list[int]:
    if column == UNSORTED:
        return list(range(len(rows)))
    return sorted(range(len(rows)), key=lambda i: sort_key(rows[i], column), reverse=descending)


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("column", [UNSORTED, 0, 2, 3, 4, 6, 7, 10, 12, 13])
def test_moves_and_new_rows_give_a_full_sorts_order(column: int, descending: bool) -> None:
    rng = random.Random(column * 2 + descending)
    rows = [_row(rng, n) for n in range(300)]
    order = RowOrder()
    order.sort(rows, column, descending)
    assert order.order == _full_sort(rows, column, descending)
    for batch in range(40):
        few = batch % 10 != 9  # every tenth batch changes enough rows to sort again
        changed = sorted(rng.sample(range(len(rows)), rng.randint(0, 12) if few else len(rows) // 4))
        for i in changed:
            rows[i] = _changed(rng, rows[i])
        moved = order.rekeyed(rows, changed)
        new = rng.randint(0, 5)
        rows.extend(_row(rng, len(rows)) for _ in range(new))
        order.append(new)
        order.place(rows, moved)
        assert order.order == _full_sort(rows, column, descending), f"batch {batch}"
        assert order.keyed == (len(rows) if column != UNSORTED else 0)


def test_equal_keys_stay_in_arrival_order_both_ways() -> None:
    rng = random.Random(5)
    rows = [_row(rng, n) for n in range(50)]
    order = RowOrder()
    for descending in (False, True):
        order.sort(rows, 3, descending)  # priority: three values, many ties
        for p in (1, 2, 3):
            same = [i for i in order.order if rows[i].request.priority == p]
            assert same == sorted(same)


def test_a_key_for_every_column() -> None:
    assert len(SORT_KEYS) == 15
