"""Who watches the sender engine: listeners by event kind, and the Sender.log sink.

``subscribe(listener, kinds=None)`` receives the immutable events of ``console.engine.events``
synchronously, only of the kinds asked for (event classes and/or ``TimerKind`` members; None: all). An event
is built only when some listener asked for its kind, and a log line only when a log sink or a ``LogEvent``
listener is there: a busy watched run emits hundreds of thousands of events, and building the ones nobody
reads would cost more than the simulation.

So emitting is a walk over a per-kind tuple of listeners (``_l_thread``, ``_l_log``, ...) that the engine
tests for emptiness before building anything; the tuples are rebuilt on every (un)subscribe. A tuple is
replaced, never changed, so a listener that unsubscribes during an emission is harmless (it still gets the
event being emitted).

What is watched also decides how transfers are scheduled (per block or whole): after a rewiring the
registry calls ``_rewired()``, which the transfer planner implements.

Sender.log per site (INFERRED; each SMS 2.0 site server wrote a Sender.log of its own): the log sink
gets the lines of the scenario's [sender] site, exactly as before sites had senders of their own; the lines of
other sites' senders (hops of a routed send) go to the optional site log sink ``(site code, line)`` (``simulate
--log FILE`` writes them to ``FILE``'s siblings ``<stem>-<SITE><suffix>``) and, like every line, to ``LogEvent``
listeners with ``LogEvent.site`` naming the site. Lines keep the product's format; only the file tells sites apart.
"""

from __future__ import annotations

from collections.abc import Callable

from console.engine.events import (
    EVENT_CLASSES,
    EngineEvent,
    EventKinds,
    LogEvent,
    RequestEvent,
    SiteEvent,
    ThreadEvent,
    ThreadState,
    TimerAction,
    TimerEvent,
    TimerKind,
)
from console.engine.log_clock import LogClock
from console.engine.log_format import COMPONENT, LINE_MID, format_stamped_line
from console.engine.site_sender import SiteSender
from console.engine.state import Request, Thread

Listener = Callable[[EngineEvent], None]
LogSink = Callable[[str], None]
SiteLogSink = Callable[[str, str], None]  # (site code, line) for the senders of other sites
new_event = tuple.__new__  # builds an event without the NamedTuple's Python-level __new__ (hot paths only)


def check_kinds(kinds: EventKinds | None) -> frozenset[type | TimerKind]:
    if kinds is None:
        return frozenset((*EVENT_CLASSES, *TimerKind))
    wanted: set[type | TimerKind] = set()
    for k in kinds:
        if k is TimerEvent:
            wanted.update(TimerKind)
        elif isinstance(k, TimerKind) or k in EVENT_CLASSES:
            wanted.add(k)
        else:
            names = ", ".join(c.__name__ for c in EVENT_CLASSES)
            raise TypeError(f"unknown event kind {k!r}; use {names} or a TimerKind member")
    return frozenset(wanted)


