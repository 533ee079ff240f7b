"""The console tree, in the shape of the SMS 2.0 Administrator console (an MMC snap-in).

    Site Database (CEN - Central Site)
      Site Hierarchy
        CEN - Central Site
          Site Settings
            Addresses
            Senders
          LAB - Training Lab          (child sites nest under their parent)
            Site Settings
              Addresses
              Senders

Every node is addressed by a ``NodeRef`` (kind + site code), never by a model index: the tree is
rebuilt from the site database after each change (a renamed code moves a whole subtree, so patching
items in place would be fragile), and a ``NodeRef`` survives the rebuild where an index would not.
Expanded nodes and the selection are carried over by ``NodeRef``.

A site node shows a warning icon when one of its senders trips the Q278357 rule, so an administrator
can spot the site without opening every sheet; the rule itself is the model's (``advise``). Every site is
judged on its own version and settings, not the central site's: a site with an address to another site sends
and forwards packages with its own sender, and its tooltip says where (``forwarding_note``).

The *sending* site (the one whose Standard Sender the live engine runs from the site database) is drawn in
bold and says so in its tooltip, so the tree and the engine views agree on which site they are about. While
the engine runs a scenario no site is marked: the scenario's sites are not in the tree. The mark is kept by
site code across rebuilds (``set_sending_site``), since the tree is rebuilt after every change.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QTreeView, QWidget

from console.model.advisories import Advisory, advise, forwarding_note
from console.model.sites import Site, SiteDatabase

NODE_KIND_ROLE = Qt.ItemDataRole.UserRole + 1
SITE_CODE_ROLE = Qt.ItemDataRole.UserRole + 2
SENDING_ROLE = Qt.ItemDataRole.UserRole + 3
"""True on the site node whose Standard Sender the live engine runs."""

SENDING_NOTE = (
    "Sending: this site's Standard Sender runs in the live engine "
    "(the Timers, Outbox and Sender.log tabs are about it)."
)


class NodeKind(enum.Enum):
    """What a tree node stands for; ``value`` is what the window-state file stores."""

    DATABASE = "database"
    HIERARCHY = "hierarchy"
    SITE = "site"
    SITE_SETTINGS = "site-settings"
    SENDERS = "senders"
    ADDRESSES = "addresses"

    @property
    def is_site_level(self) -> bool:
        """True for nodes that belong to one site (the site itself, its Site Settings, Addresses, Senders)."""
        return self in (NodeKind.SITE, NodeKind.SITE_SETTINGS, NodeKind.SENDERS, NodeKind.ADDRESSES)


@dataclass(frozen=True)
class NodeRef:
    kind: NodeKind
    code: str | None = None

    @classmethod
    def parse(cls, kind: str | None, code: str | None) -> NodeRef | None:
        """From the window-state file's strings; ``None`` when they do not name a node kind."""
        try:
            node_kind = NodeKind(kind)
        except ValueError:
            return None
        if node_kind.is_site_level and not code:
            return None
        return cls(node_kind, code.upper() if node_kind.is_site_level and code else None)


def site_advisories(site: Site) -> list[Advisory]:
    """The advisories of every sender with retry settings at this site (the sending site's version decides)."""
    found: list[Advisory] = []
    for sender in site.senders:
        if sender.type.has_advanced_tab:
            found += advise(sender.settings, site.version)
    return found


def database_title(db: SiteDatabase) -> str:
    roots = db.roots()
    return f"Site Database ({roots[0].title})" if roots else "Site Database (no sites)"


