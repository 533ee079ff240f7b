"""OutboxView: the live engine's send requests as Dumpsend shows them (research/sms-sender.md §3.2).

One row per send request of ``engine.requests()``, in arrival order in the model; the view shows them through
``SortedOutboxModel`` (outbox_sorted.py: a sort is one ``list.sort`` over precomputed keys, a frame moves only the
rows whose key changed; a ``QSortFilterProxyModel`` froze the window for seconds at 30,000 requests). Columns
follow Dumpsend's record: Request ID, Package, Destination, Priority, Status (``SREQ_STATUS_*``, or "Waiting
for address" for a request no open address will take), then where the request is on its way (Site that sends
this hop, Hop of the route, Address tried, Waiting: the texts come from the Qt-free ``console.engine.outbox_rows``),
then Total bytes, Bytes left, Sync point, Connects, Heartbeat at, Restart at. Times are the *simulated* clock
(``engine.start + t``), because that is what Sender.log and the timer view show.

Refresh: from the bridge's ``frame`` signal (about 5 Hz), never per engine event. A frame with no events
changes nothing a row shows (every field here moves only when the engine emits something), so empty frames
are skipped. While the view is hidden (another tab is in front) refreshes are deferred to ``showEvent``:
with 200 threads at 600x the outbox holds thousands of rows and nobody is looking.

Updating in place: a refresh reads only the requests that changed since the last one
(``console.engine.outbox_cache``; at 8,000 requests a full snapshot and row-by-row comparison cost ~50-80 ms a
frame, the changes ~1 ms), so its cost follows the changes. The engine never removes a request: new rows come with
``beginInsertRows`` and changed rows with one ``dataChanged`` per contiguous run. No model reset except when the
engine is replaced, so the selection (kept by the sorted model's persistent indexes, even when a frame moves the
row) and the scroll position survive.

Status colours: text and icon, never colour alone. Foreground colours are picked for the palette the view
actually has (light or dark ``Base``), because one fixed green is unreadable on one of the two.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QStyle, QTableView, QVBoxLayout, QWidget

from console.engine.events import RequestStatus
from console.engine.outbox_cache import OutboxRowCache, RowChanges
from console.engine.outbox_order import sort_key
from console.engine.outbox_rows import WAITING_FOR_ADDRESS, OutboxRow, priority_name
from console.model.sim_clock import clock_column, clock_full
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.outbox_sorted import SortedOutboxModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Request ID", "The send request's ID: priority digit, sequence, sending site (Dumpsend: the .SRQ file name)"),
    ("Package", "The package the request sends"),
    ("Destination", "Dest Site: the site the package goes to"),
    ("Priority", "High, Medium or Low (1, 2, 3): higher-priority requests are sent first"),
    (
        "Status",
        "Sender status, as Dumpsend prints it (SREQ_STATUS_...); \u201cWaiting for address\u201d when every "
        "address is closed for the request's priority or none exists (Dumpsend: SREQ_STATUS_NONE)",
    ),
    ("Site", "The site whose own Standard Sender sends this hop (the request ID ends with its code)"),
    (
        "Hop",
        "Which hop of the package's route this request is, from site \u2192 to site; \u2014 for a direct send. "
        "A site without an open address to the destination sends the package one hop along the hierarchy",
    ),
    (
        "Address",
        "The address the sending thread tried: its place in the order the sender tries them (No. 1 = relative "
        "priority 1) and the destination server; \u2014 for the implicit address of a scenario without addresses",
    ),
    ("Waiting", "Why the request is held back: every address closed for its priority (until when), or no address"),
    ("Total bytes", "Total bytes to send"),
    ("Bytes left", "Bytes left to send"),
    ("Sync point", "Sync Point is: bytes confirmed at the destination; a retry resumes from here"),
    ("Connects", "Number of connects: connection attempts so far, across all sending threads"),
    ("Heartbeat at", "Sender gate heartbeat at (simulated clock): when a sending thread last showed it was alive"),
    (
        "Restart at",
        "Scheduler to restart at (simulated clock): when a request given back to pending is offered "
        "to the sender again",
    ),
)
(
    COL_ID,
    COL_PACKAGE,
    COL_DEST,
    COL_PRIORITY,
    COL_STATUS,
    COL_SITE,
    COL_HOP,
    COL_ADDRESS,
    COL_WAITING,
    COL_TOTAL,
    COL_LEFT,
    COL_SYNC,
    COL_CONNECTS,
    COL_HEARTBEAT,
    COL_RESTART,
) = range(len(COLUMNS))
_NUMERIC = {COL_TOTAL, COL_LEFT, COL_SYNC, COL_CONNECTS}


class StatusTone:
    OK = "ok"
    ERROR = "error"
    PENDING = "pending"
    ACTIVE = "active"
    WAITING = "waiting"


_TONE = {
    RequestStatus.OK: StatusTone.OK,
    RequestStatus.ERROR: StatusTone.ERROR,
    RequestStatus.INVALID: StatusTone.ERROR,
    RequestStatus.CANCELLED: StatusTone.ERROR,
    RequestStatus.STARTED: StatusTone.ACTIVE,
    RequestStatus.CONNECTING: StatusTone.ACTIVE,
    RequestStatus.SENDING: StatusTone.ACTIVE,
    RequestStatus.NONE: StatusTone.PENDING,
    RequestStatus.SUSPENDED: StatusTone.PENDING,
}

STATUS_TIPS = {
    RequestStatus.NONE: "Waiting in the outbox for a free sending thread (or for its restart time)",
    RequestStatus.STARTED: "A sending thread has taken the request",
    RequestStatus.CONNECTING: "Connecting to the destination's SMS_SITE share",
    RequestStatus.SENDING: "Writing the package file to the destination",
    RequestStatus.ERROR: "The last attempt failed: the thread waits to retry, or the request went back to pending",
    RequestStatus.INVALID: "The request is invalid",
    RequestStatus.CANCELLED: "Abandoned: the Scheduler gave up on the job after 7 days",
    RequestStatus.SUSPENDED: "Suspended",
    RequestStatus.OK: "Delivered: the package and its instruction file are at the destination",
}

# (on a light Base, on a dark Base): each passes 4.5:1 against white resp. #1e1e1e backgrounds.
_TONE_COLOURS = {
    StatusTone.OK: (QColor(0x1B, 0x6E, 0x32), QColor(0x7B, 0xD8, 0x8F)),
    StatusTone.ERROR: (QColor(0xB0, 0x1E, 0x16), QColor(0xFF, 0x8A, 0x80)),
    StatusTone.ACTIVE: (QColor(0x0B, 0x57, 0xA8), QColor(0x8A, 0xB8, 0xF5)),
}
_TONE_ICONS = {
    StatusTone.OK: QStyle.StandardPixmap.SP_DialogApplyButton,
    StatusTone.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    StatusTone.ACTIVE: QStyle.StandardPixmap.SP_ArrowRight,
    StatusTone.PENDING: QStyle.StandardPixmap.SP_BrowserReload,
    StatusTone.WAITING: QStyle.StandardPixmap.SP_MediaPause,
}

EMPTY_HINT = (
    "No send requests yet. Queue one with Engine \u25b8 Queue Package\u2026 (Ctrl+Shift+P), "
    "or load a scenario with File \u25b8 Open Scenario\u2026"
)


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def tone_colour(tone: str, palette: QPalette) -> QColor | None:
    """The status text colour for this palette; None (the palette's own text colour) for pending."""
    pair = _TONE_COLOURS.get(tone)
    if pair is None:
        return None
    return pair[1] if is_dark(palette) else pair[0]


def format_bytes(n: int) -> str:
    return f"{n:,}"


class OutboxModel(QAbstractTableModel):
    """Rows of ``OutboxRow`` snapshots in arrival order; ``apply`` updates them in place."""

    applied = Signal()
    """After ``apply``'s notices: the sorted model moves a frame's changed rows once, not once per run."""

    def __init__(
        self, palette_source: Callable[[], QPalette], icon_source: Callable[[str], QIcon], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._rows: list[OutboxRow] = []
        self._start = _dt.datetime(2001, 3, 14, 9, 0, 0)
        self._palette = palette_source
        self._icon = icon_source
        self._bold = QFont()
        self._bold.setBold(True)

    # -- updates --------------------------------------------------------------------------------

    def reset(self, requests: Sequence[OutboxRow], start: _dt.datetime) -> None:
        self.beginResetModel()
        self._rows = list(requests)
        self._start = start
        self.endResetModel()

    def apply(self, rows: Sequence[OutboxRow], changes: RowChanges) -> None:
        """Take ``rows`` as ``changes`` describes them: changed rows are reported per run, new ones inserted."""
        if changes.reset:
            self.reset(rows, self._start)
            return
        old = self._rows
        last = self.columnCount() - 1
        for first, end in changes.runs():
            old[first : end + 1] = rows[first : end + 1]
            self.dataChanged.emit(self.index(first, 0), self.index(end, last))
        if len(rows) > len(old):
            self.beginInsertRows(QModelIndex(), len(old), len(rows) - 1)
            old.extend(rows[len(old) :])
            self.endInsertRows()
        self.applied.emit()

    def palette_changed(self) -> None:
        if self._rows:
            roles = [Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole]  # colours only: no re-sort
            self.dataChanged.emit(self.index(0, COL_STATUS), self.index(len(self._rows) - 1, COL_STATUS), roles)

    # -- reading --------------------------------------------------------------------------------

    def rows(self) -> tuple[OutboxRow, ...]:
        """The rows as the model shows them (tests hold them against a full rebuild)."""
        return tuple(self._rows)

    def row_of(self, request_id: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.request_id == request_id), None)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        if role == Qt.ItemDataRole.ToolTipRole:
            return COLUMNS[section][1]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, col: int, role: int) -> Any:
        """``data`` without a model index: the sorted model asks for its rows' cells here, one call each."""
        r = self._rows[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, col)
        if role == SORT_ROLE:
            return sort_key(r, col)
        if role == REQUEST_ID_ROLE:
            return r.request_id
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if col == COL_STATUS:
            tone = StatusTone.WAITING if r.waiting_for_address else _TONE[r.request.status]
            if role == Qt.ItemDataRole.ForegroundRole:
                return tone_colour(tone, self._palette())
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(tone)
            if role == Qt.ItemDataRole.FontRole and tone == StatusTone.ERROR:
                return self._bold
            if role == Qt.ItemDataRole.ToolTipRole:
                if r.waiting_for_address:
                    return f"{WAITING_FOR_ADDRESS}: {r.waiting_tip(self._start)}"
                return STATUS_TIPS[r.request.status]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, col)
        return None

    def _tooltip(self, row: OutboxRow, col: int) -> str | None:
        r = row.request
        if col in (COL_HEARTBEAT, COL_RESTART):
            t = r.heartbeat_at if col == COL_HEARTBEAT else r.restart_at
            return f"{clock_full(self._start, t)} (simulated clock)" if t is not None else None
        if col == COL_SITE:
            return f"{r.site}'s Standard Sender holds this request and sends it with {r.site}'s own settings"
        if col == COL_HOP:
            return row.hop_texts()[1]
        if col == COL_ADDRESS:
            return row.address_texts()[1]
        if col == COL_WAITING:
            return row.waiting_tip(self._start)
        return None

    def _display(self, row: OutboxRow, col: int) -> str:
        r = row.request
        if col == COL_SITE:
            return r.site
        if col == COL_HOP:
            return row.hop_texts()[0]
        if col == COL_ADDRESS:
            return row.address_texts()[0]
        if col == COL_WAITING:
            return row.waiting(self._start)
        if col == COL_ID:
            return r.request_id
        if col == COL_PACKAGE:
            return r.package
        if col == COL_DEST:
            return r.dest
        if col == COL_PRIORITY:
            return priority_name(r.priority)
        if col == COL_STATUS:
            return row.status
        if col == COL_TOTAL:
            return format_bytes(r.total_bytes)
        if col == COL_LEFT:
            return format_bytes(r.bytes_left)
        if col == COL_SYNC:
            return format_bytes(r.sync_point)
        if col == COL_CONNECTS:
            return str(r.connects)
        if col == COL_HEARTBEAT:
            return clock_column(self._start, r.heartbeat_at)
        return clock_column(self._start, r.restart_at)


