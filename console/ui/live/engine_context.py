"""The strip above the engine tabs that says, in one sentence, what the live engine is simulating.

Why it exists: the tree and the senders list always show the user's *site database*, while the engine may
run a scenario file whose sites share codes with it (the shipped Q278357 scenario sends PRI -> LAB, and the
demo database has a LAB too). Without this strip a newcomer reads the Timers tab as being about the site
selected in the tree. So the strip names the sending site, its version, the retry settings the engine's
*new* threads take, the heartbeat time-out and where all that came from, and it warns when the Q278357 rule
(``console.model.advisories.q278357_applies``, never re-derived here) applies to the sender that runs, or to any
other site of the run that forwards packages with its own sender: a scenario's sites that have an address
(``from``), or the database's ``q278357_forwarders``. An SP3 child of an SP4 central site strands packages routed
through it, so the warning names that child even though the sending site is fixed.

What it is built from, and why from the engine rather than the database: the engine's ``settings`` are what
the last Apply sent it, its ``sending_version`` follows a site edit (``set_site_version``) and its
``heartbeat_timeout_s`` is a scenario's what-if knob; the database may say something else (a scenario is
not in it at all). Only the sending site's *title* comes from the database engine's source when it has the
site, so a renamed site shows its new name (the engine keeps the ``Site`` it was built with).

The background is painted from the current palette with a little blue (amber on the warning row) mixed in,
as ``AdvisoryBanner`` does, so the text keeps the theme's own contrast; icon plus text, never colour alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QStyle, QVBoxLayout, QWidget

from console.model.advisories import q278357_advisory, q278357_applies, q278357_forwarders
from console.model.sender_settings import SenderSettings
from console.model.versions import SiteVersion
from console.ui.common.wrapped_text_fit import FitsWrappedText
from console.ui.live.engine_bridge import EngineBridge
from console.ui.sheet.advisory_banner import AMBER, BLUE, mix

if TYPE_CHECKING:
    from console.model.scenario import Scenario
    from console.model.sites import SiteDatabase

STRIP_TINT = 0.08
"""Lighter than the advisory banner's tint: the strip is always there, so it must not shout."""
WARNING_TINT = 0.16
BACK_TO_DATABASE = "Back to my site database"
SENDER_PROPERTIES = "Sender &Properties\u2026"


_codes_of: list = [None, ()]
"""The last scenario asked about and its codes (compared by identity: a scenario is never changed in place)."""


def _site_codes(scenario: Scenario) -> tuple[str, ...]:
    """The scenario's site codes, made once per scenario: the strip asks every frame, and a busy one has thousands."""
    if _codes_of[0] is not scenario:
        _codes_of[:] = [scenario, tuple(spec.site.code for spec in scenario.sites)]
    return _codes_of[1]


Forwarder = tuple[str, SiteVersion, int]
"""A site other than the sending one whose own sender trips Q278357: (code, version, retry delay in minutes)."""

_forwarders_of: list = [None, 0, ()]
"""The last scenario and heartbeat time-out asked about and their forwarders (the strip asks every frame)."""


def scenario_forwarders(scenario: Scenario, heartbeat_timeout_min: int) -> tuple[Forwarder, ...]:
    """Sites of ``scenario`` that forward (the [sender] site and every address's ``from``) where Q278357 applies."""
    if _forwarders_of[0] is scenario and _forwarders_of[1] == heartbeat_timeout_min:
        return _forwarders_of[2]
    senders = {scenario.sending_site} | {a.from_site for a in scenario.addresses}
    found = []
    for spec in scenario.sites:
        code = spec.site.code
        if code not in senders:
            continue
        delay = scenario.sender_settings_for(code).retry_delay_min
        if q278357_applies(spec.site.version, delay, heartbeat_timeout_min):
            found.append((code, spec.site.version, delay))
    _forwarders_of[:] = [scenario, heartbeat_timeout_min, tuple(found)]
    return _forwarders_of[2]


def database_forwarders(db: SiteDatabase, heartbeat_timeout_min: int) -> tuple[Forwarder, ...]:
    return tuple(
        (code, db.get(code).version, db.get(code).standard_sender.settings.retry_delay_min)
        for code in q278357_forwarders(db, heartbeat_timeout_min)
    )


