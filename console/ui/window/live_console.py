"""Puts the live sender engine into the console window: bridge, views, toolbar, status bar and wiring.

``attach_live_engine(window, session, paths, scenario=..., speed=...)`` is the one call ``console.app`` makes.
It builds the
``EngineBridge`` (Sender.log under ``paths.sender_log``), adds the engineTabs pages "Timers" (TimerView),
"Outbox" (OutboxView) and "Sender.log" (SenderLogView fed from frame batches), the speed toolbar and the
Engine actions, and connects (the app's interactive start builds the Outbox and Sender.log views after the
Timers tab has painted, in the tabs already there: ``defer_hidden_views``):

- File -> Open Scenario... to ``bridge.load_scenario`` (a bad file: a message box naming file, key and
  rule; the running engine is left alone) and File -> Open Log File... to the log viewer window;
- the status bar: ``Simulated 2001-03-14 09:12:30 · t+12m 30s`` and the speed;
- Apply in the properties sheet: while the engine runs from the site database, a "settings" change of the
  *Standard Sender* of the bridge's sending site reaches ``bridge.apply_sender_settings`` (new threads take
  it; running threads keep theirs); other sites' changes never touch the engine. While a scenario runs,
  database changes never reach it, even for a database site coded like the scenario's sending site (its
  sites are its own): the scenario's sender is changed through "Sender Properties…" on the context strip,
  which opens the real sheet over the scenario's sites in memory (``console.ui.live.scenario_sheet``; nothing is
  written to sites.json). In database mode the same button opens the sending site's ordinary sheet;
- site edits (database mode only, for the same reason): an edited version of a site the engine knows is
  applied at once (``set_site_version``: for the sending site it decides new threads' heartbeat), and the
  database engine remembers the edited database for its next reset; a new code for the sending site rebuilds
  the engine under that code; removing the sending site switches the engine to the central site;
- the engine context strip above the engine tabs (``console.ui.live.engine_context``): what runs, from where, and
  the Q278357 warning when the rule applies to it. It is refreshed when the engine is replaced, after every
  site change, and on each frame (a cheap comparison of a few values), so a change made by any other route
  (an Engine action, a future hook) shows up within a frame too. The sending site is marked in the tree and
  the senders list while the engine runs from the site database; with a scenario the strip says that its
  sites are not in the database and offers "Back to my site database".

BACK TO MY SITE DATABASE (decided here): the engine is rebuilt for the database site that ran before the
scenario was loaded (the central site if that one is gone), at the speed the user chose: a scenario the user
paused stays paused; one that paused itself at its end, or that the guided case paced at its own odd speeds
(22x, 39x), goes back to the last speed the user chose with a speed button (``bridge.user_speed``), so a speed
button is checked again.

REMEMBERED (window state, ``UiState``): the database site that ran last, the speed the user chose and the selected
engine tab are saved when the window closes and restored at the next start; a site no longer in the database,
a speed that is not a speed button or an unknown tab is ignored. ``--speed`` and ``--scenario`` win over them.

ENGINE FAILURE: when the engine raises, the bridge pauses it and writes a crash log (see engine_bridge); here the
status bar says the engine stopped on an error and a box (opened, never exec'd; one at a time) names the error and
the log. Everything else (sites, sheets, the views, Sender.log so far) goes on; Reset or another engine starts over.

DEFAULT SPEED (decided here): 60x. At 1x a newcomer who double-clicks sees a clock crawl and nothing else for
minutes; at 60x the demo traffic's first transfers finish within seconds and a 6-minute retry wait counts
down in 6 s, slow enough to read. ``--speed`` overrides it (0 starts paused).
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from console.engine.events import LogEvent
from console.engine.sources import EngineSource, central_site
from console.model.durations import format_duration
from console.model.paths import AppPaths
from console.model.scenario import Scenario, ScenarioError, load_scenario
from console.model.sender_types import SenderType
from console.model.sim_clock import clock_status
from console.model.site_session import SiteChange, SiteSession
from console.ui.common.crash_notice import ErrorBoxes
from console.ui.common.first_paint import after_next_paint
from console.ui.common.gc_pacing import PACER
from console.ui.live.engine_bridge import ConsoleNote, EngineBridge
from console.ui.live.engine_context import EngineContext, EngineContextStrip
from console.ui.live.speed_controls import SpeedControls, speed_label
from console.ui.timers.timer_view import TimerView
from console.ui.window.engine_actions import install_engine_actions
from console.ui.window.main_window import ConsoleMainWindow

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from console.ui.live.outbox_view import OutboxView
    from console.ui.live.scenario_sheet import ScenarioSenderSheet
    from console.ui.log.log_view import SenderLogView

DEFAULT_SPEED = 60.0
ENGINE_AREA_MIN_PX = 220
"""The context strip, the tab bar and a timer view with both plots (legend hidden when short)."""
HIDDEN_TABS = ("Outbox", "Sender.log")
"""The engine tabs behind the Timers tab at a start that shows it (their views may wait: ``defer_hidden_views``)."""
COMPACT_STRIP_BELOW_PX = 320
"""An engine area shorter than this (the smallest window) gets the compact context strip."""


class LiveConsole(QObject):
    """Everything ``attach_live_engine`` built, for the app and tests to reach."""

    def __init__(
        self,
        window: ConsoleMainWindow,
        session: SiteSession,
        paths: AppPaths,
        scenario: Scenario | None,
        speed: float | None,
        clock: Callable[[], float] = time.monotonic,
        defer_hidden_views: bool = False,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        if scenario is not None:
            source = EngineSource(scenario=scenario)
        else:
            saved = window.ui_state.sending_site
            site = saved if saved and saved in session.database else central_site(session.database)
            source = EngineSource(database=session.database, sending_site=site)
        self.bridge = EngineBridge(source, log_path=paths.sender_log, clock=clock, crash_dir=paths.log_dir, parent=self)
        self.failure_boxes = ErrorBoxes("engineFailedBox")
        self.timer_view = TimerView(self.bridge)
        window.add_engine_tab(self.timer_view, "Timers")
        tabs = window.engine_tabs
        saved_tab = window.ui_state.engine_tab
        self._outbox_view: OutboxView | None = None
        self._log_view: SenderLogView | None = None
        self._placeholders: dict[str, QWidget] = {}
        """Empty pages holding the Outbox and Sender.log tabs' places until their views are built."""
        if defer_hidden_views and saved_tab not in HIDDEN_TABS:
            for title in HIDDEN_TABS:
                self._placeholders[title] = QWidget()
                window.add_engine_tab(self._placeholders[title], title)
            tabs.currentChanged.connect(self._build_if_placeholder_shown)
        else:
            self._build_hidden_views()
        self._keep_engine_share()
        for i in range(tabs.count()):
            if tabs.tabText(i) == saved_tab:
                tabs.setCurrentIndex(i)
        self.context_strip = EngineContextStrip()
        window.set_engine_header(self.context_strip)
        self.controls = SpeedControls(self.bridge, window)
        window.add_speed_toolbar(self.controls)
        self._install_actions()
        window.restore_bars()
        self._database_site = "" if scenario is not None else self.bridge.sending_site
        """The database site that ran last: where "Back to my site database" returns to."""
        self._scenario_sheet: ScenarioSenderSheet | None = None
        """The open sheet of the scenario's sender, if any (one at a time, like the window's sheets)."""

        self.bridge.frame.connect(self._feed_log)
        self.bridge.frame.connect(self._on_frame)
        self.bridge.engineReplaced.connect(self._on_engine_replaced)
        self.bridge.clockChanged.connect(self._show_clock)
        self.bridge.speedChanged.connect(self._show_speed)
        self.bridge.engineFailed.connect(self._on_engine_failed)
        # Collections paced to the frames (console.ui.common.gc_pacing); a full one where a pause does not show.
        self.bridge.frame.connect(PACER.pace)
        self.bridge.engineReplaced.connect(PACER.reclaim)
        self.bridge.speedChanged.connect(lambda factor: factor == 0.0 and PACER.reclaim())
        self.controls.siteChosen.connect(self.choose_sending_site)
        self.context_strip.backToDatabase.connect(self.back_to_database)
        self.context_strip.senderPropertiesRequested.connect(self.open_engine_sheet)
        window.scenarioFileChosen.connect(self.open_scenario)
        window.logFileChosen.connect(self.open_log_file)
        self._unsubscribe = session.subscribe(self._on_site_change)
        window.installEventFilter(self)

        self._refresh_sites()
        self._refresh_context()
        self._show_clock(self.bridge.engine.now)
        self.bridge.set_speed(self._starting_speed(speed))
        self._show_speed(self.bridge.speed)
        if self._placeholders:  # last: the watch sees every event until that paint, so it starts as late as it can
            after_next_paint(window, self._build_hidden_views)

    @property
    def outbox_view(self) -> OutboxView:
        """The Outbox tab's view (built now if it was waiting: see ``_build_hidden_views``)."""
        if self._outbox_view is None:
            self._build_hidden_views()
        assert self._outbox_view is not None
        return self._outbox_view

    @property
    def log_view(self) -> SenderLogView:
        """The Sender.log tab's view (built now if it was waiting: see ``_build_hidden_views``)."""
        if self._log_view is None:
            self._build_hidden_views()
        assert self._log_view is not None
        return self._log_view

    def _build_hidden_views(self) -> None:
        """The Outbox and Sender.log views, in their tabs' places; once.

        In the app's interactive start (``defer_hidden_views``) they wait for the paint after the Timers tab's
        (~15 ms of imports and widgets the first view on screen does not need), or for whatever asks first: a
        frame's log lines, the user choosing the tab. The tab bar is the same throughout.
        """
        if self._outbox_view is not None:
            return
        from console.ui.live.outbox_view import OutboxView
        from console.ui.log.log_view import SenderLogView

        self._outbox_view = OutboxView(self.bridge)
        self._log_view = SenderLogView()
        tabs = self.window.engine_tabs
        for title, view in (("Outbox", self._outbox_view), ("Sender.log", self._log_view)):
            placeholder = self._placeholders.pop(title, None)
            index = tabs.indexOf(placeholder) if placeholder is not None else -1
            if index < 0:
                self.window.add_engine_tab(view, title)
                continue
            shown = tabs.currentIndex() == index  # (only when the user chose the tab before it was built)
            tabs.removeTab(index)
            tabs.insertTab(index, view, title)
            if shown:
                tabs.setCurrentIndex(index)
            placeholder.deleteLater()  # type: ignore[union-attr]

    def _build_if_placeholder_shown(self, index: int) -> None:
        if self._placeholders and self.window.engine_tabs.widget(index) in self._placeholders.values():
            self._build_hidden_views()

    def _keep_engine_share(self) -> None:
        """At the smallest window (1008 x 421) the engine views must keep room for the timer plots: the senders
        list may shrink to two rows (it has a handful of senders and scrolls), the engine area keeps a floor."""
        window = self.window
        window.senders.setMinimumHeight(window.senders.compact_height(2))
        window.engine_area.setMinimumHeight(ENGINE_AREA_MIN_PX)
        window.engine_area.installEventFilter(self)  # a short engine area makes the context strip compact

    def _starting_speed(self, speed: float | None) -> float:
        if speed is not None:
            return speed
        saved = self.window.ui_state.speed
        return saved if saved is not None and saved in EngineBridge.SPEEDS else DEFAULT_SPEED

    def remember_state(self) -> None:
        """Put the sending site, the user's speed and the engine tab into the window state (saved on close)."""
        self.engine_actions.give_room_back()  # the layout saved is the user's, not the guided case's
        bridge = self.bridge
        window = self.window
        tabs = window.engine_tabs
        window.ui_state = window.ui_state.replace(
            sending_site=self._database_site or window.ui_state.sending_site,
            speed=bridge.speed if bridge.set_by == "user" else bridge.user_speed,
            engine_tab=tabs.tabText(tabs.currentIndex()) if tabs.count() else None,
        )

    def open_log_file(self, path: Path) -> QWidget:
        from console.ui.log.viewer_window import open_in_viewer  # on first use: start-up never needs it

        return open_in_viewer(self.window, path)

    def _install_actions(self) -> None:
        self.engine_actions = install_engine_actions(self.window, self.bridge, self.session)

    # -- wiring ---------------------------------------------------------------------------------

    def _feed_log(self, events: list) -> None:
        """Rows straight from the events' fields, each in its own zone name (a run may cross a DST change).

        Sender.log on disk is the engine's own writer's business (the bridge's log sink); nothing here formats
        a line, so a hidden log tab costs only the filtering below. The console's notes (a run starts, a fault
        was injected) go in between, in order, as rows of their own that never reach the file.
        """
        start = self.bridge.engine.start
        log_events: list[LogEvent] = []
        for e in events:
            cls = type(e)
            if cls is LogEvent:
                log_events.append(e)
            elif cls is ConsoleNote:
                if log_events:
                    self.log_view.append_events(log_events, start)
                    log_events = []
                when = (e.start or start) + _dt.timedelta(seconds=e.time)
                from console.ui.log.log_model import console_row  # loaded with the log view (after the Timers tab)

                self.log_view.append_console_rows([console_row(e.text, when, run=e.kind == "run")])
        if log_events:
            self.log_view.append_events(log_events, start)

    def _show_clock(self, t: float) -> None:
        self.window.set_clock_text(clock_status(self.bridge.engine.start, t))

    def _show_speed(self, factor: float) -> None:
        source = self.bridge.scenario_name or f"site {self.bridge.sending_site}"
        label = "Stopped by an engine error" if factor == 0.0 and self.bridge.set_by == "error" else speed_label(factor)
        if factor == 0.0 and self.bridge.set_by == "end":  # not the user's pause: nothing more will happen
            label = "Scenario ended"
            end = format_duration(self.bridge.engine.now)
            self.window.statusBar().showMessage(
                f"Scenario \u201c{source}\u201d ended after its full {end} of simulated time; Reset runs it again."
            )
        self.window.set_speed_text(f"{label} \u00b7 {source}")

    def _on_engine_failed(self, message: str) -> None:
        """The engine raised and is paused (see the module docstring): say so in the status bar and a box."""
        log = self.bridge.failure_log
        saved = f"The details are in {log}." if log else "No crash log could be written."
        self.window.statusBar().showMessage(f"The engine stopped on an error and was paused: {message}")
        self._show_speed(self.bridge.speed)
        self.failure_boxes.show(
            self.window,
            "Engine stopped",
            f"The sender engine stopped on an error and was paused: {message}",
            "Your sites, settings and the Sender.log lines so far are kept. Press a speed button to try again, or "
            f"Engine \u2192 Reset to start over. {saved}",
        )

    def _on_frame(self, _events: list) -> None:
        link = self.scenario_sheet
        if link is not None:
            link.sync()
        self._refresh_context()

    def _on_engine_replaced(self) -> None:
        self._close_scenario_sheet()
        if self.bridge.source.scenario is None:
            self._database_site = self.bridge.sending_site
        self._refresh_sites()
        self._refresh_context()
        self._show_speed(self.bridge.speed)

    def _refresh_sites(self) -> None:
        self.controls.set_sites(self.session.database, self.bridge.sending_site, self.bridge.scenario_name)

    def _refresh_context(self) -> None:
        """Show what runs now in the strip; mark the sending site in the tree only when it is a database site."""
        context = EngineContext.of(self.bridge)
        if not self.context_strip.show_context(context):
            return
        self.window.set_engine_sending_site(None if context.from_scenario else context.site_code)
        has_sites = bool(self.session.database.codes)
        self.context_strip.set_back_enabled(
            has_sites, "" if has_sites else "Your site database has no sites; add one with Action \u2192 New Site."
        )

    @property
    def scenario_sheet(self) -> ScenarioSenderSheet | None:
        """The open sheet of the scenario's sender, or None."""
        link = self._scenario_sheet
        if link is not None and not shiboken6.isValid(link.sheet):
            self._scenario_sheet = link = None
        return link

    def open_engine_sheet(self) -> QDialog | None:
        """ "Sender Properties…" on the strip: the sheet of the Standard Sender that runs (see the module docstring)."""
        if self.bridge.source.scenario is None:
            return self.window.open_properties(self.bridge.sending_site, SenderType.STANDARD)
        link = self.scenario_sheet
        if link is None or not link.is_current():
            from console.ui.live.scenario_sheet import ScenarioSenderSheet  # with the properties sheet: on demand

            self._close_scenario_sheet()
            link = ScenarioSenderSheet(self.bridge, self.window)
            link.applied.connect(self._refresh_context)
            link.sheet.finished.connect(lambda _result, done=link: self._forget_scenario_sheet(done))
            self._scenario_sheet = link
        link.sheet.show()
        link.sheet.raise_()
        link.sheet.activateWindow()
        return link.sheet

    def _forget_scenario_sheet(self, link: ScenarioSenderSheet) -> None:
        if self._scenario_sheet is link:
            self._scenario_sheet = None
        link.deleteLater()

    def _close_scenario_sheet(self) -> None:
        """Its engine is gone: the sheet would describe (and Apply to) nothing that runs."""
        link = self.scenario_sheet
        self._scenario_sheet = None
        if link is not None:
            link.sheet.reject()

    def back_to_database(self) -> bool:
        """Run a database site's Standard Sender again instead of the scenario (see the module docstring)."""
        bridge = self.bridge
        db = self.session.database
        if not db.codes:
            return False
        code = self._database_site if self._database_site in db else central_site(db)
        # The user's own choice stays; a pause or pace the scenario or the guided story made for itself does not.
        speed = bridge.speed if bridge.set_by == "user" else bridge.user_speed
        bridge.use_site_database(db, code)
        bridge.set_speed(speed)
        return True

    def open_scenario(self, path: Path) -> bool:
        """File -> Open Scenario...: load it, or explain in a message box why not (engine unchanged)."""
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            QMessageBox.warning(self.window, "Open Scenario", str(exc))
            return False
        self.bridge.load_scenario(scenario)
        return True

    def choose_sending_site(self, code: str) -> None:
        self.bridge.use_site_database(self.session.database, code)

    def _on_site_change(self, change: SiteChange) -> None:
        self._follow_site_change(change)
        self._refresh_context()

    def _follow_site_change(self, change: SiteChange) -> None:
        bridge = self.bridge
        db = self.session.database
        if bridge.source.scenario is not None:
            self._refresh_sites()  # the site chooser lists the database; the scenario's sites are its own
            return
        if (
            change.kind == "settings"
            and change.code == bridge.sending_site
            and change.sender_type is SenderType.STANDARD
            and change.settings is not None
        ):
            bridge.apply_sender_settings(change.settings)
        elif (
            change.kind == "settings"
            and change.sender_type is SenderType.STANDARD
            and change.settings is not None
            and _engine_has_dest(bridge.engine, change.code)
        ):
            bridge.engine.apply_settings(change.settings, site=change.code)  # that site's sender, when it forwards
        if change.kind.startswith("address-"):
            bridge.engine.apply_addresses(db.addresses)  # new threads only (KB Q317893)
        if change.kind == "site-edited" and change.code in db:
            version = db.get(change.code).version
            engine = bridge.engine
            if change.code == engine.sending_site.code or _engine_has_dest(engine, change.code):
                engine.set_site_version(change.code, version)
        if bridge.sending_site not in db:
            if change.kind == "site-edited" and change.old_code == bridge.sending_site and change.code in db:
                bridge.use_site_database(db, change.code)
            elif db.codes:
                bridge.use_site_database(db, central_site(db))
            return
        bridge.update_site_database(db)
        self._refresh_sites()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Close:
            self.remember_state()  # before the window's own closeEvent saves its state
            self.close()
        elif watched is self.window.engine_area and event.type() == QEvent.Type.Resize:
            self.context_strip.set_compact(self.window.engine_area.height() < COMPACT_STRIP_BELOW_PX)
        return False

    def close(self) -> None:
        """Stop the clock and close Sender.log; safe to call twice."""
        self._close_scenario_sheet()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        self.bridge.close()


def _engine_has_dest(engine: object, code: str) -> bool:
    try:
        engine.link_down_until(code)  # type: ignore[attr-defined]
    except KeyError:
        return False
    return True


def attach_live_engine(
    window: ConsoleMainWindow,
    session: SiteSession,
    paths: AppPaths,
    *,
    scenario: Scenario | None = None,
    speed: float | None = None,
    clock: Callable[[], float] = time.monotonic,
    defer_hidden_views: bool = False,
) -> LiveConsole:
    """Build and wire the live engine into ``window``, on ``scenario`` or the site database; see the module
    docstring. ``speed`` None is the remembered speed, else the default pace. ``defer_hidden_views``: the
    Outbox and Sender.log views are built after the next paint (``LiveConsole._build_hidden_views``)."""
    return LiveConsole(window, session, paths, scenario, speed, clock, defer_hidden_views)
