"""Shared test set-up. Qt runs offscreen, set before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("LC_ALL", "C.UTF-8")
os.environ.pop("SENDER_CONSOLE_CONFIG_DIR", None)

import pytest


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    """A private config folder; nothing a test writes reaches the user's real one."""
    d = tmp_path / "config"
    monkeypatch.setenv("SENDER_CONSOLE_CONFIG_DIR", str(d))
    return d
