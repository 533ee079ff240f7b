"""The small dialogs behind the Engine menu: Queue Package, Inject Network Outage, Restart Server.

Each one validates as the user types and says what is wrong right under the form (icon + text); OK stays
disabled while anything is invalid, so a click can never hand the engine a value it would refuse. The
dialogs only collect values (``values()``); ``engine_actions`` passes them to the bridge. They are shown
with ``open()`` (window-modal, non-blocking) so the live engine keeps running behind them and tests can
fill them in without a nested event loop.

Destinations are the sites the *engine* sends to (never the sending site itself); the caller passes them.

The fault dialogs (outage, restart) also ask *when*: now, in N simulated minutes, or at a clock time of the
simulated clock (the next time the clock shows it). The caller pauses the engine while a dialog is open (at 60x a
few seconds of reading are minutes) and says so in it (``set_clock_note``), so "now" is the instant the user saw.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, QTime
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from console.model.durations import format_duration, parse_duration
from console.model.scenario import MAX_DURATION_S, MAX_SIZE_KB, PRIORITIES
from console.model.sim_clock import clock_time
from console.model.sites import Site

PACKAGE_ID = re.compile(r"^[A-Z0-9]{8}$")
DEFAULT_SIZE_KB = 10240
DEFAULT_OUTAGE = "90s"
PRIORITY_CHOICES = tuple((name.capitalize(), number) for name, number in PRIORITIES.items())  # High, Medium, Low


def check_package_id(text: str) -> str:
    """Upper-cased package ID, or ValueError saying what an SMS 2.0 package ID looks like."""
    cleaned = text.strip().upper()
    if not cleaned:
        raise ValueError("Enter a package ID, e.g. PRI00001.")
    if not PACKAGE_ID.match(cleaned):
        raise ValueError(
            f"A package ID is 8 letters or digits: the site code and a number, e.g. PRI00001 "
            f"(got {text.strip()!r}, {len(cleaned)} characters)."
        )
    return cleaned


def check_outage(text: str) -> float:
    """Seconds of an outage, or ValueError naming the accepted forms and limits."""
    if not text.strip():
        raise ValueError('Enter how long the link stays down, e.g. "90s", "6m" or "01:30:00".')
    try:
        seconds = parse_duration(text)
    except ValueError:
        raise ValueError(f'{text.strip()!r} is not a duration; write e.g. "90s", "6m", "2h" or "01:30:00".') from None
    if seconds <= 0:
        raise ValueError("The outage must last longer than zero.")
    if seconds > MAX_DURATION_S:
        raise ValueError(f"The outage can last at most {format_duration(MAX_DURATION_S)}.")
    return seconds


def next_package_id(site_code: str, used: Iterable[str]) -> str:
    """The first free ``<site>NNNNN`` ID (PRI00001, PRI00002, ...) not in ``used``."""
    taken = {u.upper() for u in used}
    prefix = site_code.upper()[:3]
    n = 1
    while f"{prefix}{n:05d}" in taken:
        n += 1
    return f"{prefix}{n:05d}"


def site_label(site: Site) -> str:
    return f"{site.code} - {site.name} ({site.server}, SMS {site.version.label})"


class InlineMessage(QWidget):
    """Icon and word-wrapped text under a form: error (blocks OK) or info (explains what OK will do)."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._icon = QLabel(self)
        self.text_label = QLabel(self)
        self.text_label.setObjectName(f"{object_name}Text")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # Room for three lines from the start: a message that grows as the user types would otherwise be
        # clipped (a word-wrapped label's height is not part of the dialog's minimum size) or make it jump.
        self.text_label.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 2)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text_label, 1)
        self.kind = ""

    def show_message(self, text: str, kind: str) -> None:
        icon = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if kind == "error"
            else QStyle.StandardPixmap.SP_MessageBoxInformation
        )
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        self._icon.setPixmap(self.style().standardIcon(icon, None, self).pixmap(size, size))
        self._icon.setAccessibleName("Error" if kind == "error" else "Information")
        self.text_label.setText(text)
        self.kind = kind
        self.setAccessibleDescription(text)

    @property
    def text(self) -> str:
        return self.text_label.text()


