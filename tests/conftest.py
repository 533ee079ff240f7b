"""Shared test set-up. Qt runs offscreen, set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LC_ALL", "C.UTF-8")
os.environ.pop("SENDER_CONSOLE_CONFIG_DIR", None)

import pytest
from hypothesis import settings

# Property tests run the same examples on every run (the suite is deterministic; CI must not turn red on a
# draw). ``FUZZ_RANDOM=1`` explores new examples instead, for a hunt on a developer's machine.
settings.register_profile("suite", derandomize=True, database=None)
settings.register_profile("hunt", derandomize=False)
settings.load_profile("hunt" if os.environ.get("FUZZ_RANDOM") else "suite")


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """A private config folder; nothing a test writes reaches the user's real one."""
    d = tmp_path / "config"
    monkeypatch.setenv("SENDER_CONSOLE_CONFIG_DIR", str(d))
    return d
