"""Leaving the guided Q278357 case gives the user back the speed button they had chosen."""

from __future__ import annotations


def play(bridge, panel, seconds: float = 600.0, until_finished: bool = True) -> None:
    for _ in range(200):
        if panel.story is None or (until_finished and panel.story.finished):
            return
        bridge.run_for(seconds)
        if not until_finished:
            return


def test_back_to_database_after_the_guided_case_restores_the_chosen_speed_button(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    live.controls.speed_actions[10.0].trigger()
    panel = live.engine_actions.reproduce()
    assert bridge.speed not in (0.0, 10.0) and bridge.set_by == "story"
    assert not any(a.isChecked() for a in live.controls.speed_actions.values()), "the odd pace has no button"
    play(bridge, panel)
    assert panel.story.finished and bridge.speed == 0.0
    assert live.back_to_database()
    assert bridge.speed == 10.0 and live.controls.speed_actions[10.0].isChecked()


def test_back_to_database_mid_story_restores_the_chosen_speed(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    live.controls.speed_actions[600.0].trigger()
    panel = live.engine_actions.reproduce()
    play(bridge, panel, 60.0, until_finished=False)
    assert bridge.set_by == "story" and bridge.speed not in live.controls.speed_actions
    assert live.back_to_database()
    assert bridge.speed == 600.0 and live.controls.speed_actions[600.0].isChecked()


def test_closing_the_panel_leaves_the_case_and_a_reset_does_not_replay_it(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    live.controls.speed_actions[60.0].trigger()
    panel = live.engine_actions.reproduce()
    play(bridge, panel, 60.0, until_finished=False)
    assert bridge.set_by == "story"
    panel.close()
    assert panel.story is None
    assert bridge.speed == 60.0 and live.controls.speed_actions[60.0].isChecked()
    live.engine_actions.reset()
    bridge.run_for(120.0)
    assert bridge.speed == 60.0 and panel.story is None, "a closed panel does not take the engine's pace again"


def test_a_user_pause_before_back_stays(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    live.controls.speed_actions[60.0].trigger()
    live.engine_actions.reproduce()
    live.controls.speed_actions[0.0].trigger()
    assert live.back_to_database()
    assert bridge.speed == 0.0 and live.controls.speed_actions[0.0].isChecked()
