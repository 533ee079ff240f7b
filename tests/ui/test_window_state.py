"""Console window: state restored across a restart, bad state files kept aside, off-screen windows brought back."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from console.model.paths import AppPaths
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.model.ui_state import UiState, UiStateStore
from console.ui.window.main_window import DEFAULT_MAIN_SPLIT, ConsoleMainWindow, clamp_to_screens
from console.ui.window.site_tree import NodeKind, NodeRef


def _paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "config", tmp_path / "config" / "logs")


def _open(qtbot, paths: AppPaths) -> ConsoleMainWindow:
    """A fresh start: a new session on the same files, as the app does on launch."""
    session = SiteSession.open(SiteStore(paths.sites_file))[0]
    window = ConsoleMainWindow(session, paths)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_geometry_splitters_toolbar_and_selection_survive_a_restart(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    first = _open(qtbot, paths)
    first.toolbar.hide()
    first.setGeometry(40, 50, 700, 560)
    QApplication.processEvents()  # let the layout take the new size before the splitters are set
    first.main_splitter.setSizes([230, 470])
    first.right_splitter.setSizes([200, 300])
    first.senders.view.header().resizeSection(0, 150)
    first.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))
    main_sizes, right_sizes = first.main_splitter.sizes(), first.right_splitter.sizes()
    first.close()
    assert paths.ui_state_file.is_file()

    second = _open(qtbot, paths)
    assert second.geometry() == QRect(40, 50, 700, 560)
    assert second.main_splitter.sizes() == main_sizes
    assert second.right_splitter.sizes() == right_sizes
    assert second.senders.view.header().sectionSize(0) == 150
    assert second.toolbar.isHidden() and not second.action_toggle_toolbar.isChecked()
    assert second.tree.current_node() == NodeRef(NodeKind.SENDERS, "NYC")
    assert second.senders.model.site.code == "NYC"


def test_a_saved_site_that_is_gone_falls_back_to_the_central_site(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    first = _open(qtbot, paths)
    first.tree.select_node(NodeRef(NodeKind.SITE_SETTINGS, "LAB"))
    first.close()
    session = SiteSession.open(SiteStore(paths.sites_file))[0]
    session.remove_site("LAB")  # e.g. removed with another tool between two starts

    second = _open(qtbot, paths)
    assert second.tree.current_node() == NodeRef(NodeKind.SITE, "CEN")


def test_nonsense_node_names_fall_back_to_the_central_site(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    UiStateStore(paths.ui_state_file).save(UiState(selected_site="LAB", selected_node="no-such-kind"))
    window = _open(qtbot, paths)
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "CEN")
    assert window.ui_state_notice is None  # well-formed file, only an unknown value: nothing to report


def test_a_corrupt_state_file_is_kept_aside_and_defaults_are_used(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    paths.ui_state_file.parent.mkdir(parents=True)
    paths.ui_state_file.write_text('{"schema": 1, "geometry": 42', encoding="utf-8")

    window = _open(qtbot, paths)
    kept = list(paths.config_dir.glob("window-state.json.bad-*"))
    assert len(kept) == 1 and kept[0].read_text(encoding="utf-8") == '{"schema": 1, "geometry": 42'
    assert window.ui_state_notice and kept[0].name in window.ui_state_notice
    assert window.statusBar().currentMessage() == window.ui_state_notice
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "CEN")
    assert window.main_splitter.sizes()[0] == DEFAULT_MAIN_SPLIT[0]
    window.close()
    assert UiStateStore(paths.ui_state_file).load().notice is None  # a good file replaces it on close


def test_first_start_fits_the_screen(qtbot, tmp_path) -> None:
    window = _open(qtbot, _paths(tmp_path))
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.contains(window.frameGeometry())
    assert window.width() >= 0.8 * min(area.width(), 1200)


def test_a_window_left_off_screen_comes_back(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    window = _open(qtbot, paths)
    window.setGeometry(6000, 4000, 600, 500)
    window.ensure_on_screen()
    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.contains(window.frameGeometry().topLeft()) and window.width() <= area.width()


def test_clamp_leaves_reachable_windows_alone_and_fits_lost_ones() -> None:
    screens = [QRect(0, 0, 1920, 1080), QRect(1920, 0, 1280, 1024)]
    on_second = QRect(2000, 100, 800, 600)
    assert clamp_to_screens(on_second, screens) == on_second
    hanging_left = QRect(-700, 10, 800, 600)  # 100 px of the title bar still on screen: reachable
    assert clamp_to_screens(hanging_left, screens) == hanging_left
    lost = QRect(-790, 10, 800, 600)
    assert clamp_to_screens(lost, screens) == QRect(0, 0, 800, 600)
    above = QRect(100, -500, 800, 450)  # title bar above every screen
    assert clamp_to_screens(above, screens) == QRect(0, 0, 800, 450)
    huge_and_gone = QRect(9000, 9000, 4000, 3000)
    assert clamp_to_screens(huge_and_gone, screens) == QRect(0, 0, 1920, 1080)
    assert clamp_to_screens(lost, []) == lost


def test_state_save_failure_does_not_stop_closing(qtbot, tmp_path, monkeypatch, capsys) -> None:
    window = _open(qtbot, _paths(tmp_path))

    def refuse(_state) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(window.ui_store, "save", refuse)
    assert window.close()
    assert "window layout not saved" in capsys.readouterr().err


def test_a_run_that_must_not_touch_the_layout_can_skip_saving(qtbot, tmp_path) -> None:
    paths = _paths(tmp_path)
    window = _open(qtbot, paths)
    window.save_state_on_close = False
    window.close()
    assert not paths.ui_state_file.exists()
