"""Fixtures shared by the console-window tests: a private config folder, its site session, the window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_support import FakeClock
from outbox_support import busy_routed_scenario

from console.engine.events import LogEvent
from console.model.paths import AppPaths
from console.model.site_session import SiteSession
from console.model.site_store import SiteStore
from console.ui.live.engine_bridge import EngineBridge
from console.ui.live.outbox_view import OutboxView
from console.ui.window.live_console import attach_live_engine
from console.ui.window.main_window import ConsoleMainWindow


@pytest.fixture
def paths(tmp_path) -> AppPaths:
    return AppPaths(tmp_path / "config", tmp_path / "config" / "logs")


@pytest.fixture
def session(paths) -> SiteSession:
    return SiteSession.open(SiteStore(paths.sites_file))[0]


@pytest.fixture
def window(qtbot, session, paths) -> Iterator[ConsoleMainWindow]:
    w = ConsoleMainWindow(session, paths)
    qtbot.addWidget(w)
    yield w
    # Sheets are windows of their own: left open, they would still be visible to later tests.
    for sheet in w.open_sheets().values():
        sheet.close()


@pytest.fixture
def log_texts(bridge) -> list[str]:
    """Every LogEvent text the module's ``bridge`` delivered in its frames (what the log view receives)."""
    seen: list[str] = []
    bridge.frame.connect(lambda events: seen.extend(e.text for e in events if isinstance(e, LogEvent)))
    return seen


@pytest.fixture
def console(qtbot, tmp_path):
    """The console window with the live engine attached, paused, on a wall clock the test moves."""
    paths = AppPaths.resolve(tmp_path / "cfg")
    session, _ = SiteSession.open(SiteStore(paths.sites_file))
    window = ConsoleMainWindow(session, paths)
    window.save_state_on_close = False
    qtbot.addWidget(window)
    clock = FakeClock()
    live = attach_live_engine(window, session, paths, speed=0.0, clock=clock)
    yield window, live, clock
    live.close()


@pytest.fixture
def routed(qtbot):
    """A routed busy hierarchy's engine bridge and a shown Outbox on it: (scenario, bridge, view)."""
    scenario = busy_routed_scenario()
    b = EngineBridge.for_scenario(scenario, clock=lambda: 0.0)
    v = OutboxView(b)
    qtbot.addWidget(v)
    v.resize(1200, 400)
    v.show()
    qtbot.waitExposed(v)
    yield scenario, b, v
    b.close()
