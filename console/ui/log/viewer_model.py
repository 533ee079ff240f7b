"""The log viewer's table model: every row of a tab, CMTrace's column filters, highlight, errors and warnings.

Rows are the plain tuples of ``console.logs.viewer_rows`` (the collector need not walk them). Filtering keeps a
list of row numbers instead of a QSortFilterProxyModel, which would call Python once per row on every insert;
a batch of new rows is tested once, as it arrives. The rows with an error or a warning are listed as they come,
so "next error" is a bisect, not a scan of 700,000 rows.

Colours are the live view's (log_model): errors red with yellow text, warnings yellow with dark text, both set
explicitly so they read the same in a light and a dark palette. A highlighted line is pale green with black text
(not blue: that reads as selected); a highlighted error or warning keeps its colour and turns bold, so Highlight
never hides an error.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable, Sequence
from pathlib import PurePath, PureWindowsPath

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from console.logs.classify import Severity
from console.logs.viewer_rows import (
    COLUMNS,
    COMPONENT,
    FILE,
    LINE,
    SEVERITY,
    STAMP,
    TEXT,
    THREAD,
    WHEN,
    ColumnFilter,
    Row,
    combined,
    error_lookup,
    highlighter,
    thread_text,
)
from console.ui.log.log_model import (
    ERROR_BACKGROUND,
    ERROR_FOREGROUND,
    WARNING_BACKGROUND,
    WARNING_FOREGROUND,
    severity_icon,
)

SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 1
HIGHLIGHT_BACKGROUND = QColor(0xC8, 0xF0, 0xC0)
HIGHLIGHT_FOREGROUND = QColor(0x00, 0x00, 0x00)

_BACKGROUND = {Severity.ERROR: QBrush(ERROR_BACKGROUND), Severity.WARNING: QBrush(WARNING_BACKGROUND)}
_FOREGROUND = {Severity.ERROR: QBrush(ERROR_FOREGROUND), Severity.WARNING: QBrush(WARNING_FOREGROUND)}
_HIGHLIGHT = (QBrush(HIGHLIGHT_BACKGROUND), QBrush(HIGHLIGHT_FOREGROUND))
_BOLD = QFont()
_BOLD.setBold(True)
_Index = QModelIndex | QPersistentModelIndex


def file_label(name: str) -> str:
    """The file column: the name without its folder (Windows or POSIX path)."""
    return PureWindowsPath(name).name if "\\" in name else PurePath(name).name


class ViewerModel(QAbstractTableModel):
    """All rows of one tab; ``show_file`` adds the File column (merged tabs)."""

    def __init__(self, show_file: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.columns = COLUMNS if show_file else COLUMNS[:4]
        self._rows: list[Row] = []
        self._visible: list[int] | None = None
        self._test: Callable[[Row], bool] | None = None
        self._filters: list[ColumnFilter] = []
        self._highlight: Callable[[Row], bool] | None = None
        self._marks: list[int] = []  # row numbers of errors and warnings
        self.errors = 0
        self.warnings = 0

    # --- rows -----------------------------------------------------------------------------------------------
    def total_count(self) -> int:
        return len(self._rows)

    def visible_count(self) -> int:
        return len(self._rows) if self._visible is None else len(self._visible)

    def source_row(self, view_row: int) -> int:
        return view_row if self._visible is None else self._visible[view_row]

    def row(self, view_row: int) -> Row:
        return self._rows[self.source_row(view_row)]

    def view_row(self, source_row: int) -> int | None:
        """Where row ``source_row`` shows, or None when a filter hides it."""
        if self._visible is None:
            return source_row if 0 <= source_row < len(self._rows) else None
        i = bisect.bisect_left(self._visible, source_row)
        return i if i < len(self._visible) and self._visible[i] == source_row else None

    def first_timed(self) -> Row | None:
        """The first line of the log that has a time (the start of "elapsed")."""
        return next((r for r in self._rows if r[WHEN] is not None), None)

    def find_line(self, file: str, line: int) -> int | None:
        """The row number of ``file``'s record that starts at ``line``."""
        for i, r in enumerate(self._rows):
            if r[LINE] == line and r[FILE] == file:
                return i
        return None

    def append(self, rows: Sequence[Row]) -> int:
        """Add rows at the end (one insert); returns how many of them show."""
        if not rows:
            return 0
        first = len(self._rows)
        marks = [first + i for i, r in enumerate(rows) if r[SEVERITY]]
        for i in marks:
            if rows[i - first][SEVERITY] == Severity.ERROR:
                self.errors += 1
            else:
                self.warnings += 1
        self._marks += marks
        test = self._test
        if self._visible is None or test is None:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self.endInsertRows()
            return len(rows)
        shown = [first + i for i, r in enumerate(rows) if test(r)]
        if not shown:
            self._rows += rows
            return 0
        start = len(self._visible)
        self.beginInsertRows(QModelIndex(), start, start + len(shown) - 1)
        self._rows += rows
        self._visible += shown
        self.endInsertRows()
        return len(shown)

    # --- filter, highlight ------------------------------------------------------------------------------------
    @property
    def filters(self) -> list[ColumnFilter]:
        return list(self._filters)

    def set_filters(self, filters: list[ColumnFilter]) -> None:
        test = combined(filters)
        self.beginResetModel()
        self._filters = list(filters)
        self._test = test
        self._visible = None if test is None else [i for i, r in enumerate(self._rows) if test(r)]
        self.endResetModel()

    def set_highlight(self, text: str) -> None:
        self._highlight = highlighter(text)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def highlighted(self, view_row: int) -> bool:
        return self._highlight is not None and self._highlight(self.row(view_row))

    # --- moving around ---------------------------------------------------------------------------------------
    def next_mark(self, view_row: int, forward: bool = True) -> int | None:
        """The next (or previous) visible error or warning after ``view_row`` (-1: from the top), no wrap."""
        marks = self._marks
        if view_row < 0:
            i = 0
        else:
            src = self.source_row(view_row)
            i = bisect.bisect_right(marks, src) if forward else bisect.bisect_left(marks, src) - 1
        step = 1 if forward else -1
        while 0 <= i < len(marks):
            shown = self.view_row(marks[i])
            if shown is not None:
                return shown
            i += step
        return None

    def find(self, view_row: int, test: Callable[[Row], bool], forward: bool = True) -> int | None:
        """The next visible row passing ``test`` after ``view_row``, wrapping around once."""
        n = self.visible_count()
        if n == 0:
            return None
        order = (
            itertools.chain(range(view_row + 1, n), range(0, view_row + 1))
            if forward
            else itertools.chain(range(view_row - 1, -1, -1), range(n - 1, view_row - 1, -1))
        )
        rows, visible = self._rows, self._visible
        for v in order:
            if test(rows[v if visible is None else visible[v]]):
                return v
        return None

    # --- Qt model ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's own default
        return 0 if parent.isValid() else self.visible_count()

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def cell_text(self, r: Row, column: int) -> str:
        if column == 0:
            text = r[TEXT]
            return text.replace("\r", "").replace("\n", " \u23ce ") if "\n" in text else text
        if column == 1:
            return r[COMPONENT]
        if column == 2:
            return r[STAMP]
        if column == 3:
            return thread_text(r[THREAD])
        return f"{file_label(r[FILE])}:{r[LINE]}"

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        r = self.row(index.row())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(r, index.column())
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            fg = role == Qt.ItemDataRole.ForegroundRole
            if not r[SEVERITY] and self._highlight is not None and self._highlight(r):
                return _HIGHLIGHT[fg]
            return (_FOREGROUND if fg else _BACKGROUND).get(r[SEVERITY])  # type: ignore[call-overload]
        if role == Qt.ItemDataRole.FontRole:
            return _BOLD if r[SEVERITY] and self._highlight is not None and self._highlight(r) else None
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(r[SEVERITY]) if index.column() == 0 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 0:
                return "\n".join([r[TEXT], *error_lookup(r[TEXT])])
            if index.column() == 4:
                return f"{r[FILE]} line {r[LINE]}"
            return None
        if role == SEVERITY_ROLE:
            return r[SEVERITY]
        return None
