"""An inline warning that sits right under the field it is about (KMessageWidget style, built from a QFrame).

Why a painted frame and not a style sheet: a style sheet on the frame would fix one colour scheme and
stop the labels from following the theme. The frame instead paints its own tinted background from the
*current* palette (a little amber mixed into ``QPalette.Window``) and leaves the text in the palette's
``WindowText`` colour, so the contrast of the theme itself carries over to light and dark palettes
alike (``contrast_ratio`` lets the tests check that). Icon plus text, never colour alone.

The banner hides with ``setVisible(False)``; it is placed in a box layout (not a form row), and box
layouts give a hidden widget neither size nor spacing, so hiding it leaves no gap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QVBoxLayout, QWidget

from console.model.advisories import Advisory, Severity
from console.ui.common.wrapped_text_fit import FitsWrappedText

AMBER = QColor(0xE0, 0x9A, 0x00)
RED = QColor(0xD0, 0x30, 0x20)
BLUE = QColor(0x30, 0x70, 0xC0)
TINT = 0.16
"""Share of the accent colour in the background: enough to read as a warning, little enough to keep the
theme's text contrast (checked against Fusion's light palette and a dark palette in the tests)."""

_ACCENT = {Severity.WARNING: AMBER, Severity.ERROR: RED, Severity.INFORMATION: BLUE}
_ICON = {
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.INFORMATION: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


KB_ARCHIVE = "https://jeffpar.github.io/kbarchive/kb/{group}/{kb}/"
"""Public mirror of the old Microsoft KB (research/sms-sender.md §0); microsoft.com no longer serves Q-numbers."""


def kb_url(kb: str) -> str:
    """``Q278357`` -> the archive page of that article."""
    return KB_ARCHIVE.format(group=kb.lstrip("Qq")[:3], kb=kb.upper())


def mix(base: QColor, accent: QColor, share: float) -> QColor:
    """``share`` of ``accent`` over ``base`` (both opaque)."""
    return QColor.fromRgbF(
        base.redF() + (accent.redF() - base.redF()) * share,
        base.greenF() + (accent.greenF() - base.greenF()) * share,
        base.blueF() + (accent.blueF() - base.blueF()) * share,
    )


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG contrast ratio (1..21); 4.5 is the floor for body text."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


class AdvisoryBanner(FitsWrappedText, QFrame):
    """Shows one model ``Advisory`` (or nothing) and offers its one-click fix.

    ``fixRequested(int)`` carries ``advisory.fix_value``; the owner decides what to do with it (the
    sheet sets the spin box, which re-evaluates the rule and hides the banner).
    """

    fixRequested = Signal(int)
    shownChanged = Signal(bool)
    """Emitted when the banner appears or disappears, so the owner can re-fit its window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._advisory: Advisory | None = None
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        self._icon = QLabel(self)
        self._icon.setObjectName("advisoryIcon")
        self._icon.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self._title = QLabel(self)
        self._title.setObjectName("advisoryTitle")
        self._title.setWordWrap(True)
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._text = QLabel(self)
        self._text.setObjectName("advisoryText")
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._kb = QLabel(self)
        self._kb.setObjectName("advisoryKb")
        self._kb.setTextFormat(Qt.TextFormat.RichText)
        self._kb.setOpenExternalLinks(True)
        self._fix = QPushButton(self)
        self._fix.setObjectName("advisoryFixButton")
        self._fix.setAutoDefault(False)  # Enter in the sheet must still mean OK, never "fix"
        self._fix.clicked.connect(self._on_fix)

        text_column = QVBoxLayout()
        text_column.setSpacing(4)
        text_column.addWidget(self._title)
        text_column.addWidget(self._text)
        actions = QHBoxLayout()
        actions.addWidget(self._kb)
        actions.addStretch(1)
        actions.addWidget(self._fix)
        text_column.addLayout(actions)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.setSpacing(8)
        outer.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(text_column, 1)
        self.setVisible(False)

    # -- public ---------------------------------------------------------------------------------

    @property
    def advisory(self) -> Advisory | None:
        return self._advisory

    @property
    def fix_button(self) -> QPushButton:
        return self._fix

    def show_advisory(self, advisory: Advisory | None) -> None:
        """Show ``advisory``, or hide the banner when it is None. Cheap when nothing changed (per keystroke)."""
        if advisory == self._advisory and self.isVisibleTo(self.parentWidget()) == (advisory is not None):
            return
        self._advisory = advisory
        was_shown = not self.isHidden()
        if advisory is None:
            self.setVisible(False)
            self.setAccessibleName("")
            self.setAccessibleDescription("")
            if was_shown:
                self.shownChanged.emit(False)
            return
        size = self.style().pixelMetric(QStyle.PixelMetric.PM_MessageBoxIconSize, None, self)
        self._icon.setPixmap(self.style().standardIcon(_ICON[advisory.severity], None, self).pixmap(size, size))
        self._icon.setAccessibleName(advisory.severity.value.capitalize())
        self._title.setText(advisory.title)
        self._text.setText(advisory.text)
        self._set_kb_link()
        self._kb.setToolTip(f"Opens the public archive copy of Microsoft Knowledge Base article {advisory.kb}.")
        self._fix.setVisible(advisory.fix_value is not None)
        if advisory.fix_value is not None:
            unit = "minute" if advisory.fix_value == 1 else "minutes"
            self._fix.setText(f"Set to &{advisory.fix_value} {unit}")
            self._fix.setToolTip(
                f"Change the value to {advisory.fix_value} {unit}, which {advisory.kb} "
                f"does not affect. Nothing is saved until you click OK or Apply."
            )
            self._fix.setAccessibleName(f"Set to {advisory.fix_value} {unit}")
        self.setAccessibleName(f"{advisory.severity.value.capitalize()} {advisory.kb}")
        self.setAccessibleDescription(f"{advisory.title} {advisory.text}")
        self.setVisible(True)
        if not was_shown:
            self.shownChanged.emit(True)

    def background_color(self) -> QColor:
        accent = _ACCENT[self._advisory.severity] if self._advisory else AMBER
        return mix(self.palette().color(QPalette.ColorRole.Window), accent, TINT)

    def border_color(self) -> QColor:
        return _ACCENT[self._advisory.severity] if self._advisory else AMBER

    # -- sizing ---------------------------------------------------------------------------------

    # -- internals ------------------------------------------------------------------------------

    def _set_kb_link(self) -> None:
        """The link colour is written into the HTML: QLabel takes a link's colour from the *application*
        palette when it parses the text, which is wrong for a themed window; re-set on palette changes."""
        if self._advisory is None:
            return
        colour = self.palette().color(QPalette.ColorRole.Link).name()
        kb = self._advisory.kb
        self._kb.setText(f'<a href="{kb_url(kb)}" style="color: {colour};">KB {kb}</a>')

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._set_kb_link()

    def _on_fix(self) -> None:
        if self._advisory is not None and self._advisory.fix_value is not None:
            self.fixRequested.emit(self._advisory.fix_value)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.border_color(), 1))
        painter.setBrush(self.background_color())
        painter.drawRoundedRect(rect, 4, 4)
        painter.end()
        super().paintEvent(event)