class SiteTreeModel(QStandardItemModel):
    """Read-only items rebuilt from a SiteDatabase; look nodes up with ``index_of(NodeRef)``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: dict[NodeRef, QStandardItem] = {}
        self._sending: str | None = None
        self._plain_tips: dict[str, str] = {}
        self.setHorizontalHeaderLabels(["Console Root"])

    @property
    def sending_site(self) -> str | None:
        return self._sending

    def set_sending_site(self, code: str | None) -> None:
        """Mark ``code``'s site node as the sending site (bold, tooltip note); None clears the mark."""
        previous, self._sending = self._sending, code
        if previous is not None and previous != code:
            self._mark(previous, False)
        if code is not None:
            self._mark(code, True)

    def _mark(self, code: str, sending: bool) -> None:
        item = self._items.get(NodeRef(NodeKind.SITE, code))
        if item is None:
            return
        font = QFont(item.font())
        font.setBold(sending)
        item.setFont(font)
        item.setData(sending or None, SENDING_ROLE)
        plain = self._plain_tips.get(code, "")
        item.setToolTip(f"{plain}\n\n{SENDING_NOTE}" if sending else plain)
        item.setData(SENDING_NOTE if sending else None, Qt.ItemDataRole.AccessibleDescriptionRole)

    def _item(self, text: str, ref: NodeRef, icon: QStyle.StandardPixmap, tooltip: str = "") -> QStandardItem:
        item = QStandardItem(QApplication.style().standardIcon(icon), text)
        item.setEditable(False)
        item.setData(ref.kind.value, NODE_KIND_ROLE)
        item.setData(ref.code, SITE_CODE_ROLE)
        if tooltip:
            item.setToolTip(tooltip)
        self._items[ref] = item
        return item

    def rebuild(self, db: SiteDatabase) -> None:
        self.removeRows(0, self.rowCount())
        self._items.clear()
        self._plain_tips.clear()
        sp = QStyle.StandardPixmap
        root = self._item(database_title(db), NodeRef(NodeKind.DATABASE), sp.SP_DriveNetIcon)
        hierarchy = self._item("Site Hierarchy", NodeRef(NodeKind.HIERARCHY), sp.SP_DirIcon)
        root.appendRow(hierarchy)
        for site in db.roots():
            self._add_site(db, hierarchy, site)
        self.appendRow(root)
        if self._sending is not None:
            self._mark(self._sending, True)

    def _add_site(self, db: SiteDatabase, parent: QStandardItem, site: Site) -> None:
        sp = QStyle.StandardPixmap
        advisories = site_advisories(site)
        tooltip = f"{site.title}\nServer: {site.server}\nSMS {site.version.label} ({site.version.build})"
        if advisories:
            tooltip += "\n\n" + "\n".join(f"Warning, {a.kb}: {a.title}" for a in advisories)
            tooltip += "\n" + forwarding_note(db, site.code)
        icon = sp.SP_MessageBoxWarning if advisories else sp.SP_ComputerIcon
        item = self._item(site.title, NodeRef(NodeKind.SITE, site.code), icon, tooltip)
        self._plain_tips[site.code] = tooltip
        settings = self._item("Site Settings", NodeRef(NodeKind.SITE_SETTINGS, site.code), sp.SP_DirIcon)
        count = len(db.addresses_from(site.code))
        settings.appendRow(
            self._item(
                "Addresses",
                NodeRef(NodeKind.ADDRESSES, site.code),
                sp.SP_DirIcon,
                f"Where {site.title} sends and forwards packages: {count} address{'es' if count != 1 else ''}",
            )
        )
        settings.appendRow(
            self._item(
                "Senders", NodeRef(NodeKind.SENDERS, site.code), sp.SP_DirIcon, f"The senders installed at {site.title}"
            )
        )
        item.appendRow(settings)
        for child in sorted(db.children(site.code), key=lambda s: s.code):
            self._add_site(db, item, child)
        parent.appendRow(item)

    def index_of(self, ref: NodeRef) -> QModelIndex:
        item = self._items.get(ref)
        return item.index() if item is not None else QModelIndex()

    @staticmethod
    def ref_at(index: QModelIndex) -> NodeRef | None:
        if not index.isValid():
            return None
        return NodeRef(NodeKind(index.data(NODE_KIND_ROLE)), index.data(SITE_CODE_ROLE))

    def refs(self) -> list[NodeRef]:
        return list(self._items)


class SiteTree(QTreeView):
    """The left pane. ``nodeSelected(NodeRef | None)`` fires whenever the current node changes."""

    nodeSelected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("siteTree")
        self._model = SiteTreeModel(self)
        self.setModel(self._model)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAccessibleName("Site hierarchy")
        self.selectionModel().currentChanged.connect(self._on_current_changed)
        self._rebuilding = False

    @property
    def tree_model(self) -> SiteTreeModel:
        return self._model

    def set_sending_site(self, code: str | None) -> None:
        """See the module docstring; survives ``populate``."""
        self._model.set_sending_site(code)

    def populate(self, db: SiteDatabase, select: NodeRef | None = None) -> None:
        """Rebuild from ``db``, keep expanded nodes, and select ``select`` (or the central site).

        ``nodeSelected`` fires once at the end, even when the same node is selected again, because
        the site behind it may have changed (a new version, new settings) and the details list must follow.
        """
        first = not self._model.refs()
        expanded = {ref for ref in self._model.refs() if self.isExpanded(self._model.index_of(ref))}
        self._rebuilding = True
        try:
            self._model.rebuild(db)
            if first:
                expanded = {NodeRef(NodeKind.DATABASE), NodeRef(NodeKind.HIERARCHY)}
                expanded |= {NodeRef(NodeKind.SITE, s.code) for s in db}
            for ref in expanded:
                index = self._model.index_of(ref)
                if index.isValid():
                    self.expand(index)
            target = select if select is not None and self._model.index_of(select).isValid() else None
            if target is None:
                target = self.default_node(db)
            self._set_current(target)
        finally:
            self._rebuilding = False
        self.nodeSelected.emit(self.current_node())

    @staticmethod
    def default_node(db: SiteDatabase) -> NodeRef:
        """The central site (first root), or the database node when there are no sites."""
        roots = db.roots()
        return NodeRef(NodeKind.SITE, roots[0].code) if roots else NodeRef(NodeKind.DATABASE)

    def select_node(self, ref: NodeRef) -> bool:
        """Make ``ref`` current (expanding its parents); False when no such node exists."""
        if not self._model.index_of(ref).isValid():
            return False
        self._set_current(ref)
        return True

    def _set_current(self, ref: NodeRef) -> None:
        index = self._model.index_of(ref)
        parent = index.parent()
        while parent.isValid():
            self.expand(parent)
            parent = parent.parent()
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def current_node(self) -> NodeRef | None:
        return self._model.ref_at(self.currentIndex())

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._rebuilding:
            self.nodeSelected.emit(self._model.ref_at(current))
