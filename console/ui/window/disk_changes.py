"""Re-reading the site database in the console window: View → Refresh, and changes noticed on disk.

Kept apart from the window class: it is the one place that turns ``SiteSession.reload`` into what the user
sees (a status-bar line naming what changed, the load notice when the file had become unreadable).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from console.model.site_session import SiteChange, SiteSession
from console.ui.common.notice_box import load_notice_box

STATUS_MS = 10_000


def describe_changes(changes: list[SiteChange]) -> str:
    words = {"site-added": "added", "site-edited": "edited", "site-removed": "removed"}
    parts = []
    for c in changes:
        if c.kind == "settings" and c.sender_type is not None:
            parts.append(f"{c.sender_type.display_name} of {c.code} changed")
        else:
            parts.append(f"site {c.code} {words.get(c.kind, 'changed')}")
    return "; ".join(parts)


def reread_site_database(window: QMainWindow, session: SiteSession, *, outside: bool) -> list[SiteChange]:
    """Re-read the file; ``outside`` means the watcher noticed it (say nothing when nothing changed then)."""
    try:
        changes = session.reload()
    except OSError as exc:
        window.statusBar().showMessage(f"The site database could not be read: {exc.strerror or exc}.", STATUS_MS)
        return []
    loaded = session.last_load
    if loaded is not None and loaded.notice:
        load_notice_box(window, loaded.notice, loaded.moved_to).open()
    if changes:
        where = "changed outside this window" if outside else "re-read from disk"
        window.statusBar().showMessage(f"Site database {where}: {describe_changes(changes)}.", STATUS_MS)
    elif not outside:
        window.statusBar().showMessage("Site database re-read: nothing changed on disk.", STATUS_MS)
    return changes
