"""The "Run" box of the live log view: every run, one run, or the current one (see log_model's console rows).

A run starts where the live engine starts (the app's start, a scenario loaded, a reset, another sending site): the
bridge sends a note, the view shows it as a separator row. The box lists the runs the view still holds by number
(the separator's text is the item's tooltip); "Current" follows the newest run as new ones start. A run whose
lines were dropped keeps its number and its item, marked "(dropped)" or "(partly dropped)".
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QLabel

RUN_PREFIX = "Engine started: "


class RunFilterMixin:
    """The run-choosing half of ``SenderLogView`` (mixed in before QWidget)."""

    def _build_run_box(self) -> None:
        self._run_label = QLabel("R&un:", self)  # type: ignore[call-overload]
        self._run_labels: list[str] = []  # the items' texts, rebuilt only when one changes
        self._run_combo = QComboBox(self)  # type: ignore[call-overload]
        self._run_combo.setObjectName("runCombo")
        self._run_combo.setToolTip("Show the lines of every run, of one run, or of the current run only")
        self._run_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self._run_combo.setMinimumContentsLength(20)  # the Filter box needs room too
        self._run_combo.setMaximumWidth(460)
        self._run_label.setBuddy(self._run_combo)
        self._run_combo.activated.connect(self._on_run_chosen)
        self._run_label.hide()
        self._run_combo.hide()

    def run_combo(self) -> QComboBox:
        return self._run_combo

    def set_run(self, choice: int | str | None) -> None:
        """Show every run (None), run ``choice`` (0-based) or ``"current"``; the combo follows."""
        self.catch_up()
        with self._programmatic_scroll(), self._keeping_current():
            self._model.set_run(choice)
        self._following = True
        self._unseen = 0
        self._scroll_to_end()
        self._update_status()

    @Slot(int)
    def _on_run_chosen(self, index: int) -> None:
        self.set_run(self._run_combo.itemData(index))

    def _update_runs(self) -> None:
        """One combo item per run (All, 1 ... n, Current); shown once the view has runs.

        Every run keeps its number; one whose lines are gone says so (its separator's text is kept).
        """
        model = self._model
        count = model.run_count()
        labels = []
        for i in range(count):
            state = model.run_state(i)
            label = f"{i + 1}: {model.run_title(i).removeprefix(RUN_PREFIX)}"
            labels.append(f"{label} ({state})" if state else label)
        combo = self._run_combo
        if labels != self._run_labels:
            self._run_labels = labels
            combo.blockSignals(True)
            combo.clear()
            if count:
                combo.addItem("All", None)
                for i, label in enumerate(labels):
                    combo.addItem(label, i)
                    tip = model.run_title(i)
                    if model.run_state(i):
                        tip += (
                            f"\n(its lines were {model.run_state(i)} to keep the view within {model.max_lines:,} lines)"
                        )
                    combo.setItemData(i + 1, tip, Qt.ItemDataRole.ToolTipRole)
                combo.addItem("Current (follows each new run)", "current")
            combo.blockSignals(False)
        choice = model.run_choice
        index = 0 if choice is None else combo.findData(choice)
        if index >= 0 and combo.currentIndex() != index:
            combo.setCurrentIndex(index)
        self._run_label.setVisible(bool(count))
        combo.setVisible(bool(count))