def _named(forwarders: tuple[Forwarder, ...]) -> str:
    """ "CHI (SMS 2.0 SP3, 6-minute delay)", joined with commas and "and"; a few named, the rest counted."""
    parts = [f"{code} (SMS {version.label}, {delay}-minute delay)" for code, version, delay in forwarders]
    if len(parts) > SITES_NAMED:
        parts = [*parts[: SITES_NAMED - 1], f"{len(forwarders) - SITES_NAMED + 1} more sites"]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


@dataclass(frozen=True)
class EngineContext:
    """What the live engine runs, as plain values (built by ``of``; compared to skip needless repaints)."""

    site_code: str
    site_title: str
    version: SiteVersion
    settings: SenderSettings
    heartbeat_timeout_min: int
    scenario_name: str = ""
    scenario_sites: tuple[str, ...] = ()
    demo_traffic: bool = True
    forwarders: tuple[Forwarder, ...] = ()
    """Other sites of the run that forward packages with their own sender, where Q278357 applies."""

    @classmethod
    def of(cls, bridge: EngineBridge) -> EngineContext:
        engine = bridge.engine
        source = bridge.source
        site = engine.sending_site
        title = site.title
        if source.database is not None and site.code in source.database:
            title = source.database.get(site.code).title
        scenario = source.scenario
        heartbeat_min = round(engine.heartbeat_timeout_s / 60.0)  # whole minutes in every source
        if scenario is not None:
            forwarders = scenario_forwarders(scenario, heartbeat_min)
        elif source.database is not None:
            forwarders = database_forwarders(source.database, heartbeat_min)
        else:
            forwarders = ()
        return cls(
            site_code=site.code,
            site_title=title,
            version=engine.sending_version,
            settings=engine.settings,
            heartbeat_timeout_min=heartbeat_min,
            scenario_name=scenario.name if scenario is not None else "",
            scenario_sites=_site_codes(scenario) if scenario is not None else (),
            demo_traffic=source.demo_traffic,
            forwarders=tuple(f for f in forwarders if f[0] != site.code),  # the sending site: its own sentence
        )

    @property
    def from_scenario(self) -> bool:
        return bool(self.scenario_sites)

    @property
    def q278357(self) -> bool:
        return q278357_applies(self.version, self.settings.retry_delay_min, self.heartbeat_timeout_min)

    @property
    def summary(self) -> str:
        """The one sentence: who sends, on which version, with which retry settings, from where."""
        s = self.settings
        retries = "1 retry" if s.retries == 1 else f"retries {s.retries}"
        if self.from_scenario:
            origin = f"from scenario \u201c{self.scenario_name}\u201d"
        else:
            origin = "from your site database" + (" \u00b7 demo traffic" if self.demo_traffic else "")
        return (
            f"Simulating the Standard Sender of {self.site_title} (SMS {self.version.label}) \u00b7 "
            f"{retries}, delay {s.retry_delay_min} min \u00b7 "
            f"heartbeat time-out {self.heartbeat_timeout_min} min \u00b7 {origin}"
        )

    @property
    def details(self) -> str:
        """The tooltip: every setting the engine uses, and which threads take them."""
        s = self.settings
        return (
            f"Sending site: {self.site_title}, SMS {self.version.label}\n"
            f"Maximum concurrent sendings: all sites {s.all_sites}, per site {s.per_site}\n"
            f"Number of retries {s.retries}, delay before retrying {s.retry_delay_min} min\n"
            f"Heartbeat time-out {self.heartbeat_timeout_min} min\n\n"
            "Threads that are already sending keep the settings they started with; "
            "new threads take these."
        )

    @property
    def warning(self) -> str:
        """Short, in our words; "" when the rule applies nowhere in the run. The full advisory is the tooltip."""
        own = ""
        if self.q278357:
            own = (
                f"Q278357 applies: the {self.settings.retry_delay_min}-minute retry wait outlasts the "
                f"{self.heartbeat_timeout_min}-minute heartbeat on SMS {self.version.label}, so the first "
                "network error during a send ends it for good."
            )
        if not self.forwarders:
            return own
        they = "it forwards" if len(self.forwarders) == 1 else "they forward"
        if own:
            return f"{own} Q278357 also applies at {_named(self.forwarders)}: packages {they} can be stranded too."
        if self.version.fixes_q278357:
            safe = f"even though {self.site_code} itself runs SMS {self.version.label}"
        else:
            safe = f"even though {self.site_code}'s own {self.settings.retry_delay_min}-minute delay is safe"
        return (
            f"Q278357 applies at {_named(self.forwarders)}: packages {they} can be stranded by one network "
            f"error, {safe}."
        )

    @property
    def warning_details(self) -> str:
        parts = []
        advisory = q278357_advisory(self.version, self.settings.retry_delay_min, self.heartbeat_timeout_min)
        if advisory is not None:
            parts.append(f"{advisory.title}\n\n{advisory.text}")
        for code, version, delay in self.forwarders:
            advisory = q278357_advisory(version, delay, self.heartbeat_timeout_min)
            if advisory is None:
                continue
            parts.append(
                f"At {code}: {advisory.title}\n{code} forwards packages routed through it with its own Standard "
                f"Sender, its own settings and its own version, whatever the sending site runs. {advisory.text}"
            )
        return "\n\n".join(parts)

    @property
    def scenario_note(self) -> str:
        """Why the tree does not show these sites; "" when the engine runs from the site database."""
        if not self.from_scenario:
            return ""
        codes = list(self.scenario_sites)
        if len(codes) > SITES_NAMED:  # a busy scenario has hundreds: name a few, count the rest
            sites = f"{len(codes)} sites: {', '.join(codes[: SITES_NAMED - 1])}, …"
        else:
            sites = ", ".join(codes)
        return (
            f"The scenario's sites ({sites}) are its own and not part of your site database: the site "
            "tree and the senders list above show your site database, which this engine is not using."
        )


