"""The console window, laid out like the SMS 2.0 Administrator console (an MMC snap-in).

    +-------------------+-----------------------------------------------+
    | Site Database     | Senders at LAB - Training Lab (details list)  |
    |  Site Hierarchy   |-----------------------------------------------|
    |   CEN - Central   | engine header (what the live engine runs)     |
    |    Site Settings  | engineTabs (Timers, Outbox, Sender.log; added |
    |                   |  by the engine bridge through add_engine_tab) |
    +-------------------+-----------------------------------------------+
    | status bar                               [sim clock] [speed]      |

What other code relies on (the live-engine work builds on this window):
- ``menu_file``, ``menu_action``, ``menu_view``, ``menu_help`` and ``toolbar`` to append actions to;
  the ``action_*`` attributes; ``add_engine_tab(widget, title)``; ``set_engine_header(widget)`` (a strip above
  the tabs); ``set_engine_sending_site(code | None)`` (marks the sending site in the tree and the list);
  ``set_clock_text`` / ``set_speed_text``; ``engine_toolbar`` and ``add_speed_toolbar``; the signals
  ``scenarioFileChosen(Path)``, ``logFileChosen(Path)`` (File menu) and ``sheetOpened(QDialog)``.
- Every site change goes through the ``SiteSession``; the window listens to it and rebuilds the tree
  and list, so a change made in a sheet, a site dialog or anywhere else shows up the same way.

Property sheets are modeless, as in MMC: one per (site, sender); asking again raises the open one. Site editing
lives in ``site_commands``, the saved and restored layout in ``window_layout``.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSplitter,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console import APP_NAME
from console.model.paths import AppPaths
from console.model.resource_paths import resource_path
from console.model.sender_types import SenderType
from console.model.site_session import SiteChange, SiteSession
from console.model.sites import Site, SiteDatabase
from console.model.ui_state import UiState, UiStateStore
from console.ui.common.about import AboutDialog
from console.ui.common.icons import app_icon
from console.ui.window.address_commands import AddressCommandsMixin
from console.ui.window.disk_changes import reread_site_database
from console.ui.window.engine_tabs import ENGINE_TABS_HINT, EngineTabs
from console.ui.window.senders_list import SendersList
from console.ui.window.site_commands import SiteCommandsMixin
from console.ui.window.site_file_watch import SiteFileWatch
from console.ui.window.site_tree import NodeKind, NodeRef, SiteTree
from console.ui.window.window_layout import (
    DEFAULT_MAIN_SPLIT,
    DEFAULT_SENDER_ROWS,
    DEFAULT_SIZE,
    WindowLayoutMixin,
    clamp_to_screens,
)

HELP_PAGES = ("index.html", "console.html", "sender-properties.html")
"""Help → Help Topics opens the first of these that is installed."""


class ConsoleMainWindow(SiteCommandsMixin, AddressCommandsMixin, WindowLayoutMixin, QMainWindow):
    scenarioFileChosen = Signal(object)
    """A ``Path`` chosen with File → Open Scenario…; the engine bridge loads it."""
    logFileChosen = Signal(object)
    """A ``Path`` chosen with File → Open Log File…; the log view opens it."""
    sheetOpened = Signal(object)
    """The ``SenderPropertiesDialog`` just opened (or raised again)."""

    def __init__(self, session: SiteSession, paths: AppPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ConsoleMainWindow")
        self.session = session
        self.paths = paths
        self.ui_store = UiStateStore(paths.ui_state_file)
        loaded = self.ui_store.load()
        self.ui_state: UiState = loaded.state
        self.ui_state_notice = loaded.notice
        self._sheets: dict[tuple[str, SenderType], QDialog] = {}
        self._help_viewer: QWidget | None = None
        self.about_dialog: AboutDialog | None = None
        self._db_seen: SiteDatabase = session.database
        self.save_state_on_close = True
        """Set False for runs that must not touch the user's layout (e.g. ``--screenshot``)."""
        icon = app_icon()
        if not icon.isNull():
            self.setWindowIcon(icon)

        self._build_panes()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._build_status_bar()
        self.tree.nodeSelected.connect(self._on_node_selected)
        self.senders.senderActivated.connect(self.open_properties)
        self.senders.view.selectionModel().currentChanged.connect(lambda *_: self._update_actions())

        self.tree.populate(
            session.database, select=NodeRef.parse(self.ui_state.selected_node, self.ui_state.selected_site)
        )
        self._restore_layout(self.ui_state)
        self._unsubscribe = session.subscribe(self._on_site_change)
        self.site_watch = SiteFileWatch(paths.sites_file, self)
        self.site_watch.changed.connect(lambda: self.reread(outside=True))
        if self.ui_state_notice:
            self.statusBar().showMessage(self.ui_state_notice)

    # ----------------------------------------------------------------- construction

    def _build_panes(self) -> None:
        self.tree = SiteTree(self)
        self.senders = SendersList(self)
        self.engine_tabs = EngineTabs(self)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.right_splitter.setObjectName("rightSplitter")
        # The engine tabs sit in a column of their own so the live engine can put its context strip above them
        # (``set_engine_header``) without changing what the splitter holds (a saved splitter state still fits).
        self.engine_area = QWidget(self)
        self.engine_area.setObjectName("engineArea")
        self._engine_column = QVBoxLayout(self.engine_area)
        self._engine_column.setContentsMargins(0, 0, 0, 0)
        self._engine_column.setSpacing(2)
        self._engine_column.addWidget(self.engine_tabs, 1)
        self.right_splitter.addWidget(self._build_details())  # the senders list, or an Addresses node's list
        self.right_splitter.addWidget(self.engine_area)
        self.right_splitter.setChildrenCollapsible(False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.tree)
        self.main_splitter.addWidget(self.right_splitter)
        self.main_splitter.setChildrenCollapsible(False)
        self.main_splitter.setStretchFactor(1, 1)
        self.right_splitter.setStretchFactor(1, 1)
        self.tree.setMinimumWidth(180)
        self.senders.setMinimumHeight(120)
        self.engine_tabs.setMinimumHeight(120)
        self.setCentralWidget(self.main_splitter)

    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | str | list | None = None,
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if isinstance(shortcut, list):
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        elif shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        return action

    def _build_actions(self) -> None:
        sp = QStyle.StandardPixmap
        self.action_open_scenario = self._action(
            "Open &Scenario\u2026",
            self.choose_scenario,
            "Ctrl+O",
            sp.SP_DialogOpenButton,
            "Load a scenario file into the live engine",
        )
        self.action_open_log = self._action(
            "Open &Log File\u2026",
            self.choose_log_file,
            "Ctrl+L",
            sp.SP_FileDialogContentsView,
            "Open a Sender.log file in a log view",
        )
        self.action_exit = self._action("E&xit", self.close, "Ctrl+Q", tip="Close Sender Console")
        self.action_properties = self._action(
            "&Properties",
            self.properties_of_selection,
            ["Alt+Return", "Alt+Enter"],
            sp.SP_FileDialogDetailedView,
            "Open the properties of the selected sender or address",
        )
        self.action_new_site = self._action(
            "&New Site\u2026", self.new_site, "Ctrl+N", sp.SP_FileDialogNewFolder, "Add a site to the site database"
        )
        self.action_edit_site = self._action(
            "&Edit Site\u2026",
            self.edit_site,
            None,
            None,
            "Change the selected site's code, name, server, version or parent",
        )
        self.action_delete_site = self._action(
            "&Delete Site",
            self.delete_site,
            QKeySequence.StandardKey.Delete,
            sp.SP_TrashIcon,
            "Remove the selected site from the site database",
        )
        # Del belongs to the tree only: elsewhere (the log view's filter box, a sheet) it edits text.
        self.action_delete_site.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.action_refresh = self._action(
            "&Refresh",
            self.reread,
            "F5",
            sp.SP_BrowserReload,
            "Re-read the site database from disk (changes made elsewhere, e.g. on the command line)",
        )
        self.action_help = self._action(
            "&Help Topics", self.show_help, "F1", sp.SP_DialogHelpButton, "Open Sender Console help"
        )
        self.action_about = self._action(
            f"&About {APP_NAME}", self.show_about, None, None, f"Version and purpose of {APP_NAME}"
        )
        self._build_address_actions()

    def _build_menus_and_toolbar(self) -> None:
        bar = self.menuBar()
        self.menu_file: QMenu = bar.addMenu("&File")
        self.menu_file.addAction(self.action_open_scenario)
        self.menu_file.addAction(self.action_open_log)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.action_exit)
        self.menu_action: QMenu = bar.addMenu("&Action")
        self.menu_action.addAction(self.action_properties)
        self.menu_action.addSeparator()
        self.menu_action.addAction(self.action_new_site)
        self.menu_action.addAction(self.action_edit_site)
        self.menu_action.addAction(self.action_delete_site)
        self._add_address_menus()
        self.menu_view: QMenu = bar.addMenu("&View")
        self.menu_view.addAction(self.action_refresh)
        self.menu_view.addSeparator()
        self.menu_help: QMenu = bar.addMenu("&Help")
        self.menu_help.addAction(self.action_help)
        self.menu_help.addSeparator()
        self.menu_help.addAction(self.action_about)

        self.toolbar = QToolBar("Toolbar", self)
        self.toolbar.setObjectName("mainToolBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addAction(self.action_properties)
        self.toolbar.addAction(self.action_new_site)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.action_refresh)
        self.addToolBar(self.toolbar)
        self.action_toggle_toolbar = self.toolbar.toggleViewAction()
        self.action_toggle_toolbar.setText("&Toolbar")
        self.action_toggle_toolbar.setStatusTip("Show or hide the toolbar")
        self.menu_view.addAction(self.action_toggle_toolbar)
        # The engine's row, laid out now and filled when the engine attaches after the first paint: nothing jumps.
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.engine_toolbar = QToolBar("Engine", self)
        self.engine_toolbar.setObjectName("engineToolBar")
        self.engine_toolbar.setMinimumHeight(self.toolbar.sizeHint().height())
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.engine_toolbar)

        # Right-click menus as in MMC; adding the actions to the tree also makes Del work there.
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        separator = QAction(self)
        separator.setSeparator(True)
        self.tree.addActions(
            [self.action_properties, separator, self.action_new_site, self.action_edit_site, self.action_delete_site]
        )
        self.senders.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.senders.view.addAction(self.action_properties)

    def add_speed_toolbar(self, toolbar: QToolBar) -> None:
        """On the first row, after the main toolbar (re-lined in one go, before the next paint: nothing moves)."""
        self.removeToolBarBreak(self.engine_toolbar)
        self.insertToolBar(self.engine_toolbar, toolbar)
        self.insertToolBarBreak(self.engine_toolbar)

    def _build_status_bar(self) -> None:
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("clockLabel")
        self.clock_label.setToolTip("Simulated clock of the sender engine")
        self.speed_label = QLabel(self)
        self.speed_label.setObjectName("speedLabel")
        self.speed_label.setToolTip("Simulation speed (1\u00d7 is real time)")
        self.statusBar().addPermanentWidget(self.clock_label)
        self.statusBar().addPermanentWidget(self.speed_label)

    # ----------------------------------------------------------------- public API for the engine work

    def add_engine_tab(self, widget: QWidget, title: str) -> int:
        """Add a live-engine view (Timers, Outbox, Sender.log) to the bottom-right tabs; returns its index."""
        return self.engine_tabs.addTab(widget, title)

    def set_engine_header(self, widget: QWidget) -> None:
        """Put ``widget`` (the live engine's context strip) above the engine tabs, replacing any earlier one."""
        if self._engine_column.count() > 1:
            old = self._engine_column.takeAt(0).widget()
            if old is not None and old is not widget:
                old.deleteLater()
        self._engine_column.insertWidget(0, widget)

    def set_engine_sending_site(self, code: str | None) -> None:
        """Mark the site whose Standard Sender the live engine runs (None: the engine runs a scenario)."""
        self.tree.set_sending_site(code)
        self.senders.set_live_sender(code)

    def restore_bars(self) -> bool:
        """Re-apply the saved toolbar and dock layout once late toolbars exist (the live engine adds two).

        Why: ``restoreState`` only places bars that exist when it runs; the window restores in its
        constructor, before the live engine adds its speed and Engine toolbars, so their saved places and
        visibility would otherwise be lost on every start.
        """
        if self.ui_state.window_state is None:
            return False
        return bool(self.restoreState(QByteArray(self.ui_state.window_state)))

    def set_clock_text(self, text: str) -> None:
        self.clock_label.setText(text)

    def set_speed_text(self, text: str) -> None:
        self.speed_label.setText(text)

    # ----------------------------------------------------------------- selection

    def selected_site(self) -> Site | None:
        ref = self.tree.current_node()
        if ref is None or not ref.kind.is_site_level or ref.code not in self.session.database:
            return None
        return self.session.database.get(ref.code)

    def _on_node_selected(self, ref: NodeRef | None) -> None:
        self.senders.show_site(self.selected_site())
        self._show_details(ref)
        self.setWindowTitle(self._title_for(ref))
        self._update_actions()

    def _title_for(self, ref: NodeRef | None) -> str:
        """MMC-style: the app name and the path of the selected node, e.g. "...\\Site Settings\\Senders"."""
        index = self.tree.tree_model.index_of(ref) if ref is not None else None
        parts: list[str] = []
        while index is not None and index.isValid():
            parts.append(str(index.data()))
            index = index.parent()
        return f"{APP_NAME} - [{chr(92).join(reversed(parts))}]" if parts else APP_NAME

    def _properties_target(self) -> tuple[str, SenderType] | None:
        """The sender in the list if one is selected, else the selected site's Standard Sender."""
        site = self.selected_site()
        if site is None:
            return None
        kind = self.senders.current_sender()
        if kind is not None and site.sender(kind) is not None:
            return site.code, kind
        if site.sender(SenderType.STANDARD) is not None:
            return site.code, SenderType.STANDARD
        return None

    def _update_actions(self) -> None:
        site = self.selected_site()
        self.action_properties.setEnabled((self._address_target() or self._properties_target()) is not None)
        self._update_address_actions()
        self.action_edit_site.setEnabled(site is not None)
        self.action_delete_site.setEnabled(site is not None)

    # ----------------------------------------------------------------- session changes

    def _on_site_change(self, change: SiteChange) -> None:
        """Rebuild from the session, keeping (or sensibly moving) the selection."""
        if not shiboken6.isValid(self):
            return
        previous = self._db_seen
        ref = self.tree.current_node()
        if ref is not None and ref.kind.is_site_level:
            if change.kind == "site-edited" and change.old_code == ref.code:
                ref = NodeRef(ref.kind, change.code)
            elif change.kind == "site-removed" and change.code == ref.code:
                parent = previous.get(ref.code).parent if ref.code in previous else None
                ref = NodeRef(NodeKind.SITE, parent) if parent else None
        self.refresh(select=ref)

    def reread(self, *, outside: bool = False) -> list[SiteChange]:
        """View → Refresh, and a change noticed on disk: re-read sites.json (``disk_changes``)."""
        changes = reread_site_database(self, self.session, outside=outside)
        self.refresh()
        return changes

    def refresh(self, select: NodeRef | None = None) -> None:
        """Redraw the tree and list from the session's database, keeping the selected sender too."""
        keep_sender = self.senders.current_sender()
        self._db_seen = self.session.database
        self.tree.populate(self.session.database, select=select if select is not None else self.tree.current_node())
        if keep_sender is not None:
            self.senders.select_sender(keep_sender)
        self._update_actions()

    # ----------------------------------------------------------------- properties sheets

    def open_properties(self, code: str | None = None, kind: SenderType | None = None) -> QDialog | None:
        """Open (or raise) the properties sheet of ``code``'s ``kind`` sender; default: the selection."""
        if code is None or kind is None:
            target = self._properties_target()
            if target is None:
                return None
            code, kind = target
        key = (code, kind)
        existing = self._sheets.get(key)
        if existing is not None and shiboken6.isValid(existing):
            existing.show()
            existing.raise_()
            existing.activateWindow()
            self.sheetOpened.emit(existing)
            return existing
        try:
            from console.ui.sheet.properties_sheet import SenderPropertiesDialog
        except ImportError as exc:
            QMessageBox.warning(self, "Properties", f"The properties sheet could not be loaded: {exc}.")
            return None
        sheet = SenderPropertiesDialog(self.session, code, kind, parent=self)
        sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        sheet.finished.connect(lambda _result, k=key: self._sheets.pop(k, None))
        sheet.settingsApplied.connect(
            lambda code, kind, _settings: self.statusBar().showMessage(
                f"Saved the {kind.display_name} of {code}.", 5000
            )
        )
        self._sheets[key] = sheet
        sheet.show()
        self.sheetOpened.emit(sheet)
        return sheet

    def open_sheets(self) -> dict[tuple[str, SenderType], QDialog]:
        return {k: v for k, v in self._sheets.items() if shiboken6.isValid(v)}

    # ----------------------------------------------------------------- file menu, help

    def choose_scenario(self) -> Path | None:
        start = self.ui_state.scenario_dir or str(resource_path("scenarios"))
        name, _filter = QFileDialog.getOpenFileName(
            self, "Open Scenario", start, "Scenario files (*.toml);;All files (*)"
        )
        if not name:
            return None
        path = Path(name)
        self.ui_state = self.ui_state.replace(scenario_dir=str(path.parent))
        self.scenarioFileChosen.emit(path)
        return path

    def choose_log_file(self) -> Path | None:
        start = self.ui_state.log_dir or str(self.paths.log_dir)
        name, _filter = QFileDialog.getOpenFileName(
            self, "Open Log File", start, "SMS log files (*.log *.lo_);;All files (*)"
        )
        if not name:
            return None
        path = Path(name)
        self.ui_state = self.ui_state.replace(log_dir=str(path.parent))
        self.logFileChosen.emit(path)
        return path

    def show_help(self) -> QWidget | None:
        try:
            from console.ui.common import help_viewer
        except ImportError as exc:
            QMessageBox.warning(self, "Help", f"Help could not be loaded: {exc}.")
            return None
        page = next((p for p in HELP_PAGES if resource_path("help", p).is_file()), HELP_PAGES[-1])
        self._help_viewer = help_viewer.show_help(page, "Sender Console", self, self._help_viewer)  # type: ignore[arg-type]
        return self._help_viewer

    def show_about(self) -> AboutDialog:
        if self.about_dialog is None or not shiboken6.isValid(self.about_dialog):
            self.about_dialog = AboutDialog(self)
        self.about_dialog.open()
        return self.about_dialog

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.save_state_on_close:
            self.save_ui_state()
        self._unsubscribe()
        super().closeEvent(event)


__all__ = [
    "DEFAULT_MAIN_SPLIT",
    "DEFAULT_SENDER_ROWS",
    "DEFAULT_SIZE",
    "ENGINE_TABS_HINT",
    "ConsoleMainWindow",
    "EngineTabs",
    "clamp_to_screens",
]
