"""The engine toolbar: pause, 1x, 10x, 60x, 600x, run to the next event, and the sending-site combo.

The speed buttons mirror ``bridge.speed`` (a scenario reaching its end pauses itself, and the toolbar must
say so), so they follow ``speedChanged`` rather than remembering what was clicked. A speed given on the
command line that is not one of the buttons (``--speed 5``) leaves no button checked; the status bar still
shows the exact factor.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QComboBox, QLabel, QToolBar, QWidget

from console.model.sites import SiteDatabase
from console.ui.live.engine_bridge import EngineBridge


def speed_label(factor: float) -> str:
    return "Paused" if factor == 0 else f"{factor:g}\u00d7"


class SpeedControls(QToolBar):
    """``siteChosen(code)`` fires when the user picks another sending site in the combo."""

    siteChosen = Signal(str)

    def __init__(self, bridge: EngineBridge, parent: QWidget | None = None) -> None:
        super().__init__("Engine speed", parent)
        self.setObjectName("speedToolBar")
        self.bridge = bridge
        self.group = QActionGroup(self)
        self.group.setExclusive(True)
        self.speed_actions: dict[float, QAction] = {}
        for i, factor in enumerate(EngineBridge.SPEEDS):
            text = "Pause" if factor == 0 else f"{factor:g}\u00d7"
            action = QAction(text, self)
            action.setCheckable(True)
            action.setObjectName("speedPause" if factor == 0 else f"speed{factor:g}x")
            action.setShortcut(QKeySequence(f"Ctrl+{i}"))
            action.setToolTip(
                (
                    "Pause the simulated clock"
                    if factor == 0
                    else f"Run the simulated clock at {factor:g} times real time"
                )
                + f" (Ctrl+{i})"
            )
            action.triggered.connect(lambda _checked=False, f=factor: bridge.set_speed(f))
            self.group.addAction(action)
            self.addAction(action)
            self.speed_actions[factor] = action
        self.step_action = QAction("Run to Next Event", self)
        self.step_action.setObjectName("stepToNextEvent")
        self.step_action.setShortcut(QKeySequence("Ctrl+."))
        self.step_action.setToolTip("Advance the simulated clock exactly to the next scheduled event (Ctrl+.)")
        self.step_action.triggered.connect(bridge.step_to_next_event)
        self.addAction(self.step_action)
        self.addSeparator()
        self.site_label = QLabel(" Sending site: ")
        self.addWidget(self.site_label)
        self.site_combo = QComboBox()
        self.site_combo.setObjectName("sendingSiteCombo")
        self.site_combo.setToolTip(
            "The site whose Standard Sender runs in the live engine; its version decides whether Q278357 applies"
        )
        self.site_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.site_combo.activated.connect(self._on_site_activated)
        self.addWidget(self.site_combo)
        bridge.speedChanged.connect(self._show_speed)
        self._show_speed(bridge.speed)

    def _show_speed(self, factor: float) -> None:
        # A scenario that ran its course is not paused by the user: no button says so (the status bar does).
        action = None if factor == 0.0 and self.bridge.set_by == "end" else self.speed_actions.get(factor)
        if action is not None:
            action.setChecked(True)
        else:
            checked = self.group.checkedAction()
            if checked is not None:
                self.group.setExclusive(False)
                checked.setChecked(False)
                self.group.setExclusive(True)

    def set_sites(self, db: SiteDatabase, current: str, scenario_name: str = "") -> None:
        """Fill the combo from the database; with a scenario loaded it only names the scenario's site."""
        self.site_combo.blockSignals(True)
        self.site_combo.clear()
        if scenario_name:
            self.site_combo.addItem(f"{current} \u00b7 scenario \u201c{scenario_name}\u201d", current)
            self.site_combo.setEnabled(False)
        else:
            for site in db:
                self.site_combo.addItem(f"{site.title} ({site.version.label})", site.code)
            self.site_combo.setEnabled(True)
            index = self.site_combo.findData(current)
            self.site_combo.setCurrentIndex(max(0, index))
        self.site_combo.blockSignals(False)

    def _on_site_activated(self, index: int) -> None:
        code = self.site_combo.itemData(index)
        if code and code != self.bridge.sending_site:
            self.siteChosen.emit(str(code))
