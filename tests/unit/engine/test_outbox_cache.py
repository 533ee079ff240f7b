"""OutboxRowCache: after every frame its rows are the full rebuild's, and it names exactly the rows that changed.

The full rebuild is ``outbox_rows(engine.requests(), engine.has_addresses)``, what the outbox view showed before
it read only the changes. Frames of busy runs: the bundled scenarios, the busy hierarchy, a routed hierarchy with
run-time changes and a reset, addresses given to an engine that had none, and the engine replaced.
"""

from __future__ import annotations

import pytest
from outbox_support import BUNDLED, bundled, busy_routed_scenario, busy_scenario, engine_for, frames, routed_actions

from console.engine.outbox_cache import OutboxRowCache, RowChanges
from console.engine.outbox_rows import OutboxRow, outbox_rows
from console.engine.sender import SenderEngine


def _check(cache: OutboxRowCache, engine: SenderEngine, where: str) -> RowChanges:
    before = list(cache.rows)
    changes = cache.update(engine)
    full = outbox_rows(engine.requests(), engine.has_addresses)
    assert cache.rows == full, where
    assert changes.old_count == len(before), where
    if len(full) < len(before):
        assert changes.reset, where
    else:
        assert not changes.reset, where
        differ = tuple(i for i in range(len(before)) if full[i] != before[i])
        assert changes.changed == differ, where
    return changes


def _run(engine: SenderEngine, count: int, frame_s: float, actions=None, cache: OutboxRowCache | None = None) -> int:
    cache = cache or OutboxRowCache()
    changed = 0
    for n in frames(engine, count, frame_s, actions):
        changed += len(_check(cache, engine, f"frame {n} at {engine.now}").changed)
    return changed


@pytest.mark.parametrize("name", BUNDLED)
def test_every_frame_of_a_bundled_scenario(name: str) -> None:
    engine = engine_for(bundled(name))
    frames_ = 40 if name == "busy-hierarchy" else 120
    changed = _run(engine, frames_, (engine.end_s or 36000.0) / frames_)
    assert changed > 0


def test_every_frame_of_a_routed_hierarchy_with_changes_and_a_reset() -> None:
    scenario = busy_routed_scenario()
    engine = engine_for(scenario)
    assert _run(engine, 60, 900.0, routed_actions(scenario)) > 0
    assert any(r.hops > 1 for r in outbox_rows(engine.requests(), True)), "no send took a hop"


def test_short_frames_with_transfers_in_flight() -> None:
    """Frames of a few simulated seconds: most rows stay, the sending ones move on."""
    engine = engine_for(busy_scenario(sites=60, packages=4))
    engine.advance_to(3600.0)
    cache = OutboxRowCache()
    _check(cache, engine, "first")
    for n in frames(engine, 30, 3.0):
        changes = _check(cache, engine, f"frame {n}")
        assert len(changes.changed) < len(cache.rows) // 2


def test_addresses_given_to_an_engine_without_them_change_every_row() -> None:
    """The request was delivered before: nothing about it changed but the engine's addresses."""
    engine = engine_for(bundled("q278357-sp4"))
    engine.run()
    cache = OutboxRowCache()
    _check(cache, engine, "no addresses")
    assert not cache.rows[0].addressed and cache.rows[0].address_texts()[0] == "\u2014"
    engine.apply_addresses(())
    changes = _check(cache, engine, "addresses")
    assert changes.changed == (0,) and cache.rows[0].addressed


def test_another_engine_replaces_the_rows() -> None:
    cache = OutboxRowCache()
    big = engine_for(busy_scenario(sites=20, packages=2))
    big.advance_to(7200.0)
    _check(cache, big, "big")
    small = engine_for(bundled("q278357-intermediate"))
    small.advance_to(900.0)
    changes = _check(cache, small, "small")
    assert changes.reset
    _run(small, 20, 60.0, cache=cache)
    cache.clear()
    assert cache.rows == []
    changes = _check(cache, small, "after clear")
    assert changes.old_count == 0 and len(cache.rows) == len(small.requests())


def test_a_new_hop_changes_the_rows_of_its_whole_send() -> None:
    """The first hop's row says "1 of 2+" until the second hop exists, then "1 of 2": both rows are made again."""
    engine = engine_for(bundled("q278357-intermediate"))
    cache = OutboxRowCache()
    texts: list[list[str]] = []
    for n in frames(engine, 60, 15.0):
        _check(cache, engine, f"frame {n}")
        texts.append([r.hop_texts()[0] for r in cache.rows])
    assert ["1 of 2+: CEN \u2192 CHI"] in texts
    assert ["1 of 2: CEN \u2192 CHI", "2 of 2: CHI \u2192 T30"] in texts


def test_runs_of_changed_rows() -> None:
    assert RowChanges(10, (0, 1, 2, 5, 7, 8)).runs() == [(0, 2), (5, 5), (7, 8)]
    assert RowChanges(3).runs() == []


def test_rows_are_outbox_rows() -> None:
    engine = engine_for(bundled("rate-limit"))
    engine.advance_to(600.0)
    cache = OutboxRowCache()
    cache.update(engine)
    assert cache.rows and all(isinstance(r, OutboxRow) for r in cache.rows)