class _EngineDialog(QDialog):
    """Form + inline message + OK/Cancel; subclasses implement ``_check() -> (error, info)``."""

    ok_text = "OK"

    def __init__(self, title: str, destinations: Sequence[Site], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.dest_combo = QComboBox(self)
        self.dest_combo.setObjectName("destinationCombo")
        for site in destinations:
            self.dest_combo.addItem(site_label(site), site.code)
        self.dest_combo.setEnabled(bool(destinations))
        self._servers = {site.code: site.server for site in destinations}
        self.message = InlineMessage("engineDialogMessage", self)
        self.clock_note = QLabel(self)
        self.clock_note.setObjectName("engineDialogClockNote")
        self.clock_note.setWordWrap(True)
        self.clock_note.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(self.clock_note)
        outer.addLayout(self.form)
        outer.addWidget(self.message)
        outer.addStretch(1)
        outer.addWidget(self.buttons)
        self.setMinimumWidth(460)

    def set_clock_note(self, text: str) -> None:
        """A line above the form about the simulated clock (e.g. that it is paused while the dialog is open)."""
        self.clock_note.setText(text)
        self.clock_note.setVisible(bool(text))

    @property
    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    @property
    def dest(self) -> str:
        return str(self.dest_combo.currentData() or "")

    def server_of(self, code: str) -> str:
        return self._servers.get(code, code)

    def set_dest(self, code: str) -> None:
        i = self.dest_combo.findData(code.upper())
        if i < 0:
            raise KeyError(f"{code!r} is not a destination of this engine")
        self.dest_combo.setCurrentIndex(i)

    def revalidate(self) -> bool:
        if self.dest_combo.count() == 0:
            error, info = "The sending site has no destination sites to work with.", ""
        else:
            error, info = self._check()
        self.message.show_message(error or info, "error" if error else "info")
        self.message.setVisible(bool(error or info))
        self.ok_button.setEnabled(not error)
        return not error

    def _check(self) -> tuple[str, str]:
        raise NotImplementedError

    def accept(self) -> None:
        if self.revalidate():  # Enter in a field reaches accept() even while OK is disabled
            super().accept()


START_NOW, START_IN, START_AT = range(3)


class _FaultDialog(_EngineDialog):
    """A fault on a destination, now or later: the "Start" row (see the module docstring)."""

    def __init__(
        self, title: str, destinations: Sequence[Site], now: _dt.datetime | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, destinations, parent)
        self._now = now or _dt.datetime(2001, 3, 14, 9, 0, 0)
        self.start_combo = QComboBox(self)
        self.start_combo.setObjectName("startCombo")
        self.start_combo.addItems(["Now", "In (simulated minutes)", "At (simulated clock)"])
        self.start_delay_spin = QSpinBox(self)
        self.start_delay_spin.setObjectName("startDelaySpin")
        self.start_delay_spin.setRange(1, 24 * 60)
        self.start_delay_spin.setValue(5)
        self.start_delay_spin.setSuffix(" min")
        self.start_time_edit = QTimeEdit(self)
        self.start_time_edit.setObjectName("startTimeEdit")
        self.start_time_edit.setDisplayFormat("HH:mm:ss")
        later = self._now + _dt.timedelta(minutes=5)
        self.start_time_edit.setTime(QTime(later.hour, later.minute, 0))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.start_combo)
        row.addWidget(self.start_delay_spin)
        row.addWidget(self.start_time_edit)
        row.addStretch(1)
        self.start_row = row
        self.start_combo.currentIndexChanged.connect(self._show_start_fields)
        self.start_combo.currentIndexChanged.connect(self.revalidate)
        self.start_delay_spin.valueChanged.connect(self.revalidate)
        self.start_time_edit.timeChanged.connect(self.revalidate)
        self._show_start_fields()

    def _add_start_row(self) -> None:
        self.form.addRow("S&tart:", self.start_row)
        label = self.form.labelForField(self.start_row)
        if isinstance(label, QLabel):
            label.setBuddy(self.start_combo)

    def _show_start_fields(self) -> None:
        mode = self.start_combo.currentIndex()
        self.start_delay_spin.setVisible(mode == START_IN)
        self.start_time_edit.setVisible(mode == START_AT)

    def set_start_in(self, minutes: int) -> None:
        self.start_combo.setCurrentIndex(START_IN)
        self.start_delay_spin.setValue(minutes)

    def set_start_at(self, hour: int, minute: int, second: int = 0) -> None:
        self.start_combo.setCurrentIndex(START_AT)
        self.start_time_edit.setTime(QTime(hour, minute, second))

    def start_in_s(self) -> float:
        """Simulated seconds from now until the fault starts (0 = now)."""
        mode = self.start_combo.currentIndex()
        if mode == START_IN:
            return self.start_delay_spin.value() * 60.0
        if mode == START_AT:
            t = self.start_time_edit.time()
            target = self._now.replace(hour=t.hour(), minute=t.minute(), second=t.second(), microsecond=0)
            if target <= self._now:
                target += _dt.timedelta(days=1)  # the next time the clock shows it
            return (target - self._now).total_seconds()
        return 0.0

    def start_words(self) -> str:
        """ "now" or "at 09:20:00 (in 10m)", for the info line."""
        delay = self.start_in_s()
        if delay <= 0:
            return "now"
        when = self._now + _dt.timedelta(seconds=delay)
        day = " tomorrow" if when.date() != self._now.date() else ""
        return f"at {clock_time(when, 0.0)}{day} (in {format_duration(delay)})"


