"""Helpers shared by the live-engine UI tests (plain names, imported like sheet_support)."""

from __future__ import annotations


class FakeClock:
    """Wall time that only moves when a test says so: the bridge measures deltas, so no sleeping, no flakiness."""

    def __init__(self, t: float = 1000.0) -> None:
        self.t = t

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
