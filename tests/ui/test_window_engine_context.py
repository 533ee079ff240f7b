"""What the live engine simulates, made visible: the context strip above the engine tabs, the sending site
marked in the tree and the senders list, "Back to my site database", and the default split of the window."""

from __future__ import annotations

import dataclasses

from live_support import FakeClock
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolBar

from console.model.paths import AppPaths
from console.model.resource_paths import resource_path
from console.model.scenario import load_scenario
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.model.sites import Site, SiteDatabase
from console.model.versions import SiteVersion
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.engine_context import BACK_TO_DATABASE, SENDER_PROPERTIES, EngineContext, EngineContextStrip
from console.ui.live.scenario_sheet import SCOPE_TITLE
from console.ui.sheet.properties_sheet import SenderPropertiesDialog
from console.ui.window.engine_actions import EngineActions
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import DEFAULT_SENDER_ROWS, ConsoleMainWindow
from console.ui.window.senders_list import LIVE_NOTE
from console.ui.window.site_tree import SENDING_NOTE, NodeKind, NodeRef

KB_CASE = resource_path("scenarios", "q278357-sp3.toml")
SP4_CASE = resource_path("scenarios", "q278357-sp4.toml")
DOT = "\u00b7"


def site_item(window: ConsoleMainWindow, code: str):
    return window.tree.tree_model.itemFromIndex(window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, code)))


def bold_sites(window: ConsoleMainWindow) -> list[str]:
    return [code for code in window.session.database.codes if site_item(window, code).font().bold()]


def bold_sender_rows(window: ConsoleMainWindow) -> list[str]:
    model = window.senders.model
    rows = []
    for row in range(model.rowCount()):
        font = model.index(row, 0).data(Qt.ItemDataRole.FontRole)
        if font is not None and font.bold():
            rows.append(model.index(row, 0).data())
    return rows


# -- the strip ------------------------------------------------------------------------------------


def test_database_engine_is_described_and_its_site_marked(console) -> None:
    window, live, _clock = console
    strip = live.context_strip
    assert window.findChild(EngineContextStrip, "engineContextStrip") is strip
    assert strip.summary_text == (
        f"Simulating the Standard Sender of CEN - Central Site (SMS 2.0 SP4) {DOT} "
        f"retries 2, delay 1 min {DOT} heartbeat time-out 5 min {DOT} "
        f"from your site database {DOT} demo traffic"
    )
    # CEN runs SP4, but the demo's LAB forwards with its own SP3 sender and a 6-minute delay.
    assert strip.warning_text == (
        "Q278357 applies at LAB (SMS 2.0 SP3, 6-minute delay): packages it forwards can be stranded by one "
        "network error, even though CEN itself runs SMS 2.0 SP4."
    )
    assert strip.scenario_note == ""
    assert "At LAB:" in strip.findChild(object, "engineContextWarning").toolTip()
    assert "all sites 5, per site 3" in strip.findChild(object, "engineContextSummary").toolTip()
    # The strip sits right above the engine tabs, in the same column.
    column = window.engine_area.layout()
    assert column.itemAt(0).widget() is strip and column.itemAt(1).widget() is window.engine_tabs
    # The tree and the list agree with the engine: CEN sends, its Standard Sender runs.
    assert bold_sites(window) == ["CEN"]
    assert SENDING_NOTE in site_item(window, "CEN").toolTip()
    assert SENDING_NOTE not in site_item(window, "LAB").toolTip()
    window.tree.select_node(NodeRef(NodeKind.SITE, "CEN"))
    assert bold_sender_rows(window) == ["Standard Sender"]
    standard = window.senders.model.index(window.senders.model.row_of(SenderType.STANDARD), 0)
    assert standard.data(Qt.ItemDataRole.ToolTipRole).startswith(LIVE_NOTE)
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))
    assert bold_sender_rows(window) == []


