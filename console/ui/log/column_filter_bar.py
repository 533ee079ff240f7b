"""CMTrace's filter as a bar above the rows: a column, an operator (is / is not / contains / before / after) and
a value; conditions add up (all must hold) and are listed, so a user sees why lines are missing.

A bar, not a modal dialog: a person narrowing a log down tries a condition, looks, and tries another.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from console.logs.viewer_rows import COLUMNS, OPERATORS, ColumnFilter

_TIME_OPS = ("before", "after")


class ColumnFilterBar(QWidget):
    """``filtersChanged(list[ColumnFilter])`` after Add or Clear."""

    filtersChanged = Signal(list)

    def __init__(self, show_file: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("columnFilterBar")
        self._filters: list[ColumnFilter] = []
        self.column_combo = QComboBox(self)
        self.column_combo.setObjectName("filterColumnCombo")
        self.column_combo.addItems(list(COLUMNS if show_file else COLUMNS[:4]))
        self.column_combo.setAccessibleName("Filter column")
        self.op_combo = QComboBox(self)
        self.op_combo.setObjectName("filterOperatorCombo")
        self.op_combo.setAccessibleName("Filter operator")
        self.value_edit = QLineEdit(self)
        self.value_edit.setObjectName("filterValueEdit")
        self.value_edit.setAccessibleName("Filter value")
        self.value_edit.setClearButtonEnabled(True)
        self.value_edit.returnPressed.connect(self.add_current)
        add = QPushButton("&Add filter", self)
        add.setObjectName("filterAddButton")
        add.clicked.connect(self.add_current)
        self._clear = QPushButton("C&lear filters", self)
        self._clear.setObjectName("filterClearButton")
        self._clear.clicked.connect(self.clear)
        self.status = QLabel(self)
        self.status.setObjectName("filterStatus")
        self.column_combo.currentTextChanged.connect(self._column_changed)
        self._column_changed(self.column_combo.currentText())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel("Filter:", self))
        layout.addWidget(self.column_combo)
        layout.addWidget(self.op_combo)
        layout.addWidget(self.value_edit, 1)
        layout.addWidget(add)
        layout.addWidget(self._clear)
        layout.addWidget(self.status, 2)
        self._refresh()

    @property
    def filters(self) -> list[ColumnFilter]:
        return list(self._filters)

    def _column_changed(self, column: str) -> None:
        """Before/after only for the time column; the time column shows them first."""
        self.op_combo.clear()
        if column == "Date/Time":
            self.op_combo.addItems([*_TIME_OPS, *(o for o in OPERATORS if o not in _TIME_OPS)])
            self.value_edit.setPlaceholderText("10:23, 10:23:45 or 2000-11-16 10:23")
        else:
            self.op_combo.addItems([o for o in OPERATORS if o not in _TIME_OPS])
            self.value_edit.setPlaceholderText("205 or 0xCD" if column == "Thread" else "text (case ignored)")

    def add(self, column: str, op: str, value: str) -> ColumnFilter | None:
        """Add a condition; a bad one is explained in the bar and not added."""
        try:
            f = ColumnFilter(column, op, value)
        except ValueError as exc:
            self.status.setText(str(exc))
            self.status.setStyleSheet("color: #B00000;")
            return None
        self._filters.append(f)
        self._refresh()
        self.filtersChanged.emit(self.filters)
        return f

    def add_current(self) -> None:
        if self.add(self.column_combo.currentText(), self.op_combo.currentText(), self.value_edit.text()):
            self.value_edit.clear()

    def clear(self) -> None:
        had = bool(self._filters)
        self._filters = []
        self._refresh()
        if had:
            self.filtersChanged.emit([])

    def _refresh(self) -> None:
        self.status.setStyleSheet("")
        self._clear.setEnabled(bool(self._filters))
        if self._filters:
            self.status.setText("Showing lines where " + " and ".join(f.describe() for f in self._filters))
        else:
            self.status.setText("No filter: every line shows")
