"""A send as the summary and a route view show it: its hops in route order (DESIGN.md §4).

A send is the request the [sender] site created for it (hop 0) plus the request each intermediate site created
when the previous hop was delivered. Its ``status``/``delivered_s`` are those of its arrival at the final
destination: delivered when the last hop is to that site and delivered; failed when a hop was abandoned (the
7-day limit); pending otherwise. ``attempts`` counts connection attempts over all its hops (INFERRED: the design
names the request's connects; for a routed send the hops' sum is the same count taken over the route);
``bytes_sent`` is the last hop's (the one furthest along). Each hop carries ``waiting_s``: seconds its request
waited for an address to open.
"""

from __future__ import annotations

from console.engine.events import HopView, RequestStatus, RouteView
from console.engine.state import Request


def log_seconds(t: float) -> float:
    """Virtual seconds as Sender.log shows them: rounded to the microsecond (as ``timedelta`` does), then cut
    to the millisecond (as the timestamp prints them)."""
    return (round(t * 1_000_000) // 1000) / 1000


def route_of(req: Request) -> list[Request]:
    """The send's hops so far, in route order, from its first request."""
    hops = [req]
    nxt = req.next_hop
    while nxt is not None:
        hops.append(nxt)
        nxt = nxt.next_hop
    return hops


def _arrival(hops: list[Request]) -> tuple[str, float | None]:
    last = hops[-1]
    if last.dest is last.final and last.status is RequestStatus.OK:
        return "delivered", last.delivered_at
    if any(h.status is RequestStatus.CANCELLED for h in hops):
        return "failed", None
    return "pending", None


def send_summary(req: Request, now: float) -> dict[str, object]:
    """One entry of the summary's ``sends``."""
    hops = route_of(req)
    status, at = _arrival(hops)
    return {
        "request_id": req.rid,
        "package": req.package,
        "dest": req.final.code,
        "status": status,
        "delivered_s": None if at is None else log_seconds(at),
        "attempts": sum(h.connects for h in hops),
        "bytes_sent": hops[-1].sync,
        "size": req.size,
        "hops": [
            {
                "from": h.lane.sender.code,
                "to": h.dest.code,
                "status": h.status.summary,
                "attempts": h.connects,
                "delivered_s": None if h.delivered_at is None else log_seconds(h.delivered_at),
                "waiting_s": log_seconds(h.waited(now)),
            }
            for h in hops
        ],
    }


def route_view(req: Request, now: float) -> RouteView:
    return RouteView(
        req.rid,
        req.package,
        req.final.code,
        req.priority,
        tuple(
            HopView(
                h.lane.sender.code,
                h.dest.code,
                h.rid,
                h.status,
                h.connects,
                h.delivered_at,
                h.waited(now),
                h.wait,
            )
            for h in route_of(req)
        ),
    )
