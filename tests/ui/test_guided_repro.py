"""The guided "Reproduce Q278357" case: steps tick from frame batches, in order; SP3 ends in error 32, SP4 does not."""

from __future__ import annotations

import pytest
from live_support import FakeClock
from PySide6.QtWidgets import QFrame

from console.engine.guided_story import MAX_WALL_S, ReproStory, dry_run, pacing, wall_seconds
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.guided.guided_repro import GuidedReproPanel, affected_sites
from console.ui.live.engine_bridge import EngineBridge
from console.ui.window.engine_actions import install_engine_actions
from console.ui.window.main_window import ConsoleMainWindow

BUG_STEPS = ["sending", "error", "waiting", "hb_passed", "expired", "left_open", "error32", "restart", "delivered"]
FIXED_STEPS = ["sending", "error", "waiting", "retry", "delivered"]


def kb_scenario(variant: str):
    return load_scenario(resource_path("scenarios", f"q278357-{variant}.toml"))


@pytest.fixture
def wall() -> FakeClock:
    return FakeClock()


@pytest.fixture
def bridge(qtbot, paths, wall):
    session_db = SiteSession.open(SiteStore(paths.sites_file))[0].database
    b = EngineBridge.for_database(session_db, log_path=paths.sender_log, clock=wall)
    yield b
    b.close()


@pytest.fixture
def texts(log_texts) -> list[str]:
    return log_texts


@pytest.fixture
def live(qtbot, paths, bridge):
    session = SiteSession.open(SiteStore(paths.sites_file))[0]
    w = ConsoleMainWindow(session, paths)
    qtbot.addWidget(w)
    actions = install_engine_actions(w, bridge, session)
    w.show()
    qtbot.waitExposed(w)
    return w, actions


def play(bridge: EngineBridge, panel: GuidedReproPanel, step_s: float = 15.0, limit_s: float = 7200.0) -> None:
    """Drive the story frame by frame in virtual time (no wall clock), as the bridge's timer would."""
    while not panel.story.finished and bridge.engine.now < limit_s:
        bridge.run_for(step_s)


# -- pacing -------------------------------------------------------------------------------------------


def test_pacing_fits_the_whole_story_in_under_a_minute() -> None:
    stretches = pacing(kb_scenario("sp3"))
    assert [(s.after, s.speed) for s in stretches] == [(None, 20), ("error", 22), ("expired", 60), ("error32", 285)]
    assert 40 <= wall_seconds(stretches) <= MAX_WALL_S
    fixed = pacing(kb_scenario("sp4"))
    assert [s.after for s in fixed] == [None, "error", "retry"]
    assert 30 <= wall_seconds(fixed) <= MAX_WALL_S


def test_dry_run_times_of_the_kb_story() -> None:
    story = dry_run(kb_scenario("sp3"))
    assert story.bug and list(story.done) == BUG_STEPS
    assert {k: round(v) for k, v in story.done.items()} == {
        "sending": 0,
        "error": 120,
        "waiting": 120,
        "hb_passed": 420,
        "expired": 480,
        "left_open": 480,
        "error32": 1080,
        "restart": 3600,
        "delivered": 4501,
    }
    fixed = dry_run(kb_scenario("sp4"))
    assert not fixed.bug and list(fixed.done) == FIXED_STEPS and fixed.state.error32_count == 0


def test_the_story_follows_the_models_rule(monkeypatch) -> None:
    import console.engine.guided_story as gs

    calls: list[tuple] = []
    monkeypatch.setattr(gs, "q278357_applies", lambda *a: calls.append(a) or False)
    assert not ReproStory(kb_scenario("sp3")).bug  # the rule said no, so the SP3 file gets the fixed story
    assert calls and calls[0][1:] == (6, 5)


# -- the SP3 run --------------------------------------------------------------------------------------


