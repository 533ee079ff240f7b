"""The table model behind SenderLogView: a bounded list of rows, filtered in place.

Filtering is done here instead of by a QSortFilterProxyModel: a proxy calls ``filterAcceptsRow`` in Python
once per source row on every insert and every filter change, which for 200,000 rows costs seconds, and it
maps indexes through a second model on every paint. Here the filtered view is a plain list of row sequence
numbers, a new batch is tested once, and a filter change is one list comprehension (~0.1 s at the cap).

Rows get a sequence number when they arrive (``base + position``); dropping the oldest rows only moves
``base``. The filtered list holds sequence numbers, so trimming it is a bisect, and the view can find "the
same line" again after a filter change.

Colours follow CMTrace (research/sms-sender.md §4.4): errors red background with yellow text, warnings
yellow background with dark text. Both colours are set explicitly, so the rows read the same in a light and
a dark palette (a palette-derived text colour on a fixed yellow would be white-on-yellow in a dark theme).
The red is darker than CMTrace's pure red so yellow text on it has a contrast ratio above 4.5:1. An icon in
the first column repeats the severity for readers who cannot tell the colours apart.

Console rows: the live view also shows lines of the console's own that are *not* Sender.log text and are never
written to the file: a separator where each engine run starts (a real Sender.log's service start lines have no
verified wording, research/sms-sender.md §4, so we invent none) and a note for each fault the user injected. They
carry a component of their own (``RUN_COMPONENT``, ``NOTE_COMPONENT``), are drawn in their own colours and fonts,
and a separator reads "Run 3: ..." so the runs can be told apart and filtered (``set_run``).

A run keeps the number it got when it started, whatever is dropped: the model keeps every run's start and title
(a few per run, not per line), also for a run whose separator was dropped before it reached the model (held back
by Pause, queued while hidden, or cut off a batch over the cap: ``note_dropped``). Otherwise, after a busy first
run's million lines went, the second run was called Run 1 and the first was nowhere.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import sys
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from console.logs.classify import Severity, win32_error_codes
from console.logs.live_rows import LogRow, date_label, original_line, row_matches, thread_label
from console.logs.win32 import describe_win32_error

DEFAULT_MAX_LINES = 200_000
"""Rows a view keeps. An endless live run at high speed writes millions of lines; past this many the oldest
are dropped (and the view says so). That bounds the memory (docs/design-notes.md) and still holds hours of a
busy sender; the file on disk keeps everything."""
DISPLAY_MAX_CHARS = 2000
"""The table shows at most this much of a line (then an ellipsis); the detail pane, Copy and the filter use it
all. Qt lays out the whole string to elide it on every paint, so very long rows would stall the window."""

COLUMNS = ("Log Text", "Component", "Date/Time", "Thread")
TEXT_COLUMN, COMPONENT_COLUMN, DATE_COLUMN, THREAD_COLUMN = range(4)

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1
"""``int(Severity)`` of the row, for tests and style delegates."""
LINE_ROLE = Qt.ItemDataRole.UserRole + 2
"""The line as it stood in the log."""

ERROR_BACKGROUND = QColor(0xB0, 0x00, 0x00)
ERROR_FOREGROUND = QColor(0xFF, 0xFF, 0x00)
WARNING_BACKGROUND = QColor(0xFF, 0xE8, 0x4D)
WARNING_FOREGROUND = QColor(0x20, 0x20, 0x00)

_BACKGROUND = {Severity.ERROR: QBrush(ERROR_BACKGROUND), Severity.WARNING: QBrush(WARNING_BACKGROUND)}
_FOREGROUND = {Severity.ERROR: QBrush(ERROR_FOREGROUND), Severity.WARNING: QBrush(WARNING_FOREGROUND)}
_ICON_KIND = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
}
_ICONS: dict[int, QIcon] = {}  # Severity is an IntEnum: its members and ints are the same keys


def severity_icon(severity: int) -> QIcon:
    """The severity icon (for readers who cannot tell red from yellow); a blank one of the same size for normal
    lines, so all texts line up. Made once per severity, after the QApplication exists."""
    icon = _ICONS.get(severity)
    if icon is None:
        kind = _ICON_KIND.get(severity)
        if kind is not None:
            icon = QApplication.style().standardIcon(kind)
        else:
            blank = QPixmap(16, 16)
            blank.fill(Qt.GlobalColor.transparent)
            icon = QIcon(blank)
        _ICONS[severity] = icon
    return icon


def error_lookup(text: str) -> list[str]:
    """CMTrace-style "Error Lookup" lines for the non-zero Win32 codes a message names."""
    return [f"Win32 error {describe_win32_error(c)}" for c in win32_error_codes(text) if c]


RUN_COMPONENT = sys.intern("Console: new run")
NOTE_COMPONENT = sys.intern("Console note")
RUN_BACKGROUND = QColor(0x2F, 0x3E, 0x5C)
RUN_FOREGROUND = QColor(0xFF, 0xFF, 0xFF)
NOTE_BACKGROUND = QColor(0xDC, 0xE9, 0xF7)
NOTE_FOREGROUND = QColor(0x10, 0x20, 0x40)
_CONSOLE_BACKGROUND = {RUN_COMPONENT: QBrush(RUN_BACKGROUND), NOTE_COMPONENT: QBrush(NOTE_BACKGROUND)}
_CONSOLE_FOREGROUND = {RUN_COMPONENT: QBrush(RUN_FOREGROUND), NOTE_COMPONENT: QBrush(NOTE_FOREGROUND)}
RunChoice = int | str | None
"""``None`` every run, an index (0 = the first run still known), or ``"current"`` (the latest, following new ones)."""


def console_row(text: str, when: _dt.datetime | None, *, run: bool = False) -> LogRow:
    """A row of the console's own (module docstring): a run separator or a note; never Sender.log text."""
    return LogRow(text, RUN_COMPONENT if run else NOTE_COMPONENT, when, "", None, Severity.NORMAL)


