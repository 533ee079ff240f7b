"""Notice changes made to ``sites.json`` outside this window (the command line, another window).

Saves replace the file by a rename, so the watched file disappears from ``QFileSystemWatcher`` at every save:
the folder is watched too and the file is added back whenever it exists again. Events come in bursts (write
the temporary file, rename, fsync); one ``changed`` is emitted a short while after the last of them. The
window then re-reads the file through the session, which announces only what really changed, so its own
saves are quiet.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

SETTLE_MS = 250


class SiteFileWatch(QObject):
    changed = Signal()

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = path
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.changed)
        self._watcher.fileChanged.connect(self._on_event)
        self._watcher.directoryChanged.connect(self._on_event)
        self._rewatch()

    def _rewatch(self) -> None:
        folder = str(self.path.parent)
        if self.path.parent.is_dir() and folder not in self._watcher.directories():
            self._watcher.addPath(folder)
        if self.path.is_file() and str(self.path) not in self._watcher.files():
            self._watcher.addPath(str(self.path))

    def _on_event(self, _path: str) -> None:
        self._rewatch()
        self._settle.start()

    def watched(self) -> list[str]:
        return [*self._watcher.directories(), *self._watcher.files()]
