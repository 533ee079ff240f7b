"""New, edit and delete site from the console window: dialogs, refusals while a sheet is open, and saving.

A site whose sheet is open cannot be edited or deleted until the sheet is closed, because the sheet's Apply
would then write to a site that no longer exists under that code (and its unapplied edits would be lost).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QMessageBox

from console.model.site_merge import SaveConflict
from console.model.sites import Site
from console.ui.common.save_conflict import resolve_conflict
from console.ui.window.site_tree import NodeKind, NodeRef


class SiteCommandsMixin:
    """The site-editing half of ``ConsoleMainWindow`` (mixed in before QMainWindow)."""

    def _refuse_while_sheets_open(self, site: Site, doing: str) -> bool:
        names = [kind.display_name for (code, kind) in self.open_sheets() if code == site.code]
        addresses = self.address_sheets_of(site.code)
        if not names and not addresses:
            return False
        what = [f"the properties of {', '.join(names)} at {site.title}"] if names else []
        what += [f"\u201c{title}\u201d" for title in addresses]
        QMessageBox.information(
            self,
            doing,
            f"{' and '.join(what)[0].upper()}{' and '.join(what)[1:]} {'are' if len(what) > 1 or names else 'is'} "
            f"open. Close them first, so that no unapplied change is lost.",
        )
        return True

    def new_site(self) -> Site | None:
        current = self.selected_site()
        from console.ui.window.site_dialog import SiteDialog  # on first use: start-up never needs it

        dialog = SiteDialog(self.session.database, default_parent=current.code if current else None, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_site is None:
            return None
        site = dialog.result_site
        if not self._commit(lambda: self.session.add_site(site), "New Site"):
            return None
        self.tree.select_node(NodeRef(NodeKind.SITE, site.code))
        self.statusBar().showMessage(f"Added {site.title}.", 5000)
        return site

    def edit_site(self) -> Site | None:
        site = self.selected_site()
        if site is None or self._refuse_while_sheets_open(site, "Edit Site"):
            return None
        from console.ui.window.site_dialog import SiteDialog

        dialog = SiteDialog(self.session.database, site, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_site is None:
            return None
        edited = dialog.result_site
        if edited == site:
            return site
        if not self._commit(lambda: self.session.edit_site(site.code, edited), "Edit Site"):
            return None
        self.statusBar().showMessage(f"Saved {edited.title}.", 5000)
        return edited

    def delete_site(self) -> bool:
        site = self.selected_site()
        if site is None or self._refuse_while_sheets_open(site, "Delete Site"):
            return False
        children = self.session.database.children(site.code)
        if children:
            QMessageBox.warning(
                self,
                "Delete Site",
                f"{site.title} cannot be deleted while other sites report to it "
                f"({', '.join(c.title for c in children)}). Delete those sites or give them another parent first.",
            )
            return False
        answer = QMessageBox.question(
            self,
            "Delete Site",
            f"Delete {site.title} and its senders from the site database?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if not self._commit(lambda: self.session.remove_site(site.code), "Delete Site"):
            return False
        self.statusBar().showMessage(f"Deleted {site.title}.", 5000)
        return True

    def _commit(self, change: object, doing: str) -> bool:
        """Run a session change; a refusal or a failed save is shown and nothing in memory changes."""
        try:
            change()  # type: ignore[operator]
        except SaveConflict as conflict:
            return resolve_conflict(self, self.session, conflict, doing)  # type: ignore[arg-type]
        except OSError as exc:
            QMessageBox.critical(
                self,
                doing,
                f"The site database could not be saved to {self.session.store.path}: "
                f"{exc.strerror or exc}. Nothing was changed.",
            )
            return False
        except (ValueError, KeyError) as exc:
            QMessageBox.warning(self, doing, str(exc.args[0] if exc.args else exc))
            return False
        return True
