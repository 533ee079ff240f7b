"""Where the app keeps its files: platformdirs by default, one folder for everything with --config-dir.

``--config-dir`` (or ``SENDER_CONSOLE_CONFIG_DIR``) exists for tests and portable use: everything the
app writes (site database, window state, Sender.log) then goes under that one folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

ENV_CONFIG_DIR = "SENDER_CONSOLE_CONFIG_DIR"
_APP = "sender-console"


@dataclass(frozen=True)
class AppPaths:
    config_dir: Path
    log_dir: Path

    @property
    def sites_file(self) -> Path:
        return self.config_dir / "sites.json"

    @property
    def ui_state_file(self) -> Path:
        return self.config_dir / "window-state.json"

    @property
    def sender_log(self) -> Path:
        return self.log_dir / "Sender.log"

    @classmethod
    def resolve(cls, config_dir: str | os.PathLike[str] | None = None) -> AppPaths:
        chosen = config_dir or os.environ.get(ENV_CONFIG_DIR) or None
        if chosen:
            base = Path(chosen).expanduser()
            return cls(base, base / "logs")
        return cls(
            platformdirs.user_config_path(_APP, appauthor=False), platformdirs.user_log_path(_APP, appauthor=False)
        )