def test_sp3_ticks_every_step_in_order_and_ends_in_error_32_then_delivery(qtbot, live, bridge, texts) -> None:
    _w, actions = live
    panel = actions.reproduce()
    assert panel.isVisible() and panel.objectName() == "guidedReproDock"
    assert bridge.scenario_name == "Q278357 on an SP3 site"
    assert bridge.speed == 20  # the first stretch's pace, set by the panel
    assert "Q278357" in panel.intro.text() and "1 minute longer than the 5-minute" in panel.intro.text()
    assert [panel.row_state(k) for k in BUG_STEPS[:2]] == ["current", "pending"]

    finished: list[bool] = []
    panel.finished.connect(finished.append)
    speeds: dict[str, float] = {}
    while not panel.story.finished and bridge.engine.now < 7200:
        bridge.run_for(15)
        for key in panel.tick_order:
            speeds.setdefault(key, bridge.speed)
    assert panel.tick_order == BUG_STEPS
    assert speeds["error"] == 22 and speeds["error32"] == 285
    assert finished == [True]
    assert bridge.speed == 0 and panel.live.text().endswith("(paused)")  # paused at the end, and says so
    assert all(panel.row_state(k) == "done" for k in BUG_STEPS)
    # the log lines the KB names, in that order, and the delivery after them
    order = [
        t
        for t in texts
        if t in ("Heartbeat is expired.", "Can't re-establish the connection.", "Sending completed successfully")
        or t.endswith("Win32 error = 32.")
    ]
    assert order[:2] == ["Heartbeat is expired.", "Can't re-establish the connection."]
    assert order[2].startswith("Cannot create/open the remote file \\\\LABSRV\\SMS_SITE\\2_001PRI.PCK")
    assert order[-1] == "Sending completed successfully"
    assert panel.contrast_button.isVisible() and panel.contrast_button.text() == "Run the same on S&P4"
    assert "3 failed attempts with error 32" in panel.summary.text()
    # Leaving a finished run (another engine) keeps its summary and reports nothing as stopped.
    bridge.load_scenario(kb_scenario("sp4"))
    assert panel.summary.isVisible() and not panel.problem.isVisible()
    assert panel.live.text().startswith("That run has ended")  # not the old run's clock any more


def test_steps_tick_at_the_frame_that_brings_their_event(live, bridge) -> None:
    _w, actions = live
    panel = actions.reproduce()
    bridge.run_for(119)
    assert panel.tick_order == ["sending"]
    bridge.run_for(1)
    assert panel.tick_order == ["sending", "error", "waiting"]
    bridge.run_for(180)  # t = 300: three minutes into the wait
    assert panel.story.current.key == "hb_passed"
    assert "Heartbeat age 3m of 5m" in panel.live_note()
    bridge.run_for(121)  # t = 421: past the time-out, the thread still asleep
    assert panel.tick_order[-1] == "hb_passed" and panel.story.done["hb_passed"] == 420
    assert "past the time-out" in panel.live_note()
    bridge.run_for(59)  # t = 480: it wakes
    assert panel.tick_order[-2:] == ["expired", "left_open"]
    assert "2_001PRI.PCK is still held open" in panel.live_note()


def test_a_paused_engine_pauses_the_story(live, bridge, wall) -> None:
    _w, actions = live
    panel = actions.reproduce()
    bridge.set_speed(0)
    for _ in range(50):
        wall.t += 0.2
        bridge.tick()
    assert panel.tick_order == [] and bridge.engine.now == 0
    assert "(paused)" in panel.live.text()


def test_the_real_pace_tells_the_story_within_a_minute_of_wall_time(live, bridge, wall) -> None:
    """Drive the bridge's own tick from a fake wall clock at 5 frames a second, as the QTimer would."""
    _w, actions = live
    panel = actions.reproduce()
    began = wall.t
    while not panel.story.finished and wall.t - began < 120:
        wall.t += 0.2
        bridge.tick()
    assert panel.story.finished and panel.tick_order == BUG_STEPS
    assert wall.t - began <= MAX_WALL_S
    assert wall.t - began > 30  # and not a blur either


