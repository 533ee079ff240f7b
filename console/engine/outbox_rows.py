"""Outbox rows as text: which site sends a request, which hop of its route it is, the address tried and why it waits.

Qt-free so that the texts can be tested without a window and reused (the outbox view shows them). Built from one
``engine.requests()`` snapshot:

- *Hop*: a send that needs no forwarding reads "—"; a routed one "2 of 2: CHI → T30". The route is known only as
  far as the package has gone (routing is decided when a request is offered), so while the last hop so far does not
  reach the final destination the count reads "1 of 2+".
- *Address*: the address a sending thread uses, as the product logs it ("Trying the No. 1 address (out of 2)"):
  "No. 1 of 2, CHISRV" (``RequestView.address``: the last one tried, kept after the thread ends, so a failed
  request still says where it went). "—" for the implicit address of a scenario without addresses.
- *Waiting*: "closed for low priority until 17:00:00" or "no address to T30"; after the wait "waited 8h 00m 00s".
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

from console.engine.events import AddressRef, RequestStatus, RequestView, WaitReason
from console.model.durations import format_elapsed
from console.model.sim_clock import clock_column, clock_full

PRIORITY_NAMES = {1: "High", 2: "Medium", 3: "Low"}
WAITING_FOR_ADDRESS = "Waiting for address"
NONE_TEXT = "\u2014"
ARROW = "\u2192"


@dataclass(frozen=True, slots=True)
class OutboxRow:
    """One outbox row: the engine's ``RequestView`` plus what the texts need from the rest of the snapshot. Only
    plain values, so two snapshots compare cheaply; the texts are made when a cell is painted or hovered."""

    request: RequestView
    hops: int = 1
    """How many hops the request's send has so far."""
    complete: bool = True
    """The send's last hop so far goes to its final destination."""
    addressed: bool = True
    """False: the scenario has no addresses, so every send uses the implicit one."""

    @property
    def request_id(self) -> str:
        return self.request.request_id

    @property
    def waiting_for_address(self) -> bool:
        return self.request.waiting is not None

    @property
    def status(self) -> str:
        return status_text(self.request)

    def hop_texts(self) -> tuple[str, str, str]:
        return hop_texts(self.request, self.hops, self.complete)

    def address_texts(self) -> tuple[str, str]:
        return address_texts(self.request.address, self.addressed, self.request)

    def waiting(self, start: _dt.datetime) -> str:
        return waiting_text(self.request.waiting, self.request.waiting_s, start)

    def waiting_tip(self, start: _dt.datetime) -> str:
        return waiting_tip(self.request, start)


def priority_name(priority: int) -> str:
    return PRIORITY_NAMES.get(priority, str(priority))


def status_text(r: RequestView) -> str:
    """Dumpsend's ``SREQ_STATUS_*``, except for a request held back for want of an open address."""
    if r.waiting is not None and r.status in (RequestStatus.NONE, RequestStatus.SUSPENDED):
        return WAITING_FOR_ADDRESS
    return r.status.value


def waiting_text(w: WaitReason | None, waited_s: float, start: _dt.datetime) -> str:
    if w is None:
        return f"waited {format_elapsed(waited_s)}" if waited_s > 0 else ""
    if w.reason == "closed":
        what = f"closed for {priority_name(w.priority).lower()} priority"
        return f"{what} until {clock_column(start, w.until)}" if w.until is not None else f"{what} all week"
    if w.reason == "no address":
        return f"no address to {w.dest}"
    return w.reason


def waiting_tip(r: RequestView, start: _dt.datetime) -> str:
    w = r.waiting
    so_far = f" Waited {format_elapsed(r.waiting_s)} so far." if r.waiting_s > 0 else ""
    if w is None:
        if r.waiting_s > 0:
            return f"Not waiting now; the request waited {format_elapsed(r.waiting_s)} for an open address."
        return "Not waiting for an address"
    prio = priority_name(w.priority).lower()
    if w.reason == "closed":
        until = (
            f"until {clock_full(start, w.until)} (simulated clock)"
            if w.until is not None
            else "all week (no hour opens)"
        )
        return (
            f"Every address of {r.site} to {w.dest} is closed to {prio}-priority data {until}, and no hop along the "
            f"hierarchy is open either: the request stays in {r.site}'s outbox (Dumpsend: SREQ_STATUS_NONE).{so_far}"
        )
    offer = f" It is offered again at {clock_full(start, w.until)}." if w.until is not None else ""
    return (
        f"{r.site} has no address to {w.dest} and no hop along the hierarchy is possible: the request waits, and "
        f"Sender.log reports the destination as a busy site.{offer}{so_far}"
    )


def hop_texts(r: RequestView, hops_so_far: int, complete: bool) -> tuple[str, str, str]:
    """(cell text, tooltip, sort key) for request ``r``, the ``r.hop``-th (0-based) hop of a route that has
    ``hops_so_far`` hops and reaches its final destination (``complete``) or not yet."""
    final = r.final_dest or r.dest
    position = r.hop + 1
    if hops_so_far <= 1 and complete:
        return NONE_TEXT, f"A direct send: {r.site} sends the package to {final} itself.", "0"
    total = str(hops_so_far) if complete else f"{hops_so_far + 1}+"
    text = f"{position} of {total}: {r.site} {ARROW} {r.dest}"
    more = "" if complete else f" The route goes on from {r.dest}; later hops are decided when they are offered."
    first = f" (send {r.send_id})" if r.send_id and r.send_id != r.request_id else ""
    tip = (
        f"Hop {position} of the package's route to {final}{first}: {r.site}'s own Standard Sender sends it to "
        f"{r.dest} with {r.site}'s settings and version.{more}"
    )
    return text, tip, f"{position:03d} {text}"


def address_texts(ref: AddressRef | None, addressed: bool, r: RequestView) -> tuple[str, str]:
    if not addressed:
        return NONE_TEXT, (
            f"The implicit address: a scenario without addresses gives {r.site} one open, unlimited address to "
            "every site."
        )
    if ref is None:
        return "", "No sending thread has taken the request yet"
    text = f"No. {ref.index} of {ref.count}, {ref.server}"
    limit = (
        " It has a rate limit: one sending thread, and only during its share of each hour." if ref.rate_limited else ""
    )
    if ref.rate_limited:
        text += " (rate limit)"
    tip = (
        f"{ref.from_site}'s sender tried the No. {ref.index} address (out of {ref.count}) to {ref.dest}: server "
        f"{ref.server}, relative priority {ref.priority}.{limit}"
    )
    return text, tip


def outbox_rows(requests: Sequence[RequestView], addressed: bool) -> list[OutboxRow]:
    """One row per request; ``addressed``: the engine has addresses (False: the implicit one to every site)."""
    hops: dict[str, int] = {}
    last: dict[str, RequestView] = {}
    for r in requests:
        key = r.send_id or r.request_id
        hops[key] = hops.get(key, 0) + 1
        if key not in last or r.hop >= last[key].hop:
            last[key] = r
    rows = []
    for r in requests:
        key = r.send_id or r.request_id
        end = last[key]
        rows.append(OutboxRow(r, hops[key], end.dest == (end.final_dest or end.dest), addressed))
    return rows


__all__ = [
    "NONE_TEXT",
    "PRIORITY_NAMES",
    "WAITING_FOR_ADDRESS",
    "OutboxRow",
    "address_texts",
    "hop_texts",
    "outbox_rows",
    "priority_name",
    "status_text",
    "waiting_text",
]
