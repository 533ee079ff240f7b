"""The same Standard Sender model written with SimPy, for the benchmark's yardstick (not used by the app).

Idiomatic SimPy: one process per sending thread that ``yield``s a timeout per block and per retry
wait; an outage ``interrupt()``s the processes sending on that link (their pending block timeouts stay
queued, as SimPy cannot cancel them); re-offers, busy-site ends and outage ends are timeouts with
callbacks. The main sender thread's dispatch (priority then FIFO, all-sites and per-site limits,
busy-site skip) is the same plain-Python algorithm as console/engine/outbox.py and sender.py, so the two models
process the same events; ``events`` counts the model's events (blocks, wakes, arrivals, faults,
outage ends, busy ends, re-offers, 7-day timers) as the engine's per-block paths handle them; ``blocks``
counts blocks written; ``kernel_events`` is every Event SimPy scheduled (read from its event id counter
after the run, so counting costs nothing during it).
"""

from __future__ import annotations

import heapq

import simpy
from bench_workload import Workload

from console.engine.sender import ABANDON_AFTER_S, BLOCK_BYTES, BUSY_SKIP_S, REOFFER_DELAY_S
from console.model.sender_settings import HEARTBEAT_TIMEOUT_MIN


class Link:
    __slots__ = ("active", "bps", "busy_token", "busy_until", "code", "down_until", "gkey", "queue", "senders")

    def __init__(self, code: str, kbps: int) -> None:
        self.code = code
        self.bps = kbps * 125.0
        self.down_until = -1.0
        self.busy_until = -1.0
        self.busy_token = 0
        self.active = 0
        self.senders: list[Req] = []  # requests whose thread is moving data on the link now
        self.queue: list = []
        self.gkey: tuple[int, int] | None = None


class Req:
    __slots__ = (
        "abandon_armed",
        "block_end",
        "block_start",
        "connects",
        "delivered_at",
        "link",
        "priority",
        "proc",
        "queued",
        "size",
        "sync",
    )

    def __init__(self, link: Link, size: int, priority: int) -> None:
        self.link = link
        self.size = size
        self.priority = priority
        self.sync = 0
        self.connects = 0
        self.delivered_at: float | None = None
        self.queued = False
        self.abandon_armed = False
        self.proc: simpy.Process | None = None
        self.block_start = 0.0
        self.block_end = 0.0