def is_console_row(row: LogRow) -> bool:
    return row.component is RUN_COMPONENT or row.component is NOTE_COMPONENT


_Index = QModelIndex | QPersistentModelIndex


class LogTableModel(QAbstractTableModel):
    def __init__(self, max_lines: int = DEFAULT_MAX_LINES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if max_lines < 1:
            raise ValueError(f"max_lines must be at least 1, not {max_lines}")
        self._max = max_lines
        self._rows: list[LogRow] = []
        self._base = 0
        self._visible: list[int] | None = None  # sequence numbers passing the filter; None = no filter
        self._needle = ""
        self._dropped = 0
        self._run_starts: list[int] = []  # sequence numbers where each run's rows start (module docstring)
        self._run_titles: list[str] = []
        self._run_lost: list[bool] = []  # the separator was dropped before it reached the model
        self._run: RunChoice = None
        self._fonts: dict[str, QFont] = {}

    # --- sizes -------------------------------------------------------------------------------------------
    @property
    def max_lines(self) -> int:
        return self._max

    def total_count(self) -> int:
        """Rows held (filtered out or not)."""
        return len(self._rows)

    def visible_count(self) -> int:
        return len(self._rows) if self._visible is None else len(self._visible)

    def dropped_count(self) -> int:
        """Rows dropped off the front since the last ``clear()`` to stay within ``max_lines``."""
        return self._dropped

    # --- rows -------------------------------------------------------------------------------------------
    def seq_at(self, row: int) -> int:
        return self._base + row if self._visible is None else self._visible[row]

    def row_for_seq(self, seq: int) -> int | None:
        """The visible row showing sequence number ``seq``, or None when it is filtered out or dropped."""
        if seq < self._base or seq >= self._base + len(self._rows):
            return None
        if self._visible is None:
            return seq - self._base
        i = bisect.bisect_left(self._visible, seq)
        return i if i < len(self._visible) and self._visible[i] == seq else None

    def is_dropped(self, seq: int) -> bool:
        """Whether the row with sequence number ``seq`` has been dropped (or cleared)."""
        return seq < self._base

    def log_row(self, row: int) -> LogRow:
        """The row shown at visible position ``row``."""
        return self._rows[self.seq_at(row) - self._base]

    def append_rows(self, rows: Sequence[LogRow]) -> tuple[int, int]:
        """Add a batch: at most one remove (oldest rows over the cap) and one insert, whatever its size.

        Returns ``(visible rows added, visible rows removed from the top)`` so the view can keep its place.
        """
        if not rows:
            return 0, 0
        skipped = max(0, len(rows) - self._max)
        if skipped:
            lost_seq = self._base + len(self._rows)
            self._add_runs((lost_seq + i, r.text) for i, r in enumerate(rows[:skipped]) if r.component is RUN_COMPONENT)
            rows = rows[skipped:]
        removed = self._trim(len(self._rows) + len(rows) - self._max)  # with ``skipped``, this empties the list
        if skipped:
            # The batch alone overflows: its oldest rows never show, their sequence numbers are spent.
            self._base += skipped
            self._dropped += skipped
        first_seq = self._base + len(self._rows)
        old_runs = len(self._run_starts)
        self._add_runs((first_seq + i, r.text) for i, r in enumerate(rows) if r.component is RUN_COMPONENT)
        if len(self._run_starts) > old_runs and self._run is not None:
            # "current" moves on to the new run; a fixed run's end is now known
            self.beginResetModel()
            self._rows.extend(rows)
            self._recompute()
            self.endResetModel()
            return len(rows), removed
        if self._visible is None:
            start, count = len(self._rows), len(rows)
            self.beginInsertRows(QModelIndex(), start, start + count - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            return count, removed
        needle = self._needle
        lo, hi = self._run_range() or (first_seq, math.inf)
        matched = [
            first_seq + i
            for i, r in enumerate(rows)
            if lo <= first_seq + i < hi and (not needle or row_matches(r, needle))
        ]
        if not matched:
            self._rows.extend(rows)
            return 0, removed
        start = len(self._visible)
        self.beginInsertRows(QModelIndex(), start, start + len(matched) - 1)
        self._rows.extend(rows)
        self._visible.extend(matched)
        self.endInsertRows()
        return len(matched), removed

    def _trim(self, overflow: int) -> int:
        if overflow <= 0:
            return 0
        new_base = self._base + overflow
        gone = overflow if self._visible is None else bisect.bisect_left(self._visible, new_base)
        if gone:
            self.beginRemoveRows(QModelIndex(), 0, gone - 1)
        del self._rows[:overflow]
        self._base = new_base
        if self._visible is not None:
            del self._visible[:gone]
        self._dropped += overflow
        if gone:
            self.endRemoveRows()
        return gone

    def note_dropped(self, count: int, runs: Sequence[LogRow] = ()) -> None:
        """Count lines dropped before they reached the model (e.g. held back by Pause beyond the cap).

        ``runs``: the run separators among them, in order; their runs keep their numbers and titles and start
        where the next row will (the rows that follow are theirs, up to the next separator).
        """
        self._dropped += count
        seq = self._base + len(self._rows)
        self._add_runs(((seq, row.text) for row in runs), lost=True)

    def _add_runs(self, runs: Iterable[tuple[int, str]], *, lost: bool = False) -> None:
        """Runs starting at these sequence numbers, with these separator texts."""
        for seq, title in runs:
            self._run_starts.append(seq)
            self._run_titles.append(title)
            self._run_lost.append(lost)

    def clear(self) -> None:
        self.beginResetModel()
        self._base += len(self._rows)
        self._rows = []
        self._run_starts, self._run_titles, self._run_lost = [], [], []
        self._run = None
        self._visible = None if not self._needle else []
        self._dropped = 0
        self.endResetModel()

    # --- runs -------------------------------------------------------------------------------------------
    def run_count(self) -> int:
        return len(self._run_starts)

    def run_title(self, index: int) -> str:
        """The separator text of run ``index`` (0-based), kept when its row is dropped."""
        return self._run_titles[index]

    def run_state(self, index: int) -> str:
        """``""`` while run ``index``'s separator is held; ``"partly dropped"`` once it has gone but some of
        the run's lines are left; ``"dropped"`` when none are."""
        start, base = self._run_starts[index], self._base
        if start >= base and not self._run_lost[index]:
            return ""
        end = self._run_starts[index + 1] if index + 1 < len(self._run_starts) else base + len(self._rows)
        return "partly dropped" if max(start, base) < end else "dropped"

    @property
    def run_choice(self) -> RunChoice:
        return self._run

    def set_run(self, choice: RunChoice) -> None:
        """Show one run (an index or ``"current"``) or all (None); the text filter still applies."""
        if choice == self._run:
            return
        self.beginResetModel()
        self._run = choice
        self._recompute()
        self.endResetModel()

    def run_number_of(self, seq: int) -> int:
        """1-based number of the run the row with sequence number ``seq`` belongs to (0: before any run)."""
        return bisect.bisect_right(self._run_starts, seq)

    def _run_range(self) -> tuple[int, float] | None:
        if self._run is None or not self._run_starts:
            return None
        last = len(self._run_starts) - 1
        k = last if self._run == "current" else min(int(self._run), last)
        return self._run_starts[k], (self._run_starts[k + 1] if k < last else math.inf)

    def _recompute(self) -> None:
        needle, rng, base = self._needle, self._run_range(), self._base
        if not needle and rng is None:
            self._visible = None
            return
        lo, hi = rng or (base, math.inf)
        self._visible = [
            base + i for i, r in enumerate(self._rows) if lo <= base + i < hi and (not needle or row_matches(r, needle))
        ]

    # --- filter -----------------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Case-insensitive substring on text, component or thread column; ``""`` shows everything."""
        needle = text.strip().lower()
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        self._recompute()
        self.endResetModel()

    # --- Qt model ---------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self.visible_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.log_row(index.row())
        column = index.column()
        if is_console_row(row):
            return self._console_data(row, self.seq_at(index.row()), column, role)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TEXT_COLUMN:
                text = row.text
                return text if len(text) <= DISPLAY_MAX_CHARS else text[:DISPLAY_MAX_CHARS] + "\u2026"
            if column == COMPONENT_COLUMN:
                return row.component
            if column == DATE_COLUMN:
                return date_label(row.when)
            return thread_label(row.thread_id)
        if role == Qt.ItemDataRole.BackgroundRole:
            return _BACKGROUND.get(row.severity)
        if role == Qt.ItemDataRole.ForegroundRole:
            return _FOREGROUND.get(row.severity)
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(row.severity) if column == TEXT_COLUMN else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == SEVERITY_ROLE:
            return int(row.severity)
        if role == LINE_ROLE:
            return original_line(row)
        return None

    def _console_data(self, row: LogRow, seq: int, column: int, role: int) -> object:
        run = row.component is RUN_COMPONENT
        if role in (Qt.ItemDataRole.DisplayRole, LINE_ROLE, Qt.ItemDataRole.ToolTipRole):
            if column == TEXT_COLUMN or role == LINE_ROLE:
                text = row.text
                if run:
                    text = f"\u2500\u2500\u2500 Run {self.run_number_of(seq)}: {text} \u2500\u2500\u2500"
                if role == Qt.ItemDataRole.ToolTipRole:
                    return f"{text}\n(the console's own line: not in Sender.log)"
                return text if role == Qt.ItemDataRole.DisplayRole else f"[{row.component}] {text}"
            if role == Qt.ItemDataRole.DisplayRole:
                if column == COMPONENT_COLUMN:
                    return row.component
                if column == DATE_COLUMN:
                    return date_label(row.when)
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return _CONSOLE_BACKGROUND[row.component]
        if role == Qt.ItemDataRole.ForegroundRole:
            return _CONSOLE_FOREGROUND[row.component]
        if role == Qt.ItemDataRole.FontRole:
            font = self._fonts.get(row.component)
            if font is None:
                font = QFont()
                font.setBold(run)
                font.setItalic(not run)
                self._fonts[row.component] = font
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == TEXT_COLUMN:
            return severity_icon(Severity.NORMAL)
        if role == SEVERITY_ROLE:
            return int(row.severity)
        return None

    @staticmethod
    def _tooltip(row: LogRow, column: int) -> str | None:
        if column == TEXT_COLUMN:
            text = row.text if len(row.text) <= DISPLAY_MAX_CHARS else row.text[:DISPLAY_MAX_CHARS] + "\u2026"
            return "\n".join([text, *error_lookup(row.text)])
        if column == DATE_COLUMN and row.when is not None:
            return f"{date_label(row.when)} {row.zone}"
        return None
