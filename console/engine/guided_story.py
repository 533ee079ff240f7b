"""The story the guided "Reproduce Q278357" panel tells, as steps that tick off when engine events arrive.

Qt-free (it only reads engine events and snapshots), so the step logic is tested without widgets. Two
stories, chosen by the model's rule
(``q278357_applies``), never by looking at version numbers here:

- the bug (before SP4): sending -> network error ("Operation is retryable.") -> the thread waits without
  beating -> its heartbeat turns older than the time-out -> "Heartbeat is expired." / "Can't re-establish
  the connection." -> the .PCK stays open on the destination -> the next thread fails with Win32 error 32
  -> the destination restarts and the file is closed -> delivered;
- the fix (SP4): sending -> network error -> the thread waits and keeps beating -> the retry reopens its own
  file and resumes -> delivered, with no error 32.

Only the story's own send request (the scenario's first send, found by its package ID) and its threads are
followed, so packages queued by hand during the run do not tick anything. Steps tick in order; the two
steps that have no event of their own in a coarse frame are implied by the next one (the heartbeat crossing
by the expiry, the open file by the sharing violation), with the time they actually happened.

``pacing`` turns a dry run of the scenario into speeds per stretch of the story so that the whole of it
plays in under a minute of wall time, with more wall time for the part a newcomer must read (the wait in
which the heartbeat lapses) and less for the hour of repeated error 32 before the restart.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from console.engine.events import (
    EngineEvent,
    LogEvent,
    RequestEvent,
    RequestStatus,
    SiteEvent,
    ThreadEvent,
    ThreadState,
    TimerAction,
    TimerEvent,
    TimerKind,
)
from console.engine.scenario_engine import engine_from_scenario
from console.engine.sender import SenderEngine
from console.model.advisories import q278357_applies
from console.model.durations import format_duration
from console.model.scenario import Scenario
from console.model.sim_clock import clock_time

KB = "Q278357"
ERROR_32 = "Win32 error = 32."
RETRYABLE = "Operation is retryable."
EXPIRED = "Heartbeat is expired."
CANT_REESTABLISH = "Can't re-establish the connection."


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    detail: str


@dataclass
class StoryState:
    """What the tracker has learned about the story's request while following it."""

    request_id: str | None = None
    threads: set[int] = field(default_factory=set)
    error_thread: int | None = None
    heartbeat_deadline: float | None = None
    expired_thread: int | None = None
    error32_count: int = 0
    delivered_at: float | None = None


def story_is_bug(scenario: Scenario) -> bool:
    """Does the scenario's sending site suffer Q278357 with these settings? (The model's rule.)"""
    return q278357_applies(
        scenario.sender_site.version, scenario.settings.retry_delay_min, scenario.heartbeat_timeout_min
    )


