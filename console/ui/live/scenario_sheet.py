"""The properties sheet of a *scenario's* sender: the real sheet, over the scenario's own sites, in memory.

Why: a scenario's sites are not in the user's site database, so no sheet of the site tree can reach the
engine that runs it. This puts the real ``SenderPropertiesDialog`` (same fields, notes, Q278357 advisory,
Apply semantics) over a ``SiteSession`` on a ``MemoryStore`` built from the scenario and from what the
engine runs *now* (an earlier Apply, a version change). Apply saves to that memory store only, never to
sites.json, and the change reaches the running engine through ``bridge.apply_sender_settings`` (new
threads take it; running threads keep theirs).

Lifetime (decided here): the sheet belongs to one engine. When the bridge replaces the engine (Reset,
another scenario, Back to my site database) the owner closes the sheet, since its values would describe
an engine that no longer runs; a change that still arrives for an old engine is ignored. While the sheet
is open, settings or a sending-site version changed by another route (an Engine action) are copied into
the memory session on each ``sync()``; the sheet then follows them as it follows any session change
(never over the user's unapplied edits).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QWidget

from console.model.memory_store import MemoryStore, scenario_database
from console.model.sender_types import SenderType
from console.model.site_session import SiteChange, SiteSession
from console.ui.live.engine_bridge import EngineBridge
from console.ui.sheet.properties_sheet import SenderPropertiesDialog

SCOPE_TITLE = "scenario, not saved to your site database"


def scope_note(scenario_name: str, site_title: str) -> str:
    return (
        f"{site_title} of scenario \u201c{scenario_name}\u201d. Apply changes the running engine's new "
        "sending threads only and is not saved to your site database."
    )


class ScenarioSenderSheet(QObject):
    """Opens the sheet of the bridge's scenario sender; ``applied`` fires after its Apply reached the engine."""

    applied = Signal()

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scenario = bridge.source.scenario
        if scenario is None:
            raise ValueError("the live engine runs from the site database, not from a scenario")
        self._bridge = bridge
        self._engine = bridge.engine
        engine = self._engine
        db = scenario_database(scenario, settings=engine.settings, version=engine.sending_version)
        self.store = MemoryStore(db)
        self.session = SiteSession(self.store, db)
        self.site_code = scenario.sending_site
        site = db.get(self.site_code)
        self.sheet = SenderPropertiesDialog(
            self.session,
            self.site_code,
            SenderType.STANDARD,
            parent,
            scope_title=f"{site.code} ({SCOPE_TITLE})",
            scope_note=scope_note(scenario.name, site.title),
            heartbeat_timeout_min=round(engine.heartbeat_timeout_s / 60.0),
        )
        self.sheet.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._unsubscribe = self.session.subscribe(self._on_change)
        self.sheet.destroyed.connect(lambda *_: self._unsubscribe())

    @property
    def engine(self) -> object:
        """The engine this sheet was opened for."""
        return self._engine

    def is_current(self) -> bool:
        return self._bridge.engine is self._engine

    def sync(self) -> None:
        """Copy settings or a sending-site version changed by another route into the memory session."""
        if not self.is_current():
            return
        engine = self._engine
        site = self.session.site(self.site_code)
        if site.version != engine.sending_version:
            self.session.edit_site(site.code, site.replace(version=engine.sending_version))
        sender = self.session.site(self.site_code).standard_sender
        if sender.settings != engine.settings:
            self.session.update_sender_settings(self.site_code, SenderType.STANDARD, engine.settings)

    def _on_change(self, change: SiteChange) -> None:
        if (
            change.kind != "settings"
            or change.code != self.site_code
            or change.sender_type is not SenderType.STANDARD
            or change.settings is None
            or not self.is_current()
        ):
            return
        if change.settings != self._engine.settings:
            self._bridge.apply_sender_settings(change.settings)
            self.applied.emit()


__all__ = ["SCOPE_TITLE", "ScenarioSenderSheet", "scope_note"]
