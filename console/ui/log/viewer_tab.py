"""One tab of the log viewer: a timeline (or several merged by time), its banner, filter bar, rows and details.

Following (CMTrace): once loaded, each timeline's last file is polled every ``FOLLOW_MS`` by a ``LogFollower``
(which survives rotation to ``.lo_`` and truncation); new lines are appended and the view stays at the end if
it was there, else it keeps the user's place. Pause stops polling; nothing is lost, the next poll reads on.
The polling slot is ``poll`` so tests drive it without waiting.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QPlainTextEdit, QSplitter, QVBoxLayout, QWidget

from console.logs.diagnosis import Finding
from console.logs.viewer_rows import (
    COMPONENT,
    FILE,
    LINE,
    STAMP,
    TEXT,
    THREAD,
    ColumnFilter,
    elapsed_text,
    error_lookup,
    finder,
    thread_text,
    to_row,
)
from console.ui.log.column_filter_bar import ColumnFilterBar
from console.ui.log.diagnosis_banner import DiagnosisBanner
from console.ui.log.table_view import LogTableView
from console.ui.log.viewer_loader import ViewerLoad
from console.ui.log.viewer_model import ViewerModel

FOLLOW_MS = 500
"""CMTrace polls a followed log twice a second."""


def tab_title(timelines: list[list[Path]]) -> str:
    """``Sender.log``, ``Sender.log (+ .lo_)`` for a rolled-over log, ``A.log + B.log`` for a merge."""
    names = [files[-1].name + (" (+ .lo_)" if len(files) > 1 else "") for files in timelines]
    return names[0] if len(names) == 1 else " + ".join(names[:3]) + (" …" if len(names) > 3 else "")


class LogTab(QWidget):
    """``changed()`` whenever counts, selection or loading change (the window refreshes its status bar)."""

    changed = Signal()
    loaded = Signal()
    message = Signal(str)

    def __init__(self, timelines: list[list[Path]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logTab")
        self.timelines = timelines
        self.files = [p for files in timelines for p in files]
        merged = len(timelines) > 1
        self.model = ViewerModel(show_file=merged, parent=self)
        self.banner = DiagnosisBanner(self)
        self.banner.showFinding.connect(self.show_finding)
        self.filter_bar = ColumnFilterBar(merged, self)
        self.filter_bar.filtersChanged.connect(self.set_filters)
        self.filter_bar.hide()
        self.table = LogTableView(self)
        self.table.setObjectName("logTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 4)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.copyRequested.connect(self.copy_selection)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.details = QPlainTextEdit(self)
        self.details.setObjectName("logDetails")
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Selected line and error lookup")
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setPlaceholderText("Select a line: its whole text, where it is, and what its error codes mean.")
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 110])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.filter_bar)
        layout.addWidget(split, 1)
        self.paused = False
        self.following = False  # at the end, moving with new lines (set once the load is done)
        self._touched = False  # the user scrolled or selected during the load: do not jump to the end
        self._adjusting = False
        self.progress = 0.0
        self.errors: list[str] = []
        self.followers = []
        self.follow_timer = QTimer(self)
        self.follow_timer.setInterval(FOLLOW_MS)
        self.follow_timer.timeout.connect(self.poll)
        self.load = ViewerLoad(timelines, self)
        self.load.rowsReady.connect(self._append)
        self.load.progress.connect(self._on_progress)
        self.load.failed.connect(self._on_failed)
        self.load.finished.connect(self._on_loaded)
        self._sized = False
        self.load.start()

    # --- loading, following ----------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return not self.load.done

    def _on_progress(self, fraction: float) -> None:
        self.progress = fraction
        self.changed.emit()

    def _on_failed(self, message: str) -> None:
        self.errors.append(message)
        self.message.emit(message)

    def _append(self, rows: list) -> None:
        at_end = self.following and self._at_end()
        self.model.append(rows)
        if not self._sized and self.model.rowCount():
            self._size_columns()
        if at_end and not self.paused:
            self._adjusting = True
            self.table.scrollToBottom()
            self._adjusting = False
        self.changed.emit()

    def _on_loaded(self) -> None:
        self.followers = self.load.followers
        self.banner.set_findings(self.load.findings)
        if not self._touched:
            self._adjusting = True
            self.table.scrollToBottom()
            self._adjusting = False
        self.following = self._at_end()
        if not self.paused:
            self.follow_timer.start()
        self.changed.emit()
        self.loaded.emit()

    def poll(self) -> int:
        """Read what the followed files gained; returns the number of new lines."""
        if self.paused or self.loading:
            return 0
        rows = []
        for f in self.followers:
            restarts = f.restarts
            rows += [to_row(r) for r in f.poll()]
            if f.restarts != restarts:
                self.message.emit(f"{f.path.name} was rolled over or truncated; reading it again from its start")
        if rows:
            self._append(rows)
        return len(rows)

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        if paused:
            self.follow_timer.stop()
        elif not self.loading:
            self.poll()
            self.follow_timer.start()
        self.changed.emit()

    def _at_end(self) -> bool:
        bar = self.table.verticalScrollBar()
        return bar.value() >= bar.maximum()

    def _scrolled(self, _value: int) -> None:
        if self._adjusting:
            return
        self._touched = True
        if not self.loading:
            self.following = self._at_end()

    def close_tab(self) -> None:
        """Stop loading and following; close the files."""
        self.follow_timer.stop()
        self.load.cancel()
        for f in self.followers:
            f.close()
        self.followers = []

    # --- moving around ---------------------------------------------------------------------------------------
    def current_view_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select_view_row(self, view_row: int) -> None:
        index = self.model.index(view_row, 0)
        self._adjusting = True
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        self._adjusting = False
        self._touched = True
        self.following = self._at_end()

    def find(self, text: str, forward: bool = True) -> bool:
        test = finder(text)
        if test is None:
            return False
        found = self.model.find(self.current_view_row(), test, forward)
        if found is None:
            return False
        self.select_view_row(found)
        return True

    def next_mark(self, forward: bool = True) -> bool:
        found = self.model.next_mark(self.current_view_row(), forward)
        if found is None:
            return False
        self.select_view_row(found)
        return True

    def show_finding(self, finding: Finding) -> bool:
        source = self.model.find_line(finding.file, finding.line)
        view = None if source is None else self.model.view_row(source)
        if view is None:
            self.message.emit(f"Line {finding.line} of {Path(finding.file).name} is hidden by the filter")
            return False
        self.select_view_row(view)
        return True

    def set_filters(self, filters: list[ColumnFilter]) -> None:
        keep = self.current_view_row()
        source = self.model.source_row(keep) if keep >= 0 else None
        self.model.set_filters(filters)
        view = None if source is None else self.model.view_row(source)
        if view is not None:
            self.select_view_row(view)
        else:
            self.details.setPlainText("")  # the line it described is filtered out
        self.changed.emit()

    # --- selection, details, copy ----------------------------------------------------------------------------
    def selected_view_rows(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def elapsed_text(self) -> str:
        rows = [self.model.row(v) for v in self.selected_view_rows()]
        return elapsed_text(self.model.first_timed(), rows)

    def _selection_changed(self, *_args: object) -> None:
        if not self._adjusting:
            self._touched = True
        view = self.current_view_row()
        self.details.setPlainText(self.details_text(view) if view >= 0 else "")
        self.changed.emit()

    def details_text(self, view_row: int) -> str:
        r = self.model.row(view_row)
        where = f"{r[FILE]}, line {r[LINE]}"
        facts = [where]
        if r[STAMP]:
            facts.append(f"time {r[STAMP]}")
        if r[THREAD] is not None:
            facts.append(f"thread {thread_text(r[THREAD])}")
        if r[COMPONENT]:
            facts.append(f"component {r[COMPONENT]}")
        lookup = error_lookup(r[TEXT]) or ["Error lookup: no Win32 error code in this line."]
        return "\n".join([r[TEXT], "", " · ".join(facts), *lookup])

    def copy_selection(self) -> str:
        """The selected lines, cells separated by tabs, on the clipboard (and returned)."""
        cols = self.model.columnCount()
        lines = [
            "\t".join(self.model.cell_text(self.model.row(v), c) for c in range(cols))
            for v in self.selected_view_rows()
        ]
        text = "\n".join(lines)
        if text:
            QGuiApplication.clipboard().setText(text)
        return text

    def _size_columns(self) -> None:
        """Log Text takes the room left; the other columns fit their first rows, or a long sample of their kind.

        Once, when the first rows arrive: sizing to contents on every insert would ask the model about each row.
        The thread column is sized for a long id, since the first lines' threads are often short ones.
        """
        self._sized = True
        header = self.table.horizontalHeader()
        metrics = self.table.fontMetrics()
        samples = {1: "SMS_LAN_SENDER", 2: "", 3: "88888 (0x15B38)", 4: "Sender.log:999999"}
        most = {1: 200, 2: 360, 3: 140, 4: 240}  # Log Text keeps at least half of a 1200-pixel window
        first = [self.model.row(v) for v in range(min(self.model.rowCount(), 200))]
        for c in range(1, self.model.columnCount()):
            widest = max([metrics.horizontalAdvance(self.model.cell_text(r, c)) for r in first] or [0])
            sample = metrics.horizontalAdvance(samples.get(c, ""))
            header.resizeSection(c, min(max(widest, sample) + 18, most.get(c, 300)))
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