class ReproStory:
    """Follows one scenario's first send through the Q278357 story; ``feed`` each frame's events."""

    def __init__(self, scenario: Scenario) -> None:
        if not scenario.sends:
            raise ValueError(f"{scenario.source}: the guided case needs a scenario with at least one send")
        self.scenario = scenario
        send = scenario.sends[0]
        self.dest = send.dest
        self.package = send.package
        self.server = scenario.site(self.dest).server
        self.version = scenario.sender_site.version
        self.delay_min = scenario.settings.retry_delay_min
        self.timeout_min = scenario.heartbeat_timeout_min
        self.bug = story_is_bug(scenario)
        self.steps = self._bug_steps() if self.bug else self._fixed_steps()
        self.done: dict[str, float] = {}
        """Step key -> virtual time it happened, in the order the steps ticked."""
        self.unexpected: list[str] = []
        """Things that contradict the story (e.g. error 32 on SP4); the panel shows them."""
        self.state = StoryState()

    # -- the two stories ------------------------------------------------------------------------

    def _bug_steps(self) -> list[Step]:
        v, d, t, dest, server = self.version.label, self.delay_min, self.timeout_min, self.dest, self.server
        return [
            Step(
                "sending",
                f"Sending {self.package} to {dest}",
                f"A sending thread connects to \\\\{server}\\SMS_SITE, opens the package file there and writes "
                f"it in 256 KB blocks. The sync point in the Outbox tab shows how much has arrived.",
            ),
            Step(
                "error",
                "A network error interrupts the transfer",
                f"The link to {dest} drops. Sender.log says \u201c{RETRYABLE}\u201d: the thread means to wait "
                f"and try again, as it normally would.",
            ),
            Step(
                "waiting",
                f"The thread waits {d} minutes before retrying",
                f"Delay before retrying is {d} minutes. On SMS {v} a thread that is waiting to retry does not "
                f"refresh its heartbeat, so the heartbeat keeps getting older while it sleeps.",
            ),
            Step(
                "hb_passed",
                f"The heartbeat is now older than {t} minutes",
                f"The sender treats a thread whose heartbeat is older than {t} minutes as having lost its "
                f"connection for good. The thread is still asleep and does not know yet.",
            ),
            Step(
                "expired",
                "\u201cHeartbeat is expired.\u201d \u2014 the retry is abandoned",
                f"When the thread wakes up it finds its heartbeat expired, logs \u201c{EXPIRED}\u201d and "
                f"\u201c{CANT_REESTABLISH}\u201d and gives up without using its remaining retries. This is the "
                f"first symptom of {KB}.",
            ),
            Step(
                "left_open",
                f"The package file stays open on {server}",
                f"The thread that gave up never closed its package file on \\\\{server}\\SMS_SITE. The send "
                f"request goes back to the outbox; the Scheduler offers it to the sender again 10 minutes later.",
            ),
            Step(
                "error32",
                "The next attempt fails with Win32 error 32",
                f"A new sending thread cannot open the package file: the old handle still holds it (a sharing "
                f"violation, Win32 error 32). This is the second symptom of {KB}; every later attempt fails the "
                f"same way and the package is not sent.",
            ),
            Step(
                "restart",
                f"{server} restarts and the stale file is closed",
                "Restarting the destination server closes every file open on its SMS_SITE share, including "
                "the one the abandoned thread left behind. (This scenario restarts it; on a real site an "
                "administrator would have to.)",
            ),
            Step(
                "delivered",
                f"{self.package} is delivered at last",
                f"The next attempt opens the file and sends the package. On SMS {v} the fix is a retry delay "
                f"of {t} minutes or less, or SMS 2.0 SP4 ({KB}).",
            ),
        ]

    def _fixed_steps(self) -> list[Step]:
        v, d, dest, server = self.version.label, self.delay_min, self.dest, self.server
        return [
            Step(
                "sending",
                f"Sending {self.package} to {dest}",
                f"A sending thread connects to \\\\{server}\\SMS_SITE, opens the package file there and writes "
                f"it in 256 KB blocks.",
            ),
            Step(
                "error",
                "A network error interrupts the transfer",
                f"The same outage as before. Sender.log says \u201c{RETRYABLE}\u201d",
            ),
            Step(
                "waiting",
                f"The thread waits {d} minutes and keeps its heartbeat fresh",
                f"On SMS {v} a thread that is waiting to retry keeps beating, so the {self.timeout_min}-minute "
                f"heartbeat time-out is never reached however long the delay is ({KB} is fixed here).",
            ),
            Step(
                "retry",
                "The retry reopens its own file and resumes",
                "The thread reconnects, opens the package file it already had open and carries on from the "
                "sync point: nothing already sent is sent again.",
            ),
            Step(
                "delivered",
                f"{self.package} is delivered, with no error 32",
                f"The outage cost only the retry delay. Compare the Sender.log of the SP3 run: no "
                f"\u201c{EXPIRED}\u201d, no sharing violation.",
            ),
        ]

    # -- progress -------------------------------------------------------------------------------

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.steps]

    @property
    def current(self) -> Step | None:
        """The first step not yet done (None once the story is complete)."""
        return next((s for s in self.steps if s.key not in self.done), None)

    @property
    def finished(self) -> bool:
        return self.current is None

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    def _tick(self, key: str, when: float) -> bool:
        """Tick ``key`` if it is the next step; returns whether it ticked."""
        cur = self.current
        if cur is None or cur.key != key:
            return False
        self.done[key] = when
        return True

    def feed(self, events: list[EngineEvent], engine: SenderEngine) -> list[str]:
        """Take one frame's events (in order) and the engine after them; returns the steps that ticked."""
        before = len(self.done)
        st = self.state
        for ev in events:
            if isinstance(ev, RequestEvent):
                if st.request_id is None and ev.dest == self.dest and self._is_story_request(ev.request_id, engine):
                    st.request_id = ev.request_id
                if ev.request_id == st.request_id and ev.status is RequestStatus.OK:
                    st.delivered_at = ev.time
                    self._tick("delivered", ev.time)
            elif isinstance(ev, ThreadEvent):
                if ev.request_id != st.request_id:
                    continue
                st.threads.add(ev.thread_id)
                if ev.state is ThreadState.SENDING:
                    self._tick("sending", ev.time)
                if ev.state is ThreadState.OPENING and ev.thread_id == st.error_thread and self.done.get("waiting"):
                    self._tick("retry", ev.time)
            elif isinstance(ev, LogEvent):
                if ev.thread_id not in st.threads:
                    continue
                self._on_log(ev)
            elif isinstance(ev, TimerEvent):
                if ev.request_id is None or ev.request_id != st.request_id:
                    continue
                if ev.kind is TimerKind.RETRY_WAIT and ev.action is TimerAction.SET:
                    self._tick("waiting", ev.time)
                elif ev.kind is TimerKind.HEARTBEAT_TIMEOUT:
                    if ev.action is TimerAction.SET and st.heartbeat_deadline is None:
                        st.heartbeat_deadline = ev.deadline
                    elif ev.action is TimerAction.FIRED and ev.deadline == st.heartbeat_deadline:
                        self._tick("hb_passed", ev.deadline)
            elif isinstance(ev, SiteEvent) and ev.dest == self.dest and ev.what == "restart":
                self._tick("restart", ev.time)
        self._after_frame(engine)
        return list(self.done)[before:]

    def _is_story_request(self, request_id: str, engine: SenderEngine) -> bool:
        """The scenario's first send, by package ID: a package queued by hand may reach the outbox first."""
        return any(r.request_id == request_id and r.package == self.package for r in engine.requests())

    def _on_log(self, ev: LogEvent) -> None:
        st = self.state
        text = ev.text
        if text == RETRYABLE:
            if self._tick("error", ev.time):
                st.error_thread = ev.thread_id
        elif text == EXPIRED:
            self._tick("hb_passed", st.heartbeat_deadline if st.heartbeat_deadline is not None else ev.time)
        elif text == CANT_REESTABLISH:
            if self._tick("expired", ev.time):
                st.expired_thread = ev.thread_id
        elif text.endswith(ERROR_32):
            st.error32_count += 1
            if not self.bug:
                self.unexpected.append(
                    f"Win32 error 32 at t = {format_duration(ev.time)}: not expected on SMS {self.version.label}."
                )
                return
            self._tick("left_open", ev.time)
            self._tick("error32", ev.time)

    def _after_frame(self, engine: SenderEngine) -> None:
        """Ticks that depend on time passing or on a snapshot rather than on one event."""
        st = self.state
        if st.heartbeat_deadline is not None and engine.now > st.heartbeat_deadline:
            self._tick("hb_passed", st.heartbeat_deadline)
        cur = self.current
        if cur is not None and cur.key == "left_open" and st.expired_thread is not None:
            pck = self.pck_path()
            if pck is not None and engine.open_files(self.dest).get(pck) == st.expired_thread:
                self._tick("left_open", self.done["expired"])

    # -- live notes -----------------------------------------------------------------------------

    def pck_path(self) -> str | None:
        rid = self.state.request_id
        return f"\\\\{self.server}\\SMS_SITE\\{rid}.PCK" if rid else None

    def live_note(self, engine: SenderEngine) -> str:
        """One line about the current step that changes as the clock runs (a countdown, a count)."""
        cur = self.current
        st = self.state
        if cur is None:
            if st.delivered_at is None:
                return ""
            return f"Delivered at {clock_time(engine.start, st.delivered_at)} (simulated clock)."
        thread = next((t for t in engine.threads() if t.request_id == st.request_id), None)
        request = next((r for r in engine.requests() if r.request_id == st.request_id), None)
        if cur.key == "sending" or (cur.key == "error" and thread is not None and request is not None):
            if request is not None:
                pct = 100.0 * request.sync_point / request.total_bytes if request.total_bytes else 0.0
                return f"{request.sync_point:,} of {request.total_bytes:,} bytes sent ({pct:.0f}%)."
            return ""
        if cur.key in ("hb_passed", "expired", "retry") and thread is not None and thread.retry_at is not None:
            age = engine.now - thread.heartbeat_at
            limit = self.timeout_min * 60.0
            wake = f"retry at {clock_time(engine.start, thread.retry_at)}"
            if thread.beats_while_waiting:
                return f"Heartbeat {format_duration(age)} old (it beats while waiting); {wake}."
            over = " \u2014 past the time-out" if age > limit else ""
            return f"Heartbeat age {format_duration(age)} of {format_duration(limit)}{over}; {wake}."
        if cur.key in ("left_open", "error32") and request is not None and request.restart_at is not None:
            return (
                f"{self.pck_path()} is still held open; the request is offered again at "
                f"{clock_time(engine.start, request.restart_at)}."
            )
        if cur.key == "restart":
            times = "once" if st.error32_count == 1 else f"{st.error32_count} times"
            return f"Win32 error 32 so far: {times}. The package has not moved since the outage."
        if cur.key == "delivered" and request is not None and request.bytes_left:
            return f"{request.bytes_left:,} bytes left to send."
        return ""


