"""Entry script for the frozen bundle (PyInstaller needs a script, not a console_scripts entry point)."""

import sys

from console.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
