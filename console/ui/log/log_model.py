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
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication, QStyle

from console.logs.classify import Severity, describe_win32_error, win32_error_codes
from console.logs.rows import LogRow, date_label, original_line, row_matches, thread_label

DEFAULT_MAX_LINES = 200_000
"""Rows a view keeps. An endless live run at high speed writes millions of lines; past this many the oldest
are dropped (and the view says so). 200,000 rows is ~56 MiB (tests/bench/bench_log_view.py) and hours of a
busy sender; the file on disk keeps everything."""

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


def error_lookup(text: str) -> list[str]:
    """CMTrace-style "Error Lookup" lines for the non-zero Win32 codes a message names."""
    return [f"Win32 error {describe_win32_error(c)}" for c in win32_error_codes(text) if c]


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
        self._icons: dict[Severity, QIcon] = {}

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
            rows = rows[skipped:]
        removed = self._trim(len(self._rows) + len(rows) - self._max)  # with ``skipped``, this empties the list
        if skipped:
            # The batch alone overflows: its oldest rows never show, their sequence numbers are spent.
            self._base += skipped
            self._dropped += skipped
        first_seq = self._base + len(self._rows)
        if self._visible is None:
            start, count = len(self._rows), len(rows)
            self.beginInsertRows(QModelIndex(), start, start + count - 1)
            self._rows.extend(rows)
            self.endInsertRows()
            return count, removed
        needle = self._needle
        matched = [first_seq + i for i, r in enumerate(rows) if row_matches(r, needle)]
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

    def note_dropped(self, count: int) -> None:
        """Count lines dropped before they reached the model (e.g. held back by Pause beyond the cap)."""
        self._dropped += count

    def clear(self) -> None:
        self.beginResetModel()
        self._base += len(self._rows)
        self._rows = []
        self._visible = None if not self._needle else []
        self._dropped = 0
        self.endResetModel()

    # --- filter -----------------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        """Case-insensitive substring on text, component or thread column; ``""`` shows everything."""
        needle = text.strip().lower()
        if needle == self._needle:
            return
        self.beginResetModel()
        self._needle = needle
        if not needle:
            self._visible = None
        else:
            base = self._base
            self._visible = [base + i for i, r in enumerate(self._rows) if row_matches(r, needle)]
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
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TEXT_COLUMN:
                return row.text
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
            return self._icon(row.severity) if column == TEXT_COLUMN else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == SEVERITY_ROLE:
            return int(row.severity)
        if role == LINE_ROLE:
            return original_line(row)
        return None

    def _icon(self, severity: Severity) -> QIcon:
        """The severity icon; a blank one of the same size for normal rows so all texts line up."""
        icon = self._icons.get(severity)
        if icon is None:
            kind = _ICON_KIND.get(severity)
            if kind is not None:
                icon = QApplication.style().standardIcon(kind)
            else:
                blank = QPixmap(16, 16)
                blank.fill(Qt.GlobalColor.transparent)
                icon = QIcon(blank)
            self._icons[severity] = icon
        return icon

    @staticmethod
    def _tooltip(row: LogRow, column: int) -> str | None:
        if column == TEXT_COLUMN:
            return "\n".join([row.text, *error_lookup(row.text)])
        if column == DATE_COLUMN and row.when is not None:
            return f"{date_label(row.when)} {row.zone}"
        return None
