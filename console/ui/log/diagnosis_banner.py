"""The banner above a log tab's rows: what the diagnosis rules found, one finding at a time, with a way to it.

Why a banner and not a dialog: the finding is about a line of this log, so it sits above the rows and "Show"
selects that line; it stays until closed, and "Next" steps through several findings. The colours are set
explicitly (dark text on a pale amber) so the banner reads the same in a light and a dark palette.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QToolButton, QWidget

from console.logs.diagnosis import Finding
from console.logs.viewer_rows import finding_summary

_STYLE = (
    "QFrame#diagnosisBanner { background: #FFF1C2; border: 1px solid #C79A00; border-radius: 3px; }"
    "QFrame#diagnosisBanner QLabel { color: #1A1A1A; }"
)


class DiagnosisBanner(QFrame):
    """``showFinding(Finding)`` when the user asks to see the line of the finding shown."""

    showFinding = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diagnosisBanner")
        self.setStyleSheet(_STYLE)
        self._findings: list[Finding] = []
        self._current = 0
        icon = QLabel(self)
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(20, 20))
        self._summary = QLabel(self)
        self._summary.setObjectName("diagnosisSummary")
        self._summary.setTextFormat(Qt.TextFormat.PlainText)
        self._summary.setWordWrap(True)
        self._show = QPushButton("&Show", self)
        self._show.setObjectName("diagnosisShowButton")
        self._show.setToolTip("Select the line where this finding starts")
        self._show.clicked.connect(self._emit_show)
        self._next = QPushButton("&Next finding", self)
        self._next.setObjectName("diagnosisNextButton")
        self._next.clicked.connect(self.next_finding)
        close = QToolButton(self)
        close.setObjectName("diagnosisCloseButton")
        close.setAutoRaise(True)
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.setToolTip("Hide the findings of this log")
        close.setAccessibleName("Hide findings")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(icon)
        layout.addWidget(self._summary, 1)
        layout.addWidget(self._show)
        layout.addWidget(self._next)
        layout.addWidget(close)
        self.hide()

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    @property
    def current(self) -> Finding | None:
        return self._findings[self._current] if self._findings else None

    def summary_text(self) -> str:
        return self._summary.text()

    def set_findings(self, findings: list[Finding]) -> None:
        self._findings = list(findings)
        self._current = 0
        self._next.setVisible(len(findings) > 1)
        self._refresh()
        self.setVisible(bool(findings))

    def next_finding(self) -> None:
        if self._findings:
            self._current = (self._current + 1) % len(self._findings)
            self._refresh()

    def _refresh(self) -> None:
        f = self.current
        if f is None:
            self._summary.clear()
            return
        text = finding_summary(f.kb, f.title, f.request, f.time)
        if len(self._findings) > 1:
            text += f"  ({self._current + 1} of {len(self._findings)})"
        self._summary.setText(text)
        self._summary.setToolTip(f"{f.title}\n\n{f.text}")

    def _emit_show(self) -> None:
        if self.current is not None:
            self.showFinding.emit(self.current)
