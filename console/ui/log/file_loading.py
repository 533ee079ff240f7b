"""Loading a log file into a ``SenderLogView`` on a worker thread, with progress; what was shown stays until the
file has proved readable."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Slot

if TYPE_CHECKING:  # imported when a file is first loaded: the live console's start-up never needs them
    from console.logs.block_reader import LogChunk


class FileLoadingMixin:
    """The file-loading half of ``SenderLogView`` (mixed in before QWidget)."""

    def load_file(self, path: Path) -> None:
        """Replace this view's lines with the file's, read on a worker thread; see the module docstring."""
        self.cancel_load()
        self._load_rows = 0
        self._load_replaced = False
        self._show_message("")
        self._load_fraction = 0.0
        self._progress.setValue(0)
        self._progress.setFormat(f"Loading {path.name}… %p%")
        self._progress.show()
        self._progress_timer.start()
        from console.ui.log.log_file_loader import LogFileLoader

        loader = LogFileLoader(Path(path), self)
        loader.chunkLoaded.connect(self._on_chunk_loaded)
        loader.failed.connect(self._on_load_failed)
        loader.finished.connect(self._on_load_finished)
        self._loader = loader
        loader.start()

    @Slot(object)
    def _on_chunk_loaded(self, chunk: LogChunk) -> None:
        if not self._load_replaced:
            # The file opened and its start is text: only now give up what was shown before.
            self._load_replaced = True
            self._held.clear()
            with self._programmatic_scroll():
                self._model.clear()
            self._following = True
            self._unseen = 0
        self._load_rows += len(chunk.rows)
        self._insert(chunk.rows)
        if chunk.bytes_total:
            self._load_fraction = chunk.bytes_done / chunk.bytes_total

    @Slot()
    def _show_progress(self) -> None:
        self._progress.setValue(int(1000 * self._load_fraction))

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        path = self._end_load()
        if self._load_replaced:
            message += f" The {self._load_rows:,} lines read before that are shown."
        self._show_message(message, error=True)
        self.fileFailed.emit(path, message)

    @Slot()
    def _on_load_finished(self) -> None:
        path = self._end_load()
        if not self._load_replaced:  # an empty file: nothing arrived, but it is what the file holds
            self._model.clear()
        self._update_status()
        self.fileLoaded.emit(path, self._load_rows)

    def _end_load(self) -> Path:
        loader = self._loader
        assert loader is not None
        self._loader = None
        self._progress_timer.stop()
        self._progress.hide()
        loader.deleteLater()
        return loader.path

    def cancel_load(self) -> None:
        """Stop a file load in progress (what it already showed stays); no fileLoaded/fileFailed follows."""
        if self._loader is not None:
            self._loader.cancel()
            self._loader.deleteLater()
            self._loader = None
            self._progress_timer.stop()
            self._progress.hide()
