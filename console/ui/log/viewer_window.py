"""LogViewerWindow: real SMS and ConfigMgr logs the way CMTrace shows them, several logs as tabs of one window.

What CMTrace users expect (research/sms-sender.md §9) and where it is: follow the end, Pause, and the rows in
``viewer_tab``; Find (Ctrl+F focuses ``logFindEdit``, F3 / Shift+F3), next / previous error or warning (F8 /
Shift+F8), Highlight (a number marks that thread), the column filter bar (Ctrl+L), the elapsed time in the
status bar, Open (several files in one Open are merged by time into one tab) and drag and drop here.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QEventLoop, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QProgressBar,
    QStyle,
    QTabWidget,
    QToolBar,
    QWidget,
)

from console.logs.timeline import group_timelines
from console.ui.log.viewer_tab import LogTab, tab_title

FILE_FILTER = "SMS and ConfigMgr logs (*.log *.lo_ *.LOG *.LO_);;All files (*)"


class LogViewerWindow(QMainWindow):
    """``allLoaded()`` when no tab is loading any more."""

    allLoaded = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LogViewerWindow")
        self.setWindowTitle("Log Viewer - Sender Console")
        self.setAcceptDrops(True)
        self.resize(1200, 760)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("logTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.setMovable(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._tab_switched)
        self.setCentralWidget(self.tabs)
        self._build_actions()
        self._build_status()
        self._refresh()

    # --- construction ----------------------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: QKeySequence | str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText)})"
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)  # type: ignore[arg-type]
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        icon = self.style().standardIcon
        sp = QStyle.StandardPixmap
        self.open_action = self._action("&Open…", self.choose_files, QKeySequence.StandardKey.Open, "Open log files")
        self.open_action.setIcon(icon(sp.SP_DialogOpenButton))
        self.close_tab_action = self._action("&Close Tab", self.close_current, "Ctrl+W", "Close this log")
        self.pause_action = self._action("&Pause", self.set_paused, None, "Stop following the end of the log")
        self.pause_action.setCheckable(True)
        self.pause_action.setObjectName("pauseAction")
        self.pause_action.setIcon(icon(sp.SP_MediaPause))
        self.prev_mark_action = self._action(
            "Previous Error/Warning", lambda: self.next_mark(False), "Shift+F8", "Previous error or warning"
        )
        self.prev_mark_action.setIcon(icon(sp.SP_ArrowUp))
        self.next_mark_action = self._action(
            "Next Error/Warning", lambda: self.next_mark(True), "F8", "Next error or warning"
        )
        self.next_mark_action.setIcon(icon(sp.SP_ArrowDown))
        self.find_action = self._action("&Find…", self.focus_find, QKeySequence.StandardKey.Find, "Find text")
        self.find_next_action = self._action(
            "Find &Next", lambda: self.find_next(True), "F3", "Find the next line with the text"
        )
        self.find_prev_action = self._action(
            "Find &Previous", lambda: self.find_next(False), "Shift+F3", "Find the previous line with the text"
        )
        self.filter_action = self._action(
            "&Filter…", self.toggle_filter_bar, "Ctrl+L", "Show lines by column: is, is not, contains, before, after"
        )
        self.filter_action.setCheckable(True)
        self.copy_action = self._action("&Copy", self.copy, None, "Copy the selected lines")

        bar = QToolBar("Log", self)
        bar.setObjectName("logToolBar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.open_action)
        bar.addAction(self.pause_action)
        bar.addSeparator()
        bar.addAction(self.prev_mark_action)
        bar.addAction(self.next_mark_action)
        bar.addSeparator()
        self.find_edit = QLineEdit(bar)
        self.find_edit.setObjectName("logFindEdit")
        self.find_edit.setPlaceholderText("Find (Ctrl+F, F3, Shift+F3)")
        self.find_edit.setAccessibleName("Find text")
        self.find_edit.setClearButtonEnabled(True)
        self.find_edit.setMaximumWidth(260)
        self.find_edit.returnPressed.connect(lambda: self.find_next(True))
        bar.addWidget(self.find_edit)
        bar.addAction(self.find_prev_action)
        bar.addAction(self.find_next_action)
        bar.addSeparator()
        self.highlight_edit = QLineEdit(bar)
        self.highlight_edit.setObjectName("logHighlightEdit")
        self.highlight_edit.setPlaceholderText("Highlight: text, or a thread number")
        self.highlight_edit.setToolTip(
            "Lines holding this text turn green (errors and warnings bold); a number marks the lines of that thread"
        )
        self.highlight_edit.setAccessibleName("Highlight")
        self.highlight_edit.setClearButtonEnabled(True)
        self.highlight_edit.setMaximumWidth(240)
        self.highlight_edit.textChanged.connect(self.set_highlight)
        bar.addWidget(self.highlight_edit)
        bar.addAction(self.filter_action)
        self.addToolBar(bar)

        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        file_menu.addAction(self.open_action)
        file_menu.addAction(self.close_tab_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("Close &Window", self.close, QKeySequence.StandardKey.Close))
        edit_menu = menu.addMenu("&Edit")
        for action in (self.copy_action, self.find_action, self.find_next_action, self.find_prev_action):
            edit_menu.addAction(action)
        view_menu = menu.addMenu("&View")
        for action in (self.pause_action, self.next_mark_action, self.prev_mark_action, self.filter_action):
            view_menu.addAction(action)

    def _build_status(self) -> None:
        status = self.statusBar()
        self.elapsed_label = QLabel(self)
        self.elapsed_label.setObjectName("elapsedLabel")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("loadProgress")
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setMaximumWidth(200)
        self.progress_bar.hide()
        status.addWidget(self.elapsed_label, 1)
        status.addPermanentWidget(self.progress_bar)
        status.addPermanentWidget(self.count_label)

    # --- tabs --------------------------------------------------------------------------------------------------
    def tab(self) -> LogTab | None:
        w = self.tabs.currentWidget()
        return w if isinstance(w, LogTab) else None

    def all_tabs(self) -> list[LogTab]:
        return [w for i in range(self.tabs.count()) if isinstance(w := self.tabs.widget(i), LogTab)]

    def open_paths(self, paths: Iterable[str | os.PathLike[str]]) -> LogTab | None:
        """One tab for the files of one Open (a ``.log`` with its ``.lo_``; several logs merged by time)."""
        timelines = group_timelines(Path(p) for p in paths)
        if not timelines:
            return None
        tab = LogTab(timelines, self.tabs)
        tab.changed.connect(self._tab_changed)
        tab.loaded.connect(self._tab_loaded)
        tab.message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        tab.set_paused(self.pause_action.isChecked())
        tab.model.set_highlight(self.highlight_edit.text())
        index = self.tabs.addTab(tab, tab_title(timelines))
        self.tabs.setTabToolTip(index, "\n".join(str(p) for p in tab.files))
        self.tabs.setCurrentIndex(index)
        self._refresh()
        return tab

    def open_file(self, path: Path) -> LogTab | None:
        """File → Open Log in the console window: the log in a tab here."""
        tab = self.open_paths([path])
        self.show()
        self.raise_()
        self.activateWindow()
        return tab

    def close_tab(self, index: int) -> None:
        tab = self.tabs.widget(index)
        if isinstance(tab, LogTab):
            tab.close_tab()
        self.tabs.removeTab(index)
        if tab is not None:
            tab.deleteLater()
        self._refresh()

    def close_current(self) -> None:
        if self.tabs.count():
            self.close_tab(self.tabs.currentIndex())

    def choose_files(self) -> LogTab | None:
        start = str(self.tab().files[-1].parent) if self.tab() else ""
        names, _ = QFileDialog.getOpenFileNames(self, "Open Log Files", start, FILE_FILTER)
        return self.open_paths(names) if names else None

    def loading(self) -> bool:
        return any(t.loading for t in self.all_tabs())

    def wait_loaded(self) -> None:
        """Run the event loop until every tab has loaded (screenshots and tests; no wall-clock waiting)."""
        while self.loading():
            QApplication.processEvents(
                QEventLoop.ProcessEventsFlag.AllEvents | QEventLoop.ProcessEventsFlag.WaitForMoreEvents
            )

    # --- commands ----------------------------------------------------------------------------------------------
    def set_paused(self, paused: bool) -> None:
        for t in self.all_tabs():
            t.set_paused(paused)
        self.pause_action.setText("&Resume" if paused else "&Pause")
        self.pause_action.setToolTip(
            "Follow the end of the log again" if paused else "Stop following the end of the log"
        )
        self._refresh()

    def focus_find(self) -> None:
        self.find_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_edit.selectAll()

    def find_next(self, forward: bool = True) -> bool:
        tab = self.tab()
        text = self.find_edit.text()
        if tab is None or not text.strip():
            self.focus_find()
            return False
        found = tab.find(text, forward)
        if not found:
            self.statusBar().showMessage(f"{text!r} not found", 5000)
        return found

    def next_mark(self, forward: bool = True) -> bool:
        tab = self.tab()
        if tab is None:
            return False
        found = tab.next_mark(forward)
        if not found:
            which = "after" if forward else "before"
            self.statusBar().showMessage(f"No error or warning {which} this line", 5000)
        return found

    def set_highlight(self, text: str) -> None:
        for t in self.all_tabs():
            t.model.set_highlight(text)

    def toggle_filter_bar(self, shown: bool | None = None) -> None:
        tab = self.tab()
        if tab is None:
            self.filter_action.setChecked(False)
            return
        show = not tab.filter_bar.isVisible() if shown is None or not isinstance(shown, bool) else shown
        tab.filter_bar.setVisible(show)
        self.filter_action.setChecked(show)
        if show:
            tab.filter_bar.value_edit.setFocus()

    def copy(self) -> None:
        tab = self.tab()
        if tab is not None:
            tab.copy_selection()

    # --- status ------------------------------------------------------------------------------------------------
    def _tab_switched(self, _index: int) -> None:
        tab = self.tab()
        self.filter_action.setChecked(tab is not None and tab.filter_bar.isVisible())
        self._refresh()

    def _tab_changed(self) -> None:
        if self.sender() is self.tab():
            self._refresh()

    def _tab_loaded(self) -> None:
        self._refresh()
        if not self.loading():
            self.allLoaded.emit()

    def _refresh(self) -> None:
        tab = self.tab()
        has = tab is not None
        for action in (self.close_tab_action, self.prev_mark_action, self.next_mark_action, self.filter_action):
            action.setEnabled(has)
        if tab is None:
            self.elapsed_label.setText("Open a log (Ctrl+O) or drop log files on this window")
            self.count_label.clear()
            self.progress_bar.hide()
            self.setWindowTitle("Log Viewer - Sender Console")
            return
        self.setWindowTitle(f"{self.tabs.tabText(self.tabs.currentIndex())} - Log Viewer - Sender Console")
        self.elapsed_label.setText(tab.elapsed_text())
        m = tab.model
        shown = m.visible_count()
        total = m.total_count()
        lines = f"{total:,} lines" if shown == total else f"{shown:,} of {total:,} lines"
        if tab.loading:
            state = "loading"
        elif tab.paused:
            state = "paused"
        else:
            state = "following the end" if tab.following else "new lines are added below"
        self.count_label.setText(f"{lines} · {m.errors:,} errors · {m.warnings:,} warnings · {state}")
        self.progress_bar.setVisible(tab.loading)
        self.progress_bar.setValue(int(tab.progress * 1000))

    # --- drag and drop, closing ----------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        files = [p for p in paths if Path(p).is_file()]
        if files:
            self.open_paths(files)
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:
        for t in self.all_tabs():
            t.close_tab()
        super().closeEvent(event)


def open_in_viewer(owner: QWidget, path: Path) -> LogViewerWindow:
    """File → Open Log in the console: the file as a tab of the console's one log viewer (made on first use).

    The viewer is the console window's child with its own window frame, so it closes with the console."""
    viewer = owner.findChild(LogViewerWindow, "LogViewerWindow")
    if viewer is None:
        viewer = LogViewerWindow(owner)
        viewer.setWindowFlag(Qt.WindowType.Window, True)
    viewer.open_file(path)
    return viewer
