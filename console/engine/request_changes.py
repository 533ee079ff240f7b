"""Which send requests may look different since a caller last looked (``SenderEngine.requests_since``).

A view that watches thousands of requests cannot afford ``requests()`` (a view of every one) on each frame, yet
only a few requests change between two frames. So the engine stamps a request, from one counter, whenever it
changes something its ``RequestView`` shows outside a sending thread: its status, the end of its thread, its
restart time, its lane (routing), a wait for an address beginning or ending, or its being offered again. A
caller's ``RequestMark`` holds the counter as it was; the requests stamped after it are found from the newest
stamp backwards, so the cost is the number of changes, not of requests.

Two kinds of request change with no stamp, and are always included instead: those with a live sending thread
(its sync point and heartbeat move with every block, and a whole-transfer thread's only when caught up) and those
waiting for a closed address (``waiting_s`` grows with the clock). Both sets are small next to the outbox.

The result may hold requests that did not change; it never leaves out one that did (tests/unit/engine/
test_request_changes.py checks it after every engine step against ``requests()``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from console.engine.events import RequestView

if TYPE_CHECKING:
    from console.engine.state import Request, Thread


@dataclass(frozen=True, slots=True)
class RequestMark:
    """Where a caller stood: opaque; only the tracker that made it can read it (a reset engine makes a new one)."""

    tracker: object
    stamp: int
    count: int


@dataclass(frozen=True, slots=True)
class RequestDelta:
    """``changed``: (index in ``requests()``, view) in index order, every request that may differ from what the
    caller saw at its mark, new ones included; with ``full`` (no usable mark) every request."""

    mark: RequestMark
    full: bool
    count: int
    changed: tuple[tuple[int, RequestView], ...]


class RequestChanges:
    """The stamps of one run of an engine (``_reset_state`` makes a new one, so old marks read as unusable)."""

    __slots__ = ("_closed", "_stamp", "_touched")

    def __init__(self) -> None:
        self._stamp = 0
        # request -> its latest stamp, oldest first: a touch moves the request to the end.
        self._touched: dict[Request, int] = {}
        # requests that began a wait for a closed address (pruned once they no longer wait so)
        self._closed: dict[Request, None] = {}

    def touch(self, req: Request) -> None:
        """Something the request's view shows changed (or may have) now."""
        touched = self._touched
        touched.pop(req, None)
        self._stamp += 1
        touched[req] = self._stamp

    def waits_closed(self, req: Request) -> None:
        """The request waits for a closed address: its view moves with the clock until the wait ends."""
        self.touch(req)
        self._closed[req] = None

    def since(
        self, mark: RequestMark | None, requests: Sequence[Request], threads: Iterable[Thread], now: float
    ) -> RequestDelta:
        """The requests that may differ from what ``mark`` saw (all of them when ``mark`` is not this run's)."""
        if mark is None or mark.tracker is not self or mark.count > len(requests):
            changed = tuple((i, r.view(now)) for i, r in enumerate(requests))
            return RequestDelta(RequestMark(self, self._stamp, len(requests)), True, len(requests), changed)
        ended = [r for r in self._closed if r.wait is None or r.wait.reason != "closed"]
        for r in ended:  # its wait ended (stamped then); stamped again so that no caller can miss it
            del self._closed[r]
            self.touch(r)
        indices = {r.index for r in self._closed}
        indices.update(th.req.index for th in threads)
        indices.update(range(mark.count, len(requests)))
        touched = self._touched
        for r in reversed(touched):
            if touched[r] <= mark.stamp:
                break
            indices.add(r.index)
        changed = tuple((i, requests[i].view(now)) for i in sorted(indices))
        return RequestDelta(RequestMark(self, self._stamp, len(requests)), False, len(requests), changed)


__all__ = ["RequestChanges", "RequestDelta", "RequestMark"]
