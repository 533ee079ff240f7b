"""Sharing a link costs O(1) re-planned transfers per change, however many threads share it (issue 11).

The cliff case: hundreds of 1 MB sends queued at once to one site with both concurrency limits at 999, so
hundreds of threads share one link and each start or end changes every thread's share. Counted, never timed:
transfers re-planned when a share changed (``replanned``) and superseded heap entries dropped unhandled
(``stale_dropped``) stay bounded as the number of sharers grows tenfold, watched or not, in lockstep (equal
sizes: every block of every thread ends at the same instant) or staggered.
"""

from __future__ import annotations

import pytest
from outcome_digests import cliff_engine


def _work(sends: int, *, staggered: bool, logged: bool) -> tuple[int, int]:
    lines: list[str] = []
    engine = cliff_engine(sends, staggered=staggered, log_sink=lines.append if logged else None)
    engine.run()
    assert all(r.delivered_at is not None for r in engine.requests())
    changes = 2 * sum(r.connects for r in engine.requests())  # a thread joins the link and leaves it
    assert changes == 2 * sends
    return engine.replanned, engine.stale_dropped


@pytest.mark.parametrize("staggered", [False, True])
@pytest.mark.parametrize("logged", [False, True])
def test_work_per_sharing_change_does_not_grow_with_the_sharers(staggered: bool, logged: bool) -> None:
    small = _work(100, staggered=staggered, logged=logged)
    large = _work(1000, staggered=staggered, logged=logged)
    # Only the few transfers that run as one heap entry each (at most FAST_SHARERS per link) are re-planned:
    # a bounded number for the whole run, not a number per change that grows with the sharers (O(n^2) in all).
    for replanned, stale in (small, large):
        assert replanned <= 64
        assert stale <= 64
    assert large[0] <= small[0] + 16
    assert large[1] <= small[1] + 16