class SimPySender:
    def __init__(self, w: Workload) -> None:
        self.env = simpy.Environment()
        self.settings = w.settings
        self.timeout_s = HEARTBEAT_TIMEOUT_MIN * 60.0
        self.links = {d.site.code: Link(d.site.code, d.link_kbps) for d in w.destinations}
        self.gheap: list = []
        self.order = 0
        self.queued = 0  # requests in the links' queues
        self.busy: set[Link] = set()
        self.active = 0
        self.events = 0
        self.blocks = 0
        self.requests: list[Req] = []
        env = self.env
        for s in w.sends:
            env.timeout(s.at_s).callbacks.append(lambda _e, s=s: self._arrive(s))
        for f in w.faults:
            env.timeout(f.at_s).callbacks.append(lambda _e, f=f: self._outage(f.dest, f.duration_s))

    # -- scheduler side --------------------------------------------------------------------------

    def _arrive(self, s) -> None:
        self.events += 1
        req = Req(self.links[s.dest], s.size_bytes, s.priority)
        self.requests.append(req)
        self._enqueue(req)
        self._dispatch()

    def _outage(self, code: str, duration: float) -> None:
        self.events += 1
        link = self.links[code]
        now = self.env.now
        if now + duration > link.down_until:
            link.down_until = now + duration
            self.env.timeout(duration).callbacks.append(self._count)
        for req in list(link.senders):
            req.proc.interrupt("outage")

    def _count(self, _event: object) -> None:
        self.events += 1

    def _enqueue(self, req: Req) -> None:
        self.order += 1
        self.queued += 1
        req.queued = True
        heapq.heappush(req.link.queue, (req.priority, self.order, req))
        self._offer(req.link)

    def _eligible(self, link: Link) -> bool:
        return link.busy_until <= self.env.now and link.active < self.settings.per_site

    def _offer(self, link: Link) -> None:
        q = link.queue
        while q and not q[0][2].queued:
            heapq.heappop(q)
        if not q or not self._eligible(link):
            return
        key = (q[0][0], q[0][1])
        if link.gkey != key:
            link.gkey = key
            heapq.heappush(self.gheap, (key[0], key[1], link))

    def _dispatch(self) -> None:
        gheap = self.gheap
        while gheap and self.active < self.settings.all_sites:
            prio, order, link = heapq.heappop(gheap)
            if link.gkey != (prio, order):
                continue
            link.gkey = None
            q = link.queue
            if not q or not self._eligible(link):
                continue
            if q[0][1] != order:
                self._offer(link)
                continue
            req = heapq.heappop(q)[2]
            req.queued = False
            self.queued -= 1
            link.active += 1
            self.active += 1
            self.env.process(self._thread(req, self.settings))
            self._offer(link)
        self._clear_busy_if_idle()

    def _clear_busy_if_idle(self) -> None:
        if self.busy and not self.active and not self.queued:
            for link in self.busy:
                link.busy_until = -1.0
                link.busy_token += 1
            self.busy.clear()

    def _reoffer(self, req: Req) -> None:
        self.events += 1
        self._enqueue(req)
        self._dispatch()

    def _busy_end(self, link: Link, token: int) -> None:
        if token != link.busy_token:
            return  # ended early: the sender had no active send requests
        self.events += 1
        self.busy.discard(link)
        self._offer(link)
        self._dispatch()

    # -- a sending thread ------------------------------------------------------------------------

    def _reshare(self, link: Link) -> None:
        """The engine's rule: a block that starts at the instant the number of senders changes gets the new share."""
        now = self.env.now
        for other in link.senders:
            if other.block_start == now and other.block_end > now:
                other.proc.interrupt("reshare")

    def _thread(self, req: Req, settings):
        env = self.env
        link = req.link
        retries_used = 0
        hb = env.now
        req.proc = env.active_process
        while True:
            req.connects += 1
            connect_failed = link.down_until > env.now
            if not connect_failed:
                hb = env.now
                link.senders.append(req)
                self._reshare(link)
                failed = False
                while req.sync < req.size and not failed:
                    n = min(BLOCK_BYTES, req.size - req.sync)
                    req.block_start = env.now
                    req.block_end = env.now + n * len(link.senders) / link.bps
                    while True:
                        try:
                            yield env.timeout(req.block_end - env.now)
                            break
                        except simpy.Interrupt as why:
                            if why.cause == "reshare":
                                req.block_end = env.now + n * len(link.senders) / link.bps
                                continue
                            if req.block_end <= env.now:  # the block got through just as the link fell
                                break
                            failed = True
                            break
                    if failed:
                        break
                    self.events += 1
                    self.blocks += 1
                    req.sync += n
                    hb = env.now
                link.senders.remove(req)
                self._reshare(link)
                if not failed:
                    req.delivered_at = env.now
                    self._exit(link)
                    return
            hb = env.now
            if connect_failed:  # KB Q235753: given up at once, the link skipped for an hour
                link.busy_until = env.now + BUSY_SKIP_S
                link.busy_token += 1
                self.busy.add(link)
                env.timeout(BUSY_SKIP_S).callbacks.append(
                    lambda _e, link=link, token=link.busy_token: self._busy_end(link, token)
                )
                break
            if retries_used < settings.retries:
                yield env.timeout(settings.retry_delay_min * 60.0)
                self.events += 1
                retries_used += 1
                if env.now > hb + self.timeout_s:  # never with a delay <= 5 min; kept for parity
                    break
                continue
            break
        self._exit(link, dispatch=False)
        self._clear_busy_if_idle()
        env.timeout(REOFFER_DELAY_S).callbacks.append(lambda _e, req=req: self._reoffer(req))
        if not req.abandon_armed:  # the engine's 7-day limit timer (fires as a no-op here)
            req.abandon_armed = True
            env.timeout(ABANDON_AFTER_S - env.now).callbacks.append(self._count)
        self._dispatch()

    def _exit(self, link: Link, dispatch: bool = True) -> None:
        link.active -= 1
        self.active -= 1
        self._offer(link)
        if dispatch:
            self._dispatch()

    def run(self, until: float | None = None) -> None:
        self.env.run(until=until)

    @property
    def kernel_events(self) -> int:
        """Events scheduled so far (SimPy numbers each one from its ``_eid`` counter; peeking uses one up)."""
        return next(self.env._eid)