@dataclass(frozen=True)
class QueueRequest:
    package: str
    dest: str
    size_kb: int
    priority: int


class QueuePackageDialog(_EngineDialog):
    """Package ID, destination, size and priority of a new send request."""

    ok_text = "&Queue"

    def __init__(
        self,
        destinations: Sequence[Site],
        sending_site: str,
        used_packages: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Queue Package", destinations, parent)
        self.setObjectName("QueuePackageDialog")
        self._sending = sending_site
        self.package_edit = QLineEdit(next_package_id(sending_site, used_packages), self)
        self.package_edit.setObjectName("packageEdit")
        self.package_edit.setMaxLength(12)  # room to type past 8 and be told why, rather than be cut off
        self.package_edit.setPlaceholderText("e.g. PRI00001")
        self.size_spin = QSpinBox(self)
        self.size_spin.setObjectName("sizeSpin")
        self.size_spin.setRange(1, MAX_SIZE_KB)
        self.size_spin.setValue(DEFAULT_SIZE_KB)
        self.size_spin.setSuffix(" KB")
        self.size_spin.setGroupSeparatorShown(True)
        self.size_spin.setSingleStep(1024)
        self.priority_combo = QComboBox(self)
        self.priority_combo.setObjectName("priorityCombo")
        for name, number in PRIORITY_CHOICES:
            self.priority_combo.addItem(name, number)
        self.priority_combo.setCurrentIndex(self.priority_combo.findData(2))
        self.form.addRow("&Package ID:", self.package_edit)
        self.form.addRow("&Destination:", self.dest_combo)
        self.form.addRow("&Size:", self.size_spin)
        self.form.addRow("P&riority:", self.priority_combo)
        self.package_edit.textChanged.connect(self.revalidate)
        self.size_spin.valueChanged.connect(self.revalidate)
        self.dest_combo.currentIndexChanged.connect(self.revalidate)
        self.priority_combo.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def _check(self) -> tuple[str, str]:
        try:
            package = check_package_id(self.package_edit.text())
        except ValueError as exc:
            return str(exc), ""
        size_mb = self.size_spin.value() / 1024
        return "", (
            f"{self._sending} will send {package} ({size_mb:,.1f} MB) to {self.dest} with "
            f"{self.priority_combo.currentText().lower()} priority as soon as a sending thread is free."
        )

    def values(self) -> QueueRequest:
        return QueueRequest(
            check_package_id(self.package_edit.text()),
            self.dest,
            self.size_spin.value(),
            int(self.priority_combo.currentData()),
        )


class InjectOutageDialog(_FaultDialog):
    """Destination, duration and start of a network outage on the link to it."""

    ok_text = "&Inject"

    def __init__(
        self, destinations: Sequence[Site], parent: QWidget | None = None, *, now: _dt.datetime | None = None
    ) -> None:
        super().__init__("Inject Network Outage", destinations, now, parent)
        self.setObjectName("InjectOutageDialog")
        self.duration_edit = QLineEdit(DEFAULT_OUTAGE, self)
        self.duration_edit.setObjectName("durationEdit")
        self.duration_edit.setPlaceholderText('e.g. "90s", "6m" or "01:30:00"')
        self.form.addRow("&Destination:", self.dest_combo)
        self.form.addRow("D&uration:", self.duration_edit)
        self._add_start_row()
        self.duration_edit.textChanged.connect(self.revalidate)
        self.dest_combo.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def _check(self) -> tuple[str, str]:
        try:
            seconds = check_outage(self.duration_edit.text())
        except ValueError as exc:
            return str(exc), ""
        return "", (
            f"The link to {self.dest} goes down {self.start_words()} for {format_duration(seconds)} of simulated time: "
            f"a transfer in flight fails, and connections to \\\\{self.server_of(self.dest)}\\SMS_SITE "
            f"fail until it is back."
        )

    def values(self) -> tuple[str, float]:
        return self.dest, check_outage(self.duration_edit.text())


class RestartServerDialog(_FaultDialog):
    """Pick a destination server, when, and confirm its restart."""

    ok_text = "&Restart"

    def __init__(
        self, destinations: Sequence[Site], parent: QWidget | None = None, *, now: _dt.datetime | None = None
    ) -> None:
        super().__init__("Restart Server", destinations, now, parent)
        self.setObjectName("RestartServerDialog")
        self.form.addRow("&Destination:", self.dest_combo)
        self._add_start_row()
        self.dest_combo.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def _check(self) -> tuple[str, str]:
        server = self.server_of(self.dest)
        return "", (
            f"Restart {server} {self.start_words()}? Every file open on \\\\{server}\\SMS_SITE is closed (this "
            f"clears a package file left open by a sending thread) and transfers in flight fail and are retried."
        )

    def values(self) -> str:
        return self.dest