# -- SP4 for contrast ---------------------------------------------------------------------------------


def test_run_the_same_on_sp4_delivers_without_error_32(qtbot, live, bridge, texts) -> None:
    _w, actions = live
    panel = actions.reproduce()
    play(bridge, panel)
    del texts[:]
    panel.contrast_button.click()
    assert bridge.scenario_name == "Q278357 scenario on an SP4 site (fixed)"
    assert panel.variant == "sp4" and not panel.contrast_button.isVisible()
    frames = [f for f in panel.findChildren(QFrame, "guidedSteps") if f.isVisible()]
    assert frames == [panel.steps_frame]  # the SP3 steps are gone at once, not drawn under the new ones
    assert "where Q278357 is fixed" in panel.intro.text()
    play(bridge, panel)
    assert panel.tick_order == FIXED_STEPS
    assert not any("Win32 error = 32" in t or t == "Heartbeat is expired." for t in texts)
    assert "Operation is retryable." in texts and texts.count("Sending completed successfully") == 1
    assert panel.story.done["delivered"] < 1100 and not panel.problem.isVisible()
    assert panel.contrast_button.text() == "Run the SP&3 case again"
    panel.contrast_button.click()
    assert panel.variant == "sp3" and panel.tick_order == []


# -- interference and the user's own sites ------------------------------------------------------------


def test_reset_replays_the_story_and_another_engine_stops_it(live, bridge) -> None:
    _w, actions = live
    panel = actions.reproduce()
    bridge.run_for(500)
    assert len(panel.tick_order) == 6
    actions.action_reset.trigger()
    assert panel.story is not None and panel.tick_order == [] and panel.row_state("sending") == "current"
    bridge.run_for(130)
    assert panel.tick_order == ["sending", "error", "waiting"]

    bridge.load_scenario(kb_scenario("sp4"))  # not the panel's doing
    assert panel.story is None and panel.problem.isVisible() and "stopped" in panel.problem.text()
    assert panel.contrast_button.text() == "&Start again"
    panel.contrast_button.click()
    assert panel.story is not None and bridge.scenario_name == "Q278357 on an SP3 site"


def test_a_missing_scenario_file_is_reported_not_raised(live, monkeypatch, tmp_path) -> None:
    import console.ui.guided.guided_repro as gr

    _w, actions = live
    monkeypatch.setattr(gr, "scenario_path", lambda variant: tmp_path / "gone.toml")
    before = actions.bridge.scenario_name
    panel = actions.reproduce()
    assert panel.problem.isVisible() and "gone.toml: no such file" in panel.problem.text()
    assert actions.bridge.scenario_name == before


def test_the_end_points_at_the_users_own_affected_sites(live, bridge) -> None:
    _w, actions = live
    assert affected_sites(actions.session.database) == ["LAB - Training Lab (SMS 2.0 SP3, 6-minute delay)"]
    panel = actions.reproduce()
    play(bridge, panel)
    assert "LAB - Training Lab (SMS 2.0 SP3, 6-minute delay)" in panel.summary.text()


def test_packages_queued_by_hand_do_not_tick_the_story(live, bridge) -> None:
    _w, actions = live
    panel = actions.reproduce()
    bridge.queue_package("PRI00099", "LAB", 64, 1)
    bridge.run_for(30)
    by_id = {r.request_id: r.package for r in bridge.engine.requests()}
    assert by_id == {"1_001PRI": "PRI00099", "2_002PRI": "PRI00001"}  # the hand-queued one came first
    assert panel.story.state.request_id == "2_002PRI"  # the story still follows the scenario's package
    assert panel.tick_order == ["sending"]
    bridge.run_for(100)  # the hand-queued package is delivered: that is not the story's delivery
    assert "delivered" not in panel.story.done and panel.tick_order == ["sending", "error", "waiting"]