def test_another_sending_site_moves_the_mark_and_warns_about_q278357(console, qtbot) -> None:
    window, live, _clock = console
    with qtbot.waitSignal(live.bridge.engineReplaced):
        live.choose_sending_site("LAB")
    strip = live.context_strip
    assert strip.summary_text.startswith(
        f"Simulating the Standard Sender of LAB - Training Lab (SMS 2.0 SP3) {DOT} retries 2, delay 6 min {DOT}"
    )
    assert strip.warning_text.startswith("Q278357 applies: the 6-minute retry wait outlasts the 5-minute heartbeat")
    assert "SMS 2.0 SP3" in strip.warning_text
    warning_row = strip.findChild(object, "engineContextWarning")
    assert "Win32 error 32" in warning_row.toolTip()  # the model's full advisory, one hover away
    assert bold_sites(window) == ["LAB"]
    assert SENDING_NOTE not in site_item(window, "CEN").toolTip()


def test_settings_applied_and_a_version_edit_update_the_strip(console) -> None:
    window, live, _clock = console
    session = window.session
    cen = session.database.get("CEN")
    session.update_sender_settings("CEN", SenderType.STANDARD, cen.standard_sender.settings.replace(retry_delay_min=7))
    strip = live.context_strip
    assert "delay 7 min" in strip.summary_text
    assert strip.warning_text.startswith("Q278357 applies at LAB")  # SP4 fixed it at CEN, not at LAB
    session.edit_site("CEN", dataclasses.replace(session.database.get("CEN"), version=SiteVersion.SP3))
    assert "(SMS 2.0 SP3)" in strip.summary_text
    assert strip.warning_text.startswith("Q278357 applies: the 7-minute retry wait")
    assert "Q278357 also applies at LAB (SMS 2.0 SP3, 6-minute delay)" in strip.warning_text
    assert bold_sites(window) == ["CEN"]  # the tree was rebuilt; the mark survives it
    # Another site's settings are not the engine's.
    lab = session.database.get("LAB")
    session.update_sender_settings("LAB", SenderType.STANDARD, lab.standard_sender.settings.replace(retry_delay_min=2))
    assert "delay 7 min" in strip.summary_text


def test_a_renamed_sending_site_keeps_sending_under_its_new_code(console) -> None:
    window, live, _clock = console
    session = window.session
    live.choose_sending_site("NYC")
    session.edit_site("NYC", dataclasses.replace(session.database.get("NYC"), code="NYO", name="New York Office 2"))
    assert live.bridge.sending_site == "NYO"
    assert "NYO - New York Office 2" in live.context_strip.summary_text
    assert bold_sites(window) == ["NYO"]


def test_a_change_by_another_route_shows_on_the_next_frame(console) -> None:
    _window, live, _clock = console
    strip = live.context_strip
    before = strip.context
    assert strip.show_context(EngineContext.of(live.bridge)) is False  # same context: nothing redone
    live.bridge.apply_sender_settings(live.bridge.engine.settings.replace(retries=1))
    assert strip.context == before  # not yet: no frame since
    live.bridge.flush()
    assert f"1 retry, delay 1 min {DOT}" in strip.summary_text


# -- scenarios ------------------------------------------------------------------------------------


def test_a_scenario_is_named_and_its_sites_are_said_not_to_be_in_the_database(console) -> None:
    window, live, _clock = console
    assert live.open_scenario(KB_CASE)
    strip = live.context_strip
    assert strip.summary_text == (
        f"Simulating the Standard Sender of PRI - Primary Site (SMS 2.0 SP3) {DOT} "
        f"retries 2, delay 6 min {DOT} heartbeat time-out 5 min {DOT} "
        "from scenario \u201cQ278357 on an SP3 site\u201d"
    )
    assert strip.warning_text.startswith("Q278357 applies:")
    assert "(PRI, LAB)" in strip.scenario_note and "not part of your site database" in strip.scenario_note
    assert strip.back_button.text() == BACK_TO_DATABASE and strip.back_button.isEnabled()
    assert not strip.back_button.isHidden()
    # The database's own LAB is not the scenario's: nothing in the tree or the list is marked.
    assert bold_sites(window) == []
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))
    assert bold_sender_rows(window) == []


