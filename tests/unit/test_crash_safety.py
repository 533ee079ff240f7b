"""Saves killed at random moments leave sites.json as the old or the new settings, never torn or gone.

A longer form (hundreds of kills, figures printed) is ``tests/bench/bench_crash_safety.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crash_support import kill_while_saving


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_fifty_kills_while_saving_lose_nothing(tmp_path: Path) -> None:
    report = kill_while_saving(tmp_path, 50)
    assert report.kills == 50 and report.problems == [], report.problems
    assert report.saves_finished > 50  # the kills did land between saves, not before the first
    # Temporaries left by killed writers are cleared by the next save: never more than one in a folder.
    assert report.most_leftovers <= 1


def test_the_next_save_clears_what_a_killed_save_left(tmp_path: Path) -> None:
    from console.model.site_store import SiteStore

    kill_while_saving(tmp_path, 5, parallel=1, max_delay_s=0.02)
    store = SiteStore(tmp_path / "f0" / "sites.json")
    store.save(store.load().database)
    assert list((tmp_path / "f0").glob(".sites.json.*.tmp")) == []
