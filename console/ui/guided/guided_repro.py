"""The guided "Reproduce Q278357" case: a side panel that narrates the shipped KB scenario as it runs.

What it does: loads ``resources/scenarios/q278357-sp3.toml`` into the live engine (through the bridge, so
the Timers, Outbox and Sender.log tabs show the same run), sets a pace computed from a dry run of that
file (``guided_story.pacing``: the whole story in about 45 s of wall time, never over a minute), and ticks
off the story's steps as the bridge's frame batches bring the events that make them true. It keeps no timer
of its own: a paused engine pauses the story. At the end it pauses the engine and offers the same scenario
on SP4 for contrast (``q278357-sp4.toml``), then the SP3 case again.

Why a dock and not a dialog: the point is to watch the other tabs while reading; a modal dialog would
cover them and a separate window gets lost behind the console.

Interference: a frame only changes the speed when the story enters a new stretch, so a user who pauses
keeps the engine paused. The story's paces are set ``by="story"``: leaving the guided case (closing the panel,
"Back to my site database") brings back the speed the user last chose with a speed button, and a closed panel
no longer replays its story when the engine is reset. If the engine is replaced by something else (File > Open
Scenario, or a reset of another source), the story stops and says so; a reset of the same scenario replays the
story from the start.

Whether the KB applies is the model's rule (``q278357_applies`` in ``console.model.advisories``), used by
the story to choose between the two narratives and here to point at the user's own affected sites.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QCloseEvent, QFont, QPixmap
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from console.engine.guided_story import KB, PaceStretch, ReproStory, pacing, speed_for, wall_seconds
from console.model.advisories import q278357_applies
from console.model.durations import format_duration
from console.model.resource_paths import resource_path
from console.model.scenario import Scenario, ScenarioError, load_scenario
from console.model.sim_clock import clock_time
from console.model.site_session import SiteSession
from console.model.sites import SiteDatabase
from console.ui.live.engine_bridge import EngineBridge

SCENARIO_FILES = {"sp3": "q278357-sp3.toml", "sp4": "q278357-sp4.toml"}


def scenario_path(variant: str) -> Path:
    return resource_path("scenarios", SCENARIO_FILES[variant])


def affected_sites(db: SiteDatabase) -> list[str]:
    """ "LAB - Training Lab (SMS 2.0 SP3, 6-minute delay)" for each site whose Standard Sender trips the rule."""
    out = []
    for site in db:
        delay = site.standard_sender.settings.retry_delay_min
        if q278357_applies(site.version, delay):
            out.append(f"{site.title} (SMS {site.version.label}, {delay}-minute delay)")
    return out


class _StepRow:
    """One line of the step list: state icon, title (+ explanation once reached), simulated time."""

    def __init__(self, grid: QGridLayout, row: int, title: str, detail: str, parent: QWidget) -> None:
        self.icon = QLabel(parent)
        self.icon.setFixedWidth(22)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(title, parent)
        self.title.setWordWrap(True)
        self.detail = QLabel(detail, parent)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.live = QLabel(parent)
        self.live.setObjectName("guidedStepLive")
        self.live.setWordWrap(True)
        live_font = QFont(self.live.font())
        live_font.setItalic(True)
        self.live.setFont(live_font)
        self.live.hide()
        self.time = QLabel("", parent)
        self.time.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(self.title)
        box.addWidget(self.detail)
        box.addWidget(self.live)
        grid.addWidget(self.icon, row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addLayout(box, row, 1)
        grid.addWidget(self.time, row, 2, Qt.AlignmentFlag.AlignTop)
        self.state = ""

    def set_state(self, state: str, icon_pixmap: object, when: str, explain: bool) -> None:
        """``state``: "done", "current" or "pending"; ``explain`` shows the explanation under the title.

        Only the current step and the one just done are explained; older steps shrink to their title (the
        explanation stays in the tooltip), so the step being played stays in view in a narrow dock.
        """
        self.state = state
        self.icon.setPixmap(icon_pixmap)  # type: ignore[arg-type]
        self.icon.setAccessibleName({"done": "Done", "current": "Now", "pending": "Not yet"}[state])
        font = QFont(self.title.font())
        font.setBold(state == "current")
        self.title.setFont(font)
        self.title.setEnabled(state != "pending")
        self.title.setToolTip(self.detail.text() if state == "done" and not explain else "")
        self.detail.setVisible(state != "pending" and explain)
        if state != "current":
            self.live.hide()
        self.time.setText(when)


class GuidedReproPanel(QDockWidget):
    """The dock. ``start("sp3")`` / ``start("sp4")``; ``story`` is the live ``ReproStory`` (None when idle)."""

    finished = Signal(bool)
    """Emitted once when a story completes; True for the bug story (before SP4)."""

    def __init__(
        self, bridge: EngineBridge, session: SiteSession | None = None, parent: QMainWindow | None = None
    ) -> None:
        super().__init__(f"Reproduce {KB}", parent)
        self.setObjectName("guidedReproDock")
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self._bridge = bridge
        self._session = session
        self._replacing = False
        self.variant = ""
        self.scenario: Scenario | None = None
        self.story: ReproStory | None = None
        self.stretches: list[PaceStretch] = []
        self._stretch_speed: float | None = None
        self._rows: dict[str, _StepRow] = {}
        self.tick_order: list[str] = []
        """Every step key in the order it ticked during this story (tests check the order)."""

        body = QWidget(self)
        body.setObjectName("guidedReproBody")
        self.intro = QLabel(body)
        self.intro.setObjectName("guidedIntro")
        self.intro.setWordWrap(True)
        self.intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.steps_frame = QFrame(body)  # replaced by _build_rows for each story
        self.live = QLabel(body)
        self.live.setObjectName("guidedLive")
        self.live.setWordWrap(True)
        self.problem = QLabel(body)
        self.problem.setObjectName("guidedProblem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.summary = QLabel(body)
        self.summary.setObjectName("guidedSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.hide()
        self.contrast_button = QPushButton(body)
        self.contrast_button.setObjectName("guidedContrastButton")
        self.contrast_button.hide()
        self.contrast_button.clicked.connect(self._on_contrast)
        self.close_button = QPushButton("&Close", body)
        self.close_button.setObjectName("guidedCloseButton")
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.contrast_button)
        buttons.addWidget(self.close_button)

        column = QVBoxLayout(body)
        self._column = column
        column.addWidget(self.intro)
        column.addWidget(self.steps_frame)
        column.addWidget(self.live)
        column.addWidget(self.problem)
        column.addWidget(self.summary)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        self.scroll = scroll
        # The buttons stay below the scrolling story, always in view: at the default window height the finished
        # story is taller than the panel, and "Run the same on SP4" is its point.
        outer = QWidget(self)
        self.contrast_button.setParent(outer)
        self.close_button.setParent(outer)
        buttons.setContentsMargins(9, 0, 9, 9)
        frame = QVBoxLayout(outer)
        frame.setContentsMargins(0, 0, 0, 0)
        frame.addWidget(scroll, 1)
        frame.addLayout(buttons)
        self.setWidget(outer)
        self.setMinimumWidth(420)

        bridge.frame.connect(self._on_frame)
        bridge.engineReplaced.connect(self._on_engine_replaced)

    # -- public ---------------------------------------------------------------------------------

    def start(self, variant: str = "sp3") -> bool:
        """Load the shipped scenario for ``variant`` ("sp3" or "sp4") and play its story; False on a bad file."""
        path = scenario_path(variant)
        try:
            scenario = load_scenario(path)
            story = ReproStory(scenario)
            stretches = pacing(scenario)
        except (ScenarioError, ValueError) as exc:
            self._show_problem(f"The guided case cannot start: {exc}")
            return False
        self.variant = variant
        self.scenario = scenario
        self.stretches = stretches
        self._replacing = True
        try:
            self._bridge.load_scenario(scenario)
        finally:
            self._replacing = False
        self._begin(story)
        return True

    @property
    def wall_seconds(self) -> float:
        """Wall time the story takes at the computed pace (under a minute by construction)."""
        return wall_seconds(self.stretches)

    def row_state(self, key: str) -> str:
        return self._rows[key].state

    def live_note(self) -> str:
        """The changing line under the current step ("" when there is none)."""
        current = self.story.current if self.story is not None else None
        return self._rows[current.key].live.text() if current is not None else ""

    # -- story ----------------------------------------------------------------------------------

    def _begin(self, story: ReproStory) -> None:
        self.story = story
        self.tick_order = []
        self._stretch_speed = None
        self.problem.hide()
        self.summary.hide()
        self.contrast_button.hide()
        self._build_rows(story)
        self.intro.setText(self._intro_text(story))
        self._update_rows()
        self._pace()
        self._update_live()

    def _build_rows(self, story: ReproStory) -> None:
        """A fresh frame per story: the old one is hidden at once (deleteLater only runs in the event loop)."""
        old = self.steps_frame
        frame = QFrame(old.parentWidget())
        frame.setObjectName("guidedSteps")
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(frame)
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(8)
        self._rows = {}
        for i, step in enumerate(story.steps):
            self._rows[step.key] = _StepRow(grid, i, f"{i + 1}. {step.title}", step.detail, frame)
        self._column.replaceWidget(old, frame)
        frame.setVisible(not old.isHidden())  # a layout shows a new child only on the next event-loop pass
        old.hide()
        old.deleteLater()
        self.steps_frame = frame

    def _intro_text(self, story: ReproStory) -> str:
        sc = story.scenario
        site = sc.sender_site
        send = sc.sends[0]
        outage = next((f for f in sc.faults if f.kind == "network" and f.dest == story.dest), None)
        hit = (
            f" A {format_duration(outage.duration_s)} network outage on the link to {story.dest} starts at "
            f"{clock_time(sc.start, outage.at_s)}."
            if outage
            else ""
        )
        size = f"{send.size_bytes / 1048576:,.0f} MB"
        pace = (
            f"Played at {self.stretches[0].speed:g}\u00d7 and faster, so the whole story takes about "
            f"{self.wall_seconds:.0f} seconds; watch the Timers, Outbox and Sender.log tabs as the steps tick."
        )
        pace += (
            " The scenario has sites of its own, separate from your site database." if self._session is not None else ""
        )
        if story.bug:
            longer = story.delay_min - story.timeout_min
            return (
                f"<b>{KB} on an SMS {site.version.label} site, step by step.</b><br>"
                f"{site.title} waits {story.delay_min} minutes before retrying: "
                f"{longer} minute{'s' if longer != 1 else ''} longer than the {story.timeout_min}-minute sender "
                f"heartbeat time-out. It sends {send.package} ({size}) to {story.dest}.{hit}<br>{pace}"
            )
        return (
            f"<b>The same case on SMS {site.version.label}, where {KB} is fixed.</b><br>{site.title} still "
            f"waits {story.delay_min} minutes before retrying and sends {send.package} ({size}) to "
            f"{story.dest}.{hit}<br>{pace}"
        )

    @Slot(object)
    def _on_frame(self, events: list) -> None:
        story = self.story
        if story is None or (story.finished and not events):
            return
        was_finished = story.finished
        ticked = story.feed(events, self._bridge.engine)
        self.tick_order.extend(ticked)
        if ticked:
            self._update_rows()
            self._pace()
        if story.unexpected:
            self._show_problem(" ".join(story.unexpected))
        if story.finished and not was_finished:
            self._finish()  # pauses the engine first, so the clock line below says "paused"
        self._update_live()

    def _pace(self) -> None:
        story = self.story
        if story is None or story.finished or not self.stretches:
            return
        speed = speed_for(self.stretches, story.done)
        if speed != self._stretch_speed:
            self._stretch_speed = speed
            self._bridge.set_speed(speed, by="story")

    def _update_rows(self) -> None:
        story = self.story
        if story is None:
            return
        style = self.style()
        size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        done_icon = style.standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton, None, self).pixmap(size, size)
        now_icon = style.standardIcon(QStyle.StandardPixmap.SP_ArrowRight, None, self).pixmap(size, size)
        current = story.current
        start = story.scenario.start
        last_done = self.tick_order[-1] if self.tick_order else None
        for step in story.steps:
            row = self._rows[step.key]
            if step.key in story.done:
                row.set_state(
                    "done",
                    done_icon,
                    clock_time(start, story.done[step.key]),
                    explain=step.key == last_done or (current is None and step.key == story.keys[-1]),
                )
            elif current is not None and step.key == current.key:
                row.set_state("current", now_icon, "", explain=True)
            else:
                row.set_state("pending", QPixmap(), "", explain=False)
        if current is not None:
            self.scroll.ensureWidgetVisible(self._rows[current.key].title)

    def _update_live(self) -> None:
        story = self.story
        if story is None:
            return
        engine = self._bridge.engine
        speed = self._bridge.speed
        pace = "paused" if speed == 0 else f"{speed:g}\u00d7"
        self.live.setText(f"Simulated clock {clock_time(engine.start, engine.now)} ({pace})")
        current = story.current
        if current is not None:
            row = self._rows[current.key]
            note = story.live_note(engine)
            row.live.setText(note)
            row.live.setVisible(bool(note))

    def _finish(self) -> None:
        story = self.story
        assert story is not None
        self._bridge.set_speed(0.0, by="story")
        engine = self._bridge.engine
        delivered = story.state.delivered_at or engine.now
        if story.bug:
            n = story.state.error32_count
            text = (
                f"<b>Done.</b> The outage cost {format_duration(delivered - story.done['error'])} and {n} failed "
                f"attempt{'s' if n != 1 else ''} with error 32, and the package moved again only after the "
                f"destination server restarted. The engine is paused."
            )
            self.contrast_button.setText("Run the same on S&P4")
        else:
            text = (
                f"<b>Done.</b> The outage cost {format_duration(delivered - story.done['error'])}: the retry "
                f"delay and the rest of the transfer. No heartbeat expiry, no error 32. The engine is paused."
            )
            self.contrast_button.setText("Run the SP&3 case again")
        text += self._own_sites_text()
        self.summary.setText(text)
        self.summary.show()
        self.contrast_button.show()
        self.finished.emit(story.bug)

    def _own_sites_text(self) -> str:
        if self._session is None:
            return ""
        found = affected_sites(self._session.database)
        if not found:
            return f"<br><br>No site in your site database is exposed to {KB} with its current settings."
        items = "".join(f"<li>{s}</li>" for s in found)
        return (
            f"<br><br>In your site database, {KB} applies to:<ul>{items}</ul>Open a site's Standard Sender "
            f"properties to lower its delay before retrying."
        )

    def _show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the panel leaves the guided case: the story stops, the user's speed comes back."""
        self.leave()
        super().closeEvent(event)

    def leave(self) -> None:
        story, self.story = self.story, None
        bridge = self._bridge
        if story is not None and not story.finished and bridge.set_by == "story":
            bridge.set_speed(bridge.user_speed)

    # -- interference -----------------------------------------------------------------------------

    @Slot()
    def _on_engine_replaced(self) -> None:
        if self._replacing or self.story is None:
            return
        if self._bridge.source.scenario is self.scenario and self.scenario is not None:
            self._begin(ReproStory(self.scenario))  # a reset of our scenario: tell the story again
            return
        if self.story.finished:
            self.story = None  # the run had ended: its summary stays, there is nothing to stop
            self.live.setText(
                "That run has ended and the engine now runs something else; its summary stays here for reading."
            )
            return
        self.story = None
        self.live.setText("")
        self.summary.hide()
        self._show_problem(
            "The engine was replaced (another scenario or the site database), so the guided "
            "run stopped. Start it again from Engine \u25b8 Reproduce Q278357\u2026"
        )
        self.contrast_button.setText("&Start again")
        self.contrast_button.show()
        self.variant = self.variant or "sp3"

    @Slot()
    def _on_contrast(self) -> None:
        if self.story is None:
            self.start(self.variant or "sp3")
        else:
            self.start("sp4" if self.variant == "sp3" else "sp3")