def test_a_fixed_version_and_a_what_if_time_out_give_no_warning(console) -> None:
    _window, live, _clock = console
    live.bridge.load_scenario(load_scenario(SP4_CASE))
    strip = live.context_strip
    assert "(SMS 2.0 SP4)" in strip.summary_text and strip.warning_text == ""
    what_if = dataclasses.replace(load_scenario(KB_CASE), heartbeat_timeout_min=10)
    live.bridge.load_scenario(what_if)
    assert f"heartbeat time-out 10 min {DOT}" in strip.summary_text
    assert strip.warning_text == ""  # a 6-minute wait inside a 10-minute heartbeat is safe


def test_back_to_my_site_database_returns_to_the_site_that_ran_at_the_same_speed(console, qtbot) -> None:
    window, live, _clock = console
    live.choose_sending_site("NYC")
    live.open_scenario(KB_CASE)
    live.bridge.set_speed(10.0)
    with qtbot.waitSignal(live.bridge.engineReplaced):
        qtbot.mouseClick(live.context_strip.back_button, Qt.MouseButton.LeftButton)
    assert live.bridge.scenario_name == "" and live.bridge.sending_site == "NYC"
    assert live.bridge.speed == 10.0
    assert live.context_strip.scenario_note == ""
    assert live.context_strip.findChild(object, "engineContextScenario").isHidden()
    assert "NYC - New York Office" in live.context_strip.summary_text
    assert bold_sites(window) == ["NYC"]


def test_back_after_the_scenario_paused_itself_resumes_its_speed_but_a_user_pause_stays(console) -> None:
    _window, live, _clock = console
    bridge = live.bridge
    live.open_scenario(KB_CASE)
    bridge.set_speed(60.0)
    bridge.run_for(3 * 3600.0)  # past the 2 h duration: the bridge pauses itself
    assert bridge.speed == 0.0
    assert live.back_to_database()
    assert bridge.sending_site == "CEN" and bridge.speed == 60.0

    live.open_scenario(KB_CASE)
    bridge.set_speed(0.0)  # the user pauses mid-scenario
    assert bridge.paused_by == "user"
    assert live.back_to_database()
    assert bridge.scenario_name == "" and bridge.speed == 0.0


def test_back_after_the_guided_story_paused_resumes(console, qtbot) -> None:
    """The guided Q278357 run pauses at its last step; leaving it must not leave a newcomer frozen."""
    _window, live, _clock = console
    bridge = live.bridge
    actions = live.window.findChild(EngineActions)
    actions.reproduce()
    panel = actions.guided
    bridge.set_speed(22.0)
    for _ in range(200):
        if panel.story is not None and panel.story.finished:
            break
        bridge.run_for(600.0)
    assert panel.story.finished and bridge.speed == 0.0 and bridge.paused_by == "story"
    assert live.back_to_database()
    assert bridge.scenario_name == "" and bridge.speed > 0.0


