"""Addresses and routing (DESIGN.md §4, research §8): which lane a send request takes, when it waits, and hops.

A scenario without addresses has none of this: its one sender has a lane with the implicit open, unlimited
address to every site and a request is queued on it at once (``_offer_request``), as before turn 2.

With addresses, a request held by site X for final destination D is routed whenever it is offered (created,
re-offered, or an address opened):
- X's addresses to D, if one is open for the request's priority at that hour: the direct lane X → D.
- Else one hop along the hierarchy (VERIFIED, KB Q238064): to X's child whose subtree holds D, else to X's
  parent, over an address of X to that site that is open now.
- Else, if some address to D or to the hop exists but all are closed: the request waits until the first of
  them opens (``next_open``); its wait counts in ``waiting_s``. INFERRED wording of the line (the product's
  Scheduler kept such requests back; its Sched.log wording is not known): ``Send request <id> for site <D>
  waits: no address to site <site> is open for <low> priority until <restart-time form>.``
- Else (no address at all, no hop): the lines of KB Q276259 (VERIFIED), the lane joins the busy-site list and the
  request goes back to pending (re-offered in 10 minutes, like any pending request; 7-day limit).
A request that has sent bytes stays on its lane (its .PCK is on that destination) and waits for it. A request
whose addresses closed while it sat in the queue is routed again when the main thread takes it (research §8,
Q320676: the site checks the address's priorities before sending). A hop is a new send request at the next site
(``<priority><seq><that site>``), created when the previous one is delivered and sent by that site's sender.

``requests_since`` lives here, beside the list of requests it reads (``console.engine.request_changes``: why).
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Iterable, Mapping

from console.engine.events import RequestStatus, TimerAction, TimerKind, WaitReason
from console.engine.request_changes import RequestChanges, RequestDelta, RequestMark
from console.engine.request_ids import request_id
from console.engine.scheduler import OPENS
from console.engine.sending_threads import BUSY_SKIP_S, SendingThreads
from console.engine.site_sender import MAIN_THREAD_ID, SiteSender
from console.engine.state import Dest, Lane, Request
from console.model.addresses import Address
from console.model.sender_settings import SenderSettings

PRIORITY_WORDS = {1: "high", 2: "medium", 3: "low"}


class Routing(SendingThreads):
    """Per-site senders, their lanes and addresses, and the route of every send request."""

    start: _dt.datetime
    _main: SiteSender
    _senders: dict[str, SiteSender]
    _dests: dict[str, Dest]
    _requests: list[Request]
    _addressed: bool
    _addresses: dict[tuple[str, str], tuple[Address, ...]]
    _parents: dict[str, str | None]
    _site_settings: Mapping[str, SenderSettings]

    # -- set-up -------------------------------------------------------------------------------------

    def _index_addresses(self, addresses: Iterable[Address]) -> None:
        by_pair: dict[tuple[str, str], list[Address]] = {}
        for a in addresses:
            by_pair.setdefault((a.from_site, a.dest), []).append(a)
        self._addresses = {k: tuple(sorted(v, key=lambda a: a.priority)) for k, v in by_pair.items()}

    def _sender(self, code: str) -> SiteSender:
        """Site ``code``'s Standard Sender, created on its first hop (its own settings and version)."""
        s = self._senders.get(code)
        if s is None:
            site = self._dest(code).site
            s = SiteSender(len(self._senders), site, self._site_settings.get(code) or SenderSettings())
            s.version = self._dests[code].version
            self._senders[code] = s
        return s

    def _lane(self, s: SiteSender, code: str) -> Lane:
        lane = s.lanes.get(code)
        if lane is None:
            addrs = self._addresses.get((s.code, code), ()) if self._addressed else None
            lane = Lane(s, self._dest(code), addrs)
            s.lanes[code] = lane
        return lane

    def _next_hop(self, here: str, final: str) -> str | None:
        """One step from ``here`` towards ``final``: the child whose subtree holds it, else the parent."""
        code: str | None = final
        while code is not None:
            parent = self._parents.get(code)
            if parent == here:
                return code
            code = parent
        return self._parents.get(here)

    # -- addresses ----------------------------------------------------------------------------------

    def _open_address(self, addrs: tuple[Address, ...], priority: int, start: int, substitute: bool) -> int:
        """The first address from ``start`` open for ``priority`` now (and allowed to substitute when asked)."""
        when = self.start + _dt.timedelta(seconds=self.now)
        for i in range(start, len(addrs)):
            a = addrs[i]
            if substitute and not a.substitute:
                continue
            if a.schedule.open_for(priority, when):
                return i
        return -1

    def _opens_at(self, addrs: Iterable[Address], priority: int) -> float | None:
        when = self.start + _dt.timedelta(seconds=self.now)
        times = [t for t in (a.schedule.next_open(priority, when) for a in addrs) if t is not None]
        return (min(times) - self.start) / _dt.timedelta(seconds=1) if times else None

    def requests_since(self, mark: RequestMark | None = None) -> RequestDelta:
        """The requests whose view may differ from what ``mark`` saw (every one without a usable mark) and the mark
        for next time: what ``requests()`` would show, at a cost that follows what changed (request_changes.py)."""
        changes = self._changes
        if changes is None:  # the first reader: stamping starts now (a run nobody reads pays nothing for it)
            changes = self._changes = RequestChanges()
            for r in self._requests:
                if r.wait is not None and r.wait.reason == "closed":
                    changes.waits_closed(r)
        self._catch_up_all()
        return changes.since(mark, self._requests, self._threads.values(), self.now)

    # -- offering and routing -----------------------------------------------------------------------

    def _new_request(self, s: SiteSender, package: str, final: str, size: int, priority: int) -> Request:
        index = len(self._requests)
        rid = request_id(priority, s.next_seq, s.code)
        s.next_seq += 1
        req = Request(index, rid, package, self._lane(s, final), size, priority, self.now)
        self._requests.append(req)
        return req

    def _offer_request(self, req: Request) -> None:
        """The request is offered to its site's sender now: queued on a lane, or waiting, or busy."""
        s = req.lane.sender
        if self._changes is not None:  # new, or back from pending or a wait: its restart time and wait may have cleared
            self._changes.touch(req)
        if self._addressed and not self._route(req):
            self._dispatch(s)
            return
        s.outbox.enqueue(req, self.now)
        self._dispatch(s)

    def _route(self, req: Request) -> bool:
        """Choose the request's lane now; False when it cannot be queued (it waits or is pending)."""
        s = req.lane.sender
        p = req.priority
        final = req.final.code
        if req.sync:  # bytes are on that destination already: only its own lane will do
            choices = [req.lane]
        else:
            choices = [self._lane(s, final)]
            hop = self._next_hop(s.code, final)
            if hop is not None and hop != s.code:
                choices.append(self._lane(s, hop))
        for lane in choices:
            if lane.addresses and self._open_address(lane.addresses, p, 0, False) >= 0:
                if lane is not req.lane:
                    req.move_to(lane)
                    if self._changes is not None:
                        self._changes.touch(req)
                if lane.code != final and self._logging:
                    self._log(
                        MAIN_THREAD_ID,
                        f"Send request {req.rid} for site {final} goes through site {lane.code}.",  # INFERRED
                        s,
                    )
                return True
        known = [lane for lane in choices if lane.addresses]
        until = self._opens_at((a for lane in known for a in lane.addresses or ()), p) if known else None
        if until is None:
            self._no_address(req, choices[0])
            return False
        self._wait(req, known[0], until)
        return False

    def _wait(self, req: Request, lane: Lane, until: float) -> None:
        """Every address is closed for the request's priority: it waits for the first one to open."""
        if lane is not req.lane:
            req.move_to(lane)
        s = lane.sender
        req.wait = WaitReason("closed", lane.code, req.priority, until)
        req.wait_since = self.now
        if self._changes is not None:
            self._changes.waits_closed(req)
        req.reoffer_token += 1
        heapq.heappush(self._heap, (until, next(self._seq), OPENS, req, req.reoffer_token))
        if self._logging:
            self._log(
                MAIN_THREAD_ID,
                f"Send request {req.rid} for site {req.final.code} waits: no address to site {lane.code} is open "
                f"for {PRIORITY_WORDS[req.priority]} priority until {self.log_clock.restart_text(until)}.",  # INFERRED
                s,
            )
        self._site_event(lane.code, "closed", until, s.code, req.priority)
        self._timer(TimerAction.SET, TimerKind.SCHEDULE_WAIT, until, lane.code, req=req)
        if self._l_request:
            self._request_event(req)

    def _on_opens(self, req: Request) -> None:
        self._timer(TimerAction.FIRED, TimerKind.SCHEDULE_WAIT, self.now, req.dest.code, req=req)
        self._end_wait(req)
        self._offer_request(req)

    def _end_wait(self, req: Request) -> None:
        req.waiting_s = req.waited(self.now)
        req.wait = None
        if self._changes is not None:
            self._changes.touch(req)
        if self._l_request:
            self._request_event(req)

    def _no_address(self, req: Request, lane: Lane) -> None:
        """KB Q276259: no address to the destination and no hop: the site is busy, the request pending."""
        s = lane.sender
        if lane is not req.lane and not req.sync:
            req.move_to(lane)
        if self._logging:
            self._log(MAIN_THREAD_ID, f"Found send request. ID: {req.rid}, Dest Site: {lane.code}", s)
            self._log(MAIN_THREAD_ID, f"There is no longer an address to destination site {lane.code}", s)
            self._log(MAIN_THREAD_ID, "Returning send request to pending because address cannot not be found.", s)
            self._log(
                MAIN_THREAD_ID,
                f"Site {lane.code} added to list of busy sites because there is no available address.",
                s,
            )
        self._site_event(lane.code, "no address", self.now + BUSY_SKIP_S, s.code, req.priority)
        self._mark_busy(lane)
        req.wait = WaitReason("no address", lane.code, req.priority, None)
        self._pending(req)
        req.wait = WaitReason("no address", lane.code, req.priority, req.restart_at)
        self._set_status(req, RequestStatus.ERROR)

    def _delivered(self, req: Request) -> None:
        """A hop arrived at an intermediate site: that site's sender gets a send request of its own."""
        s = self._sender(req.dest.code)
        nxt = self._new_request(s, req.package, req.final.code, req.size, req.priority)
        nxt.final = req.final
        nxt.send = req.send or req
        nxt.hop = req.hop + 1
        req.next_hop = nxt
        if self._l_request:
            self._request_event(nxt)
        self._offer_request(nxt)

    # -- run-time changes ---------------------------------------------------------------------------

    def apply_addresses(self, addresses: Iterable[Address]) -> None:
        """New addresses (and schedules, rate limits) for every sender: new threads and routing decisions use
        them; running threads keep the ones they loaded (KB Q317893). Requests waiting for an address are
        routed again now. An engine without addresses gets them from here on."""
        self._addressed = True
        self._index_addresses(addresses)
        for s in self._senders.values():
            for code, lane in s.lanes.items():
                lane.set_addresses(self._addresses.get((s.code, code), ()))
        for req in self._requests:
            if req.wait is not None and req.wait.reason == "closed" and req.thread is None:
                req.reoffer_token += 1
                self._timer(
                    TimerAction.CANCELLED, TimerKind.SCHEDULE_WAIT, req.wait.until or self.now, req.dest.code, req=req
                )
                self._end_wait(req)
                self._offer_request(req)
        for s in list(self._senders.values()):
            for lane in s.lanes.values():
                s.outbox.offer(lane, self.now)
            self._dispatch(s)
