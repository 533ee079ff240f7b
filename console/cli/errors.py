"""How the command line reports bad input: one line on stderr, exit status 2 (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

EXIT_USAGE = 2
PROG = "sender-console"


class UsageError(Exception):
    """Bad arguments or files. The message is the whole line the user sees after ``sender-console: error:``."""


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse prints a usage block before its error; we print one line that says what is wrong."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{PROG}: error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(EXIT_USAGE)