class OutboxTable(QTableView):
    """The table itself; paints a hint while the outbox is empty (an empty grid reads as "broken")."""

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text))
            painter.drawText(
                self.viewport().rect().adjusted(24, 12, -24, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                EMPTY_HINT,
            )
            painter.end()


class OutboxView(QWidget):
    """The "Outbox" tab of the live console. Reads the requests changed since its last look on frames with events."""

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("OutboxView")
        self._bridge = bridge
        self._dirty = False
        self._rows = OutboxRowCache()
        """The engine's rows, brought up to date from what changed since the last refresh."""
        self.refreshes = 0
        """How many snapshots were taken (tests check that empty frames and hidden tabs cost nothing)."""
        self.model = OutboxModel(self.table_palette, self._status_icon, self)
        self.proxy = SortedOutboxModel(self.model, self)

        self.table = OutboxTable(self)
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # arrival order until a header is clicked
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._size_columns()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

        bridge.frame.connect(self._on_frame)
        bridge.engineReplaced.connect(self._on_engine_replaced)
        self._on_engine_replaced()

    # -- public ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Take a snapshot now (the frame slot calls this; tests and screenshots may too)."""
        self._dirty = False
        self.refreshes += 1
        changes = self._rows.update(self._bridge.engine)  # first: a new run's rows are a new list
        self.model.apply(self._rows.rows, changes)

    def selected_request_ids(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows(COL_ID)
        return [str(i.data(REQUEST_ID_ROLE)) for i in sorted(rows, key=lambda i: i.row())]

    def select_request(self, request_id: str) -> bool:
        row = self.model.row_of(request_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def table_palette(self) -> QPalette:
        return self.table.palette() if hasattr(self, "table") else self.palette()

    # -- slots ----------------------------------------------------------------------------------

    @Slot(object)
    def _on_frame(self, events: list) -> None:
        if not events:
            return
        if not self.isVisible():
            self._dirty = True
            return
        self.refresh()

    @Slot()
    def _on_engine_replaced(self) -> None:
        engine = self._bridge.engine
        self._dirty = False
        self._rows.clear()
        self._rows.update(engine)
        self.model.reset(self._rows.rows, engine.start)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._dirty:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.palette_changed()

    # -- internals ------------------------------------------------------------------------------

    def _status_icon(self, tone: str) -> QIcon:
        return self.style().standardIcon(_TONE_ICONS[tone], None, self)

    def _size_columns(self) -> None:
        fm = self.fontMetrics()
        samples = (
            "2_4O7PRI",
            "PRI00001",
            "Destination",
            "Medium",
            "SREQ_STATUS_CONNECTING",
            "Site",
            "2 of 3+: CHI \u2192 T30",
            "No. 1 of 2, CHISRV01 (rate limit)",
            "closed for low priority until 17:00:00",
            "999,999,999",
            "999,999,999",
            "999,999,999",
            "Connects",
            "03/14 09:00:00",
            "03/14 09:00:00",
        )
        for col, sample in enumerate(samples):
            width = max(fm.horizontalAdvance(sample), fm.horizontalAdvance(COLUMNS[col][0])) + 16
            if col == COL_STATUS:
                width += self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize) + 8
            self.table.setColumnWidth(col, width)
