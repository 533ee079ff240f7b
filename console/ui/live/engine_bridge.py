"""The one object through which the GUI drives the live sender engine (DESIGN.md §2).

Why a GUI-thread timer and not a worker thread: the engine handles a frame's worth of events (even 200
threads at 600x) in a few milliseconds, and a worker would need locks around every snapshot the views
read (``engine.threads()``, ``engine.requests()``) plus queued signals for every action. One timer keeps
all engine access on one thread, so the views may read snapshots freely inside a ``frame`` slot.

Timing: a single ``QTimer`` ticks at the frame rate (5 Hz by default). Each tick reads the injectable wall
clock, advances virtual time by ``elapsed wall x speed`` and emits everything the engine said since the last
frame as one list. Ticking once per frame (rather than faster ticks plus a separate frame timer) is the
same thing to the eye, since views only repaint on ``frame``, and costs half the timer wake-ups.
Elapsed wall time is capped at ``MAX_CATCHUP_S`` per tick: after the machine stalls (a modal dialog, a
suspend) the clock does not leap hours ahead at 600x and freeze the GUI catching up.

Work per tick is bounded by a time budget (half the frame interval, at least ``MIN_BUDGET_S``): when the
engine cannot simulate ``elapsed x speed`` in that time (hundreds of threads on fast links at 600x), the rest
of the step is dropped and the simulated clock runs slower than asked (``lag_s`` says by how much) instead
of the frames stopping. A responsive window that runs at 300x beats a frozen one that "runs" at 600x.

What the bridge asks the engine for: ``GUI_KINDS``, every event but the per-block ``TRANSFER`` timers. With
those left out the observed engine runs about twice as fast under load; nothing in the GUI needs them, since
each block also writes its ``Wrote ...`` Sender.log line at the same instant on the same thread (the timer
view's per-block heartbeat comes from that line). Listeners of ``frame`` that read timers get the kinds in
``GUI_KINDS`` only (the guided story reads RETRY_WAIT and HEARTBEAT_TIMEOUT timers).

Scenario files end at their ``duration``: the clock stops there and the bridge pauses itself (speed 0,
``speedChanged``); the database engine runs on without an end.

Console notes (``ConsoleNote``) travel in the frame batches beside the engine's events, in time order: one when an
engine starts (a new *run*: the log view draws a separator there, since a real Sender.log has no verified wording
for it) and one for each fault the user injected (what it hit, even nothing). They are the console's words, never
Sender.log lines, and are never written to the file. Faults may be planned for a later simulated time
(``inject_outage(..., at_s=...)``); the bridge keeps them and stops the engine's clock at that instant to apply
them, so they land exactly when asked at any speed. A replaced engine drops the plans made for the old one.

An engine that raises while the bridge advances it (a bug: the engine validates its inputs up front) must not take
the window with it: the bridge catches the exception in ``tick``, ``step_to_next_event`` and ``run_for``, pauses
(speed 0, set by "error"), still emits what the engine said before it failed, writes the traceback to a crash log
under ``crash_dir`` and emits ``engineFailed(message)`` for the window to show. A reset or a new engine starts
clean; pressing a speed button tries the same engine again.

Who set the speed (``set_by``) matters when leaving a scenario or the guided case: ``user_speed`` is the last
speed above 0 that the user (a speed button, ``--speed``) chose, which is what comes back afterwards.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import heapq
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from PySide6.QtCore import QObject, QTimer, Signal

from console.engine.events import GUI_KINDS, EngineEvent, ThreadState
from console.engine.sender import SenderEngine
from console.engine.sender_log import SenderLogFile
from console.engine.sources import EngineSource, central_site
from console.model.crash_log import format_exception_text
from console.model.durations import format_duration
from console.model.scenario import Scenario
from console.model.sender_settings import SenderSettings
from console.model.sites import SiteDatabase
from console.ui.common.crash_notice import write_gui_crash_log

FRAME_INTERVAL_MS = 200
MAX_CATCHUP_S = 1.0
MIN_BUDGET_S = 0.02
SLICES = 8
WallClock = Callable[[], float]
DEFAULT_USER_SPEED = 60.0


class ConsoleNote(NamedTuple):
    """A line of the console's own, sent in a frame batch in time order (see the module docstring).

    ``kind`` is "run" (an engine started: ``start`` is its clock's origin, ``title`` what runs) or "fault" (an
    injected fault: ``dest`` and whether it was ``planned`` ahead)."""

    time: float
    kind: str
    text: str
    dest: str = ""
    title: str = ""
    start: _dt.datetime | None = None
    planned: bool = False


class PlannedAction(NamedTuple):
    at_s: float
    seq: int
    kind: str  # "outage" | "restart"
    dest: str
    duration_s: float = 0.0


class EngineBridge(QObject):
    """Owns the live SenderEngine and drives it from one QTimer on the GUI thread.

    Engine events are appended to a buffer by a cheap engine listener (a bound ``list.append``); each frame
    emits them as one batch. Views never repaint per event.
    """

    frame = Signal(object)  # a list; not Signal(list): that converts it to a QVariantList per slot (0.6 ms/frame)
    clockChanged = Signal(float)
    speedChanged = Signal(float)
    engineReplaced = Signal()
    engineFailed = Signal(str)
    """The engine raised while advancing: "<type>: <message>" (see the module docstring); ``failure_log`` names
    the crash log."""

    SPEEDS = (0.0, 1.0, 10.0, 60.0, 600.0)

    def __init__(
        self,
        source: EngineSource,
        *,
        log_path: Path | None = None,
        clock: WallClock = time.monotonic,
        frame_interval_ms: int = FRAME_INTERVAL_MS,
        speed: float = 0.0,
        crash_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._crash_dir = crash_dir
        self.failures = 0
        """How many times the engine raised (each one paused it and emitted ``engineFailed``)."""
        self.failure_log: Path | None = None
        """The crash log of the last failure (None before one, or when it could not be written)."""
        self._buffer: list[EngineEvent] = []
        self.lag_s = 0.0
        """Simulated seconds the last tick dropped because the engine could not keep up (0 when on time)."""
        self._speed = 0.0
        self._paused_by = "user"
        self.user_speed = DEFAULT_USER_SPEED
        """The last speed above 0 set by the user (see the module docstring)."""
        self._planned: list[PlannedAction] = []
        self._planned_seq = 0
        self._last_wall = clock()
        self._last_clock_emitted: float | None = None
        self._log: SenderLogFile | None = SenderLogFile(log_path) if log_path is not None else None
        self._source = source
        self._engine = self._build(source)
        self._timer = QTimer(self)
        self._timer.setInterval(frame_interval_ms)
        self._timer.timeout.connect(self.tick)
        self.set_speed(speed)
        self._timer.start()

    @classmethod
    def for_database(
        cls, db: SiteDatabase, sending_site: str | None = None, *, demo_traffic: bool = True, **kwargs: object
    ) -> EngineBridge:
        """The console's default engine: ``sending_site`` (default: the central site) sends to every other site."""
        code = db.get(sending_site).code if sending_site else central_site(db)
        return cls(EngineSource(database=db, sending_site=code, demo_traffic=demo_traffic), **kwargs)  # type: ignore[arg-type]

    @classmethod
    def for_scenario(cls, scenario: Scenario, **kwargs: object) -> EngineBridge:
        return cls(EngineSource(scenario=scenario), **kwargs)  # type: ignore[arg-type]

    # -- properties -----------------------------------------------------------------------------

    @property
    def engine(self) -> SenderEngine:
        return self._engine

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def scenario_name(self) -> str:
        return self._source.name

    @property
    def sending_site(self) -> str:
        return self._source.site_code

    @property
    def source(self) -> EngineSource:
        return self._source

    @property
    def end_s(self) -> float | None:
        """Where the clock stops (a scenario's duration), or None for the open-ended database engine."""
        return self._engine.end_s

    @property
    def log_path(self) -> Path | None:
        return self._log.path if self._log is not None else None

    @property
    def frame_interval_ms(self) -> int:
        return self._timer.interval()

    def set_frame_interval(self, ms: int) -> None:
        """For the benchmark (which measures how many frames the views sustain) and tests."""
        self._timer.setInterval(max(0, int(ms)))

    # -- time -----------------------------------------------------------------------------------

    @property
    def paused_by(self) -> str:
        """Who set the current speed: "user", "end" (the scenario's duration was reached), "story" (the
        guided Q278357 run's pace or its pause at the last step) or "dialog" (an Engine dialog is open).
        "error" means the engine raised and the bridge paused it. Only a user's choice should survive leaving a
        scenario."""
        return self._paused_by

    set_by = paused_by

    def set_speed(self, factor: float, *, by: str = "user") -> None:
        factor = float(factor)
        if not factor >= 0.0:  # also refuses NaN
            raise ValueError(f"speed must be 0 (paused) or more; got {factor}")
        self._paused_by = by
        if by == "user" and factor > 0.0:
            self.user_speed = factor
        # Time spent paused (or at the old speed) must not be replayed at the new speed.
        self._last_wall = self._clock()
        if factor != self._speed:
            self._speed = factor
            self.speedChanged.emit(factor)

    def tick(self) -> None:
        """One timer tick: advance by elapsed wall time x speed, then emit the frame (public for tests)."""
        now_wall = self._clock()
        elapsed = min(max(0.0, now_wall - self._last_wall), MAX_CATCHUP_S)
        self._last_wall = now_wall
        if self._speed > 0.0 and elapsed > 0.0:
            with self._engine_guard():
                self._advance_within_budget(self._engine.now + elapsed * self._speed)
        self.flush()

    @contextlib.contextmanager
    def _engine_guard(self) -> Iterator[None]:
        """Catch what the engine raises while advancing; see the module docstring."""
        try:
            yield
        except Exception as exc:
            self._engine_failed(exc)

    def _engine_failed(self, exc: Exception) -> None:
        self.failures += 1
        text = format_exception_text(type(exc), exc, exc.__traceback__)
        self.failure_log = write_gui_crash_log(self._crash_dir, text, "live engine")
        self.set_speed(0.0, by="error")
        self.engineFailed.emit(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)

    def _advance_within_budget(self, target: float) -> None:
        budget = max(MIN_BUDGET_S, self._timer.interval() / 2000.0)
        start = time.perf_counter()
        engine = self._engine
        slice_s = (target - engine.now) / SLICES
        self.lag_s = 0.0
        while engine.now < target:
            self._advance(min(target, engine.now + slice_s))
            if self._speed == 0.0:  # the scenario ended
                return
            if time.perf_counter() - start > budget and engine.now < target:
                self.lag_s = target - engine.now
                return

    def _advance(self, target: float) -> None:
        end = self._engine.end_s
        planned = self._planned
        while planned and planned[0].at_s <= target and (end is None or planned[0].at_s <= end):
            action = heapq.heappop(planned)
            self._engine.advance_to(max(action.at_s, self._engine.now))
            self._apply(action, planned=True)
        if end is not None and target >= end:
            target = max(end, self._engine.now)
            self._engine.advance_to(target)
            if self._speed != 0.0:
                self.set_speed(0.0, by="end")
            return
        self._engine.advance_to(target)

    def step_to_next_event(self) -> None:
        """Advance exactly to the next scheduled event (not past it) and show the result at once."""
        with self._engine_guard():
            self._step()
        self.flush()

    def _step(self) -> None:
        t = self._engine.next_event_time()
        if self._planned and (t is None or self._planned[0].at_s <= t):
            self._advance(self._planned[0].at_s)
            return
        if t is None:
            return
        end = self._engine.end_s
        if end is not None and t > end:
            t = max(end, self._engine.now)
        self._engine.advance_to(max(t, self._engine.now))

    def run_for(self, virtual_seconds: float) -> None:
        """Let ``virtual_seconds`` of simulated time pass as fast as possible, then emit one frame."""
        if virtual_seconds < 0:
            raise ValueError(f"cannot run for a negative time; got {virtual_seconds:g} s")
        with self._engine_guard():
            self._advance(self._engine.now + virtual_seconds)
        self._last_wall = self._clock()
        self.flush()

    def flush(self) -> None:
        """Emit a frame now with whatever is buffered (also flushes Sender.log to disk)."""
        batch = self._buffer.copy()
        self._buffer.clear()
        if self._log is not None:
            self._log.flush()
        now = self._engine.now
        if now != self._last_clock_emitted:
            self._last_clock_emitted = now
            self.clockChanged.emit(now)
        self.frame.emit(batch)

    # -- engines --------------------------------------------------------------------------------

    def _build(self, source: EngineSource, engine: SenderEngine | None = None) -> SenderEngine:
        if engine is None:
            engine = source.build()
        self._planned.clear()
        self._buffer.append(self._run_note(engine, source))
        # The buffer's own append: one C call per event. The list is therefore never replaced, only copied
        # out and cleared (flush, _replace).
        self._unsubscribe = engine.subscribe(self._buffer.append, kinds=GUI_KINDS)
        if self._log is not None:
            engine.set_log_sink(self._log.write_line)
        return engine

    def _replace(self, source: EngineSource) -> None:
        old, old_unsubscribe = self._engine, self._unsubscribe
        engine = source.build()  # build first: a bad source leaves the running engine untouched
        old.set_log_sink(None)
        old_unsubscribe()
        # The old engine's leftovers go first: they are its last lines (the list is the new one's too).
        self.flush()
        self._engine = self._build(source, engine)
        self._source = source
        self._last_clock_emitted = None
        self._last_wall = self._clock()
        self.engineReplaced.emit()
        self.flush()

    def load_scenario(self, scenario: Scenario) -> None:
        self._replace(EngineSource(scenario=scenario))

    def use_site_database(self, db: SiteDatabase, sending_site: str) -> None:
        """A new engine for ``sending_site``'s Standard Sender (KeyError, engine unchanged, if unknown)."""
        self._replace(
            EngineSource(database=db, sending_site=db.get(sending_site).code, demo_traffic=self._source.demo_traffic)
        )

    def update_site_database(self, db: SiteDatabase) -> None:
        """Remember an edited database for the next ``reset`` without disturbing the running engine."""
        if self._source.database is not None and self._source.sending_site in db:
            self._source = EngineSource(
                database=db, sending_site=self._source.sending_site, demo_traffic=self._source.demo_traffic
            )

    def reset(self) -> None:
        """The same source again at t = 0 (a scenario as in its file; the database as it is now)."""
        self._replace(self._source)

    def apply_sender_settings(self, settings: SenderSettings) -> None:
        """New settings for the running engine: new sending threads take them, running ones keep theirs."""
        self._engine.apply_settings(settings)

    # -- actions --------------------------------------------------------------------------------

    def queue_package(self, package: str, dest: str, size_kb: int, priority: int) -> str:
        return self._engine.queue_send(package, dest, int(size_kb) * 1024, priority)

    def inject_outage(self, dest: str, duration_s: float, at_s: float | None = None) -> ConsoleNote | None:
        """Take the link to ``dest`` down for ``duration_s``: now (returns the note saying what it hit) or at
        simulated time ``at_s`` (returns None; the note comes in the frame where it happens)."""
        if duration_s <= 0:
            raise ValueError(f"outage duration must be positive; got {duration_s}")
        return self._act("outage", dest, at_s, duration_s)

    def restart_server(self, dest: str, at_s: float | None = None) -> ConsoleNote | None:
        """Restart ``dest``'s server now (returns the note) or at simulated time ``at_s`` (returns None)."""
        return self._act("restart", dest, at_s)

    def planned_actions(self) -> list[PlannedAction]:
        """Faults planned for later, soonest first."""
        return sorted(self._planned)

    def _act(self, kind: str, dest: str, at_s: float | None, duration_s: float = 0.0) -> ConsoleNote | None:
        dest = self._check_dest(dest)
        self._planned_seq += 1
        action = PlannedAction(
            self._engine.now if at_s is None else float(at_s), self._planned_seq, kind, dest, duration_s
        )
        if action.at_s > self._engine.now:
            heapq.heappush(self._planned, action)
            return None
        return self._apply(action, planned=False)

    def _check_dest(self, dest: str) -> str:
        code = str(dest).upper()
        self._engine.link_down_until(code)  # KeyError with the engine's message for an unknown destination
        return code

    def _apply(self, action: PlannedAction, *, planned: bool) -> ConsoleNote:
        """Do it now and put a note saying what it hit into the frame (see the module docstring)."""
        engine = self._engine
        dest = action.dest
        threads = [t for t in engine.threads() if t.dest == dest]
        server = self._server_of(dest)
        mark = len(self._buffer)  # the note goes before the lines the fault makes the engine write
        if action.kind == "outage":
            sending = sum(1 for t in threads if t.state is ThreadState.SENDING)
            engine.inject_outage(dest, action.duration_s)
            hit = (
                f"it broke {sending} transfer{'s' if sending != 1 else ''} in flight"
                if sending
                else (
                    f"no transfer was in flight ({len(threads)} thread{'s' if len(threads) != 1 else ''} to {dest} "
                    "waiting or connecting)"
                    if threads
                    else f"no thread was sending to {dest}"
                )
            )
            text = (
                f"Network outage injected: the link to {dest} is down for {format_duration(action.duration_s)}; {hit}."
            )
        else:
            files = len(engine.open_files(dest))
            engine.restart_server(dest)
            closed = f"{files} open file{'s' if files != 1 else ''} closed" if files else "no file was open"
            busy = f", {len(threads)} thread{'s' if len(threads) != 1 else ''} cut off" if threads else ""
            text = f"Server restart injected: {server} ({dest}) restarted; {closed}{busy}."
        note = ConsoleNote(engine.now, "fault", text, dest=dest, planned=planned)
        self._buffer.insert(mark, note)
        return note

    def _server_of(self, dest: str) -> str:
        source = self._source
        if source.scenario is not None:
            for spec in source.scenario.sites:
                if spec.site.code == dest:
                    return spec.site.server
        elif source.database is not None and dest in source.database:
            return source.database.get(dest).server
        return dest

    @staticmethod
    def _run_note(engine: SenderEngine, source: EngineSource) -> ConsoleNote:
        site = engine.sending_site
        if source.scenario is not None:
            title = f"scenario \u201c{source.scenario.name}\u201d ({site.code} sending)"
        else:
            title = f"site database, {site.code} sending" + (" with demo traffic" if source.demo_traffic else "")
        return ConsoleNote(0.0, "run", f"Engine started: {title}", title=title, start=engine.start)

    def close(self) -> None:
        """Stop the timer and close Sender.log (the window calls this when it closes)."""
        self._timer.stop()
        self._engine.set_log_sink(None)
        if self._log is not None:
            self._log.close()
            self._log = None