SITES_NAMED = 6
"""At most this many scenario site codes are spelled out in the strip; more would push the timers off screen."""


class _TintedFrame(QFrame):
    """A frame that paints ``accent`` mixed into the palette's window colour, with an accent border."""

    def __init__(self, accent: QColor, share: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accent = accent
        self.share = share

    def background_color(self) -> QColor:
        return mix(self.palette().color(QPalette.ColorRole.Window), self.accent, self.share)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(self.accent, 1))
        painter.setBrush(self.background_color())
        painter.drawRect(rect)
        painter.end()
        super().paintEvent(event)


def _wrapping_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return label


class EngineContextStrip(FitsWrappedText, _TintedFrame):
    """Shows an ``EngineContext``: the summary line, the Q278357 warning row, the scenario note and button.

    ``backToDatabase`` fires when the user clicks "Back to my site database" (only offered for a scenario).
    ``senderPropertiesRequested`` fires for "Sender Properties…": the sheet of the sender that runs, which
    the live console opens over the site database or, for a scenario, over the scenario's own sites.
    """

    backToDatabase = Signal()
    senderPropertiesRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(BLUE, STRIP_TINT, parent)
        self.setObjectName("engineContextStrip")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._context: EngineContext | None = None
        self._compact = False
        style = self.style()
        icon_size = style.pixelMetric(QStyle.PixelMetric.PM_SmallIconSize, None, self)

        self._icon = QLabel(self)
        self._icon.setPixmap(
            style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay, None, self).pixmap(icon_size, icon_size)
        )
        self._summary = _wrapping_label(self, "engineContextSummary")
        summary_row = QHBoxLayout()
        summary_row.setSpacing(6)
        summary_row.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        summary_row.addWidget(self._summary, 1)
        self.properties_button = QPushButton(SENDER_PROPERTIES, self)
        self.properties_button.setObjectName("engineSenderPropertiesButton")
        self.properties_button.setAutoDefault(False)
        self.properties_button.clicked.connect(self.senderPropertiesRequested)
        summary_row.addWidget(self.properties_button, 0, Qt.AlignmentFlag.AlignTop)
        self._summary_row = summary_row

        self._warning_row = _TintedFrame(AMBER, WARNING_TINT, self)
        self._warning_row.setObjectName("engineContextWarning")
        warning_icon = QLabel(self._warning_row)
        warning_icon.setPixmap(
            style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning, None, self).pixmap(icon_size, icon_size)
        )
        warning_icon.setAccessibleName("Warning")
        self._warning = _wrapping_label(self._warning_row, "engineContextWarningText")
        font = self._warning.font()
        font.setBold(True)
        self._warning.setFont(font)
        row = QHBoxLayout(self._warning_row)
        row.setContentsMargins(6, 3, 6, 3)
        row.setSpacing(6)
        row.addWidget(warning_icon, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._warning, 1)
        self._warning_row.hide()

        self._scenario_row = QWidget(self)
        self._scenario_row.setObjectName("engineContextScenario")
        self._scenario_note = _wrapping_label(self._scenario_row, "engineContextScenarioNote")
        self.back_button = QPushButton(BACK_TO_DATABASE, self._scenario_row)
        self.back_button.setObjectName("backToDatabaseButton")
        self.back_button.setAutoDefault(False)
        self.back_button.clicked.connect(self.backToDatabase)
        row = QHBoxLayout(self._scenario_row)
        row.setContentsMargins(icon_size + 6, 0, 0, 0)  # the note lines up with the summary's text
        row.setSpacing(8)
        row.addWidget(self._scenario_note, 1)
        row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._scenario_layout = row
        self._scenario_row.hide()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 4, 6, 4)
        outer.setSpacing(4)
        outer.addLayout(summary_row)
        outer.addWidget(self._warning_row)
        outer.addWidget(self._scenario_row)

    # -- public ---------------------------------------------------------------------------------

    @property
    def context(self) -> EngineContext | None:
        return self._context

    @property
    def summary_text(self) -> str:
        return self._summary.text()

    @property
    def warning_text(self) -> str:
        """The warning row's text, or "" while it is hidden."""
        return self._warning.text() if not self._warning_row.isHidden() else ""

    @property
    def scenario_note(self) -> str:
        """The scenario row's text, or "" while it is hidden (in the compact strip it is in the summary's tooltip)."""
        return self._scenario_note.text() if not self._scenario_row.isHidden() else ""

    def show_context(self, context: EngineContext) -> bool:
        """Show ``context``; returns False (and touches nothing) when it is what the strip already shows."""
        if context == self._context:
            return False
        self._context = context
        self._summary.setText(context.summary)
        self._summary.setToolTip(context.details)
        self.setAccessibleName("Live engine")
        self.setAccessibleDescription(context.summary)
        self._warning.setText(context.warning)
        self._warning_row.setToolTip(context.warning_details)
        self._warning_row.setAccessibleDescription(context.warning_details)
        self._warning_row.setVisible(bool(context.warning))
        self._scenario_note.setText(context.scenario_note)
        self._show_scenario_row()
        if context.from_scenario:
            tip = (
                f"Open the Standard Sender properties of the scenario's sending site {context.site_code}; "
                "Apply changes the running engine only, not your site database."
            )
        else:
            tip = f"Open the Standard Sender properties of {context.site_title} from your site database."
        self.properties_button.setToolTip(tip)
        self.updateGeometry()
        return True

    def set_compact(self, compact: bool) -> None:
        """Where the engine area is short (the smallest window), the scenario row gives its lines to the plots:
        its note moves to the summary's tooltip and "Back to my site database" beside "Sender Properties…"; the
        Q278357 warning stays as it is."""
        if compact == self._compact:
            return
        self._compact = compact
        if compact:
            self._summary_row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        else:
            self._scenario_layout.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self._show_scenario_row()
        self.updateGeometry()

    def _show_scenario_row(self) -> None:
        context = self._context
        from_scenario = context is not None and context.from_scenario
        self._scenario_row.setVisible(from_scenario and not self._compact)
        self.back_button.setVisible(from_scenario)
        details = context.details if context is not None else ""
        note = context.scenario_note if from_scenario and context is not None else ""
        self._summary.setToolTip(f"{details}\n\n{note}" if self._compact and note else details)

    @property
    def compact(self) -> bool:
        return self._compact

    def set_back_enabled(self, enabled: bool, why_not: str = "") -> None:
        """Disable "Back to my site database" when there is nothing to go back to (an empty database)."""
        self.back_button.setEnabled(enabled)
        self.back_button.setToolTip(
            "Run the Standard Sender of a site from your site database again, at the same speed" if enabled else why_not
        )

    # -- sizing ---------------------------------------------------------------------------------


__all__ = ["BACK_TO_DATABASE", "SENDER_PROPERTIES", "EngineContext", "EngineContextStrip"]
