"""Ask the user what to do when a save meets a change made elsewhere to the same site or sender.

The store never overwrites a change it has not seen (``SaveConflict``); a person decides: keep what they set
here (the other side's changes to everything else stay), or take what is on disk now (their own edit is
dropped). Nothing is written until they choose; closing the box keeps both as they are.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from console.model.addresses import Address
from console.model.site_merge import Conflict, SaveConflict
from console.model.site_session import SiteSession
from console.model.sites import Sender, Site


def describe_value(value: Site | Sender | Address | None) -> str:
    if value is None:
        return "removed"
    if isinstance(value, Address):
        substitute = "" if value.substitute else ", unavailable to substitute"
        return (
            f"server {value.server}, schedule {value.schedule.summary()}, rate limit {value.rate_limit.summary()}"
            f"{substitute}"
        )
    if isinstance(value, Sender):
        s = value.settings
        return (
            f"all sites {s.all_sites}, per site {s.per_site}, {s.retries} retries, "
            f"delay before retrying {s.retry_delay_min} min"
        )
    parent = f", reports to {value.parent}" if value.parent else ""
    return f"{value.name}, server {value.server}, {value.version.label}{parent}"


def describe_conflict(c: Conflict) -> str:
    what = c.what[0].upper() + c.what[1:]
    return f"{what}:\n  here: {describe_value(c.mine)}\n  elsewhere: {describe_value(c.theirs)}"


def resolve_conflict(parent: QWidget | None, session: SiteSession, conflict: SaveConflict, doing: str) -> bool:
    """Ask, then keep mine or take theirs. True when this side's change was saved after all."""
    box = QMessageBox(parent)
    box.setObjectName("saveConflictBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(doing)
    box.setText("The site database was changed outside this window while you were editing.")
    box.setInformativeText(
        "\n\n".join(describe_conflict(c) for c in conflict.conflicts)
        + "\n\nKeep your change (other changes made elsewhere stay), or take the one on disk?"
    )
    keep = box.addButton("Keep Mine", QMessageBox.ButtonRole.AcceptRole) if conflict.keep_mine is not None else None
    theirs = box.addButton("Use Theirs", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    if keep is not None and clicked is keep:
        try:
            session.keep_mine(conflict)
        except SaveConflict as again:  # changed yet again meanwhile: ask once more about the newest state
            return resolve_conflict(parent, session, again, doing)
        return True
    if clicked is theirs:
        session.reload()
    return False
