"""Run a command with the command line's error handling: one line on stderr and exit 2, or quiet on a closed pipe.

Shared by the commands (``console.cli.main``) and the windows they launch (``GuiLaunch.run``), so a problem
found after Qt started reads the same as one found before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from console.cli.context import CliContext
from console.cli.errors import EXIT_USAGE, PROG, UsageError


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush of what is still buffered cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def flushed(status: int, *, broken: bool = False) -> int:
    """Flush stdout and return ``status``; quietly, with stdout pointed at devnull, if the reader went away.

    For output printed outside ``guarded``: argparse's ``--help`` and ``--version`` print and exit before any
    command runs, and a block-buffered stdout (PYTHONUNBUFFERED unset) meets the closed pipe only here.
    """
    if broken:  # the write already met the closed pipe
        _silence_stdout()
        return status
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    return status


def guarded(context: Callable[[], CliContext | None], command: Callable[[], int]) -> int:
    """``command()``'s status, or 0/2 after the handling above; ``context()`` names the config folder in errors."""
    try:
        status = int(command())
        # Flush inside the guard: with a block-buffered stdout (no PYTHONUNBUFFERED) the output reaches a closed
        # pipe only here, not while the command printed it.
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader went away (``sender-console sites | head -1``): nothing is wrong with the command.
        _silence_stdout()
        return 0
    except UsageError as exc:
        sys.stderr.write(f"{PROG}: error: {exc}\n")
        return EXIT_USAGE
    except OSError as exc:
        where = str(exc.filename or "")
        ctx = context()
        config_dir = str(ctx.paths.config_dir) if ctx is not None else None
        if config_dir and where.startswith(config_dir):
            sys.stderr.write(f"{PROG}: error: --config-dir: cannot use {config_dir}: {exc.strerror or exc} ({where})\n")
        else:
            sys.stderr.write(f"{PROG}: error: {exc.strerror or exc} ({where})\n")
        return EXIT_USAGE
