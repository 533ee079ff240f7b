"""The Engine menu and toolbar: queue a package, inject a network outage, restart a server, reset, and the
guided "Reproduce Q278357" case. ``install_engine_actions(window, bridge, session)`` wires them into the
console window (the live console calls it once) and returns ``EngineActions``, which holds the QActions.

Dialogs are opened with ``open()`` (window-modal, non-blocking) and kept in ``EngineActions.dialog`` until
they close, so tests fill them in without a nested event loop. While one is open the simulated clock is paused
(at 60x a few seconds of reading are minutes; "now" in the dialog must stay the instant the user saw) and the
dialog says so; when it closes the clock runs on at the speed it had, unless the user chose another speed
meanwhile. A fault may start later (the dialog's Start row): the bridge applies it at that simulated time.
Every fault leaves a trace: the status bar says what it hit (even nothing), the log view shows the console's note
and the timer view a mark (both from the bridge's ``ConsoleNote``).
Destinations offered are the sites the running engine sends to, read from the bridge's source (the
scenario's sites, or the site database), never the sending site.

If the engine is replaced while a dialog is open (a scenario loaded, a reset), the dialog is closed: its
list of destinations may no longer be true, and a request queued into the old engine would vanish.

Room for the guided panel (a dock on the right): while it is shown, the site tree gives way (the guided case runs
a scenario whose sites are not in the database the tree shows; the context strip says so) and the senders list
shrinks to its minimum, so the timer plots and the log's text column keep a readable size beside the panel at
the default window size. Closing the panel gives the tree and the split back as they were.

The dialogs and the guided panel (with its story and scenario code) are imported when first opened: the live
console builds these actions while the window starts, and those modules cost ~20 ms that no one needs until
an action is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox, QStyle, QToolBar

from console.model.durations import format_duration
from console.model.sim_clock import clock_time
from console.model.site_session import SiteSession
from console.model.sites import Site
from console.ui.live.engine_bridge import ConsoleNote, EngineBridge
from console.ui.live.speed_controls import speed_label

if TYPE_CHECKING:
    from console.ui.guided.guided_repro import GuidedReproPanel
    from console.ui.live.engine_dialogs import InjectOutageDialog, QueuePackageDialog, RestartServerDialog

STATUS_MS = 6000


def engine_destinations(bridge: EngineBridge) -> list[Site]:
    """The sites the bridge's engine sends to, in the source's order (scenario file or site database)."""
    source = bridge.source
    sending = bridge.sending_site
    if source.scenario is not None:
        return [spec.site for spec in source.scenario.sites if spec.site.code != sending]
    if source.database is not None:
        return [site for site in source.database if site.code != sending]
    return []


class EngineActions(QObject):
    """The actions and what they do. Attributes: ``menu``, ``toolbar``, ``action_*``, ``dialog``, ``guided``."""

    def __init__(self, window: QMainWindow, bridge: EngineBridge, session: SiteSession | None) -> None:
        super().__init__(window)
        self.window = window
        self.bridge = bridge
        self.session = session
        self.dialog: QDialog | None = None
        self.guided: GuidedReproPanel | None = None
        self.last_message = ""
        self._resume_speed: float | None = None
        """The speed to go back to when the open dialog closes (None: the clock was not running)."""
        self._resume_by = "user"
        self._room_taken: tuple[list[int], list[int]] | None = None
        """The splitters' sizes before the guided panel took room (None while it has not)."""
        style = window.style()
        sp = QStyle.StandardPixmap

        def make(
            text: str, slot: object, icon: QStyle.StandardPixmap, tip: str, shortcut: str | None = None
        ) -> QAction:
            action = QAction(style.standardIcon(icon), text, window)
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            return action

        self.action_queue_package = make(
            "Queue &Package\u2026",
            self.queue_package,
            sp.SP_FileIcon,
            "Put a new send request for a package in the sender's outbox",
            "Ctrl+Shift+P",
        )
        self.action_inject_outage = make(
            "Inject Network &Outage\u2026",
            self.inject_outage,
            sp.SP_MessageBoxWarning,
            "Take the network link to a destination site down for a while",
        )
        self.action_restart_server = make(
            "Restart &Server\u2026",
            self.restart_server,
            sp.SP_ComputerIcon,
            "Restart a destination site's server, closing the files open on its share",
        )
        self.action_reset = make(
            "R&eset",
            self.reset,
            sp.SP_MediaSkipBackward,
            "Start the engine again from t = 0 with the same scenario or site database",
        )
        self.action_reproduce = make(
            "&Reproduce Q278357\u2026",
            self.reproduce,
            sp.SP_MediaPlay,
            "Play the KB Q278357 case on an SP3 site, step by step, then the same on SP4",
        )
        self.actions = (
            self.action_queue_package,
            self.action_inject_outage,
            self.action_restart_server,
            self.action_reset,
            self.action_reproduce,
        )

        self.menu = QMenu("&Engine", window)
        self.menu.setObjectName("engineMenu")
        for action in self.actions[:3]:
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.action_reset)
        self.menu.addSeparator()
        self.menu.addAction(self.action_reproduce)
        bar = window.menuBar()
        help_menu: QMenu | None = getattr(window, "menu_help", None)
        if help_menu is not None:
            bar.insertMenu(help_menu.menuAction(), self.menu)
        else:
            bar.addMenu(self.menu)

        # A row of its own: beside the main and speed toolbars it overflowed into a "»" menu at 1400 px and
        # hid Reproduce Q278357, the one action a newcomer is looking for. The console window lays the row out
        # before its first paint (``engine_toolbar``); another window gets one here.
        shell_row: QToolBar | None = getattr(window, "engine_toolbar", None)
        self.toolbar = shell_row if shell_row is not None else QToolBar("Engine", window)
        self.toolbar.setObjectName("engineToolBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in self.actions:
            self.toolbar.addAction(action)
        if shell_row is None:
            window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
            window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.action_toggle_toolbar = self.toolbar.toggleViewAction()
        self.action_toggle_toolbar.setText("&Engine Toolbar")
        self.action_toggle_toolbar.setStatusTip("Show or hide the engine toolbar")
        view_menu: QMenu | None = getattr(window, "menu_view", None)
        if view_menu is not None:
            view_menu.addAction(self.action_toggle_toolbar)

        bridge.engineReplaced.connect(self._on_engine_replaced)
        bridge.frame.connect(self._on_frame)
        self._update_enabled()

    # -- actions --------------------------------------------------------------------------------

    @Slot()
    def queue_package(self) -> QueuePackageDialog:
        from console.ui.live.engine_dialogs import QueuePackageDialog

        used = [r.package for r in self.bridge.engine.requests()]
        dialog = QueuePackageDialog(engine_destinations(self.bridge), self.bridge.sending_site, used, self.window)
        dialog.accepted.connect(lambda: self._queue(dialog))
        return self._open(dialog)

    def _queue(self, dialog: QueuePackageDialog) -> None:
        v = dialog.values()
        try:
            rid = self.bridge.queue_package(v.package, v.dest, v.size_kb, v.priority)
        except (KeyError, ValueError) as exc:
            self._refused("The package was not queued", exc)
            return
        self._say(f"Queued {v.package} for {v.dest} as send request {rid}.")

    @Slot()
    def inject_outage(self) -> InjectOutageDialog:
        from console.ui.live.engine_dialogs import InjectOutageDialog

        dialog = InjectOutageDialog(engine_destinations(self.bridge), self.window, now=self.bridge.engine.clock)
        dialog.accepted.connect(lambda: self._outage(dialog))
        return self._open(dialog)

    def _outage(self, dialog: InjectOutageDialog) -> None:
        dest, seconds = dialog.values()
        at_s = self._start_at(dialog.start_in_s())
        try:
            note = self.bridge.inject_outage(dest, seconds, at_s=at_s)
        except (KeyError, ValueError) as exc:
            self._refused("No outage was injected", exc)
            return
        if note is None:
            self._say(
                f"Network outage planned: the link to {dest} goes down at {self._clock(at_s)} for "
                f"{format_duration(seconds)} of simulated time."
            )
        else:
            self._say(note.text)
            self.bridge.flush()  # the note reaches the log and timer views at once, even while paused

    @Slot()
    def restart_server(self) -> RestartServerDialog:
        from console.ui.live.engine_dialogs import RestartServerDialog

        dialog = RestartServerDialog(engine_destinations(self.bridge), self.window, now=self.bridge.engine.clock)
        dialog.accepted.connect(lambda: self._restart(dialog))
        return self._open(dialog)

    def _restart(self, dialog: RestartServerDialog) -> None:
        dest = dialog.values()
        at_s = self._start_at(dialog.start_in_s())
        try:
            note = self.bridge.restart_server(dest, at_s=at_s)
        except KeyError as exc:
            self._refused("The server was not restarted", exc)
            return
        if note is None:
            self._say(f"Server restart planned: {dialog.server_of(dest)} ({dest}) restarts at {self._clock(at_s)}.")
        else:
            self._say(note.text)
            self.bridge.flush()

    def _start_at(self, delay_s: float) -> float | None:
        return self.bridge.engine.now + delay_s if delay_s > 0 else None

    def _clock(self, at_s: float | None) -> str:
        return clock_time(self.bridge.engine.start, at_s or self.bridge.engine.now)

    @Slot(object)
    def _on_frame(self, events: list) -> None:
        """A planned fault happened: say what it hit in the status bar (the log and timer views show it too)."""
        for e in events:
            if type(e) is ConsoleNote and e.kind == "fault" and e.planned:
                self._say(f"{self._clock(e.time)}: {e.text}")

    @Slot()
    def reset(self) -> None:
        self.bridge.reset()
        what = self.bridge.scenario_name or f"the site database ({self.bridge.sending_site} sending)"
        self._say(f"Engine reset to t = 0: {what}.")

    @Slot()
    def reproduce(self) -> GuidedReproPanel:
        """Open (or raise) the guided panel and start the SP3 story from the beginning."""
        if self.guided is None:
            from console.ui.guided.guided_repro import GuidedReproPanel

            self.guided = GuidedReproPanel(self.bridge, self.session, self.window)
            self.window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guided)
            self.guided.visibilityChanged.connect(self._on_guided_visible)
        self.guided.show()
        self._take_room()
        self.guided.raise_()
        if self.guided.start("sp3"):
            self._say("Reproducing Q278357 on an SP3 site: follow the steps in the panel on the right.")
        return self.guided

    # -- room for the guided panel ---------------------------------------------------------------

    @Slot(bool)
    def _on_guided_visible(self, visible: bool) -> None:
        if visible:
            self._take_room()
        elif self.guided is not None and self.guided.isHidden():
            self.give_room_back()

    def _take_room(self) -> None:
        window = self.window
        tree = getattr(window, "tree", None)
        if self._room_taken is not None or tree is None:
            return
        self._room_taken = (window.main_splitter.sizes(), window.right_splitter.sizes())
        tree.hide()
        right = window.right_splitter
        total = sum(right.sizes())
        senders = window.senders.minimumHeight()
        right.setSizes([senders, max(0, total - senders)])

    def give_room_back(self) -> None:
        """The tree and the splitters as they were before the guided panel opened (no-op if it took none)."""
        taken, self._room_taken = self._room_taken, None
        if taken is None:
            return
        window = self.window
        window.tree.show()
        window.right_splitter.setSizes(taken[1])
        tree_width = taken[0][0]

        def keep_tree_width() -> None:
            # The dock gives its room back to the window only after this call: sizes set now are scaled to the
            # narrower splitter and the tree would come back narrower. Set the tree's own width again once the
            # layout has settled; the rest goes to the right pane.
            sizes = window.main_splitter.sizes()
            window.main_splitter.setSizes([tree_width, max(0, sum(sizes) - tree_width)])

        keep_tree_width()
        QTimer.singleShot(0, window, keep_tree_width)

    # -- internals ------------------------------------------------------------------------------

    def _open(self, dialog: QDialog) -> QDialog:
        if self.dialog is not None:
            self.dialog.reject()
        self.dialog = dialog
        bridge = self.bridge
        if bridge.speed > 0:
            self._resume_speed = bridge.speed
            resume_by = bridge.set_by
            bridge.set_speed(0.0, by="dialog")
            self._resume_by = resume_by
            note = (
                f"The simulated clock is paused while this dialog is open (it stands at "
                f"{self._clock(None)}); it runs on at {speed_label(self._resume_speed)} when you close it."
            )
        else:
            self._resume_speed = None
            note = f"The simulated clock is paused at {self._clock(None)}."
        set_note = getattr(dialog, "set_clock_note", None)
        if set_note is not None:
            set_note(note)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
            self._resume()

    def _resume(self) -> None:
        """Back to the speed from before the dialog, unless someone chose another speed meanwhile."""
        speed, self._resume_speed = self._resume_speed, None
        bridge = self.bridge
        if speed is not None and bridge.speed == 0.0 and bridge.set_by == "dialog":
            bridge.set_speed(speed, by=self._resume_by)

    def _say(self, text: str) -> None:
        self.last_message = text
        self.window.statusBar().showMessage(text, STATUS_MS)

    def _refused(self, what: str, exc: Exception) -> None:
        detail = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
        self._say(f"{what}: {detail}")
        box = QMessageBox(QMessageBox.Icon.Warning, "Engine", f"{what}.", QMessageBox.StandardButton.Ok, self.window)
        box.setInformativeText(str(detail))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    @Slot()
    def _on_engine_replaced(self) -> None:
        if self.dialog is not None:
            self.dialog.reject()
        self._update_enabled()

    def _update_enabled(self) -> None:
        has_dests = bool(engine_destinations(self.bridge))
        for action in (self.action_queue_package, self.action_inject_outage, self.action_restart_server):
            action.setEnabled(has_dests)


def install_engine_actions(window: QMainWindow, bridge: EngineBridge, session: SiteSession | None) -> EngineActions:
    """Add the Engine menu (before Help), an Engine toolbar and its View-menu toggle; return the actions."""
    return EngineActions(window, bridge, session)
