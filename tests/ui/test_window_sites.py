"""Console window: adding, editing and deleting sites through SiteDialog and the session, persisted on disk."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from console.model.paths import AppPaths
from console.model.sender_settings import SenderSettings
from console.model.sender_types import SenderType
from console.model.site_store import SiteStore
from console.model.versions import SiteVersion
from console.ui.window.site_dialog import NO_PARENT, SiteDialog
from console.ui.window.site_tree import NodeKind, NodeRef


def _on_disk(paths: AppPaths):
    """What a restarted app would see: a new SiteStore on the same file."""
    return SiteStore(paths.sites_file).load().database


def _retype(qtbot, edit, text: str) -> None:
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClicks(edit, text)


# ----------------------------------------------------------------- the dialog on its own


def test_a_fresh_dialog_prompts_instead_of_scolding(qtbot, session) -> None:
    dialog = SiteDialog(session.database)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "New Site"
    assert not dialog.ok_button.isEnabled()
    assert dialog.error.kind == "info" and "three letters or digits" in dialog.error_text()
    assert dialog.version_combo.currentData() is SiteVersion.SP4
    assert dialog.parent_combo.currentData() == "CEN"  # the central site, when nothing else is asked for


@pytest.mark.parametrize(
    ("field", "text", "says"),
    [
        ("code", "AB", "must be exactly three letters or digits"),
        ("code", "A-B", "must be exactly three letters or digits"),
        ("code", "lab", "Site code LAB is already in use."),
        ("server", "BAD/NAME", "contains '/'"),
        ("server", "SIXTEENCHARSLONG", "longer than 15 characters"),
    ],
)
def test_model_errors_show_inline_and_disable_ok(qtbot, session, field: str, text: str, says: str) -> None:
    dialog = SiteDialog(session.database)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code_edit, "NEW")
    qtbot.keyClicks(dialog.server_edit, "NEWSRV")
    assert dialog.ok_button.isEnabled() and dialog.error_text() == ""
    _retype(qtbot, dialog.code_edit if field == "code" else dialog.server_edit, text)
    assert says in dialog.error_text()
    assert dialog.error.kind == "error" and dialog.error_text()[0].isupper()
    assert not dialog.ok_button.isEnabled() and dialog.result_site is None
    dialog.accept()  # Enter while invalid does nothing
    assert dialog.result() != QDialog.DialogCode.Accepted.value


def test_a_bad_code_is_flagged_before_the_server_is_filled_in(qtbot, session) -> None:
    dialog = SiteDialog(session.database)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code_edit, "CH")
    assert dialog.error.kind == "error" and "three letters or digits" in dialog.error_text()
    qtbot.keyClicks(dialog.code_edit, "I")
    assert dialog.error.kind == "info" and "site server" in dialog.error_text()
    assert not dialog.ok_button.isEnabled()


def test_code_is_upper_cased_as_typed(qtbot, session) -> None:
    dialog = SiteDialog(session.database)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.code_edit, "chi")
    assert dialog.code_edit.text() == "CHI"


def test_editing_cannot_pick_itself_or_a_descendant_as_parent(qtbot, session) -> None:
    dialog = SiteDialog(session.database, session.site("NYC"))
    qtbot.addWidget(dialog)
    choices = [dialog.parent_combo.itemData(i) for i in range(dialog.parent_combo.count())]
    assert choices == [None, "CEN", "LAB"]  # not NYC itself, not BOS below it
    assert dialog.parent_combo.itemText(0) == NO_PARENT
    assert dialog.ok_button.isEnabled() and dialog.result_site == session.site("NYC")


# ----------------------------------------------------------------- through the window


def _fake_exec(fill):
    """Replace SiteDialog.exec: fill the form like a user, press OK if it is enabled."""
    seen: list[SiteDialog] = []

    def run(dialog: SiteDialog) -> int:
        seen.append(dialog)
        fill(dialog)
        if dialog.ok_button.isEnabled():
            dialog.accept()
        else:
            dialog.reject()
        return dialog.result()

    return run, seen


def test_new_site_goes_under_the_selected_site_and_is_saved(qtbot, monkeypatch, window, paths) -> None:
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))

    def fill(d: SiteDialog) -> None:
        qtbot.keyClicks(d.code_edit, "chi")
        qtbot.keyClicks(d.name_edit, "Chicago")
        qtbot.keyClicks(d.server_edit, "CHISRV01")
        d.version_combo.setCurrentIndex(d.version_combo.findData(SiteVersion.SP2))

    run, seen = _fake_exec(fill)
    monkeypatch.setattr(SiteDialog, "exec", run)
    window.action_new_site.trigger()
    assert seen[0].parent_combo.currentData() == "NYC"
    site = _on_disk(paths).get("CHI")
    assert (site.name, site.server, site.version, site.parent) == ("Chicago", "CHISRV01", SiteVersion.SP2, "NYC")
    assert [(s.type, s.server, s.settings) for s in site.senders] == [
        (SenderType.STANDARD, "CHISRV01", SenderSettings()),
        (SenderType.COURIER, "CHISRV01", SenderSettings()),
    ]
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "CHI")
    assert window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "CHI")).parent().data() == "NYC - New York Office"
    assert window.senders.model.rowCount() == 2


def test_cancelled_new_site_changes_nothing(qtbot, monkeypatch, window, paths) -> None:
    before = _on_disk(paths).codes
    run, _seen = _fake_exec(lambda d: qtbot.keyClicks(d.code_edit, "XY"))  # invalid: OK stays disabled
    monkeypatch.setattr(SiteDialog, "exec", run)
    assert window.new_site() is None
    assert _on_disk(paths).codes == before


def test_edit_renames_code_changes_version_and_children_follow(qtbot, monkeypatch, window, paths) -> None:
    window.tree.select_node(NodeRef(NodeKind.SENDERS, "NYC"))

    def fill(d: SiteDialog) -> None:
        assert d.windowTitle() == "Edit Site \u2014 NYC - New York Office"
        _retype(qtbot, d.code_edit, "NYK")
        _retype(qtbot, d.server_edit, "NYKSRV01")
        d.version_combo.setCurrentIndex(d.version_combo.findData(SiteVersion.SP3))
        # Delay 6 on an SP3 site: the dialog says Q278357 will apply, but does not block.
        assert "Q278357" in d.advisory.text() and d.advisory.kind == "warning"

    run, _seen = _fake_exec(fill)
    monkeypatch.setattr(SiteDialog, "exec", run)
    window.action_edit_site.trigger()
    db = _on_disk(paths)
    assert "NYC" not in db and db.get("NYK").version is SiteVersion.SP3
    assert db.get("BOS").parent == "NYK"
    assert {s.server for s in db.get("NYK").senders} == {"NYKSRV01"}  # senders on the old server followed it
    assert window.tree.current_node() == NodeRef(NodeKind.SENDERS, "NYK")  # the selection followed the rename
    bos = window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "BOS"))
    assert bos.parent().data() == "NYK - New York Office"
    assert "Q278357" in window.senders.advisory_text


def test_delete_asks_first_and_selects_the_parent(monkeypatch, window, paths) -> None:
    asked: list[str] = []

    def answer(reply):
        def question(_parent, _title, text, *_a):
            asked.append(text)
            return reply

        return question

    window.tree.select_node(NodeRef(NodeKind.SITE_SETTINGS, "BOS"))
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert window.delete_site() is False
    assert "BOS" in _on_disk(paths) and "BOS - Boston Branch" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert window.delete_site() is True
    assert "BOS" not in _on_disk(paths)
    assert not window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "BOS")).isValid()
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "NYC")


def test_delete_is_refused_while_the_site_has_children(monkeypatch, window, paths) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("must not ask when it cannot delete"))
    window.tree.select_node(NodeRef(NodeKind.SITE, "NYC"))
    assert window.delete_site() is False
    assert "NYC" in _on_disk(paths)
    assert "BOS - Boston Branch" in warned[0] and "cannot be deleted" in warned[0]


def test_del_key_in_the_tree_deletes_the_selected_site(qtbot, monkeypatch, window, paths) -> None:
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Delete)
    assert "LAB" not in _on_disk(paths)
    assert window.tree.current_node() == NodeRef(NodeKind.SITE, "CEN")


def test_a_failed_save_is_reported_and_nothing_changes(monkeypatch, window, session, paths) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *_a: errors.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)

    def refuse(_db) -> None:
        raise PermissionError(13, "Permission denied", str(paths.sites_file))

    monkeypatch.setattr(session.store, "save", refuse)
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))
    assert window.delete_site() is False
    assert "Permission denied" in errors[0] and "Nothing was changed" in errors[0]
    assert "LAB" in session.database and "LAB" in _on_disk(paths)
    assert window.tree.tree_model.index_of(NodeRef(NodeKind.SITE, "LAB")).isValid()


def test_a_site_with_an_open_sheet_cannot_be_edited_or_deleted(monkeypatch, window, paths) -> None:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: told.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: pytest.fail("must not offer to delete"))
    monkeypatch.setattr(SiteDialog, "exec", lambda _d: pytest.fail("must not open the dialog"))
    window.tree.select_node(NodeRef(NodeKind.SITE, "LAB"))
    sheet = window.open_properties("LAB", SenderType.STANDARD)
    assert sheet is not None
    assert window.delete_site() is False and window.edit_site() is None
    assert len(told) == 2 and "Standard Sender" in told[0] and "LAB - Training Lab" in told[0]
    assert "LAB" in _on_disk(paths)


def test_clearing_the_name_in_edit_site_is_refused_with_a_note(qtbot, session) -> None:
    dialog = SiteDialog(session.database, session.site("LAB"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.ok_button.isEnabled() and dialog.name_note.isHidden()
    _retype(qtbot, dialog.name_edit, "")
    assert not dialog.ok_button.isEnabled() and dialog.result_site is None
    assert not dialog.name_note.isHidden() and "needs a name" in dialog.name_note.text
    dialog.accept()  # Enter does nothing either
    assert dialog.result() != QDialog.DialogCode.Accepted.value
    qtbot.keyClicks(dialog.name_edit, "Lab")
    assert dialog.ok_button.isEnabled() and dialog.name_note.isHidden() and dialog.result_site.name == "Lab"


def test_a_new_site_name_typed_and_emptied_is_refused_too(qtbot, session) -> None:
    dialog = SiteDialog(session.database)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.code_edit, "NEW")
    qtbot.keyClicks(dialog.server_edit, "NEWSRV")
    assert dialog.ok_button.isEnabled() and dialog.result_site.name == "NEW"  # never typed: the code, as before
    qtbot.keyClicks(dialog.name_edit, "N")
    qtbot.keyClick(dialog.name_edit, Qt.Key.Key_Backspace)
    assert not dialog.ok_button.isEnabled() and "needs a name" in dialog.name_note.text
