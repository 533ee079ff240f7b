"""SenderLogView: the live Sender.log shown as SMS Trace / CMTrace show it (log files open in the log viewer window).

The live tail, the queue while hidden and Pause are in ``live_tail``.
Bounded memory: a view keeps the last ``max_lines`` lines (see log_model) and says in its count line how many
older ones it dropped; the Sender.log on disk keeps everything.

Runs: the live view marks where each engine run starts (a separator row of the console's own, see log_model) and
the "Run" box shows every run, one of them, or the current one (which follows when a new run starts).

The selection stays on its line, not its row number, while the oldest rows are dropped: when the current row is
removed Qt makes its neighbour current, so a busy run's dropping walked the detail pane through lines nobody
chose. The view keeps the current line by sequence number across drops and resets (``_keeping_current``), and
clears the selection, saying so in the detail pane, once that line itself is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console.logs.live_rows import LogRow, date_label, thread_label
from console.ui.common.elided_label import ElidedLabel
from console.ui.log.live_tail import LiveTailMixin
from console.ui.log.log_model import (
    COMPONENT_COLUMN,
    DATE_COLUMN,
    DEFAULT_MAX_LINES,
    LINE_ROLE,
    TEXT_COLUMN,
    THREAD_COLUMN,
    LogTableModel,
    error_lookup,
    is_console_row,
)
from console.ui.log.run_filter import RunFilterMixin
from console.ui.log.table_view import LogTableView

FILTER_DEBOUNCE_MS = 200
"""Typing "heartbeat" re-filters once, not nine times (each pass over 200,000 rows costs ~0.1 s)."""
FILTER_ROOM = "Filter: text, component"
"""The Filter box is never narrower than this text (plus its clear button)."""


class SenderLogView(LiveTailMixin, RunFilterMixin, QWidget):
    """The live Sender.log view."""

    def __init__(self, parent: QWidget | None = None, *, max_lines: int = DEFAULT_MAX_LINES) -> None:
        super().__init__(parent)
        self.setObjectName("SenderLogView")
        self._model = LogTableModel(max_lines, self)
        self._following = True
        self._adjusting = False  # our own scroll-bar moves must not count as the user's
        self._unseen = 0
        self._paused = False
        self._held: list[LogRow] = []
        self._queued: list[tuple[Sequence, tuple | str | None]] = []  # (batch, origin): live_tail
        self._queued_count = 0
        self._holding = False  # inside _keeping_current: Qt's own moves of the current row are not the user's
        self._build()

    # --- construction -----------------------------------------------------------------------------------
    def _build(self) -> None:
        self._pause_button = QToolButton(self)
        self._pause_button.setObjectName("pauseButton")
        self._pause_button.setCheckable(True)
        self._pause_button.setText("&Pause")
        self._pause_button.setToolTip("Hold new lines back (nothing is lost); press again to show them")
        self._pause_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_MediaPause))
        self._pause_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._pause_button.toggled.connect(self.set_paused)
        # As wide as its wider text: "Resume" must not push the Filter box along (nor Pause land in it).
        self._pause_button.setText("&Resume")
        widest = self._pause_button.sizeHint().width()
        self._pause_button.setText("&Pause")
        self._pause_button.setMinimumWidth(max(widest, self._pause_button.sizeHint().width()))

        self._filter_edit = QLineEdit(self)
        self._filter_edit.setObjectName("filterEdit")
        self._filter_edit.setPlaceholderText("Filter: text, component or thread")
        self._filter_edit.setClearButtonEnabled(True)
        self._filter_edit.setAccessibleName("Filter log lines")
        self._filter_edit.setMaximumWidth(320)
        # The Run box and a long status must not squeeze it to "Fi…": room for most of its placeholder.
        self._filter_edit.setMinimumWidth(self._filter_edit.fontMetrics().horizontalAdvance(FILTER_ROOM) + 40)
        self._filter_timer = QTimer(self)
        self._filter_timer.setSingleShot(True)
        self._filter_timer.setInterval(FILTER_DEBOUNCE_MS)
        self._filter_timer.timeout.connect(self._apply_filter_from_edit)
        self._filter_edit.textChanged.connect(self._filter_timer.start)

        self._build_run_box()

        self._count_label = ElidedLabel(self)  # the count line never widens the window (elided_label)
        self._count_label.setObjectName("countLabel")

        self._jump_button = QPushButton(self)
        self._jump_button.setObjectName("jumpButton")
        self._jump_button.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_ArrowDown))
        self._jump_button.setToolTip("New lines arrived below; show them and follow the end again")
        self._jump_button.clicked.connect(self.jump_to_end)
        self._jump_button.hide()

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self._pause_button)
        bar.addWidget(self._filter_edit, 1)
        bar.addWidget(self._run_label)
        bar.addWidget(self._run_combo)
        bar.addWidget(self._count_label, 2)
        bar.addWidget(self._jump_button)

        self._table = LogTableView(self)
        self._table.setObjectName("logTable")
        self._table.setModel(self._model)
        rows = self._table.verticalHeader()
        rows.hide()
        # Uniform row heights: Qt never asks the model for a row's size, whatever the row count.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(max(self.fontMetrics().height() + 4, 20))
        self._table.setShowGrid(False)
        self._table.setCornerButtonEnabled(False)
        self._table.setTabKeyNavigation(False)
        self._table.setWordWrap(False)
        self._table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        self._table.setAccessibleName("Sender.log lines")
        self._table.copyRequested.connect(self.copy_selection)
        copy_action = QAction("&Copy", self._table)
        copy_action.triggered.connect(self.copy_selection)
        self._table.addAction(copy_action)
        self._table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._size_columns()

        bar_scroll = self._table.verticalScrollBar()
        bar_scroll.rangeChanged.connect(self._on_range_changed)
        bar_scroll.valueChanged.connect(self._on_scrolled)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(bar)
        self._detail = QPlainTextEdit(self)
        self._detail.setObjectName("lineDetail")
        self._detail.setReadOnly(True)
        self._detail.setAccessibleName("Selected log line")
        self._detail.setPlaceholderText("Select a line to see all of its text here.")
        self._detail.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self._detail.setMinimumHeight(self.fontMetrics().lineSpacing() * 2 + 12)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("logSplitter")
        splitter.setChildrenCollapsible(True)
        splitter.addWidget(self._table)
        splitter.addWidget(self._detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setSizes([10_000, self.fontMetrics().lineSpacing() * 3 + 12])
        layout.addWidget(splitter, 1)
        self._table.selectionModel().currentRowChanged.connect(self._show_detail)
        self._update_status()

    def _size_columns(self) -> None:
        header = self._table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        fm = self._table.fontMetrics()
        pad = 24
        widths = {
            COMPONENT_COLUMN: fm.horizontalAdvance("SMS_LAN_SENDER") + pad,
            DATE_COLUMN: fm.horizontalAdvance("00/00/0000 00:00:00.000") + pad,
            THREAD_COLUMN: fm.horizontalAdvance("00000 (0x0000)") + pad,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)

    # --- accessors --------------------------------------------------------------------------------------
    def model(self) -> LogTableModel:
        self.catch_up()
        return self._model

    def table(self) -> LogTableView:
        return self._table

    def filter_edit(self) -> QLineEdit:
        return self._filter_edit

    def pause_button(self) -> QToolButton:
        return self._pause_button

    def jump_button(self) -> QPushButton:
        return self._jump_button

    def line_count(self) -> int:
        """Lines held by the view (filtered out or not; not counting lines held back by Pause)."""
        self.catch_up()
        return self._model.total_count()

    def visible_count(self) -> int:
        self.catch_up()
        return self._model.visible_count()

    def dropped_count(self) -> int:
        self.catch_up()
        return self._model.dropped_count()

    def held_count(self) -> int:
        """Lines waiting while paused."""
        self.catch_up()
        return len(self._held)

    def queued_count(self) -> int:
        """Lines that arrived while the view was hidden and have no rows yet (module docstring)."""
        return self._queued_count

    def unseen_count(self) -> int:
        """Lines that arrived below while the user was scrolled up."""
        return self._unseen

    def is_following(self) -> bool:
        return self._following

    def is_paused(self) -> bool:
        return self._paused

    def count_text(self) -> str:
        self.catch_up()
        return self._count_label.text()

    def clear(self) -> None:
        """Empty the view (and anything held back by Pause)."""
        self._held.clear()
        self._queued.clear()
        self._queued_count = 0
        with self._programmatic_scroll():
            self._model.clear()
        self._unseen = 0
        self._following = True
        self._update_status()

    # --- filter -----------------------------------------------------------------------------------------
    def set_filter_text(self, text: str) -> None:
        """Filter now (the box itself waits ``FILTER_DEBOUNCE_MS`` after the last keystroke)."""
        if self._filter_edit.text() != text:
            self._filter_edit.blockSignals(True)
            self._filter_edit.setText(text)
            self._filter_edit.blockSignals(False)
        self._filter_timer.stop()
        self._apply_filter(text)

    @Slot()
    def _apply_filter_from_edit(self) -> None:
        self._apply_filter(self._filter_edit.text())

    def _apply_filter(self, text: str) -> None:
        """Re-filter, keeping the current line (if it still shows) in view; otherwise follow the end."""
        current = self._table.currentIndex()
        keep_seq = self._model.seq_at(current.row()) if current.isValid() else None
        with self._programmatic_scroll():
            self._model.set_filter(text)
            self._table.doItemsLayout()  # the scroll bar's range must be the new one before scrolling
        self._unseen = 0
        row = self._model.row_for_seq(keep_seq) if keep_seq is not None else None
        if row is not None:
            index = self._model.index(row, TEXT_COLUMN)
            with self._programmatic_scroll():
                self._table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self._table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
            bar = self._table.verticalScrollBar()
            self._following = bar.value() >= bar.maximum()
        else:
            self._following = True
            self._scroll_to_end()
        self._update_status()

    # --- detail pane ------------------------------------------------------------------------------------
    def detail_text(self) -> str:
        return self._detail.toPlainText()

    @contextmanager
    def _keeping_current(self) -> Iterator[None]:
        """Keep the current line (by sequence number) across the model changes inside (module docstring)."""
        current = self._table.currentIndex()
        seq = self._model.seq_at(current.row()) if current.isValid() else None
        outer, self._holding = self._holding, True
        try:
            yield
        finally:
            self._holding = outer
        if seq is None or outer:
            return
        row = self._model.row_for_seq(seq)
        now = self._table.currentIndex()
        if row is not None and now.isValid() and now.row() == row:
            return  # rows above it went: Qt moved the selection along with its line
        with self._programmatic_scroll():
            selection = self._table.selectionModel()
            if row is not None:  # a reset forgot it
                index = self._model.index(row, current.column())
                selection.setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                return
            selection.clear()  # the line went (Qt made a neighbour current) or the run shown no longer has it
        if self._model.is_dropped(seq):
            self._detail.setPlainText(
                f"The selected line was dropped: this view keeps the last {self._model.max_lines:,} lines "
                "(the log file on disk has every line)."
            )

    @Slot(QModelIndex, QModelIndex)
    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The whole line, selectable in part (the table elides long texts), with an error look-up."""
        if self._holding:
            return  # _keeping_current decides once the model is done
        if not current.isValid():
            self._detail.clear()
            return
        row = self._model.log_row(current.row())
        if is_console_row(row):
            text = self._model.data(current.siblingAtColumn(TEXT_COLUMN))
            self._detail.setPlainText(f"{text}\n(The console's own line: it is not in Sender.log.)")
            return
        lines = [row.text]
        if row.parsed:
            lines.append(
                f"{row.component}  ·  {date_label(row.when)} {row.zone}  ·  thread {thread_label(row.thread_id)}"
            )
        lines += error_lookup(row.text)
        self._detail.setPlainText("\n".join(lines))

    # --- copy -------------------------------------------------------------------------------------------
    def selected_text(self) -> str:
        """The selected lines, in log order, as they stood in the log, one per line."""
        rows = sorted({i.row() for i in self._table.selectionModel().selectedRows()})
        return "\n".join(self._model.data(self._model.index(r, TEXT_COLUMN), LINE_ROLE) for r in rows)

    @Slot()
    def copy_selection(self) -> None:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text + "\n")

    # --- status -----------------------------------------------------------------------------------------
    def _update_status(self) -> None:
        self._update_runs()
        model = self._model
        text = f"Showing {model.visible_count():,} of {model.total_count():,} lines"
        dropped = model.dropped_count()
        tip = ""
        if dropped:
            text += f"; {dropped:,} older dropped"
            tip = (
                f"This view keeps the last {model.max_lines:,} lines so an endless run cannot use up memory; "
                f"the log file on disk has every line."
            )
        if self._paused:
            text += f" — paused, {len(self._held):,} new waiting"
        self._count_label.setText(text)
        self._count_label.setToolTip(f"{text}\n{tip}" if tip else text)  # the label may be elided
        show_jump = self._unseen > 0 and not self._following
        if show_jump:
            self._jump_button.setText(f"{self._unseen:,} new line{'s' if self._unseen != 1 else ''} — Jump to end")
        self._jump_button.setVisible(show_jump)
