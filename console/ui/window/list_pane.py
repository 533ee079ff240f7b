"""The parts the window's two lists (senders, addresses) share: a bold title above, a read-only one-row-at-a-time
list, and a hint shown instead of the list when there is nothing to list."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTreeView, QWidget


def pane_title(parent: QWidget, name: str, text: str = "") -> QLabel:
    """The list's title line: bold plain text."""
    title = QLabel(text, parent)
    title.setObjectName(name)
    title.setTextFormat(Qt.TextFormat.PlainText)
    title.setContentsMargins(4, 2, 4, 2)
    font = title.font()
    font.setBold(True)
    title.setFont(font)
    return title


def pane_view(parent: QWidget, name: str, model: QAbstractItemModel, accessible_name: str) -> QTreeView:
    """A flat list of whole rows, one selected at a time, not editable; columns the user can resize."""
    view = QTreeView(parent)
    view.setObjectName(name)
    view.setModel(model)
    view.setRootIsDecorated(False)
    view.setUniformRowHeights(True)
    view.setAllColumnsShowFocus(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAccessibleName(accessible_name)
    header = view.header()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return view


def pane_hint(parent: QWidget, name: str, text: str = "") -> QLabel:
    """What the pane says instead of an empty list, centred, in the palette's disabled text: visibly a hint."""
    hint = QLabel(text, parent)
    hint.setObjectName(name)
    hint.setWordWrap(True)
    hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
    hint.setContentsMargins(24, 12, 24, 12)
    hint.setEnabled(False)
    return hint
