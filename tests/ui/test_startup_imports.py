"""What start-up imports: the code a first paint never needs stays out until it is used.

Measured by tests/bench/bench_startup.py; this only guards the boundaries (a module-level import added back
would silently cost its milliseconds on every start). A fresh interpreter, since the test process has
imported everything already.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = r"""
import json, sys
def loaded(names):
    return sorted(n for n in names if n in sys.modules)
ENGINE = ["console.engine.sender", "console.engine.scenario_engine", "console.model.scenario"]
import console.cli.main
cli = loaded(ENGINE + ["console.model.advisories"])
import console.app, console.ui.window.main_window
window = loaded(ENGINE + ["pyqtgraph"])  # (the window's senders list shows advisories: that module is needed)
import console.ui.window.live_console
ON_DEMAND = ["console.ui.guided.guided_repro", "console.engine.guided_story", "console.ui.live.engine_dialogs",
             "console.ui.live.scenario_sheet", "console.ui.sheet.properties_sheet",
             "console.ui.window.site_dialog",
             "console.ui.live.outbox_view", "console.ui.log.log_view"]  # (the last two: after the Timers paint)
live = loaded(ON_DEMAND)
from console.ui.window.engine_actions import EngineActions
print(json.dumps({"cli": cli, "window": window, "live": live}))
"""


def test_cli_window_and_live_console_leave_on_demand_modules_out() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["cli"] == [], "the command parsers must not import the engine or the scenario code"
    assert seen["window"] == [], "the window shell paints before the engine, scenarios and pyqtgraph load"
    assert seen["live"] == [], "dialogs, the guided case and the sheets load when first opened"


MIRROR_PROBE = r"""
import json, sys
import PySide6.QtCore, PySide6.QtGui, PySide6.QtWidgets
from console import app
app._application()  # installs the lazy pyqtgraph.Qt copy
import pyqtgraph
from pyqtgraph.Qt import QtCore, QtGui, QtWidgets
pyqtgraph.PlotWidget()
UNUSED = [("QtCore", "QCborStreamReader"), ("QtGui", "QColorTransform"), ("QtWidgets", "QGraphicsItemAnimation")]
created = [n for m, n in UNUSED if n in vars(sys.modules["PySide6." + m])]
same = all(getattr(vars(pyqtgraph.Qt)[m], n) is getattr(sys.modules["PySide6." + m], n) for m, n in UNUSED)
print(json.dumps({"created": created, "same": same, "dir_left": "dir" in vars(pyqtgraph.Qt),
                  "version": pyqtgraph.Qt.VERSION_INFO, "signal": QtCore.Signal is PySide6.QtCore.Signal}))
"""


def test_pyqtgraph_copies_qt_names_on_first_use() -> None:
    """pyqtgraph.Qt's copy of PySide6 creates only the Qt types that are used (console.ui.common.qt_mirror)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(
        [sys.executable, "-c", MIRROR_PROBE], env=env, capture_output=True, text=True, timeout=60, check=True
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["created"] == [], "importing pyqtgraph must not create every Qt type"
    assert seen["same"] and seen["signal"], "a name asked of pyqtgraph's module is PySide6's own object"
    assert not seen["dir_left"], "pyqtgraph.Qt keeps the builtin dir once imported"
    assert seen["version"].startswith("PySide6 ")


def test_the_lazy_imports_resolve() -> None:
    """The names imported inside functions exist (a rename would otherwise surface only on first use)."""
    from console.cli import sender_cmd, simulate_cmd  # noqa: F401
    from console.engine.scenario_engine import engine_from_scenario  # noqa: F401
    from console.engine.sender_log import SenderLogFile  # noqa: F401
    from console.model.advisories import advise  # noqa: F401
    from console.model.scenario import MAX_DURATION_S, ScenarioError, load_scenario  # noqa: F401
    from console.ui.guided.guided_repro import GuidedReproPanel  # noqa: F401
    from console.ui.live.engine_dialogs import InjectOutageDialog, QueuePackageDialog, RestartServerDialog  # noqa: F401
    from console.ui.live.outbox_view import OutboxView  # noqa: F401
    from console.ui.live.scenario_sheet import ScenarioSenderSheet  # noqa: F401
    from console.ui.log.log_view import SenderLogView  # noqa: F401
    from console.ui.window.site_dialog import SiteDialog  # noqa: F401