class ObserverRegistry:
    """Subscriptions, the per-kind listener tuples and the log sink, with the emitting helpers.

    A base of the engine: it reads ``now``, ``log_clock`` and ``lines_written``, which the engine keeps.
    """

    now: float
    log_clock: LogClock
    lines_written: int
    _main_code: str  # the [sender] site: its lines go to the log sink
    _site_log_sink: SiteLogSink | None
    _subscriptions: list[tuple[Listener, frozenset[type | TimerKind]]]
    _log_sink: LogSink | None
    _l_thread: tuple[Listener, ...]
    _l_request: tuple[Listener, ...]
    _l_log: tuple[Listener, ...]
    _l_site: tuple[Listener, ...]
    _l_timer: dict[TimerKind, tuple[Listener, ...]]
    _l_transfer: tuple[Listener, ...]
    _logging: bool  # a log line is wanted (a sink or a LogEvent listener)

    def _init_observers(self, log_sink: LogSink | None, site_log_sink: SiteLogSink | None = None) -> None:
        self._subscriptions = []
        self._log_sink = log_sink
        self._site_log_sink = site_log_sink
        self._rewire()

    def _rewired(self) -> None:
        """Called after every rewiring (the engine decides from it how to schedule transfers)."""

    def subscribe(self, listener: Listener, kinds: EventKinds | None = None) -> Callable[[], None]:
        """Call ``listener(event)`` for every event of ``kinds`` (default: all); returns an unsubscribe function.

        ``kinds`` holds event classes (``LogEvent``; ``TimerEvent`` for every timer) and ``TimerKind`` members
        (``TimerKind.RETRY_WAIT``: those timers only). Fewer kinds make a watched run cheaper: without a
        ``LogEvent`` or ``TRANSFER`` listener (and no log sink) transfers stay one heap entry each.
        """
        entry = (listener, check_kinds(kinds))
        self._subscriptions.append(entry)
        self._rewire()

        def unsubscribe() -> None:
            if entry in self._subscriptions:
                self._subscriptions.remove(entry)
                self._rewire()

        return unsubscribe

    def _rewire(self) -> None:
        subs = self._subscriptions
        self._l_thread = tuple(f for f, k in subs if ThreadEvent in k)
        self._l_request = tuple(f for f, k in subs if RequestEvent in k)
        self._l_log = tuple(f for f, k in subs if LogEvent in k)
        self._l_site = tuple(f for f, k in subs if SiteEvent in k)
        self._l_timer = {kind: tuple(f for f, k in subs if kind in k) for kind in TimerKind}
        self._l_transfer = self._l_timer[TimerKind.TRANSFER]
        self._logging = self._log_sink is not None or self._site_log_sink is not None or bool(self._l_log)
        self._rewired()

    @property
    def _listeners(self) -> list[Listener]:
        """Every subscribed listener (for tests and debugging)."""
        return [f for f, _k in self._subscriptions]

    def set_log_sink(self, sink: LogSink | None) -> None:
        """Where the [sender] site's formatted Sender.log lines go (e.g. ``SenderLogFile.write_line``); None to stop."""
        self._log_sink = sink
        self._rewire()

    def set_site_log_sink(self, sink: SiteLogSink | None) -> None:
        """Where other sites' senders' lines go, as ``sink(site_code, line)``; None to stop."""
        self._site_log_sink = sink
        self._rewire()

    def _log(self, tid: int, text: str, sender: SiteSender | None = None) -> None:
        """A line of the [sender] site's sender, or of ``sender``'s when given."""
        if not self._logging:
            return
        if sender is not None and sender.index:
            self._log_other(sender.code, tid, text)
            return
        now = self.now
        line = None
        if self._log_sink is not None:
            line = format_stamped_line(text, self.log_clock.stamp(now), tid, COMPONENT)
            self._log_sink(line)
        self.lines_written += 1
        if self._l_log:
            ev = new_event(LogEvent, (now, tid, text, line, self.log_clock, self._main_code))
            for f in self._l_log:
                f(ev)

    def _tlog(self, th: Thread, text: str) -> None:
        """A line of a sending thread, in its own site's log (``_log``'s body repeated: a call per line counts)."""
        if not self._logging:
            return
        if not th.local:
            self._log_other(th.lane.sender.code, th.tid, text)
            return
        now = self.now
        line = None
        if self._log_sink is not None:
            line = text + LINE_MID + self.log_clock.stamp(now) + th.line_tail
            self._log_sink(line)
        self.lines_written += 1
        if self._l_log:
            ev = new_event(LogEvent, (now, th.tid, text, line, self.log_clock, self._main_code))
            for f in self._l_log:
                f(ev)

    def _log_other(self, site: str, tid: int, text: str) -> None:
        now = self.now
        line = None
        if self._site_log_sink is not None:
            line = format_stamped_line(text, self.log_clock.stamp(now), tid, COMPONENT)
            self._site_log_sink(site, line)
        self.lines_written += 1
        if self._l_log:
            ev = new_event(LogEvent, (now, tid, text, line, self.log_clock, site))
            for f in self._l_log:
                f(ev)

    def _timer(
        self,
        action: TimerAction,
        kind: TimerKind,
        deadline: float,
        dest: str,
        th: Thread | None = None,
        req: Request | None = None,
        site: str | None = None,
    ) -> None:
        listeners = self._l_timer[kind]
        if not listeners:
            return
        if req is None and th is not None:
            req = th.req
        if req is not None:
            site = req.lane.sender.code
        ev = new_event(
            TimerEvent,
            (self.now, action, kind, deadline, dest, th.tid if th else None, req.rid if req else None, site),
        )
        for f in listeners:
            f(ev)

    def _site_event(
        self, dest: str, what: str, until: float | None = None, site: str | None = None, priority: int | None = None
    ) -> None:
        if self._l_site:
            ev = new_event(SiteEvent, (self.now, dest, what, until, site, priority))
            for f in self._l_site:
                f(ev)

    def _thread_event(self, th: Thread, state: ThreadState) -> None:
        ev = new_event(ThreadEvent, (self.now, th.tid, th.req.rid, th.dest.code, state, th.lane.sender.code))
        for f in self._l_thread:
            f(ev)
