"""Console window: menus, shortcuts, toolbar, File dialogs, Help, About, status bar and the engine tab area."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from console import __version__
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.model.ui_state import UiStateStore
from console.ui.window.main_window import ENGINE_TABS_HINT, ConsoleMainWindow


@pytest.fixture
def window(qtbot, paths) -> ConsoleMainWindow:
    w = ConsoleMainWindow(SiteSession.open(SiteStore(paths.sites_file))[0], paths)
    qtbot.addWidget(w)
    return w


def _menu(menu) -> list[str]:
    return [a.text() if not a.isSeparator() else "-" for a in menu.actions()]


def test_object_name_and_menus(window) -> None:
    assert window.objectName() == "ConsoleMainWindow"
    assert [m.title() for m in (window.menu_file, window.menu_action, window.menu_view, window.menu_help)] == [
        "&File",
        "&Action",
        "&View",
        "&Help",
    ]
    assert _menu(window.menu_file) == ["Open &Scenario\u2026", "Open &Log File\u2026", "-", "E&xit"]
    assert _menu(window.menu_action) == [
        "&Properties",
        "-",
        "&New Site\u2026",
        "&Edit Site\u2026",
        "&Delete Site",
        "-",
        "New &Address\u2026",
        "Delete Add&ress",
    ]
    assert _menu(window.menu_view) == ["&Refresh", "-", "&Toolbar"]
    assert _menu(window.menu_help) == ["&Help Topics", "-", "&About Sender Console"]
    assert [a.text() for a in window.toolbar.actions() if not a.isSeparator()] == [
        "&Properties",
        "&New Site\u2026",
        "&Refresh",
    ]
    assert all(not a.icon().isNull() for a in window.toolbar.actions() if not a.isSeparator())


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        ("action_open_scenario", ["Ctrl+O"]),
        ("action_open_log", ["Ctrl+L"]),
        ("action_exit", ["Ctrl+Q"]),
        ("action_properties", ["Alt+Return", "Alt+Enter"]),
        ("action_new_site", ["Ctrl+N"]),
        ("action_delete_site", ["Del"]),
        ("action_refresh", ["F5"]),
        ("action_help", ["F1"]),
    ],
)
def test_shortcuts(window, name: str, keys: list[str]) -> None:
    action = getattr(window, name)
    assert [s.toString(QKeySequence.SequenceFormat.PortableText) for s in action.shortcuts()] == keys


def test_engine_tabs_start_empty_and_accept_views(window) -> None:
    tabs = window.engine_tabs
    assert tabs.objectName() == "engineTabs" and tabs.count() == 0
    assert tabs.empty_hint == ENGINE_TABS_HINT
    assert window.right_splitter.widget(0) is window.details and window.right_splitter.widget(1) is window.engine_area
    assert window.details.currentWidget() is window.senders
    assert tabs.parentWidget() is window.engine_area
    assert window.main_splitter.widget(0) is window.tree and window.main_splitter.widget(1) is window.right_splitter
    view = QWidget()
    assert window.add_engine_tab(view, "Timers") == 0
    assert tabs.count() == 1 and tabs.tabText(0) == "Timers" and tabs.widget(0) is view


def test_status_bar_clock_and_speed_are_empty_until_set(window) -> None:
    clock = window.findChild(QLabel, "clockLabel")
    speed = window.findChild(QLabel, "speedLabel")
    assert clock.text() == "" and speed.text() == ""
    window.set_clock_text("Wed Mar 14 09:06:00 2001")
    window.set_speed_text("60\u00d7")
    assert clock.text() == "Wed Mar 14 09:06:00 2001" and speed.text() == "60\u00d7"


def test_open_scenario_emits_the_path_and_remembers_the_folder(qtbot, monkeypatch, window, paths, tmp_path) -> None:
    chosen = tmp_path / "runs" / "q278357-sp3.toml"
    asked: list[str] = []

    def fake(_parent, caption, start, filters):
        asked.append(start)
        assert caption == "Open Scenario" and "*.toml" in filters
        return str(chosen), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    with qtbot.waitSignal(window.scenarioFileChosen) as got:
        window.action_open_scenario.trigger()
    assert got.args == [chosen]
    assert asked[0].endswith("scenarios")  # the shipped scenarios on first use
    window.choose_scenario()
    assert asked[1] == str(chosen.parent)
    window.close()
    assert UiStateStore(paths.ui_state_file).load().state.scenario_dir == str(chosen.parent)


def test_open_log_file_emits_the_path(qtbot, monkeypatch, window, paths, tmp_path) -> None:
    chosen = tmp_path / "Sender.lo_"
    starts: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", lambda _p, _c, start, f: (starts.append(start), (str(chosen), f))[1]
    )
    with qtbot.waitSignal(window.logFileChosen) as got:
        window.action_open_log.trigger()
    assert got.args == [chosen] and starts == [str(paths.log_dir)]


def test_cancelled_file_dialogs_emit_nothing(qtbot, monkeypatch, window) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *_a: ("", ""))
    with qtbot.assertNotEmitted(window.scenarioFileChosen), qtbot.assertNotEmitted(window.logFileChosen):
        assert window.choose_scenario() is None and window.choose_log_file() is None


def test_about_shows_the_version_and_cites_q278357(window) -> None:
    window.action_about.trigger()
    about = window.about_dialog
    assert about is not None and about.isVisible() and about.objectName() == "AboutDialog"
    assert about.version_label.text() == f"Version {__version__}"
    assert "Q278357" in about.description_label.text()
    about.accept()
    assert not about.isVisible()


@pytest.mark.qt_log_ignore("does not support raise")  # offscreen cannot raise a window
def test_help_topics_opens_our_help_page(window) -> None:
    window.action_help.trigger()
    viewer = window.findChild(QWidget, "helpViewer")
    assert viewer is not None and viewer.isVisible()
    assert "Q278357" in viewer.browser.toPlainText()
    window.show_help()
    assert window.findChildren(QWidget, "helpViewer") == [viewer]  # reused, not stacked


def test_exit_closes_and_saves_the_state(window, paths) -> None:
    window.show()
    window.action_exit.trigger()
    assert not window.isVisible()
    assert Path(paths.ui_state_file).is_file()


def test_refresh_keeps_the_selection(window) -> None:
    from console.ui.window.site_tree import NodeKind, NodeRef

    window.tree.select_node(NodeRef(NodeKind.SENDERS, "BOS"))
    window.action_refresh.trigger()
    assert window.tree.current_node() == NodeRef(NodeKind.SENDERS, "BOS")
    assert window.senders.model.site.code == "BOS"