# -- pacing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaceStretch:
    after: str | None  # the step whose tick starts this stretch (None: from the start)
    start_s: float
    end_s: float
    wall_s: float

    @property
    def speed(self) -> float:
        return max(1.0, round((self.end_s - self.start_s) / self.wall_s))


BUG_WALL_S = (("error", 6.0), ("expired", 16.0), ("error32", 10.0), ("delivered", 12.0))
"""Wall seconds for each stretch of the bug story, named by the step that ends it: 44 s in all."""
FIXED_WALL_S = (("error", 6.0), ("retry", 16.0), ("delivered", 14.0))
MAX_WALL_S = 60.0


def dry_run(scenario: Scenario) -> ReproStory:
    """Play the scenario to its end without a GUI and return the finished story (with each step's time)."""
    story = ReproStory(scenario)
    engine = engine_from_scenario(scenario)
    events: list[EngineEvent] = []
    engine.subscribe(events.append)
    while (t := engine.next_event_time()) is not None and t <= scenario.duration_s and not story.finished:
        engine.advance_to(t)
        story.feed(events, engine)
        events.clear()
    return story


def pacing(scenario: Scenario) -> list[PaceStretch]:
    """Speeds for each stretch of the story, from a dry run of the scenario.

    A stretch whose end never happens in the dry run (an edited scenario) runs to the scenario's end, so a
    broken story still ends within the minute.
    """
    story = dry_run(scenario)
    plan = BUG_WALL_S if story.bug else FIXED_WALL_S
    stretches: list[PaceStretch] = []
    start_s, after = 0.0, None
    for key, wall in plan:
        end_s = story.done.get(key, scenario.duration_s)
        end_s = max(end_s, start_s + 1.0)
        stretches.append(PaceStretch(after, start_s, end_s, wall))
        if key not in story.done:
            break
        start_s, after = end_s, key
    return stretches


def speed_for(stretches: list[PaceStretch], done: dict[str, float]) -> float:
    """The speed of the latest stretch whose starting step has ticked."""
    speed = stretches[0].speed
    for s in stretches:
        if s.after is None or s.after in done:
            speed = s.speed
    return speed


def wall_seconds(stretches: list[PaceStretch]) -> float:
    return sum((s.end_s - s.start_s) / s.speed for s in stretches)
