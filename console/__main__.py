"""Entry point: ``sender-console`` and ``python -m console``.

The command line (``console.cli``) never imports the GUI; a windowed command comes back as a ``GuiLaunch``,
and only then is ``console.app`` (and Qt) imported.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    # numpy (under pyqtgraph) starts OpenBLAS's thread pool on import, ~50 ms of start-up; this app does no
    # linear algebra. Only when unset: a user's own setting wins.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from console.cli.main import main as cli_main
    from console.cli.window_cmd import GuiLaunch

    outcome = cli_main(sys.argv[1:] if argv is None else argv)
    if isinstance(outcome, GuiLaunch):
        # No automatic collection while the GUI starts: it makes next to no garbage and the collector would walk
        # every new module and widget ~140 times (console.ui.common.gc_pacing); console.app switches it back on.
        from console.ui.common.gc_pacing import PACER, hold_for_start_up

        hold_for_start_up()
        try:
            from console.app import run_gui

            return outcome.run(run_gui)
        finally:
            PACER.end_start_up()
    return outcome


if __name__ == "__main__":
    sys.exit(main())