def test_back_is_refused_when_the_site_database_is_empty(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    session = SiteSession(SiteStore(paths.sites_file), SiteDatabase())
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    live = attach_live_engine(window, session, paths, speed=0.0, scenario=load_scenario(KB_CASE), clock=FakeClock())
    try:
        button = live.context_strip.back_button
        assert not button.isEnabled() and "no sites" in button.toolTip()
        assert live.back_to_database() is False and live.bridge.scenario_name
    finally:
        live.close()


# -- layout ---------------------------------------------------------------------------------------


def _shown(
    qtbot, paths: AppPaths, width: int = 1280, height: int = 860, font_pt: int | None = None
) -> tuple[ConsoleMainWindow, object]:
    session = SiteSession.open(SiteStore(paths.sites_file))[0]
    window = ConsoleMainWindow(session, paths)
    qtbot.addWidget(window)
    if font_pt is not None:
        font = window.font()
        font.setPointSize(font_pt)
        window.setFont(font)
    window.resize(width, height)
    live = attach_live_engine(window, session, paths, speed=0.0, scenario=load_scenario(KB_CASE), clock=FakeClock())
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    return window, live


def test_default_split_gives_the_timer_view_the_room(qtbot, tmp_path) -> None:
    window, live = _shown(qtbot, AppPaths.resolve(tmp_path / "cfg"))
    try:
        senders, engine = window.right_splitter.sizes()
        wanted = max(window.senders.compact_height(DEFAULT_SENDER_ROWS), window.senders.minimumHeight())
        assert senders == wanted and senders <= 160
        assert engine >= 3 * senders
        view = window.senders.view
        assert view.viewport().height() >= 3 * view.sizeHintForRow(0)  # CEN's three senders, no scrolling
        assert live.timer_view.height() >= 0.6 * window.right_splitter.height()
        # Every line of the strip's wrapped text fits: the strip is at least as tall as its text needs.
        strip = live.context_strip
        assert strip.height() >= strip.heightForWidth(strip.width())
        # Growing the window gives the extra height to the engine tabs, not to the list.
        window.resize(1280, 1000)
        QApplication.processEvents()
        assert window.right_splitter.sizes()[0] == senders
    finally:
        live.close()
        window.save_state_on_close = False
        window.close()


def test_a_saved_layout_wins_over_the_default_split(qtbot, tmp_path) -> None:
    paths = AppPaths.resolve(tmp_path / "cfg")
    first, live = _shown(qtbot, paths)
    first.right_splitter.setSizes([400, sum(first.right_splitter.sizes()) - 400])
    saved = first.right_splitter.sizes()
    live.close()
    first.close()  # saves the layout

    second, live = _shown(qtbot, paths)
    try:
        assert second.right_splitter.sizes() == saved
    finally:
        live.close()
        second.save_state_on_close = False
        second.close()


def test_default_split_follows_the_font_size(qtbot, tmp_path) -> None:
    """With a large font the list needs more than its minimum height; it gets it from the first frame on."""
    window, live = _shown(qtbot, AppPaths.resolve(tmp_path / "cfg"), font_pt=16)
    try:
        wanted = window.senders.compact_height(DEFAULT_SENDER_ROWS)
        assert wanted > window.senders.minimumHeight()
        assert window.right_splitter.sizes()[0] == wanted
    finally:
        live.close()
        window.save_state_on_close = False
        window.close()


def test_the_engine_toolbars_come_back_where_they_were(qtbot, tmp_path) -> None:
    """They are added after the window restored its state; their saved visibility must still be applied."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    first, live = _shown(qtbot, paths)
    first.findChild(QToolBar, "speedToolBar").hide()
    live.close()
    first.close()

    second, live = _shown(qtbot, paths)
    try:
        assert second.findChild(QToolBar, "speedToolBar").isHidden()
        assert not second.toolbar.isHidden()
    finally:
        live.close()
        second.save_state_on_close = False
        second.close()


# -- "Sender Properties…": the sheet of the sender that runs ----------------------------------------


def _scenario_sheet(live, qtbot):
    qtbot.mouseClick(live.context_strip.properties_button, Qt.MouseButton.LeftButton)
    link = live.scenario_sheet
    assert link is not None and link.sheet.isVisible()
    return link.sheet


def test_the_scenario_senders_sheet_applies_to_the_running_engine_and_never_to_sites_json(console, qtbot) -> None:
    window, live, _clock = console
    sites_file = window.session.store.path
    before = sites_file.read_bytes()
    assert live.open_scenario(KB_CASE)
    bridge = live.bridge
    bridge.run_for(5.0)
    running = {t.request_id: t.settings.retry_delay_min for t in bridge.engine.threads()}
    assert running and set(running.values()) == {6}

    strip = live.context_strip
    assert (
        strip.properties_button.text() == SENDER_PROPERTIES
        and "not your site database" in strip.properties_button.toolTip()
    )
    sheet = _scenario_sheet(live, qtbot)
    assert isinstance(sheet, SenderPropertiesDialog) and sheet.objectName() == "SenderPropertiesDialog"
    assert sheet.site_code == "PRI" and sheet.windowTitle().endswith(f"PRI ({SCOPE_TITLE})")
    assert "not saved to your site database" in sheet.scope_label.text()
    assert "Q278357 on an SP3 site" in sheet.scope_label.text()
    assert sheet.general_page.values["senderSite"].text() == "PRI - Primary Site"
    assert "2.0 SP3" in sheet.general_page.values["senderVersion"].text()
    page = sheet.advanced_page
    assert page.spins["retry_delay_min"].value() == 6 and not page.advisory.isHidden()

    sheet.show_advanced()
    qtbot.mouseClick(page.advisory.fix_button, Qt.MouseButton.LeftButton)  # "Set to 5 minutes"
    assert page.spins["retry_delay_min"].value() == 5 and page.advisory.isHidden()
    assert bridge.engine.settings.retry_delay_min == 6  # nothing reaches the engine before Apply
    qtbot.mouseClick(sheet.apply_button, Qt.MouseButton.LeftButton)
    assert bridge.engine.settings.retry_delay_min == 5
    assert strip.warning_text == "" and "delay 5 min" in strip.summary_text
    # New threads take it, running ones keep theirs; the site file and the database are untouched.
    rid = bridge.queue_package("PRI09999", "LAB", 64, 1)
    bridge.run_for(1.0)
    now = {t.request_id: t.settings.retry_delay_min for t in bridge.engine.threads()}
    assert now[rid] == 5 and all(now[r] == 6 for r in running if r in now)
    assert sites_file.read_bytes() == before
    assert "PRI" not in window.session.database
    assert live.scenario_sheet.store.saves == 1
    # The button raises the same sheet again rather than opening a second one.
    assert live.open_engine_sheet() is sheet


def test_a_database_site_coded_like_the_scenario_sender_does_not_reach_the_scenario(console) -> None:
    window, live, _clock = console
    session = window.session
    session.add_site(Site("PRI", "Primary in my database", "PRIDB", SiteVersion.SP4, "CEN"))
    live.open_scenario(KB_CASE)
    engine = live.bridge.engine
    session.update_sender_settings("PRI", SenderType.STANDARD, SenderSettings(retries=1, retry_delay_min=2))
    session.edit_site("PRI", session.site("PRI").replace(version=SiteVersion.SP4))
    lab = session.site("LAB")
    session.edit_site("LAB", lab.replace(version=SiteVersion.SP4))
    assert live.bridge.engine is engine
    assert engine.settings == SenderSettings(retries=2, retry_delay_min=6)
    assert engine.sending_version is SiteVersion.SP3
    assert live.context_strip.warning_text.startswith("Q278357 applies:")
    assert live.open_engine_sheet().advanced_page.spins["retries"].value() == 2


def test_in_database_mode_the_button_opens_the_sending_sites_own_sheet(console, qtbot) -> None:
    window, live, _clock = console
    live.choose_sending_site("LAB")
    before = window.session.store.path.read_text()
    qtbot.mouseClick(live.context_strip.properties_button, Qt.MouseButton.LeftButton)
    sheets = window.open_sheets()
    try:
        assert list(sheets) == [("LAB", SenderType.STANDARD)] and live.scenario_sheet is None
        sheet = sheets[("LAB", SenderType.STANDARD)]
        assert sheet.windowTitle() == "Standard Sender Properties" and sheet.scope_label is None
        sheet.advanced_page.spins["retry_delay_min"].setValue(4)
        assert sheet.apply()
        assert live.bridge.engine.settings.retry_delay_min == 4
        assert live.context_strip.warning_text == ""
        assert window.session.store.path.read_text() != before
        assert (
            SiteStore(window.session.store.path).load().database.get("LAB").standard_sender.settings.retry_delay_min
            == 4
        )
    finally:
        for sheet in sheets.values():
            sheet.close()


def test_the_scenario_sheet_follows_other_routes_and_closes_with_its_engine(console, qtbot) -> None:
    _window, live, _clock = console
    live.open_scenario(KB_CASE)
    sheet = _scenario_sheet(live, qtbot)
    delay = sheet.advanced_page.spins["retry_delay_min"]
    live.bridge.apply_sender_settings(live.bridge.engine.settings.replace(retries=1))
    live.bridge.flush()
    assert sheet.advanced_page.spins["retries"].value() == 1 and sheet.saved_settings.retries == 1
    live.bridge.engine.set_site_version("PRI", SiteVersion.SP4)
    live.bridge.flush()
    assert sheet.general_page.values["senderVersion"].text().startswith("2.0 SP4")
    assert sheet.advanced_page.advisory.isHidden() and delay.value() == 6
    # Reset rebuilds the engine from the file: this sheet's engine is gone, so the sheet goes too.
    with qtbot.waitSignal(sheet.finished):
        live.bridge.reset()
    assert live.scenario_sheet is None
    again = _scenario_sheet(live, qtbot)
    assert again is not sheet and again.advanced_page.spins["retries"].value() == 2
    live.back_to_database()
    assert live.scenario_sheet is None


def test_the_scenario_sheet_warns_with_the_scenarios_own_heartbeat(console, qtbot) -> None:
    _window, live, _clock = console
    live.bridge.load_scenario(dataclasses.replace(load_scenario(KB_CASE), heartbeat_timeout_min=10))
    sheet = _scenario_sheet(live, qtbot)
    assert sheet.advanced_page.advisory.isHidden()  # 6 minutes inside a 10-minute heartbeat
    sheet.advanced_page.spins["retry_delay_min"].setValue(11)
    assert not sheet.advanced_page.advisory.isHidden()


def test_a_scenario_with_hundreds_of_sites_names_a_few_and_counts_them(console) -> None:
    _window, live, _clock = console
    busy = resource_path("scenarios", "busy-hierarchy.toml")
    assert live.open_scenario(busy)
    n = len(load_scenario(busy).sites)
    note = live.context_strip.scenario_note
    assert n > 100 and f"({n} sites: " in note and note.count(",") < 10 and len(note) < 300


# -- Q278357 at the sites that forward ----------------------------------------------------------------------------


def _strip_for(qtbot, name: str) -> tuple[EngineContextStrip, EngineContext]:
    bridge = EngineBridge.for_scenario(load_scenario(resource_path("scenarios", f"{name}.toml")), clock=lambda: 0.0)
    try:
        bridge.run_for(60)
        strip = EngineContextStrip()
        qtbot.addWidget(strip)
        context = EngineContext.of(bridge)
        strip.show_context(context)
        return strip, context
    finally:
        bridge.close()


def test_the_strip_warns_about_chi_forwarding_for_an_sp4_central_site(qtbot) -> None:
    strip, context = _strip_for(qtbot, "q278357-intermediate")
    assert "Central Site (SMS 2.0 SP4)" in strip.summary_text
    assert not context.q278357  # CEN's own sender is fixed
    assert [code for code, *_ in context.forwarders] == ["CHI"]
    assert strip.warning_text == (
        "Q278357 applies at CHI (SMS 2.0 SP3, 6-minute delay): packages it forwards can be stranded by one "
        "network error, even though CEN itself runs SMS 2.0 SP4."
    )
    details = strip.findChild(object, "engineContextWarning").toolTip()
    assert details.startswith("At CHI:") and "Win32 error 32" in details
    assert "T30" not in strip.warning_text  # T30 has no address: it forwards nothing


def test_the_strip_says_nothing_extra_when_every_sender_is_fixed(qtbot) -> None:
    strip, context = _strip_for(qtbot, "q278357-sp4")
    assert context.forwarders == () and strip.warning_text == ""
    strip, context = _strip_for(qtbot, "q278357-sp3")  # the sending site's own sentence, nothing more
    assert context.forwarders == ()
    assert strip.warning_text.startswith("Q278357 applies: the 6-minute retry wait")
    assert "also applies" not in strip.warning_text
