"""The live Sender.log view marks where each engine run starts and shows one run or all of them."""

from __future__ import annotations

from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.ui.log.log_model import LINE_ROLE, RUN_COMPONENT, TEXT_COLUMN, is_console_row


def runs_of(live) -> list[str]:
    model = live.log_view.model()
    return [model.log_row(i).text for i in range(model.rowCount()) if model.log_row(i).component == RUN_COMPONENT]


def test_each_run_starts_with_a_separator_row_that_is_not_in_sender_log(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    bridge.run_for(120.0)
    bridge.load_scenario(load_scenario(resource_path("scenarios", "q278357-sp3.toml")))
    bridge.run_for(60.0)
    live.engine_actions.reset()
    bridge.run_for(60.0)
    assert runs_of(live) == [
        "Engine started: site database, CEN sending with demo traffic",
        "Engine started: scenario \u201cQ278357 on an SP3 site\u201d (PRI sending)",
        "Engine started: scenario \u201cQ278357 on an SP3 site\u201d (PRI sending)",
    ]
    model = live.log_view.model()
    first = model.index(0, TEXT_COLUMN)
    assert first.data() == (
        "\u2500\u2500\u2500 Run 1: Engine started: site database, CEN sending with demo traffic \u2500\u2500\u2500"
    )
    assert first.data(LINE_ROLE).startswith("[Console: new run] ")
    assert "Engine started" not in bridge.log_path.read_text(encoding="utf-8")
    # The old engine's last lines come before the new run's separator, not after it or nowhere.
    rows = [model.log_row(i) for i in range(model.rowCount())]
    second = next(i for i, r in enumerate(rows) if r.component == RUN_COMPONENT and i > 0)
    before = rows[second - 1]
    assert not is_console_row(before) and (before.when.minute, before.when.second) >= (1, 50)


def test_the_run_box_shows_one_run_all_or_the_current_one(console) -> None:
    _window, live, _clock = console
    view = live.log_view
    bridge = live.bridge
    bridge.run_for(120.0)
    all_lines = view.visible_count()
    live.engine_actions.reset()
    bridge.run_for(30.0)
    combo = view.run_combo()
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "All",
        "1: site database, CEN sending with demo traffic",
        "2: site database, CEN sending with demo traffic",
        "Current (follows each new run)",
    ]
    assert not combo.isHidden() and combo.currentText() == "All"

    combo.setCurrentIndex(1)
    combo.activated.emit(1)
    model = view.model()
    assert view.visible_count() == all_lines
    assert model.index(0, TEXT_COLUMN).data().startswith("\u2500\u2500\u2500 Run 1:")

    combo.setCurrentIndex(3)
    combo.activated.emit(3)
    current = view.visible_count()
    assert model.index(0, TEXT_COLUMN).data().startswith("\u2500\u2500\u2500 Run 2:")
    bridge.run_for(30.0)
    assert view.visible_count() > current, "the current run keeps growing"
    live.engine_actions.reset()
    bridge.flush()
    assert model.index(0, TEXT_COLUMN).data().startswith("\u2500\u2500\u2500 Run 3:"), "Current follows a new run"
    assert combo.currentText() == "Current (follows each new run)" and combo.count() == 5

    view.set_filter_text("Found send request")
    assert view.visible_count() == 0, "the filter applies within the chosen run (run 3 has no lines yet)"
    view.set_run(None)
    assert view.visible_count() >= 2 and combo.currentText() == "All"
