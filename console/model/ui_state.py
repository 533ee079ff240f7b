"""The console window's remembered state: geometry, splitters, the last selected tree node, last folders.

Qt-free on purpose: the window hands over the opaque ``QByteArray`` blobs of ``saveGeometry()`` /
``saveState()`` as ``bytes`` and gets them back the same way, so this module can be tested without a
``QApplication`` and the file stays readable JSON (the blobs are base64 strings in it).

Window state is a convenience, never data the user made, so the rules are lenient where leniency is
safe and strict where a half-read file could mislead:
- keys this version does not know are ignored (a newer version may add some);
- a file that is not JSON, not an object, of another schema version, or holds a value of the wrong
  type (e.g. a geometry that is not base64) is moved aside with ``move_aside`` (kept, never deleted)
  and the defaults are used; the caller gets a notice it may show in the status bar.
Writes are atomic (``atomic_write_text``), so a crash while closing never leaves a torn file.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from console.model.atomic import atomic_write_text, load_or_move_aside

SCHEMA_VERSION = 1

_BLOBS = ("geometry", "window_state", "main_splitter", "right_splitter", "senders_header")
_TEXTS = ("selected_site", "selected_node", "scenario_dir", "log_dir", "sending_site", "engine_tab")
_NUMBERS = ("speed",)


class UiStateError(ValueError):
    """The window-state file is unusable; the message says which key and why."""


@dataclass(frozen=True)
class UiState:
    """Everything the window restores at the next start; ``None`` means "use the default"."""

    geometry: bytes | None = None
    """``QWidget.saveGeometry()``: position, size, maximised state, screen."""
    window_state: bytes | None = None
    """``QMainWindow.saveState()``: the toolbar's visibility and place (and any docks added later)."""
    main_splitter: bytes | None = None
    """``QSplitter.saveState()`` of the tree | right side splitter."""
    right_splitter: bytes | None = None
    """``QSplitter.saveState()`` of the senders list / engine tabs splitter."""
    senders_header: bytes | None = None
    """``QHeaderView.saveState()`` of the senders list (column widths)."""
    selected_site: str | None = None
    """Code of the site whose node was selected, e.g. ``"LAB"``; ``None`` for the two top nodes."""
    selected_node: str | None = None
    """Which node of that site (the UI's node kind name, e.g. ``"senders"``); the UI validates it."""
    scenario_dir: str | None = None
    """The folder File → Open Scenario… last opened."""
    log_dir: str | None = None
    """The folder File → Open Log File… last opened."""
    sending_site: str | None = None
    """Code of the database site whose Standard Sender the live engine ran last (the UI checks it still exists)."""
    speed: float | None = None
    """The live engine's speed the user last chose (0 = paused); the UI keeps it only if it is a speed button."""
    engine_tab: str | None = None
    """Title of the engine tab that was selected ("Timers", "Outbox", "Sender.log")."""

    def replace(self, **changes: Any) -> UiState:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for name in _BLOBS:
            blob = getattr(self, name)
            if blob is not None:
                data[name] = base64.b64encode(blob).decode("ascii")
        for name in _TEXTS:
            text = getattr(self, name)
            if text is not None:
                data[name] = text
        for name in _NUMBERS:
            number = getattr(self, name)
            if number is not None:
                data[name] = number
        return data

    @classmethod
    def from_json(cls, data: Any) -> UiState:
        """Parse the file's object; raise UiStateError naming the offending key."""
        if not isinstance(data, dict):
            raise UiStateError("the file must hold a JSON object")
        if data.get("schema") != SCHEMA_VERSION:
            raise UiStateError(
                f"schema version {data.get('schema')!r} is not one this version reads (expected {SCHEMA_VERSION})"
            )
        values: dict[str, Any] = {}
        for name in _BLOBS:
            raw = data.get(name)
            if raw is None:
                continue
            if not isinstance(raw, str):
                raise UiStateError(f"{name!r} must be a base64 string")
            try:
                values[name] = base64.b64decode(raw.encode("ascii"), validate=True)
            except (binascii.Error, UnicodeEncodeError) as exc:
                raise UiStateError(f"{name!r} is not valid base64 ({exc})") from exc
        for name in _TEXTS:
            raw = data.get(name)
            if raw is None:
                continue
            if not isinstance(raw, str):
                raise UiStateError(f"{name!r} must be a string")
            values[name] = raw
        for name in _NUMBERS:
            raw = data.get(name)
            if raw is None:
                continue
            if isinstance(raw, bool) or not isinstance(raw, int | float) or raw != raw:
                raise UiStateError(f"{name!r} must be a number")
            values[name] = float(raw)
        return cls(**values)


@dataclass(frozen=True)
class UiStateLoad:
    state: UiState
    notice: str | None = None
    """Set when an unreadable file was moved aside; a sentence for the status bar."""
    moved_to: Path | None = None


class UiStateStore:
    """Reads and writes the window-state file (``AppPaths.ui_state_file``)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> UiStateLoad:
        loaded = load_or_move_aside(self.path, lambda data: (UiState.from_json(data), []))
        if loaded.moved_to is None:
            return UiStateLoad(loaded.value or UiState())
        notice = (
            f"The window layout in {self.path.name} could not be read ({'; '.join(loaded.problems)}); it was kept "
            f"as {loaded.moved_to.name} and the default layout is used."
        )
        return UiStateLoad(UiState(), notice=notice, moved_to=loaded.moved_to)

    def save(self, state: UiState) -> None:
        atomic_write_text(self.path, json.dumps(state.to_json(), indent=2) + "\n")
